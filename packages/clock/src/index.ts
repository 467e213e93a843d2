/**
 * `@gatehousejs/clock`: the coarse clock the in-memory cache and token buckets use on their hot paths, where
 * reading the system clock (80–200 ns in a virtual machine) costs more than the work it times.
 */

/** A timer this late is taken for lost; at worst a blocked event loop gets one more timer per second. */
const LOST_TIMER_MS = 1000

/**
 * How coarse a {@link createCoarseClock} may be.
 *
 * @example
 * ```ts
 * const options: CoarseClockOptions = { resolutionMs: 5, maxReads: 256 }
 * const now = createCoarseClock(options)
 * ```
 */
export interface CoarseClockOptions {
  /** Read `Date.now()` again once this many milliseconds have passed while the event loop turns. Default 1. */
  resolutionMs?: number
  /**
   * Calls one reading may answer at most: bounds how stale the clock gets while synchronous work keeps the
   * event loop (and so the timer) from running. Default 64.
   */
  maxReads?: number
}

/**
 * A clock that calls `Date.now()` once per `resolutionMs` (an unref'd timer) or once per `maxReads` calls,
 * whichever comes first.
 *
 * It holds one timer only while in use and none when idle, so it never keeps the process open; a timer that has
 * not fired for a second (fake timers uninstalled in a test) is replaced. The time it answers is never ahead of
 * the real time; it lags by at most `resolutionMs` while the event loop turns and, when synchronous work blocks
 * the loop, by the time since the latest of every `maxReads` calls.
 *
 * @example
 * ```ts
 * import { createCoarseClock } from '@gatehousejs/clock'
 * const now = createCoarseClock({ resolutionMs: 1, maxReads: 256 })
 * const expiresAt = now() + 60_000
 * ```
 */
export function createCoarseClock(options: CoarseClockOptions = {}): () => number {
  const resolutionMs = options.resolutionMs ?? 1
  const maxReads = options.maxReads ?? 64
  if (!(resolutionMs >= 0 && Number.isFinite(resolutionMs))) throw new RangeError('resolutionMs must be a finite number >= 0')
  if (!(Number.isSafeInteger(maxReads) && maxReads >= 1)) throw new RangeError('maxReads must be an integer >= 1')
  let reading = 0
  /** Calls the reading may still answer; the timer sets it to 0. One counter keeps the common path to one test. */
  let left = 0
  /** When the pending timer was set (-1: none pending). */
  let armedAt = -1
  const expire = () => {
    left = 0
    armedAt = -1
  }
  const read = () => {
    reading = Date.now()
    left = maxReads - 1
    if (armedAt < 0 || reading - armedAt > LOST_TIMER_MS) {
      armedAt = reading
      setTimeout(expire, resolutionMs).unref()
    }
    return reading
  }
  return () => (--left >= 0 ? reading : read())
}
