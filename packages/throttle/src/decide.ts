import { ceilDiv } from './policy'
import type { BucketPolicy, TakeResult } from './types'

/**
 * Credit (in units) after refilling `credit` for `dt` whole milliseconds. Exact: integers only, and `dt * perMs`
 * is computed only when it cannot overflow (below `fillMs`, by which time the bucket is full anyway).
 *
 * @example
 * ```ts
 * import { compileBucketPolicy, refill } from '@gatehousejs/throttle'
 * const p = compileBucketPolicy({ rate: 1, burst: 5 }) // unit 1000, perMs 1
 * refill(p, 0, 2500) // 2500 units = 2.5 tokens
 * ```
 */
export function refill(policy: BucketPolicy, credit: number, dt: number): number {
  if (dt <= 0) return credit
  if (dt >= policy.fillMs) return policy.capacity
  const c = credit + dt * policy.perMs
  return Math.min(c, policy.capacity)
}

/**
 * The {@link TakeResult} for a bucket left holding `credit` units after a decision that needed `cost` units.
 * Shared by every store so they all answer the same numbers.
 *
 * @example
 * ```ts
 * import { bucketResult, compileBucketPolicy } from '@gatehousejs/throttle'
 * const p = compileBucketPolicy({ rate: 1, burst: 5 })
 * bucketResult(p, true, 4 * p.unit, p.unit) // { allowed: true, remaining: 4, nextTokenMs: 1000, … }
 * ```
 */
export function bucketResult(policy: BucketPolicy, allowed: boolean, credit: number, cost: number): TakeResult {
  return decision(policy.burst, policy.unit, policy.perMs, policy.capacity, allowed, credit, cost)
}

/**
 * {@link bucketResult} from the policy's numbers as arguments, so the memory store's hot path passes fields it
 * already holds and the call inlines to plain arithmetic.
 */
export function decision(
  limit: number,
  unit: number,
  perMs: number,
  capacity: number,
  allowed: boolean,
  credit: number,
  cost: number,
): TakeResult {
  const remaining = unit === 1 ? credit : Math.floor(credit / unit)
  let nextTokenMs = 0
  let resetMs = 0
  if (credit < capacity) {
    if (perMs === 0) {
      nextTokenMs = Infinity
      resetMs = Infinity
    } else {
      // credit - remaining * unit is credit mod unit: exact, and unlike a float `%` it is not a call into C.
      nextTokenMs = ceilDiv(unit - (credit - remaining * unit), perMs)
      resetMs = ceilDiv(capacity - credit, perMs)
    }
  }
  let retryAfterMs = 0
  if (!allowed) retryAfterMs = cost > capacity || perMs === 0 ? Infinity : ceilDiv(cost - credit, perMs)
  // Always the same keys in the same order: one object shape for every decision of every store.
  return { allowed, remaining, limit, retryAfterMs, nextTokenMs, resetMs }
}
