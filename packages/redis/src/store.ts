import {
  bucketResult,
  USAGE_RETENTION_DAYS,
  type BucketPolicy,
  type QuotaPolicy,
  type QuotaResult,
  type Store,
  type TakeResult,
} from '@gatehousejs/throttle'
import { Deadlines, hashTag, Script, type FailureMode, type RedisClient } from './client'
import { CONSUME, TAKE, USAGE_ADD } from './lua'

const takeScript = new Script(TAKE)
const consumeScript = new Script(CONSUME)
const usageScript = new Script(USAGE_ADD)

/**
 * Options of {@link createRedisStore}.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis'
 * import { createTokenBucket } from '@gatehousejs/throttle'
 * import { createRedisStore } from '@gatehousejs/redis'
 * const store = createRedisStore({
 *   client: new Redis({ enableOfflineQueue: false }),
 *   prefix: 'petstore:',
 *   failure: 'closed',
 *   timeoutMs: 100,
 *   onError: (err) => console.warn('redis', err),
 * })
 * const { allowed, unavailable } = await createTokenBucket({ rate: 100, burst: 200, store }).take('api-key-1')
 * ```
 */
export interface RedisStoreOptions {
  /** An ioredis client. Create it with `enableOfflineQueue: false` so an outage fails fast instead of queueing. */
  client: RedisClient
  /** Prefix of every key (default `gatehouse:`). */
  prefix?: string
  /** Answer when Redis fails: `'open'` (default) admits, `'closed'` refuses with `unavailable: true` (→ 503). */
  failure?: FailureMode
  /** A decision Redis has not answered after this many ms counts as a failure (default 250; checked
   * by one shared timer every `timeoutMs / 2`, so a call fails between 1× and 1.5× `timeoutMs`). */
  timeoutMs?: number
  /** Called with each failure (after it is counted). */
  onError?: (err: unknown) => void
  /**
   * Whose clock: `'redis'` (default) uses Redis `TIME`, so the machines' clocks don't matter; `'caller'` uses the
   * `now` the bucket or quota passes (tests with an injected clock).
   */
  clock?: 'redis' | 'caller'
}

/**
 * A {@link Store} on Redis: each decision is one Lua script, one round trip, atomic across every process and
 * machine sharing the server. Keys expire on their own (a bucket once it would be full again, a quota a minute
 * after its period ends).
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis'
 * import { createTokenBucket } from '@gatehousejs/throttle'
 * import { createRedisStore } from '@gatehousejs/redis'
 * const store = createRedisStore({ client: new Redis({ enableOfflineQueue: false }) })
 * const bucket = createTokenBucket({ rate: 100, burst: 200, store, name: 'plan:gold' })
 * const { allowed } = await bucket.take('api-key-1')
 * ```
 */
export interface RedisStore extends Store {
  take(key: string, policy: BucketPolicy, n: number, now: number): Promise<TakeResult>
  consume(key: string, policy: QuotaPolicy, n: number, now: number): Promise<QuotaResult>
  /** Adds to today's usage (Redis `TIME`'s day); never rejects — a failure is counted and the count is lost. */
  recordUsage(key: string, n: number, now: number): Promise<void>
  /** Daily counts, one MGET; a failure is counted and reads as zeros. */
  readUsage(key: string, fromDay: number, toDay: number): Promise<number[]>
  /** Decisions Redis failed to make (errors and timeouts) since the store was created. */
  readonly failures: number
}

/**
 * Creates a {@link RedisStore}. The client is the caller's: the store never connects, quits or listens to it.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis'
 * import { createQuota } from '@gatehousejs/throttle'
 * import { createRedisStore } from '@gatehousejs/redis'
 * const store = createRedisStore({ client: new Redis(), failure: 'closed', onError: (e) => console.warn(e) })
 * const quota = createQuota({ limit: 10_000, period: 'MONTH', store })
 * const r = await quota.consume('api-key-1')
 * if (r.unavailable && !r.allowed) console.log('503')
 * ```
 */
export function createRedisStore(options: RedisStoreOptions): RedisStore {
  const { client } = options
  const prefix = options.prefix ?? 'gatehouse:'
  const open = (options.failure ?? 'open') === 'open'
  const deadlines = new Deadlines(options.timeoutMs ?? 250)
  const callerClock = options.clock === 'caller'
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
    get failures() {
      return failures
    },

    async take(key, policy, n, now) {
      const args = [
        n,
        policy.unit,
        policy.perMs,
        policy.capacity,
        policy.fillMs === Infinity ? 0 : policy.fillMs,
        callerClock ? Math.floor(now) : '',
      ]
      try {
        const reply = (await deadlines.guard(takeScript.run(client, [`${prefix}tb:${policy.name}:${key}`], args))) as [number, number]
        return bucketResult(policy, reply[0] === 1, Number(reply[1]), n * policy.unit)
      } catch (err) {
        fail(err)
        return { allowed: open, remaining: 0, limit: policy.burst, retryAfterMs: 0, nextTokenMs: 0, resetMs: 0, unavailable: true }
      }
    },

    async recordUsage(key, n, now) {
      const args = [n, USAGE_RETENTION_DAYS * 86_400_000, callerClock ? Math.floor(now) : '']
      try {
        await deadlines.guard(usageScript.run(client, [`${prefix}usage:${hashTag(key)}:`], args))
      } catch (err) {
        fail(err)
      }
    },

    async readUsage(key, fromDay, toDay) {
      const keys: string[] = []
      for (let d = fromDay; d <= toDay; d++) keys.push(`${prefix}usage:${hashTag(key)}:${d}`)
      if (keys.length === 0) return []
      try {
        const reply = (await deadlines.guard(client.eval("return redis.call('MGET', unpack(KEYS))", keys.length, ...keys))) as (
          | string
          | null
        )[]
        return reply.map((v) => (v === null ? 0 : Number(v)))
      } catch (err) {
        fail(err)
        return keys.map(() => 0)
      }
    },

    async consume(key, policy, n, now) {
      const args = [
        n,
        policy.limit,
        policy.offset,
        policy.period,
        policy.weekStartsOn,
        policy.initialPeriod,
        callerClock ? Math.floor(now) : '',
      ]
      try {
        const reply = (await deadlines.guard(consumeScript.run(client, [`${prefix}q:${policy.name}:${key}`], args))) as number[]
        const used = Number(reply[1])
        const limit = Number(reply[2])
        return { allowed: reply[0] === 1, used, remaining: limit - used, limit, resetAt: Number(reply[3]) }
      } catch (err) {
        fail(err)
        return { allowed: open, used: 0, remaining: 0, limit: policy.limit, resetAt: 0, unavailable: true }
      }
    },
  }
}
