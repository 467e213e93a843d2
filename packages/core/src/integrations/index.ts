/**
 * Compiling a method's integration into the closure that runs it.
 */
import type { CompiledApi, IntegrationResult } from '../model'
import { substituteStageVariables } from '../stage-variables'
import type { IntegrationDefinition } from '../definition'
import { GatewayConfigError, toText } from '../errors'
import { failure, type GatewayFailure } from '../gateway-responses'
import type { GatewayWarning } from '../errors'
import type { RequestState } from '../state'
import type { GatewayResponse } from '../types'
import { compileHttpProxy } from './http-proxy'
import { invoke, resolveFunction, type LambdaHandler } from './lambda'
import { compileMock } from './mock'
import { compileHttpIntegration, compileLambdaIntegration } from './non-proxy'
import { proxyEventV1, proxyEventV2 } from './proxy-event'
import { mapProxyResultV1, mapProxyResultV2 } from './proxy-response'


export interface IntegrationContext {
  api: CompiledApi
  functions: Record<string, LambdaHandler>
  at: string
  warn: (w: GatewayWarning) => void
}

const PASS = { passthrough: true } as const

export function compileIntegration(
  integration: IntegrationDefinition | undefined,
  ctx: IntegrationContext,
): (state: RequestState) => Promise<IntegrationResult> {
  const { api, at } = ctx
  if (!integration) return async () => failure('API_CONFIGURATION_ERROR')
  const timeout = integration.timeoutInMillis ?? (api.apiType === 'HTTP' ? 30000 : 29000)
  const uri = integration.uri === undefined ? undefined : substituteStageVariables(integration.uri, api.stageVariables, `${at}/uri`)

  switch (integration.type) {
    case 'APP':
      return async () => PASS
    case 'MOCK':
      return compileMock(integration, api, at)
    case 'HTTP_PROXY': {
      if (uri === undefined) throw new GatewayConfigError('INVALID_DEFINITION', 'an HTTP_PROXY integration needs a `uri`', `${at}/uri`)
      return compileHttpProxy(uri, integration.httpMethod ?? 'ANY', timeout, api.apiType, at)
    }
    case 'AWS_PROXY': {
      const fn = resolveFunction(uri!, ctx.functions, api.region, api.accountId, `${at}/uri`)
      const v2 = (integration.payloadFormatVersion ?? (api.apiType === 'HTTP' ? '2.0' : '1.0')) === '2.0'
      const http = api.apiType === 'HTTP'
      // Lambda proxy failures: REST answers 502 `{"message": "Internal server error"}`, HTTP APIs 500.
      const broken: GatewayFailure = http
        ? failure('DEFAULT_5XX', 'Internal Server Error', { status: 500 })
        : failure('DEFAULT_5XX', 'Internal server error', { status: 502, body: '{"message": "Internal server error"}' })
      const timedOut: GatewayFailure = http ? failure('INTEGRATION_TIMEOUT', 'Service Unavailable', { status: 503 }) : failure('INTEGRATION_TIMEOUT')
      const decode = api.isBinaryType
      return async (state) => {
        const event = v2 ? proxyEventV2(state) : proxyEventV1(state)
        const outcome = await invoke(fn, event, state.requestId, timeout)
        if (!outcome.ok) return outcome.timeout ? timedOut : broken
        let mapped: GatewayResponse | null
        if (v2) mapped = mapProxyResultV2(outcome.value)
        else if (http) mapped = mapProxyResultV1(outcome.value, () => true)
        else mapped = mapProxyResultV1(outcome.value, (headers) => binaryAccepted(state, headers, decode))
        return mapped ?? broken
      }
    }
    case 'AWS':
    case 'HTTP': {
      if (api.apiType !== 'REST') {
        throw new GatewayConfigError('UNSUPPORTED_FEATURE', `${integration.type} (non-proxy) integrations need a REST API`, `${at}/type`)
      }
      if (uri === undefined) throw new GatewayConfigError('INVALID_DEFINITION', `a ${integration.type} integration needs a uri`, at)
      if (integration.type === 'HTTP') return compileHttpIntegration(integration, uri, api, timeout, at)
      // arn:aws:apigateway:{region}:{service}:… — only Lambda runs in process.
      const service = /^arn:aws[\w-]*:apigateway:[^:]*:([^:]+):/.exec(uri)?.[1]
      if (service !== undefined && service !== 'lambda') {
        throw new GatewayConfigError('UNSUPPORTED_FEATURE', `AWS service integrations (${service}) are not supported: only Lambda functions run in process`, `${at}/uri`)
      }
      const fn = resolveFunction(uri, ctx.functions, api.region, api.accountId, `${at}/uri`)
      return compileLambdaIntegration(integration, fn, api, timeout, at)
    }
    default:
      throw new GatewayConfigError(
        'INVALID_DEFINITION',
        `unknown integration type "${toText((integration as { type: unknown }).type)}" (AWS_PROXY, HTTP_PROXY, MOCK, AWS, HTTP or APP)`,
        `${at}/type`,
      )
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
