/**
 * A small latency histogram with a fixed number of log-spaced buckets: constant memory whatever the traffic, and a
 * percentile within a known relative error of the exact one (see `HISTOGRAM_RELATIVE_ERROR`).
 */

/** Latencies under this many ms share bucket 0 (an absolute error of at most this much). */
export const HISTOGRAM_MIN_MS = 0.1
/** Latencies from this many ms (100 s) share the last bucket, reported as the largest latency seen. */
export const HISTOGRAM_MAX_MS = 100_000
/** Each bucket's upper bound is this factor times its lower bound. */
export const HISTOGRAM_GROWTH = 1.15
/** Bucket 0 (under the minimum), the log-spaced buckets, and the overflow bucket. */
export const HISTOGRAM_BUCKETS = Math.ceil(Math.log(HISTOGRAM_MAX_MS / HISTOGRAM_MIN_MS) / Math.log(HISTOGRAM_GROWTH)) + 2
/**
 * How far a percentile of latencies between `HISTOGRAM_MIN_MS` and `HISTOGRAM_MAX_MS` can be from the exact one,
 * relative to it: a bucket is reported as its geometric middle, at most √growth away from any value in it.
 */
export const HISTOGRAM_RELATIVE_ERROR = Math.sqrt(HISTOGRAM_GROWTH) - 1

const LOG_GROWTH = Math.log(HISTOGRAM_GROWTH)
const LAST = HISTOGRAM_BUCKETS - 1

/**
 * The bucket a latency (ms) falls in: 0 under the minimum (and for NaN or negative values), the last one from the
 * maximum.
 *
 * @example
 * ```ts
 * bucketOf(0) // 0
 * bucketOf(HISTOGRAM_MAX_MS) // HISTOGRAM_BUCKETS - 1
 * ```
 */
export function bucketOf(ms: number): number {
  if (!(ms >= HISTOGRAM_MIN_MS)) return 0
  if (ms >= HISTOGRAM_MAX_MS) return LAST
  const i = Math.floor(Math.log(ms / HISTOGRAM_MIN_MS) / LOG_GROWTH) + 1
  return Math.min(LAST - 1, Math.max(1, i))
}

/** The value a bucket reports: the geometric middle of its bounds (half the minimum for bucket 0). */
function representative(bucket: number): number {
  if (bucket === 0) return HISTOGRAM_MIN_MS / 2
  return HISTOGRAM_MIN_MS * HISTOGRAM_GROWTH ** (bucket - 0.5)
}

/**
 * Counts of latencies in log-spaced buckets, with their number, sum, minimum and maximum.
 *
 * @example
 * ```ts
 * const h = new LatencyHistogram()
 * for (const ms of [3, 5, 8, 120]) h.record(ms)
 * h.quantile(0.5) // about 5 (within HISTOGRAM_RELATIVE_ERROR)
 * h.quantile(0.99) // 120 (the largest latency bounds the estimate)
 * ```
 */
export class LatencyHistogram {
  readonly counts = new Uint32Array(HISTOGRAM_BUCKETS)
  count = 0
  sum = 0
  min = Number.POSITIVE_INFINITY
  max = Number.NEGATIVE_INFINITY

  /** Count one latency (ms); a NaN or negative one counts as 0. */
  record(ms: number): void {
    // biome-ignore lint/complexity/useMathMinMax: Math.max(NaN, 0) is NaN; NaN must count as 0.
    const value = ms >= 0 ? ms : 0
    this.counts[bucketOf(value)]!++
    this.count++
    this.sum += value
    if (value < this.min) this.min = value
    if (value > this.max) this.max = value
  }

  /** Add another histogram's counts to this one. */
  merge(other: LatencyHistogram): void {
    if (other.count === 0) return
    const mine = this.counts
    const theirs = other.counts
    for (let i = 0; i < HISTOGRAM_BUCKETS; i++) mine[i]! += theirs[i]!
    this.count += other.count
    this.sum += other.sum
    if (other.min < this.min) this.min = other.min
    if (other.max > this.max) this.max = other.max
  }

  clear(): void {
    this.counts.fill(0)
    this.count = 0
    this.sum = 0
    this.min = Number.POSITIVE_INFINITY
    this.max = Number.NEGATIVE_INFINITY
  }

  /**
   * The `q` quantile (0 < q ≤ 1) by the nearest-rank method, estimated from the buckets and kept between the
   * smallest and largest latency seen; null when nothing was counted.
   */
  quantile(q: number): number | null {
    if (this.count === 0) return null
    const rank = Math.max(1, Math.ceil(q * this.count))
    let seen = 0
    let bucket = LAST
    for (let i = 0; i < HISTOGRAM_BUCKETS; i++) {
      seen += this.counts[i]!
      if (seen >= rank) {
        bucket = i
        break
      }
    }
    const estimate = bucket === LAST ? this.max : representative(bucket)
    return Math.min(this.max, Math.max(this.min, estimate))
  }
}
