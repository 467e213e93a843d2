/**
 * The Lambda proxy result: what a function returns, mapped to the HTTP response as API Gateway does for payload
 * formats 1.0 and 2.0. A malformed result is `null`: the caller answers with the API's integration-failure response.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-output-format
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html#http-api-develop-integrations-lambda.response
 */
import { setOwn } from '../../http'
import type { GatewayResponse, HeaderMap } from '../../types'

const V1_KEYS = new Set(['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded'])

function statusOf(value: unknown): number | null {
  if (value === undefined || value === null) return 200
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN
  return Number.isInteger(n) && n >= 100 && n <= 599 ? n : null
}

/**
 * What an HTTP/1.1 field value can hold (RFC 9110 §5.5: visible ASCII, space, tab, obs-text 0x80–0xFF): the very
 * check Node's `writeHead` makes. Anything else — a character above U+00FF, CR/LF that would split the header,
 * another control character — makes the Lambda's answer malformed (API Gateway: 502), checked here once rather
 * than failing in an adapter.
 */
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/

/** A header value as sent, or null when it cannot be one (an object, or a character HTTP cannot carry). */
function headerString(value: unknown): string | null {
  const s = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : null
  return s === null || !FIELD_VALUE.test(s) ? null : s
}

/** A header name HTTP can carry (RFC 9110 token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/

/**
 * Add a header value, merging names case-insensitively and keeping the first spelling of the name. Names are the
 * Lambda's (untrusted): `constructor` or `__proto__` are keys like any other, found through `spelling` (a Map),
 * never looked up on the object's prototype.
 */
function addHeader(headers: HeaderMap, spelling: Map<string, string>, name: string, value: string): boolean {
  if (!HEADER_NAME.test(name)) return false
  const lower = name.toLowerCase()
  const known = spelling.get(lower)
  if (known === undefined) {
    spelling.set(lower, name)
    setOwn<string | string[]>(headers, name, value)
    return true
  }
  const prev = headers[known]!
  headers[known] = typeof prev === 'string' ? [prev, value] : [...prev, value]
  return true
}

function decodeBody(body: string, base64: boolean): string | Uint8Array {
  return base64 ? new Uint8Array(Buffer.from(body, 'base64')) : body
}

/**
 * Payload format 1.0 (REST APIs). Unknown top-level keys, a non-numeric status, non-list multi-value headers or a
 * non-string body are malformed. `decodeBase64` says whether the API's binary media types allow decoding.
 *
 * @example
 * ```ts
 * mapProxyResultV1({ statusCode: 201, body: 'ok' }, () => false) // { statusCode: 201, headers: { 'Content-Type': 'application/json' }, body: 'ok' }
 * ```
 */
export function mapProxyResultV1(result: unknown, decodeBase64: (headers: HeaderMap) => boolean): GatewayResponse | null {
  if (result === null || typeof result !== 'object' || Array.isArray(result)) return null
  const r = result as Record<string, unknown>
  for (const key of Object.keys(r)) if (!V1_KEYS.has(key)) return null
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
        if (s === null || !addHeader(headers, spelling, name, s)) return null
      }
    }
  }
  if (r.headers !== undefined && r.headers !== null) {
    if (typeof r.headers !== 'object' || Array.isArray(r.headers)) return null
    for (const [name, v] of Object.entries(r.headers as Record<string, unknown>)) {
      const s = headerString(v)
      if (s === null || !addHeader(headers, spelling, name, s)) return null
    }
  }
  if (!spelling.has('content-type')) headers['Content-Type'] = 'application/json'
  if (r.body !== undefined && r.body !== null && typeof r.body !== 'string') return null
  if (r.isBase64Encoded !== undefined && r.isBase64Encoded !== null && typeof r.isBase64Encoded !== 'boolean') return null
  const body = (r.body as string | undefined | null) ?? ''
  return { statusCode, headers, body: decodeBody(body, r.isBase64Encoded === true && decodeBase64(headers)) }
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
export function mapProxyResultV2(result: unknown): GatewayResponse | null {
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
    for (const [name, v] of Object.entries(r.headers as Record<string, unknown>)) {
      const s = headerString(v)
      if (s === null || !addHeader(headers, spelling, name, s)) return null
    }
  }
  if (r.cookies !== undefined && r.cookies !== null) {
    if (!Array.isArray(r.cookies)) return null
    for (const c of r.cookies) {
      const s = headerString(c)
      if (s === null || typeof c !== 'string') return null
      addHeader(headers, spelling, 'set-cookie', s)
    }
  }
  let body = ''
  if (r.body !== undefined && r.body !== null) body = typeof r.body === 'string' ? r.body : JSON.stringify(r.body)
  if (!spelling.has('content-type') && body !== '') headers['content-type'] = 'application/json'
  return { statusCode, headers, body: decodeBody(body, r.isBase64Encoded === true) }
}
