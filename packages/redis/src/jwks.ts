/**
 * Fetched JWKS and OIDC discovery results shared between processes (`@gatehousejs/jwt`'s `JwksCacheStore`):
 * entries under `SET … PX` for the set's maximum age (API Gateway's 2 hours by default), and a short `SET NX`
 * lock so that concurrent misses in many processes make one fetch while the others wait for its entry.
 */
import { createHash } from 'node:crypto'
import { Deadlines, Script, type RedisClient } from './client'

const getScript = new Script("return redis.call('GET', KEYS[1])")
// KEYS: entry, lock. The entry is written and the lock released in one step.
const setScript = new Script("redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) redis.call('DEL', KEYS[2]) return 1")
const lockScript = new Script("return redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) and 1 or 0")

/**
 * Options of {@link createRedisJwksStore}.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis'
 * const options: RedisJwksStoreOptions = { client: new Redis({ enableOfflineQueue: false, maxRetriesPerRequest: 0 }), prefix: 'pets:' }
 * ```
 */
export interface RedisJwksStoreOptions {
  client: RedisClient
  /** Key prefix (default `gatehouse:`). */
  prefix?: string
  /** An operation Redis has not answered after this many ms fails (default 250). */
  timeoutMs?: number
  /** Largest entry read or written, in UTF-16 code units (default 2,097,152: a 1 MiB JWKS, as JSON). */
  maxValueLength?: number
  /** Redis failures (the key set is then fetched as without the store). */
  onError?: (error: Error) => void
}

/**
 * Counters of a Redis JWKS store, for this process.
 *
 * @example
 * ```ts
 * const { hits, misses, failures, fetchesClaimed, fetchesAwaited } = store.stats()
 * ```
 */
export interface RedisJwksStoreStats {
  hits: number
  misses: number
  failures: number
  /** Locks won: this process fetched. */
  fetchesClaimed: number
  /** Locks lost: another process was fetching. */
  fetchesAwaited: number
}

/**
 * A JWKS store on Redis (structurally `@gatehousejs/jwt`'s `JwksCacheStore`).
 *
 * @example
 * ```ts
 * const store = createRedisJwksStore({ client })
 * const { hits } = store.stats()
 * ```
 */
export interface RedisJwksStore {
  get(key: string): Promise<string | undefined>
  set(key: string, value: string, ttlMs: number): Promise<void>
  lock(key: string, ttlMs: number): Promise<boolean>
  stats(): RedisJwksStoreStats
}

/**
 * Creates a shared JWKS/OIDC discovery cache on Redis. Give it to every gateway as `authorization.jwksStore`
 * (or to `createJwks`/`createJwtVerifier` through `withJwksCacheStore`).
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis'
 * import { createGateway } from '@gatehousejs/core'
 * import { createRedisJwksStore } from '@gatehousejs/redis'
 * const jwksStore = createRedisJwksStore({ client: new Redis({ enableOfflineQueue: false, maxRetriesPerRequest: 0 }) })
 * const gw = createGateway({ api, functions, authorization: { jwksStore } })
 * ```
 */
export function createRedisJwksStore(options: RedisJwksStoreOptions): RedisJwksStore {
  const { client } = options
  const prefix = options.prefix ?? 'gatehouse:'
  const maxLen = options.maxValueLength ?? 2 * 1024 * 1024
  const deadlines = new Deadlines(options.timeoutMs ?? 250)
  const counts: RedisJwksStoreStats = { hits: 0, misses: 0, failures: 0, fetchesClaimed: 0, fetchesAwaited: 0 }
  // Issuer URLs are hashed: any length, any characters, one Cluster slot per issuer (entry and lock together).
  const keysOf = (key: string) => {
    const tag = `{${createHash('sha256').update(key).digest('hex')}}`
    return [`${prefix}jwks:${tag}`, `${prefix}jwks:${tag}:lock`] as const
  }
  const ttl = (ms: number) => Math.max(1, Math.min(Math.ceil(Number.isFinite(ms) ? ms : 1), 2 ** 31))
  const fail = (e: unknown): never => {
    counts.failures++
    const error = e instanceof Error ? e : new Error(String(e))
    try {
      options.onError?.(error)
    } catch {}
    throw error
  }
  const run = (script: Script, keys: string[], args: (string | number)[]) => deadlines.guard(script.run(client, keys, args)).catch(fail)

  return {
    async get(key) {
      const v = await run(getScript, [keysOf(key)[0]], [])
      if (typeof v === 'string' && v.length <= maxLen) {
        counts.hits++
        return v
      }
      counts.misses++
      return undefined
    },
    async set(key, value, ttlMs) {
      if (value.length > maxLen) return
      const [entry, lock] = keysOf(key)
      await run(setScript, [entry, lock], [value, ttl(ttlMs)])
    },
    async lock(key, ttlMs) {
      const won = (await run(lockScript, [keysOf(key)[1]], ['1', ttl(ttlMs)])) === 1
      if (won) counts.fetchesClaimed++
      else counts.fetchesAwaited++
      return won
    },
    stats: () => ({ ...counts }),
  }
}
