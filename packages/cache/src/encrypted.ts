import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { CacheError } from './errors'
import type { CachedResponse, CacheStats, MaybePromise, ResponseCacheStore } from './types'

const IV_BYTES = 12
const TAG_BYTES = 16

/** Calls `then` on a value or a promise without making a sync value async. */
function map<T, R>(v: MaybePromise<T>, then: (t: T) => R): MaybePromise<R> {
  return v instanceof Promise ? v.then(then) : then(v)
}

interface Plain {
  s: number
  h: CachedResponse['headers']
  d: string
  b?: 1
}

/**
 * Wraps any {@link ResponseCacheStore} so entries are encrypted at rest with AES-256-GCM (API Gateway's
 * `cacheDataEncrypted`). Status, headers and body are all inside the ciphertext; the cache key is the associated
 * data, so an entry copied under another key fails to decrypt (and is a miss). A fresh random 96-bit IV per entry.
 * Sizes counted by the inner store are those of the ciphertext (28 bytes more, plus JSON framing).
 *
 * @throws {CacheError} `INVALID_VALUE` when the key is not 32 bytes.
 * @example
 * ```ts
 * import { randomBytes } from 'node:crypto'
 * import { createEncryptedCache, createResponseCache } from '@gatehousejs/cache'
 * const cache = createEncryptedCache(createResponseCache({ maxBytes: 1 << 20 }), randomBytes(32))
 * cache.set('GET /me', { statusCode: 200, headers: {}, body: 'secret' })
 * cache.get('GET /me') // { statusCode: 200, headers: {}, body: 'secret' }
 * ```
 */
export function createEncryptedCache(inner: ResponseCacheStore, key: Uint8Array): ResponseCacheStore {
  if (!(key instanceof Uint8Array) || key.byteLength !== 32) {
    throw new CacheError('INVALID_VALUE', 'an AES-256-GCM key is 32 bytes')
  }
  const secret = Buffer.from(key)

  function seal(cacheKey: string, value: CachedResponse): CachedResponse {
    const binary = typeof value.body !== 'string'
    const plain: Plain = {
      s: value.statusCode,
      h: value.headers,
      d: binary ? Buffer.from(value.body as Uint8Array).toString('base64') : (value.body as string),
      ...(binary ? { b: 1 as const } : {}),
    }
    const iv = randomBytes(IV_BYTES)
    const cipher = createCipheriv('aes-256-gcm', secret, iv)
    cipher.setAAD(Buffer.from(cacheKey, 'utf8'))
    const ct = Buffer.concat([cipher.update(JSON.stringify(plain), 'utf8'), cipher.final()])
    return { statusCode: 0, headers: {}, body: new Uint8Array(Buffer.concat([iv, cipher.getAuthTag(), ct])) }
  }

  function open(cacheKey: string, stored: CachedResponse | undefined): CachedResponse | undefined {
    if (stored === undefined || typeof stored.body === 'string' || stored.body.byteLength < IV_BYTES + TAG_BYTES) return undefined
    const buf = Buffer.from(stored.body.buffer, stored.body.byteOffset, stored.body.byteLength)
    try {
      const decipher = createDecipheriv('aes-256-gcm', secret, buf.subarray(0, IV_BYTES))
      decipher.setAAD(Buffer.from(cacheKey, 'utf8'))
      decipher.setAuthTag(buf.subarray(IV_BYTES, IV_BYTES + TAG_BYTES))
      const json = Buffer.concat([decipher.update(buf.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8')
      const p = JSON.parse(json) as Plain
      const body = p.b === 1 ? new Uint8Array(Buffer.from(p.d, 'base64')) : p.d
      for (const name in p.h) if (typeof p.h[name] !== 'string') Object.freeze(p.h[name])
      return Object.freeze({ statusCode: p.s, headers: Object.freeze(p.h), body })
    } catch {
      // Wrong key, tampered or foreign entry: a miss, never an error.
      return undefined
    }
  }

  return {
    get: (k) => map(inner.get(k), (v) => open(k, v)),
    set: (k, v, ttl) => inner.set(k, seal(k, v), ttl),
    delete: (k) => inner.delete(k),
    flush: () => inner.flush(),
    stats: (): CacheStats => inner.stats(),
  }
}
