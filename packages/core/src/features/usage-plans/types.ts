/**
 * The public shapes of API keys and usage plans (API Gateway's `ApiKey`, `UsagePlan`, `ThrottleSettings`,
 * `QuotaSettings`, `GetUsage`), and of the registry that manages them at run time. Types only.
 */
import type { QuotaPeriod, Store } from '@gatehousejs/throttle'

/**
 * A rate (requests per second, fractions allowed) and a burst (bucket capacity), as in API Gateway's
 * `ThrottleSettings`.
 *
 * @example
 * ```ts
 * const throttle: ThrottleSettings = { rateLimit: 100, burstLimit: 200 }
 * ```
 */
export interface ThrottleSettings {
  rateLimit: number
  burstLimit: number
}

/**
 * A usage plan's quota (`QuotaSettings`): `limit` requests per UTC `DAY`, `WEEK` (from Sunday) or `MONTH`, minus
 * `offset` in the period the plan was created in.
 *
 * @example
 * ```ts
 * const quota: QuotaSettings = { limit: 10_000, period: 'MONTH' }
 * ```
 */
export interface QuotaSettings {
  limit: number
  period: QuotaPeriod
  offset?: number
}

/**
 * An API key to create. `value` defaults to 40 random characters, `id` to 10; `enabled` defaults to true.
 *
 * @example
 * ```ts
 * const key: ApiKeyDefinition = { id: 'k1', name: 'partner', value: 'a-key-of-at-least-20-chars' }
 * ```
 */
export interface ApiKeyDefinition {
  id?: string
  name?: string
  /** 20 to 128 printable ASCII characters, unique in the registry. */
  value?: string
  enabled?: boolean
  customerId?: string
  description?: string
}

/**
 * An API key as the registry returns it (a copy: editing it changes nothing).
 *
 * @example
 * ```ts
 * const key: ApiKey = registry.createApiKey({ name: 'partner' })
 * console.log(key.id, key.value, key.enabled)
 * ```
 */
export interface ApiKey {
  id: string
  name: string
  value: string
  enabled: boolean
  customerId?: string
  description?: string
  /** Epoch ms. */
  createdDate: number
}

/**
 * An API stage a usage plan applies to. Without `apiId` the plan applies to the stage of that name on every
 * gateway that reads the registry. `throttle` holds per-method limits keyed `/{resource}/{METHOD}` (for example
 * `/pets/{id}/GET`; `~1` for `/` is accepted too), applied per key on top of the plan's own throttle.
 *
 * @example
 * ```ts
 * const stage: UsagePlanApiStage = { apiId: 'abc123', stage: 'prod', throttle: { '/pets/GET': { rateLimit: 5, burstLimit: 10 } } }
 * ```
 */
export interface UsagePlanApiStage {
  apiId?: string
  stage: string
  throttle?: Record<string, ThrottleSettings>
}

/**
 * A usage plan to create: throttle and quota per API key, the API stages it applies to, the keys in it.
 *
 * @example
 * ```ts
 * const plan: UsagePlanDefinition = {
 *   id: 'gold', throttle: { rateLimit: 100, burstLimit: 200 }, quota: { limit: 10_000, period: 'MONTH' },
 *   apiStages: [{ stage: 'prod' }], keys: ['k1'],
 * }
 * ```
 */
export interface UsagePlanDefinition {
  id?: string
  name?: string
  description?: string
  throttle?: ThrottleSettings
  quota?: QuotaSettings
  apiStages?: UsagePlanApiStage[]
  /** Ids of the API keys in the plan (usage plan keys). */
  keys?: string[]
}

/**
 * A usage plan as the registry returns it (a copy).
 *
 * @example
 * ```ts
 * const plan: UsagePlan = registry.getUsagePlan('gold')!
 * console.log(plan.keys)
 * ```
 */
export interface UsagePlan {
  id: string
  name: string
  description?: string
  throttle?: ThrottleSettings
  quota?: QuotaSettings
  apiStages: UsagePlanApiStage[]
  keys: string[]
  /** Epoch ms; the quota's initial period (where `offset` applies) is the one containing it. */
  createdDate: number
}

/**
 * GetUsage's answer: per key id, one `[used, remaining]` pair per UTC day from `startDate` to `endDate`.
 * `remaining` is what was left of the quota at the end of that day (`null` when the plan has no quota).
 *
 * @example
 * ```ts
 * const usage: Usage = await registry.getUsage('gold', '2025-01-01', '2025-01-03')
 * // { usagePlanId: 'gold', startDate: '2025-01-01', endDate: '2025-01-03', items: { k1: [[3, 97], [0, 97], [10, 87]] } }
 * ```
 */
export interface Usage {
  usagePlanId: string
  startDate: string
  endDate: string
  items: Record<string, [number, number | null][]>
}

/** Stable codes of {@link UsagePlanAdminError}, after API Gateway's exceptions. */
export type UsagePlanAdminErrorCode = 'BAD_REQUEST' | 'NOT_FOUND' | 'CONFLICT'

/**
 * Options of {@link createUsagePlanRegistry}.
 *
 * @example
 * ```ts
 * const options: UsagePlanRegistryOptions = { apiKeys: [{ id: 'k1', value: 'k'.repeat(20) }], usagePlans: [{ id: 'p', apiStages: [{ stage: 'prod' }], keys: ['k1'] }] }
 * ```
 */
export interface UsagePlanRegistryOptions {
  apiKeys?: readonly ApiKeyDefinition[]
  usagePlans?: readonly UsagePlanDefinition[]
  /** Where plan buckets, quotas and daily usage live (default: a fresh in-memory store). */
  store?: Store
  /** Clock, epoch ms: creation dates and the quota's initial period. */
  now?: () => number
  /**
   * This registry's part of its names in the store (default `default`: names are `gh:default:…`). Processes that
   * share a store (Redis) and define the same plan ids share those plans' limits; give unrelated registries on one
   * store different namespaces.
   */
  namespace?: string
}

/**
 * API keys and usage plans, managed at run time. Pass it to `createGateway({ usagePlans: registry })`; changes
 * apply to the next request.
 *
 * @example
 * ```ts
 * const registry = createUsagePlanRegistry({ usagePlans: [{ id: 'free', quota: { limit: 100, period: 'DAY' }, apiStages: [{ stage: 'prod' }] }] })
 * const key = registry.createApiKey({ name: 'alice' })
 * registry.createUsagePlanKey('free', key.id)
 * const gw = createGateway({ api, usagePlans: registry })
 * ```
 */
export interface UsagePlanRegistry {
  readonly store: Store
  createApiKey(def?: ApiKeyDefinition): ApiKey
  getApiKey(id: string): ApiKey | undefined
  getApiKeys(): ApiKey[]
  enableApiKey(id: string): ApiKey
  disableApiKey(id: string): ApiKey
  /** Deletes the key and removes it from every plan. */
  deleteApiKey(id: string): void
  createUsagePlan(def: UsagePlanDefinition): UsagePlan
  getUsagePlan(id: string): UsagePlan | undefined
  getUsagePlans(): UsagePlan[]
  deleteUsagePlan(id: string): void
  /** Adds a key to a plan (a key may be in one plan per API stage). */
  createUsagePlanKey(planId: string, keyId: string): void
  deleteUsagePlanKey(planId: string, keyId: string): void
  /** Daily `[used, remaining]` per key of the plan, for UTC days `startDate`…`endDate` (`YYYY-MM-DD`, at most 92 days). */
  getUsage(planId: string, startDate: string, endDate: string, options?: { keyId?: string }): Promise<Usage>
}
