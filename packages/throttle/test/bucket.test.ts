import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ceilDiv, compileBucketPolicy, createMemoryStore, createTokenBucket, ThrottleError } from '@gatehousejs/throttle'

/** A rate as an exact fraction p/q with q ≤ 1000, plus its float. */
const rateArb = fc
  .tuple(fc.integer({ min: 1, max: 20_000 }), fc.integer({ min: 1, max: 1000 }))
  .map(([p, q]) => ({ p, q, rate: p / q }))
  .filter(({ rate }) => rate <= 20_000)

const schedule = fc.array(
  fc.record({ dt: fc.oneof(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5000 })), n: fc.integer({ min: 0, max: 4 }) }),
  { minLength: 1, maxLength: 120 },
)

function clock(start = 1_700_000_000_000) {
  let t = start
  return {
    now: () => t,
    advance: (ms: number) => (t += ms),
    get t() {
      return t
    },
  }
}

describe('createTokenBucket', () => {
  it('starts full and refuses beyond burst, then refills at the rate', () => {
    const c = clock()
    const b = createTokenBucket({ rate: 2, burst: 3, now: c.now })
    expect(b.take('k')).toEqual({ allowed: true, remaining: 2, limit: 3, retryAfterMs: 0, nextTokenMs: 500, resetMs: 500 })
    expect(b.take('k', 2).remaining).toBe(0)
    const refused = b.take('k')
    expect(refused).toMatchObject({ allowed: false, remaining: 0, retryAfterMs: 500, resetMs: 1500 })
    c.advance(499)
    expect(b.take('k').allowed).toBe(false)
    c.advance(1)
    expect(b.take('k')).toMatchObject({ allowed: true, remaining: 0 })
    expect(b.take('other').remaining).toBe(2)
  })

  it('handles fractional rates exactly (1 token per 3 s, and 1/3 per second)', () => {
    const c = clock(0)
    const b = createTokenBucket({ rate: 1 / 3, burst: 1, now: c.now })
    expect(b.policy).toMatchObject({ unit: 3000, perMs: 1 })
    expect(b.take('k').allowed).toBe(true)
    expect(b.take('k')).toMatchObject({ allowed: false, retryAfterMs: 3000 })
    c.advance(2999)
    expect(b.take('k').allowed).toBe(false)
    c.advance(1)
    expect(b.take('k').allowed).toBe(true)
  })

  it('never admits more than burst when n > burst, and says so', () => {
    const b = createTokenBucket({ rate: 1, burst: 2 })
    expect(b.take('k', 3)).toMatchObject({ allowed: false, remaining: 2, retryAfterMs: Infinity })
  })

  it('rate 0 never refills; burst 0 refuses everything', () => {
    const c = clock(0)
    const zero = createTokenBucket({ rate: 0, burst: 1, now: c.now })
    expect(zero.take('k').allowed).toBe(true)
    c.advance(1e12)
    expect(zero.take('k')).toMatchObject({ allowed: false, retryAfterMs: Infinity, nextTokenMs: Infinity })
    const closed = createTokenBucket({ rate: 100, burst: 0 })
    expect(closed.take('k').allowed).toBe(false)
    expect(closed.take('k', 0).allowed).toBe(true)
  })

  it('does not refill when the clock steps back', () => {
    const c = clock(10_000)
    const b = createTokenBucket({ rate: 1, burst: 1, now: c.now })
    b.take('k')
    c.advance(-5000)
    expect(b.take('k').allowed).toBe(false)
    c.advance(5000)
    expect(b.take('k').allowed).toBe(false)
    c.advance(1000)
    expect(b.take('k').allowed).toBe(true)
  })

  it('validates options and costs with typed errors', () => {
    for (const bad of [
      { rate: -1, burst: 1 },
      { rate: Number.NaN, burst: 1 },
      { rate: Infinity, burst: 1 },
    ]) {
      expect(() => createTokenBucket(bad)).toThrow(expect.objectContaining({ code: 'INVALID_RATE' }))
    }
    for (const burst of [-1, 1.5, Number.NaN, 2 ** 60]) {
      expect(() => createTokenBucket({ rate: 1, burst })).toThrow(expect.objectContaining({ code: 'INVALID_BURST' }))
    }
    const b = createTokenBucket({ rate: 1, burst: 1 })
    for (const n of [-1, 0.5, Number.NaN]) {
      expect(() => b.take('k', n)).toThrow(ThrottleError)
    }
  })

  it('property: ceilDiv is exact below 2^53', () => {
    const big = fc.bigInt({ min: 0n, max: 2n ** 53n - 1n })
    fc.assert(
      fc.property(
        fc.oneof(big, fc.bigInt({ min: 0n, max: 5000n })),
        fc.oneof(
          big.map((b) => (b === 0n ? 1n : b)),
          fc.bigInt({ min: 1n, max: 5000n }),
        ),
        (a, b) => {
          expect(ceilDiv(Number(a), Number(b))).toBe(Number((a + b - 1n) / b))
        },
      ),
      { numRuns: 2000 },
    )
  })

  it('property: every field of every answer equals a BigInt model, over runs of refusals and several keys', () => {
    const ceil = (x: bigint, y: bigint) => (x + y - 1n) / y
    fc.assert(
      fc.property(
        rateArb,
        fc.integer({ min: 0, max: 5 }),
        fc.array(
          fc.record({
            dt: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 400 })),
            key: fc.integer({ min: 0, max: 2 }),
            n: fc.integer({ min: 0, max: 7 }),
          }),
          { maxLength: 150 },
        ),
        ({ p, q, rate }, burst, steps) => {
          let t = 1_700_000_000_000
          const b = createTokenBucket({ rate, burst, now: () => t })
          const den = 1000n * BigInt(q)
          const perMs = BigInt(p)
          const cap = BigInt(burst) * den
          const state = new Map<number, { u: bigint; t: number }>()
          for (const s of steps) {
            t += s.dt
            const st = state.get(s.key) ?? { u: cap, t }
            const refilled = st.u + perMs * BigInt(t - st.t)
            const u0 = refilled < cap ? refilled : cap
            const cost = BigInt(s.n) * den
            const allowed = u0 >= cost
            const u = allowed ? u0 - cost : u0
            state.set(s.key, { u, t })
            expect(b.take(`k${s.key}`, s.n)).toEqual({
              allowed,
              remaining: Number(u / den),
              limit: burst,
              retryAfterMs: allowed ? 0 : cost > cap ? Infinity : Number(ceil(cost - u, perMs)),
              nextTokenMs: u < cap ? Number(ceil(den - (u % den), perMs)) : 0,
              resetMs: u < cap ? Number(ceil(cap - u, perMs)) : 0,
            })
          }
        },
      ),
      { numRuns: 200 },
    )
  })

  it('property: compiled units equal the rate exactly', () => {
    fc.assert(
      fc.property(rateArb, fc.integer({ min: 0, max: 100_000 }), ({ p, q, rate }, burst) => {
        const pol = compileBucketPolicy({ rate, burst })
        // perMs / unit tokens per ms === p / (1000 q)
        expect(BigInt(pol.perMs) * BigInt(1000 * q)).toBe(BigInt(p) * BigInt(pol.unit))
        expect(pol.capacity).toBe(burst * pol.unit)
      }),
    )
  })

  it('property: admitted ≤ burst + rate × elapsed over every window of any schedule', () => {
    fc.assert(
      fc.property(rateArb, fc.integer({ min: 0, max: 20 }), schedule, ({ p, q, rate }, burst, steps) => {
        const c = clock()
        const b = createTokenBucket({ rate, burst, now: c.now })
        const times: number[] = []
        const got: number[] = []
        for (const s of steps) {
          c.advance(s.dt)
          const r = b.take('k', s.n)
          times.push(c.t)
          got.push(r.allowed ? s.n : 0)
          expect(r.remaining).toBeGreaterThanOrEqual(0)
          expect(r.remaining).toBeLessThanOrEqual(burst)
        }
        for (let i = 0; i < got.length; i++) {
          let admitted = 0
          for (let j = i; j < got.length; j++) {
            admitted += got[j]!
            // admitted ≤ burst + (p/q) × Δms / 1000, in integers
            const lhs = BigInt(admitted) * BigInt(1000 * q)
            const rhs = BigInt(burst) * BigInt(1000 * q) + BigInt(p) * BigInt(times[j]! - times[i]!)
            expect(lhs <= rhs).toBe(true)
          }
        }
      }),
      { numRuns: 150 },
    )
  })

  it('property: a client at or below the rate is never refused', () => {
    fc.assert(
      fc.property(
        rateArb,
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 200 }),
        ({ rate }, burst, extra) => {
          const c = clock()
          const b = createTokenBucket({ rate, burst, now: c.now })
          const interval = Math.ceil(1000 / rate)
          for (const e of extra) {
            expect(b.take('k').allowed).toBe(true)
            c.advance(interval + e)
          }
        },
      ),
      { numRuns: 150 },
    )
  })

  it('property: refilling in many small steps equals one big step (no drift)', () => {
    fc.assert(
      fc.property(
        rateArb,
        fc.integer({ min: 1, max: 1000 }),
        fc.array(fc.integer({ min: 0, max: 97 }), { minLength: 1, maxLength: 300 }),
        ({ p, q, rate }, burst, steps) => {
          const c1 = clock(0)
          const c2 = clock(0)
          const many = createTokenBucket({ rate, burst, now: c1.now })
          const one = createTokenBucket({ rate, burst, now: c2.now })
          many.take('k', burst)
          one.take('k', burst)
          for (const s of steps) {
            c1.advance(s)
            many.take('k', 0)
          }
          c2.advance(c1.t)
          const a = many.take('k', 0)
          const b = one.take('k', 0)
          expect(a).toEqual(b)
          const exact = (BigInt(p) * BigInt(c1.t)) / BigInt(1000 * q)
          expect(a.remaining).toBe(Math.min(burst, Number(exact)))
        },
      ),
      { numRuns: 150 },
    )
  })

  it('property: retryAfterMs and nextTokenMs are exact', () => {
    fc.assert(
      fc.property(rateArb, fc.integer({ min: 1, max: 20 }), schedule, fc.integer({ min: 1, max: 20 }), ({ rate }, burst, steps, n) => {
        const c = clock()
        const store = createMemoryStore()
        const b = createTokenBucket({ rate, burst, now: c.now, store })
        for (const s of steps) {
          c.advance(s.dt)
          b.take('k', s.n)
        }
        const state = b.take('k', 0)
        if (state.nextTokenMs > 0 && state.nextTokenMs !== Infinity) {
          c.advance(state.nextTokenMs - 1)
          expect(b.take('k', 0).remaining).toBe(state.remaining)
          c.advance(1)
          expect(b.take('k', 0).remaining).toBeGreaterThan(state.remaining)
        }
        const r = b.take('k', n)
        if (!r.allowed && r.retryAfterMs !== Infinity) {
          c.advance(r.retryAfterMs - 1)
          expect(b.take('k', n).allowed).toBe(false)
          c.advance(1)
          expect(b.take('k', n).allowed).toBe(true)
        }
      }),
      { numRuns: 150 },
    )
  })
})

describe('rateLimitHeaders', () => {
  it('formats buckets and quotas as the IETF draft fields', async () => {
    const { rateLimitHeaders, createQuota } = await import('@gatehousejs/throttle')
    const t = Date.UTC(2024, 0, 1, 23, 59, 0)
    const bucket = createTokenBucket({ rate: 10, burst: 20, now: () => t })
    const quota = createQuota({ limit: 1000, period: 'DAY', now: () => t, startedAt: 0 })
    const h = rateLimitHeaders([
      { name: 'plan "gold"', policy: bucket.policy, result: bucket.take('k') },
      { name: 'daily', policy: quota.policy, result: quota.consume('k'), now: t },
    ])
    expect(h).toEqual({
      'ratelimit-policy': '"plan \\"gold\\"";q=20;w=2, "daily";q=1000;w=86400',
      ratelimit: '"plan \\"gold\\"";r=19;t=1, "daily";r=999;t=60',
    })
  })
})
