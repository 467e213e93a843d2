/**
 * Small HTTP helpers on core's request shape: query strings, headers, media types.
 */
import type { HeaderMap } from './types'

/** Percent-decode, leaving malformed escapes as they are (API Gateway never rejects a request for them). */
export function safeDecode(s: string): string {
  if (s.indexOf('%') === -1) return s
  try {
    return decodeURIComponent(s)
  } catch {
    return s.replace(/(%[0-9a-fA-F]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run)
      } catch {
        return run
      }
    })
  }
}

/** Query string → ordered `[name, value]` pairs, decoded as forms are (`+` is a space). */
export function parseQuery(query: string | undefined): [string, string][] {
  const pairs: [string, string][] = []
  if (!query) return pairs
  for (const part of query.split('&')) {
    if (part === '') continue
    const eq = part.indexOf('=')
    const rawName = eq === -1 ? part : part.slice(0, eq)
    const rawValue = eq === -1 ? '' : part.slice(eq + 1)
    pairs.push([safeDecode(rawName.replace(/\+/g, ' ')), safeDecode(rawValue.replace(/\+/g, ' '))])
  }
  return pairs
}

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

/** `type/subtype` of a Content-Type or Accept entry, lower-case, without parameters. */
export function mediaType(value: string | undefined): string {
  if (!value) return ''
  const semi = value.indexOf(';')
  return (semi === -1 ? value : value.slice(0, semi)).trim().toLowerCase()
}

/**
 * A matcher for API Gateway's `binaryMediaTypes` entries (`image/png`, `image/*`, `*\/*`). API Gateway stores
 * `/` as `~1` in some exports; both forms are accepted.
 */
export function mediaTypeMatcher(patterns: readonly string[] | undefined): ((type: string) => boolean) | null {
  if (!patterns || patterns.length === 0) return null
  const exact = new Set<string>()
  const prefixes: string[] = []
  let any = false
  for (const raw of patterns) {
    const p = raw.replace(/~1/g, '/').trim().toLowerCase()
    if (p === '*/*') any = true
    else if (p.endsWith('/*')) prefixes.push(p.slice(0, -1))
    else exact.add(p)
  }
  return (type) => {
    if (type === '') return false
    if (any || exact.has(type)) return true
    for (const prefix of prefixes) if (type.startsWith(prefix)) return true
    return false
  }
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

/** Content types API Gateway's HTTP APIs treat as text (others reach Lambda base64-encoded). */
export function isTextMediaType(type: string): boolean {
  return (
    type === '' ||
    type.startsWith('text/') ||
    type === 'application/json' ||
    type.endsWith('+json') ||
    type === 'application/xml' ||
    type.endsWith('+xml') ||
    type === 'application/javascript' ||
    type === 'application/x-www-form-urlencoded' ||
    type === 'application/graphql'
  )
}

/** Bytes of a body. */
export function bodyBytes(body: string | Uint8Array | undefined): Buffer {
  if (body === undefined) return Buffer.alloc(0)
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body.buffer, body.byteOffset, body.byteLength)
}

export function bodyLength(body: string | Uint8Array | undefined): number {
  if (body === undefined) return 0
  return typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.byteLength
}

/** Common Log Format time as `$context.requestTime` carries it: `21/Nov/2026:22:54:37 +0000`. */
export function clfTime(epochMs: number): string {
  // Requests in the same second share the string.
  const second = Math.floor(epochMs / 1000)
  if (second === lastClfSecond) return lastClf
  lastClfSecond = second
  return (lastClf = formatClf(epochMs))
}

let lastClfSecond = NaN
let lastClf = ''

function formatClf(epochMs: number): string {
  const d = new Date(epochMs)
  const pad = (n: number) => (n < 10 ? `0${n}` : String(n))
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(
    d.getUTCMinutes(),
  )}:${pad(d.getUTCSeconds())} +0000`
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** Header names REST API proxy events carry in their usual capitalisation (clients send them so). */
const CANONICAL = new Map(
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
  return CANONICAL.get(lower) ?? lower
}
