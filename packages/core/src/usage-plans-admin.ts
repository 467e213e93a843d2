/**
 * The in-process management API for API keys and usage plans: what API Gateway's control plane does with
 * CreateApiKey, UpdateApiKey, DeleteApiKey, CreateUsagePlan, CreateUsagePlanKey, DeleteUsagePlanKey and GetUsage.
 * A registry may serve several gateways (APIs and stages), as an account's usage plans do; each gateway reads it
 * through an index it rebuilds only when the registry changed.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html
 * https://docs.aws.amazon.com/apigateway/latest/api/API_GetUsage.html
 */
import * as crypto from 'node:crypto'
import { randomBytes } from 'node:crypto'
import {
  compileBucketPolicy,
  compileQuotaPolicy,
  createMemoryStore,
  periodBounds,
  periodIndex,
  ThrottleError,
  type BucketPolicy,
  type QuotaPolicy,
  type Store,
} from '@gatehousejs/throttle'
import { toText } from './errors'
import type { EVERY_METHOD } from './method-settings'
import type {
  ThrottleSettings,
  QuotaSettings,
  ApiKey,
  UsagePlanApiStage,
  UsagePlan,
  Usage,
  UsagePlanAdminErrorCode,
  UsagePlanRegistryOptions,
  UsagePlanRegistry,
} from './features/usage-plans/types'

export type {
  ThrottleSettings,
  QuotaSettings,
  ApiKeyDefinition,
  ApiKey,
  UsagePlanApiStage,
  UsagePlanDefinition,
  UsagePlan,
  Usage,
  UsagePlanAdminErrorCode,
  UsagePlanRegistryOptions,
  UsagePlanRegistry,
} from './features/usage-plans/types'

/**
 * A management call the registry refuses: `BAD_REQUEST` (invalid value), `NOT_FOUND` (no such key or plan),
 * `CONFLICT` (a duplicate id or key value, or a key already in a plan for the same API stage).
 *
 * @example
 * ```ts
 * try { registry.deleteApiKey('nope') } catch (e) { if (e instanceof UsagePlanAdminError && e.code === 'NOT_FOUND') {} }
 * ```
 */
export class UsagePlanAdminError extends Error {
  override name = 'UsagePlanAdminError'
  constructor(
    readonly code: UsagePlanAdminErrorCode,
    message: string,
  ) {
    super(message)
  }
}

/** A key as the registry keeps it. */
export interface KeyRecord {
  id: string
  name: string
  value: string
  enabled: boolean
  customerId?: string
  description?: string
  createdDate: number
  /** SHA-256 of the registry's salt and the value, as a latin1 string: lookups compare these, in constant time. */
  digest: string
}

/** A plan as the registry keeps it, with its limits compiled. */
export interface PlanRecord {
  id: string
  name: string
  description?: string
  throttle?: ThrottleSettings
  quota?: QuotaSettings
  apiStages: UsagePlanApiStage[]
  keys: Set<string>
  createdDate: number
  bucket: BucketPolicy | null
  quotaPolicy: QuotaPolicy | null
  /** Per API stage (same order as `apiStages`): canonical method key → per-key bucket. */
  methodBuckets: Map<string, BucketPolicy>[]
}

/** What the gateway features read (not exported from the package). */
export interface RegistryCore {
  /** Bumped on every change, so readers know when to rebuild their index. */
  version: number
  store: Store
  keysByDigest: Map<string, KeyRecord>
  keys: Map<string, KeyRecord>
  plans: Map<string, PlanRecord>
  digest(value: string): string
  /** The store key of a plan's key's daily usage. */
  usageKey(planId: string, keyId: string): string
}

// One-shot `crypto.hash` (Node ≥ 20.12) is several times cheaper than a Hash object per request.
const oneShot = (crypto as unknown as { hash?: (algorithm: string, data: string, encoding: 'latin1') => string }).hash
const sha256 = oneShot ? (s: string) => oneShot('sha256', s, 'latin1') : (s: string) => crypto.createHash('sha256').update(s).digest().toString('latin1')

/**
 * Whether two digests are equal, in time that depends on their length only.
 *
 * @example
 * ```ts
 * sameDigest('abc', 'abd') // false
 * ```
 */
export function sameDigest(a: string, b: string): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return diff === 0
}

const cores = new WeakMap<UsagePlanRegistry, RegistryCore>()

/** The registry's internals, for the API-key and usage-plan stages. */
export function registryCore(registry: UsagePlanRegistry): RegistryCore {
  const core = cores.get(registry)
  if (!core) throw new TypeError('not a registry made by createUsagePlanRegistry')
  return core
}

/** Whether `value` is a registry made by {@link createUsagePlanRegistry}. */
export function isUsagePlanRegistry(value: unknown): value is UsagePlanRegistry {
  return typeof value === 'object' && value !== null && cores.has(value as UsagePlanRegistry)
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
const DAY_MS = 86_400_000
const MAX_USAGE_DAYS = 92

function randomString(length: number, alphabet: string): string {
  const bytes = randomBytes(length * 2)
  let out = ''
  // 248 = 4 × 62: bytes at or above it are skipped so every character is equally likely.
  for (let i = 0; i < bytes.length && out.length < length; i++) if (bytes[i]! < 248) out += alphabet[bytes[i]! % alphabet.length]
  return out.length === length ? out : out + randomString(length - out.length, alphabet)
}

function bad(message: string): never {
  throw new UsagePlanAdminError('BAD_REQUEST', message)
}

function checkThrottle(t: unknown, at: string): ThrottleSettings {
  if (typeof t !== 'object' || t === null) bad(`${at} must be { rateLimit, burstLimit }`)
  const { rateLimit, burstLimit } = t as ThrottleSettings
  if (typeof rateLimit !== 'number' || !Number.isFinite(rateLimit) || rateLimit < 0) bad(`${at}.rateLimit must be a number >= 0`)
  if (!Number.isSafeInteger(burstLimit) || burstLimit < 0) bad(`${at}.burstLimit must be an integer >= 0`)
  return { rateLimit, burstLimit }
}

/**
 * Canonical form of a method-settings or usage-plan throttle key: `/pets/{id}/GET`, `~1pets~1{id}/GET` and
 * `pets/{id}/get` all become `/pets/{id}/GET`; {@link EVERY_METHOD} stays; `/pets/*` means every method of `/pets`.
 *
 * @example
 * ```ts
 * canonicalMethodKey('~1pets~1{id}/get') // '/pets/{id}/GET'
 * ```
 */
export function canonicalMethodKey(key: string): string | null {
  if (key === '*/*') return key
  const cut = key.lastIndexOf('/')
  if (cut <= 0 || cut === key.length - 1) return null
  let resource = key.slice(0, cut).replace(/~1/g, '/').replace(/~0/g, '~')
  const method = key.slice(cut + 1).toUpperCase()
  if (!/^(\*|[A-Z]+)$/.test(method)) return null
  if (!resource.startsWith('/')) resource = `/${resource}`
  if (resource.length > 1 && resource.endsWith('/')) return null
  return `${resource}/${method}`
}

/**
 * Creates a registry of API keys and usage plans.
 *
 * @throws {UsagePlanAdminError} for invalid or conflicting definitions.
 * @example
 * ```ts
 * const registry = createUsagePlanRegistry({
 *   apiKeys: [{ id: 'k1', value: 'a-key-of-at-least-20-chars' }],
 *   usagePlans: [{ id: 'gold', throttle: { rateLimit: 10, burstLimit: 20 }, apiStages: [{ stage: 'prod' }], keys: ['k1'] }],
 * })
 * ```
 */
export function createUsagePlanRegistry(options: UsagePlanRegistryOptions = {}): UsagePlanRegistry {
  const now = options.now ?? Date.now
  const salt = randomBytes(16).toString('latin1')
  // Names in the store are derived from ids only, so processes sharing a store (Redis) share the limits.
  const ns = options.namespace ?? 'default'
  const core: RegistryCore = {
    version: 0,
    usageKey: (planId, keyId) => `gh:${ns}:usage:${planId}:${keyId}`,
    store: options.store ?? createMemoryStore(),
    keysByDigest: new Map(),
    keys: new Map(),
    plans: new Map(),
    digest: (value) => sha256(salt + value),
  }

  const keyCopy = (k: KeyRecord): ApiKey => {
    const out: ApiKey = { id: k.id, name: k.name, value: k.value, enabled: k.enabled, createdDate: k.createdDate }
    if (k.customerId !== undefined) out.customerId = k.customerId
    if (k.description !== undefined) out.description = k.description
    return out
  }
  const planCopy = (p: PlanRecord): UsagePlan => {
    const out: UsagePlan = {
      id: p.id,
      name: p.name,
      apiStages: p.apiStages.map((s) => ({ ...s, ...(s.throttle ? { throttle: { ...s.throttle } } : {}) })),
      keys: [...p.keys],
      createdDate: p.createdDate,
    }
    if (p.description !== undefined) out.description = p.description
    if (p.throttle) out.throttle = { ...p.throttle }
    if (p.quota) out.quota = { ...p.quota }
    return out
  }
  const keyOf = (id: string): KeyRecord => {
    const k = core.keys.get(id)
    if (!k) throw new UsagePlanAdminError('NOT_FOUND', `API key "${id}" not found`)
    return k
  }
  const planOf = (id: string): PlanRecord => {
    const p = core.plans.get(id)
    if (!p) throw new UsagePlanAdminError('NOT_FOUND', `usage plan "${id}" not found`)
    return p
  }
  const overlaps = (a: UsagePlanApiStage, b: UsagePlanApiStage) =>
    a.stage === b.stage && (a.apiId === undefined || b.apiId === undefined || a.apiId === b.apiId)
  const addKey = (plan: PlanRecord, keyId: string) => {
    keyOf(keyId)
    for (const other of core.plans.values()) {
      if (other === plan || !other.keys.has(keyId)) continue
      if (other.apiStages.some((s) => plan.apiStages.some((t) => overlaps(s, t)))) {
        throw new UsagePlanAdminError('CONFLICT', `API key "${keyId}" is already in usage plan "${other.id}" for the same API stage`)
      }
    }
    plan.keys.add(keyId)
  }

  const registry: UsagePlanRegistry = {
    store: core.store,

    createApiKey(def = {}) {
      if (typeof def !== 'object' || def === null) bad('an API key must be an object')
      const id = def.id ?? randomString(10, 'abcdefghijklmnopqrstuvwxyz0123456789')
      if (typeof id !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(id)) bad('API key id must be 1 to 64 letters, digits, "_" or "-"')
      if (core.keys.has(id)) throw new UsagePlanAdminError('CONFLICT', `API key "${id}" already exists`)
      const value = def.value ?? randomString(40, ALNUM)
      if (typeof value !== 'string' || !/^[\x21-\x7e]{20,128}$/.test(value)) {
        bad('API key value must be 20 to 128 printable ASCII characters without spaces')
      }
      const digest = core.digest(value)
      if (core.keysByDigest.has(digest)) throw new UsagePlanAdminError('CONFLICT', 'an API key with this value already exists')
      if (def.enabled !== undefined && typeof def.enabled !== 'boolean') bad('enabled must be a boolean')
      const record: KeyRecord = { id, name: def.name ?? id, value, enabled: def.enabled ?? true, createdDate: now(), digest }
      if (def.customerId !== undefined) record.customerId = toText(def.customerId)
      if (def.description !== undefined) record.description = toText(def.description)
      core.keys.set(id, record)
      core.keysByDigest.set(digest, record)
      core.version++
      return keyCopy(record)
    },
    getApiKey: (id) => {
      const k = core.keys.get(id)
      return k ? keyCopy(k) : undefined
    },
    getApiKeys: () => [...core.keys.values()].map(keyCopy),
    enableApiKey(id) {
      const k = keyOf(id)
      k.enabled = true
      core.version++
      return keyCopy(k)
    },
    disableApiKey(id) {
      const k = keyOf(id)
      k.enabled = false
      core.version++
      return keyCopy(k)
    },
    deleteApiKey(id) {
      const k = keyOf(id)
      core.keys.delete(id)
      core.keysByDigest.delete(k.digest)
      for (const p of core.plans.values()) p.keys.delete(id)
      core.version++
    },

    createUsagePlan(def) {
      if (typeof def !== 'object' || def === null) bad('a usage plan must be an object')
      const id = def.id ?? randomString(6, 'abcdefghijklmnopqrstuvwxyz0123456789')
      if (typeof id !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(id)) bad('usage plan id must be 1 to 64 letters, digits, "_" or "-"')
      if (core.plans.has(id)) throw new UsagePlanAdminError('CONFLICT', `usage plan "${id}" already exists`)
      const createdDate = now()
      const plan: PlanRecord = {
        id,
        name: def.name ?? id,
        apiStages: [],
        keys: new Set(),
        createdDate,
        bucket: null,
        quotaPolicy: null,
        methodBuckets: [],
      }
      if (def.description !== undefined) plan.description = toText(def.description)
      try {
        if (def.throttle !== undefined) {
          plan.throttle = checkThrottle(def.throttle, 'throttle')
          plan.bucket = compileBucketPolicy({ rate: plan.throttle.rateLimit, burst: plan.throttle.burstLimit, name: `gh:${ns}:plan:${id}` })
        }
        if (def.quota !== undefined) {
          const q = def.quota
          if (typeof q !== 'object' || q === null) bad('quota must be { limit, period, offset? }')
          plan.quota = { limit: q.limit, period: q.period, ...(q.offset !== undefined ? { offset: q.offset } : {}) }
          plan.quotaPolicy = compileQuotaPolicy(
            { limit: q.limit, period: q.period, offset: q.offset ?? 0, startedAt: createdDate, name: `gh:${ns}:quota:${id}` },
            createdDate,
          )
        }
        for (const [i, s] of (def.apiStages ?? []).entries()) {
          if (typeof s !== 'object' || s === null || typeof s.stage !== 'string' || s.stage === '') bad(`apiStages[${i}] needs a stage name`)
          if (s.apiId !== undefined && typeof s.apiId !== 'string') bad(`apiStages[${i}].apiId must be a string`)
          const methods = new Map<string, BucketPolicy>()
          const throttle: Record<string, ThrottleSettings> = {}
          for (const [rawKey, t] of Object.entries(s.throttle ?? {})) {
            const key = canonicalMethodKey(rawKey)
            if (key === null) bad(`apiStages[${i}].throttle key "${rawKey}" must look like "/{resource}/{METHOD}"`)
            const settings = checkThrottle(t, `apiStages[${i}].throttle["${rawKey}"]`)
            throttle[rawKey] = settings
            methods.set(key, compileBucketPolicy({ rate: settings.rateLimit, burst: settings.burstLimit, name: `gh:${ns}:plan:${id}:${i}:${key}` }))
          }
          plan.apiStages.push({ stage: s.stage, ...(s.apiId !== undefined ? { apiId: s.apiId } : {}), ...(s.throttle ? { throttle } : {}) })
          plan.methodBuckets.push(methods)
        }
      } catch (e) {
        if (e instanceof ThrottleError) bad(e.message)
        throw e
      }
      for (const keyId of def.keys ?? []) addKey(plan, keyId)
      core.plans.set(id, plan)
      core.version++
      return planCopy(plan)
    },
    getUsagePlan: (id) => {
      const p = core.plans.get(id)
      return p ? planCopy(p) : undefined
    },
    getUsagePlans: () => [...core.plans.values()].map(planCopy),
    deleteUsagePlan(id) {
      planOf(id)
      core.plans.delete(id)
      core.version++
    },
    createUsagePlanKey(planId, keyId) {
      addKey(planOf(planId), keyId)
      core.version++
    },
    deleteUsagePlanKey(planId, keyId) {
      const plan = planOf(planId)
      if (!plan.keys.delete(keyId)) throw new UsagePlanAdminError('NOT_FOUND', `API key "${keyId}" is not in usage plan "${planId}"`)
      core.version++
    },

    async getUsage(planId, startDate, endDate, opts = {}) {
      const plan = planOf(planId)
      const from = parseDay(startDate, 'startDate')
      const to = parseDay(endDate, 'endDate')
      if (to < from) bad('endDate is before startDate')
      if (to - from + 1 > MAX_USAGE_DAYS) bad(`at most ${MAX_USAGE_DAYS} days of usage can be read at once`)
      const keyIds = opts.keyId !== undefined ? [opts.keyId] : [...plan.keys]
      if (opts.keyId !== undefined && !plan.keys.has(opts.keyId)) {
        throw new UsagePlanAdminError('NOT_FOUND', `API key "${opts.keyId}" is not in usage plan "${planId}"`)
      }
      const q = plan.quotaPolicy
      // Remaining is counted from the start of the quota period that contains the first day asked for.
      const firstDay = q ? Math.min(from, Math.floor(periodBounds(q.period, periodIndex(q.period, from * DAY_MS, q.weekStartsOn), q.weekStartsOn)[0] / DAY_MS)) : from
      const items: Usage['items'] = {}
      for (const keyId of keyIds) {
        const raw = core.store.readUsage ? await core.store.readUsage(core.usageKey(planId, keyId), firstDay, to) : []
        const days: [number, number | null][] = []
        let period = -1
        let used = 0
        for (let d = firstDay; d <= to; d++) {
          const n = raw[d - firstDay] ?? 0
          if (q) {
            const p = periodIndex(q.period, d * DAY_MS, q.weekStartsOn)
            if (p !== period) {
              period = p
              used = 0
            }
            used += n
          }
          if (d < from) continue
          days.push([n, q ? Math.max(0, q.limit - (period === q.initialPeriod ? q.offset : 0) - used) : null])
        }
        items[keyId] = days
      }
      return { usagePlanId: planId, startDate, endDate, items }
    },
  }

  for (const k of options.apiKeys ?? []) registry.createApiKey(k)
  for (const p of options.usagePlans ?? []) registry.createUsagePlan(p)
  cores.set(registry, core)
  return registry
}

function parseDay(s: string, what: string): number {
  const m = typeof s === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(s) : null
  if (!m) bad(`${what} must be YYYY-MM-DD`)
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))
  const d = new Date(ms)
  if (d.getUTCFullYear() !== Number(m[1]) || d.getUTCMonth() !== Number(m[2]) - 1 || d.getUTCDate() !== Number(m[3])) bad(`${what} is not a date`)
  return ms / DAY_MS
}
