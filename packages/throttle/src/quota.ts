import { ThrottleError } from './errors'
import { createMemoryStore, type MemoryStore } from './memory-store'
import { compileQuotaPolicy, type QuotaOptions } from './periods'
import type { QuotaPolicy, QuotaResult, Store } from './types'

/**
 * Options of {@link createQuota}.
 *
 * @example
 * ```ts
 * import { createMemoryStore, createQuota } from '@gatehousejs/throttle'
 * const quota = createQuota({ limit: 10_000, period: 'MONTH', store: createMemoryStore(), now: () => Date.UTC(2025, 0, 31) })
 * quota.consume('api-key-1').resetAt === Date.UTC(2025, 1, 1) // true: the month ends at midnight UTC
 * ```
 */
export interface QuotaCounterOptions<S extends Store = MemoryStore> extends QuotaOptions {
  /** Where the counts live. Default: a fresh in-memory store for this quota alone. */
  store?: S
  /** Clock, epoch ms (default `Date.now`). Stores with their own clock (Redis `TIME`) ignore it. */
  now?: () => number
}

/**
 * A request quota per key.
 *
 * @example
 * ```ts
 * import { createQuota } from '@gatehousejs/throttle'
 * const quota = createQuota({ limit: 3, period: 'DAY' })
 * quota.consume('api-key-1') // { allowed: true, used: 1, remaining: 2, limit: 3, resetAt: … }
 * ```
 */
export interface Quota<R = QuotaResult> {
  readonly policy: QuotaPolicy
  /** Counts `n` requests (default 1) if they fit in the current period; `n = 0` only reports the state. */
  consume(key: string, n?: number): R
}

/**
 * Creates a quota: at most `limit` requests per UTC `DAY`, `WEEK` (from Sunday, or `weekStartsOn`) or `MONTH`
 * (from the 1st), per key; `limit - offset` in the initial period (the one containing `startedAt`), as API
 * Gateway's `QuotaSettings.offset` documents. Refused requests count nothing.
 *
 * @throws {ThrottleError} `INVALID_QUOTA` for bad options; `INVALID_COST` from `consume` for a bad `n`.
 * @example
 * ```ts
 * import { createQuota } from '@gatehousejs/throttle'
 * const quota = createQuota({ limit: 1000, period: 'MONTH', offset: 200, startedAt: Date.UTC(2025, 0, 15) })
 * // January 2025 allows 800 per key, every later month 1000.
 * ```
 */
export function createQuota<S extends Store = MemoryStore>(options: QuotaCounterOptions<S>): Quota<ReturnType<S['consume']>> {
  const now = options.now ?? Date.now
  const policy = compileQuotaPolicy(options, options.startedAt ?? now())
  const store: Store = options.store ?? createMemoryStore()
  return {
    policy,
    consume(key: string, n?: number) {
      if (n === undefined) n = 1
      else if (!(Number.isSafeInteger(n) && n >= 0)) {
        throw new ThrottleError('INVALID_COST', `n must be an integer >= 0, got ${String(n)}`)
      }
      return store.consume(key, policy, n, now()) as ReturnType<S['consume']>
    },
  }
}
