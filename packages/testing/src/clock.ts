/**
 * A clock a test moves by hand, for the gateway's `now` option: token buckets, usage-plan quotas, authorizer and
 * stage-cache TTLs, JWT expiry and SigV4 skew all read it.
 */

/** A clock moved only by `advance` and `set`. Its methods are closures: pass `clock.now` unbound. */
export interface FakeClock {
  /** The current time, epoch milliseconds (what `GatewayInput.now` expects). */
  now(): number
  /** Move forward by `ms` (>= 0, finite); returns the new time. */
  advance(ms: number): number
  /** Jump to a moment (a `Date`, epoch milliseconds or an ISO string), forward or back; returns the new time. */
  set(date: Date | number | string): number
}

/** Where a clock created without a start stands: 2025-01-01T00:00:00Z, so runs do not depend on the real date. */
export const FAKE_CLOCK_EPOCH = Date.UTC(2025, 0, 1)

function toEpoch(date: Date | number | string, what: string): number {
  const ms = date instanceof Date ? date.getTime() : typeof date === 'string' ? Date.parse(date) : date
  if (typeof ms !== 'number' || !Number.isFinite(ms)) throw new TypeError(`${what}: not a valid date: ${String(date)}`)
  return ms
}

/**
 * A fake clock for `createGateway({ now: clock.now })`.
 *
 * @example
 * ```ts
 * import { createGateway } from '@gatehousejs/core'
 * import { createFakeClock } from '@gatehousejs/testing'
 * const clock = createFakeClock('2025-01-15T23:59:59Z')
 * const gw = createGateway({ api, now: clock.now, usagePlans, apiKeys })
 * clock.advance(1000) // the next UTC day: quotas start again
 * ```
 */
export function createFakeClock(start: Date | number | string = FAKE_CLOCK_EPOCH): FakeClock {
  let t = toEpoch(start, 'createFakeClock')
  return {
    now: () => t,
    advance: (ms: number) => {
      if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0)
        throw new RangeError(`advance: expected a finite number of milliseconds >= 0, got ${String(ms)}`)
      t += ms
      return t
    },
    set: (date: Date | number | string) => {
      t = toEpoch(date, 'set')
      return t
    },
  }
}
