/**
 * The canonical request, exactly as AWS's SigV4 specification and test suite define it.
 */
import { canonicalComponent, uriEncode } from './encoding'
import type { PathOptions } from './types'

/**
 * Canonical URI of a wire path. Non-S3 services: dot segments removed, empty segments collapsed, then every
 * byte but unreserved characters and `/` encoded again (double encoding). S3: the path's escapes normalised.
 */
export function canonicalPath(path: string, options: Required<PathOptions>): string {
  let p = path === '' ? '/' : path
  if (options.normalizePath) p = normalizePath(p)
  return options.doubleUriEncode ? uriEncode(p, true) : canonicalComponent(p, true)
}

function normalizePath(path: string): string {
  // Fast path: nothing to remove.
  if (path.indexOf('//') === -1 && path.indexOf('/.') === -1 && path[0] === '/') return path
  const segments: string[] = []
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue
    if (seg === '..') segments.pop()
    else segments.push(seg)
  }
  const lead = path[0] === '/' ? '/' : ''
  const trail = segments.length > 0 && path.endsWith('/') ? '/' : ''
  return `${lead}${segments.join('/')}${trail}`
}

/** One query parameter, as it appears in the canonical query string (name and value canonically encoded). */
export interface CanonicalParam {
  name: string
  value: string
}

/** Splits a raw query string into canonically encoded parameters, in wire order. Empty pieces are skipped. */
export function parseQuery(query: string | undefined): CanonicalParam[] {
  const out: CanonicalParam[] = []
  if (!query) return out
  let start = 0
  const n = query.length
  while (start <= n) {
    let end = query.indexOf('&', start)
    if (end === -1) end = n
    if (end > start) {
      const eq = query.indexOf('=', start)
      if (eq === -1 || eq > end) out.push({ name: canonicalComponent(query.slice(start, end)), value: '' })
      else out.push({ name: canonicalComponent(query.slice(start, eq)), value: canonicalComponent(query.slice(eq + 1, end)) })
    }
    start = end + 1
  }
  return out
}

function byNameThenValue(a: CanonicalParam, b: CanonicalParam): number {
  // Canonical names and values are ASCII, so code-unit order is byte order.
  if (a.name !== b.name) return a.name < b.name ? -1 : 1
  return a.value < b.value ? -1 : a.value > b.value ? 1 : 0
}

/** The canonical query string: sorted by encoded name, then encoded value; repeated keys kept. */
export function canonicalQuery(params: CanonicalParam[], exclude?: (name: string) => boolean): string {
  const list = exclude ? params.filter((p) => !exclude(p.name)) : params.slice()
  if (list.length === 0) return ''
  if (list.length > 1) list.sort(byNameThenValue)
  let s = `${list[0]!.name}=${list[0]!.value}`
  for (let i = 1; i < list.length; i++) s += `&${list[i]!.name}=${list[i]!.value}`
  return s
}

const NEEDS_TRIM = /[\t\r\n]| {2}|^ | $/

/** A header value trimmed, with inner runs of whitespace (incl. obsolete line folding) collapsed to one space. */
export function canonicalHeaderValue(v: string): string {
  if (!NEEDS_TRIM.test(v)) return v
  return v.replace(/[ \t\r\n]+/g, ' ').replace(/^ | $/g, '')
}

/** Header map with lower-case names; returns the same object when it already is. */
export function lowerCaseHeaders(headers: Record<string, string | string[]>): Record<string, string | string[]> {
  let clean = true
  for (const k in headers) {
    if (k !== k.toLowerCase()) {
      clean = false
      break
    }
  }
  if (clean) return headers
  const out: Record<string, string | string[]> = Object.create(null)
  for (const k in headers) {
    const v = headers[k]
    if (v === undefined) continue
    const name = k.toLowerCase()
    const prev = out[name]
    out[name] = prev === undefined ? v : ([] as string[]).concat(prev, v)
  }
  return out
}

/** The first value of a header the request may carry more than once (`undefined` when absent). */
export function firstValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v
}

/** Canonical value of one header: repeated values trimmed and joined by commas in arrival order. */
export function headerValue(v: string | string[]): string {
  if (typeof v === 'string') return canonicalHeaderValue(v)
  let s = ''
  for (let i = 0; i < v.length; i++) s += (i === 0 ? '' : ',') + canonicalHeaderValue(v[i]!)
  return s
}

/**
 * The canonical headers block (`name:value\n` per signed header, in the given order) or `null` when a signed
 * header is missing from the request.
 */
export function canonicalHeaders(headers: Record<string, string | string[]>, signed: readonly string[]): string | null {
  let s = ''
  for (const name of signed) {
    const v = Object.prototype.hasOwnProperty.call(headers, name) ? headers[name] : undefined
    if (v === undefined) return null
    s += `${name}:${headerValue(v)}\n`
  }
  return s
}

/** Joins the six parts of a canonical request. */
export function canonicalRequest(
  method: string,
  uri: string,
  query: string,
  headerBlock: string,
  signedHeaders: string,
  payloadHash: string,
): string {
  return `${method}\n${uri}\n${query}\n${headerBlock}\n${signedHeaders}\n${payloadHash}`
}
