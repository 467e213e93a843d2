// The registry's sync seam (`UsagePlanRegistryOptions.sync`) without Redis: an in-memory bus between two
// registries, the changes each management call shares, and what a peer does with hostile records (property test).
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createUsagePlanRegistry, UsagePlanAdminError, type UsagePlanRegistry, type UsagePlanRegistryOptions } from '@gatehousejs/core'

type Sync = NonNullable<UsagePlanRegistryOptions['sync']>
type Peer = Parameters<Sync['connect']>[0]
type Change = Parameters<Sync['publish']>[0]

/** Registries on one bus: each published change is applied at once by every other peer. */
function bus() {
  const peers: Peer[] = []
  const log: Change[] = []
  const sync = (): Sync => {
    let mine: Peer
    return {
      connect: (p) => {
        mine = p
        peers.push(p)
      },
      publish: (c) => {
        log.push(structuredClone(c))
        for (const p of peers) if (p !== mine) p.apply(structuredClone(c))
      },
    }
  }
  return { sync, log, peers }
}

const V1 = 'alice-key-0123456789abcdef'
const V2 = 'bob-key-0123456789abcdefgh'

describe('usage-plan registry sync seam', () => {
  it('shares every management change, not the seeds, and the other registry applies them', () => {
    const b = bus()
    const seed = { apiKeys: [{ id: 'k1', value: V1 }], usagePlans: [{ id: 'gold', apiStages: [{ stage: 'prod' }], keys: ['k1'] }] }
    const one = createUsagePlanRegistry({ ...seed, sync: b.sync() })
    const two = createUsagePlanRegistry({ ...seed, sync: b.sync() })
    expect(b.log).toEqual([])
    one.createApiKey({ id: 'k2', value: V2 })
    one.createUsagePlanKey('gold', 'k2')
    one.disableApiKey('k2')
    expect(two.getApiKey('k2')?.enabled).toBe(false)
    expect(two.getUsagePlan('gold')?.keys).toEqual(['k1', 'k2'])
    two.deleteApiKey('k1')
    expect(one.getApiKey('k1')).toBeUndefined()
    expect(one.getUsagePlan('gold')?.keys).toEqual(['k2'])
    one.createUsagePlan({ id: 'p', quota: { limit: 5, period: 'WEEK' } })
    two.deleteUsagePlan('p')
    expect(one.getUsagePlan('p')).toBeUndefined()
    expect(b.log.map((c) => `${c.type}:${c.id}:${c.record === null ? 'deleted' : 'put'}`)).toEqual([
      'apiKey:k2:put',
      'usagePlan:gold:put',
      'apiKey:k2:put',
      'apiKey:k1:deleted',
      'usagePlan:gold:put',
      'usagePlan:p:put',
      'usagePlan:p:deleted',
    ])
  })

  it('a sync that throws does not undo or fail the change made locally', () => {
    const registry = createUsagePlanRegistry({
      sync: {
        connect: () => {},
        publish: () => {
          throw new Error('down')
        },
      },
    })
    expect(registry.createApiKey({ id: 'k', value: V1 }).id).toBe('k')
  })

  it('replace() swaps the whole state; a key moved between ids keeps working', () => {
    const b = bus()
    const r = createUsagePlanRegistry({ apiKeys: [{ id: 'k1', value: V1 }], sync: b.sync() })
    const errors = b.peers[0]!.replace({
      apiKeys: [{ id: 'k2', name: 'x', value: V1, enabled: true, createdDate: 5 }],
      usagePlans: [{ id: 'gold', name: 'Gold', apiStages: [{ stage: 'prod' }], keys: ['k2', 'unknown'], createdDate: 5 }],
    })
    expect(errors).toEqual([])
    expect(r.getApiKeys().map((k) => k.id)).toEqual(['k2'])
    expect(r.getUsagePlan('gold')).toMatchObject({ name: 'Gold', keys: ['k2', 'unknown'], createdDate: 5 })
  })

  const record = fc.oneof(
    fc.anything(),
    fc.record(
      {
        id: fc.oneof(fc.constantFrom('k1', 'k2', 'gold'), fc.string()),
        name: fc.oneof(fc.string(), fc.integer()),
        value: fc.oneof(fc.constantFrom(V1, V2), fc.string({ maxLength: 140 })),
        enabled: fc.oneof(fc.boolean(), fc.anything()),
        createdDate: fc.oneof(fc.integer(), fc.double(), fc.string()),
        apiStages: fc.anything(),
        keys: fc.oneof(fc.array(fc.constantFrom('k1', 'k2', 'x y')), fc.anything()),
        throttle: fc.oneof(fc.record({ rateLimit: fc.double(), burstLimit: fc.integer() }), fc.anything()),
        quota: fc.oneof(fc.record({ limit: fc.integer(), period: fc.constantFrom('DAY', 'WEEK', 'MONTH', 'YEAR') }), fc.anything()),
      },
      { requiredKeys: [] },
    ),
  )

  it('hostile records are refused with UsagePlanAdminError only; the registry stays consistent (property)', () => {
    const check = (r: UsagePlanRegistry) => {
      for (const k of r.getApiKeys()) expect(k.value).toMatch(/^[\x21-\x7e]{20,128}$/)
      expect(new Set(r.getApiKeys().map((k) => k.value)).size).toBe(r.getApiKeys().length)
      for (const p of r.getUsagePlans()) expect(Array.isArray(p.apiStages)).toBe(true)
    }
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            type: fc.constantFrom('apiKey' as const, 'usagePlan' as const),
            id: fc.string(),
            record: fc.oneof(fc.constant(null), record),
          }),
        ),
        fc.array(record),
        fc.array(record),
        (changes, apiKeys, usagePlans) => {
          const b = bus()
          const r = createUsagePlanRegistry({ apiKeys: [{ id: 'k1', value: V1 }], sync: b.sync() })
          const peer = b.peers[0]!
          for (const c of changes) {
            try {
              peer.apply(c)
            } catch (e) {
              expect(e).toBeInstanceOf(UsagePlanAdminError)
            }
          }
          check(r)
          for (const e of peer.replace({ apiKeys, usagePlans })) expect(e).toBeInstanceOf(UsagePlanAdminError)
          check(r)
        },
      ),
      { numRuns: 300 },
    )
  })
})
