// Mutual TLS per custom domain: one HTTPS server, two domain names chosen by SNI; one requires client certificates
// that chain to its truststore, the other does not. A missing or untrusted certificate gets HTTP 403 Forbidden (the
// handshake does not fail), and a verified one is `$context.identity.clientCert`.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mutual-tls.html
// https://repost.aws/knowledge-center/api-gateway-mutual-tls-403-errors (issuer not in the truststore, self-signed:
// "API Gateway fails the TLS connection and returns a 403 status code")
// https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html (clientCert)
import type { AddressInfo } from 'node:net'
import { request } from 'node:https'
import type { TLSSocket } from 'node:tls'
import { createDomain, createGateway, GatewayConfigError } from '@gatehousejs/core'
import { createDomainServer, TruststoreError } from '@gatehousejs/node'
import { createCertificateDir, requireOpenssl, type CertificateDir } from '@gatehousejs/test-kit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { json, req } from '../helpers'

const PARTNERS = 'partners.example.com'
const OPEN = 'api.example.com'
/** A second mutual-TLS domain, trusting another CA: its clients must not reach PARTNERS. */
const OTHER = 'other.example.com'
const echo = async (event: any) => ({
  statusCode: 200,
  body: JSON.stringify({
    path: event.path ?? event.rawPath,
    identity: event.requestContext.identity ?? null,
    // Payload 1.0: requestContext.identity.clientCert; payload 2.0: requestContext.authentication.clientCert.
    clientCert: event.requestContext.identity?.clientCert ?? event.requestContext.authentication?.clientCert ?? null,
  }),
})

function gateway(apiType: 'REST' | 'HTTP', payloadFormatVersion = '1.0') {
  return createGateway({
    apiType,
    api: {
      openapi: '3.0.1',
      info: { title: apiType, version: '1' },
      paths: {
        '/me': {
          get: {
            'x-amazon-apigateway-integration': {
              type: 'aws_proxy',
              httpMethod: 'POST',
              uri: 'echo',
              ...(apiType === 'HTTP' ? { payloadFormatVersion } : {}),
            },
          },
        },
      },
    },
    functions: { echo },
    onWarning: () => {},
  })
}

let certs: CertificateDir | undefined
const file = (name: string) => certs!.file(name)

describe('createDomain mutualTls without a server', () => {
  const pem = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'
  it('refuses a request without a client certificate with 403 Forbidden', async () => {
    const domain = createDomain({ domainName: PARTNERS, mappings: { v1: gateway('REST') }, mutualTls: { truststore: pem } })
    const res = await domain.handle(req('GET', '/v1/me', { headers: { host: PARTNERS } }))
    expect([res.statusCode, json(res)]).toEqual([403, { message: 'Forbidden' }])
    expect(domain.mutualTls?.truststore).toBe(pem)
  })

  it('checks the truststore when the domain is built', () => {
    const gw = gateway('REST')
    for (const mutualTls of [{ truststore: 'not pem' }, { truststore: 42 }, {}, null]) {
      expect(() => createDomain({ domainName: PARTNERS, mappings: { v1: gw }, mutualTls: mutualTls as never })).toThrow(GatewayConfigError)
    }
    expect(() => createDomain({ domainName: PARTNERS, mappings: { v1: gw }, mutualTls: { truststore: [Buffer.from(pem)] } })).not.toThrow()
  })

  it('createDomainServer refuses a truststore that does not parse, an mTLS domain without a name, a name without a certificate', () => {
    const gw = gateway('REST')
    const broken = createDomain({ domainName: PARTNERS, mappings: { v1: gw }, mutualTls: { truststore: pem } })
    expect(() => createDomainServer([broken], { certificates: { [PARTNERS]: {} } })).toThrow(TruststoreError)
    const nameless = createDomain({ mappings: { v1: gw }, mutualTls: { truststore: pem } })
    expect(() => createDomainServer([nameless], { certificates: {} })).toThrow(/needs a domainName/)
    const open = createDomain({ domainName: OPEN, mappings: { v1: gw } })
    expect(() => createDomainServer([open], { certificates: { 'other.example.com': {} } })).toThrow(/no certificate for api\.example\.com/)
  })
})

// Certificates are made with openssl: without it the suite is skipped, except under CI, where that fails.
describe.skipIf(!requireOpenssl('domain mutual TLS tests'))('one HTTPS server, two domains, one with mutual TLS', () => {
  let port = 0
  let close = () => {}
  beforeAll(async () => {
    certs = createCertificateDir('gatehouse-domain-mtls-')
    certs.issue('server-ca', '/CN=Server CA', null)
    certs.issue('partners', `/CN=${PARTNERS}`, 'server-ca')
    certs.issue('open', `/CN=${OPEN}`, 'server-ca')
    certs.issue('other', `/CN=${OTHER}`, 'server-ca')
    certs.issue('partners-ca', '/CN=Partners CA', null)
    certs.issue('alice', '/CN=alice/O=Partner', 'partners-ca')
    certs.issue('expired', '/CN=old/O=Partner', 'partners-ca', '-1')
    certs.issue('rogue-ca', '/CN=Rogue CA', null)
    certs.issue('mallory', '/CN=mallory/O=Partner', 'rogue-ca')
    certs.issue('eve', '/CN=eve/O=Partner', null)
    const partners = createDomain({
      domainName: PARTNERS,
      mappings: { v1: gateway('REST'), 'orders/v2': gateway('HTTP', '2.0') },
      mutualTls: { truststore: file('partners-ca.crt') },
    })
    const open = createDomain({ domainName: OPEN, mappings: { '(none)': gateway('HTTP') } })
    const other = createDomain({ domainName: OTHER, mappings: { v1: gateway('REST') }, mutualTls: { truststore: file('rogue-ca.crt') } })
    const server = createDomainServer([partners, open, other], {
      certificates: {
        [PARTNERS]: { key: file('partners.key'), cert: file('partners.crt') },
        [OPEN]: { key: file('open.key'), cert: file('open.crt') },
        [OTHER]: { key: file('other.key'), cert: file('other.crt') },
      },
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
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

  /** GET `path` on a fresh connection with server name `sni`, `Host` header `host`, and the client certificate `client`. */
  const get = (path: string, sni: string, host: string, client?: string) =>
    new Promise<{ status: number; body: any; serverCN: unknown }>((resolve, reject) => {
      const r = request(
        {
          host: '127.0.0.1',
          port,
          path,
          servername: sni,
          headers: { host },
          ca: file('server-ca.crt'),
          agent: false,
          ...(client ? { key: file(`${client}.key`), cert: file(`${client}.crt`) } : {}),
        },
        (res) => {
          const serverCN = (res.socket as TLSSocket).getPeerCertificate().subject?.CN
          let text = ''
          res.on('data', (d: Buffer) => (text += d.toString()))
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text), serverCN }))
        },
      )
      r.on('error', reject)
      r.end()
    })

  it('the mTLS domain: a trusted client reaches the API, its certificate in $context.identity.clientCert', async () => {
    const res = await get('/v1/me', PARTNERS, PARTNERS, 'alice')
    expect(res.status).toBe(200)
    expect(res.serverCN).toBe(PARTNERS)
    expect(res.body.path).toBe('/v1/me')
    const cert = res.body.identity.clientCert
    expect(cert.subjectDN).toBe('CN=alice,O=Partner')
    expect(cert.issuerDN).toBe('CN=Partners CA')
    expect(cert.clientCertPem).toBe(file('alice.crt').toString().replace(/\r\n/g, '\n'))
    // An HTTP API (payload 2.0) on the same domain gets it as requestContext.authentication.clientCert.
    const http = await get('/orders/v2/me', PARTNERS, PARTNERS, 'alice')
    expect([http.status, http.body.path, http.body.clientCert.subjectDN]).toEqual([200, '/orders/v2/me', 'CN=alice,O=Partner'])
    expect((await get('/orders/v2/me', PARTNERS, PARTNERS)).status).toBe(403)
  })

  for (const [name, client] of [
    ['no certificate', undefined],
    ['a certificate from an issuer not in the truststore', 'mallory'],
    ['a self-signed certificate', 'eve'],
    ['an expired certificate', 'expired'],
  ] as const) {
    it(`the mTLS domain: ${name} gets 403 Forbidden`, async () => {
      const res = await get('/v1/me', PARTNERS, PARTNERS, client)
      expect([res.status, res.body]).toEqual([403, { message: 'Forbidden' }])
    })
  }

  it('the other domain: its own certificate, no client certificate needed, and none reported', async () => {
    const plain = await get('/me', OPEN, OPEN)
    expect([plain.status, plain.serverCN, plain.body.path]).toEqual([200, OPEN, '/me'])
    expect(plain.body.clientCert).toBeNull()
    const withCert = await get('/me', OPEN, OPEN, 'alice')
    expect(withCert.status).toBe(200)
    expect(withCert.body.clientCert).toBeNull()
  })

  it('a connection made for another name cannot reach the mTLS domain by its Host header', async () => {
    for (const client of [undefined, 'alice']) {
      const res = await get('/v1/me', OPEN, PARTNERS, client)
      expect([res.status, res.body]).toEqual([403, { message: 'Forbidden' }])
    }
    // mallory is trusted by the other mTLS domain (each domain its own truststore)…
    const there = await get('/v1/me', OTHER, OTHER, 'mallory')
    expect([there.status, there.serverCN, there.body.identity.clientCert.issuerDN]).toEqual([200, OTHER, 'CN=Rogue CA'])
    // …and a connection verified there is not verified for PARTNERS.
    const crossed = await get('/v1/me', OTHER, PARTNERS, 'mallory')
    expect([crossed.status, crossed.body]).toEqual([403, { message: 'Forbidden' }])
    // Nor is alice, PARTNERS' own client, on OTHER.
    expect((await get('/v1/me', OTHER, OTHER, 'alice')).status).toBe(403)
  })

  it('a Host no domain has gets 403 Forbidden', async () => {
    const res = await get('/me', OPEN, 'evil.example.com')
    expect([res.status, res.body]).toEqual([403, { message: 'Forbidden' }])
  })
})
