/**
 * The request `gateway.handle` and `dispatch` accept: a `GatewayRequest` checked once at the door. What is
 * unambiguous is made normal (method upper-cased, a query left in `path` split off, headers left out, header names
 * not lower-cased); anything else that is no `GatewayRequest` is the caller's bug and throws a `TypeError` naming
 * the field — never a 500, never `onError`. A request that is already normal (every adapter builds one) is
 * returned as it is, after a few comparisons per field and one per header.
 */
import { getOwn, setOwn } from './http'
import type { GatewayRequest, HeaderMap } from './types'

/** Methods that are tokens and upper-case already: no character to look at. */
const STANDARD_METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'])

/** RFC 9110 §5.6.2 `tchar`, ASCII only (checked before upper-casing: `'ß'.toUpperCase()` is `'SS'`). */
function isToken(s: string): boolean {
  if (s.length === 0) return false
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    const alnum = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)
    // ! # $ % & ' * + - . ^ _ ` | ~
    if (!alnum && "!#$%&'*+-.^_`|~".indexOf(String.fromCharCode(c)) === -1) return false
  }
  return true
}

/** `scheme://…` (RFC 3986 §3.1: a letter, then letters, digits, `+`, `-`, `.`). */
function isAbsoluteUrl(s: string): boolean {
  const colon = s.indexOf('://')
  if (colon < 1) return false
  for (let i = 0; i < colon; i++) {
    const c = s.charCodeAt(i) | 0x20 // ASCII letters to lower case
    const letter = c >= 97 && c <= 122
    if (!(letter || (i > 0 && ((c >= 48 && c <= 57) || s[i] === '+' || s[i] === '-' || s[i] === '.')))) return false
  }
  return true
}

/** How a wrong value is named in the error: its type, a short quote of a string, the class of an odd object. */
function shown(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null
    const name = proto?.constructor?.name
    return proto === null || proto === Object.prototype || typeof name !== 'string' || name === '' ? 'object' : `object (${name})`
  }
  return typeof value
}

function invalid(field: string, must: string, value: unknown): TypeError {
  return new TypeError(`GatewayRequest${field} must be ${must}, got ${shown(value)}`)
}

function isBytes(value: unknown): value is Uint8Array {
  // Buffer is a Uint8Array; one made in another realm (vm, worker) fails `instanceof` but has the tag.
  return value instanceof Uint8Array || (ArrayBuffer.isView(value) && Object.prototype.toString.call(value) === '[object Uint8Array]')
}

/** The header map with names lower-cased; values of names that differ only in case joined in order. */
function lowerCased(headers: HeaderMap): HeaderMap {
  const out: HeaderMap = {}
  for (const name of Object.keys(headers)) {
    const lower = name.toLowerCase()
    const value = headers[name]!
    const prev = getOwn(out, lower)
    if (prev === undefined) setOwn<string | string[]>(out, lower, Array.isArray(value) ? value.slice() : value)
    else if (typeof prev === 'string') setOwn<string | string[]>(out, lower, [prev].concat(value))
    else setOwn<string | string[]>(out, lower, prev.concat(value))
  }
  return out
}

/** Check the headers; the map to use (a lower-cased copy when a name is not lower-case), or throw. */
function checkHeaders(headers: unknown): HeaderMap {
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) {
    throw invalid('.headers', 'an object of header name → string or string[]', headers)
  }
  const proto = Object.getPrototypeOf(headers)
  if (proto !== Object.prototype && proto !== null) {
    // A Fetch `Headers` or a Map keeps its entries where Object.keys cannot see them: refused, not read as empty.
    throw invalid('.headers', 'a plain object of header name → string or string[]', headers)
  }
  const map = headers as HeaderMap
  let upper = false
  // for…in with an own-key check: the same keys as Object.keys (a plain object's prototype adds none), no array.
  for (const name in map) {
    if (!Object.hasOwn(map, name)) continue
    const value = map[name]
    if (typeof value !== 'string') {
      if (!Array.isArray(value)) throw invalid(`.headers[${JSON.stringify(name)}]`, 'a string or an array of strings', value)
      for (const v of value) {
        if (typeof v !== 'string') throw invalid(`.headers[${JSON.stringify(name)}]`, 'a string or an array of strings', v)
      }
    }
    // V8 hands back the same string when nothing changes: no allocation for a lower-case name.
    if (!upper && name.toLowerCase() !== name) upper = true
  }
  return upper ? lowerCased(map) : map
}

/**
 * The request as the pipeline takes it: the caller's own object when it is normal already, else a normalised
 * copy (the caller's object is never changed). Throws a `TypeError` naming the first field that is wrong.
 *
 * @example
 * ```ts
 * requestInput({ method: 'get', path: '/calc?x=1' }) // { method: 'GET', path: '/calc', query: 'x=1', headers: {} }
 * requestInput({ method: 'GET', path: '/calc', query: { x: 1 }, headers: {} })
 * // TypeError: GatewayRequest.query must be a string (the raw query string without "?"), got object
 * ```
 */
export function requestInput(request: unknown): GatewayRequest {
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    throw new TypeError(`a GatewayRequest must be an object ({ method, path, query?, headers, body? }), got ${shown(request)}`)
  }
  const r = request as GatewayRequest
  let { method, path, query } = r
  const { body, sourceIp, clientCert } = r
  let changed = false

  if (typeof method !== 'string') throw invalid('.method', 'an HTTP method (a token such as "GET")', method)
  if (!STANDARD_METHODS.has(method)) {
    if (!isToken(method)) throw invalid('.method', 'an HTTP method (a token such as "GET")', method)
    const upper = method.toUpperCase()
    if (upper !== method) {
      method = upper
      changed = true
    }
  }

  if (typeof path !== 'string') throw invalid('.path', 'a string (the path as on the wire, without the query)', path)
  // Another path not starting with "/" is the client's (`OPTIONS * HTTP/1.1`): the gateway answers it as API
  // Gateway does. Only a whole URL is surely the caller's mistake.
  if (path.charCodeAt(0) !== 47 /* / */ && isAbsoluteUrl(path)) {
    throw invalid('.path', 'the path (from "/"), not a whole URL', path)
  }
  if (query !== undefined && typeof query !== 'string') {
    throw invalid('.query', 'a string (the raw query string without "?")', query)
  }
  // With `query` given, a "?" left in `path` is not split: which part is the query would be a guess (the path
  // then matches no route, as before).
  const q = query === undefined ? path.indexOf('?') : -1
  if (q !== -1) {
    query = path.slice(q + 1)
    path = path.slice(0, q)
    changed = true
  }

  let headers: HeaderMap
  if (r.headers === undefined) {
    headers = {}
    changed = true
  } else {
    headers = checkHeaders(r.headers)
    if (headers !== r.headers) changed = true
  }

  if (body !== undefined && typeof body !== 'string' && !isBytes(body)) {
    throw invalid('.body', 'a string or a Uint8Array (Buffer)', body)
  }
  if (sourceIp !== undefined && typeof sourceIp !== 'string') throw invalid('.sourceIp', 'a string', sourceIp)
  if (clientCert !== undefined && (typeof clientCert !== 'object' || clientCert === null)) {
    throw invalid('.clientCert', 'an object (ClientCert)', clientCert)
  }

  if (!changed) return r
  const out: GatewayRequest = { ...r, method, path, headers }
  if (query !== undefined) out.query = query
  return out
}
