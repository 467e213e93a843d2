/**
 * The registry's private half: keys and plans as it keeps them (limits compiled, values digested), read by the
 * API-key and usage-plan stages. Not exported from the package.
 */
import type { BucketPolicy, QuotaPolicy, Store } from '@gatehousejs/throttle'
import type { QuotaSettings, ThrottleSettings, UsagePlanApiStage, UsagePlanRegistry } from './types'

/** A key as the registry keeps it. */
export interface KeyRecord {
  id: string
  name: string
  value: string
  enabled: boolean
  customerId?: string
  description?: string
  createdDate: number
  /** SHA-256 of the registry's salt and the value, as a latin1 string: the registry's name for the value (one key per value). */
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

/** Tie a registry to its private half (once, when {@link createUsagePlanRegistry} made it). */
export function attachCore(registry: UsagePlanRegistry, core: RegistryCore): void {
  cores.set(registry, core)
}
