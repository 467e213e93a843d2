/**
 * Stage, method and account throttling's settings (API Gateway's `MethodSetting` throttle fields and the
 * account-level default).
 */
import type { ThrottleSettings } from '../usage-plans/types'

/**
 * Throttling of one method (REST `MethodSetting`) or route (HTTP API `RouteSettings`). A missing field takes
 * API Gateway's account default (10,000 requests per second, burst 5,000).
 *
 * @example
 * ```ts
 * import { createGateway, type MethodThrottleSettings } from '@gatehousejs/core'
 * const slow: MethodThrottleSettings = { throttlingRateLimit: 1, throttlingBurstLimit: 1 }
 * const gw = createGateway({
 *   apiType: 'HTTP',
 *   api: { resources: { '/pets': { GET: { integration: { type: 'AWS_PROXY', uri: 'listPets' } } } } },
 *   functions: { listPets: async () => ({ statusCode: 200, body: '[]' }) },
 *   stage: { stageName: '$default', routeSettings: { 'GET /pets': slow } },
 *   now: () => 0,
 * })
 * ;(await gw.handle({ method: 'GET', path: '/pets', headers: {} })).statusCode // 200
 * const second = await gw.handle({ method: 'GET', path: '/pets', headers: {} })
 * second.statusCode // 429
 * second.body // '{"message":"Too Many Requests"}'
 * ```
 */
export interface MethodThrottleSettings {
  throttlingRateLimit?: number
  throttlingBurstLimit?: number
}

/**
 * API Gateway's default account-level limit per Region. Pass it as `accountThrottle` to apply it.
 *
 * @example
 * ```ts
 * import { AWS_ACCOUNT_THROTTLE, createGateway } from '@gatehousejs/core'
 * AWS_ACCOUNT_THROTTLE // { rateLimit: 10000, burstLimit: 5000 }
 * const gw = createGateway({
 *   api: { resources: { '/pets': { GET: { integration: { type: 'AWS_PROXY', uri: 'listPets' } } } } },
 *   functions: { listPets: async () => ({ statusCode: 200, body: '[]' }) },
 *   accountThrottle: AWS_ACCOUNT_THROTTLE,
 * })
 * ```
 */
export const AWS_ACCOUNT_THROTTLE: Readonly<ThrottleSettings> = Object.freeze({ rateLimit: 10_000, burstLimit: 5_000 })
