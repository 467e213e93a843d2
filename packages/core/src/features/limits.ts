/**
 * What the API-key, usage-plan and throttling stages share: the gateway's store and registry, the per-request
 * record of the limits a request was measured against (for the opt-in `RateLimit` headers), and the way a
 * decision that may be a Promise (a Redis store) is chained without costing the in-memory store a turn.
 */
import {
  createMemoryStore,
  rateLimitHeaders,
  type RateLimitHeaderItem,
  type Store,
  type TakeResult,
  type QuotaResult,
} from '@gatehousejs/throttle'
import { GatewayConfigError } from '../errors'
import { failure, type GatewayFailure } from '../gateway-responses'
import type { IntegrationResult } from '../model'
import type { RequestState } from '../state'
import { stateKey, type GatewayContext } from './types'
import { UsagePlanAdminError } from './usage-plans/admin-error'
import { isUsagePlanRegistry, registryCore, type PlanRecord, type RegistryCore } from './usage-plans/records'
import { createUsagePlanRegistry } from './usage-plans/registry'

/** One gateway's view of limits. */
export interface LimitsContext {
  store: Store
  registry: RegistryCore | null
  headers: boolean
}

const LIMITS = stateKey<LimitsContext>('limits')

/** The store and registry the limit stages of one gateway share (built once, on first use). */
export function limitsContext(gateway: GatewayContext): LimitsContext {
  return gateway.state.get(LIMITS, () => createLimits(gateway))
}

function createLimits({ api, input }: GatewayContext): LimitsContext {
  const plans = input.usagePlans
  let registry: RegistryCore | null = null
  if (isUsagePlanRegistry(plans)) {
    if (input.apiKeys !== undefined) {
      throw new GatewayConfigError(
        'INVALID_OPTION',
        '`apiKeys` cannot be given with a usage-plan registry: create the keys in the registry',
      )
    }
    registry = registryCore(plans)
  } else if (plans !== undefined || input.apiKeys !== undefined) {
    if (plans !== undefined && !Array.isArray(plans))
      throw new GatewayConfigError('INVALID_OPTION', '`usagePlans` must be a list of usage plans or a registry')
    if (input.apiKeys !== undefined && !Array.isArray(input.apiKeys))
      throw new GatewayConfigError('INVALID_OPTION', '`apiKeys` must be a list of API keys')
    try {
      registry = registryCore(
        createUsagePlanRegistry({
          apiKeys: input.apiKeys ?? [],
          usagePlans: plans ?? [],
          now: api.now,
          ...(input.store ? { store: input.store } : {}),
        }),
      )
    } catch (e) {
      if (e instanceof UsagePlanAdminError)
        throw new GatewayConfigError('INVALID_OPTION', `usage plans: ${e.message}`, undefined, { cause: e })
      throw e
    }
  }
  return { store: input.store ?? registry?.store ?? createMemoryStore(), registry, headers: input.rateLimitHeaders === true }
}

export type Check = (state: RequestState) => GatewayFailure | undefined | Promise<GatewayFailure | undefined>

function isPromise<T>(v: unknown): v is Promise<T> {
  return v !== null && typeof v === 'object' && typeof (v as Promise<T>).then === 'function'
}

/**
 * Run checks in order until one refuses; synchronous while every check is. `last` marks the final limit stage
 * of the route: there the collected `RateLimit` headers are written (a refusal writes them at once).
 */
export function sequence(
  checks: Check[],
  headers: boolean,
  last: boolean,
): (state: RequestState) => IntegrationResult | undefined | Promise<IntegrationResult | undefined> {
  const run = (state: RequestState, from: number): GatewayFailure | undefined | Promise<GatewayFailure | undefined> => {
    for (let i = from; i < checks.length; i++) {
      const out = checks[i]!(state)
      if (out === undefined) continue
      if (isPromise<GatewayFailure | undefined>(out)) return out.then((r) => (r !== undefined ? refuse(state, r) : run(state, i + 1)))
      return refuse(state, out)
    }
    if (last && headers) writeHeaders(state)
    return undefined
  }
  const refuse = (state: RequestState, f: GatewayFailure) => {
    if (headers) writeHeaders(state)
    return f
  }
  return (state) => run(state, 0)
}

function writeHeaders(state: RequestState): void {
  const items = state.rateLimitItems
  if (!items || items.length === 0) return
  Object.assign(state.responseHeaders, rateLimitHeaders(items))
}

/** A store that could not decide and fails closed answers 503, as the Store contract asks. */
const UNAVAILABLE = failure('DEFAULT_5XX', 'Service Unavailable', { status: 503 })
const THROTTLED = failure('THROTTLED')
const QUOTA_EXCEEDED = failure('QUOTA_EXCEEDED')

function judgeTake(
  state: RequestState,
  r: TakeResult,
  item: Omit<RateLimitHeaderItem & { result: TakeResult }, 'result'> | null,
): GatewayFailure | undefined {
  if (r.unavailable) return r.allowed ? undefined : UNAVAILABLE
  if (item) (state.rateLimitItems ??= []).push({ ...item, result: r } as RateLimitHeaderItem)
  return r.allowed ? undefined : THROTTLED
}

/**
 * One token from `policy`'s bucket for `key` (a per-client key, or `''` for a shared bucket).
 */
export function take(
  store: Store,
  policy: import('@gatehousejs/throttle').BucketPolicy,
  keyOf: (state: RequestState) => string,
  headerName: string | null,
): Check {
  const item = headerName === null ? null : { name: headerName, policy }
  return (state) => {
    const r = store.take(keyOf(state), policy, 1, state.epoch)
    return isPromise<TakeResult>(r) ? r.then((x) => judgeTake(state, x, item)) : judgeTake(state, r, item)
  }
}

/** Count the request against the usage plan's quota, then record the day's usage for GetUsage. */
export function consumeQuota(ctx: LimitsContext, headers: boolean): Check {
  const registry = ctx.registry!
  const judge = (state: RequestState, plan: PlanRecord, keyId: string, r: QuotaResult): GatewayFailure | undefined => {
    if (r.unavailable) {
      if (!r.allowed) return UNAVAILABLE
    } else {
      if (headers) (state.rateLimitItems ??= []).push({ name: 'quota', policy: plan.quotaPolicy!, result: r, now: state.epoch })
      if (!r.allowed) return QUOTA_EXCEEDED
    }
    record(state, plan, keyId)
    return undefined
  }
  const record = (state: RequestState, plan: PlanRecord, keyId: string) => {
    const out = registry.store.recordUsage?.(registry.usageKey(plan.id, keyId), 1, state.epoch)
    // Usage is bookkeeping: a store that fails to record it must not fail the request, but the operator hears of it.
    if (isPromise(out)) out.catch((error: unknown) => state.reportFailure(error, 'store', null))
  }
  return (state) => {
    const bound = state.usagePlanKey
    if (!bound) return undefined
    const { plan, keyId } = bound
    if (!plan.quotaPolicy) {
      record(state, plan, keyId)
      return undefined
    }
    const r = registry.store.consume(keyId, plan.quotaPolicy, 1, state.epoch)
    return isPromise<QuotaResult>(r) ? r.then((x) => judge(state, plan, keyId, x)) : judge(state, plan, keyId, r)
  }
}
