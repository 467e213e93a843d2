/**
 * The headers API Gateway (REST) drops, remaps to `x-amzn-Remapped-<name>` or refuses, per integration type and
 * direction: one table that the Lambda proxy event, `$input.params()`, the integration request's header mappings,
 * the HTTP_PROXY forwarder and the response side all read.
 *
 * Sources:
 * - https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-known-issues.html ("headers that may
 *   be dropped, remapped, or otherwise modified when sent to your integration endpoint or sent back by your
 *   integration endpoint"; `Remapped` = renamed to `x-amzn-Remapped-<name>`; the `Host` header is not forwarded).
 * - AWS's answers recorded by LocalStack's parity tests (localstack/localstack, commit
 *   8b9a79f05846835cf4dff63ab7eefdde9df83783, tests/aws/services/apigateway/test_apigateway_integrations.snapshot.json,
 *   `TestApiGatewayHeaderRemapping::test_apigateway_header_remapping_http[HTTP|HTTP_PROXY]` and
 *   `test_apigateway_header_remapping_aws[AWS|AWS_PROXY]`, recorded 11-12-2024), and
 *   test_apigateway_http.snapshot.json `test_http_integration_with_lambda[HTTP_PROXY]` (07-08-2024): the backend's
 *   `x-amzn-RequestId` comes back as `x-amzn-Remapped-x-amzn-RequestId`.
 *
 * Where no recording covers a hop-by-hop header (`Keep-Alive`, `Proxy-Connection`, `Proxy-Authorization`), the
 * table drops it on the way to the client and out of HTTP_PROXY's forwarded request: a proxy never forwards one
 * (RFC 9110 §7.6.1), and a response header that changes HTTP framing must not reach a real socket.
 */
import type { HeaderMap } from '../types'
import { CANONICAL_HEADER_NAMES, setOwn } from './headers'

/** The integration types whose header handling differs. MOCK answers through the same integration response as HTTP and AWS. */
export type HeaderIntegrationType = 'HTTP' | 'HTTP_PROXY' | 'AWS' | 'AWS_PROXY' | 'MOCK'

/** What API Gateway does with a header: drops it, renames it `x-amzn-Remapped-<name>`, or answers 500. */
export type HeaderFate = 'dropped' | 'remapped' | 'refused'

/** A fate for every integration type, or per type (a type not listed passes the header through). */
type Fates = HeaderFate | Partial<Record<HeaderIntegrationType, HeaderFate>>

interface Row {
  /** The client's request header: for every integration before any mapping (absent from the Lambda proxy event and `$input.params()`), or only where forwarded (HTTP_PROXY). */
  request?: Fates
  /** An `integration.request.header.<name>` mapping (or `$context.requestOverride.header`). */
  mapped?: Fates
  /** A header on the way back to the client: set by a `method.response.header` mapping (HTTP, AWS, MOCK) or by the backend (HTTP_PROXY, AWS_PROXY). */
  response?: Fates
}

/** Refused as a mapped integration request header on AWS and AWS_PROXY (recorded 500), dropped on HTTP and HTTP_PROXY (not sent). */
const DROP_HTTP_REFUSE_AWS: Fates = { HTTP: 'dropped', HTTP_PROXY: 'dropped', AWS: 'refused', AWS_PROXY: 'refused' }
/** Remapped when a non-proxy integration response maps it (recorded for HTTP and AWS). */
const REMAP_NON_PROXY: Fates = { HTTP: 'remapped', AWS: 'remapped', MOCK: 'remapped' }
/** Remapped whoever sets it. */
const REMAP_ALL: Fates = { HTTP: 'remapped', AWS: 'remapped', MOCK: 'remapped', HTTP_PROXY: 'remapped', AWS_PROXY: 'remapped' }

/** Keyed by lower-case name. A header not listed passes through in every direction. */
const TABLE: ReadonlyMap<string, Row> = new Map<string, Row>([
  ['authorization', { mapped: { AWS: 'refused', AWS_PROXY: 'refused' }, response: REMAP_NON_PROXY }],
  ['connection', { request: 'dropped', mapped: DROP_HTTP_REFUSE_AWS, response: REMAP_ALL }],
  ['content-encoding', { request: { HTTP_PROXY: 'dropped' } }],
  ['content-length', { request: 'dropped', mapped: 'refused', response: REMAP_ALL }],
  ['content-md5', { request: 'dropped', response: REMAP_NON_PROXY }],
  ['date', { response: REMAP_ALL }],
  ['expect', { request: 'dropped', mapped: DROP_HTTP_REFUSE_AWS, response: REMAP_NON_PROXY }],
  ['host', { request: { HTTP_PROXY: 'dropped' }, response: REMAP_NON_PROXY }],
  ['keep-alive', { request: { HTTP_PROXY: 'dropped' }, mapped: 'dropped', response: 'dropped' }],
  ['max-forwards', { request: 'dropped', response: REMAP_NON_PROXY }],
  ['proxy-authenticate', { request: 'dropped', mapped: DROP_HTTP_REFUSE_AWS, response: REMAP_NON_PROXY }],
  ['proxy-authorization', { request: { HTTP_PROXY: 'dropped' }, response: 'dropped' }],
  ['proxy-connection', { request: { HTTP_PROXY: 'dropped' }, mapped: 'dropped', response: 'dropped' }],
  ['server', { request: 'dropped', response: REMAP_ALL }],
  ['te', { request: 'dropped', mapped: DROP_HTTP_REFUSE_AWS }],
  // AWS forwards a mapped Trailer (recorded); Node's http client refuses one on a request with a Content-Length
  // (ERR_HTTP_TRAILER_INVALID), so gatehouse drops it: a deliberate difference.
  [
    'trailer',
    {
      request: 'dropped',
      mapped: { HTTP: 'dropped', HTTP_PROXY: 'dropped' },
      response: { ...REMAP_NON_PROXY, HTTP_PROXY: 'dropped', AWS_PROXY: 'dropped' },
    },
  ],
  ['transfer-encoding', { request: 'dropped', mapped: 'refused', response: 'dropped' }],
  ['upgrade', { request: 'dropped', response: { ...REMAP_NON_PROXY, HTTP_PROXY: 'dropped', AWS_PROXY: 'dropped' } }],
  ['user-agent', { response: REMAP_NON_PROXY }],
  ['via', { request: { HTTP_PROXY: 'dropped' }, mapped: { HTTP: 'dropped', HTTP_PROXY: 'dropped' } }],
  ['www-authenticate', { request: 'dropped', response: REMAP_NON_PROXY }],
  ['x-amzn-requestid', { response: { HTTP_PROXY: 'remapped' } }],
])

function fateOf(fates: Fates | undefined, type: HeaderIntegrationType): HeaderFate | undefined {
  if (fates === undefined || typeof fates === 'string') return fates
  return fates[type]
}

/**
 * What happens to a header (any case) in one direction for one integration type; `undefined` is passthrough.
 *
 * @example
 * ```ts
 * headerFate('request', 'AWS_PROXY', 'Max-Forwards') // 'dropped'
 * headerFate('mapped', 'HTTP', 'Content-Length') // 'refused'
 * headerFate('response', 'HTTP', 'Server') // 'remapped'
 * ```
 */
export function headerFate(direction: keyof Row, type: HeaderIntegrationType, name: string): HeaderFate | undefined {
  const row = TABLE.get(name.toLowerCase())
  return row === undefined ? undefined : fateOf(row[direction], type)
}

/**
 * Whether a client's request header is dropped before any integration sees it: absent from the Lambda proxy
 * event and `""` in `$input.params()` (the `request` fate every integration type shares).
 *
 * @example
 * ```ts
 * droppedFromRequest('transfer-encoding') // true
 * droppedFromRequest('accept') // false
 * ```
 */
export function droppedFromRequest(name: string): boolean {
  const row = TABLE.get(name.toLowerCase())
  return row !== undefined && row.request === 'dropped'
}

/** What a REST API's Lambda proxy event makes of a lower-case header name it does not keep as it is. */
const REST_EVENT_NAMES: ReadonlyMap<string, string | null> = (() => {
  const names = new Map<string, string | null>(CANONICAL_HEADER_NAMES)
  for (const [name, row] of TABLE) if (row.request === 'dropped') names.set(name, null)
  return names
})()

/**
 * A client's header (its lower-case name) as a REST API's Lambda proxy event carries it: `null` when it is dropped
 * (`droppedFromRequest`), else its usual capitalisation (`canonicalHeaderName`) — one lookup for the two.
 *
 * @example
 * ```ts
 * restEventHeaderName('user-agent') // 'User-Agent'
 * restEventHeaderName('transfer-encoding') // null
 * restEventHeaderName('x-custom') // 'x-custom'
 * ```
 */
export function restEventHeaderName(lower: string): string | null {
  const known = REST_EVENT_NAMES.get(lower)
  return known === undefined ? lower : known
}

/**
 * The name a header goes back to the client under: `x-amzn-Remapped-<name>` when remapped, `undefined` when
 * dropped, else the name itself.
 *
 * @example
 * ```ts
 * responseHeaderName('HTTP_PROXY', 'date') // 'x-amzn-Remapped-date'
 * responseHeaderName('HTTP', 'Transfer-Encoding') // undefined
 * ```
 */
export function responseHeaderName(type: HeaderIntegrationType, name: string): string | undefined {
  const fate = headerFate('response', type, name)
  if (fate === 'dropped') return undefined
  return fate === 'remapped' ? `x-amzn-Remapped-${name}` : name
}

/**
 * The method response's headers as API Gateway sends them: reserved names a mapping or override set come back as
 * `x-amzn-Remapped-<name>`, and framing headers (`Transfer-Encoding`) are dropped (the table above).
 *
 * @example
 * ```ts
 * reserveResponseHeaders('HTTP', { Server: 'x', 'Transfer-Encoding': 'y' }) // { 'x-amzn-Remapped-Server': 'x' }
 * ```
 */
export function reserveResponseHeaders(type: HeaderIntegrationType, headers: HeaderMap): HeaderMap {
  const out: HeaderMap = {}
  for (const name of Object.keys(headers)) {
    const shown = responseHeaderName(type, name)
    if (shown !== undefined) setOwn(out, shown, headers[name]!)
  }
  return out
}

/** HTTP APIs' reserved headers: no request or response parameter mapping may set them (prefixes end in `-`). */
const HTTP_API_RESERVED = new Set([
  'authorization',
  'connection',
  'content-encoding',
  'content-length',
  'content-location',
  'forwarded',
  'keep-alive',
  'origin',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'trailers',
  'transfer-encoding',
  'upgrade',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'via',
])
const HTTP_API_RESERVED_PREFIXES = ['access-control-', 'apigw-', 'x-amz-', 'x-amzn-']

/**
 * Whether an HTTP API's parameter mapping may not name this header (any case), as API Gateway refuses it.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-parameter-mapping.html#http-api-mapping-reserved-headers
 *
 * @example
 * ```ts
 * isHttpApiReservedHeader('X-Amz-Date') // true
 * isHttpApiReservedHeader('x-request-id') // false
 * ```
 */
export function isHttpApiReservedHeader(name: string): boolean {
  const lower = name.toLowerCase()
  return HTTP_API_RESERVED.has(lower) || HTTP_API_RESERVED_PREFIXES.some((p) => lower.startsWith(p))
}
