/**
 * What `createGateway` returns: the built gateway, and its decision to hand a request to the host application.
 */
import type { ApiDefinition, ApiType } from './definition'
import type { GatewayWarning } from './errors'
import type { StageCacheStats } from './features/stage-cache/options'
import type { GatewayRequest, GatewayResponse, HeaderMap } from './types'

/**
 * The gateway's decision to hand a request to the host application: from `dispatch`, for an `APP` integration
 * (after the route's stages ran) or an unmatched request with `unmatched: 'passthrough'`.
 *
 * @example
 * ```ts
 * import { createGateway, isPassthrough, type Passthrough } from '@gatehousejs/core'
 * const gw = createGateway({ api: { resources: { '/orders': { POST: { integration: { type: 'APP' } } } } } })
 * const out = await gw.dispatch({ method: 'POST', path: '/orders', headers: {}, body: '{}' })
 * if (isPassthrough(out)) {
 *   const handedOn: Passthrough = out
 *   handedOn.requestContext.resourcePath // '/orders'
 *   handedOn.requestContext.stage // 'prod'
 * }
 * ```
 */
export interface Passthrough {
  passthrough: true
  /** Headers to add to the app's response (CORS, request id). */
  headers: HeaderMap
  /** API Gateway's `requestContext` for the app (`req.apiGateway`). */
  requestContext: Record<string, unknown>
}

/**
 * Whether `dispatch` handed the request on to the host application (see {@link Passthrough}) rather than answering.
 *
 * @example
 * ```ts
 * import { createGateway, isPassthrough } from '@gatehousejs/core'
 * const gw = createGateway({
 *   api: { resources: { '/pets/{id}': { GET: { integration: { type: 'AWS_PROXY', uri: 'getPet' } } } } },
 *   functions: { getPet: async () => ({ statusCode: 200, body: '{"id":"7"}' }) },
 *   unmatched: 'passthrough',
 * })
 * isPassthrough(await gw.dispatch({ method: 'GET', path: '/health', headers: {} })) // true
 * isPassthrough(await gw.dispatch({ method: 'GET', path: '/pets/7', headers: {} })) // false
 * ```
 */
export function isPassthrough(value: GatewayResponse | Passthrough): value is Passthrough {
  return (value as Passthrough).passthrough === true
}

/**
 * A built gateway.
 *
 * @example
 * ```ts
 * import { createGateway, type Gateway } from '@gatehousejs/core'
 * const gw: Gateway = createGateway({
 *   api: { resources: { '/pets/{id}': { GET: { integration: { type: 'AWS_PROXY', uri: 'getPet' } } } } },
 *   functions: { getPet: async (event) => ({ statusCode: 200, body: JSON.stringify({ id: event.pathParameters.id }) }) },
 * })
 * gw.apiType // 'REST'
 * gw.stage // 'prod'
 * const res = await gw.handle({ method: 'GET', path: '/pets/7', headers: {} })
 * res.statusCode // 200
 * res.body // '{"id":"7"}'
 * ```
 */
/**
 * How a request reached a gateway when something in front of it chose the gateway: a custom domain's base path
 * mapping (`createDomain`) or a stage's canary split (`createStage`). Set by those, never by a client.
 */
export interface RequestVia {
  /**
   * The base path mapping the request came through (`/v1`, `/orders/v2`): removed before routing, kept in the paths
   * API Gateway reports behind a custom domain (`$context.path`, REST `event.path`, HTTP `rawPath`).
   */
  basePath?: string
  /** Whether the stage's canary took the request (`$context.isCanaryRequest`); absent when the stage has no canary. */
  canary?: boolean
  /** The custom domain's name (`$context.domainName`, `domainPrefix`), instead of the request's `Host`. */
  domainName?: string
}

export interface Gateway {
  /** Answer a request. A route or miss that would pass through answers as an unmatched request does. */
  handle(request: GatewayRequest, via?: RequestVia): Promise<GatewayResponse>
  /** Answer a request, or hand it on to the host application. */
  dispatch(request: GatewayRequest, via?: RequestVia): Promise<GatewayResponse | Passthrough>
  readonly apiType: ApiType
  readonly stage: string
  readonly definition: ApiDefinition
  readonly warnings: readonly GatewayWarning[]
  /** Empty the stage cache (API Gateway's `FlushStageCache`); a shared store is flushed for every gateway on it. */
  flushStageCache(): Promise<void>
  /** Stage cache hits and misses (`CacheHitCount`, `CacheMissCount`) since the gateway was built; null without a cache. */
  stageCacheStats(): StageCacheStats | null
}

/**
 * What the adapters need of a gateway: something that answers requests. A `Gateway` is one; so are a custom domain
 * (`createDomain`) and a stage with deployments and a canary (`createStage`).
 */
export type GatewayLike = Pick<Gateway, 'handle' | 'dispatch'>
