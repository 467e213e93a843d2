// Usage plans end to end: quotas per key across period boundaries (injected clock), GetUsage, the management
// API, and one run through a real adapter (@gatehousejs/node over a socket).
// Usage plans: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html
// QuotaSettings: https://docs.aws.amazon.com/apigateway/latest/api/API_QuotaSettings.html
// GetUsage: https://docs.aws.amazon.com/apigateway/latest/api/API_GetUsage.html
// Answers: https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
//   (QUOTA_EXCEEDED 429 "Limit Exceeded", THROTTLED 429 "Too Many Requests", INVALID_API_KEY 403 "Forbidden")
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createGateway, createUsagePlanRegistry, UsagePlanAdminError, type GatewayInput, type UsagePlanRegistry } from '@gatehousejs/core'
import { header, json, req } from './helpers'

const A = 'alice-key-0123456789abcdef'
const B = 'bob-key-0123456789abcdefgh'
const mock = { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode":200}' }, responses: { default: { statusCode: '200' } } }
const api = { resources: { '/keyed': { GET: { apiKeyRequired: true, integration: mock } }, '/open': { GET: { integration: mock } } } }
const DAY = 86_400_000

function setup(
  quota: { limit: number; period: 'DAY' | 'WEEK' | 'MONTH'; offset?: number },
  start: number,
  input: Partial<GatewayInput> = {},
) {
  let t = start
  const registry = createUsagePlanRegistry({
    now: () => t,
    apiKeys: [
      { id: 'a', value: A },
      { id: 'b', value: B },
    ],
    usagePlans: [{ id: 'free', quota, apiStages: [{ stage: 'prod' }], keys: ['a', 'b'] }],
  })
  const gw = createGateway({ api, now: () => t, usagePlans: registry, ...input })
  const call = (key: string) => gw.handle(req('GET', '/keyed', { headers: { 'x-api-key': key } }))
  const statuses = async (n: number, key: string) => {
    const out: number[] = []
    for (let i = 0; i < n; i++) out.push((await call(key)).statusCode)
    return out
  }
  return { gw, registry, call, statuses, set: (ms: number) => (t = ms) }
}

describe('quota', () => {
  it('answers 429 Limit Exceeded once a key spent its quota, per key', async () => {
    const s = setup({ limit: 2, period: 'DAY' }, Date.UTC(2025, 0, 15, 10))
    expect(await s.statuses(3, A)).toEqual([200, 200, 429])
    const res = await s.call(A)
    expect(res.statusCode).toBe(429)
    expect(json(res)).toEqual({ message: 'Limit Exceeded' })
    expect(header(res, 'x-amzn-ErrorType')).toBe('LimitExceededException')
    expect(await s.statuses(3, B)).toEqual([200, 200, 429])
  })

  // [period, a moment in a period, its last moment, the first moment of the next]
  const boundaries: ['DAY' | 'WEEK' | 'MONTH', number, number, number][] = [
    ['DAY', Date.UTC(2025, 0, 15, 1), Date.UTC(2025, 0, 15, 23, 59, 59, 999), Date.UTC(2025, 0, 16)],
    ['WEEK', Date.UTC(2025, 0, 14), Date.UTC(2025, 0, 18, 23, 59, 59, 999), Date.UTC(2025, 0, 19)], // Saturday → Sunday
    ['MONTH', Date.UTC(2025, 0, 14), Date.UTC(2025, 0, 31, 23, 59, 59, 999), Date.UTC(2025, 1, 1)],
  ]
  it.each(boundaries)('starts again when the %s period ends', async (period, start, last, next) => {
    const s = setup({ limit: 3, period }, start)
    expect(await s.statuses(2, A)).toEqual([200, 200])
    s.set(last)
    expect(await s.statuses(2, A)).toEqual([200, 429])
    s.set(next)
    expect(await s.statuses(4, A)).toEqual([200, 200, 200, 429])
  })

  it('subtracts offset in the initial period only', async () => {
    const s = setup({ limit: 3, period: 'DAY', offset: 2 }, Date.UTC(2025, 0, 15, 8))
    expect(await s.statuses(2, A)).toEqual([200, 429])
    s.set(Date.UTC(2025, 0, 16, 8))
    expect(await s.statuses(4, A)).toEqual([200, 200, 200, 429])
  })

  it('a throttled request costs no quota', async () => {
    const s = setup({ limit: 3, period: 'DAY' }, Date.UTC(2025, 0, 15, 10), {
      stage: { stageName: 'prod', methodSettings: { '*/*': { throttlingRateLimit: 0, throttlingBurstLimit: 1 } } },
    })
    expect(await s.statuses(3, A)).toEqual([200, 429, 429])
    const usage = await s.registry.getUsage('free', '2025-01-15', '2025-01-15')
    expect(usage.items.a).toEqual([[1, 2]])
  })

  it('never admits more than the quota per key per period (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ key: fc.constantFrom(A, B), hours: fc.integer({ min: 0, max: 30 }) }), { minLength: 1, maxLength: 50 }),
        async (ops) => {
          let t = Date.UTC(2025, 0, 15)
          const s = setup({ limit: 4, period: 'DAY' }, t)
          const perDay = new Map<string, number>()
          for (const op of ops) {
            t += op.hours * 3_600_000
            s.set(t)
            const res = await s.call(op.key)
            expect([200, 429]).toContain(res.statusCode)
            const k = `${op.key}:${Math.floor(t / DAY)}`
            if (res.statusCode === 200) perDay.set(k, (perDay.get(k) ?? 0) + 1)
            else expect(perDay.get(k)).toBe(4)
          }
          for (const n of perDay.values()) expect(n).toBeLessThanOrEqual(4)
        },
      ),
      { numRuns: 60 },
    )
  })
})

describe('GetUsage', () => {
  it('returns [used, remaining] per key per day', async () => {
    const s = setup({ limit: 10, period: 'WEEK' }, Date.UTC(2025, 0, 13, 9)) // a Monday
    await s.statuses(3, A)
    s.set(Date.UTC(2025, 0, 15, 9))
    await s.statuses(2, A)
    await s.statuses(1, B)
    s.set(Date.UTC(2025, 0, 19, 9)) // Sunday: a new week
    await s.statuses(1, A)
    const usage = await s.registry.getUsage('free', '2025-01-14', '2025-01-19')
    expect(usage).toEqual({
      usagePlanId: 'free',
      startDate: '2025-01-14',
      endDate: '2025-01-19',
      items: {
        a: [
          [0, 7],
          [2, 5],
          [0, 5],
          [0, 5],
          [0, 5],
          [1, 9],
        ],
        b: [
          [0, 10],
          [1, 9],
          [0, 9],
          [0, 9],
          [0, 9],
          [0, 10],
        ],
      },
    })
    expect((await s.registry.getUsage('free', '2025-01-15', '2025-01-15', { keyId: 'b' })).items).toEqual({ b: [[1, 9]] })
  })

  it('reports null remaining without a quota, and refuses bad ranges', async () => {
    const registry = createUsagePlanRegistry({
      apiKeys: [{ id: 'a', value: A }],
      usagePlans: [{ id: 'p', apiStages: [{ stage: 'prod' }], keys: ['a'] }],
      now: () => Date.UTC(2025, 0, 15),
    })
    const gw = createGateway({ api, now: () => Date.UTC(2025, 0, 15), usagePlans: registry })
    await gw.handle(req('GET', '/keyed', { headers: { 'x-api-key': A } }))
    expect((await registry.getUsage('p', '2025-01-15', '2025-01-15')).items).toEqual({ a: [[1, null]] })
    const code = async (f: () => Promise<unknown>) =>
      f().then(
        () => 'ok',
        (e: unknown) => (e instanceof UsagePlanAdminError ? e.code : String(e)),
      )
    expect(await code(() => registry.getUsage('p', '2025-01-16', '2025-01-15'))).toBe('BAD_REQUEST')
    expect(await code(() => registry.getUsage('p', '2025-02-30', '2025-03-01'))).toBe('BAD_REQUEST')
    expect(await code(() => registry.getUsage('p', '2025-01-01', '2025-12-31'))).toBe('BAD_REQUEST')
    expect(await code(() => registry.getUsage('nope', '2025-01-01', '2025-01-02'))).toBe('NOT_FOUND')
    expect(await code(() => registry.getUsage('p', '2025-01-01', '2025-01-02', { keyId: 'zz' }))).toBe('NOT_FOUND')
  })
})

describe('management API', () => {
  const code = (f: () => unknown) => {
    try {
      f()
      return 'ok'
    } catch (e) {
      return e instanceof UsagePlanAdminError ? e.code : String(e)
    }
  }
  let r: UsagePlanRegistry
  const fresh = () =>
    (r = createUsagePlanRegistry({
      apiKeys: [{ id: 'a', value: A }],
      usagePlans: [
        { id: 'p', apiStages: [{ stage: 'prod' }], keys: ['a'] },
        { id: 'q', apiStages: [{ apiId: 'x', stage: 'prod' }, { stage: 'dev' }] },
        { id: 'r', apiStages: [{ stage: 'test' }] },
      ],
    }))

  // [case, call, code]
  const table: [string, () => unknown, string][] = [
    ['create a key with a taken id', () => r.createApiKey({ id: 'a' }), 'CONFLICT'],
    ['create a key with a taken value', () => r.createApiKey({ value: A }), 'CONFLICT'],
    ['create a key with a short value', () => r.createApiKey({ value: 'x' }), 'BAD_REQUEST'],
    ['create a key with a bad id', () => r.createApiKey({ id: 'a b' }), 'BAD_REQUEST'],
    ['disable an unknown key', () => r.disableApiKey('zz'), 'NOT_FOUND'],
    ['delete an unknown key', () => r.deleteApiKey('zz'), 'NOT_FOUND'],
    ['attach to an unknown plan', () => r.createUsagePlanKey('zz', 'a'), 'NOT_FOUND'],
    ['attach an unknown key', () => r.createUsagePlanKey('p', 'zz'), 'NOT_FOUND'],
    ['attach a key to a second plan of the same stage', () => r.createUsagePlanKey('q', 'a'), 'CONFLICT'],
    ['attach a key to a plan of another stage', () => r.createUsagePlanKey('r', 'a'), 'ok'],
    ['detach a key that is not attached', () => r.deleteUsagePlanKey('r', 'a'), 'NOT_FOUND'],
    ['create a plan with a taken id', () => r.createUsagePlan({ id: 'p' }), 'CONFLICT'],
    ['delete an unknown plan', () => r.deleteUsagePlan('zz'), 'NOT_FOUND'],
    ['delete a plan', () => r.deleteUsagePlan('q'), 'ok'],
  ]
  it.each(table)('%s → %s', (_name, f, expected) => {
    fresh()
    expect(code(f)).toBe(expected)
  })

  it('returns copies', () => {
    fresh()
    const key = r.getApiKey('a')!
    key.enabled = false
    expect(r.getApiKey('a')!.enabled).toBe(true)
    const plan = r.getUsagePlan('p')!
    plan.keys.push('zz')
    expect(r.getUsagePlan('p')!.keys).toEqual(['a'])
    expect(r.getApiKeys().map((k) => k.id)).toEqual(['a'])
    expect(r.getUsagePlans().map((p) => p.id)).toEqual(['p', 'q', 'r'])
  })
})

describe('through a real adapter (@gatehousejs/node over a socket)', () => {
  it('answers 403, 200, 429 Too Many Requests and 429 Limit Exceeded as API Gateway does', async () => {
    const { createHandler } = await import('@gatehousejs/node')
    let t = Date.UTC(2025, 0, 15, 10)
    const handler = createHandler({
      api,
      now: () => t,
      apiKeys: [{ id: 'a', value: A }],
      usagePlans: [
        {
          id: 'p',
          throttle: { rateLimit: 1, burstLimit: 1 },
          quota: { limit: 2, period: 'DAY' },
          apiStages: [{ stage: 'prod' }],
          keys: ['a'],
        },
      ],
      rateLimitHeaders: true,
    })
    const server = createServer(handler)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/keyed`
    const get = async (key?: string) => {
      const res = await fetch(url, { headers: key ? { 'x-api-key': key } : {} })
      return [res.status, await res.text(), res.headers.get('ratelimit')] as const
    }
    try {
      expect(await get()).toEqual([403, '{"message":"Forbidden"}', null])
      expect((await get(A))[0]).toBe(200)
      expect(await get(A)).toEqual([429, '{"message":"Too Many Requests"}', '"usage-plan";r=0;t=1'])
      t += 1000
      expect((await get(A))[0]).toBe(200)
      t += 1000
      const [status, body] = await get(A)
      expect([status, body]).toEqual([429, '{"message":"Limit Exceeded"}'])
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })
})

describe('properties', () => {
  it('canonicalMethodKey never throws and answers null or a canonical key', async () => {
    const { canonicalMethodKey } = await import('../src/method-settings')
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.constantFrom('*/*', '/pets/GET', '~1pets~1{id}/get', 'pets/*')), (key) => {
        const out = canonicalMethodKey(key)
        if (out !== null) expect(out === '*/*' || /^\/.*\/(\*|[A-Z]+)$/.test(out)).toBe(true)
      }),
      { numRuns: 500 },
    )
  })

  it('the registry keeps its invariants under random management calls (state machine)', async () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('createKey'), id: fc.constantFrom('a', 'b', 'c', 'd') }),
      fc.record({ kind: fc.constantFrom('deleteKey', 'disable', 'enable'), id: fc.constantFrom('a', 'b', 'c', 'd', 'zz') }),
      fc.record({
        kind: fc.constantFrom('attach', 'detach'),
        plan: fc.constantFrom('p', 'q', 'r', 'zz'),
        id: fc.constantFrom('a', 'b', 'c', 'zz'),
      }),
      fc.record({ kind: fc.constant('deletePlan'), plan: fc.constantFrom('p', 'q', 'r') }),
      fc.record({ kind: fc.constant('request'), id: fc.constantFrom('a', 'b', 'c', 'd') }),
    )
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 40 }), async (ops) => {
        const r = createUsagePlanRegistry({
          now: () => Date.UTC(2025, 0, 15),
          usagePlans: [
            { id: 'p', apiStages: [{ stage: 'prod' }] },
            { id: 'q', apiStages: [{ apiId: 'other', stage: 'prod' }] },
            { id: 'r', apiStages: [{ stage: 'dev' }] },
          ],
        })
        const gw = createGateway({ api, now: () => Date.UTC(2025, 0, 15), usagePlans: r })
        const value = (id: string) => `value-of-${id}-0123456789abcdef`
        for (const o of ops) {
          try {
            if (o.kind === 'createKey') r.createApiKey({ id: o.id, value: value(o.id) })
            else if (o.kind === 'deleteKey') r.deleteApiKey(o.id)
            else if (o.kind === 'disable') r.disableApiKey(o.id)
            else if (o.kind === 'enable') r.enableApiKey(o.id)
            else if (o.kind === 'attach') r.createUsagePlanKey(o.plan, o.id)
            else if (o.kind === 'detach') r.deleteUsagePlanKey(o.plan, o.id)
            else if (o.kind === 'deletePlan') r.deleteUsagePlan(o.plan)
            else {
              const res = await gw.handle(req('GET', '/keyed', { headers: { 'x-api-key': value(o.id) } }))
              // Admitted exactly when the key exists, is enabled and is in a plan for this stage (p: prod, any API).
              const key = r.getApiKey(o.id)
              const inPlan = r
                .getUsagePlans()
                .some(
                  (p) =>
                    p.keys.includes(o.id) &&
                    p.apiStages.some((s) => s.stage === 'prod' && (s.apiId === undefined || s.apiId === gw.definition.name)),
                )
              expect(res.statusCode).toBe(key?.enabled && inPlan ? 200 : 403)
            }
          } catch (e) {
            expect(e).toBeInstanceOf(UsagePlanAdminError)
          }
          // Invariants: plans name existing keys only; a key is in at most one plan per API stage.
          const ids = new Set(r.getApiKeys().map((k) => k.id))
          const plans = r.getUsagePlans()
          for (const p of plans) for (const k of p.keys) expect(ids.has(k)).toBe(true)
          for (const k of ids) {
            const stages = plans.filter((p) => p.keys.includes(k)).flatMap((p) => p.apiStages.map((s) => s.stage))
            // p and q share the stage name prod (q for another API, p for any): never both.
            expect(stages.filter((s) => s === 'prod').length).toBeLessThanOrEqual(1)
          }
        }
      }),
      { numRuns: 80 },
    )
  })
})
