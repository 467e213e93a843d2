/**
 * The in-process management API for API keys and usage plans: what API Gateway's control plane does with
 * CreateApiKey, UpdateApiKey, DeleteApiKey, CreateUsagePlan, CreateUsagePlanKey, DeleteUsagePlanKey and GetUsage.
 * A registry may serve several gateways (APIs and stages), as an account's usage plans do; each gateway reads it
 * through an index it rebuilds only when the registry changed.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html
 */
import { randomBytes } from 'node:crypto'
import { createMemoryStore } from '@gatehousejs/throttle'
import { toText } from '../../errors'
import { sha256 } from '../api-keys/digest'
import { bad, UsagePlanAdminError } from './admin-error'
import { compilePlan, planCopy } from './plan'
import { attachCore, type KeyRecord, type PlanRecord, type RegistryCore } from './records'
import { createPeer } from './sync'
import type { ApiKey, UsagePlanApiStage, UsagePlanRegistry, UsagePlanRegistryChange, UsagePlanRegistryOptions } from './types'
import { readUsage } from './usage'

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

function randomString(length: number, alphabet: string): string {
  const bytes = randomBytes(length * 2)
  let out = ''
  // 248 = 4 × 62: bytes at or above it are skipped so every character is equally likely.
  for (let i = 0; i < bytes.length && out.length < length; i++) if (bytes[i]! < 248) out += alphabet[bytes[i]! % alphabet.length]
  return out.length === length ? out : out + randomString(length - out.length, alphabet)
}

/**
 * Creates a registry of API keys and usage plans.
 *
 * @throws {UsagePlanAdminError} for invalid or conflicting definitions.
 * @example
 * ```ts
 * import { createGateway, createUsagePlanRegistry } from '@gatehousejs/core'
 * const registry = createUsagePlanRegistry({
 *   apiKeys: [{ id: 'k1', value: 'partner-key-0123456789' }],
 *   usagePlans: [{ id: 'gold', throttle: { rateLimit: 10, burstLimit: 20 }, apiStages: [{ stage: 'prod' }], keys: ['k1'] }],
 * })
 * const gw = createGateway({
 *   api: { resources: { '/pets': { GET: { apiKeyRequired: true, integration: { type: 'AWS_PROXY', uri: 'listPets' } } } } },
 *   functions: { listPets: async () => ({ statusCode: 200, body: '[]' }) },
 *   usagePlans: registry,
 * })
 * const res = await gw.handle({ method: 'GET', path: '/pets', headers: { 'x-api-key': 'partner-key-0123456789' } })
 * res.statusCode // 200
 * registry.getApiKey('k1')?.enabled // true
 * ```
 */
export function createUsagePlanRegistry(options: UsagePlanRegistryOptions = {}): UsagePlanRegistry {
  const now = options.now ?? Date.now
  const salt = randomBytes(16).toString('latin1')
  // Names in the store are derived from ids only, so processes sharing a store (Redis) share the limits.
  const ns = options.namespace ?? 'default'
  const usageKeys = new Map<string, Map<string, string>>()
  const core: RegistryCore = {
    version: 0,
    // Made once per plan and key: every admitted request records usage under it, and a string the store has seen
    // before is found without hashing it again.
    usageKey: (planId, keyId) => {
      let byKey = usageKeys.get(planId)
      if (byKey === undefined) usageKeys.set(planId, (byKey = new Map()))
      let key = byKey.get(keyId)
      if (key === undefined) {
        if (byKey.size >= 10_000) byKey.clear()
        byKey.set(keyId, (key = `gh:${ns}:usage:${planId}:${keyId}`))
      }
      return key
    },
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
  const keyOf = (id: string): KeyRecord => {
    const k = core.keys.get(id)
    if (!k) throw new UsagePlanAdminError('NOT_FOUND', `API key "${id}" not found`)
    return k
  }
  const sync = options.sync
  // A sync that throws must not turn a change already made here into an error; its failures are its to report.
  // The options' keys and plans are this process's seed, not changes: on connect the sync decides what is shared.
  let seeded = false
  const share = (change: UsagePlanRegistryChange) => {
    if (!seeded || !sync) return
    try {
      sync.publish(change)
    } catch {}
  }
  const sharePlan = (plan: PlanRecord) => share({ type: 'usagePlan', id: plan.id, record: planCopy(plan) })
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
      share({ type: 'apiKey', id, record: keyCopy(record) })
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
      share({ type: 'apiKey', id, record: keyCopy(k) })
      return keyCopy(k)
    },
    disableApiKey(id) {
      const k = keyOf(id)
      k.enabled = false
      core.version++
      share({ type: 'apiKey', id, record: keyCopy(k) })
      return keyCopy(k)
    },
    deleteApiKey(id) {
      const k = keyOf(id)
      core.keys.delete(id)
      core.keysByDigest.delete(k.digest)
      const held = [...core.plans.values()].filter((p) => p.keys.delete(id))
      core.version++
      share({ type: 'apiKey', id, record: null })
      for (const p of held) sharePlan(p)
    },

    createUsagePlan(def) {
      if (typeof def !== 'object' || def === null) bad('a usage plan must be an object')
      const id = def.id ?? randomString(6, 'abcdefghijklmnopqrstuvwxyz0123456789')
      if (typeof id !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(id)) bad('usage plan id must be 1 to 64 letters, digits, "_" or "-"')
      if (core.plans.has(id)) throw new UsagePlanAdminError('CONFLICT', `usage plan "${id}" already exists`)
      const plan = compilePlan(def, id, ns, now())
      for (const keyId of def.keys ?? []) addKey(plan, keyId)
      core.plans.set(id, plan)
      core.version++
      sharePlan(plan)
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
      share({ type: 'usagePlan', id, record: null })
    },
    createUsagePlanKey(planId, keyId) {
      const plan = planOf(planId)
      addKey(plan, keyId)
      core.version++
      sharePlan(plan)
    },
    deleteUsagePlanKey(planId, keyId) {
      const plan = planOf(planId)
      if (!plan.keys.delete(keyId)) throw new UsagePlanAdminError('NOT_FOUND', `API key "${keyId}" is not in usage plan "${planId}"`)
      core.version++
      sharePlan(plan)
    },

    getUsage: async (planId, startDate, endDate, opts = {}) => readUsage(core, planOf(planId), startDate, endDate, opts),
  }

  for (const k of options.apiKeys ?? []) registry.createApiKey(k)
  for (const p of options.usagePlans ?? []) registry.createUsagePlan(p)
  seeded = true
  attachCore(registry, core)
  sync?.connect(createPeer(core, ns, keyCopy))
  return registry
}
