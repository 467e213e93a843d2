/**
 * The stage cache (REST APIs): after validation, a cacheable method looks its key up and a hit answers without
 * calling the integration; after the integration, the response is stored for the method's TTL. `Cache-Control:
 * max-age=0` from a caller allowed to (`execute-api:InvalidateCache`, or no authorization required) skips the
 * lookup and replaces the entry.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-caching.html
 * https://docs.aws.amazon.com/apigateway/latest/api/API_FlushStageCache.html
 */
import { randomBytes } from 'node:crypto'
import { createEncryptedCache, createResponseCache, type CachedResponse, type ResponseCacheStore } from '@gatehousejs/cache'
import type { GatewayInput, StageDefinition } from '../../options'
import { GatewayConfigError } from '../../errors'
import { failure } from '../../gateway-responses'
import type { IamAuthorizer } from '../../policy'
import { iamAuthorizerOf } from '../iam'
import type { RequestState } from '../../state'
import { setOwn } from '../../http'
import type { GatewayRequest, GatewayResponse, HeaderMap } from '../../types'
import { conditionContext, methodArn } from '../resource-policy'
import { stateKey, type Feature, type GatewayContext, type GatewayState } from '../types'
import { compileCacheKey } from './key'
import type { StageCacheStats } from './options'
import { checkMethodSettings, clusterBytes, routeSettings, sharedCacheEntries } from './settings'

export { CACHE_CLUSTER_SIZES } from './settings'
export type { CacheInvalidationRequest, StageCacheStats } from './options'

interface StageCache {
  store: ResponseCacheStore
  encrypted: ResponseCacheStore | null
  stats: StageCacheStats
  mayInvalidate: (state: RequestState) => boolean | Promise<boolean>
}

/** A gateway's stage cache: null when its stage has none. */
const STAGE_CACHE = stateKey<StageCache | null>('stage-cache')

function stageCacheOf(gateway: GatewayContext): StageCache | null {
  return gateway.state.get(STAGE_CACHE, () => createStageCache(gateway))
}

/**
 * `'hit'` or `'miss'` when the request went through a cached method's lookup (`CacheHitCount` /
 * `CacheMissCount` per request), else undefined (not cached, or an authorized `max-age=0` that skipped it).
 */
export function stageCacheOutcome(state: RequestState): 'hit' | 'miss' | undefined {
  return state.cacheOutcome
}

/**
 * `Warning` header API Gateway adds when it ignores an unauthorized `Cache-Control: max-age=0`.
 *
 * @example
 * ```ts
 * import { createGateway, UNAUTHORIZED_CACHE_CONTROL_WARNING } from '@gatehousejs/core'
 * const gw = createGateway({
 *   api: { resources: { '/pets': { GET: { integration: { type: 'AWS_PROXY', uri: 'listPets' } } } } },
 *   functions: { listPets: async () => ({ statusCode: 200, body: '[]' }) },
 *   stage: { stageName: 'prod', cacheClusterEnabled: true },
 * })
 * // An unsigned caller may not invalidate the cache entry: the request is served, with the warning.
 * const res = await gw.handle({ method: 'GET', path: '/pets', headers: { 'cache-control': 'max-age=0' } })
 * res.headers.Warning === UNAUTHORIZED_CACHE_CONTROL_WARNING // true
 * UNAUTHORIZED_CACHE_CONTROL_WARNING // '199 Cache-control headers were ignored because the caller was unauthorized.'
 * ```
 */
export const UNAUTHORIZED_CACHE_CONTROL_WARNING = '199 Cache-control headers were ignored because the caller was unauthorized.'

const MAX_AGE_ZERO = /(?:^|,)\s*max-age\s*=\s*"?0+"?\s*(?=,|$)/i

function wantsInvalidation(headers: HeaderMap): boolean {
  const v = headers['cache-control']
  if (v === undefined) return false
  return typeof v === 'string' ? MAX_AGE_ZERO.test(v) : v.some((x) => MAX_AGE_ZERO.test(x))
}

function isSigned(request: GatewayRequest): boolean {
  const auth = request.headers.authorization
  const a = typeof auth === 'string' ? auth : auth?.[0]
  return a?.startsWith('AWS4-HMAC-SHA256') === true || (request.query ?? '').includes('X-Amz-Signature=')
}

function stageOf(input: GatewayInput): StageDefinition | null {
  return typeof input.stage === 'object' && input.stage !== null ? input.stage : null
}

function fromCache(v: CachedResponse): GatewayResponse {
  // Fresh headers: the pipeline adds per-request headers (request id, CORS) to what it answers.
  const headers: HeaderMap = {}
  for (const name of Object.keys(v.headers)) {
    const h = v.headers[name]!
    setOwn(headers, name, typeof h === 'string' ? h : [...h])
  }
  return { statusCode: v.statusCode, headers, body: v.body }
}

function buildInvalidationCheck(input: GatewayInput, iamAuthorizer: IamAuthorizer | null): StageCache['mayInvalidate'] {
  const hook = input.authorizeCacheInvalidation
  if (hook !== undefined) {
    if (typeof hook !== 'function') throw new GatewayConfigError('INVALID_OPTION', '`authorizeCacheInvalidation` must be a function')
    return (state) => {
      try {
        const r = hook({
          request: state.request,
          methodArn: methodArn(state),
          authorizer: state.authorizer,
          userArn: state.identity.userArn,
        })
        // A throwing or rejecting hook denies: invalidation is a privilege.
        return r instanceof Promise
          ? r.then(
              (x) => x === true,
              () => false,
            )
          : r === true
      } catch {
        return false
      }
    }
  }
  // The AWS_IAM stage's authorizer (the same principals and resource policy), asked about `execute-api:InvalidateCache`.
  const iam = input.principals === undefined ? null : iamAuthorizer
  if (!iam) return () => false
  return async (state) => {
    if (!isSigned(state.request)) return false
    const r = await iam.authorize({
      request: state.request,
      resourceArn: methodArn(state),
      action: 'execute-api:InvalidateCache',
      context: conditionContext(state),
    })
    return r.ok
  }
}

function createStageCache(gateway: GatewayContext): StageCache | null {
  const { definition, input, api } = gateway
  const stage = stageOf(input)
  if (api.apiType !== 'REST') {
    if (stage?.cacheClusterEnabled)
      throw new GatewayConfigError('UNSUPPORTED_FEATURE', 'the stage cache is a REST API feature; HTTP APIs have none')
    return null
  }
  if (!stage?.cacheClusterEnabled) return null
  checkMethodSettings(stage, definition)
  const maxBytes = clusterBytes(stage.cacheClusterSize)
  const given = input.cache
  if (
    given !== undefined &&
    (typeof given !== 'object' || given === null || typeof given.get !== 'function' || typeof given.set !== 'function')
  ) {
    throw new GatewayConfigError('INVALID_OPTION', '`cache` must be a response cache store (get, set, delete, flush, stats)')
  }
  // An injected clock (tests) drives expiry; otherwise the cache's own coarse clock, which reads Date.now() far
  // less often and is never ahead of real time.
  const store = given ?? createResponseCache({ maxBytes, ttlSeconds: 300, ...(input.now !== undefined ? { now: input.now } : {}) })
  const key = input.cacheEncryptionKey
  if (key !== undefined && !(key instanceof Uint8Array && key.byteLength === 32)) {
    throw new GatewayConfigError('INVALID_OPTION', '`cacheEncryptionKey` must be 32 bytes (AES-256)')
  }
  // Without a key, one random key per gateway: entries then stay private to this gateway.
  const encrypted = createEncryptedCache(store, key ?? randomBytes(32))
  return {
    store,
    encrypted,
    stats: { hits: 0, misses: 0, routes: {} },
    mayInvalidate: buildInvalidationCheck(input, iamAuthorizerOf(gateway)),
  }
}

/**
 * Empties the stage cache of a built gateway (API Gateway's `FlushStageCache`). For a shared store this flushes
 * every gateway using the same store (namespace).
 */
export async function flushStageCache(gateway: GatewayState): Promise<void> {
  const c = gateway.peek(STAGE_CACHE)
  if (c) await c.store.flush()
}

/** Hit and miss counts of a built gateway's stage cache, or null when it has none. */
export function stageCacheStats(gateway: GatewayState): StageCacheStats | null {
  const c = gateway.peek(STAGE_CACHE)
  if (!c) return null
  const routes: StageCacheStats['routes'] = {}
  for (const [k, v] of Object.entries(c.stats.routes)) routes[k] = { ...v }
  return { hits: c.stats.hits, misses: c.stats.misses, routes }
}

/**
 * The stage cache stage. Reads the stage's `cacheClusterEnabled`, `cacheClusterSize` and `methodSettings`
 * (`GatewayInput.stage`), the store (`GatewayInput.cache`, in memory by default) and `cacheEncryptionKey`.
 *
 * @example
 * ```ts
 * import { createGateway, EVERY_METHOD } from '@gatehousejs/core'
 * const gw = createGateway({
 *   api: { resources: { '/pets': { GET: { integration: { type: 'AWS_PROXY', uri: 'listPets' } } } } },
 *   functions: { listPets: async () => ({ statusCode: 200, body: '[]' }) },
 *   stage: { stageName: 'prod', cacheClusterEnabled: true, methodSettings: { [EVERY_METHOD]: { cacheTtlInSeconds: 60 } } },
 * })
 * await gw.handle({ method: 'GET', path: '/pets', headers: {} })
 * await gw.flushStageCache()
 * ```
 */
export const cacheFeature: Feature = {
  name: 'cache',

  validate(gateway) {
    stageCacheOf(gateway)
  },

  compileRoute(route) {
    const { api, definition, input, method, httpMethod, resourcePath, at, warn } = route
    const cache = stageCacheOf(route)
    if (!cache) return null
    const settings = routeSettings(stageOf(input)!, resourcePath, httpMethod)
    if (!settings) return null
    const shared = sharedCacheEntries(method, definition)
    if (shared) {
      warn({
        code: 'SHARED_CACHE',
        message:
          `${httpMethod} ${resourcePath} is cached behind ${shared.checks.join(' and ')}, but its cacheKeyParameters name nothing that ` +
          `tells callers apart: a cached response, Set-Cookie included, is shared between callers for up to ${settings.ttlSeconds} s. ` +
          `API Gateway does the same; add ${shared.suggest} to cacheKeyParameters to keep entries per caller.`,
        pointer: at,
      })
    }
    const store = settings.encrypted ? cache.encrypted! : cache.store
    const keyOf = compileCacheKey({ apiId: api.apiId, stage: api.stage, resourcePath }, method.integration, `${at}/integration`)
    const { ttlSeconds, allMethods, requireAuthorization, strategy } = settings
    const counts = (cache.stats.routes[`${httpMethod} ${resourcePath}`] = { hits: 0, misses: 0 })
    const stats = cache.stats

    function lookup(state: RequestState, key: string): GatewayResponse | undefined | Promise<GatewayResponse | undefined> {
      let found: ReturnType<ResponseCacheStore['get']>
      try {
        found = store.get(key)
      } catch (error) {
        // A store that throws is a miss, never a failed request; the operator is told.
        state.reportFailure(error, 'cache', null)
        found = undefined
      }
      const answer = (v: CachedResponse | undefined): GatewayResponse | undefined => {
        if (v === undefined) {
          stats.misses++
          counts.misses++
          state.cacheOutcome = 'miss'
          state.cacheKey = key
          return undefined
        }
        stats.hits++
        counts.hits++
        state.cacheOutcome = 'hit'
        return fromCache(v)
      }
      return found instanceof Promise
        ? found.then(answer, (error: unknown) => {
            state.reportFailure(error, 'cache', null)
            return answer(undefined)
          })
        : answer(found)
    }

    function invalidate(state: RequestState, key: string, allowed: boolean) {
      if (allowed) {
        // Straight to the integration; its answer replaces the entry.
        state.cacheKey = key
        return undefined
      }
      if (strategy === 'FAIL_WITH_403') return failure('ACCESS_DENIED')
      if (strategy === 'SUCCEED_WITH_RESPONSE_HEADER') state.responseHeaders.Warning = UNAUTHORIZED_CACHE_CONTROL_WARNING
      return lookup(state, key)
    }

    return {
      before(state) {
        if (!allMethods && state.request.method !== 'GET') return undefined
        const key = keyOf(state)
        if (!wantsInvalidation(state.request.headers)) return lookup(state, key)
        if (!requireAuthorization) return invalidate(state, key, true)
        const allowed = cache.mayInvalidate(state)
        return allowed instanceof Promise ? allowed.then((ok) => invalidate(state, key, ok)) : invalidate(state, key, allowed)
      },
      after(state, response) {
        const key = state.cacheKey
        if (key === undefined) return undefined
        state.cacheKey = undefined
        let stored: unknown
        try {
          stored = store.set(key, response, ttlSeconds)
        } catch (error) {
          // A cache that cannot store is a miss next time, never a failed request; the operator is told.
          state.reportFailure(error, 'cache', null)
          return undefined
        }
        return stored instanceof Promise
          ? stored.then(
              () => undefined,
              (error: unknown) => void state.reportFailure(error, 'cache', null),
            )
          : undefined
      },
    }
  },
}
