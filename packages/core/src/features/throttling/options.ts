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
 * const settings: MethodThrottleSettings = { throttlingRateLimit: 50, throttlingBurstLimit: 100 }
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
 * createGateway({ api, accountThrottle: AWS_ACCOUNT_THROTTLE })
 * ```
 */
export const AWS_ACCOUNT_THROTTLE: Readonly<ThrottleSettings> = Object.freeze({ rateLimit: 10_000, burstLimit: 5_000 })
