/** Mutual TLS: a verified client certificate reaches the Lambda as `requestContext.identity.clientCert`. */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer, request } from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHandler } from '@gatehousejs/node'

const api = {
  openapi: '3.0.1',
  info: { title: 'mtls', version: '1' },
  paths: { '/me': { get: { 'x-amazon-apigateway-integration': { type: 'aws_proxy', httpMethod: 'POST', uri: 'me' } } } },
}

let dir = ''
const file = (name: string) => readFileSync(join(dir, name))
function openssl(...args: string[]) {
  execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' })
}

// Certificates are made with openssl: without it the suite is skipped, except under CI, where that fails.
const opensslMissing = !hasOpenssl()
if (opensslMissing && process.env.CI) {
  it('needs openssl', () => {
    throw new Error('openssl is missing: the mutual TLS tests need it to make certificates')
  })
}

describe.skipIf(opensslMissing)('mutual TLS client certificates', () => {
  let port = 0
  let close = () => {}
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-mtls-'))
    openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=Test CA')
    for (const who of ['server', 'client']) {
      openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${who}.key`, '-out', `${who}.csr`, '-subj', `/CN=${who === 'server' ? 'localhost' : 'alice'}/O=Gatehouse`)
      openssl('x509', '-req', '-in', `${who}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${who}.crt`, '-days', '2')
    }
    const handler = createHandler({
      api,
      onWarning: () => {},
      functions: { me: async (event: any) => ({ statusCode: 200, body: JSON.stringify(event.requestContext.identity.clientCert ?? null) }) },
    })
    const server = createServer({ key: file('server.key'), cert: file('server.crt'), ca: file('ca.crt'), requestCert: true, rejectUnauthorized: false }, handler)
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    port = (server.address() as AddressInfo).port
    close = () => {
      server.closeAllConnections()
      server.close()
    }
  })
  afterAll(() => {
    close()
    if (dir) rmSync(dir, { recursive: true, force: true })
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

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}
