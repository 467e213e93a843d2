/**
 * What the built gateway shares with every stage: the API's compiled facts (`CompiledApi`), a route's identity
 * (`RouteInfo`) and what a stage or integration produces (`IntegrationResult`). Types only.
 */
import type { TemplateOptions } from '@gatehousejs/vtl'
import type { ApiType } from './definition'
import type { GatewayFailure } from './gateway-responses'
import type { ErrorReporter } from './report'
import type { GatewayResponse } from './types'

/** What every request of an API shares. */
export interface CompiledApi {
  apiType: ApiType
  apiId: string
  accountId: string
  region: string
  stage: string
  stageVariables: Record<string, string> | null
  deploymentId: string
  /** The stage's `tracingEnabled`: `$context.xrayTraceId` is filled. */
  tracingEnabled: boolean
  defaultDomainName: string
  isBinaryType: ((type: string) => boolean) | null
  now: () => number
  requestId: () => string
  /** No `requestId` option: ids are the gateway's random UUIDs, and ids derived from them need no hashing. */
  ownRequestIds: boolean
  /** Whether the operator let the pattern at this JSON pointer backtrack (`allowBacktrackingPatterns`). */
  allowBacktracking?: (pointer: string) => boolean
  /** The operator's `onError` (default: a line on stderr). */
  onError?: ErrorReporter
  /** Mapping templates' limits (`templateLimits`); VTL's defaults when absent. */
  templateLimits?: TemplateOptions
}

/** Who a matched route is: what `$context` and logs say of it. */
export interface RouteInfo {
  resourcePath: string
  /** `GET /pets/{id}`, `$default`; empty when no route matched. */
  routeKey: string
  resourceId: string
  hasParams: boolean
}

/** What an integration produces: a response, a refusal, or the decision to hand the request to the host app. */
export type IntegrationResult = GatewayResponse | GatewayFailure | { passthrough: true }
