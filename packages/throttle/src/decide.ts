import { ceilDiv } from './policy'
import type { BucketPolicy, TakeResult } from './types'

/**
 * Credit (in units) after refilling `credit` for `dt` whole milliseconds. Exact: integers only, and `dt * perMs`
 * is computed only when it cannot overflow (below `fillMs`, by which time the bucket is full anyway).
 *
 * @example
 * ```ts
 * import { compileBucketPolicy, refill } from '@gatehouse/throttle'
 * const p = compileBucketPolicy({ rate: 1, burst: 5 }) // unit 1000, perMs 1
 * refill(p, 0, 2500) // 2500 units = 2.5 tokens
 * ```
 */
export function refill(policy: BucketPolicy, credit: number, dt: number): number {
  if (dt <= 0) return credit
  if (dt >= policy.fillMs) return policy.capacity
  const c = credit + dt * policy.perMs
  return c < policy.capacity ? c : policy.capacity
}

/**
 * The {@link TakeResult} for a bucket left holding `credit` units after a decision that needed `cost` units.
 * Shared by every store so they all answer the same numbers.
 *
 * @example
 * ```ts
 * import { bucketResult, compileBucketPolicy } from '@gatehouse/throttle'
 * const p = compileBucketPolicy({ rate: 1, burst: 5 })
 * bucketResult(p, true, 4 * p.unit, p.unit) // { allowed: true, remaining: 4, nextTokenMs: 1000, … }
 * ```
 */
export function bucketResult(policy: BucketPolicy, allowed: boolean, credit: number, cost: number): TakeResult {
  const { unit, perMs, capacity } = policy
  const remaining = unit === 1 ? credit : Math.floor(credit / unit)
  let nextTokenMs = 0
  let resetMs = 0
  if (credit < capacity) {
    if (perMs === 0) {
      nextTokenMs = Infinity
      resetMs = Infinity
    } else {
      nextTokenMs = ceilDiv(unit - (credit % unit), perMs)
      resetMs = ceilDiv(capacity - credit, perMs)
    }
  }
  let retryAfterMs = 0
  if (!allowed) retryAfterMs = cost > capacity || perMs === 0 ? Infinity : ceilDiv(cost - credit, perMs)
  return { allowed, remaining, limit: policy.burst, retryAfterMs, nextTokenMs, resetMs }
}
