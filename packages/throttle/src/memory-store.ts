import { bucketResult, refill } from './decide'
import { ThrottleError } from './errors'
import { periodBounds, periodIndex } from './periods'
import { USAGE_RETENTION_DAYS, type BucketPolicy, type QuotaPolicy, type QuotaResult, type Store, type TakeResult } from './types'

/**
 * Options of {@link createMemoryStore}.
 *
 * @example
 * ```ts
 * import { createMemoryStore } from '@gatehouse/throttle'
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
 * import { createMemoryStore } from '@gatehouse/throttle'
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
 * import { createMemoryStore, createTokenBucket } from '@gatehouse/throttle'
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

interface BucketEntry {
  /** Credit in units. */
  c: number
  /** Last refill, whole epoch ms. */
  t: number
}

interface QuotaEntry {
  /** Period index the count belongs to. */
  p: number
  /** Requests counted in that period. */
  u: number
}

interface Table<E> {
  map: Map<string, E>
  /** Incremental sweep position; Map iterators survive deletions and see later insertions. */
  cursor: Iterator<[string, E]> | null
  idle: (entry: E, now: number) => boolean
}

interface QuotaTable extends Table<QuotaEntry> {
  index: number
  start: number
  end: number
}

/** Entries examined per insertion: with k = 4 a full pass takes size / 4 insertions (see README for the bound). */
const SWEEP_STEPS = 4

/**
 * Creates the in-memory {@link Store}. It holds no timers (nothing keeps the process open); idle keys are
 * reclaimed incrementally as new keys arrive, and `maxKeys` caps the total.
 *
 * @throws {ThrottleError} `INVALID_STORE_OPTION` when `maxKeys` is not a positive integer.
 * @example
 * ```ts
 * import { createMemoryStore, createQuota } from '@gatehouse/throttle'
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
  const buckets = new Map<BucketPolicy, Table<BucketEntry>>()
  const quotas = new Map<QuotaPolicy, QuotaTable>()
  let size = 0
  let reclaimed = 0
  let forcedEvictions = 0
  // One bucket (or quota) per call site is the common case: skip the policy lookup when it repeats.
  let lastBucket: BucketPolicy | undefined
  let lastBucketTable: Table<BucketEntry> | undefined
  let lastQuota: QuotaPolicy | undefined
  let lastQuotaTable: QuotaTable | undefined

  function sweep<E>(table: Table<E>, now: number, steps: number): void {
    for (let i = 0; i < steps; i++) {
      if (table.cursor === null) table.cursor = table.map.entries()
      const r = table.cursor.next()
      if (r.done) {
        table.cursor = null
        return
      }
      if (table.idle(r.value[1], now)) {
        table.map.delete(r.value[0])
        size--
        reclaimed++
      }
    }
  }

  function evictOne(preferred: { map: Map<string, unknown> }): void {
    const tables: { map: Map<string, unknown> }[] = [preferred, ...buckets.values(), ...quotas.values()]
    for (const t of tables) {
      const first = t.map.keys().next()
      if (!first.done) {
        t.map.delete(first.value)
        size--
        forcedEvictions++
        return
      }
    }
  }

  function insert<E>(table: Table<E>, key: string, entry: E, now: number): void {
    if (size >= maxKeys) {
      sweep(table, now, 64)
      if (size >= maxKeys) evictOne(table)
    }
    // Sweep before adding: a fresh entry is full (idle) until its first take lands.
    sweep(table, now, SWEEP_STEPS)
    table.map.set(key, entry)
    size++
  }

  function bucketTable(policy: BucketPolicy): Table<BucketEntry> {
    let table = buckets.get(policy)
    if (table === undefined) {
      const { capacity, fillMs } = policy
      table = {
        map: new Map(),
        cursor: null,
        // A full bucket is the same as no entry at all: dropping it changes no future answer.
        idle: (e, now) => e.c >= capacity || Math.floor(now) - e.t >= fillMs,
      }
      buckets.set(policy, table)
    }
    lastBucket = policy
    lastBucketTable = table
    return table
  }

  function quotaTable(policy: QuotaPolicy): QuotaTable {
    let table = quotas.get(policy)
    if (table === undefined) {
      const t: QuotaTable = {
        map: new Map(),
        cursor: null,
        index: 0,
        start: 0,
        end: 0,
        // A count from a past period is never read again.
        idle: (e) => e.p < t.index,
      }
      table = t
      quotas.set(policy, table)
    }
    lastQuota = policy
    lastQuotaTable = table
    return table
  }

  // Daily usage per key: day → count, pruned past the retention window when the key is written.
  const usage = new Map<string, Map<number, number>>()

  return {
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
      const table = policy === lastBucket ? lastBucketTable! : bucketTable(policy)
      const t = Math.floor(now)
      let entry = table.map.get(key)
      let credit: number
      if (entry === undefined) {
        credit = policy.capacity
        entry = { c: credit, t }
        insert(table, key, entry, now)
      } else {
        credit = refill(policy, entry.c, t - entry.t)
        // A clock that steps back must not refill twice: keep the latest time seen.
        if (t > entry.t) entry.t = t
      }
      const cost = n * policy.unit
      const allowed = credit >= cost
      if (allowed) credit -= cost
      entry.c = credit
      return bucketResult(policy, allowed, credit, cost)
    },

    consume(key, policy, n, now) {
      const table = policy === lastQuota ? lastQuotaTable! : quotaTable(policy)
      if (!(now >= table.start && now < table.end)) {
        table.index = periodIndex(policy.period, now, policy.weekStartsOn)
        ;[table.start, table.end] = periodBounds(policy.period, table.index, policy.weekStartsOn)
      }
      let entry = table.map.get(key)
      if (entry === undefined) {
        entry = { p: table.index, u: 0 }
        insert(table, key, entry, now)
      } else if (entry.p < table.index) {
        entry.p = table.index
        entry.u = 0
      }
      // entry.p > index only when the clock stepped back: keep counting in the later period.
      const period = entry.p
      const limit = period === policy.initialPeriod ? policy.limit - policy.offset : policy.limit
      const allowed = entry.u + n <= limit
      if (allowed) entry.u += n
      const resetAt = period === table.index ? table.end : periodBounds(policy.period, period, policy.weekStartsOn)[1]
      return { allowed, used: entry.u, remaining: limit - entry.u, limit, resetAt }
    },

    stats() {
      return { keys: size, reclaimed, forcedEvictions }
    },

    clear() {
      for (const t of buckets.values()) t.map.clear()
      for (const t of quotas.values()) t.map.clear()
      buckets.clear()
      quotas.clear()
      usage.clear()
      lastBucket = lastBucketTable = lastQuota = lastQuotaTable = undefined
      size = 0
    },
  }
}
