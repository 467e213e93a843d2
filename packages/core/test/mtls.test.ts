/**
 * Mutual TLS over a real HTTPS socket (`@gatehousejs/node`'s `createMutualTlsServer`), with certificates made in
 * the test by `openssl`: a certificate that does not chain to the truststore is refused 403, a trusted one fills
 * `$context.identity.clientCert` (Lambda proxy event and mapping templates).
 */
import { request } from 'node:https'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMutualTlsServer, parseTruststore, TruststoreError } from '@gatehousejs/node'
import { createCertificateDir, requireOpenssl, type CertificateDir } from '@gatehousejs/test-kit'

const api = {
  openapi: '3.0.1',
  info: { title: 'mtls', version: '1' },
  paths: {
    '/me': { get: { 'x-amazon-apigateway-integration': { type: 'aws_proxy', httpMethod: 'POST', uri: 'me' } } },
    '/subject': {
      get: {
        'x-amazon-apigateway-integration': {
          type: 'mock',
          requestTemplates: { 'application/json': '{"statusCode": 200}' },
          responses: {
            default: {
              statusCode: '200',
              responseTemplates: {
                'application/json': '{"subject":"$context.identity.clientCert.subjectDN","issuer":"$context.identity.clientCert.issuerDN"}',
              },
            },
          },
        },
      },
    },
  },
}

let certs: CertificateDir | undefined
const file = (name: string) => certs!.file(name)

interface Answer {
  status: number
  errorType: string | undefined
  body: string
}

// "How do I troubleshoot HTTP 403 Forbidden errors from an API Gateway custom domain name that requires mutual
// TLS?": an issuer not in the truststore, a self-signed client certificate → 403.
// https://repost.aws/knowledge-center/api-gateway-mutual-tls-403-errors
// The certificate in $context: https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mutual-tls.html
// Certificates are made with openssl: without it the suite is skipped, except under CI, where that fails.
describe.skipIf(!requireOpenssl('core mutual TLS tests'))('mutual TLS through @gatehousejs/node', () => {
  let port = 0
  let close = () => {}

  beforeAll(async () => {
    certs = createCertificateDir('gatehouse-core-mtls-')
    certs.issue('ca', '/CN=Gatehouse Test CA', null)
    certs.issue('rogue-ca', '/CN=Rogue CA', null)
    certs.issue('server', '/CN=localhost', 'ca')
    certs.issue('alice', '/CN=alice/O=Gatehouse', 'ca')
    certs.issue('mallory', '/CN=mallory', 'rogue-ca')
    certs.issue('selfie', '/CN=selfie', null)
    certs.issue('expired', '/CN=expired', 'ca', '-1')
    const server = createMutualTlsServer(
      { key: file('server.key'), cert: file('server.crt'), truststore: file('ca.crt') },
      {
        api,
        onWarning: () => {},
        functions: { me: async (event: any) => ({ statusCode: 200, body: JSON.stringify(event.requestContext.identity) }) },
      },
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

  const get = (path: string, who: string | null) =>
    new Promise<Answer>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path,
          servername: 'localhost',
          // The server's identity is not what is under test here.
          rejectUnauthorized: false,
          agent: false,
          ...(who ? { key: file(`${who}.key`), cert: file(`${who}.crt`) } : {}),
        },
        (res) => {
          let body = ''
          res.on('data', (d: Buffer) => (body += d.toString()))
          res.on('end', () => resolve({ status: res.statusCode!, errorType: res.headers['x-amzn-errortype'] as string | undefined, body }))
        },
      )
      req.on('error', reject)
      req.end()
    })

  it('a trusted client certificate reaches the Lambda as requestContext.identity.clientCert', async () => {
    const res = await get('/me', 'alice')
    expect(res.status).toBe(200)
    const identity = JSON.parse(res.body)
    expect(identity.sourceIp).toBe('127.0.0.1')
    const cert = identity.clientCert
    expect(cert.clientCertPem).toBe(file('alice.crt').toString().replace(/\r\n/g, '\n'))
    expect(cert.subjectDN).toBe('CN=alice,O=Gatehouse')
    expect(cert.issuerDN).toBe('CN=Gatehouse Test CA')
    expect(cert.serialNumber).toMatch(/^[0-9A-F]+$/)
    expect(cert.validity.notBefore).toMatch(/ GMT$/)
    expect(cert.validity.notAfter).toMatch(/ GMT$/)
  })

  it('and $context.identity.clientCert in mapping templates', async () => {
    const res = await get('/subject', 'alice')
    expect(res.status).toBe(200)
    expect(JSON.parse(res.body)).toEqual({ subject: 'CN=alice,O=Gatehouse', issuer: 'CN=Gatehouse Test CA' })
  })

  const refused: [string, string | null][] = [
    ['a certificate from an issuer outside the truststore', 'mallory'],
    ['a self-signed certificate', 'selfie'],
    ['an expired certificate', 'expired'],
    ['no certificate at all', null],
  ]
  for (const [name, who] of refused) {
    it(`${name} → 403 Forbidden`, async () => {
      const res = await get('/me', who)
      expect(res.status).toBe(403)
      expect(res.errorType).toBe('ForbiddenException')
      expect(JSON.parse(res.body)).toEqual({ message: 'Forbidden' })
    })
  }

  it('the truststore is checked when the server is built', () => {
    const bad: unknown[] = ['no certificates here', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n', [], [42]]
    for (const truststore of bad) {
      expect(() => parseTruststore(truststore as never)).toThrow(TruststoreError)
    }
    const bundle = Buffer.concat([file('ca.crt'), file('rogue-ca.crt')])
    expect(parseTruststore(bundle)).toHaveLength(2)
  })
})
