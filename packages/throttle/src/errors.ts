/**
 * Stable codes of {@link ThrottleError}, so callers can `switch (err.code)`.
 *
 * - `INVALID_RATE`: `rate` is not a finite number ≥ 0.
 * - `INVALID_BURST`: `burst` is not an integer ≥ 0, or is so large that exact integer arithmetic would overflow.
 * - `INVALID_COST`: `take(key, n)` / `consume(key, n)` with `n` that is not an integer ≥ 0.
 * - `INVALID_QUOTA`: `limit` is not an integer ≥ 0, `period` is not `DAY`/`WEEK`/`MONTH`, `offset` is not an
 *   integer in `[0, limit)`, or `weekStartsOn` is not 0–6.
 * - `INVALID_STORE_OPTION`: a store option (such as `maxKeys`) is out of range.
 *
 * @example
 * ```ts
 * import { createQuota, ThrottleError } from '@gatehousejs/throttle'
 * try {
 *   createQuota({ limit: 100, period: 'DAY', offset: 100 })
 * } catch (err) {
 *   if (!(err instanceof ThrottleError)) throw err
 *   switch (err.code) {
 *     case 'INVALID_QUOTA': // offset must be below limit
 *       console.error(err.message)
 *       break
 *     default:
 *       throw err
 *   }
 * }
 * ```
 */
export type ThrottleErrorCode = 'INVALID_RATE' | 'INVALID_BURST' | 'INVALID_COST' | 'INVALID_QUOTA' | 'INVALID_STORE_OPTION'

/**
 * Thrown when a bucket, quota or store is configured wrongly (at construction), or when `take`/`consume` gets a
 * cost that is not a non-negative integer. Decisions themselves are values, never exceptions.
 *
 * @example
 * ```ts
 * import { createTokenBucket, ThrottleError } from '@gatehousejs/throttle'
 * try {
 *   createTokenBucket({ rate: -1, burst: 10 })
 * } catch (err) {
 *   if (err instanceof ThrottleError && err.code === 'INVALID_RATE') console.log(err.message)
 * }
 * ```
 */
export class ThrottleError extends Error {
  /** Stable, machine-readable reason. */
  readonly code: ThrottleErrorCode

  constructor(code: ThrottleErrorCode, message: string) {
    super(message)
    this.name = 'ThrottleError'
    this.code = code
  }
}
