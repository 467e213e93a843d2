import { decision } from './decide'
import { Table, type Keyspace } from './keyspace'
import type { BucketPolicy, TakeResult } from './types'

/**
 * One key's bucket. A class, so every entry has the same shape and `take` reads its fields monomorphically.
 * Fields are `declare`d and set in the constructor: a class-field definition would first set `undefined`, and V8
 * would then keep `t` (an epoch ms, beyond small-integer range) as a tagged field, boxing a new number per write.
 */
export class BucketEntry {
  /** Credit in units. */
  declare c: number
  /** Last refill, whole epoch ms (the latest time seen: a clock stepping back never refills twice). */
  declare t: number

  constructor(c: number, t: number) {
    this.c = c
    this.t = t
  }
}

/**
 * The buckets of one policy in a memory store. The policy's numbers are copied onto the table so the hot path
 * reads fields of one fixed-shape object instead of a frozen policy looked up per call.
 */
export class BucketTable extends Table<BucketEntry> {
  // Declared, not defined, for the same reason as BucketEntry's fields: numbers from the first store on.
  declare private readonly limit: number
  declare private readonly unit: number
  declare private readonly perMs: number
  declare private readonly capacity: number
  declare private readonly fillMs: number
  // The numbers of the last answer, by the credit and cost they were computed for: a client refused again and
  // again within a millisecond (the usual hot key under load) gets a fresh result object without the divisions.
  private memoCredit = -1
  private memoCost = -1
  private memo: TakeResult | undefined = undefined

  constructor(keyspace: Keyspace, policy: BucketPolicy) {
    super(keyspace)
    this.limit = policy.burst
    this.unit = policy.unit
    this.perMs = policy.perMs
    this.capacity = policy.capacity
    this.fillMs = policy.fillMs
  }

  // A full bucket is the same as no entry at all: dropping it changes no future answer.
  idle(e: BucketEntry, now: number): boolean {
    return e.c >= this.capacity || now - e.t >= this.fillMs
  }

  /** One decision: refill `key`'s bucket up to `now` (epoch ms), then take `n` tokens if it holds them. */
  take(key: string, n: number, now: number): TakeResult {
    const t = Math.floor(now)
    const capacity = this.capacity
    let entry = this.find(key)
    let credit: number
    if (entry === undefined) {
      credit = capacity
      entry = new BucketEntry(credit, t)
      this.insert(key, entry, t)
    } else {
      credit = entry.c
      const dt = t - entry.t
      if (dt > 0) {
        entry.t = t
        // Same arithmetic as `refill`, inlined by hand: dt * perMs only below fillMs, where it cannot overflow.
        if (credit < capacity) credit = dt >= this.fillMs ? capacity : Math.min(credit + dt * this.perMs, capacity)
      }
    }
    const cost = n * this.unit
    const allowed = credit >= cost
    if (allowed) credit -= cost
    entry.c = credit
    const m = this.memo
    if (m !== undefined && credit === this.memoCredit && cost === this.memoCost && allowed === m.allowed) {
      return {
        allowed,
        remaining: m.remaining,
        limit: m.limit,
        retryAfterMs: m.retryAfterMs,
        nextTokenMs: m.nextTokenMs,
        resetMs: m.resetMs,
      }
    }
    const r = decision(this.limit, this.unit, this.perMs, capacity, allowed, credit, cost)
    this.memoCredit = credit
    this.memoCost = cost
    this.memo = { ...r }
    return r
  }
}
