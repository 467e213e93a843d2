import fc from 'fast-check'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createCoarseClock, createTokenBucket } from '@gatehousejs/throttle'

afterEach(() => {
  vi.restoreAllMocks()
  vi.useRealTimers()
})

/** Date.now() replaced by a counter, so the test sees exactly when the clock reads it. */
function fakeNow(start = 1_700_000_000_000) {
  let t = start
  const spy = vi.spyOn(Date, 'now').mockImplementation(() => t++)
  return spy
}

describe('createCoarseClock', () => {
  it('serves one Date.now() reading at most 64 times in a synchronous run', () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] })
    const spy = fakeNow()
    const clock = createCoarseClock()
    const readings = Array.from({ length: 200 }, () => clock())
    expect(spy).toHaveBeenCalledTimes(4)
    for (let i = 0; i < readings.length; i++) expect(readings[i]).toBe(1_700_000_000_000 + Math.floor(i / 64))
  })

  it('reads again once the resolution has passed, and holds no timer while idle', () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] })
    const spy = fakeNow()
    const clock = createCoarseClock(5)
    clock()
    clock()
    expect(spy).toHaveBeenCalledTimes(1)
    expect(vi.getTimerCount()).toBe(1)
    vi.advanceTimersByTime(5)
    expect(vi.getTimerCount()).toBe(0)
    clock()
    expect(spy).toHaveBeenCalledTimes(2)
    expect(vi.getTimerCount()).toBe(1)
  })
})

/**
 * A bucket on a clock that lags the true time by at most `lag` ms and never steps back, as a coarse clock does:
 * the bounds the README states for it.
 */
describe('a token bucket on a lagging clock', () => {
  const rateArb = fc
    .tuple(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 100 }))
    .map(([p, q]) => ({ p, q, rate: p / q }))
    .filter(({ rate }) => rate <= 5000)

  it('property: admitted ≤ burst + rate × (elapsed + lag) over every window', () => {
    fc.assert(
      fc.property(
        rateArb,
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: 0, max: 20 }),
        fc.array(fc.record({ dt: fc.integer({ min: 0, max: 30 }), late: fc.nat(), n: fc.integer({ min: 0, max: 3 }) }), {
          minLength: 1,
          maxLength: 100,
        }),
        ({ p, q, rate }, burst, lag, steps) => {
          let truth = 1_000_000
          let reading = truth
          const b = createTokenBucket({ rate, burst, now: () => reading })
          const times: number[] = []
          const got: number[] = []
          for (const s of steps) {
            truth += s.dt
            reading = Math.max(reading, truth - (lag === 0 ? 0 : s.late % (lag + 1)))
            times.push(truth)
            got.push(b.take('k', s.n).allowed ? s.n : 0)
          }
          for (let i = 0; i < got.length; i++) {
            let admitted = 0
            for (let j = i; j < got.length; j++) {
              admitted += got[j]!
              const lhs = BigInt(admitted) * BigInt(1000 * q)
              const rhs = BigInt(burst) * BigInt(1000 * q) + BigInt(p) * BigInt(times[j]! - times[i]! + lag)
              expect(lhs <= rhs).toBe(true)
            }
          }
        },
      ),
      { numRuns: 150 },
    )
  })

  it('property: a client below the rate by the lag is never refused', () => {
    fc.assert(
      fc.property(
        rateArb,
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 0, max: 20 }),
        fc.array(fc.record({ extra: fc.integer({ min: 0, max: 50 }), late: fc.nat() }), { minLength: 1, maxLength: 100 }),
        ({ rate }, burst, lag, steps) => {
          let truth = 1_000_000
          let reading = truth
          const b = createTokenBucket({ rate, burst, now: () => reading })
          const interval = Math.ceil(1000 / rate) + lag
          for (const s of steps) {
            reading = Math.max(reading, truth - (lag === 0 ? 0 : s.late % (lag + 1)))
            expect(b.take('k').allowed).toBe(true)
            truth += interval + s.extra
          }
        },
      ),
      { numRuns: 150 },
    )
  })
})
