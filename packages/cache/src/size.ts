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
 * import { entrySize } from '@gatehouse/cache'
 * entrySize('k', { statusCode: 200, headers: { a: 'b' }, body: 'hello' }) // 1 + 5 + 2 = 8
 * ```
 */
export function entrySize(key: string, value: CachedResponse): number {
  let n = utf8Length(key) + (typeof value.body === 'string' ? utf8Length(value.body) : value.body.byteLength)
  const headers = value.headers
  for (const name in headers) {
    const v = headers[name]!
    n += utf8Length(name)
    if (typeof v === 'string') n += utf8Length(v)
    else for (const item of v) n += utf8Length(item)
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

/**
 * A deep, frozen copy: what the cache keeps, so nothing the caller still holds can reach it.
 *
 * @example
 * ```ts
 * import { freezeResponse } from '@gatehouse/cache'
 * const stored = freezeResponse({ statusCode: 200, headers: { a: ['1', '2'] }, body: 'x' })
 * Object.isFrozen(stored.headers) // true
 * ```
 */
export function freezeResponse(value: CachedResponse): CachedResponse {
  checkResponse(value)
  return copyAndMeasure('', value).value
}

/** One pass over the response: the frozen copy the cache keeps, and its size as {@link entrySize} counts it. */
export function copyAndMeasure(key: string, value: CachedResponse): { value: CachedResponse; size: number } {
  const src = value.headers
  const headers: Record<string, string | readonly string[]> = {}
  let n = utf8Length(key)
  for (const name in src) {
    const v = src[name]!
    n += utf8Length(name)
    let copy: string | readonly string[]
    if (typeof v === 'string') {
      n += utf8Length(v)
      copy = v
    } else {
      for (const item of v) n += utf8Length(item)
      copy = Object.freeze([...v])
    }
    // A header literally named __proto__ must stay data, not become the copy's prototype.
    if (name === '__proto__') Object.defineProperty(headers, name, { value: copy, enumerable: true })
    else headers[name] = copy
  }
  const raw = value.body
  let body: string | Uint8Array
  if (typeof raw === 'string') {
    n += utf8Length(raw)
    body = raw
  } else {
    n += raw.byteLength
    body = raw.slice()
  }
  return { value: Object.freeze({ statusCode: value.statusCode, headers: Object.freeze(headers), body }), size: n }
}


