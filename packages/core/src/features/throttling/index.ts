/**
 * Stage and method throttling, then the account-level limit: each method of the stage has its own token bucket
 * (REST `methodSettings` `/{resource}/{METHOD}`, else the stage default {@link EVERY_METHOD}; HTTP APIs `routeSettings[routeKey]`,
 * else `defaultRouteSettings`), shared by every client; the account bucket is shared by every method of every
 * gateway on the same store. A refusal is 429 `THROTTLED` (`{"message":"Too Many Requests"}`).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-throttling.html
 */
import { compileBucketPolicy, ThrottleError, type BucketPolicy, type Store } from '@gatehousejs/throttle'
import type { MethodDefinition } from '../../definition'
import { GatewayConfigError } from '../../errors'
import { stateKey, type Feature, type GatewayContext } from '../types'
import { AWS_ACCOUNT_THROTTLE, type MethodThrottleSettings } from './options'

export { AWS_ACCOUNT_THROTTLE, type MethodThrottleSettings } from './options'
import { limitsContext, sequence, take, type Check } from '../limits'
import { guardStore } from './guard'
import { canonicalMethodKey, EVERY_METHOD } from '../../method-settings'

/** Policies by name per store: gateways sharing an in-memory store must share the policy object to share buckets. */
const policies = new WeakMap<Store, Map<string, BucketPolicy>>()

function sharedPolicy(store: Store, name: string, rate: number, burst: number, at: string): BucketPolicy {
  let byName = policies.get(store)
  if (!byName) policies.set(store, (byName = new Map()))
  const hit = byName.get(name)
  if (hit && hit.rate === rate && hit.burst === burst) return hit
  try {
    const policy = compileBucketPolicy({ rate, burst, name })
    byName.set(name, policy)
    return policy
  } catch (e) {
    if (e instanceof ThrottleError) throw new GatewayConfigError('INVALID_OPTION', `${at}: ${e.message}`, undefined, { cause: e })
    throw e
  }
}

function settingsOf(s: unknown, at: string): { rate: number; burst: number } {
  if (typeof s !== 'object' || s === null)
    throw new GatewayConfigError('INVALID_OPTION', `${at} must be { throttlingRateLimit, throttlingBurstLimit }`)
  const { throttlingRateLimit: rate = AWS_ACCOUNT_THROTTLE.rateLimit, throttlingBurstLimit: burst = AWS_ACCOUNT_THROTTLE.burstLimit } =
    s as MethodThrottleSettings
  return { rate, burst }
}

interface StageThrottling {
  /** REST: canonical method key (`/pets/GET`, `/pets/*`, {@link EVERY_METHOD}) → settings; HTTP: route key or `$default` marker. */
  settings: Map<string, { rate: number; burst: number }>
  account: { rate: number; burst: number } | null
}

const STAGE_THROTTLING = stateKey<StageThrottling>('throttling')

function stageThrottlingOf(gateway: GatewayContext): StageThrottling {
  return gateway.state.get(STAGE_THROTTLING, () => {
    const t = stageThrottling(gateway)
    const { api } = gateway
    const store = limitsContext(gateway).store
    // Compile every bucket now so a bad rate or burst fails the build, not the first request.
    for (const [key, s] of t.settings)
      sharedPolicy(store, `gh:stage:${api.apiId}:${api.stage}:${key}`, s.rate, s.burst, `stage settings "${key}"`)
    if (t.account) sharedPolicy(store, `gh:account:${api.accountId}:${api.region}`, t.account.rate, t.account.burst, 'accountThrottle')
    return t
  })
}

function stageThrottling({ definition, input, api }: GatewayContext): StageThrottling {
  const settings = new Map<string, { rate: number; burst: number }>()
  const stage = typeof input.stage === 'object' ? input.stage : undefined
  if (api.apiType === 'REST') {
    const methods = new Set<string>()
    for (const [path, ms] of Object.entries(definition.resources)) {
      for (const m of Object.keys(ms as Record<string, MethodDefinition>)) methods.add(`${path}/${m.toUpperCase()}`)
    }
    for (const [raw, s] of Object.entries(stage?.methodSettings ?? {})) {
      const at = `stage.methodSettings["${raw}"]`
      const key = canonicalMethodKey(raw)
      if (key === null) throw new GatewayConfigError('INVALID_OPTION', `${at}: a key must be "${EVERY_METHOD}" or "/{resource}/{METHOD}"`)
      const resource = key.slice(0, key.lastIndexOf('/'))
      if (key !== EVERY_METHOD && !(key.endsWith('/*') ? definition.resources[resource] !== undefined : methods.has(key))) {
        throw new GatewayConfigError('INVALID_OPTION', `${at}: the API has no method ${key}`)
      }
      settings.set(key, settingsOf(s, at))
    }
  } else {
    if (stage?.defaultRouteSettings) settings.set('*/*', settingsOf(stage.defaultRouteSettings, 'stage.defaultRouteSettings'))
    for (const [routeKey, s] of Object.entries(stage?.routeSettings ?? {}))
      settings.set(routeKey, settingsOf(s, `stage.routeSettings["${routeKey}"]`))
  }
  let account: StageThrottling['account'] = null
  if (input.accountThrottle !== undefined) {
    const a = input.accountThrottle
    if (typeof a !== 'object' || a === null)
      throw new GatewayConfigError('INVALID_OPTION', '`accountThrottle` must be { rateLimit, burstLimit }')
    account = { rate: a.rateLimit, burst: a.burstLimit }
  }
  return { settings, account }
}

/**
 * The stage/method and account throttling stage.
 *
 * @example
 * ```ts
 * createGateway({ api, stage: { stageName: 'prod', methodSettings: { [EVERY_METHOD]: { throttlingRateLimit: 100, throttlingBurstLimit: 200 } } } })
 * ```
 */
export const throttlingFeature: Feature = {
  name: 'throttling',
  validate(gateway) {
    stageThrottlingOf(gateway)
  },
  compileRoute(ctx) {
    const t = stageThrottlingOf(ctx)
    const limits = limitsContext(ctx)
    const { api, resourcePath, httpMethod } = ctx
    const checks: Check[] = []
    let s: { rate: number; burst: number } | undefined
    if (api.apiType === 'REST') {
      const key = canonicalMethodKey(`${resourcePath}/${httpMethod}`)
      s = (key !== null ? t.settings.get(key) : undefined) ?? t.settings.get(`${resourcePath}/*`) ?? t.settings.get('*/*')
    } else {
      const routeKey = resourcePath === '$default' ? '$default' : `${httpMethod} ${resourcePath}`
      s = t.settings.get(routeKey) ?? t.settings.get('*/*')
    }
    const shared = () => ''
    if (s) {
      // Each method has its own bucket at the stage's settings (API Gateway throttles per method).
      const name = `gh:stage:${api.apiId}:${api.stage}:${resourcePath}/${httpMethod}`
      checks.push(
        guardStore(take(limits.store, sharedPolicy(limits.store, name, s.rate, s.burst, name), shared, limits.headers ? 'stage' : null)),
      )
    }
    if (t.account) {
      const name = `gh:account:${api.accountId}:${api.region}`
      checks.push(
        guardStore(
          take(
            limits.store,
            sharedPolicy(limits.store, name, t.account.rate, t.account.burst, 'accountThrottle'),
            shared,
            limits.headers ? 'account' : null,
          ),
        ),
      )
    }
    if (checks.length === 0) return null
    // The quota stage comes after this one on methods that need an API key; it writes the headers there.
    const last = !(ctx.method.apiKeyRequired && api.apiType === 'REST' && limits.registry)
    return { before: sequence(checks, limits.headers, last) }
  },
}
