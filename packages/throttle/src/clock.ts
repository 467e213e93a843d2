/**
 * The token buckets' opt-in coarse clock: `@gatehousejs/clock`'s with the throttle's tuning.
 */
import { createCoarseClock as coarseClock } from '@gatehousejs/clock'

/** Readings a coarse clock serves from one `Date.now()` call at most: bounds its lag in a synchronous run. */
const MAX_READS = 64

/**
 * `@gatehousejs/clock`'s coarse clock, tuned for token buckets: `Date.now()` once per `resolutionMs` (a timer) or
 * per 64 readings, whichever comes first (fewer readings than a cache's, to bound the admission error below), for
 * callers making millions of decisions per second where reading the system clock dominates the cost (about
 * 80 ns a call on common virtual machines).
 *
 * It holds one unref'd timer only while in use (never keeping the process open) and none when idle. Its reading
 * lags the real time by at most the resolution plus the event-loop turn in progress, and by no more than 63
 * readings. A token bucket on a lagging clock refills late: it can refuse a client sending exactly at the rate
 * (by up to the lag's worth of tokens), and, because a decision is booked at a time earlier than it happened, it
 * can admit up to `rate × lag` tokens more than `burst + rate × elapsed` over a window. The default clock
 * (`Date.now()` on every decision) is exact; see the README for when this trade is worth it.
 *
 * @example
 * ```ts
 * import { createCoarseClock, createTokenBucket } from '@gatehousejs/throttle'
 * const bucket = createTokenBucket({ rate: 10_000, burst: 5_000, now: createCoarseClock() })
 * ```
 */
export function createCoarseClock(resolutionMs = 1): () => number {
  return coarseClock({ resolutionMs, maxReads: MAX_READS })
}
