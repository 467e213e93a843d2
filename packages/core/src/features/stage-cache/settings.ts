/**
 * Stage cache settings: the stage's `cacheClusterEnabled` / `cacheClusterSize`, and `methodSettings` merged per
 * method as API Gateway does (a method override starts from the stage-wide settings, field by field).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-caching.html
 * https://docs.aws.amazon.com/apigateway/latest/api/API_MethodSetting.html
 */
import type { StageDefinition } from '../../options'
import type { ApiDefinition, MethodDefinition, MethodSetting } from '../../definition'
import { GatewayConfigError, toText } from '../../errors'
import { EVERY_METHOD } from '../../method-settings'

/**
 * AWS's cache cluster sizes, in GB: the values `cacheClusterSize` takes (a number of bytes is accepted too).
 *
 * @example
 * ```ts
 * import { CACHE_CLUSTER_SIZES, createGateway } from '@gatehousejs/core'
 * CACHE_CLUSTER_SIZES[0] // '0.5'
 * const gw = createGateway({
 *   api: { resources: { '/pets': { GET: { integration: { type: 'AWS_PROXY', uri: 'listPets' } } } } },
 *   functions: { listPets: async () => ({ statusCode: 200, body: '[]' }) },
 *   // A 1.6 GB cache.
 *   stage: { stageName: 'prod', cacheClusterEnabled: true, cacheClusterSize: CACHE_CLUSTER_SIZES[1] },
 * })
 * gw.stageCacheStats() // { hits: 0, misses: 0, routes: { 'GET /pets': { hits: 0, misses: 0 } } }
 * ```
 */
export const CACHE_CLUSTER_SIZES = ['0.5', '1.6', '6.1', '13.5', '28.4', '58.2', '118', '237'] as const

const STRATEGIES = ['FAIL_WITH_403', 'SUCCEED_WITH_RESPONSE_HEADER', 'SUCCEED_WITHOUT_RESPONSE_HEADER'] as const
export type UnauthorizedStrategy = (typeof STRATEGIES)[number]

/** One method's effective cache settings. */
export interface RouteCacheSettings {
  /** Which request methods this route caches: every one (an explicit per-method override), or GET only. */
  allMethods: boolean
  ttlSeconds: number
  encrypted: boolean
  requireAuthorization: boolean
  strategy: UnauthorizedStrategy
}

/**
 * `cacheClusterSize` as a byte budget: one of AWS's sizes (GB, as a string or a number) maps to that many
 * thousand MiB (`0.5` → 500 MiB); any other integer of at least 1024 is bytes.
 */
export function clusterBytes(size: string | number | undefined): number {
  if (size === undefined) return 500 * 2 ** 20
  const asText = toText(size)
  if ((CACHE_CLUSTER_SIZES as readonly string[]).includes(asText)) return Math.round(Number(asText) * 1000 * 2 ** 20)
  if (typeof size === 'number' && Number.isSafeInteger(size) && size >= 1024) return size
  throw new GatewayConfigError(
    'INVALID_OPTION',
    `cacheClusterSize must be one of ${CACHE_CLUSTER_SIZES.join(', ')} (GB) or a number of bytes >= 1024, got ${JSON.stringify(size)}`,
  )
}

function decodeResource(raw: string): string {
  // GetStage spells `/pets/{id}` as `~1pets~1{id}`; a plain path is accepted too.
  return raw.startsWith('/') ? raw : raw.replace(/~1/g, '/').replace(/~0/g, '~')
}

/** Checks every setting once, when the gateway is built. */
export function checkMethodSettings(stage: StageDefinition, definition: ApiDefinition): void {
  const settings = stage.methodSettings
  if (settings === undefined) return
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) {
    throw new GatewayConfigError(
      'INVALID_OPTION',
      `stage.methodSettings must be an object keyed by "${EVERY_METHOD}" or "/{resource}/{METHOD}"`,
    )
  }
  for (const [key, s] of Object.entries(settings)) {
    const where = `stage.methodSettings[${JSON.stringify(key)}]`
    if (key !== EVERY_METHOD) {
      const slash = key.lastIndexOf('/')
      const resource = slash <= 0 ? '' : decodeResource(key.slice(0, slash))
      const method = key.slice(slash + 1)
      const methods = Object.hasOwn(definition.resources, resource) ? definition.resources[resource] : undefined
      if (!methods) throw new GatewayConfigError('INVALID_OPTION', `${where}: no resource "${resource}" in the API`)
      if (method !== '*' && !Object.keys(methods).some((m) => m.toUpperCase() === method)) {
        throw new GatewayConfigError('INVALID_OPTION', `${where}: resource "${resource}" has no ${method} method`)
      }
    }
    if (typeof s !== 'object' || s === null) throw new GatewayConfigError('INVALID_OPTION', `${where} must be an object`)
    for (const flag of ['cachingEnabled', 'cacheDataEncrypted', 'requireAuthorizationForCacheControl'] as const) {
      if (s[flag] !== undefined && typeof s[flag] !== 'boolean')
        throw new GatewayConfigError('INVALID_OPTION', `${where}.${flag} must be a boolean`)
    }
    const ttl = s.cacheTtlInSeconds
    if (ttl !== undefined && !(Number.isInteger(ttl) && ttl >= 0 && ttl <= 3600)) {
      throw new GatewayConfigError(
        'INVALID_OPTION',
        `${where}.cacheTtlInSeconds must be an integer from 0 to 3600, got ${JSON.stringify(ttl)}`,
      )
    }
    const strategy = s.unauthorizedCacheControlHeaderStrategy
    if (strategy !== undefined && !(STRATEGIES as readonly string[]).includes(strategy)) {
      throw new GatewayConfigError(
        'INVALID_OPTION',
        `${where}.unauthorizedCacheControlHeaderStrategy must be one of ${STRATEGIES.join(', ')}`,
      )
    }
  }
}

/**
 * The effective settings of one method, or null when it does not cache. Precedence, field by field:
 * `/{resource}/{METHOD}`, then `/{resource}/*`, then the stage-wide entry, then AWS's defaults. Stage-wide
 * `cachingEnabled` (and the default) apply to GET only: other methods cache only through their own override.
 */
export function routeSettings(stage: StageDefinition, resourcePath: string, httpMethod: string): RouteCacheSettings | null {
  const all = stage.methodSettings ?? {}
  const own: MethodSetting[] = []
  for (const [key, s] of Object.entries(all)) {
    if (key === EVERY_METHOD) continue
    const slash = key.lastIndexOf('/')
    if (decodeResource(key.slice(0, slash)) !== resourcePath) continue
    const method = key.slice(slash + 1)
    if (method === httpMethod) own.unshift(s)
    else if (method === '*') own.push(s)
  }
  const wide: MethodSetting = Object.hasOwn(all, EVERY_METHOD) ? all[EVERY_METHOD]! : {}
  const pick = <K extends keyof MethodSetting>(k: K): MethodSetting[K] => {
    for (const s of own) if (s[k] !== undefined) return s[k]
    return wide[k]
  }
  const ownEnabled = own.find((s) => s.cachingEnabled !== undefined)?.cachingEnabled
  let allMethods = false
  if (ownEnabled === false) return null
  if (ownEnabled === true) allMethods = true
  else if (wide.cachingEnabled === false) return null
  else if (httpMethod !== 'GET' && httpMethod !== 'ANY') return null
  const ttlSeconds = pick('cacheTtlInSeconds') ?? 300
  if (ttlSeconds === 0) return null
  return {
    allMethods,
    ttlSeconds,
    encrypted: pick('cacheDataEncrypted') ?? false,
    requireAuthorization: pick('requireAuthorizationForCacheControl') ?? true,
    strategy: pick('unauthorizedCacheControlHeaderStrategy') ?? 'SUCCEED_WITH_RESPONSE_HEADER',
  }
}

// Which callers share an entry. A method's cache key is only what `cacheKeyParameters` names (API Gateway's
// behaviour): behind an authorizer, IAM or an API key, a key that names no identity serves one caller's response,
// `Set-Cookie` included, to every other caller. Kept (AWS parity), but announced at build time.

const METHOD_SOURCE = /^method\.request\.(header|multivalueheader|querystring|multivaluequerystring)\.(.+)$/

/** `header:name` (lower-case) or `querystring:Name` for a method request parameter, else null. */
function parameterId(source: string): string | null {
  const m = METHOD_SOURCE.exec(source.trim())
  if (!m) return null
  return m[1]!.endsWith('header') ? `header:${m[2]!.toLowerCase()}` : `querystring:${m[2]!}`
}

/**
 * When a cached method's key cannot tell callers apart although the method checks who they are: the checks
 * (`'a Lambda authorizer'`, `'IAM'`, `'an API key'`) and an identity parameter to suggest; null when entries are
 * per caller or the method is open.
 *
 * @example
 * ```ts
 * sharedCacheEntries({ authorizationType: 'AWS_IAM', integration: { type: 'HTTP', cacheKeyParameters: [] } }, definition)
 * // { checks: ['IAM'], suggest: 'method.request.header.Authorization' }
 * ```
 */
export function sharedCacheEntries(method: MethodDefinition, definition: ApiDefinition): { checks: string[]; suggest: string } | null {
  const checks: string[] = []
  const identity = new Set<string>()
  let suggest = ''
  const type = typeof method.authorizationType === 'string' ? method.authorizationType.toUpperCase() : 'NONE'
  const authorizers = definition.authorizers ?? {}
  const authorizer =
    typeof method.authorizer === 'string' && Object.hasOwn(authorizers, method.authorizer) ? authorizers[method.authorizer] : undefined
  if (type === 'CUSTOM' || type === 'COGNITO_USER_POOLS') {
    checks.push(type === 'CUSTOM' ? 'a Lambda authorizer' : 'a Cognito user pool authorizer')
    const sources = authorizer?.identitySource ?? (authorizer?.type === 'REQUEST' ? '' : 'method.request.header.Authorization')
    for (const s of sources.split(',')) {
      const id = parameterId(s)
      if (id === null) continue
      identity.add(id)
      suggest ||= s.trim()
    }
  } else if (type === 'AWS_IAM') {
    checks.push('IAM')
    // The signature names the caller's access key: in the Authorization header, or a presigned query string.
    for (const id of ['header:authorization', 'header:x-amz-security-token', 'querystring:X-Amz-Credential']) identity.add(id)
    suggest = 'method.request.header.Authorization'
  }
  if (method.apiKeyRequired === true) {
    checks.push('an API key')
    if (definition.apiKeySource !== 'AUTHORIZER') {
      identity.add('header:x-api-key')
      suggest ||= 'method.request.header.x-api-key'
    }
  }
  if (checks.length === 0) return null
  const integration = method.integration
  const mapped = integration?.requestParameters ?? {}
  for (const param of Array.isArray(integration?.cacheKeyParameters) ? integration.cacheKeyParameters : []) {
    if (typeof param !== 'string') continue
    // An integration parameter keys the cache by the method parameter it is mapped from.
    const from = param.startsWith('integration.request.') && Object.hasOwn(mapped, param) ? mapped[param]! : param
    const id = parameterId(from)
    if (id !== null && identity.has(id)) return null
  }
  return { checks, suggest: suggest || 'the identity source' }
}
