/**
 * Compiling a method's integration into the closure that runs it: the timeout and the stage-variable-substituted
 * URI every type shares, then a dispatch on `type` to the integration type's own compile function.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-integration-types.html
 */
import type { IntegrationDefinition } from '../definition'
import { GatewayConfigError, toText, type GatewayWarning } from '../errors'
import { failure } from '../gateway-responses'
import type { CompiledApi, IntegrationResult } from '../model'
import { substituteStageVariables } from '../stage-variables'
import type { RequestState } from '../state'
import { compileAws } from './aws'
import { compileAwsProxy } from './aws-proxy'
import { compileHttp } from './http'
import { compileHttpProxy } from './http-proxy'
import type { LambdaHandler } from './lambda'
import { compileMock } from './mock'

export interface IntegrationContext {
  api: CompiledApi
  functions: Record<string, LambdaHandler>
  at: string
  warn: (w: GatewayWarning) => void
}

const PASS = { passthrough: true } as const

/**
 * Compile a method's integration (`at` its JSON pointer). A route without one answers API_CONFIGURATION_ERROR;
 * an `APP` integration hands the request back to the host app.
 *
 * @example
 * ```ts
 * const integrate = compileIntegration({ type: 'AWS_PROXY', uri: 'getPet' }, { api, functions: { getPet }, at: '/x', warn })
 * const result = await integrate(state)
 * ```
 */
export function compileIntegration(
  integration: IntegrationDefinition | undefined,
  ctx: IntegrationContext,
): (state: RequestState) => Promise<IntegrationResult> {
  const { api, at } = ctx
  if (!integration) return async () => failure('API_CONFIGURATION_ERROR')
  const timeout = integration.timeoutInMillis ?? (api.apiType === 'HTTP' ? 30000 : 29000)
  const uri = integration.uri === undefined ? undefined : substituteStageVariables(integration.uri, api.stageVariables, `${at}/uri`)

  switch (integration.type) {
    case 'AWS_PROXY':
      return compileAwsProxy(integration, uri, api, ctx.functions, timeout, at)
    case 'AWS':
      return compileAws(integration, uri, api, ctx.functions, timeout, at)
    case 'HTTP':
      return compileHttp(integration, uri, api, timeout, at)
    case 'HTTP_PROXY':
      return compileHttpProxy(integration, uri, api, timeout, at)
    case 'MOCK':
      return compileMock(integration, api, at)
    case 'APP':
      return async () => PASS
    default:
      throw new GatewayConfigError(
        'INVALID_DEFINITION',
        `unknown integration type "${toText((integration as { type: unknown }).type)}" (AWS_PROXY, HTTP_PROXY, MOCK, AWS, HTTP or APP)`,
        `${at}/type`,
      )
  }
}
