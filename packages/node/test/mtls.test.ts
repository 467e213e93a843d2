/** Mutual TLS: a verified client certificate reaches the Lambda as `requestContext.identity.clientCert`. */
import { createServer, request } from 'node:https'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHandler } from '@gatehousejs/node'
import { createCertificateDir, requireOpenssl, type CertificateDir } from '@gatehousejs/test-kit'

const api = {
  openapi: '3.0.1',
  info: { title: 'mtls', version: '1' },
  paths: { '/me': { get: { 'x-amazon-apigateway-integration': { type: 'aws_proxy', httpMethod: 'POST', uri: 'me' } } } },
}

let certs: CertificateDir | undefined
const file = (name: string) => certs!.file(name)

// Certificates are made with openssl: without it the suite is skipped, except under CI, where that fails.
describe.skipIf(!requireOpenssl('node mutual TLS tests'))('mutual TLS client certificates', () => {
  let port = 0
  let close = () => {}
  beforeAll(async () => {
    certs = createCertificateDir('gatehouse-mtls-')
    certs.issue('ca', '/CN=Test CA', null)
    certs.issue('server', '/CN=localhost/O=Gatehouse', 'ca')
    certs.issue('client', '/CN=alice/O=Gatehouse', 'ca')
    const handler = createHandler({
      api,
      onWarning: () => {},
      functions: {
        me: async (event: any) => ({ statusCode: 200, body: JSON.stringify(event.requestContext.identity.clientCert ?? null) }),
      },
    })
    const server = createServer(
      { key: file('server.key'), cert: file('server.crt'), ca: file('ca.crt'), requestCert: true, rejectUnauthorized: false },
      handler,
    )
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    port = (server.address() as AddressInfo).port
    close = () => {
      server.closeAllConnections()
      server.close()
    }
  })
  afterAll(() => {
    close()
    certs?.remove()
  })

  const get = (withCert: boolean) =>
    new Promise<any>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: '/me',
          ca: file('ca.crt'),
          servername: 'localhost',
          rejectUnauthorized: false,
          ...(withCert ? { key: file('client.key'), cert: file('client.crt') } : {}),
        },
        (res) => {
          let text = ''
          res.on('data', (d: Buffer) => (text += d.toString()))
          res.on('end', () => resolve(JSON.parse(text)))
        },
      )
      req.on('error', reject)
      req.end()
    })

  it('passes the verified certificate', async () => {
    const cert = await get(true)
    expect(cert.subjectDN).toBe('CN=alice,O=Gatehouse')
    expect(cert.issuerDN).toBe('CN=Test CA')
    expect(cert.clientCertPem).toBe(file('client.crt').toString().replace(/\r\n/g, '\n'))
    expect(cert.validity.notBefore).toMatch(/GMT$/)
    expect(typeof cert.serialNumber).toBe('string')
  })

  it('no certificate, no clientCert', async () => {
    expect(await get(false)).toBeNull()
  })
})
