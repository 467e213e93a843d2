/**
 * A clock that reads `Date.now()` at most once per `resolutionMs` while it is being used, for callers making
 * millions of decisions per second where reading the system clock dominates the cost.
 *
 * It holds one unref'd timer only while hot (never keeping the process open) and none when idle. Between reads the
 * time it reports can lag the real time by the resolution, or longer while the event loop is blocked; a lagging
 * clock only makes a token bucket stricter (fewer tokens refilled), never more generous.
 *
 * @example
 * ```ts
 * import { createCoarseClock, createTokenBucket } from '@gatehouse/throttle'
 * const bucket = createTokenBucket({ rate: 10_000, burst: 5_000, now: createCoarseClock() })
 * ```
 */
export function createCoarseClock(resolutionMs = 1): () => number {
  let cached = -1
  const expire = () => {
    cached = -1
  }
  return () => {
    if (cached < 0) {
      cached = Date.now()
      setTimeout(expire, resolutionMs).unref()
    }
    return cached
  }
}
