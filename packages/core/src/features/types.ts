/**
 * A feature is one of the pipeline's optional stages (request validation, API keys, throttling, caching,
 * authorizers, …) together with the part of the OpenAPI import that reads its extensions. Features are listed in
 * API Gateway's order in `./index.ts`; a route runs only the stages its method needs (a feature returns `null`
 * for a route that does not use it, so the route pays nothing for it).
 */
import type { CompiledApi, GatewayInput } from '../compile'
import type { ApiDefinition, ApiType, MethodDefinition } from '../definition'
import type { GatewayFailure } from '../gateway-responses'
import type { IntegrationResult } from '../integrations'
import type { GatewayWarning } from '../openapi-import'
import type { RequestState } from '../state'
import type { GatewayResponse } from '../types'

export type Json = Record<string, unknown>

/** What a feature's importer may use. */
export interface ImportContext {
  doc: Json
  apiType: ApiType
  warn: (w: GatewayWarning) => void
  /** Follow local `$ref`s. */
  deref: (value: unknown, at: string) => unknown
}

/** What a feature sees when it compiles one route. */
export interface RouteContext {
  api: CompiledApi
  definition: ApiDefinition
  input: GatewayInput
  method: MethodDefinition
  /** `GET`, `ANY`, … */
  httpMethod: string
  resourcePath: string
  /** JSON pointer of the method in the native definition, for errors. */
  at: string
  warn: (w: GatewayWarning) => void
  /** State a feature shares across the routes of one gateway (stores, compiled models), keyed by feature name. */
  shared: Map<string, unknown>
}

/**
 * A request stage: `undefined` lets the request go on; a failure or response ends it (a cache hit answers).
 * Synchronous when it can be: the pipeline awaits only promises.
 */
export type Stage = (state: RequestState) => IntegrationResult | undefined | Promise<IntegrationResult | undefined>

/** Runs after the integration answered (cache store, rate-limit headers); may replace the response. */
export type AfterStage = (state: RequestState, response: GatewayResponse) => GatewayResponse | void | Promise<GatewayResponse | void>

export interface CompiledFeature {
  before?: Stage
  after?: AfterStage
}

export interface Feature {
  name: string
  /** Top-level `x-amazon-apigateway-*` keys this feature reads (others are reported as unimplemented). */
  apiExtensions?: readonly string[]
  /** Operation-level keys this feature reads (`x-amazon-apigateway-*`, `security`). */
  operationExtensions?: readonly string[]
  importApi?(doc: Json, api: ApiDefinition, ctx: ImportContext): void
  importOperation?(op: Json, method: MethodDefinition, at: string, ctx: ImportContext): void
  /** Check the whole definition once (throw `GatewayConfigError` naming the pointer). */
  validate?(definition: ApiDefinition, input: GatewayInput, api: CompiledApi): void
  /** This feature's stages for one route, or null when the route does not need it. */
  compileRoute?(route: RouteContext): CompiledFeature | null
}

export type { GatewayFailure }
