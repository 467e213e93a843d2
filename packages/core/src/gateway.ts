/**
 * What `createGateway` returns: the built gateway, and its decision to hand a request to the host application.
 */
import type { ApiDefinition, ApiType } from './definition'
import type { GatewayWarning } from './errors'
import type { StageCacheStats } from './features/stage-cache/options'
import type { GatewayRequest, GatewayResponse, HeaderMap } from './types'

/** The gateway's decision to hand a request to the host application. */
export interface Passthrough {
  passthrough: true
  /** Headers to add to the app's response (CORS, request id). */
  headers: HeaderMap
  /** API Gateway's `requestContext` for the app (`req.apiGateway`). */
  requestContext: Record<string, unknown>
}

/** @example `if (isPassthrough(out)) next()` */
export function isPassthrough(value: GatewayResponse | Passthrough): value is Passthrough {
  return (value as Passthrough).passthrough === true
}

/**
 * A built gateway.
 *
 * @example
 * ```ts
 * const gw = createGateway({ api, functions })
 * const res = await gw.handle({ method: 'GET', path: '/pets/1', headers: {} })
 * ```
 */
export interface Gateway {
  /** Answer a request. A route or miss that would pass through answers as an unmatched request does. */
  handle(request: GatewayRequest): Promise<GatewayResponse>
  /** Answer a request, or hand it on to the host application. */
  dispatch(request: GatewayRequest): Promise<GatewayResponse | Passthrough>
  readonly apiType: ApiType
  readonly stage: string
  readonly definition: ApiDefinition
  readonly warnings: readonly GatewayWarning[]
  /** Empty the stage cache (API Gateway's `FlushStageCache`); a shared store is flushed for every gateway on it. */
  flushStageCache(): Promise<void>
  /** Stage cache hits and misses (`CacheHitCount`, `CacheMissCount`) since the gateway was built; null without a cache. */
  stageCacheStats(): StageCacheStats | null
}
