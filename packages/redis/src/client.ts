import { createHash } from 'node:crypto'

/**
 * The part of an ioredis client (`Redis` or `Cluster`) the stores use: `evalsha` with a fallback to `eval`.
 *
 * @example
 * ```ts
 * import { Cluster, Redis } from 'ioredis'
 * import { createRedisStore, type RedisClient } from '@gatehousejs/redis'
 * const client: RedisClient = process.env.REDIS_CLUSTER
 *   ? new Cluster([{ host: 'redis-1', port: 6379 }], { enableOfflineQueue: false })
 *   : new Redis({ enableOfflineQueue: false, maxRetriesPerRequest: 0 })
 * const store = createRedisStore({ client })
 * ```
 */
export interface RedisClient {
  evalsha(sha: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>
  eval(script: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>
}

/**
 * What the stores do when Redis does not answer (down, or slower than `timeoutMs`): `'open'` admits the request,
 * `'closed'` refuses it (a gateway answers 503). Either way the result carries `unavailable: true` and the failure
 * is counted.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis'
 * import { createQuota } from '@gatehousejs/throttle'
 * import { createRedisStore, type FailureMode } from '@gatehousejs/redis'
 * // Closed for paid quotas (never give requests away when Redis is down), open for plain throttling.
 * const failure: FailureMode = process.env.STRICT_QUOTAS === '1' ? 'closed' : 'open'
 * const store = createRedisStore({ client: new Redis({ enableOfflineQueue: false }), failure })
 * const r = await createQuota({ limit: 1000, period: 'DAY', store }).consume('api-key-1')
 * if (r.unavailable) console.warn(r.allowed ? 'Redis down: admitted' : 'Redis down: refused (503)')
 * ```
 */
export type FailureMode = 'open' | 'closed'

/**
 * `s` as a Redis Cluster hash tag: keys holding the same tag hash to one slot, so a script or MGET over them runs
 * on a cluster. Redis hashes the text between the first `{` and the next `}`, and hashes the whole key when that
 * text is empty, so an empty `s` or one starting with `}` gets a `~` in front (any other `s` keeps its old key).
 *
 * @example
 * ```ts
 * hashTag('api:prod') // '{api:prod}'
 * hashTag('') // '{~}'
 * ```
 */
export function hashTag(s: string): string {
  return s === '' || s.startsWith('}') ? `{~${s}}` : `{${s}}`
}

/** A Lua script run by SHA, loaded with EVAL the first time a server does not know it (one round trip either way). */
export class Script {
  readonly sha: string

  constructor(readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex')
  }

  run(client: RedisClient, keys: string[], args: (string | number)[]): Promise<unknown> {
    return client.evalsha(this.sha, keys.length, ...keys, ...args).catch((err: unknown) => {
      if (err instanceof Error && err.message.startsWith('NOSCRIPT')) {
        return client.eval(this.source, keys.length, ...keys, ...args)
      }
      throw err
    })
  }
}

interface Pending {
  at: number
  reject: (err: Error) => void
}

/**
 * Timeouts for many in-flight calls with one timer: a call is failed at most 1.5 × `ms` after it started. A timer per
 * call (set and cleared each time) costs more than the Redis round trip it guards at tens of thousands of calls per
 * second. The sweeper is unref'd and stops as soon as nothing is in flight.
 */
export class Deadlines {
  private readonly pending = new Set<Pending>()
  private timer: ReturnType<typeof setInterval> | null = null

  constructor(private readonly ms: number) {}

  /** Settles with `promise`, or rejects once it has been in flight for `ms` (checked every `ms / 2`). */
  guard<T>(promise: Promise<T>): Promise<T> {
    const ms = this.ms
    if (!(ms > 0) || ms === Infinity) return promise
    return new Promise<T>((resolve, reject) => {
      const entry: Pending = { at: Date.now() + ms, reject }
      this.pending.add(entry)
      if (this.timer === null) {
        this.timer = setInterval(() => this.sweep(), Math.max(1, ms / 2))
        this.timer.unref()
      }
      promise.then(
        (v) => {
          this.pending.delete(entry)
          resolve(v)
        },
        (e: unknown) => {
          this.pending.delete(entry)
          reject(e)
        },
      )
    })
  }

  private sweep(): void {
    if (this.pending.size === 0) {
      clearInterval(this.timer!)
      this.timer = null
      return
    }
    const now = Date.now()
    for (const p of this.pending) {
      if (p.at <= now) {
        this.pending.delete(p)
        p.reject(new Error(`Redis did not answer within ${this.ms} ms`))
      }
    }
  }
}
