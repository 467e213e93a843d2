/**
 * The part of a memory store every table shares: how many keys are live, the cap on them, and the counters
 * `stats()` reports. Reclaiming idle keys happens here, in small steps, and only when a key is added: a decision
 * on a key that already exists never pays for it.
 */

/** Entries examined per insertion: with k = 4 a full pass takes size / 4 insertions (see README for the bound). */
export const SWEEP_STEPS = 4

/** Entries examined, at most, before an insertion at `maxKeys` evicts an active key instead. */
const SWEEP_AT_CAP = 64

export class Keyspace {
  size = 0
  reclaimed = 0
  forcedEvictions = 0
  readonly tables: Table<unknown>[] = []

  constructor(readonly maxKeys: number) {}

  /** Drops the oldest key of `preferred`, or of the first other table holding any. */
  evictOne(preferred: Table<unknown>): void {
    for (const table of [preferred, ...this.tables]) {
      const first = table.map.keys().next()
      if (!first.done) {
        table.delete(first.value)
        this.forcedEvictions++
        return
      }
    }
  }

  /** Forgets every key; the tables stay registered, so buckets holding one keep working. */
  clear(): void {
    for (const table of this.tables) {
      table.map.clear()
      table.cursor = null
      table.forgetRecent()
    }
    this.size = 0
  }
}

/**
 * One policy's keys. The sweep is a cursor over the map, advanced a few entries per insertion; Map iterators
 * survive deletions and see later insertions, so a pass visits every entry that was present when it started.
 */
export abstract class Table<E> {
  readonly map = new Map<string, E>()
  cursor: MapIterator<[string, E]> | null = null
  // The key decided last and its entry: a run of decisions on one key (a client's burst, a shared stage bucket)
  // skips the map lookup. Every removal from the map goes through `delete`, which forgets it.
  private recentKey: string | undefined = undefined
  private recent: E | undefined = undefined

  constructor(readonly keyspace: Keyspace) {
    keyspace.tables.push(this as Table<unknown>)
  }

  /** Whether dropping `entry` now would change no future answer. */
  abstract idle(entry: E, now: number): boolean

  /** `key`'s entry, or `undefined`. */
  find(key: string): E | undefined {
    if (key === this.recentKey) return this.recent
    const entry = this.map.get(key)
    if (entry !== undefined) {
      this.recentKey = key
      this.recent = entry
    }
    return entry
  }

  /** Adds a key, first reclaiming idle ones (and evicting an active one only at `maxKeys`). */
  insert(key: string, entry: E, now: number): void {
    const space = this.keyspace
    if (space.size >= space.maxKeys) {
      this.sweep(now, SWEEP_AT_CAP)
      if (space.size >= space.maxKeys) space.evictOne(this as Table<unknown>)
    }
    // Sweep before adding: a fresh entry is full (idle) until its first take lands.
    this.sweep(now, SWEEP_STEPS)
    this.map.set(key, entry)
    space.size++
    this.recentKey = key
    this.recent = entry
  }

  /** Examines up to `steps` entries from the cursor, removing the idle ones; wraps around at the end. */
  sweep(now: number, steps: number): void {
    for (let i = 0; i < steps; i++) {
      if (this.cursor === null) this.cursor = this.map.entries()
      const r = this.cursor.next()
      if (r.done) {
        this.cursor = null
        return
      }
      if (this.idle(r.value[1], now)) {
        this.delete(r.value[0])
        this.keyspace.reclaimed++
      }
    }
  }

  delete(key: string): void {
    if (key === this.recentKey) this.forgetRecent()
    if (this.map.delete(key)) this.keyspace.size--
  }

  forgetRecent(): void {
    this.recentKey = undefined
    this.recent = undefined
  }
}
