import { failure, type GatewayFailure } from '../../gateway-responses'
import { headerFate, responseHeaderName, withoutHopByHop } from '../../http'
import type { RequestState } from '../../state'
import type { GatewayResponse } from '../../types'
import type { IntegrationResult } from '../../model'
import { invoke, resolveFunction, type InvokeOutcome } from '../lambda'
import { proxyEventV1 } from './event-v1'
import { proxyEventV2 } from './event-v2'
import { BAD_BASE64, mapProxyResultV1, mapProxyResultV2, ResultHeaderNames } from './result'
import {
  applyResponseMappings,
  compileHttpApiRequestParameters,
  compileHttpApiResponseParameters,
  type HttpApiMappingInput,
} from '../../features/parameter-mapping/http-api'
import { failingIntegration, type Integrate, type IntegrationBuild } from '../types'
import { mapProxyEvent } from './mapping'

/** A REST function's response header as API Gateway sends it: remapped (`x-amzn-Remapped-…`), dropped, or as is. */
const REST_NAMES = new ResultHeaderNames((name) => responseHeaderName('AWS_PROXY', name))

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
  // REST Lambda proxy integrations pass the request as it came (their requestParameters only feed cache keys);
  // HTTP APIs map the event and the answer.
  const requestMappings =
    api.apiType === 'HTTP' ? compileHttpApiRequestParameters(integration.requestParameters, `${at}/requestParameters`) : []
  const responseMappings =
    api.apiType === 'HTTP' ? compileHttpApiResponseParameters(integration.responseParameters, `${at}/responseParameters`) : undefined
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
  // Lambda is invoked with POST: a REST integration whose httpMethod is anything else fails every request with 500
  // (recorded: test_lambda_aws_proxy_integration_non_post_method, localstack test_apigateway_lambda.snapshot.json, 20-03-2024).
  const method = integration.httpMethod?.toUpperCase()
  if (!http && method !== undefined && method !== 'POST') {
    return failingIntegration(
      new Error(`Lambda proxy integration at ${at} has httpMethod ${method}: Lambda functions are invoked with POST`),
    )
  }
  // A REST proxy integration mapping a header API Gateway refuses (Content-Length, Authorization, …) fails every
  // request with 500 (recorded: TestApiGatewayHeaderRemapping::test_apigateway_header_remapping_aws[AWS_PROXY],
  // localstack test_apigateway_integrations.snapshot.json, 11-12-2024).
  const refused = http
    ? undefined
    : Object.keys(integration.requestParameters ?? {}).find(
        (to) => to.startsWith('integration.request.header.') && headerFate('mapped', 'AWS_PROXY', to.slice(27)) === 'refused',
      )
  if (refused !== undefined) {
    return failingIntegration(new Error(`Lambda proxy integration at ${at} maps ${refused}: API Gateway refuses to set that header`))
  }
  // A base64 body that does not decode: 500 (recorded: test_aws_proxy_binary_response, "bad base64").
  const badBase64 = http ? broken : failure('API_CONFIGURATION_ERROR')
  const answer = (state: RequestState, outcome: InvokeOutcome, mappingInput: HttpApiMappingInput | undefined): IntegrationResult => {
    state.log?.lambdaResponse(outcome)
    if (!outcome.ok) {
      if (outcome.timeout) {
        state.reportFailure(new Error(`Lambda function ${fn.name} timed out after ${timeoutMs} ms`), 'integration', timedOut.type)
        return timedOut
      }
      state.reportFailure(outcome.error, 'integration', broken.type)
      return broken
    }
    let mapped: GatewayResponse | typeof BAD_BASE64 | null
    if (v2) mapped = mapProxyResultV2(outcome.value)
    else mapped = mapProxyResultV1(outcome.value, http || binaryAccepted(state, decode), http ? undefined : REST_NAMES)
    if (mapped === null) {
      state.reportFailure(
        new Error(`malformed Lambda proxy response from ${fn.name}: ${describe(outcome.value)}`),
        'integration',
        broken.type,
      )
      return broken
    }
    if (mapped === BAD_BASE64) {
      state.reportFailure(
        new Error(`Lambda proxy response from ${fn.name} has isBase64Encoded: true and a body that is not base64`),
        'integration',
        badBase64.type,
      )
      return badBase64
    }
    if (http) {
      const byStatus = responseMappings?.get(mapped.statusCode)
      if (byStatus !== undefined)
        mapped = applyResponseMappings(mapped, byStatus, mappingInput ?? { state, context: () => state.context() })
      mapped.headers = withoutHopByHop(mapped.headers)
    } else {
      // REST: reserved names the function sets were remapped or dropped as the result was read (`REST_NAMES`), and
      // the answer carries the request's X-Ray trace (recorded: test_invocation_trace_id, see ../../http/trace-id.ts).
      mapped.headers['X-Amzn-Trace-Id'] = state.traceHeader
    }
    return mapped
  }
  // Not an async function: the event is built now, and one promise (invoke's, of the mapped answer) is all a request costs.
  return (state) => {
    const event = v2 ? proxyEventV2(state) : proxyEventV1(state)
    let mappingInput: HttpApiMappingInput | undefined
    if (requestMappings.length > 0) {
      mappingInput = { state, context: () => state.context() }
      mapProxyEvent(event, requestMappings, mappingInput, v2)
    }
    state.log?.lambdaRequest(api.region, fn.arn, event)
    return invoke(fn, event, state.requestId, timeoutMs, (outcome) => answer(state, outcome, mappingInput))
  }
}

/** A short description of a malformed result for the operator (never sent to the client). */
function describe(value: unknown): string {
  if (value === null || typeof value !== 'object') return String(value)
  return `an object with keys ${Object.keys(value).slice(0, 10).join(', ') || '(none)'}`
}

/**
 * REST APIs decode a base64 proxy body only when the request's first `Accept` type is one of the binary media types;
 * the response's `Content-Type` does not matter (recorded: test_aws_proxy_binary_response in localstack's
 * test_apigateway_lambda.py, validated against AWS: `Accept: image/webp,image/png` is not binary for `image/png`,
 * `Accept: image/jpg` is binary for a `Content-Type: image/png` answer when `image/jpg` is listed).
 */
function binaryAccepted(state: RequestState, isBinary: ((t: string) => boolean) | null): boolean {
  if (!isBinary) return false
  const accept = state.request.headers.accept
  const first = (typeof accept === 'string' ? accept : accept?.[0])?.split(',')[0]
  return first !== undefined && isBinary(first.split(';')[0]!.trim().toLowerCase())
}
