/**
 * A feature is one API Gateway concept (resource policy, IAM, authorizers, API keys, usage plans, throttling,
 * validation, stage cache, …): the part of the OpenAPI import that reads its extensions, its build-time checks,
 * its per-gateway state and its request stages. Features are listed in API Gateway's order in `./index.ts`; a
 * route runs only the stages its method needs (a feature returns `null` for a route that does not use it, so the
 * route pays nothing for it).
 *
 * Per-gateway state has one home: `gateway.state`, where each piece is created once, on first use, under a typed
 * key (`stateKey<T>()`), and handed to the feature's stages by closure. Per-request facts live on `RequestState`.
 */
import type { ApiDefinition, ApiType, MethodDefinition } from '../definition'
import type { GatewayWarning } from '../errors'
import type { CompiledApi, IntegrationResult } from '../model'
import type { GatewayInput } from '../options'
import type { RequestState } from '../state'
import type { RequestObserver } from '../observe'
import type { GatewayResponse } from '../types'

export type Json = Record<string, unknown>

/** The typed name of one piece of per-gateway state. */
export interface StateKey<T> {
  readonly name: string
  /** Type only: what the key holds. */
  readonly __holds?: T
}

/**
 * A key for per-gateway state.
 *
 * @example
 * ```ts
 * const LIMITS = stateKey<LimitsContext>('limits')
 * const limits = gateway.state.get(LIMITS, () => createLimits(gateway))
 * ```
 */
export function stateKey<T>(name: string): StateKey<T> {
  return { name }
}

/** The per-gateway state of every feature: each piece created once, on first use, typed by its key. */
export class GatewayState {
  private readonly values = new Map<StateKey<unknown>, unknown>()

  /** The state under `key`, made by `create` the first time it is asked for. */
  get<T>(key: StateKey<T>, create: () => T): T {
    if (this.values.has(key)) return this.values.get(key) as T
    const value = create()
    this.values.set(key, value)
    return value
  }

  /** The state under `key` if something created it. */
  peek<T>(key: StateKey<T>): T | undefined {
    return this.values.get(key) as T | undefined
  }
}

/** What a feature's importer may use. */
export interface ImportContext {
  doc: Json
  apiType: ApiType
  warn: (w: GatewayWarning) => void
  /** Follow local `$ref`s. */
  deref: (value: unknown, at: string) => unknown
  /** State a feature keeps while one document is imported (e.g. the models it has read). */
  state: GatewayState
}

/** What a feature sees of the gateway being built. */
export interface GatewayContext {
  api: CompiledApi
  definition: ApiDefinition
  input: GatewayInput
  warn: (w: GatewayWarning) => void
  /** Per-gateway state, shared by the features and handed to their stages. */
  state: GatewayState
}

/** What a feature sees when it compiles one route. */
export interface RouteContext extends GatewayContext {
  method: MethodDefinition
  /** `GET`, `ANY`, … */
  httpMethod: string
  resourcePath: string
  /** JSON pointer of the method in the native definition, for errors. */
  at: string
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
  /** After the integration answered with a response (not a gateway response): cache store, rate-limit headers. */
  after?: AfterStage
  /**
   * On every response the route answers with, after the after-stages: the integration's, and one a before-stage
   * answered with (a stage-cache hit). Response compression is one.
   */
  respond?: AfterStage
}

export interface Feature {
  name: string
  /** Top-level `x-amazon-apigateway-*` keys this feature reads (others are reported as unimplemented). */
  apiExtensions?: readonly string[]
  /** Operation-level keys this feature reads (`x-amazon-apigateway-*`, `security`). */
  operationExtensions?: readonly string[]
  importApi?(doc: Json, api: ApiDefinition, ctx: ImportContext): void
  importOperation?(op: Json, method: MethodDefinition, at: string, ctx: ImportContext): void
  /** Check the whole definition and the feature's options once (throw `GatewayConfigError` naming the pointer). */
  validate?(gateway: GatewayContext): void
  /**
   * A stage every request of the gateway runs before its route is matched (API Gateway's WAF and endpoint checks
   * see unrouted requests too), or null when the gateway does not need one.
   */
  compileGateway?(gateway: GatewayContext): Stage | null
  /** This feature's stages for one route, or null when the route does not need it. */
  compileRoute?(route: RouteContext): CompiledFeature | null
  /**
   * The observer this feature needs told of every answered request (access logs, metrics, tracing), or null when
   * the gateway does not need one. Called once, after `validate`.
   */
  observe?(gateway: GatewayContext): RequestObserver | null
}
