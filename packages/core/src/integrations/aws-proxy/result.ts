/**
 * The Lambda proxy result: what a function returns, mapped to the HTTP response as API Gateway does for payload
 * formats 1.0 and 2.0. A malformed result is `null`: the caller answers with the API's integration-failure response.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-output-format
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html#http-api-develop-integrations-lambda.response
 */
import { isFieldValue, isHeaderName, setOwn } from '../../http'
import type { GatewayResponse, HeaderMap } from '../../types'

/** A key a 1.0 result may have (comparisons: a result's keys are interned, and this runs on every answer). */
function isV1Key(key: string): boolean {
  return key === 'statusCode' || key === 'headers' || key === 'body' || key === 'multiValueHeaders' || key === 'isBase64Encoded'
}

function statusOf(value: unknown): number | null {
  if (value === undefined || value === null) return 200
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN
  return Number.isInteger(n) && n >= 100 && n <= 599 ? n : null
}

/**
 * A header value as sent, or null when it cannot be one (an object, or a character HTTP cannot carry): that makes
 * the Lambda's answer malformed (API Gateway: 502), checked here once rather than failing in an adapter.
 */
function headerString(value: unknown): string | null {
  const s = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : null
  return s === null || !isFieldValue(s) ? null : s
}

/** A header name's lower-case form and the name its values are sent under (`''`: dropped); null when it is not an HTTP token. */
type NameFate = readonly [lower: string, sent: string] | null

/**
 * Names a cache keeps before it starts again, and the longest it keeps: the names can be a client's (a function that
 * echoes headers), so what the cache holds stays small (a longer name is checked each time).
 */
const MAX_NAMES = 512
const MAX_NAME_LENGTH = 64

/**
 * The header names of Lambda proxy results, each checked (an HTTP token), lower-cased and given the name it is sent
 * under once: a function answers with the same few names every time, and those three steps cost more than the rest
 * of reading its result. One per way of naming (as sent; REST's reserved names remapped or dropped). Bounded: short
 * names only, and when full it is emptied, never grown.
 *
 * @example
 * ```ts
 * const names = new ResultHeaderNames((name) => (name.toLowerCase() === 'date' ? `x-amzn-Remapped-${name}` : name))
 * names.of('Date') // ['date', 'x-amzn-Remapped-Date']
 * names.of('bad name') // null
 * ```
 */
export class ResultHeaderNames {
  readonly #known = new Map<string, NameFate>()
  readonly #rename: ((name: string) => string | undefined) | undefined

  /** `rename`: the name a header's first spelling is sent under, or `undefined` (dropped); without one, as it is. */
  constructor(rename?: (name: string) => string | undefined) {
    this.#rename = rename
  }

  of(name: string): NameFate {
    let fate = this.#known.get(name)
    if (fate === undefined) {
      fate = isHeaderName(name) ? [name.toLowerCase(), this.#rename === undefined ? name : (this.#rename(name) ?? '')] : null
      if (name.length > MAX_NAME_LENGTH) return fate
      if (this.#known.size >= MAX_NAMES) this.#known.clear()
      this.#known.set(name, fate)
    }
    return fate
  }
}

/** Names sent as the function spelt them. */
const AS_SPELT = new ResultHeaderNames()

/**
 * Add a header value, merging names case-insensitively and keeping the first spelling of the name. Names are the
 * Lambda's (untrusted): `constructor` or `__proto__` are keys like any other, found through `spelling` (a Map),
 * never looked up on the object's prototype. `spelling` keeps, per lower-case name, the name its values go under
 * (`''`: dropped).
 */
function addHeader(headers: HeaderMap, spelling: Map<string, string>, name: string, value: string, names: ResultHeaderNames): boolean {
  const fate = names.of(name)
  if (fate === null) return false
  const known = spelling.get(fate[0])
  if (known === undefined) {
    const sent = fate[1]
    spelling.set(fate[0], sent)
    if (sent !== '') setOwn<string | string[]>(headers, sent, value)
    return true
  }
  if (known === '') return true
  const prev = headers[known]!
  headers[known] = typeof prev === 'string' ? [prev, value] : [...prev, value]
  return true
}

/**
 * Base64 as a strict decoder reads it: the standard alphabet only (no whitespace, no URL-safe `-`/`_`), padding
 * optional but, when present, completing a 4-character group. Node's `Buffer.from(…, 'base64')` skips what it does
 * not understand; API Gateway answers 500 instead (recorded: test_aws_proxy_binary_response, "bad base64").
 */
const BASE64 = /^[A-Za-z0-9+/]*$/

function strictBase64(text: string): Uint8Array | null {
  let end = text.length
  if (text.endsWith('==')) end -= 2
  else if (text.endsWith('=')) end -= 1
  const digits = text.slice(0, end)
  if (!BASE64.test(digits)) return null
  if (end < text.length ? text.length % 4 !== 0 : digits.length % 4 === 1) return null
  return new Uint8Array(Buffer.from(digits, 'base64'))
}

/** The body, decoded when the result is base64 and the API decodes it; `null` when it is not valid base64. */
function decodeBody(body: string, base64: boolean): string | Uint8Array | null {
  return base64 ? strictBase64(body) : body
}

/** A mapped result: a response, `null` when malformed (502), or `BAD_BASE64` when its base64 body does not decode (500). */
export const BAD_BASE64 = Symbol('bad base64')

/**
 * Payload format 1.0 (REST APIs). Unknown top-level keys, a non-numeric status, non-list multi-value headers or a
 * non-string body are malformed. `decodeBase64` says whether the API's binary media types allow decoding; `names`
 * gives each header's name as sent (REST's reserved names, see ../../http/reserved-headers), applied as the
 * headers are read, with the values of one name in any spelling under its first spelling's name.
 *
 * @example
 * ```ts
 * mapProxyResultV1({ statusCode: 201, body: 'ok' }, false) // { statusCode: 201, headers: { 'Content-Type': 'application/json' }, body: 'ok' }
 * ```
 */
export function mapProxyResultV1(
  result: unknown,
  decodeBase64: boolean,
  names: ResultHeaderNames = AS_SPELT,
): GatewayResponse | typeof BAD_BASE64 | null {
  if (result === null || typeof result !== 'object' || Array.isArray(result)) return null
  const r = result as Record<string, unknown>
  for (const key in r) if (!isV1Key(key) && Object.hasOwn(r, key)) return null
  const statusCode = statusOf(r.statusCode)
  if (statusCode === null) return null
  const headers: HeaderMap = {}
  const spelling = new Map<string, string>()
  if (r.multiValueHeaders !== undefined && r.multiValueHeaders !== null) {
    if (typeof r.multiValueHeaders !== 'object' || Array.isArray(r.multiValueHeaders)) return null
    for (const [name, values] of Object.entries(r.multiValueHeaders as Record<string, unknown>)) {
      if (!Array.isArray(values)) return null
      for (const v of values) {
        const s = headerString(v)
        if (s === null || !addHeader(headers, spelling, name, s, names)) return null
      }
    }
  }
  if (r.headers !== undefined && r.headers !== null) {
    if (typeof r.headers !== 'object' || Array.isArray(r.headers)) return null
    const given = r.headers as Record<string, unknown>
    for (const name in given) {
      if (!Object.hasOwn(given, name)) continue
      const s = headerString(given[name])
      if (s === null || !addHeader(headers, spelling, name, s, names)) return null
    }
  }
  if (!spelling.has('content-type')) addHeader(headers, spelling, 'Content-Type', 'application/json', names)
  if (r.body !== undefined && r.body !== null && typeof r.body !== 'string') return null
  if (r.isBase64Encoded !== undefined && r.isBase64Encoded !== null && typeof r.isBase64Encoded !== 'boolean') return null
  const body = decodeBody((r.body as string | undefined | null) ?? '', r.isBase64Encoded === true && decodeBase64)
  return body === null ? BAD_BASE64 : { statusCode, headers, body }
}

/**
 * Payload format 2.0 (HTTP APIs): a result with `statusCode` is a response; anything else that is JSON is
 * inferred as a 200 `application/json` response whose body is the value (a string as it is).
 *
 * @example
 * ```ts
 * mapProxyResultV2({ id: 7 }) // { statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"id":7}' }
 * ```
 */
export function mapProxyResultV2(result: unknown): GatewayResponse | typeof BAD_BASE64 | null {
  if (result === undefined) return null
  if (result === null || typeof result !== 'object' || Array.isArray(result) || !('statusCode' in result)) {
    if (typeof result === 'function' || typeof result === 'symbol' || typeof result === 'bigint') return null
    return {
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      body: typeof result === 'string' ? result : JSON.stringify(result),
    }
  }
  const r = result as Record<string, unknown>
  const statusCode = statusOf(r.statusCode)
  if (statusCode === null) return null
  const headers: HeaderMap = {}
  const spelling = new Map<string, string>()
  if (r.headers !== undefined && r.headers !== null) {
    if (typeof r.headers !== 'object' || Array.isArray(r.headers)) return null
    const given = r.headers as Record<string, unknown>
    for (const name in given) {
      if (!Object.hasOwn(given, name)) continue
      const s = headerString(given[name])
      if (s === null || !addHeader(headers, spelling, name, s, AS_SPELT)) return null
    }
  }
  if (r.cookies !== undefined && r.cookies !== null) {
    if (!Array.isArray(r.cookies)) return null
    for (const c of r.cookies) {
      const s = headerString(c)
      if (s === null || typeof c !== 'string') return null
      addHeader(headers, spelling, 'set-cookie', s, AS_SPELT)
    }
  }
  let body = ''
  if (r.body !== undefined && r.body !== null) body = typeof r.body === 'string' ? r.body : JSON.stringify(r.body)
  if (!spelling.has('content-type') && body !== '') headers['content-type'] = 'application/json'
  const decoded = decodeBody(body, r.isBase64Encoded === true)
  return decoded === null ? BAD_BASE64 : { statusCode, headers, body: decoded }
}
