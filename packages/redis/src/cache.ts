import { entrySize, type CachedResponse, type CacheStats, type ResponseCacheStore } from '@gatehousejs/cache'
import { Deadlines, hashTag, Script, type RedisClient } from './client'
import { CACHE_DELETE, CACHE_GET, CACHE_SET } from './lua'

const getScript = new Script(CACHE_GET)
const setScript = new Script(CACHE_SET)
const deleteScript = new Script(CACHE_DELETE)

/**
 * Options of {@link createRedisResponseCache}.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis'
 * import { createRedisResponseCache } from '@gatehousejs/redis'
 * const cache = createRedisResponseCache({
 *   client: new Redis({ enableOfflineQueue: false }),
 *   namespace: 'petstore:prod', // one stage cache, shared by every process serving the stage
 *   ttlSeconds: 300,
 *   timeoutMs: 100,
 *   onError: (err) => console.warn('redis', err),
 * })
 * await cache.set('GET /pets', { statusCode: 200, headers: {}, body: '[]' })
 * ```
 */
export interface RedisResponseCacheOptions {
  client: RedisClient
  /** One stage cache: gateways sharing a namespace share entries and flushes (default `default`). */
  namespace?: string
  /** Key prefix (default `gatehouse:`). */
  prefix?: string
  /** Default TTL of `set`, seconds (default 300). */
  ttlSeconds?: number
  /** Largest entry stored, as `entrySize` counts it (default 1,048,576, API Gateway's limit). */
  maxEntryBytes?: number
  /** An operation Redis has not answered after this many ms counts as a failure (default 250; checked
   * by one shared timer every `timeoutMs / 2`, so a call fails between 1× and 1.5× `timeoutMs`). */
  timeoutMs?: number
  /** Called with each failure (after it is counted). */
  onError?: (err: unknown) => void
}

/**
 * Counters of a Redis response cache, for this process. `bytes`, `entries`, `evictions` and `expired` live in
 * Redis (its `maxmemory` policy and key expiry) and read 0 here.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis'
 * import { createRedisResponseCache } from '@gatehousejs/redis'
 * const cache = createRedisResponseCache({ client: new Redis({ enableOfflineQueue: false }) })
 * await cache.get('GET /pets')
 * const { hits, misses, failures } = cache.stats()
 * console.log(`hit ratio ${hits / Math.max(1, hits + misses)}, ${failures} Redis failures`)
 * ```
 */
export interface RedisCacheStats extends CacheStats {
  /** Operations Redis failed (errors and timeouts): a failed `get` is a miss, a failed `set` stores nothing. */
  failures: number
}

/**
 * A shared stage cache on Redis.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis'
 * import { createRedisResponseCache } from '@gatehousejs/redis'
 * const cache = createRedisResponseCache({ client: new Redis(), namespace: 'api:prod' })
 * await cache.set('GET /pets', { statusCode: 200, headers: {}, body: '[]' })
 * ```
 */
export interface RedisResponseCache extends ResponseCacheStore {
  get(key: string): Promise<CachedResponse | undefined>
  set(key: string, value: CachedResponse, ttlSeconds?: number): Promise<boolean>
  delete(key: string): Promise<boolean>
  flush(): Promise<void>
  stats(): RedisCacheStats
}

interface Stored {
  s: number
  h: Record<string, string | string[]>
  /** Body: text, or base64 when `b` is set. */
  d: string
  b?: 1
}

/**
 * Creates a response cache on Redis with the in-memory cache's semantics: entries expire in Redis (`PX`), are
 * size-limited, are never served once expired, and `flush()` empties the namespace in O(1) by moving it to a new
 * generation (the old entries then expire on their own). Each operation is one round trip. A Redis failure never
 * throws: a `get` misses, a `set` stores nothing, and the failure is counted.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis'
 * import { createRedisResponseCache } from '@gatehousejs/redis'
 * const cache = createRedisResponseCache({ client: new Redis({ enableOfflineQueue: false }), ttlSeconds: 60 })
 * const hit = await cache.get('GET /pets')
 * ```
 */
export function createRedisResponseCache(options: RedisResponseCacheOptions): RedisResponseCache {
  const { client } = options
  const base = `${options.prefix ?? 'gatehouse:'}cache:${hashTag(options.namespace ?? 'default')}:`
  const genKey = `${base}gen`
  const entryPrefix = `${base}e:`
  const defaultTtl = options.ttlSeconds ?? 300
  const maxEntryBytes = options.maxEntryBytes ?? 1_048_576
  const deadlines = new Deadlines(options.timeoutMs ?? 250)
  let hits = 0
  let misses = 0
  let failures = 0

  function fail(err: unknown): void {
    failures++
    try {
      options.onError?.(err)
    } catch {
      // A throwing error hook must not turn a handled outage into a crash.
    }
  }

  return {
    async get(key) {
      let raw: unknown
      try {
        raw = await deadlines.guard(getScript.run(client, [genKey], [entryPrefix, key]))
      } catch (err) {
        fail(err)
        misses++
        return undefined
      }
      if (typeof raw !== 'string') {
        misses++
        return undefined
      }
      let stored: Stored
      try {
        stored = JSON.parse(raw) as Stored
      } catch (err) {
        // Not ours (someone else wrote the key): treat as absent.
        fail(err)
        misses++
        return undefined
      }
      hits++
      const headers: Record<string, string | readonly string[]> = {}
      for (const name in stored.h) {
        const v = stored.h[name]!
        headers[name] = typeof v === 'string' ? v : Object.freeze(v)
      }
      const body = stored.b === 1 ? new Uint8Array(Buffer.from(stored.d, 'base64')) : stored.d
      return Object.freeze({ statusCode: stored.s, headers: Object.freeze(headers), body })
    },

    async set(key, value, ttlSeconds) {
      const ttl = ttlSeconds ?? defaultTtl
      if (!(ttl > 0) || ttl === Infinity || entrySize(key, value) > maxEntryBytes) {
        await this.delete(key)
        return false
      }
      const binary = typeof value.body !== 'string'
      const stored: Stored = {
        s: value.statusCode,
        h: value.headers as Record<string, string | string[]>,
        d: binary ? Buffer.from(value.body as Uint8Array).toString('base64') : (value.body as string),
        ...(binary ? { b: 1 as const } : {}),
      }
      try {
        await deadlines.guard(setScript.run(client, [genKey], [entryPrefix, key, JSON.stringify(stored), Math.ceil(ttl * 1000)]))
        return true
      } catch (err) {
        fail(err)
        return false
      }
    },

    async delete(key) {
      try {
        return (await deadlines.guard(deleteScript.run(client, [genKey], [entryPrefix, key]))) === 1
      } catch (err) {
        fail(err)
        return false
      }
    },

    async flush() {
      try {
        await deadlines.guard(client.eval("return redis.call('INCR', KEYS[1])", 1, genKey))
      } catch (err) {
        fail(err)
      }
    },

    stats() {
      return { hits, misses, evictions: 0, expired: 0, bytes: 0, entries: 0, failures }
    },
  }
}
