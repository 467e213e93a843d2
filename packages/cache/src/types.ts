/**
 * A value, or a promise of it: the in-memory cache answers synchronously, a Redis cache asynchronously.
 *
 * @example
 * ```ts
 * import { createResponseCache, type CachedResponse, type MaybePromise, type ResponseCacheStore } from '@gatehousejs/cache'
 * // Await only when the store answers with a promise: the in-memory cache then costs no microtask.
 * async function lookup(store: ResponseCacheStore, key: string): Promise<CachedResponse | undefined> {
 *   const hit: MaybePromise<CachedResponse | undefined> = store.get(key)
 *   return hit instanceof Promise ? await hit : hit
 * }
 * const hit = await lookup(createResponseCache({ maxBytes: 1 << 20 }), 'GET /pets')
 * ```
 */
export type MaybePromise<T> = T | Promise<T>

/**
 * A response as the cache stores it. What `get` returns is frozen (and a binary body is a fresh copy), so no
 * caller can change what the next caller gets.
 *
 * @example
 * ```ts
 * import { createResponseCache, type CachedResponse } from '@gatehousejs/cache'
 * const cache = createResponseCache({ maxBytes: 1 << 20, ttlSeconds: 300 })
 * const response: CachedResponse = { statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"id":1}' }
 * cache.set('GET /pets/1', response)
 * cache.get('GET /pets/1')?.body // '{"id":1}', from a frozen copy
 * ```
 */
export interface CachedResponse {
  readonly statusCode: number
  readonly headers: Readonly<Record<string, string | readonly string[]>>
  readonly body: string | Uint8Array
}

/**
 * Counters of a response cache, for metrics (`CacheHitCount`, `CacheMissCount`).
 *
 * @example
 * ```ts
 * import { createResponseCache } from '@gatehousejs/cache'
 * const { hits, misses, bytes } = createResponseCache({ maxBytes: 1 << 20 }).stats()
 * ```
 */
export interface CacheStats {
  hits: number
  /** Lookups that found nothing, or only an expired entry. */
  misses: number
  /** Entries dropped to stay within `maxBytes` (least recently used first). */
  evictions: number
  /** Expired entries removed when found. */
  expired: number
  /** Bytes held: key + body + header names and values, UTF-8. */
  bytes: number
  entries: number
}

/**
 * What a stage cache needs from its storage, in memory or shared (Redis). Every method may answer with a value
 * or a Promise; callers await only when they get a Promise.
 *
 * @example
 * ```ts
 * import { createResponseCache, type ResponseCacheStore } from '@gatehousejs/cache'
 * const store: ResponseCacheStore = createResponseCache({ maxBytes: 64 << 20, ttlSeconds: 300 })
 * ```
 */
export interface ResponseCacheStore {
  /** The live entry for `key`, or `undefined` (absent or expired: an expired entry is never served). */
  get(key: string): MaybePromise<CachedResponse | undefined>
  /**
   * Stores `value` for `ttlSeconds` (default: the cache's). Answers `false` without storing when the TTL is 0 or
   * the entry is larger than `maxEntryBytes` (any older entry for `key` is removed then too).
   */
  set(key: string, value: CachedResponse, ttlSeconds?: number): MaybePromise<boolean>
  /** Removes `key`; answers whether a live entry was there. */
  delete(key: string): MaybePromise<boolean>
  /** Removes every entry (API Gateway's FlushStageCache). */
  flush(): MaybePromise<void>
  stats(): CacheStats
}
