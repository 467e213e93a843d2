/**
 * What each integration type's compile function is given and returns: the seam a new integration type (an AWS
 * service, say) plugs into. Types only.
 */
import type { IntegrationDefinition } from '../definition'
import type { CompiledApi, IntegrationResult } from '../model'
import type { RequestState } from '../state'
import type { LambdaHandler } from './lambda'

/** One method's integration, as its type's compile function sees it. */
export interface IntegrationBuild {
  integration: IntegrationDefinition
  /** The integration URI with stage variables substituted (undefined when the definition has none). */
  uri: string | undefined
  api: CompiledApi
  /** In-process Lambda functions (`GatewayInput.functions`). */
  functions: Record<string, LambdaHandler>
  /** `timeoutInMillis`, or API Gateway's default for the API type. */
  timeoutMs: number
  /** JSON pointer of the integration, for errors. */
  at: string
}

/** A compiled integration: runs one request. */
export type Integrate = (state: RequestState) => Promise<IntegrationResult>

/** An integration type's compile function, called once per method at build time. */
export type CompileIntegration = (build: IntegrationBuild) => Integrate
