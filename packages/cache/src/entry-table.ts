import type { CachedResponse } from './types'

const INITIAL_CAPACITY = 64

/** The slot's value is the cache's private copy, not frozen yet: the first `get` freezes it. */
export const UNSEALED = 0
/** The slot's value is frozen and its body a string: `get` hands it out as it is. */
export const SEALED = 1
/** The slot's value is frozen but its body is a Uint8Array, which cannot be: `get` hands out a copy of the body. */
export const SEALED_BINARY = 2

/**
 * The cache's entries as columns indexed by slot number, and their recency order as a doubly linked list of slot
 * numbers. Typed arrays rather than an object per entry (the layout lru-cache uses): moving an entry to the front
 * writes a few integers, with no pointers for the garbage collector to trace and no write barriers.
 *
 * Slot 0 is the sentinel of a circular list, so linking needs no branches: `next[0]` is the most recently used slot
 * and `prev[0]` the least (0 when empty). Released slots are reused, last released first; the table doubles when
 * full, because the number of entries is bounded by bytes, not known in advance.
 */
export class EntryTable {
  /** The key of each slot ('' when free). */
  keys: string[] = ['']
  /** The response of each slot (undefined when free), frozen once its state says so. */
  values: (CachedResponse | undefined)[] = [undefined]
  /** Bytes of each entry, as `entrySize` counts them. */
  sizes = new Float64Array(INITIAL_CAPACITY)
  /** UTF-8 bytes of each slot's key, part of its size: a new response for the key is measured without it. */
  keyBytes = new Uint32Array(INITIAL_CAPACITY)
  /** Epoch ms from which each entry is no longer served. */
  expires = new Float64Array(INITIAL_CAPACITY)
  /**
   * {@link UNSEALED}, {@link SEALED} or {@link SEALED_BINARY}: kept beside the links so that the common `get`
   * decides without reading the value.
   */
  states = new Uint8Array(INITIAL_CAPACITY)
  /** Towards the least recently used end. */
  next = new Uint32Array(INITIAL_CAPACITY)
  /** Towards the most recently used end. */
  prev = new Uint32Array(INITIAL_CAPACITY)
  private free: number[] = []

  /** The least recently used slot, 0 when the table is empty. */
  get last(): number {
    return this.prev[0]!
  }

  /** Stores an entry in a free slot, at the most recently used end, and answers the slot. */
  add(key: string, value: CachedResponse, size: number, expires: number): number {
    let slot = this.free.pop()
    if (slot === undefined) {
      slot = this.keys.length
      if (slot === this.next.length) this.grow()
      // Appending keeps both arrays packed, so reads stay on V8's fast elements path.
      this.keys.push(key)
      this.values.push(undefined)
    } else {
      this.keys[slot] = key
    }
    this.setValue(slot, value, size)
    this.expires[slot] = expires
    this.link(slot)
    return slot
  }

  /** Puts another value, not frozen yet, and its size in a slot. */
  setValue(slot: number, value: CachedResponse, size: number): void {
    this.values[slot] = value
    this.sizes[slot] = size
    this.states[slot] = UNSEALED
  }

  /** Unlinks `slot` and frees it for reuse; drops its key and value so they can be collected. */
  remove(slot: number): void {
    this.unlink(slot)
    this.keys[slot] = ''
    this.values[slot] = undefined
    this.free.push(slot)
  }

  /** Makes `slot` the most recently used. */
  touch(slot: number): void {
    if (this.next[0] === slot) return
    this.unlink(slot)
    this.link(slot)
  }

  /** Frees every slot and gives the memory of a large table back. */
  clear(): void {
    this.keys = ['']
    this.values = [undefined]
    this.sizes = new Float64Array(INITIAL_CAPACITY)
    this.keyBytes = new Uint32Array(INITIAL_CAPACITY)
    this.expires = new Float64Array(INITIAL_CAPACITY)
    this.states = new Uint8Array(INITIAL_CAPACITY)
    this.next = new Uint32Array(INITIAL_CAPACITY)
    this.prev = new Uint32Array(INITIAL_CAPACITY)
    this.free = []
  }

  private link(slot: number): void {
    const first = this.next[0]!
    this.next[slot] = first
    this.prev[slot] = 0
    this.prev[first] = slot
    this.next[0] = slot
  }

  private unlink(slot: number): void {
    const before = this.prev[slot]!
    const after = this.next[slot]!
    this.next[before] = after
    this.prev[after] = before
  }

  private grow(): void {
    const capacity = this.next.length * 2
    this.sizes = widen(this.sizes, new Float64Array(capacity))
    this.keyBytes = widen(this.keyBytes, new Uint32Array(capacity))
    this.expires = widen(this.expires, new Float64Array(capacity))
    this.states = widen(this.states, new Uint8Array(capacity))
    this.next = widen(this.next, new Uint32Array(capacity))
    this.prev = widen(this.prev, new Uint32Array(capacity))
  }
}

function widen<T extends Float64Array | Uint32Array | Uint8Array>(from: T, to: T): T {
  to.set(from)
  return to
}
