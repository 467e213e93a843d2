/**
 * A value, or a promise of it. Stores answer synchronously when they can (memory) and asynchronously when they
 * must (Redis); callers await only when they get a Promise.
 *
 * @example
 * ```ts
 * import type { MaybePromise, TakeResult } from '@gatehousejs/throttle'
 * async function allowed(r: MaybePromise<TakeResult>): Promise<boolean> {
 *   return (r instanceof Promise ? await r : r).allowed
 * }
 * ```
 */
export type MaybePromise<T> = T | Promise<T>

/**
 * A token bucket's configuration compiled to exact integers, as plain data (so a Redis store can pass it to a
 * Lua script). Credit is counted in "units": one token is `unit` units and every whole millisecond adds `perMs`
 * units, so `rate = perMs * 1000 / unit` tokens per second exactly and no float ever accumulates.
 *
 * @example
 * ```ts
 * import { compileBucketPolicy } from '@gatehousejs/throttle'
 * const p = compileBucketPolicy({ rate: 0.5, burst: 2 }) // { unit: 2000, perMs: 1, capacity: 4000, fillMs: 4000, … }
 * ```
 */
export interface BucketPolicy {
  /** Namespace of this bucket's keys inside a shared store. */
  readonly name: string
  /** Tokens per second, as configured. */
  readonly rate: number
  /** Capacity in tokens, as configured. */
  readonly burst: number
  /** Units per token (integer ≥ 1). */
  readonly unit: number
  /** Units added per whole millisecond (integer ≥ 0; 0 when `rate` is 0). */
  readonly perMs: number
  /** `burst * unit`: the full bucket in units. */
  readonly capacity: number
  /** Milliseconds from empty to full (`Infinity` when `rate` is 0): after this long idle a key is full again. */
  readonly fillMs: number
}

/**
 * The answer of one token-bucket decision.
 *
 * @example
 * ```ts
 * import { createTokenBucket } from '@gatehousejs/throttle'
 * const r = createTokenBucket({ rate: 10, burst: 20 }).take('client-1')
 * if (!r.allowed) console.log(`retry in ${r.retryAfterMs} ms`)
 * ```
 */
export interface TakeResult {
  /** Whether the `n` tokens were taken. A refused take takes nothing. */
  allowed: boolean
  /** Whole tokens left after this decision. */
  remaining: number
  /** The bucket's capacity (`burst`). */
  limit: number
  /** When refused: ms until `n` tokens are available (`Infinity` if never: `n > burst`, or `rate` 0). 0 when allowed. */
  retryAfterMs: number
  /** Ms until the next whole token arrives (0 when the bucket is full; `Infinity` when `rate` is 0 and not full). */
  nextTokenMs: number
  /** Ms until the bucket is full again (0 when full; `Infinity` when `rate` is 0 and not full). */
  resetMs: number
  /**
   * Set only when the store could not decide (e.g. Redis is down): `allowed` then reflects the store's
   * fail-open / fail-closed policy, and a gateway answers 503 for a fail-closed refusal.
   */
  unavailable?: true
}

/**
 * Quota periods, as API Gateway's usage plans define them (UTC).
 *
 * @example
 * ```ts
 * import { createQuota, type QuotaPeriod } from '@gatehousejs/throttle'
 * // A usage plan as GetUsagePlan returns it.
 * const plan: { quota: { limit: number; period: QuotaPeriod } } = { quota: { limit: 1000, period: 'WEEK' } }
 * const quota = createQuota(plan.quota)
 * quota.consume('api-key-1').remaining // 999
 * ```
 */
export type QuotaPeriod = 'DAY' | 'WEEK' | 'MONTH'

/**
 * A quota's configuration as plain data (so a Redis store can pass it to a Lua script).
 *
 * @example
 * ```ts
 * import { compileQuotaPolicy } from '@gatehousejs/throttle'
 * const q = compileQuotaPolicy({ limit: 1000, period: 'DAY' }, Date.now())
 * ```
 */
export interface QuotaPolicy {
  /** Namespace of this quota's keys inside a shared store. */
  readonly name: string
  /** Requests per period. */
  readonly limit: number
  /** Requests subtracted from `limit` in the initial period (AWS `QuotaSettings.offset`). */
  readonly offset: number
  readonly period: QuotaPeriod
  /** First day of a `WEEK` period: 0 = Sunday … 6 = Saturday. */
  readonly weekStartsOn: number
  /** Index of the initial period (the one containing `startedAt`), where `limit - offset` applies. */
  readonly initialPeriod: number
}

/**
 * The answer of one quota decision.
 *
 * @example
 * ```ts
 * import { createQuota } from '@gatehousejs/throttle'
 * const r = createQuota({ limit: 1000, period: 'DAY' }).consume('key-1')
 * console.log(r.allowed, r.remaining, new Date(r.resetAt).toISOString())
 * ```
 */
export interface QuotaResult {
  /** Whether the `n` requests fit in this period. A refused request counts nothing. */
  allowed: boolean
  /** Requests counted in the current period after this decision. */
  used: number
  /** Requests left in the current period. */
  remaining: number
  /** The limit that applies to the current period (`limit - offset` in the initial one). */
  limit: number
  /** Epoch ms when the current period ends and the count starts again. */
  resetAt: number
  /** Set only when the store could not decide; see {@link TakeResult.unavailable}. */
  unavailable?: true
}

/**
 * Where token buckets and quotas keep their state. Each call is one atomic decision: refill, compare and take
 * (or count) happen together, so concurrent callers never overdraw. A method may return a value or a Promise;
 * the in-memory store answers synchronously, a Redis store asynchronously.
 *
 * `now` is the caller's clock (epoch ms). A store that has its own authoritative clock (Redis `TIME`) ignores it.
 *
 * @example
 * ```ts
 * import { createMemoryStore, createTokenBucket, type Store } from '@gatehousejs/throttle'
 * const store: Store = createMemoryStore()
 * const bucket = createTokenBucket({ rate: 5, burst: 10, store, name: 'stage:prod' })
 * ```
 */
export interface Store {
  /** Take `n` tokens from `key`'s bucket under `policy`, if it holds them. */
  take(key: string, policy: BucketPolicy, n: number, now: number): MaybePromise<TakeResult>
  /** Count `n` requests against `key`'s quota under `policy`, if they fit. */
  consume(key: string, policy: QuotaPolicy, n: number, now: number): MaybePromise<QuotaResult>
  /**
   * Adds `n` to `key`'s request count for the UTC day containing `now` (for API Gateway's GetUsage). Optional;
   * the built-in stores keep {@link USAGE_RETENTION_DAYS} days. Callers need not await it.
   */
  recordUsage?(key: string, n: number, now: number): MaybePromise<void>
  /** `key`'s request counts for UTC days `fromDay`…`toDay` (days since the epoch, inclusive), 0 where none. */
  readUsage?(key: string, fromDay: number, toDay: number): MaybePromise<number[]>
}

/**
 * Days of daily usage the built-in stores keep (AWS's GetUsage looks back at most 90 days).
 *
 * @example
 * ```ts
 * import { USAGE_RETENTION_DAYS } from '@gatehousejs/throttle'
 * console.log(USAGE_RETENTION_DAYS) // 92
 * ```
 */
export const USAGE_RETENTION_DAYS = 92
