import { BucketTable } from './bucket-table'
import { ThrottleError } from './errors'
import { Keyspace } from './keyspace'
import { QuotaTable } from './quota-table'
import { USAGE_RETENTION_DAYS, type BucketPolicy, type QuotaPolicy, type QuotaResult, type Store, type TakeResult } from './types'

/**
 * Options of {@link createMemoryStore}.
 *
 * @example
 * ```ts
 * import { createMemoryStore } from '@gatehousejs/throttle'
 * const store = createMemoryStore({ maxKeys: 100_000 })
 * ```
 */
export interface MemoryStoreOptions {
  /**
   * Hard cap on live keys across all buckets and quotas of this store (default 1,000,000, about 120 MB).
   * Idle keys are reclaimed long before; the cap only bites when more keys are *active* at once, and then the
   * oldest key of the table being written is dropped (that key starts over, full) and counted in
   * `stats().forcedEvictions`.
   */
  maxKeys?: number
}

/**
 * Counters of a {@link MemoryStore}.
 *
 * @example
 * ```ts
 * import { createMemoryStore } from '@gatehousejs/throttle'
 * const { keys, reclaimed, forcedEvictions } = createMemoryStore().stats()
 * ```
 */
export interface MemoryStoreStats {
  /** Keys currently held. */
  keys: number
  /** Idle keys removed (a full bucket, or a quota from a past period: removing them changes no answer). */
  reclaimed: number
  /** Active keys dropped because `maxKeys` was reached. */
  forcedEvictions: number
}

/**
 * The default, in-process {@link Store}: synchronous, exact, no timers.
 *
 * @example
 * ```ts
 * import { createMemoryStore, createTokenBucket } from '@gatehousejs/throttle'
 * const store = createMemoryStore()
 * const bucket = createTokenBucket({ rate: 1, burst: 1, store })
 * bucket.take('a').allowed // true — synchronously
 * ```
 */
export interface MemoryStore extends Store {
  take(key: string, policy: BucketPolicy, n: number, now: number): TakeResult
  consume(key: string, policy: QuotaPolicy, n: number, now: number): QuotaResult
  recordUsage(key: string, n: number, now: number): void
  readUsage(key: string, fromDay: number, toDay: number): number[]
  stats(): MemoryStoreStats
  /** Forget every key. */
  clear(): void
}

/** The bucket table of each memory store, by store: how `createTokenBucket` skips the `Store` interface. */
const bucketTables = new WeakMap<Store, (policy: BucketPolicy) => BucketTable>()

/**
 * `store`'s table for `policy` when `store` is a memory store made by {@link createMemoryStore}, else `undefined`.
 * A bucket holds its table and calls it directly: the same state and arithmetic as `store.take`, one lookup less.
 */
export function memoryBucketTable(store: Store, policy: BucketPolicy): BucketTable | undefined {
  return bucketTables.get(store)?.(policy)
}

/**
 * Creates the in-memory {@link Store}. It holds no timers (nothing keeps the process open); idle keys are
 * reclaimed incrementally as new keys arrive, and `maxKeys` caps the total.
 *
 * @throws {ThrottleError} `INVALID_STORE_OPTION` when `maxKeys` is not a positive integer.
 * @example
 * ```ts
 * import { createMemoryStore, createQuota } from '@gatehousejs/throttle'
 * const store = createMemoryStore()
 * const quota = createQuota({ limit: 1000, period: 'DAY', store })
 * quota.consume('api-key-1').remaining // 999
 * ```
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  const maxKeys = options.maxKeys ?? 1_000_000
  if (!Number.isSafeInteger(maxKeys) || maxKeys < 1) {
    throw new ThrottleError('INVALID_STORE_OPTION', `maxKeys must be a positive integer, got ${String(maxKeys)}`)
  }
  const keyspace = new Keyspace(maxKeys)
  // Tables are found by the policy object (fast), else by what the policy says: a gateway rebuilt with the same
  // plans (new policy objects, same name and limits) keeps counting where the old one left off, as Redis does.
  const buckets = new WeakMap<BucketPolicy, BucketTable>()
  const quotas = new WeakMap<QuotaPolicy, QuotaTable>()
  const bucketsByShape = new Map<string, BucketTable>()
  const quotasByShape = new Map<string, QuotaTable>()
  // One bucket (or quota) per call site is the common case: skip the policy lookup when it repeats.
  let lastBucket: BucketPolicy | undefined
  let lastBucketTable: BucketTable | undefined
  let lastQuota: QuotaPolicy | undefined
  let lastQuotaTable: QuotaTable | undefined

  function bucketTable(policy: BucketPolicy): BucketTable {
    let table = buckets.get(policy)
    if (table === undefined) {
      const shape = JSON.stringify(policy)
      table = bucketsByShape.get(shape)
      if (table === undefined) bucketsByShape.set(shape, (table = new BucketTable(keyspace, policy)))
      buckets.set(policy, table)
    }
    lastBucket = policy
    lastBucketTable = table
    return table
  }

  function quotaTable(policy: QuotaPolicy): QuotaTable {
    let table = quotas.get(policy)
    if (table === undefined) {
      const shape = JSON.stringify(policy)
      table = quotasByShape.get(shape)
      if (table === undefined) quotasByShape.set(shape, (table = new QuotaTable(keyspace, policy)))
      quotas.set(policy, table)
    }
    lastQuota = policy
    lastQuotaTable = table
    return table
  }

  // Daily usage per key: day → count, pruned past the retention window when the key is written.
  const usage = new Map<string, Map<number, number>>()

  const store: MemoryStore = {
    recordUsage(key, n, now) {
      const day = Math.floor(now / 86_400_000)
      let days = usage.get(key)
      if (days === undefined) usage.set(key, (days = new Map()))
      const count = days.get(day)
      if (count === undefined) {
        // A new day: drop days past the window (at most once a day per key, over ≤ 92 entries).
        for (const d of days.keys()) if (d <= day - USAGE_RETENTION_DAYS) days.delete(d)
      }
      days.set(day, (count ?? 0) + n)
    },

    readUsage(key, fromDay, toDay) {
      const days = usage.get(key)
      const out: number[] = []
      for (let d = fromDay; d <= toDay; d++) out.push(days?.get(d) ?? 0)
      return out
    },

    take(key, policy, n, now) {
      return (policy === lastBucket ? lastBucketTable! : bucketTable(policy)).take(key, n, now)
    },

    consume(key, policy, n, now) {
      return (policy === lastQuota ? lastQuotaTable! : quotaTable(policy)).consume(key, n, now)
    },

    stats() {
      return { keys: keyspace.size, reclaimed: keyspace.reclaimed, forcedEvictions: keyspace.forcedEvictions }
    },

    clear() {
      keyspace.clear()
      usage.clear()
    },
  }
  bucketTables.set(store, bucketTable)
  return store
}
