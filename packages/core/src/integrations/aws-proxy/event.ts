/**
 * What the Lambda proxy event's two payload formats share: the body as Lambda gets it (text, or base64 for a
 * binary body) and the `X-Forwarded-*` headers API Gateway adds.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html
 *
 * Every map of an event is keyed by names the client chose (`constructor`, `__proto__`, `toString`, …): they are
 * written with `setOwn` and read with `getOwn`, so a name is data and never reaches Object.prototype. The maps
 * stay ordinary objects, as the JSON-parsed event of a real Lambda is.
 */
import { bodyBytes, isTextMediaType, lastHeaderValue, mediaType } from '../../http'
import type { RequestState } from '../../state'

/**
 * The request body as the event carries it: null when empty, base64 text when `base64`, else the text.
 *
 * @example
 * ```ts
 * event.body = eventBody(state, isBinaryBody(state))
 * ```
 */
export function eventBody(state: RequestState, base64: boolean): string | null {
  const body = state.request.body
  if (body === undefined || (typeof body === 'string' ? body.length === 0 : body.byteLength === 0)) return null
  if (base64) return bodyBytes(body).toString('base64')
  return state.bodyText
}

/**
 * Whether the body goes to Lambda base64-encoded: on HTTP APIs unless its Content-Type is text, on REST APIs when
 * the Content-Type is one of the API's binary media types.
 *
 * @example
 * ```ts
 * isBinaryBody(state) // true for an image/png body on an HTTP API
 * ```
 */
export function isBinaryBody(state: RequestState): boolean {
  const type = mediaType(lastHeaderValue(state.request.headers, 'content-type'))
  if (state.api.apiType === 'HTTP') return !isTextMediaType(type)
  return state.api.isBinaryType?.(type) ?? false
}

/**
 * Headers every API Gateway endpoint adds for the integration (a client's own value of the same name wins).
 *
 * @example
 * ```ts
 * forwardedHeaders(state) // [['x-forwarded-for', '203.0.113.7'], ['x-forwarded-port', '443'], ['x-forwarded-proto', 'https']]
 * ```
 */
export function forwardedHeaders(state: RequestState): [string, string][] {
  return [
    ['x-forwarded-for', state.identity.sourceIp],
    ['x-forwarded-port', FORWARDED_PORT],
    ['x-forwarded-proto', FORWARDED_PROTO],
  ]
}

/** The port and scheme API Gateway's endpoints are reached on, as its forwarded headers give them. */
export const FORWARDED_PORT = '443'
export const FORWARDED_PROTO = 'https'
