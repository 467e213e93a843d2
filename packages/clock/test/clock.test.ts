/**
 * The coarse clock against the real clock under fake timers: never ahead, stale for fewer than `maxReads`
 * calls, exact after the event loop turns, one timer at most.
 */
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createCoarseClock } from '@gatehousejs/clock'

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 })
})
afterEach(() => {
  vi.useRealTimers()
})

/** Time passes while synchronous code runs: no timer can fire. */
const busy = (ms: number) => vi.setSystemTime(Date.now() + ms)
/** The event loop turns after `ms`: due timers fire. */
const turn = (ms: number) => vi.advanceTimersByTime(ms)

describe('createCoarseClock', () => {
  it('refuses a resolution or a read count it cannot honour', () => {
    expect(() => createCoarseClock({ resolutionMs: -1 })).toThrow(RangeError)
    expect(() => createCoarseClock({ resolutionMs: Number.NaN })).toThrow(RangeError)
    expect(() => createCoarseClock({ maxReads: 0 })).toThrow(RangeError)
    expect(() => createCoarseClock({ maxReads: 1.5 })).toThrow(RangeError)
  })

  it('reads again every maxReads calls while the event loop is blocked', () => {
    const clock = createCoarseClock({ maxReads: 3 })
    expect(clock()).toBe(1_000_000)
    busy(10)
    expect(clock()).toBe(1_000_000)
    expect(clock()).toBe(1_000_000)
    expect(clock()).toBe(1_000_010)
  })

  it('with maxReads 1 is Date.now()', () => {
    const clock = createCoarseClock({ maxReads: 1 })
    for (let i = 0; i < 5; i++) {
      busy(i)
      expect(clock()).toBe(Date.now())
    }
  })

  it('property: never ahead of the real time, stale for fewer than maxReads calls, exact after a turn', () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('call' as const), times: fc.integer({ min: 1, max: 50 }) }),
      fc.record({ kind: fc.constant('busy' as const), ms: fc.integer({ min: 0, max: 400 }) }),
      fc.record({ kind: fc.constant('turn' as const), ms: fc.integer({ min: 0, max: 5 }) }),
    )
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 40 }),
        fc.array(step, { maxLength: 40 }),
        (resolutionMs, maxReads, steps) => {
          vi.clearAllTimers()
          vi.setSystemTime(1_000_000)
          const clock = createCoarseClock({ resolutionMs, maxReads })
          let stale = 0
          let turned = false
          // A timer that has not fired after a second is taken as lost (fake timers removed) and armed again, so a
          // long enough blocked stretch may hold one more timer per second of it.
          let blockedMs = 0
          for (const s of steps) {
            if (s.kind === 'busy') {
              busy(s.ms)
              blockedMs += s.ms
            } else if (s.kind === 'turn') {
              turn(s.ms)
              turned = s.ms >= resolutionMs
              if (turned) stale = 0
            } else {
              for (let i = 0; i < s.times; i++) {
                const t = clock()
                expect(t).toBeLessThanOrEqual(Date.now())
                if (turned) {
                  expect(t).toBe(Date.now())
                  turned = false
                }
                stale = t < Date.now() ? stale + 1 : 0
                expect(stale).toBeLessThan(maxReads)
              }
            }
            expect(vi.getTimerCount()).toBeLessThanOrEqual(1 + Math.floor(blockedMs / 1000))
          }
        },
      ),
    )
  })
})
