/**
 * The authorizer result cache: one per authorizer, keyed by the identity-source values, entries living
 * `authorizerResultTtlInSeconds`, bounded in count (oldest first out). Concurrent misses for one key share one
 * invocation.
 */

/**
 * A TTL- and size-bounded cache of authorizer answers.
 *
 * @example
 * ```ts
 * const cache: ResultCache<string> = createResultCache(300_000, 10_000, Date.now)
 * ```
 */
export interface ResultCache<V> {
  get(key: string): V | undefined
  set(key: string, value: V): void
  /** Run `load` for a key unless a load for it is already under way; callers share its promise. */
  once(key: string, load: () => Promise<V>): Promise<V>
  readonly size: number
}

/**
 * Creates a result cache whose entries live `ttlMs` by `now`, at most `maxEntries` of them.
 *
 * @example
 * ```ts
 * const cache = createResultCache<number>(1000, 2, () => clock)
 * cache.set('token', 1)
 * cache.get('token') // 1 until clock passes the TTL
 * ```
 */
export function createResultCache<V>(ttlMs: number, maxEntries: number, now: () => number): ResultCache<V> {
  const entries = new Map<string, { value: V; expires: number }>()
  const loading = new Map<string, Promise<V>>()
  return {
    get(key) {
      const e = entries.get(key)
      if (e === undefined) return undefined
      if (now() >= e.expires) {
        entries.delete(key)
        return undefined
      }
      return e.value
    },
    set(key, value) {
      entries.delete(key)
      if (entries.size >= maxEntries) {
        // Map iterates in insertion order: the first key is the oldest entry.
        const oldest = entries.keys().next()
        if (!oldest.done) entries.delete(oldest.value)
      }
      entries.set(key, { value, expires: now() + ttlMs })
    },
    once(key, load) {
      const pending = loading.get(key)
      if (pending) return pending
      const p = load().finally(() => loading.delete(key))
      loading.set(key, p)
      return p
    },
    get size() {
      return entries.size
    },
  }
}
