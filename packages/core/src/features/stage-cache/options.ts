/**
 * The stage cache's public shapes: what an invalidation hook is told, and the hit/miss counts. Types only.
 */
import type { GatewayRequest } from '../../types'

/**
 * What a cache-invalidation hook is told about the caller (see `GatewayInput.authorizeCacheInvalidation`).
 *
 * @example
 * ```ts
 * import { createGateway, type CacheInvalidationRequest } from '@gatehousejs/core'
 * let calls = 0
 * const gw = createGateway({
 *   api: { resources: { '/pets': { GET: { integration: { type: 'AWS_PROXY', uri: 'listPets' } } } } },
 *   functions: { listPets: async () => ({ statusCode: 200, body: JSON.stringify({ calls: ++calls }) }) },
 *   stage: { stageName: 'prod', cacheClusterEnabled: true },
 *   // Only the operator's own tool may refresh an entry.
 *   authorizeCacheInvalidation: ({ request }: CacheInvalidationRequest) => request.headers['x-operator'] === 'yes',
 * })
 * const get = (headers: Record<string, string>) => gw.handle({ method: 'GET', path: '/pets', headers })
 * await get({})
 * ;(await get({ 'cache-control': 'max-age=0' })).body // '{"calls":1}' — refused: served from the cache
 * ;(await get({ 'cache-control': 'max-age=0', 'x-operator': 'yes' })).body // '{"calls":2}'
 * ```
 */
export interface CacheInvalidationRequest {
  request: GatewayRequest
  /** `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}/{path}`: the resource of `execute-api:InvalidateCache`. */
  methodArn: string
  /** `$context.authorizer` (Lambda/Cognito/JWT authorizers), when one ran. */
  authorizer: Record<string, unknown> | null
  /** `$context.identity.userArn` of an IAM caller, when the method is `AWS_IAM`. */
  userArn: string | null
}

/**
 * Hit and miss counts of one gateway's stage cache (CloudWatch's `CacheHitCount` and `CacheMissCount`), in total
 * and per route key (`GET /pets`).
 *
 * @example
 * ```ts
 * import { createGateway, type StageCacheStats } from '@gatehousejs/core'
 * const gw = createGateway({
 *   api: { resources: { '/pets': { GET: { integration: { type: 'AWS_PROXY', uri: 'listPets' } } } } },
 *   functions: { listPets: async () => ({ statusCode: 200, body: '[]' }) },
 *   stage: { stageName: 'prod', cacheClusterEnabled: true },
 * })
 * await gw.handle({ method: 'GET', path: '/pets', headers: {} })
 * await gw.handle({ method: 'GET', path: '/pets', headers: {} })
 * const stats: StageCacheStats | null = gw.stageCacheStats()
 * stats // { hits: 1, misses: 1, routes: { 'GET /pets': { hits: 1, misses: 1 } } }
 * ```
 */
export interface StageCacheStats {
  hits: number
  misses: number
  routes: Record<string, { hits: number; misses: number }>
}
