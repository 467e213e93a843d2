/**
 * The usage-plan quota step, last of the limits so that a request refused by any throttle costs no quota: the
 * request is counted against its key's quota (429 `QUOTA_EXCEEDED`, `{"message":"Limit Exceeded"}`, when the
 * period's quota is spent) and recorded in the day's usage for GetUsage.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
 */
import type { Feature } from '../types'
import { consumeQuota, limitsContext, sequence } from '../limits'
import { guardStore } from '../throttling/guard'

/**
 * The quota stage of methods with `apiKeyRequired`.
 *
 * @example
 * ```ts
 * createGateway({ api, apiKeys, usagePlans: [{ id: 'free', quota: { limit: 1000, period: 'DAY' }, apiStages: [{ stage: 'prod' }], keys: ['k1'] }] })
 * ```
 */
export const usagePlansFeature: Feature = {
  name: 'usage-plans',
  compileRoute(ctx) {
    if (!ctx.method.apiKeyRequired || ctx.api.apiType !== 'REST') return null
    const limits = limitsContext(ctx)
    if (!limits.registry) return null
    return { before: sequence([guardStore(consumeQuota(limits, limits.headers))], limits.headers, true) }
  },
}
