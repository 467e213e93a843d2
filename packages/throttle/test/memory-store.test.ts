import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createMemoryStore, createQuota, createTokenBucket } from '@gatehousejs/throttle'

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
        fc.array(
          fc.record({ dt: fc.integer({ min: 0, max: 700 }), key: fc.integer({ min: 0, max: 40 }), n: fc.integer({ min: 0, max: 3 }) }),
          {
            maxLength: 300,
          },
        ),
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

  it('property: runs on one key (remembered entry), reclaim, clear() and two buckets on one store match the model', () => {
    const op = fc.oneof(
      {
        weight: 12,
        arbitrary: fc.record({
          kind: fc.constant('take' as const),
          dt: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3000 })),
          key: fc.integer({ min: 0, max: 3 }),
          n: fc.integer({ min: 0, max: 3 }),
          second: fc.boolean(),
          direct: fc.boolean(),
        }),
      },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('clear' as const) }) },
      {
        weight: 2,
        arbitrary: fc.record({
          kind: fc.constant('fresh' as const),
          dt: fc.integer({ min: 0, max: 5 }),
          key: fc.integer({ min: 0, max: 100_000 }),
        }),
      },
    )
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 1, max: 5 }),
        fc.array(op, { maxLength: 300 }),
        (p, q, burst, ops) => {
          let t = 1_000_000
          const store = createMemoryStore()
          const now = () => t
          const buckets = [
            createTokenBucket({ rate: p / q, burst, store, now, name: 'a' }),
            createTokenBucket({ rate: p / q, burst, store, now, name: 'b' }),
          ]
          let refs = [referenceBucket(p, q, burst), referenceBucket(p, q, burst)]
          for (const o of ops) {
            if (o.kind === 'clear') {
              store.clear()
              refs = [referenceBucket(p, q, burst), referenceBucket(p, q, burst)]
              expect(store.stats().keys).toBe(0)
              continue
            }
            t += o.dt
            // New keys make the store sweep (and reclaim) while the keys below keep their remembered entries.
            if (o.kind === 'fresh') {
              expect(buckets[0]!.take(`f${o.key}`, 0).allowed).toBe(refs[0]!(`f${o.key}`, 0, t))
              continue
            }
            const i = o.second ? 1 : 0
            const bucket = buckets[i]!
            const key = `k${o.key}`
            // Half the decisions through the Store interface, half through the bucket's direct path: one state.
            const r = o.direct ? bucket.take(key, o.n) : store.take(key, bucket.policy, o.n, t)
            expect(r.allowed).toBe(refs[i]!(key, o.n, t))
          }
        },
      ),
      { numRuns: 200 },
    )
  })

  it('property: with maxKeys, live keys stay capped (across tables) and an answer differs from the model only for an evicted key, which starts full', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 4 }),
        fc.array(
          fc.record({ dt: fc.integer({ min: 0, max: 300 }), key: fc.integer({ min: 0, max: 7 }), n: fc.integer({ min: 0, max: 2 }) }),
          { maxLength: 200 },
        ),
        (maxKeys, burst, steps) => {
          let t = 0
          const store = createMemoryStore({ maxKeys })
          // Two buckets: a key inserted into an empty table at the cap evicts one from the other table.
          const buckets = [
            createTokenBucket({ rate: 1, burst, store, now: () => t, name: 'a' }),
            createTokenBucket({ rate: 1, burst, store, now: () => t, name: 'b' }),
          ]
          // The model: per key, units (1000 a token, one a ms), the time of the last refill, and the forced
          // evictions counted when the key was last used.
          const model = new Map<string, { c: number; t: number; seen: number }>()
          for (const s of steps) {
            t += s.dt
            const key = `k${s.key >> 1}`
            const id = `${s.key & 1}:${key}`
            const last = model.get(id)
            let c = last === undefined ? burst * 1000 : Math.min(burst * 1000, last.c + (t - last.t))
            const r = buckets[s.key & 1]!.take(key, s.n)
            const forced = store.stats().forcedEvictions
            if (r.allowed !== c >= s.n * 1000 || r.remaining !== Math.floor((r.allowed ? c - s.n * 1000 : c) / 1000)) {
              // Only a key dropped at the cap since its last use may answer otherwise, and then as a full bucket.
              expect(last).toBeDefined()
              expect(forced).toBeGreaterThan(last!.seen)
              c = burst * 1000
              expect(r.allowed).toBe(c >= s.n * 1000)
            }
            if (r.allowed) c -= s.n * 1000
            expect(r.remaining).toBe(Math.floor(c / 1000))
            model.set(id, { c, t, seen: forced })
            expect(store.stats().keys).toBeLessThanOrEqual(maxKeys)
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

  it('forgets the remembered entry of a key removed by clear() or by eviction from another table', () => {
    const store = createMemoryStore({ maxKeys: 1 })
    const a = createTokenBucket({ rate: 1, burst: 1, store, name: 'a', now: () => 0 })
    const b = createTokenBucket({ rate: 1, burst: 1, store, name: 'b', now: () => 0 })
    expect(a.take('k').allowed).toBe(true)
    store.clear()
    expect(a.take('k').allowed).toBe(true)
    // Table b is empty, so adding its first key at the cap evicts a's 'k': a's next take starts full.
    expect(b.take('k').allowed).toBe(true)
    expect(store.stats()).toMatchObject({ keys: 1, forcedEvictions: 1 })
    expect(a.take('k').allowed).toBe(true)
    expect(store.stats()).toMatchObject({ keys: 1, forcedEvictions: 2 })
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
