/**
 * The cache's default clock: `@gatehousejs/clock`'s coarse clock with the cache's tuning.
 */
import { createCoarseClock as coarseClock } from '@gatehousejs/clock'

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
 * `@gatehousejs/clock`'s coarse clock, tuned for a cache: a hit costs less than reading the clock, so one reading
 * answers up to 256 calls. The time it answers is never ahead of the real time. Pass `now: Date.now` for an exact
 * clock.
 *
 * @example
 * ```ts
 * import { createCoarseClock, createResponseCache } from '@gatehousejs/cache'
 * const cache = createResponseCache({ maxBytes: 1 << 20, now: createCoarseClock(5) })
 * ```
 */
export function createCoarseClock(resolutionMs = 1): () => number {
  return coarseClock({ resolutionMs, maxReads: READS_PER_READING })
}
