// Throttling end to end through handle(), with an injected clock: stage default and per-method settings, the
// account limit, usage-plan per-key and per-key-per-method limits, and the opt-in RateLimit headers.
// Levels and order: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html
// HTTP APIs: https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-throttling.html
// Answer: https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
//   (THROTTLED 429 "Too Many Requests")
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createGateway, EVERY_METHOD, GatewayConfigError, type GatewayInput, type GatewayResponse } from '@gatehousejs/core'
import { createMemoryStore, type Store } from '@gatehousejs/throttle'
import { header, json, req } from './helpers'

const T0 = Date.UTC(2025, 0, 15, 12, 0, 0)
const A = 'alice-key-0123456789abcdef'
const B = 'bob-key-0123456789abcdefgh'
const mock = { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode":200}' }, responses: { default: { statusCode: '200' } } }
const keyed = (m: Record<string, unknown> = {}) => ({ apiKeyRequired: true, integration: mock, ...m })
const api = {
  resources: {
    '/pets': { GET: { integration: mock }, POST: { integration: mock } },
    '/pets/{id}': { GET: { integration: mock } },
    '/keyed': { GET: keyed(), POST: keyed() },
  },
}

function clocked(input: Partial<GatewayInput>) {
  let t = T0
  const gw = createGateway({
    api,
    apiId: 'abc123',
    now: () => t,
    apiKeys: [
      { id: 'a', value: A },
      { id: 'b', value: B },
    ],
    ...input,
  })
  const call = (method: string, path: string, key?: string) => gw.handle(req(method, path, key ? { headers: { 'x-api-key': key } } : {}))
  const statuses = async (n: number, method: string, path: string, key?: string) => {
    const out: number[] = []
    for (let i = 0; i < n; i++) out.push((await call(method, path, key)).statusCode)
    return out
  }
  return { gw, call, statuses, advance: (ms: number) => (t += ms) }
}

function expectThrottled(res: GatewayResponse) {
  expect(res.statusCode).toBe(429)
  expect(json(res)).toEqual({ message: 'Too Many Requests' })
  expect(header(res, 'x-amzn-ErrorType')).toBe('TooManyRequestsException')
}

const stage = (methodSettings: Record<string, { throttlingRateLimit?: number; throttlingBurstLimit?: number }>) => ({
  stageName: 'prod',
  methodSettings,
})

describe('stage and method throttling', () => {
  it('throttles each method at the stage default (*/*), refilling at the rate', async () => {
    const c = clocked({ stage: stage({ '*/*': { throttlingRateLimit: 1, throttlingBurstLimit: 2 } }) })
    expect(await c.statuses(3, 'GET', '/pets')).toEqual([200, 200, 429])
    expectThrottled(await c.call('GET', '/pets'))
    // Each method has its own bucket at the stage's settings.
    expect(await c.statuses(3, 'POST', '/pets')).toEqual([200, 200, 429])
    expect(await c.statuses(1, 'GET', '/pets/1')).toEqual([200])
    c.advance(999)
    expect(await c.statuses(1, 'GET', '/pets')).toEqual([429])
    c.advance(1)
    expect(await c.statuses(2, 'GET', '/pets')).toEqual([200, 429])
  })

  it('EVERY_METHOD is that key, spelled as API Gateway spells it', async () => {
    expect(EVERY_METHOD).toBe('*' + '/' + '*')
    const c = clocked({ stage: stage({ [EVERY_METHOD]: { throttlingRateLimit: 1, throttlingBurstLimit: 1 } }) })
    expect(await c.statuses(2, 'GET', '/pets')).toEqual([200, 429])
  })

  // Per-method settings override the stage default; the key forms GetStage and the console use are accepted.
  it.each([['/pets/GET'], ['~1pets/GET'], ['pets/get'], ['/pets/*']])('per-method settings %s override */*', async (key) => {
    const c = clocked({
      stage: stage({
        '*/*': { throttlingRateLimit: 0, throttlingBurstLimit: 1 },
        [key]: { throttlingRateLimit: 0, throttlingBurstLimit: 3 },
      }),
    })
    expect(await c.statuses(4, 'GET', '/pets')).toEqual([200, 200, 200, 429])
    expect(await c.statuses(2, 'GET', '/pets/1')).toEqual([200, 429])
  })

  it('applies the account limit across every method', async () => {
    const c = clocked({ accountThrottle: { rateLimit: 0, burstLimit: 3 } })
    expect([...(await c.statuses(2, 'GET', '/pets')), ...(await c.statuses(2, 'POST', '/pets'))]).toEqual([200, 200, 200, 429])
  })

  it('shares the account bucket between gateways on one store', async () => {
    const store = createMemoryStore()
    const one = clocked({ store, accountThrottle: { rateLimit: 0, burstLimit: 2 } })
    const two = clocked({ store, accountThrottle: { rateLimit: 0, burstLimit: 2 } })
    expect([
      (await one.call('GET', '/pets')).statusCode,
      (await two.call('GET', '/pets')).statusCode,
      (await one.call('GET', '/pets')).statusCode,
    ]).toEqual([200, 200, 429])
  })

  it('throttles HTTP API routes by routeSettings and defaultRouteSettings', async () => {
    const c = clocked({
      apiType: 'HTTP',
      apiKeys: undefined,
      onWarning: () => {},
      stage: {
        stageName: '$default',
        defaultRouteSettings: { throttlingRateLimit: 0, throttlingBurstLimit: 1 },
        routeSettings: { 'GET /pets': { throttlingRateLimit: 0, throttlingBurstLimit: 2 } },
      },
    })
    expect(await c.statuses(3, 'GET', '/pets')).toEqual([200, 200, 429])
    expect(await c.statuses(2, 'POST', '/pets')).toEqual([200, 429])
    const res = await c.call('POST', '/pets')
    expect([res.statusCode, json(res)]).toEqual([429, { message: 'Too Many Requests' }])
  })

  // [case, methodSettings, message fragment]
  const bad: [string, Record<string, unknown>, string][] = [
    ['malformed key', { pets: { throttlingRateLimit: 1, throttlingBurstLimit: 1 } }, '/{resource}/{METHOD}'],
    ['unknown method', { '/pets/DELETE': { throttlingRateLimit: 1, throttlingBurstLimit: 1 } }, 'no method'],
    ['negative rate', { '*/*': { throttlingRateLimit: -1, throttlingBurstLimit: 1 } }, 'rate'],
    ['fractional burst', { '*/*': { throttlingRateLimit: 1, throttlingBurstLimit: 1.5 } }, 'burst'],
  ]
  it.each(bad)('rejects %s at build time', (_name, methodSettings, fragment) => {
    let error: unknown
    try {
      createGateway({ api, stage: stage(methodSettings as never) })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(GatewayConfigError)
    expect((error as GatewayConfigError).code).toBe('INVALID_OPTION')
    expect((error as GatewayConfigError).message).toContain(fragment)
  })
})

describe('usage plan throttling (per client, per client per method)', () => {
  const plan = (extra: Record<string, unknown> = {}) => ({
    usagePlans: [{ id: 'gold', throttle: { rateLimit: 1, burstLimit: 2 }, apiStages: [{ stage: 'prod' }], keys: ['a', 'b'], ...extra }],
  })

  it('gives each key its own bucket at the plan throttle', async () => {
    const c = clocked(plan())
    expect(await c.statuses(3, 'GET', '/keyed', A)).toEqual([200, 200, 429])
    expectThrottled(await c.call('GET', '/keyed', A))
    expect(await c.statuses(3, 'GET', '/keyed', B)).toEqual([200, 200, 429])
    c.advance(1000)
    expect(await c.statuses(2, 'GET', '/keyed', A)).toEqual([200, 429])
  })

  it('the plan throttle spans the methods; a per-method override narrows one method per key', async () => {
    const c = clocked(
      plan({
        throttle: { rateLimit: 0, burstLimit: 4 },
        apiStages: [{ stage: 'prod', throttle: { '/keyed/GET': { rateLimit: 0, burstLimit: 1 } } }],
      }),
    )
    expect(await c.statuses(2, 'GET', '/keyed', A)).toEqual([200, 429])
    expect(await c.statuses(2, 'GET', '/keyed', B)).toEqual([200, 429])
    // A's plan bucket: 1 (GET) + 1 refused at the method level (costs nothing at the plan level) → 3 left.
    expect(await c.statuses(4, 'POST', '/keyed', A)).toEqual([200, 200, 200, 429])
  })

  it('a request refused at the plan level costs nothing at the stage; one refused at the stage keeps its plan token', async () => {
    const c = clocked({
      ...plan({ throttle: { rateLimit: 0, burstLimit: 2 } }),
      stage: stage({ '/keyed/GET': { throttlingRateLimit: 0, throttlingBurstLimit: 3 } }),
    })
    // A: two admitted, the third refused by A's plan bucket before the stage bucket is touched.
    expect(await c.statuses(3, 'GET', '/keyed', A)).toEqual([200, 200, 429])
    // The stage bucket (3) has 1 left: B's first passes, B's second is refused by the stage…
    expect(await c.statuses(2, 'GET', '/keyed', B)).toEqual([200, 429])
    // …and that refusal took B's last plan token: B is now refused at the plan level on every method.
    expect(await c.statuses(1, 'POST', '/keyed', B)).toEqual([429])
  })

  it('keeps every key within burst + rate × elapsed (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({ key: fc.constantFrom(A, B), wait: fc.integer({ min: 0, max: 700 }), method: fc.constantFrom('GET', 'POST') }),
          { minLength: 1, maxLength: 40 },
        ),
        async (ops) => {
          const c = clocked({ ...plan({ throttle: { rateLimit: 2, burstLimit: 3 } }) })
          const admitted = new Map<string, number>()
          let elapsed = 0
          for (const op of ops) {
            c.advance(op.wait)
            elapsed += op.wait
            const res = await c.call(op.method, '/keyed', op.key)
            expect([200, 429]).toContain(res.statusCode)
            if (res.statusCode === 200) admitted.set(op.key, (admitted.get(op.key) ?? 0) + 1)
          }
          for (const n of admitted.values()) expect(n).toBeLessThanOrEqual(3 + Math.floor((2 * elapsed) / 1000))
        },
      ),
      { numRuns: 60 },
    )
  })
})

describe('RateLimit headers (opt-in)', () => {
  const input = {
    rateLimitHeaders: true,
    stage: stage({ '*/*': { throttlingRateLimit: 10, throttlingBurstLimit: 20 } }),
    usagePlans: [
      {
        id: 'gold',
        throttle: { rateLimit: 1, burstLimit: 2 },
        quota: { limit: 100, period: 'DAY' as const },
        apiStages: [{ stage: 'prod' }],
        keys: ['a'],
      },
    ],
  }

  it('are absent by default', async () => {
    const c = clocked({ ...input, rateLimitHeaders: false })
    const res = await c.call('GET', '/keyed', A)
    expect(header(res, 'ratelimit')).toBeUndefined()
    expect(header(res, 'ratelimit-policy')).toBeUndefined()
  })

  it('advertise every level the request was measured against', async () => {
    const c = clocked(input)
    const res = await c.call('GET', '/keyed', A)
    expect(res.statusCode).toBe(200)
    expect(header(res, 'ratelimit-policy')).toBe('"usage-plan";q=2;w=2, "stage";q=20;w=2, "quota";q=100;w=86400')
    expect(header(res, 'ratelimit')).toBe('"usage-plan";r=1;t=1, "stage";r=19;t=1, "quota";r=99;t=43200')
  })

  it('come with a refusal too', async () => {
    const c = clocked(input)
    await c.statuses(2, 'GET', '/keyed', A)
    const res = await c.call('GET', '/keyed', A)
    expectThrottled(res)
    expect(header(res, 'ratelimit')).toBe('"usage-plan";r=0;t=2')
  })

  it('on methods without API keys, advertise the stage', async () => {
    const c = clocked(input)
    expect(header(await c.call('GET', '/pets'), 'ratelimit')).toBe('"stage";r=19;t=1')
  })
})

describe('asynchronous stores (the Store contract Redis implements)', () => {
  /** The memory store behind Promises, and one that cannot decide (a Redis outage) failing open or closed. */
  const asyncStore = (): Store => {
    const m = createMemoryStore()
    return {
      take: async (...a) => m.take(...a),
      consume: async (...a) => m.consume(...a),
      recordUsage: async (...a) => m.recordUsage(...a),
      readUsage: async (...a) => m.readUsage(...a),
    }
  }
  const down = (open: boolean): Store => ({
    take: async (_k, p) => ({
      allowed: open,
      remaining: 0,
      limit: p.burst,
      retryAfterMs: 0,
      nextTokenMs: 0,
      resetMs: 0,
      unavailable: true,
    }),
    consume: async (_k, p) => ({ allowed: open, used: 0, remaining: 0, limit: p.limit, resetAt: 0, unavailable: true }),
  })
  const input = (store: Store) => ({
    store,
    stage: stage({ '*/*': { throttlingRateLimit: 0, throttlingBurstLimit: 3 } }),
    usagePlans: [
      {
        id: 'gold',
        throttle: { rateLimit: 0, burstLimit: 2 },
        quota: { limit: 1, period: 'DAY' as const },
        apiStages: [{ stage: 'prod' }],
        keys: ['a', 'b'],
      },
    ],
  })

  it('gives the same answers as the in-memory store', async () => {
    const c = clocked(input(asyncStore()))
    expect(await c.statuses(1, 'GET', '/keyed', A)).toEqual([200])
    expect(json(await c.call('GET', '/keyed', A))).toEqual({ message: 'Limit Exceeded' })
    expect(json(await c.call('GET', '/keyed', A))).toEqual({ message: 'Too Many Requests' })
    expect(await c.statuses(3, 'GET', '/pets')).toEqual([200, 200, 200])
  })

  it('fails open, or closed with 503, when the store cannot decide', async () => {
    expect(await clocked(input(down(true))).statuses(2, 'GET', '/keyed', A)).toEqual([200, 200])
    const res = await clocked(input(down(false))).call('GET', '/keyed', A)
    expect(res.statusCode).toBe(503)
    expect(json(res)).toEqual({ message: 'Service Unavailable' })
  })
})
