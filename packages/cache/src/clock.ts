/**
 * Calls answered from one reading at most, however long the event loop stays busy. Reading the clock can take
 * ~200 ns in a virtual machine, so this keeps its cost under 1 ns per call.
 */
const READS_PER_READING = 256

/** A timer this late is taken for lost; at worst a blocked event loop gets one more timer per second. */
const LOST_TIMER_MS = 1000

/**
 * The default clock of the in-memory cache: `Date.now()` read again at most once per `resolutionMs` while the
 * event loop turns (as lru-cache's `ttlResolution` does), and after every 256 calls, because reading the system
 * clock costs more than a cache hit.
 *
 * One unref'd timer at a time (another only when one has not fired for a second), and only while the clock is in
 * use, so nothing keeps the process open. The time it answers is never ahead of the real time and behind it by
 * at most `resolutionMs` while the event loop turns; when synchronous work keeps the loop from running the timer,
 * by the time since the latest reading (every 256th call reads). Pass `now: Date.now` for an exact clock.
 *
 * @example
 * ```ts
 * import { createCoarseClock, createResponseCache } from '@gatehousejs/cache'
 * const cache = createResponseCache({ maxBytes: 1 << 20, now: createCoarseClock(5) })
 * ```
 */
export function createCoarseClock(resolutionMs = 1): () => number {
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
    left = READS_PER_READING - 1
    // A timer that has not fired for a second was lost (fake timers uninstalled in a test): set another.
    if (armedAt < 0 || reading - armedAt > LOST_TIMER_MS) {
      armedAt = reading
      setTimeout(expire, resolutionMs).unref()
    }
    return reading
  }
  return () => (--left >= 0 ? reading : read())
}
