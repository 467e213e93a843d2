import { failure, type GatewayFailure } from '../../gateway-responses'
import type { RequestState } from '../../state'
import type { GatewayResponse } from '../../types'
import { invoke, resolveFunction } from '../lambda'
import { proxyEventV1 } from './event-v1'
import { proxyEventV2 } from './event-v2'
import { mapProxyResultV1, mapProxyResultV2 } from './result'
import { type Integrate, type IntegrationBuild, warnUnmappedParameters } from '../types'

/** HTTP APIs' 1.0 results: `isBase64Encoded` is always honoured. */
const ALWAYS_DECODE = () => true

/**
 * Compile a Lambda proxy integration: the function resolved from `uri` (stage variables already substituted) and
 * the payload format decided once.
 *
 * @example
 * ```ts
 * const run = compileAwsProxy({ type: 'AWS_PROXY', uri: 'getPet' }, 'getPet', api, { getPet }, 29000, '/paths/~1pets/get/x-amazon-apigateway-integration')
 * const response = await run(state)
 * ```
 */
export function compileAwsProxy(build: IntegrationBuild): Integrate {
  const { integration, uri, api, functions, timeoutMs, at } = build
  // REST Lambda proxy integrations pass the request as it came; their requestParameters only feed cache keys.
  if (api.apiType === 'HTTP') warnUnmappedParameters(build, 'AWS_PROXY')
  const fn = resolveFunction(uri!, functions, api.region, api.accountId, `${at}/uri`)
  const v2 = (integration.payloadFormatVersion ?? (api.apiType === 'HTTP' ? '2.0' : '1.0')) === '2.0'
  const http = api.apiType === 'HTTP'
  // Lambda proxy failures: REST answers 502 `{"message": "Internal server error"}`, HTTP APIs 500.
  const broken: GatewayFailure = http
    ? failure('DEFAULT_5XX', 'Internal Server Error', { status: 500 })
    : failure('DEFAULT_5XX', 'Internal server error', { status: 502, body: '{"message": "Internal server error"}' })
  const timedOut: GatewayFailure = http
    ? failure('INTEGRATION_TIMEOUT', 'Service Unavailable', { status: 503 })
    : failure('INTEGRATION_TIMEOUT')
  const decode = api.isBinaryType
  return async (state) => {
    const event = v2 ? proxyEventV2(state) : proxyEventV1(state)
    const outcome = await invoke(fn, event, state.requestId, timeoutMs)
    if (!outcome.ok) return outcome.timeout ? timedOut : broken
    let mapped: GatewayResponse | null
    if (v2) mapped = mapProxyResultV2(outcome.value)
    else if (http) mapped = mapProxyResultV1(outcome.value, ALWAYS_DECODE)
    else mapped = mapProxyResultV1(outcome.value, (headers) => binaryAccepted(state, headers, decode))
    return mapped ?? broken
  }
}

/**
 * REST APIs decode a base64 proxy body only when binary media types are configured and the request's `Accept`
 * (its first type) or the response's `Content-Type` is one of them.
 */
function binaryAccepted(state: RequestState, headers: Record<string, unknown>, isBinary: ((t: string) => boolean) | null): boolean {
  if (!isBinary) return false
  const accept = state.request.headers.accept
  const first = (typeof accept === 'string' ? accept : accept?.[0])?.split(',')[0]
  if (first && isBinary(first.split(';')[0]!.trim().toLowerCase())) return true
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() === 'content-type' && typeof value === 'string') return isBinary(value.split(';')[0]!.trim().toLowerCase())
  }
  return false
}
