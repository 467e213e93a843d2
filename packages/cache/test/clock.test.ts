import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createCoarseClock, createResponseCache } from '@gatehousejs/cache'

// Fake timers drive both Date.now and setTimeout, so "time passes" and "the event loop turns" are separate steps.
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
  it('answers one reading until its timer fires, then reads again', () => {
    const clock = createCoarseClock(1)
    expect(clock()).toBe(1_000_000)
    busy(5)
    expect(clock()).toBe(1_000_000)
    turn(1)
    expect(clock()).toBe(1_000_006)
  })

  it('reads again every 256th call while the event loop is blocked', () => {
    const clock = createCoarseClock(1)
    clock()
    busy(10)
    for (let i = 1; i < 256; i++) expect(clock()).toBe(1_000_000)
    expect(clock()).toBe(1_000_010)
  })

  it('holds at most one timer, unref-ed, and none once idle', () => {
    const clock = createCoarseClock(1)
    const unref = vi.fn()
    const real = globalThis.setTimeout
    const spy = vi.spyOn(globalThis, 'setTimeout').mockImplementation(((fn: () => void, ms: number) => {
      const timer = real(fn, ms)
      unref()
      return timer
    }) as typeof setTimeout)
    for (let i = 0; i < 1000; i++) clock()
    expect(spy).toHaveBeenCalledTimes(1)
    expect(vi.getTimerCount()).toBe(1)
    turn(1)
    expect(vi.getTimerCount()).toBe(0)
    expect(unref).toHaveBeenCalledTimes(1)
    spy.mockRestore()
  })

  it('sets another timer when one never fires (fake timers uninstalled)', () => {
    const clock = createCoarseClock(1)
    clock()
    vi.clearAllTimers()
    busy(2000)
    for (let i = 0; i < 256; i++) clock()
    expect(vi.getTimerCount()).toBe(1)
    turn(1)
    expect(clock()).toBe(Date.now())
  })

  it('property: never ahead of the real time; exact after a turn; stale for fewer than 256 calls', () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('call' as const), times: fc.integer({ min: 1, max: 300 }) }),
      fc.record({ kind: fc.constant('busy' as const), ms: fc.integer({ min: 0, max: 400 }) }),
      fc.record({ kind: fc.constant('turn' as const), ms: fc.integer({ min: 0, max: 5 }) }),
    )
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.array(step, { maxLength: 40, size: 'max' }), (resolution, steps) => {
        vi.clearAllTimers()
        vi.setSystemTime(1_000_000)
        const clock = createCoarseClock(resolution)
        // Calls in a row that answered an older time than Date.now(), and whether the loop turned long enough
        // for every timer the clock set to fire.
        let stale = 0
        let turned = false
        for (const s of steps) {
          if (s.kind === 'busy') busy(s.ms)
          else if (s.kind === 'turn') {
            turn(s.ms)
            if (s.ms >= resolution) turned = true
          } else {
            for (let i = 0; i < s.times; i++) {
              const t = clock()
              const real = Date.now()
              // Plain checks: this loop runs often enough for expect's cost to show.
              if (t > real) throw new Error(`ahead: ${t} > ${real}`)
              if (turned && t !== real) throw new Error(`stale after a turn: ${t} < ${real}`)
              turned = false
              stale = t === real ? 0 : stale + 1
              if (stale >= 256) throw new Error('256 calls in a row answered from an old reading')
            }
          }
        }
      }),
      { numRuns: 200 },
    )
  })
})

describe('createResponseCache on the default clock', () => {
  it('stops serving an entry once the clock reads past its expiry: at the next turn, or within 256 calls', () => {
    const cache = createResponseCache({ maxBytes: 1000, ttlSeconds: 1 })
    cache.set('k', { statusCode: 200, headers: {}, body: 'v' })
    expect(cache.get('k')).toBeDefined()
    busy(1000)
    // The reading is from before the expiry: still served, for the resolution (here: one blocked turn).
    expect(cache.get('k')).toBeDefined()
    turn(1)
    expect(cache.get('k')).toBeUndefined()

    cache.set('j', { statusCode: 200, headers: {}, body: 'v' })
    busy(1000)
    let served = 0
    for (let i = 0; i < 300; i++) if (cache.get('j') !== undefined) served++
    expect(served).toBeLessThan(256)
    expect(cache.get('j')).toBeUndefined()
  })
})
