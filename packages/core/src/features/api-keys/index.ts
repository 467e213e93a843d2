/**
 * The API-key step: a method with `apiKeyRequired` needs a key from the API's key source (`x-api-key` header, or
 * the Lambda authorizer's `usageIdentifierKey`) that exists, is enabled and belongs to a usage plan bound to
 * this API stage; else 403 `INVALID_API_KEY` (`{"message":"Forbidden"}`). The admitted request is then throttled
 * by the plan, per key: the plan's per-method limit for this method first, then the plan's own limit.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-key-source.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html
 */
import type { BucketPolicy } from '@gatehousejs/throttle'
import { failure } from '../../gateway-responses'
import { lastHeaderValue } from '../../http'
import type { RequestState } from '../../state'
import type { KeyRecord, PlanRecord, RegistryCore } from '../usage-plans/records'
import { keySlot, MAX_KEY_LENGTH, sameSecret } from './digest'
import { stateKey, type Feature, type RouteContext } from '../types'
import { importApiKeyRequired, importApiKeySource } from './import'
import { limitsContext, sequence, take, type Check } from '../limits'
import { canonicalMethodKey, EVERY_METHOD } from '../../method-settings'

const INVALID_API_KEY = failure('INVALID_API_KEY')

interface Binding {
  plan: PlanRecord
  /** The plan's per-method buckets for this API stage. */
  methods: Map<string, BucketPolicy>
}

/** This API stage's keys: by key id, the plan that admits it; by slot, the bound keys' records. */
interface StageIndex {
  bindings: Map<string, Binding>
  bySlot: Map<number, KeyRecord[]>
}

/** The API stage's index, rebuilt when the registry changed. */
function stageIndex(registry: RegistryCore, apiId: string, stage: string): () => StageIndex {
  let version = -1
  let index: StageIndex = { bindings: new Map(), bySlot: new Map() }
  return () => {
    if (version === registry.version) return index
    const bindings = new Map<string, Binding>()
    for (const plan of registry.plans.values()) {
      const i = plan.apiStages.findIndex((s) => s.stage === stage && (s.apiId === undefined || s.apiId === apiId))
      if (i === -1) continue
      for (const keyId of plan.keys) if (!bindings.has(keyId)) bindings.set(keyId, { plan, methods: plan.methodBuckets[i]! })
    }
    const bySlot = new Map<number, KeyRecord[]>()
    for (const key of registry.keys.values()) {
      if (!bindings.has(key.id)) continue
      const slot = keySlot(key.value)
      const held = bySlot.get(slot)
      if (held) held.push(key)
      else bySlot.set(slot, [key])
    }
    index = { bindings, bySlot }
    version = registry.version
    return index
  }
}

/** The gateway's index of the API stage's keys, rebuilt when the registry changes. */
const KEY_INDEX = stateKey<() => StageIndex>('api-keys')

function indexFor(ctx: RouteContext, registry: RegistryCore): () => StageIndex {
  return ctx.state.get(KEY_INDEX, () => stageIndex(registry, ctx.api.apiId, ctx.api.stage))
}

/**
 * The API-key and usage-plan throttle stage.
 *
 * @example
 * ```ts
 * // Registered in FEATURES after authorization; a method with apiKeyRequired gets its stage.
 * const gw = createGateway({ api, apiKeys: [{ id: 'k1', value: 'k'.repeat(20) }], usagePlans: [{ id: 'p', apiStages: [{ stage: 'prod' }], keys: ['k1'] }] })
 * ```
 */
export const apiKeysFeature: Feature = {
  name: 'api-keys',
  apiExtensions: ['x-amazon-apigateway-api-key-source'],
  operationExtensions: ['security'],
  importApi: (doc, api) => importApiKeySource(doc, api),
  importOperation: importApiKeyRequired,
  validate(gateway) {
    limitsContext(gateway)
  },
  compileRoute(ctx) {
    if (!ctx.method.apiKeyRequired) return null
    if (ctx.api.apiType !== 'REST') {
      ctx.warn({ code: 'IGNORED_SETTING', message: 'apiKeyRequired applies to REST APIs only', pointer: `${ctx.at}/apiKeyRequired` })
      return null
    }
    const limits = limitsContext(ctx)
    const fromAuthorizer = ctx.definition.apiKeySource === 'AUTHORIZER'
    const registry = limits.registry
    // No keys and no plans: no key can be valid, every request is refused.
    if (!registry) return { before: () => INVALID_API_KEY }
    const index = indexFor(ctx, registry)
    const methodKey = canonicalMethodKey(`${ctx.resourcePath}/${ctx.httpMethod}`)
    const candidates = methodKey === null ? [EVERY_METHOD] : [methodKey, `${ctx.resourcePath}/*`, EVERY_METHOD]

    const identify: Check = (state) => {
      const value = fromAuthorizer ? state.usageIdentifierKey : lastHeaderValue(state.request.headers, 'x-api-key')
      if (!value || value.length > MAX_KEY_LENGTH) return INVALID_API_KEY
      // Keys are found by a slot hashed with a per-process secret, never by the value: what a lookup's timing could
      // reveal is about slots, which say nothing of the keys. The values are then compared in constant time.
      const { bindings, bySlot } = index()
      const held = bySlot.get(keySlot(value))
      if (held === undefined) return INVALID_API_KEY
      let key: KeyRecord | undefined
      for (const k of held) if (sameSecret(k.value, value)) key = k
      if (!key?.enabled) return INVALID_API_KEY
      const bound = bindings.get(key.id)
      if (!bound) return INVALID_API_KEY
      state.identity.apiKey = value
      state.identity.apiKeyId = key.id
      state.usagePlanKey = { plan: bound.plan, keyId: key.id, methods: bound.methods }
      return undefined
    }
    const keyOf = (state: RequestState) => state.usagePlanKey!.keyId
    const checks = new Map<BucketPolicy, Check>()
    const checkFor = (policy: BucketPolicy, name: string): Check => {
      let check = checks.get(policy)
      if (!check) checks.set(policy, (check = take(registry.store, policy, keyOf, limits.headers ? name : null)))
      return check
    }
    // Per-key per-method, then per-key: the narrow level first, as API Gateway applies them.
    const perMethod: Check = (state) => {
      // The plan's per-method buckets for this stage, found with the key (one index lookup a request).
      const methods = state.usagePlanKey!.methods
      if (methods.size === 0) return undefined
      let policy: BucketPolicy | undefined
      for (const c of candidates) if ((policy = methods.get(c))) break
      return policy ? checkFor(policy, 'usage-plan-method')(state) : undefined
    }
    const perPlan: Check = (state) => {
      const policy = state.usagePlanKey!.plan.bucket
      return policy ? checkFor(policy, 'usage-plan')(state) : undefined
    }
    return { before: sequence([identify, perMethod, perPlan], limits.headers, false) }
  },
}
