/**
 * What each integration type's compile function is given and returns: the seam a new integration type (an AWS
 * service, say) plugs into, and the integration that fails every request as API Gateway does for a broken definition.
 */
import type { IntegrationDefinition } from '../definition'
import type { GatewayWarning } from '../errors'
import { failure, type GatewayFailure } from '../gateway-responses'
import type { CompiledApi, IntegrationResult } from '../model'
import type { RequestState } from '../state'
import type { HttpBackends } from './in-process'
import type { LambdaHandler } from './lambda'

/** One method's integration, as its type's compile function sees it. */
export interface IntegrationBuild {
  integration: IntegrationDefinition
  /** The integration URI with stage variables substituted (undefined when the definition has none). */
  uri: string | undefined
  api: CompiledApi
  /** In-process Lambda functions (`GatewayInput.functions`). */
  functions: Record<string, LambdaHandler>
  /** The gateway's in-process HTTP backends by origin (`httpBackends`), checked. */
  backends?: HttpBackends
  /** `timeoutInMillis`, or API Gateway's default for the API type. */
  timeoutMs: number
  /** JSON pointer of the integration, for errors. */
  at: string
  /** Report a setting of the integration this type does not act on. */
  warn: (w: GatewayWarning) => void
}

/**
 * An integration that cannot work as defined (API Gateway accepts the definition and fails each request): every
 * request answers `answer` (API_CONFIGURATION_ERROR's 500 by default) and tells the operator `error`.
 *
 * @example
 * ```ts
 * return failingIntegration(new Error('Lambda functions are invoked with POST'))
 * ```
 */
export function failingIntegration(error: Error, answer: GatewayFailure = failure('API_CONFIGURATION_ERROR')): Integrate {
  return async (state) => {
    state.reportFailure(error, 'integration', answer.type)
    return answer
  }
}

/** A compiled integration: runs one request. */
export type Integrate = (state: RequestState) => Promise<IntegrationResult>

/** An integration type's compile function, called once per method at build time. */
export type CompileIntegration = (build: IntegrationBuild) => Integrate
