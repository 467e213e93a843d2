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
 * import { createGateway, type ThrottleSettings } from '@gatehousejs/core'
 * const throttle: ThrottleSettings = { rateLimit: 1, burstLimit: 2 }
 * const gw = createGateway({
 *   api: { resources: { '/pets': { GET: { apiKeyRequired: true, integration: { type: 'AWS_PROXY', uri: 'listPets' } } } } },
 *   functions: { listPets: async () => ({ statusCode: 200, body: '[]' }) },
 *   apiKeys: [{ id: 'k1', value: 'partner-key-0123456789' }],
 *   usagePlans: [{ id: 'basic', throttle, apiStages: [{ stage: 'prod' }], keys: ['k1'] }],
 *   now: () => 0,
 * })
 * const get = () => gw.handle({ method: 'GET', path: '/pets', headers: { 'x-api-key': 'partner-key-0123456789' } })
 * ;(await get()).statusCode // 200
 * ;(await get()).statusCode // 200
 * ;(await get()).statusCode // 429 — the burst of 2 is spent
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
 * import { createGateway, type QuotaSettings } from '@gatehousejs/core'
 * const quota: QuotaSettings = { limit: 1, period: 'DAY' }
 * const gw = createGateway({
 *   api: { resources: { '/pets': { GET: { apiKeyRequired: true, integration: { type: 'AWS_PROXY', uri: 'listPets' } } } } },
 *   functions: { listPets: async () => ({ statusCode: 200, body: '[]' }) },
 *   apiKeys: [{ id: 'k1', value: 'partner-key-0123456789' }],
 *   usagePlans: [{ id: 'trial', quota, apiStages: [{ stage: 'prod' }], keys: ['k1'] }],
 * })
 * const get = () => gw.handle({ method: 'GET', path: '/pets', headers: { 'x-api-key': 'partner-key-0123456789' } })
 * ;(await get()).statusCode // 200
 * const over = await get()
 * over.statusCode // 429
 * over.body // '{"message":"Limit Exceeded"}'
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
 * import { createGateway, type ApiKeyDefinition } from '@gatehousejs/core'
 * const partner: ApiKeyDefinition = { id: 'k1', name: 'partner', value: 'partner-key-0123456789' }
 * const gw = createGateway({
 *   api: { resources: { '/pets': { GET: { apiKeyRequired: true, integration: { type: 'AWS_PROXY', uri: 'listPets' } } } } },
 *   functions: { listPets: async () => ({ statusCode: 200, body: '[]' }) },
 *   apiKeys: [partner],
 *   usagePlans: [{ id: 'basic', apiStages: [{ stage: 'prod' }], keys: ['k1'] }],
 * })
 * const get = () => gw.handle({ method: 'GET', path: '/pets', headers: { 'x-api-key': 'partner-key-0123456789' } })
 * ;(await get()).statusCode // 200
 * ;(await gw.handle({ method: 'GET', path: '/pets', headers: {} })).statusCode // 403
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
 * import { createUsagePlanRegistry, type ApiKey } from '@gatehousejs/core'
 * const registry = createUsagePlanRegistry({ now: () => Date.UTC(2025, 0, 1) })
 * const key: ApiKey = registry.createApiKey({ name: 'partner' })
 * key.enabled // true
 * key.value.length // 40
 * key.createdDate // 1735689600000
 * registry.disableApiKey(key.id).enabled // false
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
 * import { createGateway, type UsagePlanApiStage } from '@gatehousejs/core'
 * // On API abc123's prod stage, each key may call GET /pets once per second at most.
 * const prod: UsagePlanApiStage = { apiId: 'abc123', stage: 'prod', throttle: { '/pets/GET': { rateLimit: 1, burstLimit: 1 } } }
 * const gw = createGateway({
 *   apiId: 'abc123',
 *   api: { resources: { '/pets': { GET: { apiKeyRequired: true, integration: { type: 'AWS_PROXY', uri: 'listPets' } } } } },
 *   functions: { listPets: async () => ({ statusCode: 200, body: '[]' }) },
 *   apiKeys: [{ id: 'k1', value: 'partner-key-0123456789' }],
 *   usagePlans: [{ id: 'basic', apiStages: [prod], keys: ['k1'] }],
 *   now: () => 0,
 * })
 * const get = () => gw.handle({ method: 'GET', path: '/pets', headers: { 'x-api-key': 'partner-key-0123456789' } })
 * ;(await get()).statusCode // 200
 * ;(await get()).statusCode // 429
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
 * import { createGateway, type UsagePlanDefinition } from '@gatehousejs/core'
 * const gold: UsagePlanDefinition = {
 *   id: 'gold',
 *   throttle: { rateLimit: 100, burstLimit: 200 },
 *   quota: { limit: 10_000, period: 'MONTH' },
 *   apiStages: [{ stage: 'prod' }],
 *   keys: ['k1'],
 * }
 * const gw = createGateway({
 *   api: { resources: { '/pets': { GET: { apiKeyRequired: true, integration: { type: 'AWS_PROXY', uri: 'listPets' } } } } },
 *   functions: { listPets: async () => ({ statusCode: 200, body: '[]' }) },
 *   apiKeys: [{ id: 'k1', value: 'partner-key-0123456789' }],
 *   usagePlans: [gold],
 * })
 * const get = () => gw.handle({ method: 'GET', path: '/pets', headers: { 'x-api-key': 'partner-key-0123456789' } })
 * ;(await get()).statusCode // 200
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
 * import { createUsagePlanRegistry, type UsagePlan } from '@gatehousejs/core'
 * const registry = createUsagePlanRegistry({
 *   apiKeys: [{ id: 'k1', value: 'partner-key-0123456789' }],
 *   usagePlans: [{ id: 'gold', name: 'Gold', apiStages: [{ stage: 'prod' }], keys: ['k1'] }],
 * })
 * const plan: UsagePlan | undefined = registry.getUsagePlan('gold')
 * plan?.name // 'Gold'
 * plan?.keys // ['k1']
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
 * import { createGateway, createUsagePlanRegistry, type Usage } from '@gatehousejs/core'
 * const now = () => Date.UTC(2025, 0, 2, 12) // noon, 2 January 2025
 * const registry = createUsagePlanRegistry({
 *   apiKeys: [{ id: 'k1', value: 'partner-key-0123456789' }],
 *   usagePlans: [{ id: 'gold', quota: { limit: 100, period: 'MONTH' }, apiStages: [{ stage: 'prod' }], keys: ['k1'] }],
 *   now,
 * })
 * const gw = createGateway({
 *   api: { resources: { '/pets': { GET: { apiKeyRequired: true, integration: { type: 'AWS_PROXY', uri: 'listPets' } } } } },
 *   functions: { listPets: async () => ({ statusCode: 200, body: '[]' }) },
 *   usagePlans: registry,
 *   now,
 * })
 * for (let i = 0; i < 3; i++) await gw.handle({ method: 'GET', path: '/pets', headers: { 'x-api-key': 'partner-key-0123456789' } })
 * const usage: Usage = await registry.getUsage('gold', '2025-01-01', '2025-01-02')
 * usage // { usagePlanId: 'gold', startDate: '2025-01-01', endDate: '2025-01-02', items: { k1: [[0, 100], [3, 97]] } }
 * ```
 */
export interface Usage {
  usagePlanId: string
  startDate: string
  endDate: string
  items: Record<string, [number, number | null][]>
}

/**
 * Stable codes of {@link UsagePlanAdminError}, after API Gateway's exceptions.
 *
 * @example
 * ```ts
 * import { createUsagePlanRegistry, UsagePlanAdminError, type UsagePlanAdminErrorCode } from '@gatehousejs/core'
 * const registry = createUsagePlanRegistry({ apiKeys: [{ id: 'k1', value: 'partner-key-0123456789' }] })
 * let code: UsagePlanAdminErrorCode | undefined
 * try {
 *   registry.createApiKey({ id: 'k1' })
 * } catch (e) {
 *   if (e instanceof UsagePlanAdminError) code = e.code
 * }
 * code // 'CONFLICT'
 * ```
 */
export type UsagePlanAdminErrorCode = 'BAD_REQUEST' | 'NOT_FOUND' | 'CONFLICT'

/**
 * Options of {@link createUsagePlanRegistry}.
 *
 * @example
 * ```ts
 * import { createUsagePlanRegistry, type UsagePlanRegistryOptions } from '@gatehousejs/core'
 * const options: UsagePlanRegistryOptions = {
 *   apiKeys: [{ id: 'k1', value: 'partner-key-0123456789' }],
 *   usagePlans: [{ id: 'basic', throttle: { rateLimit: 10, burstLimit: 20 }, apiStages: [{ stage: 'prod' }], keys: ['k1'] }],
 *   // Two registries on one store (e.g. Redis) keep apart by namespace.
 *   namespace: 'pets-api',
 * }
 * const registry = createUsagePlanRegistry(options)
 * registry.getUsagePlans().map((p) => p.id) // ['basic']
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
  /**
   * Shares keys and plans with the other processes serving the API (`createRedisRegistrySync` from
   * `@gatehousejs/redis`): what one creates, enables, disables or deletes applies in all.
   */
  sync?: UsagePlanRegistrySync
}

/**
 * API keys and usage plans, managed at run time. Pass it to `createGateway({ usagePlans: registry })`; changes
 * apply to the next request.
 *
 * @example
 * ```ts
 * import { createGateway, createUsagePlanRegistry, type UsagePlanRegistry } from '@gatehousejs/core'
 * const registry: UsagePlanRegistry = createUsagePlanRegistry({
 *   usagePlans: [{ id: 'free', quota: { limit: 100, period: 'DAY' }, apiStages: [{ stage: 'prod' }] }],
 * })
 * const gw = createGateway({
 *   api: { resources: { '/pets': { GET: { apiKeyRequired: true, integration: { type: 'AWS_PROXY', uri: 'listPets' } } } } },
 *   functions: { listPets: async () => ({ statusCode: 200, body: '[]' }) },
 *   usagePlans: registry,
 * })
 * const key = registry.createApiKey({ name: 'alice' })
 * registry.createUsagePlanKey('free', key.id)
 * const get = () => gw.handle({ method: 'GET', path: '/pets', headers: { 'x-api-key': key.value } })
 * ;(await get()).statusCode // 200
 * registry.disableApiKey(key.id)
 * ;(await get()).statusCode // 403
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

/**
 * One change to share: the record as it now is, or `null` when it was deleted.
 *
 * @example
 * ```ts
 * const change: UsagePlanRegistryChange = { type: 'apiKey', id: 'k1', record: null } // k1 was deleted
 * ```
 */
export type UsagePlanRegistryChange =
  | { type: 'apiKey'; id: string; record: ApiKey | null }
  | { type: 'usagePlan'; id: string; record: UsagePlan | null }

/**
 * Every key and plan of a registry (records as the management API returns them).
 *
 * @example
 * ```ts
 * const empty: UsagePlanRegistrySnapshot = { apiKeys: [], usagePlans: [] }
 * ```
 */
export interface UsagePlanRegistrySnapshot {
  apiKeys: ApiKey[]
  usagePlans: UsagePlan[]
}

/**
 * What a sync may do to the registry it serves. Records are checked (ids, values, limits) before use: a bad one
 * is refused with a `UsagePlanAdminError` and changes nothing.
 *
 * @example
 * ```ts
 * peer.apply({ type: 'apiKey', id: 'k1', record: { ...key, enabled: false } })
 * ```
 */
export interface UsagePlanRegistryPeer {
  /** The registry's current records (at connect: what its options created). */
  snapshot(): UsagePlanRegistrySnapshot
  /** Apply one change made elsewhere. Throws `UsagePlanAdminError` for a malformed record. */
  apply(change: { type: 'apiKey' | 'usagePlan'; id: string; record: unknown }): void
  /** Replace every key and plan with these records; the malformed ones are skipped and returned as errors. */
  replace(state: { apiKeys: readonly unknown[]; usagePlans: readonly unknown[] }): Error[]
}

/**
 * Shares a registry's keys and plans with other processes (`createRedisRegistrySync` in `@gatehousejs/redis`).
 * `publish` is called after each change applied locally and must never throw; its failures are the sync's to
 * report.
 *
 * @example
 * ```ts
 * import { createUsagePlanRegistry } from '@gatehousejs/core'
 * import { createRedisRegistrySync } from '@gatehousejs/redis'
 * const registry = createUsagePlanRegistry({ namespace: 'pets', sync: createRedisRegistrySync({ client, namespace: 'pets' }) })
 * ```
 */
export interface UsagePlanRegistrySync {
  /** Called once, when the registry is created (after the keys and plans of its options). */
  connect(peer: UsagePlanRegistryPeer): void
  publish(change: UsagePlanRegistryChange): void
}
