import { checkResponse, headerValueLength, utf8Length } from './size'
import type { CachedResponse } from './types'

type Headers = CachedResponse['headers']

/**
 * A deep, frozen copy: what the cache keeps, so nothing the caller still holds can reach it.
 *
 * @throws {CacheError} `INVALID_VALUE` when `value` is not a response.
 * @example
 * ```ts
 * import { freezeResponse } from '@gatehousejs/cache'
 * const stored = freezeResponse({ statusCode: 200, headers: { a: ['1', '2'] }, body: 'x' })
 * Object.isFrozen(stored.headers) // true
 * ```
 */
export function freezeResponse(value: CachedResponse): CachedResponse {
  checkResponse(value)
  return seal(copyAndMeasure(0, value).value)
}

/**
 * One pass over a response: the copy the cache keeps and its size as `entrySize` counts it, given its key's UTF-8
 * bytes (a key replacing its response was measured when it was added). Value lists (frozen) and a binary body are
 * copied; strings cannot change, so they are shared. The copy and its headers object are left for {@link seal},
 * which the cache calls before anyone outside it can see them.
 *
 * @throws {CacheError} `INVALID_VALUE` when a header value is not a string or a list of strings.
 */
export function copyAndMeasure(keyBytes: number, value: CachedResponse): { value: CachedResponse; size: number } {
  const src = value.headers
  const headers: Record<string, string | readonly string[]> = {}
  let n = keyBytes
  for (const name in src) {
    const v = src[name]!
    n += utf8Length(name) + headerValueLength(name, v)
    const copy = typeof v === 'string' ? v : Object.freeze(v.slice())
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
  return { value: { statusCode: value.statusCode, headers, body }, size: n }
}

/** Freezes a copy made by {@link copyAndMeasure}, in place, before anyone outside the cache can see it. */
export function seal(copy: CachedResponse): CachedResponse {
  Object.freeze(copy.headers)
  return Object.freeze(copy)
}

/**
 * Whether `given` holds exactly the status, headers and body of `stored` (a copy made by
 * {@link copyAndMeasure}), so the stored copy and its size can be kept instead of made again. Compares without
 * measuring or allocating; the cheap checks come first. A binary body never matches: it was copied on the way in.
 */
export function sameResponse(stored: CachedResponse, given: CachedResponse): boolean {
  return stored.body === given.body && stored.statusCode === given.statusCode && sameHeaders(stored.headers, given.headers)
}

function sameHeaders(stored: Headers, given: Headers): boolean {
  if (stored === given) return true
  let count = 0
  for (const name in given) {
    // Own only: a name the copy lacks could still read as something through Object.prototype.
    if (!Object.hasOwn(stored, name) || !sameValue(stored[name]!, given[name])) return false
    count++
  }
  for (const _ in stored) count--
  return count === 0
}

function sameValue(stored: string | readonly string[], given: unknown): boolean {
  if (typeof stored === 'string' || !Array.isArray(given)) return stored === given
  if (stored.length !== given.length) return false
  for (let i = 0; i < stored.length; i++) if (stored[i] !== given[i]) return false
  return true
}
