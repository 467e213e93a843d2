/**
 * Calls answered from one reading at most, however long the event loop stays busy. Reading the clock can take
 * ~200 ns in a virtual machine, so this keeps its cost under 1 ns per call.
 */
const READS_PER_READING = 256

/**
 * The default clock of the in-memory cache: `Date.now()` read again at most once per `resolutionMs` while the
 * event loop turns (as lru-cache's `ttlResolution` does), and after every 256 calls, because reading the system
 * clock costs more than a cache hit.
 *
 * Only one unref'd timer exists, and only while the clock is in use, so nothing keeps the process open. The time
 * it answers is behind the real time by at most `resolutionMs`, or, when synchronous work keeps the event loop
 * from running the timer, by the time since the latest reading (every 256th call reads). Pass `now: Date.now`
 * for an exact clock.
 *
 * @example
 * ```ts
 * import { createCoarseClock, createResponseCache } from '@gatehouse/cache'
 * const cache = createResponseCache({ maxBytes: 1 << 20, now: createCoarseClock(5) })
 * ```
 */
export function createCoarseClock(resolutionMs = 1): () => number {
  let reading = 0
  /** Calls the reading may still answer; the timer sets it to 0. One counter keeps the common path to one test. */
  let left = 0
  let timing = false
  const expire = () => {
    left = 0
    timing = false
  }
  const read = () => {
    reading = Date.now()
    left = READS_PER_READING - 1
    if (!timing) {
      timing = true
      setTimeout(expire, resolutionMs).unref()
    }
    return reading
  }
  return () => (--left >= 0 ? reading : read())
}
