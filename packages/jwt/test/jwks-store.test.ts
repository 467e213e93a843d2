// JWKS and OIDC discovery results shared between key sets (processes) through a JwksCacheStore, against a real
// JWKS HTTP server on loopback that counts its fetches. API Gateway caches an issuer's public keys for 2 hours:
// https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createJwks, createJwtVerifier, withJwksCacheStore, type Jwk, type JwksCacheStore } from '@gatehousejs/jwt'
import { makeKey, NOW_MS, sign, type TestKey } from './helpers'

let server: Server
let base = ''
let key: TestKey
let rotated: TestKey
let published: Jwk[] = []
const hits = { discovery: 0, jwks: 0 }

beforeAll(async () => {
  key = await makeKey('ES256', 'k1')
  rotated = await makeKey('ES256', 'k2')
  published = [key.jwk]
  server = createServer((request, response) => {
    response.setHeader('content-type', 'application/json')
    if (request.url === '/.well-known/openid-configuration') {
      hits.discovery++
      response.end(JSON.stringify({ issuer: base, jwks_uri: `${base}/jwks.json` }))
    } else if (request.url === '/jwks.json') {
      hits.jwks++
      // Slow enough that concurrent misses overlap.
      setTimeout(() => response.end(JSON.stringify({ keys: published })), 30)
    } else {
      response.statusCode = 404
      response.end('{}')
    }
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((r) => server.close(() => r())))

const reset = () => {
  hits.discovery = 0
  hits.jwks = 0
  published = [key.jwk]
}

/** An in-memory store with a lock, as Redis offers (SET NX PX): what separate processes would share. */
function memoryStore(now = Date.now) {
  const m = new Map<string, { v: string; until: number }>()
  const ops = { get: 0, set: 0, lock: 0 }
  const live = (k: string) => {
    const e = m.get(k)
    return e && e.until > now() ? e.v : undefined
  }
  const store: JwksCacheStore = {
    get: async (k) => (ops.get++, live(k)),
    set: async (k, v, ttl) => {
      ops.set++
      m.set(k, { v, until: now() + ttl })
      m.delete(`lock:${k}`)
    },
    lock: async (k, ttl) => {
      ops.lock++
      if (live(`lock:${k}`) !== undefined) return false
      m.set(`lock:${k}`, { v: '1', until: now() + ttl })
      return true
    },
  }
  return { store, m, ops }
}

describe('createJwks with a shared store', () => {
  it('four key sets (processes) missing at once make one discovery and one JWKS fetch', async () => {
    reset()
    const { store } = memoryStore()
    const sets = [0, 1, 2, 3].map(() => createJwks({ discoveryIssuer: base, store }))
    const keys = await Promise.all(sets.flatMap((s) => [0, 1, 2].map(() => s.getKey({ alg: 'ES256', kid: 'k1' }))))
    expect(keys.length).toBe(12)
    expect(hits).toEqual({ discovery: 1, jwks: 1 })
    expect(sets.map((s) => s.fetchCount).reduce((a, b) => a + b)).toBe(1)
  })

  it('a set fetched elsewhere keeps its age: it is fetched again 2 hours after the first fetch, not later', async () => {
    reset()
    let t = 1_000_000
    const now = () => t
    const { store } = memoryStore(now)
    const one = createJwks({ uri: `${base}/jwks.json`, store, now })
    await one.getKey({ alg: 'ES256', kid: 'k1' })
    t += 7_000_000 // 1 h 56 min later, another process starts
    const two = createJwks({ uri: `${base}/jwks.json`, store, now })
    await two.getKey({ alg: 'ES256', kid: 'k1' })
    expect(hits.jwks).toBe(1)
    t += 200_001 // 2 h after the one fetch: the store's entry expired, and `two` knows its set is as old
    await two.getKey({ alg: 'ES256', kid: 'k1' })
    expect(hits.jwks).toBe(2)
  })

  it('an unknown kid (a rotation) is fetched, not answered from an older shared set', async () => {
    reset()
    let t = 5_000_000
    const now = () => t
    const { store } = memoryStore(now)
    const one = createJwks({ uri: `${base}/jwks.json`, store, now })
    const two = createJwks({ uri: `${base}/jwks.json`, store, now })
    await one.getKey({ alg: 'ES256', kid: 'k1' })
    await two.getKey({ alg: 'ES256', kid: 'k1' })
    expect(hits.jwks).toBe(1)
    published = [key.jwk, rotated.jwk]
    t += 60_000
    await expect(two.getKey({ alg: 'ES256', kid: 'k2' })).resolves.toBeDefined()
    expect(hits.jwks).toBe(2)
    // `one` finds k2 in the set `two` just fetched (within the cooldown): no third fetch.
    await expect(one.getKey({ alg: 'ES256', kid: 'k2' })).resolves.toBeDefined()
    expect(hits.jwks).toBe(2)
  })

  it('a store that fails, hangs or holds garbage is worked around by fetching', async () => {
    reset()
    const failing: JwksCacheStore = {
      get: () => Promise.reject(new Error('down')),
      set: () => Promise.reject(new Error('down')),
      lock: () => Promise.reject(new Error('down')),
    }
    const hanging: JwksCacheStore = {
      get: () => new Promise(() => {}),
      set: () => new Promise(() => {}),
      lock: () => new Promise(() => {}),
    }
    for (const store of [failing, hanging]) {
      const jwks = createJwks({ uri: `${base}/jwks.json`, store, timeoutMs: 200 })
      await expect(jwks.getKey({ alg: 'ES256', kid: 'k1' })).resolves.toBeDefined()
    }
    expect(hits.jwks).toBe(2)
  })

  it('entries from the store are checked as fetched sets are (property): garbage is never trusted, never thrown', async () => {
    reset()
    const entry = fc.oneof(
      fc.string(),
      fc.json(),
      fc
        .record(
          {
            v: fc.oneof(fc.constant(1), fc.anything()),
            fetchedAt: fc.oneof(fc.constant(Date.now()), fc.double(), fc.anything()),
            jwksUri: fc.oneof(fc.constant(`${base}/jwks.json`), fc.constant('file:///etc/passwd'), fc.anything()),
            keys: fc.oneof(
              fc.array(fc.anything(), { maxLength: 3 }),
              fc.array(fc.constant({ kty: 'EC' }), { minLength: 101, maxLength: 102 }),
            ),
          },
          { requiredKeys: [] },
        )
        .map((o) => JSON.stringify(o)),
    )
    await fc.assert(
      fc.asyncProperty(entry, async (raw) => {
        const store: JwksCacheStore = { get: async () => raw, set: async () => {} }
        const jwks = createJwks({ discoveryIssuer: base, store })
        // Either the store's entry (which cannot hold k1: only our server's can) or a fetch that finds it.
        try {
          await jwks.getKey({ alg: 'ES256', kid: 'k1' })
        } catch (e) {
          expect((e as { code?: string }).code).toBe('JWKS_NO_MATCHING_KEY')
        }
      }),
      { numRuns: 60 },
    )
  })

  it('withJwksCacheStore carries the store through createJwtVerifier (as core passes it)', async () => {
    reset()
    const { store, ops } = memoryStore()
    const verifiers = [0, 1].map(() =>
      createJwtVerifier({ issuer: base, jwksUri: `${base}/jwks.json`, fetch: withJwksCacheStore(store), now: () => NOW_MS }),
    )
    const token = await sign(key, { iss: base })
    for (const v of verifiers) expect(await v.verify(token)).toMatchObject({ ok: true })
    expect(hits.jwks).toBe(1)
    expect(ops.set).toBe(1)
  })
})
