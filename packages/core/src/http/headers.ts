/**
 * Header maps as core holds them (lower-case names, client-chosen keys): reading values, writing own keys
 * whatever the name, hop-by-hop headers, and the capitalisation REST proxy events show.
 */
import type { HeaderMap } from '../types'

/**
 * A header's own value: a name the map does not hold is `undefined`, even when it is one of `Object.prototype`'s
 * (`constructor`, `__proto__`): header maps are plain objects whose keys come from the client.
 */
function ownHeader(headers: HeaderMap, name: string): string | string[] | undefined {
  const v = headers[name]
  return typeof v === 'string' || Array.isArray(v) ? v : undefined
}

/** Every value of a header, in order (names are lower-case in core). */
export function headerValues(headers: HeaderMap, name: string): string[] {
  const v = ownHeader(headers, name)
  if (v === undefined) return []
  return typeof v === 'string' ? [v] : v
}

/** The header's values joined as HTTP joins them (`, `), or undefined. */
export function headerValue(headers: HeaderMap, name: string): string | undefined {
  const v = ownHeader(headers, name)
  if (v === undefined) return undefined
  return typeof v === 'string' ? v : v.join(', ')
}

/** The last value of a header, as REST API proxy events carry it. */
export function lastHeaderValue(headers: HeaderMap, name: string): string | undefined {
  const v = ownHeader(headers, name)
  if (v === undefined) return undefined
  return typeof v === 'string' ? v : v[v.length - 1]
}

/**
 * The name under which a map holds a header, whatever its case (core's response names are not all lower-case:
 * `x-amzn-RequestId`), or undefined when it holds none.
 *
 * @example
 * ```ts
 * spellingOf({ 'Content-Type': 'text/plain' }, 'content-type') // 'Content-Type'
 * ```
 */
export function spellingOf(headers: HeaderMap, lower: string): string | undefined {
  for (const name in headers) if (name.length === lower.length && name.toLowerCase() === lower) return name
  return undefined
}

/**
 * What an HTTP/1.1 field value can hold (RFC 9110 §5.5: visible ASCII, space, tab, obs-text 0x80–0xFF): the very
 * check Node's `writeHead` makes. A character above U+00FF, CR/LF that would split the header or another control
 * character cannot be sent.
 */
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/

/** A header name HTTP can carry (RFC 9110 token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/

/**
 * Whether HTTP/1.1 can carry `value` as a header field value.
 *
 * @example
 * ```ts
 * isFieldValue('café') // true (obs-text)
 * isFieldValue('a\r\nx-injected: 1') // false
 * ```
 */
export function isFieldValue(value: string): boolean {
  return FIELD_VALUE.test(value)
}

/**
 * Whether `name` is a header name HTTP can carry (an RFC 9110 token).
 *
 * @example
 * ```ts
 * isHeaderName('x-amzn-RequestId') // true
 * isHeaderName('bad name') // false
 * ```
 */
export function isHeaderName(name: string): boolean {
  return HEADER_NAME.test(name)
}

/**
 * Set `map[name]` as an own data property whatever the name: a plain assignment to `__proto__` would change the
 * object's prototype instead of adding a key. The map stays an ordinary object (as a Lambda event parsed from
 * JSON is), so consumers that expect one keep working.
 *
 * @example
 * ```ts
 * const qs: Record<string, string> = {}
 * setOwn(qs, '__proto__', '1') // Object.keys(qs) → ['__proto__']
 * ```
 */
export function setOwn<V>(map: Record<string, V>, name: string, value: V): void {
  if (name === '__proto__') Object.defineProperty(map, name, { value, writable: true, enumerable: true, configurable: true })
  else map[name] = value
}

/**
 * `map[name]` if the map holds it itself, else undefined (never `Object.prototype`'s `constructor`, `toString`, …).
 *
 * @example
 * ```ts
 * getOwn({}, 'constructor') // undefined
 * ```
 */
export function getOwn<V>(map: Record<string, V>, name: string): V | undefined {
  return Object.hasOwn(map, name) ? map[name] : undefined
}

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
])

/** Hop-by-hop headers (RFC 9110 §7.6.1) are not forwarded by a proxy. */
export function isHopByHop(name: string): boolean {
  return HOP_BY_HOP.has(name)
}

/**
 * Headers a backend or function answered, without the ones that belong to one connection (hop-by-hop, any case) and
 * without `Content-Length`: the server that sends the response frames it.
 *
 * @example
 * ```ts
 * withoutHopByHop({ 'Transfer-Encoding': 'x', 'content-length': '9', etag: '"1"' }) // { etag: '"1"' }
 * ```
 */
export function withoutHopByHop(headers: HeaderMap): HeaderMap {
  const out: HeaderMap = {}
  for (const name of Object.keys(headers)) {
    const lower = name.toLowerCase()
    if (!HOP_BY_HOP.has(lower) && lower !== 'content-length') setOwn(out, name, headers[name]!)
  }
  return out
}

/** Header names REST API proxy events carry in their usual capitalisation (clients send them so), by lower-case name. */
export const CANONICAL_HEADER_NAMES: ReadonlyMap<string, string> = new Map(
  [
    'Accept',
    'Accept-Charset',
    'Accept-Encoding',
    'Accept-Language',
    'Authorization',
    'Cache-Control',
    'Content-Encoding',
    'Content-Length',
    'Content-Type',
    'Cookie',
    'Host',
    'If-Match',
    'If-Modified-Since',
    'If-None-Match',
    'Origin',
    'Pragma',
    'Range',
    'Referer',
    'User-Agent',
    'Via',
    'X-Amz-Date',
    'X-Amz-Security-Token',
    'X-Amzn-Trace-Id',
    'X-Forwarded-For',
    'X-Forwarded-Port',
    'X-Forwarded-Proto',
  ].map((n) => [n.toLowerCase(), n]),
)

/** The header name a REST API proxy event shows for a lower-case name. */
export function canonicalHeaderName(lower: string): string {
  return CANONICAL_HEADER_NAMES.get(lower) ?? lower
}
