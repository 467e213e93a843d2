// JWKS and OIDC discovery shared through Redis by two gateways (as two processes), against a real JWKS HTTP
// server on loopback counting its fetches: concurrent misses make one discovery and one JWKS fetch in all.
// HTTP API JWT authorizers (keys cached 2 hours): https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html
// Redis SET NX PX: https://redis.io/docs/latest/commands/set/
import { createHash } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createGateway } from '@gatehousejs/core'
import { createRedisJwksStore } from '@gatehousejs/redis'
import { createTestIssuer, type TestIssuer } from '@gatehousejs/testing'
import { connectRedis, connectRedisReady, requireRedis, uniquePrefix } from '@gatehousejs/test-kit'
import type { Redis } from 'ioredis'

const available = await requireRedis('@gatehousejs/redis JWKS store tests')
const prefix = uniquePrefix()
const clients: Redis[] = []
let server: Server
let idp: TestIssuer
const hits = { discovery: 0, jwks: 0 }

beforeAll(async () => {
  server = createServer((request, response) => {
    response.setHeader('content-type', 'application/json')
    if (request.url === '/.well-known/openid-configuration') {
      hits.discovery++
      response.end(JSON.stringify({ issuer: idp.issuer, jwks_uri: `${idp.issuer}/jwks.json` }))
    } else if (request.url === '/jwks.json') {
      hits.jwks++
      setTimeout(() => response.end(JSON.stringify(idp.jwks)), 40)
    } else {
      response.statusCode = 404
      response.end('{}')
    }
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  idp = createTestIssuer({ issuer: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, audience: 'api' })
})

afterAll(async () => {
  if (clients[0]) {
    const keys = await clients[0].keys(`${prefix}*`)
    if (keys.length > 0) await clients[0].del(...keys)
  }
  for (const c of clients) c.disconnect()
  await new Promise<void>((r) => server.close(() => r()))
})

function gateway(jwksStore: ReturnType<typeof createRedisJwksStore>, errors: unknown[] = []) {
  const integration = { type: 'aws_proxy', httpMethod: 'POST', uri: 'pets', payloadFormatVersion: '2.0' }
  return createGateway({
    apiType: 'HTTP',
    api: {
      openapi: '3.0.1',
      info: { title: 'pets', version: '1' },
      components: {
        securitySchemes: {
          jwt: {
            type: 'oauth2',
            flows: {},
            'x-amazon-apigateway-authorizer': {
              type: 'jwt',
              identitySource: '$request.header.Authorization',
              jwtConfiguration: { issuer: idp.issuer, audience: ['api'] },
            },
          },
        },
      },
      paths: { '/pets': { get: { security: [{ jwt: [] }], 'x-amazon-apigateway-integration': integration } } },
    },
    functions: { pets: async () => ({ statusCode: 200, body: '[]' }) },
    authorization: { jwksStore },
    onError: (e) => errors.push(e),
  })
}

describe.skipIf(!available)('createRedisJwksStore', () => {
  it('two gateways missing at once make one discovery and one JWKS fetch between them', async () => {
    const stores = await Promise.all(
      [0, 1].map(async () => {
        const client = await connectRedisReady()
        clients.push(client)
        return createRedisJwksStore({ client, prefix })
      }),
    )
    const gateways = stores.map((s) => gateway(s))
    const token = idp.sign({ sub: 'alice' })
    const calls = gateways.flatMap((gw) =>
      [0, 1, 2, 3, 4].map(() => gw.handle({ method: 'GET', path: '/pets', headers: { authorization: `Bearer ${token}` } })),
    )
    const answers = await Promise.all(calls)
    expect(answers.map((a) => a.statusCode)).toEqual(Array(10).fill(200))
    expect(hits).toEqual({ discovery: 1, jwks: 1 })
    const [a, b] = stores.map((s) => s.stats())
    expect(a!.fetchesClaimed + b!.fetchesClaimed).toBe(1)
    // The entry lives in Redis with the 2-hour TTL.
    const [key] = await clients[0]!.keys(`${prefix}jwks:*`)
    const ttl = await clients[0]!.pttl(key!)
    expect(ttl).toBeGreaterThan(7_000_000)
    expect(ttl).toBeLessThanOrEqual(7_200_000)
  })

  it('a hostile entry in Redis is not trusted: the gateway fetches the set itself', async () => {
    hits.discovery = 0
    hits.jwks = 0
    const client = await connectRedisReady()
    clients.push(client)
    const own = `${prefix}hostile:`
    const key = `${own}jwks:{${createHash('sha256').update(`oidc:${idp.issuer}`).digest('hex')}}`
    const forged = { v: 1, fetchedAt: Date.now() + 86_400_000, jwksUri: 'http://127.0.0.1:1/evil', keys: [] }
    for (const value of [
      'not json',
      JSON.stringify(forged),
      JSON.stringify({ ...forged, fetchedAt: Date.now(), jwksUri: 'file:///etc/passwd' }),
    ]) {
      await client.set(key, value)
      const gw = gateway(createRedisJwksStore({ client, prefix: own }))
      const res = await gw.handle({ method: 'GET', path: '/pets', headers: { authorization: `Bearer ${idp.sign()}` } })
      expect(res.statusCode).toBe(200)
    }
    expect(hits).toEqual({ discovery: 3, jwks: 3 })
  })

  it('with Redis unreachable, the gateway fetches by itself and onError hears of it', async () => {
    hits.discovery = 0
    hits.jwks = 0
    const client = connectRedis(1, { retryStrategy: () => null, lazyConnect: true })
    clients.push(client)
    const storeErrors: Error[] = []
    const store = createRedisJwksStore({ client, prefix, onError: (e) => storeErrors.push(e) })
    const gw = gateway(store)
    const res = await gw.handle({ method: 'GET', path: '/pets', headers: { authorization: `Bearer ${idp.sign()}` } })
    expect(res.statusCode).toBe(200)
    expect(hits).toEqual({ discovery: 1, jwks: 1 })
    expect(storeErrors.length).toBeGreaterThan(0)
    expect(store.stats().failures).toBe(storeErrors.length)
  })
})
