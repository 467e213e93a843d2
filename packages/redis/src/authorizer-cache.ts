import { createHash } from 'node:crypto'
import { Deadlines, Script, type RedisClient } from './client'

const getScript = new Script("return redis.call('GET', KEYS[1])")
const setScript = new Script("return redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])")
const lockScript = new Script("return redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1])")

/**
 * Options of {@link createRedisAuthorizerCache}.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis'
 * import { createRedisAuthorizerCache } from '@gatehousejs/redis'
 * const cacheStore = createRedisAuthorizerCache({
 *   client: new Redis({ enableOfflineQueue: false, maxRetriesPerRequest: 0 }),
 *   prefix: 'petstore:',
 *   timeoutMs: 100,
 * })
 * ```
 */
export interface RedisAuthorizerCacheOptions {
  client: RedisClient
  /** Key prefix (default `gatehouse:`). */
  prefix?: string
  /** An operation Redis has not answered after this many ms fails (default 250). */
  timeoutMs?: number
  /** Largest value stored, in UTF-16 code units (default 262,144); a larger result is only cached in memory. */
  maxValueLength?: number
}

/**
 * Counters of a Redis authorizer cache, for this process.
 *
 * @example
 * ```ts
 * const { hits, misses, failures } = cacheStore.stats()
 * ```
 */
export interface RedisAuthorizerCacheStats {
  hits: number
  misses: number
  /** Operations Redis failed (errors and timeouts); each also rejected, so the gateway reports it to `onError`. */
  failures: number
}

/**
 * A Lambda authorizer result store on Redis: core's `AuthorizerCacheStore` (`authorization.cacheStore`).
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis'
 * import { createGateway } from '@gatehousejs/core'
 * import { createRedisAuthorizerCache } from '@gatehousejs/redis'
 * const cacheStore = createRedisAuthorizerCache({ client: new Redis({ enableOfflineQueue: false }) })
 * // Every process serving the API reuses the results any of them got, for the authorizer's TTL.
 * const gw = createGateway({ api, functions, authorization: { cacheStore } })
 * ```
 */
export interface RedisAuthorizerCache {
  get(key: string): Promise<string | undefined>
  set(key: string, value: string, ttlMs: number): Promise<void>
  /** Claims the call for `key` for `ttlMs` (`SET NX PX`): true for the one process that should call the function. */
  lock(key: string, ttlMs: number): Promise<boolean>
  stats(): RedisAuthorizerCacheStats
}

/**
 * Creates a shared store for Lambda authorizer results: each entry one `SET … PX ttl` under
 * `<prefix>authz:<sha256 of the key>` (keys hold tokens; only their hashes reach Redis), so Redis expires it.
 * A failure or a timeout rejects (the gateway reports it to `onError` and calls the authorizer) and is counted.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis'
 * import { createRedisAuthorizerCache } from '@gatehousejs/redis'
 * const store = createRedisAuthorizerCache({ client: new Redis({ enableOfflineQueue: false }) })
 * await store.set('abc123/prod/authorizers/auth#token-1', '{"v":{},"exp":0}', 300_000)
 * await store.get('abc123/prod/authorizers/auth#token-1') // '{"v":{},"exp":0}'
 * ```
 */
export function createRedisAuthorizerCache(options: RedisAuthorizerCacheOptions): RedisAuthorizerCache {
  const { client } = options
  const prefix = `${options.prefix ?? 'gatehouse:'}authz:`
  const maxValueLength = options.maxValueLength ?? 262_144
  const deadlines = new Deadlines(options.timeoutMs ?? 250)
  let hits = 0
  let misses = 0
  let failures = 0
  const keyOf = (key: string) => prefix + createHash('sha256').update(key).digest('hex')

  async function run(script: Script, key: string, args: (string | number)[]): Promise<unknown> {
    try {
      return await deadlines.guard(script.run(client, [keyOf(key)], args))
    } catch (err) {
      failures++
      throw err
    }
  }

  return {
    async get(key) {
      const raw = await run(getScript, key, [])
      if (typeof raw === 'string') {
        hits++
        return raw
      }
      misses++
      return undefined
    },
    async set(key, value, ttlMs) {
      if (typeof value !== 'string' || value.length > maxValueLength) return
      const px = Math.ceil(ttlMs)
      if (!(px > 0) || px === Infinity) return
      await run(setScript, key, [value, px])
    },
    async lock(key, ttlMs) {
      const px = Math.ceil(ttlMs)
      if (!(px > 0) || px === Infinity) return true
      // Beside the entry (same hash of the key, its own suffix): the lock never reads as a result.
      return (await run(lockScript, `${key}\u0000lock`, [px])) === 'OK'
    },
    stats() {
      return { hits, misses, failures }
    },
  }
}
