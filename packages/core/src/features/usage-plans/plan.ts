/**
 * A usage plan as API Gateway's CreateUsagePlan takes it, checked and compiled: the plan's throttle bucket, its
 * quota, and per API stage the per-method buckets.
 */
import { compileBucketPolicy, compileQuotaPolicy, ThrottleError, type BucketPolicy } from '@gatehousejs/throttle'
import { toText } from '../../errors'
import { canonicalMethodKey } from '../../method-settings'
import { bad } from './admin-error'
import type { PlanRecord } from './records'
import type { ThrottleSettings, UsagePlan, UsagePlanDefinition } from './types'

function checkThrottle(t: unknown, at: string): ThrottleSettings {
  if (typeof t !== 'object' || t === null) bad(`${at} must be { rateLimit, burstLimit }`)
  const { rateLimit, burstLimit } = t as ThrottleSettings
  if (typeof rateLimit !== 'number' || !Number.isFinite(rateLimit) || rateLimit < 0) bad(`${at}.rateLimit must be a number >= 0`)
  if (!Number.isSafeInteger(burstLimit) || burstLimit < 0) bad(`${at}.burstLimit must be an integer >= 0`)
  return { rateLimit, burstLimit }
}

/**
 * Check a plan definition and compile its limits; `ns` is the registry's namespace in the store.
 *
 * @example
 * ```ts
 * const plan = compilePlan({ throttle: { rateLimit: 10, burstLimit: 20 }, apiStages: [{ stage: 'prod' }] }, 'gold', 'default', Date.now())
 * ```
 */
export function compilePlan(def: UsagePlanDefinition, id: string, ns: string, createdDate: number): PlanRecord {
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
        methods.set(
          key,
          compileBucketPolicy({ rate: settings.rateLimit, burst: settings.burstLimit, name: `gh:${ns}:plan:${id}:${i}:${key}` }),
        )
      }
      plan.apiStages.push({ stage: s.stage, ...(s.apiId !== undefined ? { apiId: s.apiId } : {}), ...(s.throttle ? { throttle } : {}) })
      plan.methodBuckets.push(methods)
    }
  } catch (e) {
    if (e instanceof ThrottleError) bad(e.message)
    throw e
  }
  return plan
}

/** A copy of a plan for callers (so they cannot change the registry's record). */
export function planCopy(p: PlanRecord): UsagePlan {
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
