import { createCoarseClock } from './clock'
import { CacheError } from './errors'
import { EntryTable, SEALED, SEALED_BINARY, UNSEALED } from './entry-table'
import { copyAndMeasure, sameResponse, seal } from './freeze'
import { checkResponse, utf8Length } from './size'
import type { CachedResponse, ResponseCacheStore } from './types'

/**
 * Options of {@link createResponseCache}.
 *
 * @example
 * ```ts
 * import { createResponseCache } from '@gatehousejs/cache'
 * // A 0.5 GB stage cache with API Gateway's default TTL and its 1 MB limit per entry.
 * const cache = createResponseCache({ maxBytes: 500 * 2 ** 20, ttlSeconds: 300, maxEntryBytes: 1_048_576 })
 * cache.set('GET /pets', { statusCode: 200, headers: {}, body: '[]' }) // true
 * ```
 */
export interface ResponseCacheOptions {
  /** Total bytes held (key + body + headers, UTF-8); least recently used entries go first. */
  maxBytes: number
  /** Default TTL of `set`, seconds (API Gateway's default 300). */
  ttlSeconds?: number
  /** Largest entry stored (default 1,048,576 bytes, API Gateway's limit for a cached response). */
  maxEntryBytes?: number
  /**
   * Clock, epoch ms. Default: `Date.now()` read again after 1 ms or 256 calls ({@link createCoarseClock}); pass
   * `Date.now` for an exact one.
   */
  now?: () => number
}

/**
 * The in-memory stage cache: synchronous, O(1) per operation.
 *
 * @example
 * ```ts
 * import { createResponseCache } from '@gatehousejs/cache'
 * const cache = createResponseCache({ maxBytes: 1 << 20 })
 * cache.set('GET /pets', { statusCode: 200, headers: {}, body: '[]' })
 * cache.get('GET /pets')?.body // '[]'
 * ```
 */
export interface ResponseCache extends ResponseCacheStore {
  get(key: string): CachedResponse | undefined
  set(key: string, value: CachedResponse, ttlSeconds?: number): boolean
  delete(key: string): boolean
  flush(): void
  readonly maxBytes: number
}

/**
 * The default clock, one for every cache: one timer at most for all of them, and one function behind every `now()`
 * call, which the JIT then inlines however many caches there are.
 */
const defaultClock = createCoarseClock()

/**
 * The first `get` of a value freezes it: until then no one outside the cache can reach it, and a value replaced or
 * evicted unread never pays for freezing (which costs more than the copy). A Uint8Array cannot be frozen, so a
 * binary body is handed out as a fresh copy on every `get`. Not a closure per cache: one function behind every call.
 */
function handOut(table: EntryTable, slot: number, v: CachedResponse): CachedResponse {
  if (table.states[slot] === UNSEALED) {
    seal(v)
    table.states[slot] = typeof v.body === 'string' ? SEALED : SEALED_BINARY
  }
  return typeof v.body === 'string' ? v : { statusCode: v.statusCode, headers: v.headers, body: v.body.slice() }
}

function checkTtl(ttl: number): void {
  if (typeof ttl !== 'number' || !Number.isFinite(ttl) || ttl < 0) {
    throw new CacheError('INVALID_TTL', `ttlSeconds must be a finite number >= 0, got ${String(ttl)}`)
  }
}

/**
 * Creates an LRU response cache bounded by bytes, with a TTL per entry. No timers per entry: expired entries are
 * dropped when looked up or when space is needed, and are never served. Values are copied on `set` and handed out
 * frozen; a binary body is copied again on each `get`, so callers can never alter the cache. Setting a key to the
 * response it already holds keeps the stored copy.
 *
 * @throws {CacheError} `INVALID_MAX_BYTES`, `INVALID_TTL`, `INVALID_MAX_ENTRY_BYTES`.
 * @example
 * ```ts
 * import { createResponseCache } from '@gatehousejs/cache'
 * let t = 0
 * const cache = createResponseCache({ maxBytes: 1 << 20, ttlSeconds: 60, now: () => t })
 * cache.set('k', { statusCode: 200, headers: {}, body: 'hi' })
 * t = 60_000
 * cache.get('k') // undefined — expired
 * ```
 */
export function createResponseCache(options: ResponseCacheOptions): ResponseCache {
  const { maxBytes } = options
  const defaultTtl = options.ttlSeconds ?? 300
  const maxEntryBytes = options.maxEntryBytes ?? 1_048_576
  const now = options.now ?? defaultClock
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) {
    throw new CacheError('INVALID_MAX_BYTES', `maxBytes must be an integer >= 1, got ${String(maxBytes)}`)
  }
  if (!Number.isSafeInteger(maxEntryBytes) || maxEntryBytes < 1) {
    throw new CacheError('INVALID_MAX_ENTRY_BYTES', `maxEntryBytes must be an integer >= 1, got ${String(maxEntryBytes)}`)
  }
  checkTtl(defaultTtl)

  const index = new Map<string, number>()
  const table = new EntryTable()
  let bytes = 0
  let hits = 0
  let misses = 0
  let evictions = 0
  let expired = 0

  function drop(slot: number): void {
    index.delete(table.keys[slot]!)
    bytes -= table.sizes[slot]!
    table.remove(slot)
  }

  return {
    maxBytes,

    get(key) {
      const slot = index.get(key)
      if (slot === undefined) {
        misses++
        return undefined
      }
      if (table.expires[slot]! <= now()) {
        drop(slot)
        expired++
        misses++
        return undefined
      }
      table.touch(slot)
      hits++
      const v = table.values[slot]!
      return table.states[slot] === SEALED ? v : handOut(table, slot, v)
    },

    set(key, value, ttlSeconds) {
      if (ttlSeconds !== undefined) checkTtl(ttlSeconds)
      const ttl = ttlSeconds ?? defaultTtl
      checkResponse(value)
      const slot = index.get(key)
      // Storing what is already stored (a refresh, or several callers filling the same key) keeps the copy, its
      // size and its frozen state: nothing to measure, copy or freeze.
      const same = slot !== undefined && sameResponse(table.values[slot]!, value)
      const keyBytes = slot === undefined ? utf8Length(key) : table.keyBytes[slot]!
      const copy = same ? undefined : copyAndMeasure(keyBytes, value)
      const size = copy === undefined ? table.sizes[slot!]! : copy.size
      if (ttl === 0 || size > maxEntryBytes || size > maxBytes) {
        if (slot !== undefined) drop(slot)
        return false
      }
      const expires = now() + ttl * 1000
      if (slot === undefined) {
        const added = table.add(key, copy!.value, size, expires)
        table.keyBytes[added] = keyBytes
        index.set(key, added)
        bytes += size
      } else {
        if (copy !== undefined) {
          bytes += size - table.sizes[slot]!
          table.setValue(slot, copy.value, size)
        }
        table.expires[slot] = expires
        table.touch(slot)
      }
      // The entry just stored is the most recent and fits on its own, so eviction stops before reaching it.
      while (bytes > maxBytes) {
        drop(table.last)
        evictions++
      }
      return true
    },

    delete(key) {
      const slot = index.get(key)
      if (slot === undefined) return false
      const live = table.expires[slot]! > now()
      drop(slot)
      return live
    },

    flush() {
      index.clear()
      table.clear()
      bytes = 0
    },

    stats() {
      return { hits, misses, evictions, expired, bytes, entries: index.size }
    },
  }
}
