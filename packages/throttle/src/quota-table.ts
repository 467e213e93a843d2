import { Table, type Keyspace } from './keyspace'
import { periodBounds, periodIndex } from './periods'
import type { QuotaPolicy, QuotaResult } from './types'

/** One key's count (fields declared, not defined: see BucketEntry). */
export class QuotaEntry {
  /** Period index the count belongs to. */
  declare p: number
  /** Requests counted in that period. */
  declare u: number

  constructor(p: number, u: number) {
    this.p = p
    this.u = u
  }
}

/** The counts of one quota policy in a memory store, with the current period's bounds cached. */
export class QuotaTable extends Table<QuotaEntry> {
  private index = 0
  private start = 0
  private end = 0

  constructor(
    keyspace: Keyspace,
    private readonly policy: QuotaPolicy,
  ) {
    super(keyspace)
  }

  // A count from a past period is never read again.
  idle(e: QuotaEntry): boolean {
    return e.p < this.index
  }

  /** One decision: count `n` requests against `key` if they fit in the period containing `now`. */
  consume(key: string, n: number, now: number): QuotaResult {
    const policy = this.policy
    if (!(now >= this.start && now < this.end)) {
      this.index = periodIndex(policy.period, now, policy.weekStartsOn)
      ;[this.start, this.end] = periodBounds(policy.period, this.index, policy.weekStartsOn)
    }
    let entry = this.find(key)
    if (entry === undefined) {
      entry = new QuotaEntry(this.index, 0)
      this.insert(key, entry, now)
    } else if (entry.p < this.index) {
      entry.p = this.index
      entry.u = 0
    }
    // entry.p > index only when the clock stepped back: keep counting in the later period.
    const period = entry.p
    const limit = period === policy.initialPeriod ? policy.limit - policy.offset : policy.limit
    const allowed = entry.u + n <= limit
    if (allowed) entry.u += n
    const resetAt = period === this.index ? this.end : periodBounds(policy.period, period, policy.weekStartsOn)[1]
    return { allowed, used: entry.u, remaining: limit - entry.u, limit, resetAt }
  }
}
