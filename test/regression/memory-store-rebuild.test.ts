/**
 * A gateway rebuilt on the same in-memory store (a reload, `gatehouse serve --watch`) keeps its quota and bucket
 * counts when its plans did not change, as a Redis store does (names derive from ids there). Found by the CLI's
 * watch test: the memory store keyed its tables by policy object, so each rebuild started with full buckets and
 * fresh quotas.
 */
import { describe, expect, it } from 'vitest'
import { createGateway, type GatewayInput } from '@gatehousejs/core'
import { createMemoryStore } from '@gatehousejs/throttle'
import { req } from '../../packages/core/test/helpers'

const api = {
  resources: {
    '/k': {
      GET: {
        apiKeyRequired: true,
        integration: {
          type: 'MOCK' as const,
          requestTemplates: { 'application/json': '{"statusCode": 200}' },
          responses: { default: { statusCode: '200' } },
        },
      },
    },
  },
}
const NOW = Date.UTC(2026, 0, 15)

function build(store: ReturnType<typeof createMemoryStore>, limit = 2): ReturnType<typeof createGateway> {
  const input: GatewayInput = {
    api,
    stage: 'prod',
    store,
    now: () => NOW,
    apiKeys: [{ id: 'k1', value: 'key-one-aaaaaaaaaaaaaaaaaaaa' }],
    usagePlans: [{ id: 'p', quota: { limit, period: 'DAY' }, apiStages: [{ stage: 'prod' }], keys: ['k1'] }],
  }
  return createGateway(input)
}

const call = (g: ReturnType<typeof createGateway>) =>
  g.handle(req('GET', '/k', { headers: { 'x-api-key': 'key-one-aaaaaaaaaaaaaaaaaaaa' } })).then((r) => r.statusCode)

describe('a rebuilt gateway on the same memory store', () => {
  it('keeps the quota spent before the rebuild', async () => {
    const store = createMemoryStore()
    const first = build(store)
    expect(await call(first)).toBe(200)
    const second = build(store)
    expect([await call(second), await call(second)]).toEqual([200, 429])
  })

  it('starts afresh for a plan whose limits changed', async () => {
    const store = createMemoryStore()
    const first = build(store, 1)
    expect([await call(first), await call(first)]).toEqual([200, 429])
    const changed = build(store, 3)
    expect(await call(changed)).toBe(200)
  })
})
