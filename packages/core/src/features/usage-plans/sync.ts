/**
 * The seam that shares a registry between processes: the registry hands each local change to a
 * {@link UsagePlanRegistrySync} (e.g. `@gatehousejs/redis`'s), and the sync hands remote changes and full
 * reloads back through a {@link UsagePlanRegistryPeer}. Everything a peer is given is checked as hostile input.
 */
import { UsagePlanAdminError, bad } from './admin-error'
import { compilePlan, planCopy } from './plan'
import type { KeyRecord, PlanRecord, RegistryCore } from './records'
import type { ApiKey, UsagePlanDefinition, UsagePlanRegistryPeer } from './types'

const ID = /^[A-Za-z0-9_-]{1,64}$/
const VALUE = /^[\x21-\x7e]{20,128}$/
const MAX_TEXT = 4096
const MAX_PLAN_KEYS = 100_000
const MAX_STAGES = 1000

function text(v: unknown, what: string): string {
  if (typeof v !== 'string' || v.length > MAX_TEXT) bad(`${what} must be a string of at most ${MAX_TEXT} characters`)
  return v
}

function object(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) bad(`${what} must be an object`)
  return v as Record<string, unknown>
}

function date(v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) bad('createdDate must be a number')
  return v
}

/** A key record from elsewhere, checked as createApiKey checks its input. */
function keyRecord(raw: unknown, core: RegistryCore): KeyRecord {
  const r = object(raw, 'an API key')
  if (typeof r.id !== 'string' || !ID.test(r.id)) bad('API key id must be 1 to 64 letters, digits, "_" or "-"')
  if (typeof r.value !== 'string' || !VALUE.test(r.value)) bad('API key value must be 20 to 128 printable ASCII characters')
  if (typeof r.enabled !== 'boolean') bad('enabled must be a boolean')
  const k: KeyRecord = {
    id: r.id,
    name: text(r.name, 'name'),
    value: r.value,
    enabled: r.enabled,
    createdDate: date(r.createdDate),
    digest: core.digest(r.value),
  }
  if (r.customerId !== undefined) k.customerId = text(r.customerId, 'customerId')
  if (r.description !== undefined) k.description = text(r.description, 'description')
  return k
}

/** A plan record from elsewhere, checked and compiled as createUsagePlan does. */
function planRecord(raw: unknown, ns: string): PlanRecord {
  const r = object(raw, 'a usage plan')
  if (typeof r.id !== 'string' || !ID.test(r.id)) bad('usage plan id must be 1 to 64 letters, digits, "_" or "-"')
  const stages = r.apiStages ?? []
  if (!Array.isArray(stages) || stages.length > MAX_STAGES) bad(`apiStages must be a list of at most ${MAX_STAGES}`)
  for (const s of stages) if (object(s, 'an API stage').throttle !== undefined) object(object(s, 'an API stage').throttle, 'throttle')
  const keys = r.keys ?? []
  if (!Array.isArray(keys) || keys.length > MAX_PLAN_KEYS) bad(`keys must be a list of at most ${MAX_PLAN_KEYS}`)
  for (const k of keys) if (typeof k !== 'string' || !ID.test(k)) bad('keys must be API key ids')
  const def: UsagePlanDefinition = { name: text(r.name, 'name'), apiStages: stages as UsagePlanDefinition['apiStages'] }
  if (r.description !== undefined) def.description = text(r.description, 'description')
  if (r.throttle !== undefined) def.throttle = object(r.throttle, 'throttle') as unknown as UsagePlanDefinition['throttle']
  if (r.quota !== undefined) def.quota = object(r.quota, 'quota') as unknown as UsagePlanDefinition['quota']
  const plan = compilePlan(def, r.id, ns, date(r.createdDate))
  for (const k of keys as string[]) plan.keys.add(k)
  return plan
}

/** Errors other than a refusal (a bug, a hostile getter) become refusals too: nothing from elsewhere may throw past. */
function asAdminError(e: unknown): UsagePlanAdminError {
  if (e instanceof UsagePlanAdminError) return e
  return new UsagePlanAdminError('BAD_REQUEST', `malformed record: ${e instanceof Error ? e.message : String(e)}`)
}

/**
 * The peer of one registry (used by `createUsagePlanRegistry` when given a `sync`).
 *
 * @example
 * ```ts
 * options.sync?.connect(createPeer(core, ns, keyCopy))
 * ```
 */
export function createPeer(core: RegistryCore, ns: string, keyCopy: (k: KeyRecord) => ApiKey): UsagePlanRegistryPeer {
  const putKey = (k: KeyRecord) => {
    const old = core.keys.get(k.id)
    const holder = core.keysByDigest.get(k.digest)
    // Two ids with one value cannot both be looked up: the registry that wrote last is refused until a reload.
    if (holder && holder.id !== k.id) throw new UsagePlanAdminError('CONFLICT', `API key "${k.id}" has the value of "${holder.id}"`)
    if (old) core.keysByDigest.delete(old.digest)
    core.keys.set(k.id, k)
    core.keysByDigest.set(k.digest, k)
  }
  const dropKey = (id: string) => {
    const old = core.keys.get(id)
    if (!old) return
    core.keys.delete(id)
    core.keysByDigest.delete(old.digest)
    for (const p of core.plans.values()) p.keys.delete(id)
  }
  return {
    snapshot: () => ({ apiKeys: [...core.keys.values()].map(keyCopy), usagePlans: [...core.plans.values()].map(planCopy) }),
    apply(change) {
      try {
        if (change.type === 'apiKey') {
          if (change.record === null) dropKey(change.id)
          else {
            const k = keyRecord(change.record, core)
            if (k.id !== change.id) bad('the record is not the one named')
            putKey(k)
          }
        } else if (change.record === null) core.plans.delete(change.id)
        else {
          const p = planRecord(change.record, ns)
          if (p.id !== change.id) bad('the record is not the one named')
          core.plans.set(p.id, p)
        }
      } catch (e) {
        throw asAdminError(e)
      }
      core.version++
    },
    replace(state) {
      const errors: Error[] = []
      const keys: KeyRecord[] = []
      const plans: PlanRecord[] = []
      const seen = new Set<string>()
      for (const raw of state.apiKeys) {
        try {
          const k = keyRecord(raw, core)
          if (seen.has(k.digest) || seen.has(`id:${k.id}`))
            throw new UsagePlanAdminError('CONFLICT', `API key "${k.id}" repeats another key`)
          seen.add(k.digest).add(`id:${k.id}`)
          keys.push(k)
        } catch (e) {
          errors.push(asAdminError(e))
        }
      }
      for (const raw of state.usagePlans) {
        try {
          const p = planRecord(raw, ns)
          if (seen.has(`plan:${p.id}`)) throw new UsagePlanAdminError('CONFLICT', `usage plan "${p.id}" is repeated`)
          seen.add(`plan:${p.id}`)
          plans.push(p)
        } catch (e) {
          errors.push(asAdminError(e))
        }
      }
      core.keys.clear()
      core.keysByDigest.clear()
      core.plans.clear()
      for (const k of keys) {
        core.keys.set(k.id, k)
        core.keysByDigest.set(k.digest, k)
      }
      for (const p of plans) core.plans.set(p.id, p)
      core.version++
      return errors
    },
  }
}
