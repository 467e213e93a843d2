/**
 * Stable codes of {@link CacheError}.
 *
 * - `INVALID_MAX_BYTES`: `maxBytes` is not an integer ≥ 1.
 * - `INVALID_TTL`: a TTL is not a finite number ≥ 0 (API Gateway allows 0–3600 s; this cache accepts any).
 * - `INVALID_MAX_ENTRY_BYTES`: `maxEntryBytes` is not an integer ≥ 1.
 * - `INVALID_VALUE`: `set` got something that is not a response (`statusCode` number, `headers` object,
 *   `body` string or Uint8Array).
 *
 * @example
 * ```ts
 * import { CacheError, createResponseCache } from '@gatehousejs/cache'
 * const cache = createResponseCache({ maxBytes: 1 << 20 })
 * try {
 *   cache.set('GET /pets', { statusCode: 200, headers: {}, body: '[]' }, -1)
 * } catch (err) {
 *   if (!(err instanceof CacheError)) throw err
 *   switch (err.code) {
 *     case 'INVALID_TTL':
 *     case 'INVALID_VALUE':
 *       console.error(err.message)
 *       break
 *     default:
 *       throw err
 *   }
 * }
 * ```
 */
export type CacheErrorCode = 'INVALID_MAX_BYTES' | 'INVALID_TTL' | 'INVALID_MAX_ENTRY_BYTES' | 'INVALID_VALUE'

/**
 * Thrown for bad cache options (at construction) or a malformed value / TTL given to `set`.
 *
 * @example
 * ```ts
 * import { createResponseCache, CacheError } from '@gatehousejs/cache'
 * try {
 *   createResponseCache({ maxBytes: 0 })
 * } catch (err) {
 *   if (err instanceof CacheError) console.log(err.code) // 'INVALID_MAX_BYTES'
 * }
 * ```
 */
export class CacheError extends Error {
  /** Stable, machine-readable reason. */
  readonly code: CacheErrorCode

  constructor(code: CacheErrorCode, message: string) {
    super(message)
    this.name = 'CacheError'
    this.code = code
  }
}
