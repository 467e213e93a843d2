// Lambda authorizer results shared between gateways through `authorization.cacheStore`: first with a plain
// in-memory store (core's seam: expiry, corrupt entries, store failures reaching onError), then with
// createRedisAuthorizerCache on a real Redis (two gateways, one Redis: the authorizer runs once).
// Authorizer caching (TTL per identity source, deny cached too, default 300 s):
// https://docs.aws.amazon.com/apigateway/latest/developerguide/configure-api-gateway-lambda-authorization.html
// Authorizer output: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html
// Redis SET PX / PTTL: https://redis.io/docs/latest/commands/set/ , https://redis.io/docs/latest/commands/pttl/
import { afterAll, describe, expect, it } from 'vitest'
import { createGateway, type AuthorizationOptions, type LambdaHandler } from '@gatehousejs/core'
import { createRedisAuthorizerCache } from '@gatehousejs/redis'
import { createFakeClock, type FakeClock, recordInvocations, request } from '@gatehousejs/testing'
import { cleanUp, connectRedis, connectRedisReady, requireRedis, uniquePrefix } from '@gatehousejs/test-kit'

type CacheStore = NonNullable<AuthorizationOptions['cacheStore']>

const ARN = 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod'

const policy = (effect: 'Allow' | 'Deny', principalId: string) => ({
  principalId,
  policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: `${ARN}/*` }] },
  context: { user: principalId, n: 7 },
})

/** The authorizer: `allow-<name>` allows as <name>, `deny` denies, anything else is Unauthorized. */
function authorizers() {
  return recordInvocations({
    auth: async (event: { authorizationToken: string }) => {
      const token = event.authorizationToken
      if (token.startsWith('allow-')) return policy('Allow', token.slice(6))
      if (token === 'deny') return policy('Deny', 'nobody')
      throw new Error('Unauthorized')
    },
  })
}

function gateway(cacheStore: CacheStore, clock: FakeClock, auth: LambdaHandler, errors: unknown[] = [], ttl = 300) {
  return createGateway({
    apiId: 'abc123',
    accountId: '123456789012',
    stage: { stageName: 'prod' },
    api: {
      authorizers: { auth: { type: 'TOKEN', authorizerUri: 'auth', authorizerResultTtlInSeconds: ttl } },
      resources: {
        '/pets': { GET: { authorizationType: 'CUSTOM', authorizer: 'auth', integration: { type: 'AWS_PROXY', uri: 'pets' } } },
      },
    },
    functions: {
      auth,
      pets: async (event: { requestContext: { authorizer: Record<string, unknown> } }) => ({
        statusCode: 200,
        body: JSON.stringify(event.requestContext.authorizer),
      }),
    },
    now: clock.now,
    authorization: { cacheStore },
    onError: (e) => errors.push(e),
  })
}

function memoryStore() {
  const entries = new Map<string, { value: string; ttlMs: number }>()
  const store: CacheStore = {
    get: (key) => entries.get(key)?.value,
    set: (key, value, ttlMs) => {
      entries.set(key, { value, ttlMs })
    },
  }
  return { store, entries }
}

describe('authorization.cacheStore (core seam, in-memory store)', () => {
  it('a second gateway reuses the first one’s answer, context and integrationLatency 0 included', async () => {
    const clock = createFakeClock()
    const { store, entries } = memoryStore()
    const rec = authorizers()
    const one = gateway(store, clock, rec.functions.auth)
    const two = gateway(store, clock, rec.functions.auth)
    const first = await request(one).get('/pets').set('authorization', 'allow-alice').expect(200)
    expect(first.json()).toMatchObject({ principalId: 'alice', user: 'alice', n: '7' })
    expect(entries.size).toBe(1)
    const [key, entry] = [...entries][0]!
    expect(key).toContain('abc123/prod/authorizers/auth')
    expect(entry.ttlMs).toBe(300_000)
    const second = await request(two).get('/pets').set('authorization', 'allow-alice').expect(200)
    expect(second.json()).toEqual({ principalId: 'alice', user: 'alice', n: '7', integrationLatency: 0 })
    expect(rec.callsOf('auth')).toHaveLength(1)
    // A deny is cached and shared as well.
    await request(one).get('/pets').set('authorization', 'deny').expect(403)
    await request(two).get('/pets').set('authorization', 'deny').expect(403)
    expect(rec.callsOf('auth')).toHaveLength(2)
    // Unauthorized is never cached.
    await request(one).get('/pets').set('authorization', 'nope').expect(401)
    await request(two).get('/pets').set('authorization', 'nope').expect(401)
    expect(rec.callsOf('auth')).toHaveLength(4)
    expect(entries.size).toBe(2)
  })

  it('an answer from the store ends when its writer’s TTL ends, not a TTL later', async () => {
    const clock = createFakeClock()
    const { store } = memoryStore()
    const rec = authorizers()
    const one = gateway(store, clock, rec.functions.auth)
    const two = gateway(store, clock, rec.functions.auth)
    await request(one).get('/pets').set('authorization', 'allow-a').expect(200)
    clock.advance(200_000)
    await request(two).get('/pets').set('authorization', 'allow-a').expect(200)
    expect(rec.callsOf('auth')).toHaveLength(1)
    clock.advance(99_000)
    await request(two).get('/pets').set('authorization', 'allow-a').expect(200)
    expect(rec.callsOf('auth')).toHaveLength(1)
    // 300 s after the first call: expired everywhere, though the store (memory here) still holds the entry.
    clock.advance(1_000)
    await request(two).get('/pets').set('authorization', 'allow-a').expect(200)
    expect(rec.callsOf('auth')).toHaveLength(2)
  })

  it('a store that fails, or holds something else, reaches onError and the authorizer is called', async () => {
    const clock = createFakeClock()
    const rec = authorizers()
    const errors: unknown[] = []
    const failing: CacheStore = {
      get: () => Promise.reject(new Error('store down')),
      set: () => {
        throw new Error('store down (set)')
      },
    }
    const gw = gateway(failing, clock, rec.functions.auth, errors)
    await request(gw).get('/pets').set('authorization', 'allow-a').expect(200)
    expect(errors.map((e) => (e as Error).message)).toEqual(['store down', 'store down (set)'])
    const junk: CacheStore = { get: () => 'not json', set: () => {} }
    const errors2: unknown[] = []
    await request(gateway(junk, clock, rec.functions.auth, errors2))
      .get('/pets')
      .set('authorization', 'allow-a')
      .expect(200)
    expect(errors2).toHaveLength(1)
    const forged: CacheStore = { get: () => JSON.stringify({ v: { principalId: 'x' }, exp: clock.now() + 1000 }), set: () => {} }
    const errors3: unknown[] = []
    await request(gateway(forged, clock, rec.functions.auth, errors3))
      .get('/pets')
      .set('authorization', 'allow-a')
      .expect(200)
    expect(String((errors3[0] as Error).message)).toMatch(/no policyDocument/)
    expect(rec.callsOf('auth')).toHaveLength(3)
  })

  it('HTTP API simple responses (REQUEST, two identity sources) are shared, yes and no alike', async () => {
    const clock = createFakeClock()
    const { store, entries } = memoryStore()
    const rec = recordInvocations({
      auth: async (event: { identitySource: string[] }) => ({
        isAuthorized: event.identitySource[0] === 'yes',
        context: { tenant: event.identitySource[1], tags: ['a', 'b'] },
      }),
    })
    const http = () =>
      createGateway({
        apiType: 'HTTP',
        apiId: 'h77p',
        now: clock.now,
        authorization: { cacheStore: store },
        api: {
          authorizers: {
            auth: {
              type: 'REQUEST',
              authorizerUri: 'auth',
              authorizerPayloadFormatVersion: '2.0',
              enableSimpleResponses: true,
              identitySource: '$request.header.Authorization, $request.querystring.tenant',
              authorizerResultTtlInSeconds: 60,
            },
          },
          resources: {
            '/me': {
              GET: {
                authorizationType: 'CUSTOM',
                authorizer: 'auth',
                integration: { type: 'AWS_PROXY', uri: 'me', payloadFormatVersion: '2.0' },
              },
            },
          },
        },
        functions: {
          auth: rec.functions.auth,
          me: async (event: { requestContext: { authorizer: unknown } }) => ({
            statusCode: 200,
            body: JSON.stringify(event.requestContext.authorizer),
          }),
        },
      })
    const one = http()
    const two = http()
    await request(one).get('/me').query({ tenant: 't1' }).set('authorization', 'yes').expect(200)
    const shared = await request(two).get('/me').query({ tenant: 't1' }).set('authorization', 'yes').expect(200)
    expect(shared.json()).toEqual({ lambda: { tenant: 't1', tags: ['a', 'b'] } })
    await request(one).get('/me').query({ tenant: 't1' }).set('authorization', 'no').expect(403)
    await request(two).get('/me').query({ tenant: 't1' }).set('authorization', 'no').expect(403)
    // Another tenant is another identity.
    await request(two).get('/me').query({ tenant: 't2' }).set('authorization', 'yes').expect(200)
    expect(rec.callsOf('auth')).toHaveLength(3)
    expect(entries.size).toBe(3)
    expect([...entries.values()].every((e) => e.ttlMs === 60_000)).toBe(true)
  })

  it('with a store that locks, concurrent misses on two gateways call the function once; a holder that gives no answer is waited for a bounded time', async () => {
    const clock = createFakeClock()
    const { store } = memoryStore()
    const locks = new Set<string>()
    const locking: CacheStore = { ...store, lock: (key) => !locks.has(key) && Boolean(locks.add(key)) }
    let calls = 0
    const slow: LambdaHandler = async (event) => {
      calls++
      await new Promise((r) => setTimeout(r, 60))
      const token = (event as { authorizationToken: string }).authorizationToken
      if (token === 'nobody') throw new Error('Unauthorized')
      return policy('Allow', token)
    }
    const one = gateway(locking, clock, slow)
    const two = gateway(locking, clock, slow)
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        request(i % 2 ? one : two)
          .get('/pets')
          .set('authorization', 'carol'),
      ),
    )
    expect(answers.map((r) => r.statusCode)).toEqual(Array(10).fill(200))
    expect(calls).toBe(1)
    // Without `lock`, each gateway calls once (coalesced only within itself).
    calls = 0
    const plainOne = gateway(memoryStore().store, clock, slow)
    const shared = memoryStore().store
    const [p1, p2] = [gateway(shared, clock, slow), gateway(shared, clock, slow)]
    await Promise.all([request(p1).get('/pets').set('authorization', 'dave'), request(p2).get('/pets').set('authorization', 'dave')])
    expect(calls).toBe(2)
    expect(plainOne).toBeDefined()
    // An Unauthorized answer is never stored: the gateway that lost the claim waits (counted polls, at most the
    // function's timeout), then calls the function itself; both answer 401.
    calls = 0
    const errors: unknown[] = []
    const [u1, u2] = [gateway(locking, clock, slow, errors), gateway(locking, clock, slow, errors)]
    const refused = await Promise.all([
      request(u1).get('/pets').set('authorization', 'nobody'),
      request(u2).get('/pets').set('authorization', 'nobody'),
    ])
    expect(refused.map((r) => r.statusCode)).toEqual([401, 401])
    expect(calls).toBe(2)
    expect(errors).toEqual([])
  })

  it('TTL 0 uses neither cache nor store', async () => {
    const clock = createFakeClock()
    const { store, entries } = memoryStore()
    const rec = authorizers()
    const gw = gateway(store, clock, rec.functions.auth, [], 0)
    await request(gw).get('/pets').set('authorization', 'allow-a').expect(200)
    await request(gw).get('/pets').set('authorization', 'allow-a').expect(200)
    expect(rec.callsOf('auth')).toHaveLength(2)
    expect(entries.size).toBe(0)
  })
})

const available = await requireRedis('@gatehousejs/redis authorizer cache tests')
const a = available ? await connectRedisReady() : connectRedis()
const b = available ? await connectRedisReady() : connectRedis()

describe.skipIf(!available)('createRedisAuthorizerCache', () => {
  afterAll(async () => {
    await cleanUp(a)
    await a.quit()
    await b.quit()
  })

  it('two gateways, one Redis: the second gateway’s request hits the first’s cached result', async () => {
    const prefix = uniquePrefix()
    const clock = createFakeClock()
    const rec = authorizers()
    const storeOne = createRedisAuthorizerCache({ client: a, prefix })
    const storeTwo = createRedisAuthorizerCache({ client: b, prefix })
    const one = gateway(storeOne, clock, rec.functions.auth)
    const two = gateway(storeTwo, clock, rec.functions.auth)
    const first = await request(one).get('/pets').set('authorization', 'allow-alice').expect(200)
    expect(first.json()).toMatchObject({ principalId: 'alice', user: 'alice' })
    const second = await request(two).get('/pets').set('authorization', 'allow-alice').expect(200)
    expect(second.json()).toEqual({ principalId: 'alice', user: 'alice', n: '7', integrationLatency: 0 })
    expect(rec.callsOf('auth')).toHaveLength(1)
    expect(storeTwo.stats()).toEqual({ hits: 1, misses: 0, failures: 0 })
    // Another identity is another entry; a deny is shared too.
    await request(two).get('/pets').set('authorization', 'allow-bob').expect(200)
    await request(two).get('/pets').set('authorization', 'deny').expect(403)
    await request(one).get('/pets').set('authorization', 'deny').expect(403)
    await request(one).get('/pets').set('authorization', 'allow-bob').expect(200)
    expect(rec.callsOf('auth').map((c) => (c.event as { authorizationToken: string }).authorizationToken)).toEqual([
      'allow-alice',
      'allow-bob',
      'deny',
    ])
    // Past the TTL (by the gateways' clock) both ask the function again.
    clock.advance(300_000)
    await request(two).get('/pets').set('authorization', 'allow-alice').expect(200)
    await request(one).get('/pets').set('authorization', 'allow-alice').expect(200)
    expect(rec.callsOf('auth')).toHaveLength(4)
  })

  it('two gateways, one Redis, ten concurrent misses: the function runs once (SET NX claim)', async () => {
    const prefix = uniquePrefix()
    const clock = createFakeClock()
    let calls = 0
    const slow: LambdaHandler = async (event) => {
      calls++
      await new Promise((r) => setTimeout(r, 80))
      return policy('Allow', (event as { authorizationToken: string }).authorizationToken)
    }
    const one = gateway(createRedisAuthorizerCache({ client: a, prefix }), clock, slow)
    const two = gateway(createRedisAuthorizerCache({ client: b, prefix }), clock, slow)
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        request(i % 2 ? one : two)
          .get('/pets')
          .set('authorization', 'erin'),
      ),
    )
    expect(answers.map((r) => r.statusCode)).toEqual(Array(10).fill(200))
    expect(calls).toBe(1)
  })

  it('stores hashed keys with Redis’s own expiry, and answers undefined for a missing key', async () => {
    const prefix = uniquePrefix()
    const store = createRedisAuthorizerCache({ client: a, prefix })
    await store.set('abc123/prod/authorizers/auth#secret-token', '{"v":1}', 30_000)
    expect(await store.get('abc123/prod/authorizers/auth#secret-token')).toBe('{"v":1}')
    expect(await store.get('abc123/prod/authorizers/auth#other')).toBeUndefined()
    const keys = await a.keys(`${prefix}*`)
    expect(keys).toHaveLength(1)
    expect(keys[0]).toMatch(new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}authz:[0-9a-f]{64}$`))
    expect(keys[0]).not.toContain('secret-token')
    const ttl = await a.pttl(keys[0]!)
    expect(ttl).toBeGreaterThan(25_000)
    expect(ttl).toBeLessThanOrEqual(30_000)
    await store.set('short', 'x', 50)
    await new Promise((r) => setTimeout(r, 120))
    expect(await store.get('short')).toBeUndefined()
    // Too large for the store, or no TTL: kept in memory only.
    const small = createRedisAuthorizerCache({ client: a, prefix, maxValueLength: 4 })
    await small.set('big', '12345', 30_000)
    await small.set('no-ttl', '1', 0)
    expect(await small.get('big')).toBeUndefined()
    expect(await small.get('no-ttl')).toBeUndefined()
  })

  it('Redis unreachable: each operation rejects and is counted; the gateway reports it and still authorizes', async () => {
    const down = connectRedis(1, { lazyConnect: true, retryStrategy: () => null })
    const store = createRedisAuthorizerCache({ client: down, timeoutMs: 200 })
    await expect(store.get('k')).rejects.toThrow()
    expect(store.stats().failures).toBe(1)
    const errors: unknown[] = []
    const rec = authorizers()
    const gw = gateway(store, createFakeClock(), rec.functions.auth, errors)
    await request(gw).get('/pets').set('authorization', 'allow-a').expect(200)
    await request(gw).get('/pets').set('authorization', 'allow-a').expect(200)
    expect(rec.callsOf('auth')).toHaveLength(1)
    // The read, the claim (a failed claim calls the function at once) and the write: each reported, each counted.
    expect(errors).toHaveLength(3)
    expect(store.stats().failures).toBe(4)
    down.disconnect()
  })
})
