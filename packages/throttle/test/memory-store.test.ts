import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createMemoryStore, createQuota, createTokenBucket } from '@gatehouse/throttle'

/** A bucket model in BigInt rationals, with no reclamation at all: what the store must agree with. */
function referenceBucket(p: number, q: number, burst: number) {
  const den = 1000n * BigInt(q)
  const cap = BigInt(burst) * den
  const state = new Map<string, { units: bigint; t: number }>()
  return (key: string, n: number, now: number): boolean => {
    let s = state.get(key)
    if (!s) state.set(key, (s = { units: cap, t: now }))
    if (now > s.t) {
      const u = s.units + BigInt(p) * BigInt(now - s.t)
      s.units = u < cap ? u : cap
      s.t = now
    }
    const cost = BigInt(n) * den
    if (s.units < cost) return false
    s.units -= cost
    return true
  }
}

describe('createMemoryStore', () => {
  it('property: reclaiming idle keys and forced eviction never change an answer for active keys', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.record({ dt: fc.integer({ min: 0, max: 700 }), key: fc.integer({ min: 0, max: 40 }), n: fc.integer({ min: 0, max: 3 }) }), {
          maxLength: 300,
        }),
        (p, q, burst, steps) => {
          let t = 0
          const store = createMemoryStore()
          const bucket = createTokenBucket({ rate: p / q, burst, store, now: () => t })
          const ref = referenceBucket(p, q, burst)
          for (const s of steps) {
            t += s.dt
            expect(bucket.take(`k${s.key}`, s.n).allowed).toBe(ref(`k${s.key}`, s.n, t))
          }
        },
      ),
      { numRuns: 200 },
    )
  })

  it('memory stays bounded with millions of distinct keys: about 2 × the keys active in one refill window', () => {
    let t = 0
    const store = createMemoryStore()
    // fillMs = 1000: a key is idle one second after its last take. One new key per ms → ~1000 active keys.
    const bucket = createTokenBucket({ rate: 10, burst: 10, store, now: () => t })
    let peak = 0
    for (let i = 0; i < 1_000_000; i++) {
      t = i
      bucket.take(`key-${i}`)
      if ((i & 1023) === 0) peak = Math.max(peak, store.stats().keys)
    }
    expect(peak).toBeLessThanOrEqual(2 * 1000 + 64)
    expect(store.stats().reclaimed).toBeGreaterThan(990_000)
    expect(store.stats().forcedEvictions).toBe(0)
  })

  it('quota keys from past periods are reclaimed', () => {
    let t = 0
    const store = createMemoryStore()
    const quota = createQuota({ limit: 5, period: 'DAY', store, now: () => t })
    for (let i = 0; i < 10_000; i++) quota.consume(`a${i}`)
    t = 86_400_000
    for (let i = 0; i < 20_000; i++) quota.consume(`b${i}`)
    expect(store.stats().keys).toBe(20_000)
    expect(store.stats().reclaimed).toBe(10_000)
  })

  it('maxKeys caps live keys, counting forced evictions', () => {
    const store = createMemoryStore({ maxKeys: 100 })
    const bucket = createTokenBucket({ rate: 1, burst: 5, store, now: () => 0 })
    for (let i = 0; i < 1000; i++) bucket.take(`k${i}`)
    expect(store.stats()).toMatchObject({ keys: 100, forcedEvictions: 900 })
    expect(() => createMemoryStore({ maxKeys: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_STORE_OPTION' }))
    store.clear()
    expect(store.stats().keys).toBe(0)
  })

  it('buckets and quotas sharing one store keep separate keyspaces', () => {
    const store = createMemoryStore()
    const a = createTokenBucket({ rate: 1, burst: 1, store, name: 'a', now: () => 0 })
    const b = createTokenBucket({ rate: 1, burst: 1, store, name: 'b', now: () => 0 })
    expect(a.take('k').allowed).toBe(true)
    expect(b.take('k').allowed).toBe(true)
    expect(a.take('k').allowed).toBe(false)
  })
})

describe('daily usage (for GetUsage)', () => {
  it('counts per UTC day and keeps the retention window', () => {
    const store = createMemoryStore()
    const day = 20_000
    store.recordUsage('key-1', 1, day * 86_400_000 + 5)
    store.recordUsage('key-1', 2, day * 86_400_000 + 86_399_999)
    store.recordUsage('key-1', 1, (day + 2) * 86_400_000)
    expect(store.readUsage('key-1', day - 1, day + 2)).toEqual([0, 3, 0, 1])
    expect(store.readUsage('other', day, day)).toEqual([0])
    store.recordUsage('key-1', 1, (day + 200) * 86_400_000)
    expect(store.readUsage('key-1', day, day)).toEqual([0])
  })
})
