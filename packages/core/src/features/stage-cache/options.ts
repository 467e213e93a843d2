/**
 * The stage cache's public shapes: what an invalidation hook is told, and the hit/miss counts. Types only.
 */
import type { GatewayRequest } from '../../types'

/**
 * What a cache-invalidation hook is told about the caller (see `GatewayInput.authorizeCacheInvalidation`).
 *
 * @example
 * ```ts
 * const allow = ({ authorizer }: CacheInvalidationRequest) => authorizer?.role === 'admin'
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
 * const { hits, misses } = gateway.stageCacheStats() ?? { hits: 0, misses: 0 }
 * ```
 */
export interface StageCacheStats {
  hits: number
  misses: number
  routes: Record<string, { hits: number; misses: number }>
}
