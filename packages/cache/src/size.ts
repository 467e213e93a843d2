import { CacheError } from './errors'
import type { CachedResponse } from './types'

/** UTF-8 length without allocating: counts code units, surrogate pairs as 4 bytes. */
export function utf8Length(s: string): number {
  // Long strings: the native counter wins; short ones: a loop avoids the call into C++.
  if (s.length > 16) return Buffer.byteLength(s, 'utf8')
  let n = s.length
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x80) continue
    if (c < 0x800) n += 1
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 2
      i++
    } else n += 2
  }
  return n
}

/**
 * Bytes an entry takes, as the cache counts them: the key, the body and every header name and value, in UTF-8.
 *
 * @example
 * ```ts
 * import { entrySize } from '@gatehousejs/cache'
 * entrySize('k', { statusCode: 200, headers: { a: 'b' }, body: 'hello' }) // 1 + 5 + 2 = 8
 * ```
 * @throws {CacheError} `INVALID_VALUE` when a header value is not a string or a list of strings.
 */
export function entrySize(key: string, value: CachedResponse): number {
  let n = utf8Length(key) + (typeof value.body === 'string' ? utf8Length(value.body) : value.body.byteLength)
  const headers = value.headers
  for (const name in headers) n += utf8Length(name) + headerValueLength(name, headers[name])
  return n
}

/**
 * UTF-8 bytes of a header value (a string, or the sum over a list of strings). Measuring is the one pass over
 * every header, so it is where a malformed value is refused.
 */
export function headerValueLength(name: string, value: unknown): number {
  if (typeof value === 'string') return utf8Length(value)
  if (!Array.isArray(value)) {
    throw new CacheError('INVALID_VALUE', `header ${JSON.stringify(name)} is neither a string nor a list of strings`)
  }
  let n = 0
  for (const item of value) {
    if (typeof item !== 'string') throw new CacheError('INVALID_VALUE', `header ${JSON.stringify(name)} lists a value that is not a string`)
    n += utf8Length(item)
  }
  return n
}

/** Throws `INVALID_VALUE` unless `value` has the shape of a response. */
export function checkResponse(value: CachedResponse): void {
  if (
    value === null ||
    typeof value !== 'object' ||
    typeof value.statusCode !== 'number' ||
    typeof value.headers !== 'object' ||
    value.headers === null ||
    (typeof value.body !== 'string' && !(value.body instanceof Uint8Array))
  ) {
    throw new CacheError('INVALID_VALUE', 'a cached response needs a numeric statusCode, a headers object and a string or Uint8Array body')
  }
}
