/**
 * Two gateways (as two processes would), each with its own registry built from the same definitions, sharing
 * usage-plan throttles, quotas, daily usage and the account limit on a real redis-server through
 * `@gatehousejs/redis`. Fails under CI when Redis is unreachable at 127.0.0.1:$GATEHOUSE_REDIS_PORT (default 6391),
 * skips otherwise.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { createRedisStore } from '@gatehousejs/redis'
import { createGateway, createUsagePlanRegistry } from '@gatehousejs/core'
import { json, req } from './helpers'
import { useRedis } from '@gatehousejs/test-kit'

const { available, prefix, client } = await useRedis('core usage-plan Redis tests')

const A = 'alice-key-0123456789abcdef'
const mock = { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode":200}' }, responses: { default: { statusCode: '200' } } }
const api = { resources: { '/keyed': { GET: { apiKeyRequired: true, integration: mock } }, '/open': { GET: { integration: mock } } } }

describe.skipIf(!available)('usage plans on Redis, shared by two gateways', () => {
  let t = Date.UTC(2025, 0, 15, 10)
  const now = () => t
  const gateway = async () => {
    const store = createRedisStore({ client: await client(), prefix, clock: 'caller' })
    const registry = createUsagePlanRegistry({
      store,
      now,
      apiKeys: [{ id: 'a', value: A }],
      usagePlans: [
        {
          id: 'gold',
          throttle: { rateLimit: 0, burstLimit: 3 },
          quota: { limit: 2, period: 'DAY' },
          apiStages: [{ stage: 'prod' }],
          keys: ['a'],
        },
      ],
    })
    const gw = createGateway({ api, now, usagePlans: registry, store, accountThrottle: { rateLimit: 0, burstLimit: 4 } })
    return {
      gw,
      registry,
      call: (path = '/keyed') => gw.handle(req('GET', path, path === '/keyed' ? { headers: { 'x-api-key': A } } : {})),
    }
  }
  let one: Awaited<ReturnType<typeof gateway>>
  let two: typeof one
  beforeAll(async () => {
    one = await gateway()
    two = await gateway()
  })

  it('counts one quota and one account bucket across both', async () => {
    expect((await one.call()).statusCode).toBe(200)
    expect((await two.call()).statusCode).toBe(200)
    const third = await one.call()
    expect([third.statusCode, json(third)]).toEqual([429, { message: 'Limit Exceeded' }])
    // Three keyed requests and this one took the account's four tokens.
    expect((await two.call('/open')).statusCode).toBe(200)
    const fifth = await one.call('/open')
    expect([fifth.statusCode, json(fifth)]).toEqual([429, { message: 'Too Many Requests' }])
  })

  it('reads the shared daily usage from either registry', async () => {
    expect((await two.registry.getUsage('gold', '2025-01-15', '2025-01-15')).items).toEqual({ a: [[2, 0]] })
    expect((await one.registry.getUsage('gold', '2025-01-14', '2025-01-15')).items).toEqual({
      a: [
        [0, 2],
        [2, 0],
      ],
    })
  })

  it('a new day renews the quota, not the shared plan bucket', async () => {
    t = Date.UTC(2025, 0, 16, 0, 0, 1)
    // Yesterday's three keyed requests (the third refused by the quota) emptied the plan bucket (burst 3, rate 0).
    const res = await two.call()
    expect([res.statusCode, json(res)]).toEqual([429, { message: 'Too Many Requests' }])
  })
})
