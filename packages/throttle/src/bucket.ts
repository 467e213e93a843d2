import { ThrottleError } from './errors'
import { createMemoryStore, memoryBucketTable, type MemoryStore } from './memory-store'
import { compileBucketPolicy, type BucketPolicyOptions } from './policy'
import type { BucketPolicy, Store, TakeResult } from './types'

/**
 * Options of {@link createTokenBucket}.
 *
 * @example
 * ```ts
 * import { createTokenBucket } from '@gatehousejs/throttle'
 * let clock = 0
 * const bucket = createTokenBucket({ rate: 0.5, burst: 3, now: () => clock }) // a token every 2 s, 3 at once
 * bucket.take('client-1', 3).allowed // true
 * bucket.take('client-1').retryAfterMs // 2000
 * clock += 2000
 * bucket.take('client-1').allowed // true
 * ```
 */
export interface TokenBucketOptions<S extends Store = MemoryStore> extends BucketPolicyOptions {
  /** Where the buckets live. Default: a fresh in-memory store for this bucket alone. */
  store?: S
  /** Clock, epoch ms (default `Date.now`). Stores with their own clock (Redis `TIME`) ignore it. */
  now?: () => number
}

/**
 * A token bucket per key: `take` is one atomic decision in the store.
 *
 * @example
 * ```ts
 * import { createTokenBucket } from '@gatehousejs/throttle'
 * const bucket = createTokenBucket({ rate: 100, burst: 200 })
 * const { allowed, remaining, retryAfterMs } = bucket.take('api-key-1')
 * ```
 */
export interface TokenBucket<R = TakeResult> {
  /** The compiled configuration (exact integer units). */
  readonly policy: BucketPolicy
  /** Takes `n` tokens (default 1) from `key`'s bucket if it holds them; `n = 0` only reports the state. */
  take(key: string, n?: number): R
}

/**
 * Creates a token bucket: `rate` tokens per second (fractions allowed) up to `burst`, one bucket per key, each
 * starting full. Refill is exact integer arithmetic, so there is no drift over any run length, and each decision
 * is O(1). With the default in-memory store `take` answers synchronously; with an async store (Redis) it returns
 * a Promise.
 *
 * @throws {ThrottleError} `INVALID_RATE` / `INVALID_BURST` for bad options; `INVALID_COST` from `take` when `n` is
 * not an integer ≥ 0.
 * @example
 * ```ts
 * import { createTokenBucket } from '@gatehousejs/throttle'
 * let t = 0
 * const bucket = createTokenBucket({ rate: 1, burst: 2, now: () => t })
 * bucket.take('k').allowed // true
 * bucket.take('k').allowed // true
 * bucket.take('k').allowed // false — retryAfterMs 1000
 * t = 1000
 * bucket.take('k').allowed // true
 * ```
 */
export function createTokenBucket<S extends Store = MemoryStore>(options: TokenBucketOptions<S>): TokenBucket<ReturnType<S['take']>> {
  type R = ReturnType<S['take']>
  const policy = compileBucketPolicy(options)
  const store: Store = options.store ?? createMemoryStore()
  const now = options.now
  const table = memoryBucketTable(store, policy)
  // Three separate closures, so each call site's feedback stays monomorphic: a memory store's table called
  // directly with Date.now() (the default) or with the given clock, and any other store through its interface.
  let take: (key: string, n?: number) => R
  if (table === undefined) {
    const clock = now ?? Date.now
    take = (key, n) => store.take(key, policy, n === undefined ? 1 : checkCost(n), clock()) as R
  } else if (now === undefined) {
    take = (key, n) => table.take(key, n === undefined ? 1 : checkCost(n), Date.now()) as R
  } else {
    take = (key, n) => table.take(key, n === undefined ? 1 : checkCost(n), now()) as R
  }
  return { policy, take }
}

function checkCost(n: number): number {
  if (Number.isSafeInteger(n) && n >= 0) return n
  throw new ThrottleError('INVALID_COST', `n must be an integer >= 0, got ${String(n)}`)
}
