/**
 * Throttling of a WebSocket API's routes and the usage plans behind `$connect`'s API keys, on
 * `@gatehousejs/throttle`'s token buckets and quotas (one in-memory store per API):
 * - route-level throttling (the stage's `RouteSettings` by route key, else its `DefaultRouteSettings`), one bucket
 *   per route, and the account-level bucket (AWS's 10,000 rps / 5,000 burst by default), checked for `$connect`
 *   and every message — "Clients may receive 429 Too Many Requests error responses"
 *   (https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-protect.html);
 * - usage plans: an API key is valid when it is in `apiKeys` or in a plan; its plan's throttle and quota are
 *   checked when it is presented, i.e. on `$connect` (API keys exist on `$connect` only:
 *   https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-selection-expressions.html).
 *   WebSocket throttles are otherwise per API, not per client (https://repost.aws/questions/QUCtxLhseASF-aWfKJMahBkw).
 */
import { createMemoryStore, createQuota, createTokenBucket, type Quota, type TokenBucket, ThrottleError } from '@gatehousejs/throttle'
import type { RouteThrottleSettings, WebSocketUsagePlan } from './definition'
import { WebSocketApiError } from './errors'

/** The refusal a throttle answers: `429` with API Gateway's bodies. */
export type ThrottleRefusal = { refuse: 429; body: string; message: string }

const TOO_MANY: ThrottleRefusal = { refuse: 429, body: '{"message":"Too Many Requests"}', message: 'Too Many Requests' }
const QUOTA: ThrottleRefusal = { refuse: 429, body: '{"message":"Limit Exceeded"}', message: 'Limit Exceeded' }

export interface ThrottlingOptions {
  routeKeys: string[]
  defaultRouteSettings?: RouteThrottleSettings
  routeSettings?: Record<string, RouteThrottleSettings>
  accountThrottle?: { rateLimit: number; burstLimit: number }
  usagePlans?: WebSocketUsagePlan[]
  apiKeys?: string[]
  now?: () => number
}

export interface Throttling {
  /** The route's and the account's buckets; a refusal when either is empty. */
  route(routeKey: string): ThrottleRefusal | undefined
  /** `$connect`'s API key: 403 for an unknown key, 429 when its plan's throttle or quota refuses. */
  apiKey(key: string | undefined): { refuse: number; body: string } | undefined
}

function bucket(rate: number, burst: number, name: string, store: ReturnType<typeof createMemoryStore>, now?: () => number): TokenBucket {
  try {
    return createTokenBucket({ rate, burst, name, store, ...(now ? { now } : {}) })
  } catch (e) {
    if (e instanceof ThrottleError) throw new WebSocketApiError('INVALID_DEFINITION', `${name}: ${e.message}`)
    throw e
  }
}

/**
 * Compiles the API's throttles once.
 *
 * @example
 * ```ts
 * const throttling = createThrottling({ routeKeys: ['$default'], defaultRouteSettings: { throttlingRateLimit: 10, throttlingBurstLimit: 5 } })
 * throttling.route('$default') // undefined (allowed) until the bucket is empty, then the 429 refusal
 * ```
 */
export function createThrottling(options: ThrottlingOptions): Throttling {
  const store = createMemoryStore()
  const { now } = options
  const routes = new Map<string, TokenBucket>()
  for (const key of Object.keys(options.routeSettings ?? {})) {
    if (!options.routeKeys.includes(key)) throw new WebSocketApiError('INVALID_DEFINITION', `routeSettings: ${key} is not a route`)
  }
  for (const key of options.routeKeys) {
    const s = { ...options.defaultRouteSettings, ...options.routeSettings?.[key] }
    if (s.throttlingRateLimit === undefined && s.throttlingBurstLimit === undefined) continue
    if (s.throttlingRateLimit === undefined || s.throttlingBurstLimit === undefined)
      throw new WebSocketApiError('INVALID_DEFINITION', `route ${key}: throttlingRateLimit and throttlingBurstLimit go together`)
    routes.set(key, bucket(s.throttlingRateLimit, s.throttlingBurstLimit, `route ${key}`, store, now))
  }
  const account = options.accountThrottle ?? { rateLimit: 10_000, burstLimit: 5_000 }
  const accountBucket = bucket(account.rateLimit, account.burstLimit, 'account', store, now)

  const plans = new Map<string, { throttle?: TokenBucket; quota?: Quota }>()
  for (const [i, plan] of (options.usagePlans ?? []).entries()) {
    const name = `usage plan ${plan.name ?? i}`
    const throttle = plan.throttle ? bucket(plan.throttle.rateLimit, plan.throttle.burstLimit, name, store, now) : undefined
    let quota: Quota | undefined
    if (plan.quota) {
      try {
        quota = createQuota({ ...plan.quota, name: `${name} quota`, store, ...(now ? { now } : {}) })
      } catch (e) {
        if (e instanceof ThrottleError) throw new WebSocketApiError('INVALID_DEFINITION', `${name}: ${e.message}`)
        throw e
      }
    }
    for (const key of plan.apiKeys) {
      if (plans.has(key))
        throw new WebSocketApiError('INVALID_DEFINITION', `API key ${key.slice(0, 4)}… is in two usage plans of this stage`)
      plans.set(key, { ...(throttle ? { throttle } : {}), ...(quota ? { quota } : {}) })
    }
  }
  const plainKeys = new Set(options.apiKeys ?? [])

  return {
    route(routeKey) {
      const b = routes.get(routeKey)
      if (b !== undefined && !b.take(routeKey).allowed) return TOO_MANY
      if (!accountBucket.take('account').allowed) return TOO_MANY
      return undefined
    },
    apiKey(key) {
      if (key === undefined) return { refuse: 403, body: '{"message":"Forbidden"}' }
      const plan = plans.get(key)
      if (plan === undefined) return plainKeys.has(key) ? undefined : { refuse: 403, body: '{"message":"Forbidden"}' }
      // The plan's throttle first, so a throttled request spends no quota (as REST APIs count).
      if (plan.throttle && !plan.throttle.take(key).allowed) return TOO_MANY
      if (plan.quota && !plan.quota.consume(key).allowed) return QUOTA
      return undefined
    },
  }
}
