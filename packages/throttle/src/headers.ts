import { periodBounds, periodIndex } from './periods'
import type { BucketPolicy, QuotaPolicy, QuotaResult, TakeResult } from './types'

/**
 * One limit to advertise: a token bucket's decision, or a quota's (with the time it was made).
 *
 * @example
 * ```ts
 * import { createQuota, createTokenBucket, rateLimitHeaders, type RateLimitHeaderItem } from '@gatehousejs/throttle'
 * const bucket = createTokenBucket({ rate: 10, burst: 20 })
 * const quota = createQuota({ limit: 1000, period: 'DAY' })
 * const items: RateLimitHeaderItem[] = [
 *   { name: 'burst', policy: bucket.policy, result: bucket.take('api-key-1') },
 *   { name: 'daily', policy: quota.policy, result: quota.consume('api-key-1'), now: Date.now() },
 * ]
 * const headers = rateLimitHeaders(items) // { 'ratelimit-policy': '"burst";q=20;w=2, "daily";q=1000;w=86400', ratelimit: '…' }
 * ```
 */
export type RateLimitHeaderItem =
  | { name: string; policy: BucketPolicy; result: TakeResult }
  | { name: string; policy: QuotaPolicy; result: QuotaResult; now: number }

/** An sf-string: printable ASCII only, `"` and `\` escaped (RFC 8941 §3.3.3). */
function sfString(s: string): string {
  return `"${s.replace(/[^\x20-\x7e]/g, '?').replace(/["\\]/g, (c) => `\\${c}`)}"`
}

/**
 * The `RateLimit-Policy` and `RateLimit` response headers of the IETF httpapi draft
 * (draft-ietf-httpapi-ratelimit-headers-08 and later: `"name";q=…;w=…` and `"name";r=…;t=…`), something API Gateway
 * does not send. A token bucket is advertised as quota `burst` over the window `burst / rate` (seconds to refill
 * from empty, rounded up), with `t` the seconds until it is full again; a quota as `limit` over its period, with
 * `t` the seconds until the period ends.
 *
 * @example
 * ```ts
 * import { createTokenBucket, rateLimitHeaders } from '@gatehousejs/throttle'
 * const bucket = createTokenBucket({ rate: 10, burst: 20 })
 * rateLimitHeaders([{ name: 'plan', policy: bucket.policy, result: bucket.take('k') }])
 * // { 'ratelimit-policy': '"plan";q=20;w=2', ratelimit: '"plan";r=19;t=1' }
 * ```
 */
export function rateLimitHeaders(items: readonly RateLimitHeaderItem[]): { 'ratelimit-policy': string; ratelimit: string } {
  const policies: string[] = []
  const states: string[] = []
  for (const item of items) {
    const name = sfString(item.name)
    if ('now' in item) {
      const { policy, result, now } = item
      const [start, end] = periodBounds(policy.period, periodIndex(policy.period, now, policy.weekStartsOn), policy.weekStartsOn)
      policies.push(`${name};q=${result.limit};w=${Math.round((end - start) / 1000)}`)
      states.push(`${name};r=${result.remaining};t=${Math.max(0, Math.ceil((result.resetAt - now) / 1000))}`)
    } else {
      const { policy, result } = item
      const w = policy.fillMs === Infinity ? 0 : Math.ceil(policy.fillMs / 1000)
      policies.push(`${name};q=${policy.burst}${w > 0 ? `;w=${w}` : ''}`)
      const t = result.resetMs === Infinity ? 0 : Math.ceil(result.resetMs / 1000)
      states.push(`${name};r=${result.remaining};t=${t}`)
    }
  }
  return { 'ratelimit-policy': policies.join(', '), ratelimit: states.join(', ') }
}
