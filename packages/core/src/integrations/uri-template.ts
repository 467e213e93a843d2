/**
 * HTTP integrations' URIs. The integration URI is a template parsed once into fixed text and placeholders, each
 * placeholder knowing which part of the URL it sits in. Per request a value is percent-encoded for its part and
 * spliced in; the result is never handed to a URL resolver, so a client value cannot change the URL's structure: a
 * `{name}` value stays one path segment, no value reaches the authority but a hostname label, and a segment that
 * is — or that a backend could read as — `.` or `..` (`%2e%2e`, `%252e`, `..;`, `..\`, `%2f..`, full-width dots) is
 * refused with 400 before anything is sent.
 */
import { urlToHttpOptions } from 'node:url'
import { GatewayConfigError } from '../errors'
import { failure, type GatewayFailure } from '../gateway-responses'
import type { RequestState } from '../state'

/** The URL part a placeholder sits in; its value is encoded for that part. */
type UrlPart = 'host' | 'path' | 'query' | 'fragment'

interface Placeholder {
  readonly name: string
  /** Written `{name+}` in the template. */
  readonly greedy: boolean
}

type Piece = string | Placeholder

/** Where one request goes: what `http.request` takes, with the request target (path and query) as sent. */
export interface HttpTarget {
  protocol: 'http:' | 'https:'
  hostname: string
  port: number | string | undefined
  auth?: string
  /** Path and query, percent-encoded, sent byte for byte. */
  path: string
}

/**
 * An integration URI parsed once (see {@link parseUriTemplate}).
 *
 * @example
 * ```ts
 * const t = parseUriTemplate('https://backend.example.com/api/{proxy}', '/resources/~1{proxy+}/ANY/integration/uri')
 * t.names // ['proxy']
 * ```
 */
export interface UriTemplate {
  readonly source: string
  readonly protocol: 'http:' | 'https:'
  /** The authority, parsed once, when it holds no placeholder. */
  readonly origin: Omit<HttpTarget, 'path'> | null
  readonly authority: readonly Piece[]
  readonly path: readonly Piece[]
  /** null when the template has no `?`. */
  readonly query: readonly Piece[] | null
  /** Placeholder names, in order. */
  readonly names: readonly string[]
}

/** How {@link expandUriTemplate} reads and encodes values. */
export interface ExpandOptions {
  /** The value of a placeholder; undefined when it has none. */
  value: (name: string) => string | undefined
  /** Whether a path value may hold `/` as a separator (a `{proxy+}` value); else `/` is encoded. */
  greedy: (name: string, written: boolean) => boolean
  /**
   * Values are decoded text (HTTP APIs' path parameters): every `%` is data. Otherwise values are as on the wire
   * (REST): a well-formed `%XX` escape is kept as sent, anything else is encoded.
   */
  decoded: boolean
}

/** A URI that could not be expanded: a placeholder with no value (500), or a value refused (400). */
export type ExpandRefusal = 'missing' | 'refused'

// ASCII tables of what each part keeps as written (RFC 3986 `pchar`, `query`); everything else is %-encoded.
function table(chars: string): Uint8Array {
  const t = new Uint8Array(128)
  for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~') t[c.charCodeAt(0)] = 1
  for (const c of chars) t[c.charCodeAt(0)] = 1
  return t
}
/** One path segment: `pchar` without `/`. */
const SEGMENT = table("!$&'()*+,;=:@")
/** Fixed path text of the template (the operator's `/` are separators). */
const PATH_TEXT = table("!$&'()*+,;=:@/")
/** A query value: `&`, `=`, `+` and `#` would change what the backend parses, so they are encoded. */
const QUERY_VALUE = table("!$'()*,;:@/?")
/** Fixed query text of the template. */
const QUERY_TEXT = table("!$&'()*+,;=:@/?")
/** The client's raw query string: kept as sent, but a `#` would end the request target. */
const RAW_QUERY = table('!$&\'()*+,;=:@/?%"<>[\\]^`{|}')

const HEX = '0123456789ABCDEF'
const SAFE = /^[A-Za-z0-9\-._~]*$/

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102)
}

function escapeBytes(text: string): string {
  let out = ''
  for (const b of Buffer.from(text, 'utf8')) out += `%${HEX[b >> 4]}${HEX[b & 15]}`
  return out
}

/**
 * Percent-encode `text` for a URL part: ASCII in `keep` stays, a well-formed `%XX` stays when `keepEscapes`,
 * everything else (controls, space, non-ASCII as UTF-8, delimiters of the part) is encoded.
 */
function encodeFor(text: string, keep: Uint8Array, keepEscapes: boolean): string {
  if (SAFE.test(text)) return text
  let out = ''
  let start = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 128 && keep[c] === 1) continue
    if (c === 37 && keepEscapes && isHex(text.charCodeAt(i + 1)) && isHex(text.charCodeAt(i + 2))) {
      i += 2
      continue
    }
    out += text.slice(start, i)
    if (c < 128) out += `%${HEX[c >> 4]}${HEX[c & 15]}`
    else {
      // A whole code point (a lone surrogate becomes U+FFFD's bytes).
      const wide = c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00
      out += escapeBytes(text.slice(i, wide ? i + 2 : i + 1))
      if (wide) i++
    }
    start = i + 1
  }
  return start === 0 ? text : out + text.slice(start)
}

/** How many times a segment is percent-decoded when looking for a dot segment before it is refused outright. */
const MAX_DECODES = 4
const ESCAPES = /%u[0-9A-Fa-f]{4}|(?:%[0-9A-Fa-f]{2})+/g
const NON_ASCII = /[^\x00-\x7f]/
const MAYBE_DOT = /[.\u0080-\uffff]/

/** One lenient decoding as backends do it: `%XX` runs as UTF-8 (bad bytes → U+FFFD), IIS's `%uXXXX`, the rest as is. */
function decodeLenient(s: string): string {
  return s.replace(ESCAPES, (run) =>
    run.charCodeAt(1) === 117 /* u */
      ? String.fromCharCode(parseInt(run.slice(2), 16))
      : Buffer.from(run.replace(/%/g, ''), 'hex').toString('utf8'),
  )
}

/** Whether `s`, split at `/` and `\` with `;params` cut (Tomcat), has a `.` or `..` part, also after NFKC (`．．`, `‥`). */
function hasDotPart(s: string): boolean {
  if (!MAYBE_DOT.test(s)) return false
  const t = NON_ASCII.test(s) ? s.normalize('NFKC') : s
  let start = 0
  for (let i = 0; i <= t.length; i++) {
    const c = i === t.length ? 47 : t.charCodeAt(i)
    if (c !== 47 && c !== 92) continue
    let part = t.slice(start, i)
    const semi = part.indexOf(';')
    if (semi !== -1) part = part.slice(0, semi)
    if (part === '.' || part === '..') return true
    start = i + 1
  }
  return false
}

/**
 * Whether a backend could read this (encoded) path segment as a dot segment: as sent, or after up to
 * {@link MAX_DECODES} percent-decodings. A segment still changing after that many decodings is refused too.
 */
export function isDotSegment(segment: string): boolean {
  let s = segment
  for (let round = 0; ; round++) {
    if (hasDotPart(s)) return true
    if (s.indexOf('%') === -1) return false
    if (round === MAX_DECODES) return true
    const d = decodeLenient(s)
    if (d === s) return false
    s = d
  }
}

function hasDotSegment(path: string): boolean {
  let start = 0
  for (let i = 0; i <= path.length; i++) {
    if (i < path.length && path.charCodeAt(i) !== 47) continue
    if (i > start && isDotSegment(path.slice(start, i))) return true
    start = i + 1
  }
  return false
}

/** A hostname label (RFC 1123): what a placeholder in the authority may yield, and nothing else. */
const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/

function originOf(url: URL): Omit<HttpTarget, 'path'> {
  const o = urlToHttpOptions(url)
  return {
    protocol: url.protocol as 'http:' | 'https:',
    hostname: o.hostname ?? url.hostname,
    port: o.port ?? undefined,
    ...(o.auth ? { auth: o.auth } : {}),
  }
}

/**
 * Parse an HTTP integration URI (stage variables already substituted) into fixed text and placeholders, once.
 * Throws {@link GatewayConfigError} at `at` for a URI that is not http(s), whose fixed parts do not parse, or whose
 * fixed path has a dot segment.
 *
 * @example
 * ```ts
 * const t = parseUriTemplate('http://backend/api/public/{proxy}', '/x/uri')
 * expandUriTemplate(t, { value: () => 'a/b', greedy: () => true, decoded: false }) // { path: '/api/public/a/b', … }
 * ```
 */
export function parseUriTemplate(source: string, at: string): UriTemplate {
  const scheme = /^(https?):\/\//i.exec(source)
  if (!scheme)
    throw new GatewayConfigError('INVALID_DEFINITION', `an HTTP integration uri must be an absolute http(s) URL, got "${source}"`, at)
  const protocol = `${scheme[1]!.toLowerCase()}:` as 'http:' | 'https:'
  const parts: Record<UrlPart, Piece[]> = { host: [], path: [], query: [], fragment: [] }
  let part: UrlPart = 'host'
  let hasQuery = false
  const names: string[] = []
  const addText = (text: string) => {
    let start = 0
    for (let i = 0; i < text.length; i++) {
      const c = text[i]
      const next: UrlPart | null =
        c === '#' && part !== 'fragment'
          ? 'fragment'
          : c === '?' && (part === 'host' || part === 'path')
            ? 'query'
            : c === '/' && part === 'host'
              ? 'path'
              : null
      if (next === null) continue
      if (i > start) parts[part].push(text.slice(start, i))
      part = next
      if (next === 'query') hasQuery = true
      // The `/` that ends the authority is the path's first character; `?` and `#` are delimiters only.
      start = next === 'path' ? i : i + 1
    }
    if (start < text.length) parts[part].push(text.slice(start))
  }
  const rest = source.slice(scheme[0].length)
  const PLACEHOLDER = /\{([^{}]+)\}/g
  let last = 0
  for (let m = PLACEHOLDER.exec(rest); m !== null; m = PLACEHOLDER.exec(rest)) {
    addText(rest.slice(last, m.index))
    const raw = m[1]!
    const greedy = raw.endsWith('+')
    const name = greedy ? raw.slice(0, -1) : raw
    parts[part].push({ name, greedy })
    names.push(name)
    last = m.index + m[0].length
  }
  addText(rest.slice(last))

  const text = (pieces: Piece[], probe: string) => pieces.map((p) => (typeof p === 'string' ? p : probe)).join('')
  let probe: URL
  let origin: Omit<HttpTarget, 'path'>
  try {
    probe = new URL(`${protocol}//${text(parts.host, 'x')}/`)
    // Also decodes the userinfo: a malformed escape there is the template's fault.
    origin = originOf(probe)
  } catch {
    throw new GatewayConfigError('INVALID_DEFINITION', `invalid HTTP integration uri "${source}"`, at)
  }
  if (probe.hostname === '') throw new GatewayConfigError('INVALID_DEFINITION', `the HTTP integration uri "${source}" has no host`, at)
  const hostHasPlaceholder = parts.host.some((p) => typeof p !== 'string')
  // Fixed text is the operator's: encoded once here as a URL parser would have, never re-resolved.
  const path = parts.path.map((p) => (typeof p === 'string' ? encodeFor(p, PATH_TEXT, true) : p))
  const query = parts.query.map((p) => (typeof p === 'string' ? encodeFor(p, QUERY_TEXT, true) : p))
  if (hasDotSegment(text(path, 'x'))) {
    throw new GatewayConfigError('INVALID_DEFINITION', `the path of the HTTP integration uri "${source}" has a dot segment`, at)
  }
  return {
    source,
    protocol,
    origin: hostHasPlaceholder ? null : origin,
    authority: parts.host,
    path: path.length === 0 ? ['/'] : path,
    query: hasQuery ? query : null,
    names,
  }
}

/**
 * Splice a request's values into a parsed URI template. Never resolves the result: what is built is what is sent.
 *
 * @example
 * ```ts
 * const t = parseUriTemplate('http://backend/api/public/{proxy}', '/x/uri')
 * expandUriTemplate(t, { value: () => '%2e%2e/admin', greedy: () => true, decoded: false }) // 'refused'
 * ```
 */
export function expandUriTemplate(t: UriTemplate, options: ExpandOptions): HttpTarget | ExpandRefusal {
  const { value, greedy, decoded } = options
  const keepEscapes = !decoded
  let origin = t.origin
  if (origin === null) {
    let authority = ''
    for (const p of t.authority) {
      if (typeof p === 'string') {
        authority += p
        continue
      }
      const v = value(p.name)
      if (v === undefined) return 'missing'
      if (!LABEL.test(v)) return 'refused'
      authority += v
    }
    try {
      origin = originOf(new URL(`${t.protocol}//${authority}/`))
    } catch {
      return 'refused'
    }
  }
  let path = ''
  for (const p of t.path) {
    if (typeof p === 'string') {
      path += p
      continue
    }
    const v = value(p.name)
    if (v === undefined) return 'missing'
    if (greedy(p.name, p.greedy)) {
      let start = 0
      for (let i = 0; i <= v.length; i++) {
        if (i < v.length && v.charCodeAt(i) !== 47) continue
        if (start > 0) path += '/'
        path += encodeFor(v.slice(start, i), SEGMENT, keepEscapes)
        start = i + 1
      }
    } else path += encodeFor(v, SEGMENT, keepEscapes)
  }
  if (hasDotSegment(path)) return 'refused'
  if (t.query !== null) {
    let query = ''
    for (const p of t.query) {
      if (typeof p === 'string') {
        query += p
        continue
      }
      const v = value(p.name)
      if (v === undefined) return 'missing'
      query += encodeFor(v, QUERY_VALUE, keepEscapes)
    }
    if (query !== '') path += `?${query}`
  }
  return { ...origin, path }
}

/** The client's query string as it may be forwarded: as sent, controls, spaces, non-ASCII and `#` encoded. */
export function forwardableQuery(query: string): string {
  return encodeFor(query, RAW_QUERY, true)
}

/** Append a query string (without `?`) to a target's path. */
export function withQuery(target: HttpTarget, query: string): HttpTarget {
  if (query === '') return target
  return { ...target, path: target.path.includes('?') ? `${target.path}&${query}` : `${target.path}?${query}` }
}

/** The 400 a refused value gets, and the 500 of a placeholder nothing fills (API Gateway: "Illegal character in path"). */
export function expandFailure(refusal: ExpandRefusal): GatewayFailure {
  return refusal === 'refused' ? failure('BAD_REQUEST_PARAMETERS') : failure('API_CONFIGURATION_ERROR')
}

/** Whether the route's own path declares `{name+}`: its value keeps its `/`. */
export function isGreedyParam(state: RequestState, name: string): boolean {
  return state.route.resourcePath.endsWith(`{${name}+}`)
}
