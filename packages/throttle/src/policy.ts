import { ThrottleError } from './errors'
import type { BucketPolicy } from './types'

/** Largest denominator used to represent a fractional rate exactly. */
const MAX_DENOMINATOR = 1000

function gcd(a: number, b: number): number {
  while (b !== 0) {
    const t = a % b
    a = b
    b = t
  }
  return a
}

/**
 * The best rational approximation p/q of `x` with q ≤ MAX_DENOMINATOR (continued fractions). Decimal rates with up
 * to three decimals, and simple fractions such as 1/3 given as 0.3333…, come out exact.
 */
export function toFraction(x: number): [number, number] {
  let [h0, h1, k0, k1] = [0, 1, 1, 0]
  let v = x
  for (let i = 0; i < 64; i++) {
    const a = Math.floor(v)
    const h2 = a * h1 + h0
    const k2 = a * k1 + k0
    if (k2 > MAX_DENOMINATOR) break
    ;[h0, h1, k0, k1] = [h1, h2, k1, k2]
    const frac = v - a
    if (frac < 1e-12 || Math.abs(h1 / k1 - x) <= Math.abs(x) * 1e-15) break
    v = 1 / frac
  }
  return [h1, k1]
}

/**
 * ⌈a / b⌉ for integers 0 ≤ a < 2^53 and 1 ≤ b < 2^53, exact.
 *
 * Why a float quotient is exact here: if a / b is not an integer k, it lies in (k - 1, k) at least 1 / b above
 * k - 1, while rounding it down to k - 1 would take an error of (k - 1) · 2^-53 ≥ 1 / b, i.e. (k - 1) · b ≥ 2^53 > a.
 * So the rounded quotient lies in (k - 1, k] and its ceiling is k (property-tested against BigInt).
 *
 * @example
 * ```ts
 * import { ceilDiv } from '@gatehousejs/throttle'
 * ceilDiv(7, 2) // 4
 * ```
 */
export function ceilDiv(a: number, b: number): number {
  // The common cases of a decision skip the division: a wait of at most one millisecond, or one unit per ms.
  if (a <= b) return a > 0 ? 1 : 0
  return b === 1 ? a : Math.ceil(a / b)
}

/**
 * Options shared by {@link compileBucketPolicy} and `createTokenBucket`.
 *
 * @example
 * ```ts
 * import { createMemoryStore, createTokenBucket } from '@gatehousejs/throttle'
 * const store = createMemoryStore()
 * // Two limits in one store: distinct names keep their keys apart.
 * const gold = createTokenBucket({ rate: 100, burst: 200, name: 'usage-plan:gold', store })
 * const stage = createTokenBucket({ rate: 10_000, burst: 5_000, name: 'stage:prod', store })
 * const allowed = gold.take('api-key-1').allowed && stage.take('prod').allowed
 * ```
 */
export interface BucketPolicyOptions {
  /** Tokens added per second; fractions allowed (API Gateway's `rateLimit` / `throttlingRateLimit`). */
  rate: number
  /** Capacity in whole tokens (API Gateway's `burstLimit` / `throttlingBurstLimit`). */
  burst: number
  /** Namespace for this bucket's keys in a shared store; buckets sharing a store need distinct names. Default `tb`. */
  name?: string
}

/**
 * Validates a bucket's options and compiles them into exact integer arithmetic.
 *
 * @throws {ThrottleError} `INVALID_RATE` or `INVALID_BURST`.
 * @example
 * ```ts
 * import { compileBucketPolicy } from '@gatehousejs/throttle'
 * compileBucketPolicy({ rate: 10_000, burst: 5_000 }) // { unit: 1, perMs: 10, capacity: 5000, fillMs: 500, … }
 * ```
 */
export function compileBucketPolicy(options: BucketPolicyOptions): BucketPolicy {
  const { rate, burst } = options
  if (typeof rate !== 'number' || !Number.isFinite(rate) || rate < 0) {
    throw new ThrottleError('INVALID_RATE', `rate must be a finite number >= 0, got ${String(rate)}`)
  }
  if (!Number.isSafeInteger(burst) || burst < 0) {
    throw new ThrottleError('INVALID_BURST', `burst must be an integer >= 0, got ${String(burst)}`)
  }
  const [p, q] = toFraction(rate)
  // Per millisecond the bucket gains p / (1000 q) tokens: count in units of 1 / (1000 q) tokens, reduced.
  let unit = 1000 * q
  let perMs = p
  if (perMs > 0) {
    const g = gcd(perMs, unit)
    unit /= g
    perMs /= g
  } else {
    unit = 1
  }
  const capacity = burst * unit
  // Refill computes credit + dt * perMs with dt < fillMs, which stays below 2 * capacity + perMs: keep that exact.
  if (2 * capacity + 2 * perMs > Number.MAX_SAFE_INTEGER) {
    throw new ThrottleError('INVALID_BURST', `burst ${burst} at rate ${rate} is too large for exact arithmetic`)
  }
  const fillMs = perMs === 0 ? Infinity : ceilDiv(capacity, perMs)
  return Object.freeze({ name: options.name ?? 'tb', rate, burst, unit, perMs, capacity, fillMs })
}
