import { createHash } from 'node:crypto'

/**
 * The part of an ioredis client (`Redis` or `Cluster`) the stores use: `evalsha` with a fallback to `eval`.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis'
 * import type { RedisClient } from '@gatehouse/redis'
 * const client: RedisClient = new Redis({ enableOfflineQueue: false, maxRetriesPerRequest: 0 })
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
 * import type { FailureMode } from '@gatehouse/redis'
 * const mode: FailureMode = 'closed'
 * ```
 */
export type FailureMode = 'open' | 'closed'

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

/** Settles with `promise`, or rejects after `ms` (an unref'd timer, cleared as soon as the answer comes). */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  if (!(ms > 0) || ms === Infinity) return promise
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms)
    timer.unref()
    promise.then(
      (v) => {
        clearTimeout(timer)
        resolve(v)
      },
      (e: unknown) => {
        clearTimeout(timer)
        reject(e)
      },
    )
  })
}
