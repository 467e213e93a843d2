/**
 * The default clock of the in-memory cache: `Date.now()` read at most once per `resolutionMs` while the cache is
 * busy (as lru-cache's `ttlResolution` does), because reading the system clock costs more than a cache hit.
 *
 * One unref'd timer exists only while hot, none when idle, so nothing keeps the process open. The time it reports
 * lags by at most the resolution plus one blocked event-loop turn; pass `now: Date.now` for an exact clock.
 *
 * @example
 * ```ts
 * import { createCoarseClock, createResponseCache } from '@gatehouse/cache'
 * const cache = createResponseCache({ maxBytes: 1 << 20, now: createCoarseClock(5) })
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
