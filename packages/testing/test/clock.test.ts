// createFakeClock as the gateway's `now`: a usage-plan quota across a UTC day and a token bucket's refill.
// Usage plans and quotas: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html
// QuotaSettings (DAY periods in UTC): https://docs.aws.amazon.com/apigateway/latest/api/API_QuotaSettings.html
// Throttling (token bucket): https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html
// Answers: https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
import { describe, expect, it } from 'vitest'
import { createGateway } from '@gatehousejs/core'
import { assertGatewayResponse, createFakeClock, FAKE_CLOCK_EPOCH, request } from '@gatehousejs/testing'

const KEY = 'alice-key-0123456789abcdef'
const mock = { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode":200}' }, responses: { default: { statusCode: '200' } } }
const api = { resources: { '/keyed': { GET: { apiKeyRequired: true, integration: mock } }, '/open': { GET: { integration: mock } } } }

describe('createFakeClock', () => {
  it('starts where told, advances and jumps', () => {
    expect(createFakeClock().now()).toBe(FAKE_CLOCK_EPOCH)
    const clock = createFakeClock('2025-03-01T00:00:00Z')
    const now = clock.now
    expect(now()).toBe(Date.UTC(2025, 2, 1))
    expect(clock.advance(1500)).toBe(Date.UTC(2025, 2, 1, 0, 0, 1, 500))
    expect(now()).toBe(Date.UTC(2025, 2, 1, 0, 0, 1, 500))
    expect(clock.set(new Date(Date.UTC(2024, 1, 29)))).toBe(Date.UTC(2024, 1, 29))
    expect(clock.set(Date.UTC(2030, 0, 1))).toBe(Date.UTC(2030, 0, 1))
  })

  it('refuses what is not a time', () => {
    const clock = createFakeClock(0)
    expect(() => clock.advance(-1)).toThrow(RangeError)
    expect(() => clock.advance(Number.NaN)).toThrow(RangeError)
    expect(() => clock.set('not a date')).toThrow(TypeError)
    expect(() => createFakeClock(Number.POSITIVE_INFINITY)).toThrow(TypeError)
    expect(clock.now()).toBe(0)
  })

  it('drives a daily usage-plan quota across a UTC midnight', async () => {
    const clock = createFakeClock('2025-01-15T23:59:58Z')
    const gw = createGateway({
      api,
      now: clock.now,
      apiKeys: [{ id: 'a', value: KEY }],
      usagePlans: [{ id: 'free', quota: { limit: 2, period: 'DAY' }, apiStages: [{ stage: 'prod' }], keys: ['a'] }],
    })
    const call = () => request(gw).get('/keyed').set('x-api-key', KEY)
    await call().expect(200)
    await call().expect(200)
    assertGatewayResponse(await call(), 'QUOTA_EXCEEDED')
    clock.advance(1_999) // 23:59:59.999, still the same day
    assertGatewayResponse(await call(), 'QUOTA_EXCEEDED')
    clock.advance(1) // 2025-01-16T00:00:00Z
    await call().expect(200)
    await call().expect(200)
    assertGatewayResponse(await call(), 'QUOTA_EXCEEDED')
  })

  it('drives a token bucket refill (stage throttling)', async () => {
    const clock = createFakeClock('2025-01-15T12:00:00Z')
    const gw = createGateway({
      api,
      now: clock.now,
      stage: { stageName: 'prod', methodSettings: { '*/*': { throttlingRateLimit: 1, throttlingBurstLimit: 2 } } },
    })
    const status = async () => (await request(gw).get('/open')).statusCode
    expect([await status(), await status(), await status()]).toEqual([200, 200, 429])
    assertGatewayResponse(await request(gw).get('/open'), 'THROTTLED')
    clock.advance(999) // not yet one token at 1 request per second
    expect(await status()).toBe(429)
    clock.advance(1)
    expect([await status(), await status()]).toEqual([200, 429])
    clock.advance(10_000) // refills to the burst, no further
    expect([await status(), await status(), await status()]).toEqual([200, 200, 429])
  })
})
