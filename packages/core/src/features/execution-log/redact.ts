/**
 * What execution logs never show, and how long a line may be. API Gateway "redacts authorization headers, API key
 * values, and similar sensitive request parameters from the logged data" and truncates log events at 1 KB
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-execution-logging.html). Its logs show a
 * masked secret as stars and its last characters (`Authorization=****…27f552`, `API Key: ****…abcd`); here a masked
 * value keeps at most a quarter of itself (so a short secret keeps nothing), cookies and session tokens nothing.
 * Every secret value the request carried is also replaced wherever it appears in a line (a Lambda proxy event, a
 * body echoing a header), raw, JSON-escaped or percent-encoded.
 */
import type { HeaderMap } from '../../types'

/** API Gateway's standard execution log events are truncated at 1 KB. */
export const MAX_LINE_BYTES = 1024
const TRUNCATED = ' [TRUNCATED]'

/**
 * A secret as execution logs show it: stars, then at most `keep` of its last characters and never more than a
 * quarter of it.
 *
 * @example
 * ```ts
 * mask('abcdefghijklmnopqrstuvwx', 4) // '********************uvwx'
 * mask('short', 4) // '****t'
 * ```
 */
export function mask(value: string, keep: number): string {
  const shown = Math.min(keep, Math.floor(value.length / 4))
  return '*'.repeat(Math.max(value.length - shown, 4)) + value.slice(value.length - shown)
}

/** Headers whose values are masked (kept: how many last characters may show). */
const SECRET_HEADERS: Readonly<Record<string, number>> = {
  authorization: 6,
  'proxy-authorization': 6,
  'x-api-key': 4,
  cookie: 0,
  'set-cookie': 0,
  'x-amz-security-token': 0,
}

/** Query parameters that carry credentials (SigV4 presigned URLs). */
const SECRET_QUERY = new Set(['x-amz-signature', 'x-amz-security-token', 'x-amz-credential'])

/**
 * The secrets of one request: every value a line must not show, and the header and query names to mask.
 *
 * @example
 * ```ts
 * const secrets = requestSecrets({ authorization: 'Bearer abc.def' }, [['token', 'xyz']], new Set(), new Set(['token']))
 * secrets.values // ['Bearer%20abc.def', 'Bearer abc.def', 'Bearer+abc.def', 'abc.def', 'xyz']
 * ```
 */
export function requestSecrets(
  headers: HeaderMap,
  query: readonly [string, string][],
  extraHeaders: ReadonlySet<string>,
  extraQuery: ReadonlySet<string>,
): { values: string[] } {
  // Whole values first; the parts of a cookie header (its pairs, their values) only while there is room.
  const values: string[] = []
  const parts: string[] = []
  const add = (v: string, list = values) => {
    const t = v.trim()
    if (t.length >= MIN_SECRET && !list.includes(t)) list.push(t)
  }
  for (const name of Object.keys(headers)) {
    if (!Object.hasOwn(SECRET_HEADERS, name) && !extraHeaders.has(name)) continue
    const raw = headers[name]!
    for (const v of typeof raw === 'string' ? [raw] : raw) {
      add(v)
      if (name === 'cookie' || name === 'set-cookie') {
        for (const pair of v.split(';', 64)) {
          add(pair, parts)
          const eq = pair.indexOf('=')
          if (eq >= 0) add(pair.slice(eq + 1), parts)
        }
      } else {
        // `Bearer <token>`, `AWS4-HMAC-SHA256 Credential=…, Signature=<hex>`.
        const space = v.indexOf(' ')
        if (space > 0) add(v.slice(space + 1))
        const sig = /Signature=([^,\s]+)/.exec(v)
        if (sig) add(sig[1]!)
      }
    }
  }
  for (const [name, value] of query) if (SECRET_QUERY.has(name.toLowerCase()) || extraQuery.has(name)) add(value)
  return { values: secretForms(values, parts) }
}

/** At most this many forms are searched for in a line: bounded work whatever the request carries. */
const MAX_FORMS = 128

/**
 * Every form a secret may take in a line (raw, JSON-escaped, percent-encoded), longest first (a secret inside
 * another is replaced after the one that holds it), at most {@link MAX_FORMS}: those of `secrets` first, then those
 * of `lesser` while there is room.
 *
 * @example
 * ```ts
 * secretForms(['a b"c']) // ['a%20b%22c', 'a+b%22c', 'a b\\"c', 'a b"c']
 * ```
 */
export function secretForms(secrets: readonly string[], lesser: readonly string[] = []): string[] {
  const out = new Set<string>()
  for (const list of [secrets, lesser]) {
    for (const secret of list) for (const form of forms(secret)) if (out.size < MAX_FORMS) out.add(form)
  }
  return [...out].sort((a, b) => b.length - a.length)
}

/** Values shorter than this are not searched for in free text (they would mask every such word); headers still are. */
const MIN_SECRET = 3

/**
 * `text` with every form of every secret ({@link secretForms}) replaced by stars.
 *
 * @example
 * ```ts
 * redactValues('{"Authorization":"Bearer s3cr3t"}', ['Bearer s3cr3t']) // '{"Authorization":"****"}'
 * ```
 */
export function redactValues(text: string, forms: readonly string[]): string {
  let out = text
  for (const form of forms) if (out.includes(form)) out = out.split(form).join('****')
  return out
}

function forms(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1)
  let encoded = secret
  try {
    encoded = encodeURIComponent(secret)
  } catch {
    // A lone surrogate: no encoded form.
  }
  const list = [secret]
  if (json !== secret) list.push(json)
  if (encoded !== secret) list.push(encoded, encoded.replace(/%20/g, '+'))
  return list
}

/**
 * A header map as API Gateway's logs print one (`{Accept=*\/*, Authorization=****abcd}`), secrets masked.
 *
 * @example
 * ```ts
 * formatHeaders({ accept: 'application/json', 'x-api-key': 'abcdefghijklmnopqrstuvwxyz' }, new Set())
 * // '{accept=application/json, x-api-key=**********************wxyz}'
 * ```
 */
export function formatHeaders(headers: HeaderMap | Record<string, string | string[] | undefined>, extra: ReadonlySet<string>): string {
  const parts: string[] = []
  for (const [name, raw] of Object.entries(headers)) {
    if (raw === undefined) continue
    const lower = name.toLowerCase()
    const keep = Object.hasOwn(SECRET_HEADERS, lower) ? SECRET_HEADERS[lower]! : extra.has(lower) ? 0 : -1
    const value = typeof raw === 'string' ? raw : raw.join(',')
    parts.push(`${name}=${keep >= 0 ? mask(value, keep) : value}`)
  }
  return `{${parts.join(', ')}}`
}

/**
 * Pairs as API Gateway's logs print a map (`{id=7, tag=[a, b]}`), the values of `secret` names masked.
 *
 * @example
 * ```ts
 * formatPairs([['tag', 'a'], ['tag', 'b'], ['token', 'abcdefgh']], new Set(['token'])) // '{tag=[a, b], token=********}'
 * ```
 */
export function formatPairs(pairs: readonly (readonly [string, string])[], secret: ReadonlySet<string>): string {
  const map = new Map<string, string[]>()
  for (const [k, v] of pairs) {
    const list = map.get(k)
    if (list) list.push(v)
    else map.set(k, [v])
  }
  const parts: string[] = []
  for (const [k, list] of map) {
    const hide = secret.has(k) || SECRET_QUERY.has(k.toLowerCase())
    const shown = list.map((v) => (hide ? mask(v, 0) : v))
    parts.push(`${k}=${shown.length === 1 ? shown[0] : `[${shown.join(', ')}]`}`)
  }
  return `{${parts.join(', ')}}`
}

const encoder = new TextEncoder()

/**
 * `line` cut to `max` UTF-8 bytes, ending in ` [TRUNCATED]` as API Gateway's truncated events do (`cut`: the caller
 * already cut it).
 *
 * @example
 * ```ts
 * truncate('x'.repeat(2000), 1024).length // 1024
 * ```
 */
export function truncate(line: string, max: number = MAX_LINE_BYTES, cut = false): string {
  // Fast path: no string of `max / 3` UTF-16 units or fewer is over `max` bytes.
  if (!cut && line.length * 3 <= max) return line
  const bytes = encoder.encode(line)
  if (bytes.length <= max - (cut ? TRUNCATED.length : 0)) return cut ? line + TRUNCATED : line
  let end = max - TRUNCATED.length
  // Back to a character boundary (not inside a UTF-8 sequence).
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--
  return new TextDecoder().decode(bytes.subarray(0, end)) + TRUNCATED
}
