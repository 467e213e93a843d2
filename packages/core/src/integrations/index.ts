/**
 * Compiling a method's integration into the closure that runs it: the timeout and the stage-variable-substituted
 * URI every type shares, then a dispatch on `type` to the integration type's own compile function.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-integration-types.html
 */
import type { IntegrationDefinition, IntegrationType } from '../definition'
import { GatewayConfigError, toText, type GatewayWarning } from '../errors'
import { failure } from '../gateway-responses'
import type { CompiledApi } from '../model'
import { substituteStageVariables } from '../stage-variables'
import { type AwsIntegrationBuild, compileAws } from './aws'
import { compileAwsSubtype } from './aws-service'
import type { AwsOptions } from './aws-service/options'
import { compileAwsProxy } from './aws-proxy'
import { compileHttp } from './http'
import { compileHttpProxy } from './http-proxy'
import type { HttpBackends } from './in-process'
import type { LambdaHandler } from './lambda'
import { compileMock } from './mock'
import type { CompileIntegration, Integrate } from './types'

export interface IntegrationContext {
  api: CompiledApi
  functions: Record<string, LambdaHandler>
  at: string
  warn: (w: GatewayWarning) => void
  /** The gateway's `aws` option: credentials, endpoints and in-process services of AWS service integrations. */
  aws?: AwsOptions
  /** The gateway's `httpBackends`, checked: in-process HTTP backends by origin. */
  backends?: HttpBackends
}

const PASS = { passthrough: true } as const

/** Each integration type's compile function (`APP`, the host app's, compiles to nothing). */
const COMPILERS: Readonly<Record<Exclude<IntegrationType, 'APP'>, CompileIntegration>> = {
  AWS_PROXY: compileAwsProxy,
  AWS: compileAws,
  HTTP: compileHttp,
  HTTP_PROXY: compileHttpProxy,
  MOCK: compileMock,
}

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
export function compileIntegration(integration: IntegrationDefinition | undefined, ctx: IntegrationContext): Integrate {
  const { api, at } = ctx
  if (!integration) return async () => failure('API_CONFIGURATION_ERROR')
  const timeout = integration.timeoutInMillis ?? (api.apiType === 'HTTP' ? 30000 : 29000)
  const uri = integration.uri === undefined ? undefined : substituteStageVariables(integration.uri, api.stageVariables, `${at}/uri`)

  if (integration.type === 'APP') return async () => PASS
  const build: AwsIntegrationBuild = {
    integration,
    uri,
    api,
    functions: ctx.functions,
    timeoutMs: timeout,
    at,
    warn: ctx.warn,
    aws: ctx.aws,
    backends: ctx.backends,
  }
  if (integration.integrationSubtype !== undefined) return compileAwsSubtype(build, integration.integrationSubtype, ctx.aws)
  const compile = Object.hasOwn(COMPILERS, integration.type) ? COMPILERS[integration.type as keyof typeof COMPILERS] : undefined
  if (!compile) {
    throw new GatewayConfigError(
      'INVALID_DEFINITION',
      `unknown integration type "${toText((integration as { type: unknown }).type)}" (AWS_PROXY, HTTP_PROXY, MOCK, AWS, HTTP or APP)`,
      `${at}/type`,
    )
  }
  return compile(build)
}
