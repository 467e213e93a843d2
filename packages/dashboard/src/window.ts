/**
 * One route's last `windowSeconds` seconds: a ring of 1-second buckets, each with its counters and a small latency
 * histogram. A bucket is made the first time its slot is used and reused after, so a route holds at most
 * `windowSeconds` buckets whatever its traffic.
 */
import { LatencyHistogram } from './histogram'

/** What one answered request adds to its route's window. */
export interface Sample {
  /** Response status code. */
  status: number
  /** Milliseconds from the request's arrival to its response. */
  latency: number
  /** The stage cache's answer, when it was asked. */
  cache: 'hit' | 'miss' | undefined
  /** The gateway response the request ended in (`THROTTLED`, `QUOTA_EXCEEDED`, …), when it ended in one. */
  failure: string | undefined
}

interface Bucket {
  second: number
  count: number
  clientErrors: number
  serverErrors: number
  cacheHits: number
  cacheMisses: number
  throttled: number
  quotaExceeded: number
  latency: LatencyHistogram
}

/** A window's sums: the counters over the window, its latency percentiles and the requests of each second. */
export interface WindowSummary {
  requests: number
  /** Requests per second over the whole window. */
  rate: number
  clientErrors: number
  serverErrors: number
  cacheHits: number
  cacheMisses: number
  /** Hits over stage-cache lookups; null when the cache was not asked. */
  cacheHitRatio: number | null
  throttled: number
  quotaExceeded: number
  /** Milliseconds; null without requests. */
  p50: number | null
  p99: number | null
  /** Requests per second, oldest second first, the current second last (`windowSeconds` numbers). */
  series: number[]
}

/**
 * Counters and latencies of the last `windowSeconds` seconds, in 1-second buckets.
 *
 * @example
 * ```ts
 * const w = new SecondWindow(60)
 * w.record(1_000, { status: 200, latency: 12, cache: undefined, failure: undefined })
 * w.record(1_001, { status: 429, latency: 1, cache: undefined, failure: 'THROTTLED' })
 * w.summary(1_001).requests // 2
 * w.summary(1_001).throttled // 1
 * w.summary(1_061).requests // 0: both seconds left the window
 * ```
 */
export class SecondWindow {
  private readonly buckets: (Bucket | undefined)[]

  constructor(readonly windowSeconds: number) {
    this.buckets = new Array<Bucket | undefined>(windowSeconds)
  }

  /** Count a request answered in `second` (whole seconds since the epoch). */
  record(second: number, sample: Sample): void {
    const slot = ((second % this.windowSeconds) + this.windowSeconds) % this.windowSeconds
    let bucket = this.buckets[slot]
    if (bucket === undefined) {
      bucket = emptyBucket(second)
      this.buckets[slot] = bucket
    } else if (bucket.second !== second) {
      // A late sample of a second whose slot a newer second has taken: that second is no longer tracked.
      if (second < bucket.second) return
      resetBucket(bucket, second)
    }
    bucket.count++
    if (sample.status >= 400 && sample.status < 500) bucket.clientErrors++
    else if (sample.status >= 500 && sample.status < 600) bucket.serverErrors++
    if (sample.cache === 'hit') bucket.cacheHits++
    else if (sample.cache === 'miss') bucket.cacheMisses++
    if (sample.failure === 'THROTTLED') bucket.throttled++
    else if (sample.failure === 'QUOTA_EXCEEDED') bucket.quotaExceeded++
    bucket.latency.record(sample.latency)
  }

  /** The window ending with second `now` (whole seconds since the epoch). */
  summary(now: number): WindowSummary {
    const w = this.windowSeconds
    const series = new Array<number>(w).fill(0)
    const latency = new LatencyHistogram()
    const out: WindowSummary = {
      requests: 0,
      rate: 0,
      clientErrors: 0,
      serverErrors: 0,
      cacheHits: 0,
      cacheMisses: 0,
      cacheHitRatio: null,
      throttled: 0,
      quotaExceeded: 0,
      p50: null,
      p99: null,
      series,
    }
    for (const bucket of this.buckets) {
      if (bucket === undefined || bucket.second > now || bucket.second <= now - w) continue
      series[w - 1 - (now - bucket.second)] = bucket.count
      out.requests += bucket.count
      out.clientErrors += bucket.clientErrors
      out.serverErrors += bucket.serverErrors
      out.cacheHits += bucket.cacheHits
      out.cacheMisses += bucket.cacheMisses
      out.throttled += bucket.throttled
      out.quotaExceeded += bucket.quotaExceeded
      latency.merge(bucket.latency)
    }
    out.rate = out.requests / w
    const lookups = out.cacheHits + out.cacheMisses
    out.cacheHitRatio = lookups === 0 ? null : out.cacheHits / lookups
    out.p50 = latency.quantile(0.5)
    out.p99 = latency.quantile(0.99)
    return out
  }

  /** How many buckets (each with one histogram) this window holds: never more than `windowSeconds`. */
  allocatedBuckets(): number {
    let n = 0
    for (const bucket of this.buckets) if (bucket !== undefined) n++
    return n
  }
}

function emptyBucket(second: number): Bucket {
  return {
    second,
    count: 0,
    clientErrors: 0,
    serverErrors: 0,
    cacheHits: 0,
    cacheMisses: 0,
    throttled: 0,
    quotaExceeded: 0,
    latency: new LatencyHistogram(),
  }
}

function resetBucket(bucket: Bucket, second: number): void {
  bucket.second = second
  bucket.count = 0
  bucket.clientErrors = 0
  bucket.serverErrors = 0
  bucket.cacheHits = 0
  bucket.cacheMisses = 0
  bucket.throttled = 0
  bucket.quotaExceeded = 0
  bucket.latency.clear()
}
