import { createCoarseClock } from './clock'
import { CacheError } from './errors'
import { checkResponse, copyAndMeasure } from './size'
import type { CachedResponse, ResponseCacheStore } from './types'

/**
 * Options of {@link createResponseCache}.
 *
 * @example
 * ```ts
 * import type { ResponseCacheOptions } from '@gatehouse/cache'
 * const o: ResponseCacheOptions = { maxBytes: 500 * 2 ** 20, ttlSeconds: 300 }
 * ```
 */
export interface ResponseCacheOptions {
  /** Total bytes held (key + body + headers, UTF-8); least recently used entries go first. */
  maxBytes: number
  /** Default TTL of `set`, seconds (API Gateway's default 300). */
  ttlSeconds?: number
  /** Largest entry stored (default 1,048,576 bytes, API Gateway's limit for a cached response). */
  maxEntryBytes?: number
  /** Clock, epoch ms. Default: `Date.now()` read at most once per millisecond while busy ({@link createCoarseClock}). */
  now?: () => number
}

/**
 * The in-memory stage cache: synchronous, O(1) per operation.
 *
 * @example
 * ```ts
 * import { createResponseCache } from '@gatehouse/cache'
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

interface Node {
  key: string
  value: CachedResponse
  size: number
  /** Epoch ms at which the entry stops being served. */
  expires: number
  binary: boolean
  /** Towards the most recently used end. */
  prev: Node | null
  /** Towards the least recently used end. */
  next: Node | null
}

function checkTtl(ttl: number): void {
  if (typeof ttl !== 'number' || !Number.isFinite(ttl) || ttl < 0) {
    throw new CacheError('INVALID_TTL', `ttlSeconds must be a finite number >= 0, got ${String(ttl)}`)
  }
}

/**
 * Creates an LRU response cache bounded by bytes, with a TTL per entry. No timers: expired entries are dropped
 * when looked up or when space is needed, and are never served. Values are copied and frozen on `set`; a binary
 * body is copied again on each `get`, so callers can never alter the cache.
 *
 * @throws {CacheError} `INVALID_MAX_BYTES`, `INVALID_TTL`, `INVALID_MAX_ENTRY_BYTES`.
 * @example
 * ```ts
 * import { createResponseCache } from '@gatehouse/cache'
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
  const now = options.now ?? createCoarseClock()
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) {
    throw new CacheError('INVALID_MAX_BYTES', `maxBytes must be an integer >= 1, got ${String(maxBytes)}`)
  }
  if (!Number.isSafeInteger(maxEntryBytes) || maxEntryBytes < 1) {
    throw new CacheError('INVALID_MAX_ENTRY_BYTES', `maxEntryBytes must be an integer >= 1, got ${String(maxEntryBytes)}`)
  }
  checkTtl(defaultTtl)

  const map = new Map<string, Node>()
  let head: Node | null = null
  let tail: Node | null = null
  let bytes = 0
  let hits = 0
  let misses = 0
  let evictions = 0
  let expired = 0

  function unlink(node: Node): void {
    if (node.prev === null) head = node.next
    else node.prev.next = node.next
    if (node.next === null) tail = node.prev
    else node.next.prev = node.prev
    node.prev = node.next = null
  }

  function pushHead(node: Node): void {
    node.prev = null
    node.next = head
    if (head !== null) head.prev = node
    head = node
    if (tail === null) tail = node
  }

  function remove(node: Node): void {
    unlink(node)
    map.delete(node.key)
    bytes -= node.size
  }

  return {
    maxBytes,

    get(key) {
      const node = map.get(key)
      if (node === undefined) {
        misses++
        return undefined
      }
      if (node.expires <= now()) {
        remove(node)
        expired++
        misses++
        return undefined
      }
      if (node !== head) {
        unlink(node)
        pushHead(node)
      }
      hits++
      const v = node.value
      // A Uint8Array cannot be frozen: hand out a copy so the stored bytes stay as they were.
      return node.binary ? { statusCode: v.statusCode, headers: v.headers, body: (v.body as Uint8Array).slice() } : v
    },

    set(key, value, ttlSeconds) {
      const ttl = ttlSeconds === undefined ? defaultTtl : (checkTtl(ttlSeconds), ttlSeconds)
      checkResponse(value)
      const { value: frozen, size } = copyAndMeasure(key, value)
      const old = map.get(key)
      if (ttl === 0 || size > maxEntryBytes || size > maxBytes) {
        if (old !== undefined) remove(old)
        return false
      }
      const expires = now() + ttl * 1000
      const binary = typeof frozen.body !== 'string'
      if (old !== undefined) {
        bytes += size - old.size
        old.value = frozen
        old.size = size
        old.expires = expires
        old.binary = binary
        if (old !== head) {
          unlink(old)
          pushHead(old)
        }
      } else {
        const node: Node = { key, value: frozen, size, expires, binary, prev: null, next: null }
        map.set(key, node)
        pushHead(node)
        bytes += size
      }
      // The new entry is at the head and fits on its own, so eviction stops before reaching it.
      while (bytes > maxBytes) {
        remove(tail!)
        evictions++
      }
      return true
    },

    delete(key) {
      const node = map.get(key)
      if (node === undefined) return false
      remove(node)
      return node.expires > now()
    },

    flush() {
      map.clear()
      head = tail = null
      bytes = 0
    },

    stats() {
      return { hits, misses, evictions, expired, bytes, entries: map.size }
    },
  }
}
