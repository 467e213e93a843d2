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
import type { PlanRecord, RegistryCore } from '../usage-plans/records'
import { sameDigest } from './digest'
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

/** Key id → the plan that admits it on this API stage; rebuilt when the registry changed. */
function stageIndex(registry: RegistryCore, apiId: string, stage: string): () => Map<string, Binding> {
  let version = -1
  let index = new Map<string, Binding>()
  return () => {
    if (version === registry.version) return index
    const next = new Map<string, Binding>()
    for (const plan of registry.plans.values()) {
      const i = plan.apiStages.findIndex((s) => s.stage === stage && (s.apiId === undefined || s.apiId === apiId))
      if (i === -1) continue
      for (const keyId of plan.keys) if (!next.has(keyId)) next.set(keyId, { plan, methods: plan.methodBuckets[i]! })
    }
    index = next
    version = registry.version
    return index
  }
}

/** The gateway's index from key id to plan binding, rebuilt when the registry changes. */
const KEY_INDEX = stateKey<() => Map<string, Binding>>('api-keys')

function indexFor(ctx: RouteContext, registry: RegistryCore): () => Map<string, Binding> {
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
      if (!value) return INVALID_API_KEY
      const digest = registry.digest(value)
      // Keys are found by a salted SHA-256 of the value, never by the value: what a lookup's timing could reveal
      // is about digests, which say nothing of the keys. The digests themselves are compared in constant time.
      const key = registry.keysByDigest.get(digest)
      if (!key || !sameDigest(key.digest, digest) || !key.enabled) return INVALID_API_KEY
      const bound = index().get(key.id)
      if (!bound) return INVALID_API_KEY
      state.identity.apiKey = value
      state.identity.apiKeyId = key.id
      state.usagePlanKey = { plan: bound.plan, keyId: key.id }
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
      const bound = index().get(state.usagePlanKey!.keyId)
      if (!bound || bound.methods.size === 0) return undefined
      let policy: BucketPolicy | undefined
      for (const c of candidates) if ((policy = bound.methods.get(c))) break
      return policy ? checkFor(policy, 'usage-plan-method')(state) : undefined
    }
    const perPlan: Check = (state) => {
      const policy = state.usagePlanKey!.plan.bucket
      return policy ? checkFor(policy, 'usage-plan')(state) : undefined
    }
    return { before: sequence([identify, perMethod, perPlan], limits.headers, false) }
  },
}
