/**
 * `createGateway`: validate the definition once and compile it into a route table of ready closures. A request
 * only looks things up and runs the stages its route needs.
 */
import { createHash, randomUUID } from 'node:crypto'
import { createRouter, RouterError, type Router } from '@gatehousejs/router'
import { compileCors, type CompiledCors } from './cors'
import type { ApiDefinition, ApiType, IntegrationDefinition, MethodDefinition, MethodSetting } from './definition'
import { GatewayConfigError, pointer, toText } from './errors'
import { compileGatewayResponses, type RenderFailure } from './gateway-response-render'
import { failure, type GatewayFailure } from './gateway-responses'
import { bodyLength, mediaTypeMatcher } from './http'
import { compileIntegration, type IntegrationResult } from './integrations'
import type { LambdaHandler } from './integrations/lambda'
import { requestContextV1 } from './integrations/proxy-event'
import { FEATURES } from './features'
import type { AfterStage, Stage } from './features/types'
import type { IamPrincipals } from './features/iam'
import type { AuthorizationOptions } from './features/authorizers'
import { flushStageCache, stageCacheStats, type CacheInvalidationRequest, type StageCacheStats } from './features/cache'
import type { ResponseCacheStore } from '@gatehousejs/cache'
import type { MethodThrottleSettings } from './features/keys'
import type { ApiKeyDefinition, ThrottleSettings, UsagePlanDefinition, UsagePlanRegistry } from './usage-plans-admin'
import type { Store } from '@gatehousejs/throttle'
import { importOpenApi, isOpenApiDocument, type GatewayWarning } from './openapi-import'
import { reportError, type ErrorReporter } from './report'
import { RequestState } from './state'
import type { GatewayRequest, GatewayResponse, HeaderMap } from './types'
import type { EVERY_METHOD } from './method-settings'
import type { TemplateOptions } from '@gatehousejs/vtl'

/** A stage as API Gateway deploys one. */
export interface StageDefinition {
  stageName: string
  /** Stage variables (`$stageVariables`, `${stageVariables.x}` in integration URIs). */
  variables?: Record<string, string>
  deploymentId?: string
  /**
   * REST stage throttling (`methodSettings`): {@link EVERY_METHOD} for every method, `/{resource}/{METHOD}` (e.g. `/pets/{id}/GET`,
   * or `~1pets~1{id}/GET`) for one; each method gets its own bucket, shared by all clients.
   */
  methodSettings?: Record<string, MethodThrottleSettings & MethodSetting>
  /** HTTP API stage throttling for every route (`defaultRouteSettings`). */
  defaultRouteSettings?: MethodThrottleSettings
  /** HTTP API throttling per route key (`GET /pets`, `$default`). */
  routeSettings?: Record<string, MethodThrottleSettings>
  /** Provision the stage cache (REST APIs). GET methods are then cached for 300 s unless `methodSettings` say otherwise. */
  cacheClusterEnabled?: boolean
  /**
   * The cache's memory budget: one of AWS's sizes in GB (`'0.5'` default, `'1.6'`, `'6.1'`, `'13.5'`, `'28.4'`,
   * `'58.2'`, `'118'`, `'237'`; GB read as 1000 MiB), or a number of bytes (>= 1024). Ignored with a `cache` store.
   */
  cacheClusterSize?: string | number
}

/**
 * What `createGateway` takes.
 *
 * @example
 * ```ts
 * const input: GatewayInput = { api: openapiDocument, stage: 'prod', functions: { getPet: async () => ({ statusCode: 200 }) } }
 * ```
 */
export interface GatewayInput {
  /** An OpenAPI 3.0 / Swagger 2.0 document with `x-amazon-apigateway-*` extensions, or the native definition. */
  api: ApiDefinition | Record<string, unknown>
  /** How the API would be imported into API Gateway: `REST` (default) or `HTTP`. */
  apiType?: ApiType
  /** The stage served: a name, or a stage with variables. Default `prod` (REST) / `$default` (HTTP). */
  stage?: string | StageDefinition
  /** In-process Lambda functions, keyed by function name, `name:qualifier`, function ARN or integration URI. */
  functions?: Record<string, LambdaHandler>
  /**
   * Path prefix every request must carry, removed before routing: a custom domain's base path mapping (`/v1`).
   * With `stageInPath`, the stage name follows it, as on `execute-api` URLs (`/prod/pets`).
   */
  basePath?: string
  stageInPath?: boolean
  /** A request that matches no route: API Gateway's answer (`respond`, default) or the host app (`passthrough`). */
  unmatched?: 'respond' | 'passthrough'
  /** Warnings about unimplemented extensions become errors (the `SHARED_CACHE` notice stays a warning). */
  strict?: boolean
  /** Called once per warning at build time (default: `console.warn`). */
  onWarning?: (warning: GatewayWarning) => void
  apiId?: string
  accountId?: string
  region?: string
  /**
   * Callers of `AWS_IAM` methods: IAM users and role sessions with their access keys and identity policies (a list,
   * or a map from access key id). Requests are SigV4-verified for `region` and service `execute-api`.
   */
  principals?: IamPrincipals
  /** Lambda, Cognito and JWT authorizers: the Lambda authorizer timeout, result-cache size, where issuers' keys are. */
  authorization?: AuthorizationOptions
  /** API keys (with `usagePlans` as a list): `{ id?, name?, value?, enabled? }`; values of 20 to 128 characters. */
  apiKeys?: readonly ApiKeyDefinition[]
  /**
   * Usage plans (throttle, quota, API stages with per-method throttles, key ids), or a registry from
   * `createUsagePlanRegistry` to create, disable and delete keys and read usage while the gateway runs.
   */
  usagePlans?: readonly UsagePlanDefinition[] | UsagePlanRegistry
  /** Account-level throttle shared by every method (off by default; `AWS_ACCOUNT_THROTTLE` is AWS's default). */
  accountThrottle?: ThrottleSettings
  /** Where token buckets and quotas live (default: in memory); a Redis store shares them across processes. */
  store?: Store
  /** Send the IETF draft `RateLimit` / `RateLimit-Policy` headers (API Gateway does not). Default false. */
  rateLimitHeaders?: boolean
  /**
   * Where the stage cache keeps responses (default: in memory, bounded by `cacheClusterSize`): e.g.
   * `createRedisResponseCache` from `@gatehousejs/redis` to share one cache between processes.
   */
  cache?: ResponseCacheStore
  /** The AES-256-GCM key (32 bytes) of `cacheDataEncrypted` methods; default a random key per gateway. */
  cacheEncryptionKey?: Uint8Array
  /**
   * Who may invalidate a cache entry with `Cache-Control: max-age=0` when the method requires authorization.
   * Default: a SigV4-signed request from one of `principals` allowed `execute-api:InvalidateCache` on the method.
   */
  authorizeCacheInvalidation?: (caller: CacheInvalidationRequest) => boolean | Promise<boolean>
  /** Largest request body accepted; API Gateway's limit is 10 MB. */
  maxBodyBytes?: number
  /**
   * Patterns that run on request data (`selectionPattern`, `identityValidationExpression`) are matched in time
   * linear in the input; a construct that cannot be (backreferences, lookaround) is refused when the gateway is
   * built. List the refused patterns' JSON pointers here (as the error names them), or `true` for all, to run them
   * with the native backtracking RegExp instead — with no time bound on hostile input.
   */
  allowBacktrackingPatterns?: boolean | readonly string[]
  /** Clock, epoch milliseconds. */
  now?: () => number
  /** Request ids (`$context.requestId`, Lambda's `awsRequestId`). */
  requestId?: () => string
  /**
   * Called for every unexpected failure (a mapping template that fails or runs over its budget, an internal
   * error); the client gets API Gateway's answer, never the error. Default: one line on stderr with the stack.
   */
  onError?: ErrorReporter
  /**
   * Limits of every mapping template (request, response and gateway-response templates): size, `#foreach`
   * iterations, and the work budget of one render (steps, output, string growth, depth). Defaults are API
   * Gateway's where it has one (300 KB, 1,000 iterations) and `@gatehousejs/vtl`'s otherwise; see SECURITY.md.
   */
  templateLimits?: TemplateOptions
}

/**
 * What every adapter takes: a built gateway is used as is, a definition is built once, here.
 *
 * @example
 * ```ts
 * const gw = toGateway(existing ?? { api: openapiDocument })
 * ```
 */
export function toGateway(input: GatewayInput | Gateway): Gateway {
  return typeof (input as Gateway).dispatch === 'function' ? (input as Gateway) : createGateway(input as GatewayInput)
}

/** The gateway's decision to hand a request to the host application. */
export interface Passthrough {
  passthrough: true
  /** Headers to add to the app's response (CORS, request id). */
  headers: HeaderMap
  /** API Gateway's `requestContext` for the app (`req.apiGateway`). */
  requestContext: Record<string, unknown>
}

/** @example `if (isPassthrough(out)) next()` */
export function isPassthrough(value: GatewayResponse | Passthrough): value is Passthrough {
  return (value as Passthrough).passthrough === true
}

/**
 * A built gateway.
 *
 * @example
 * ```ts
 * const gw = createGateway({ api, functions })
 * const res = await gw.handle({ method: 'GET', path: '/pets/1', headers: {} })
 * ```
 */
export interface Gateway {
  /** Answer a request. A route or miss that would pass through answers as an unmatched request does. */
  handle(request: GatewayRequest): Promise<GatewayResponse>
  /** Answer a request, or hand it on to the host application. */
  dispatch(request: GatewayRequest): Promise<GatewayResponse | Passthrough>
  readonly apiType: ApiType
  readonly stage: string
  readonly definition: ApiDefinition
  readonly warnings: readonly GatewayWarning[]
  /** Empty the stage cache (API Gateway's `FlushStageCache`); a shared store is flushed for every gateway on it. */
  flushStageCache(): Promise<void>
  /** Stage cache hits and misses (`CacheHitCount`, `CacheMissCount`) since the gateway was built; null without a cache. */
  stageCacheStats(): StageCacheStats | null
}

/** What every request of an API shares. */
export interface CompiledApi {
  apiType: ApiType
  apiId: string
  accountId: string
  region: string
  stage: string
  stageVariables: Record<string, string> | null
  deploymentId: string
  defaultDomainName: string
  isBinaryType: ((type: string) => boolean) | null
  now: () => number
  requestId: () => string
  /** Whether the operator let the pattern at this JSON pointer backtrack (`allowBacktrackingPatterns`). */
  allowBacktracking?: (pointer: string) => boolean
  /** The operator's `onError` (default: a line on stderr). */
  onError?: ErrorReporter
  /** Mapping templates' limits (`templateLimits`); VTL's defaults when absent. */
  templateLimits?: TemplateOptions
}

/** One route, compiled. */
export interface CompiledRoute {
  resourcePath: string
  routeKey: string
  resourceId: string
  hasParams: boolean
  /** The feature stages this route needs, in pipeline order (empty for most routes). */
  before: Stage[]
  after: AfterStage[]
  integrate: (state: RequestState) => Promise<IntegrationResult>
}

const MAX_BODY = 10 * 1024 * 1024

function shortId(seed: string, length: number): string {
  const hex = createHash('sha256').update(seed).digest('hex')
  return BigInt(`0x${hex.slice(0, 16)}`).toString(36).padStart(length, '0').slice(0, length)
}


function backtrackingPolicy(option: GatewayInput['allowBacktrackingPatterns']): (pointer: string) => boolean {
  if (option === undefined || option === false) return () => false
  if (option === true) return () => true
  if (!Array.isArray(option) || option.some((p) => typeof p !== 'string')) {
    throw new GatewayConfigError('INVALID_OPTION', '`allowBacktrackingPatterns` must be a boolean or a list of JSON pointers')
  }
  const allowed = new Set(option)
  return (pointer) => allowed.has(pointer)
}

function stripBase(path: string, base: string): string | null {
  if (base === '') return path
  if (path === base) return '/'
  if (path.startsWith(base) && path.charCodeAt(base.length) === 47 /* / */) return path.slice(base.length)
  return null
}

/**
 * Build a gateway from an API definition. Throws {@link GatewayConfigError} for anything it cannot serve.
 *
 * @example
 * ```ts
 * import { createGateway } from '@gatehousejs/core'
 * const gw = createGateway({ api: openapiDoc, stage: 'prod', functions: { getPet } })
 * ```
 */
export function createGateway(input: GatewayInput): Gateway {
  if (!input || typeof input !== 'object' || !input.api || typeof input.api !== 'object') {
    throw new GatewayConfigError('INVALID_OPTION', '`api` must be an OpenAPI document or an API definition')
  }
  const apiType: ApiType = input.apiType ?? 'REST'
  if (apiType !== 'REST' && apiType !== 'HTTP') {
    throw new GatewayConfigError('UNSUPPORTED_FEATURE', `apiType "${toText(apiType)}" is not supported by createGateway`)
  }
  const warnings: GatewayWarning[] = []
  const warn = (w: GatewayWarning) => {
    // `strict` refuses what gatehouse does not implement; a shared-cache notice is advice on a working setup.
    if (input.strict && w.code !== 'SHARED_CACHE') throw new GatewayConfigError('UNSUPPORTED_FEATURE', w.message, w.pointer)
    warnings.push(w)
    ;(input.onWarning ?? ((x: GatewayWarning) => console.warn(`gatehouse: ${x.pointer || '/'}: ${x.message}`)))(w)
  }
  const definition: ApiDefinition = isOpenApiDocument(input.api) ? importOpenApi(input.api, apiType, warn) : (input.api as ApiDefinition)
  if (!definition.resources || typeof definition.resources !== 'object') {
    throw new GatewayConfigError('INVALID_DEFINITION', 'the API definition needs `resources` (or pass an OpenAPI document)', '/resources')
  }

  const stageDef: StageDefinition =
    typeof input.stage === 'object' ? input.stage : { stageName: input.stage ?? (apiType === 'HTTP' ? '$default' : 'prod') }
  if (!/^[A-Za-z0-9_$-]+$/.test(stageDef.stageName)) {
    throw new GatewayConfigError('INVALID_OPTION', `invalid stage name "${stageDef.stageName}"`)
  }
  const variables = stageDef.variables && Object.keys(stageDef.variables).length > 0 ? { ...stageDef.variables } : null
  const region = input.region ?? 'us-east-1'
  const apiId = input.apiId ?? shortId(`${definition.name ?? ''}:${apiType}`, 10)
  const api: CompiledApi = {
    apiType,
    apiId,
    accountId: input.accountId ?? '123456789012',
    region,
    stage: stageDef.stageName,
    stageVariables: variables,
    deploymentId: stageDef.deploymentId ?? shortId(`${apiId}:${stageDef.stageName}`, 6),
    defaultDomainName: `${apiId}.execute-api.${region}.amazonaws.com`,
    isBinaryType: mediaTypeMatcher(definition.binaryMediaTypes),
    now: input.now ?? Date.now,
    requestId: input.requestId ?? randomUUID,
    allowBacktracking: backtrackingPolicy(input.allowBacktrackingPatterns),
    onError: input.onError,
    templateLimits: input.templateLimits,
  }

  let base = input.basePath ?? ''
  if (base !== '' && (!base.startsWith('/') || base.endsWith('/'))) {
    throw new GatewayConfigError('INVALID_OPTION', 'basePath must start with "/" and not end with "/"')
  }
  if (input.stageInPath) base += `/${stageDef.stageName}`
  const maxBody = input.maxBodyBytes ?? MAX_BODY
  const functions = input.functions ?? {}
  const cors: CompiledCors | null = definition.cors ? compileCors(definition.cors, '/x-amazon-apigateway-cors') : null
  const respond: RenderFailure = compileGatewayResponses(api, definition.gatewayResponses)
  for (const feature of FEATURES) feature.validate?.(definition, input, api)
  const shared = new Map<string, unknown>()

  // Routes.
  const routes: { method: string; path: string; value: CompiledRoute }[] = []
  for (const [resourcePath, methods] of Object.entries(definition.resources)) {
    for (const [rawMethod, method] of Object.entries(methods as Record<string, MethodDefinition>)) {
      const httpMethod = rawMethod.toUpperCase()
      const at = pointer('resources', resourcePath, rawMethod)
      const routeKey = resourcePath === '$default' ? '$default' : `${httpMethod} ${resourcePath}`
      const before: Stage[] = []
      const after: AfterStage[] = []
      for (const feature of FEATURES) {
        const compiled = feature.compileRoute?.({ api, definition, input, method, httpMethod, resourcePath, at, warn, shared })
        if (compiled?.before) before.push(compiled.before)
        if (compiled?.after) after.push(compiled.after)
      }
      const route: CompiledRoute = {
        resourcePath,
        routeKey,
        resourceId: shortId(`${apiId}:${resourcePath}`, 6),
        hasParams: resourcePath.includes('{'),
        before,
        after,
        integrate: compileIntegration(method.integration as IntegrationDefinition | undefined, {
          api,
          functions,
          at: `${at}/integration`,
          warn,
        }),
      }
      routes.push({ method: httpMethod, path: resourcePath, value: route })
    }
  }
  let router: Router<CompiledRoute>
  try {
    router = createRouter(routes, { decodeParams: apiType === 'HTTP', greedyLast: apiType === 'HTTP', rejectVariableSiblings: apiType === 'REST' })
  } catch (e) {
    if (e instanceof RouterError) throw new GatewayConfigError('INVALID_DEFINITION', e.message, '/resources', { cause: e })
    throw e
  }

  const noRoute: CompiledRoute = {
    resourcePath: '',
    routeKey: '',
    resourceId: '',
    hasParams: false,
    before: [],
    after: [],
    integrate: async () => failure('MISSING_AUTHENTICATION_TOKEN'),
  }
  const unmatchedFailure: GatewayFailure =
    apiType === 'HTTP' ? failure('RESOURCE_NOT_FOUND', 'Not Found') : failure('MISSING_AUTHENTICATION_TOKEN')
  const passUnmatched = input.unmatched === 'passthrough'

  function finish(state: RequestState, out: IntegrationResult, allowPass: boolean): GatewayResponse | Passthrough {
    const idHeaders: HeaderMap =
      apiType === 'HTTP' ? { 'apigw-requestid': state.extendedRequestId } : { 'x-amzn-RequestId': state.requestId, 'x-amz-apigw-id': state.extendedRequestId }
    if ('passthrough' in out) {
      if (!allowPass) return finish(state, unmatchedFailure, false)
      const headers: HeaderMap = { ...idHeaders, ...state.responseHeaders }
      cors?.apply(state.request, headers)
      return { passthrough: true, headers, requestContext: requestContextV1(state) }
    }
    const response: GatewayResponse = 'statusCode' in out ? out : respond(state, out)
    Object.assign(response.headers, state.responseHeaders, idHeaders)
    cors?.apply(state.request, response.headers)
    return response
  }

  async function run(request: GatewayRequest, allowPass: boolean): Promise<GatewayResponse | Passthrough> {
    const inside = stripBase(request.path, base)
    // API Gateway drops extra leading slashes before matching (`//pets` → `/pets`).
    const path = inside === null ? null : inside.replace(/^\/{2,}/, '/')
    if (cors) {
      const preflight = cors.preflight(request)
      if (preflight) return preflight
    }
    const match = path === null ? null : router.find(request.method, path)
    if (!match) {
      const state = new RequestState(api, request, noRoute, {}, path ?? request.path)
      if (passUnmatched && allowPass) return finish(state, { passthrough: true }, true)
      return finish(state, unmatchedFailure, allowPass)
    }
    const state = new RequestState(api, request, match.value, match.params as Record<string, string>, path!)
    if (bodyLength(request.body) > maxBody) return finish(state, failure('REQUEST_TOO_LARGE'), allowPass)
    const route = match.value
    for (let i = 0; i < route.before.length; i++) {
      let out = route.before[i]!(state)
      if (out !== undefined && typeof (out as Promise<unknown>).then === 'function') out = await out
      if (out !== undefined) return finish(state, out as IntegrationResult, allowPass)
    }
    let result = await route.integrate(state)
    if (route.after.length > 0 && 'statusCode' in result) {
      for (const stage of route.after) {
        let replaced = stage(state, result)
        if (replaced !== undefined && typeof (replaced as Promise<unknown>).then === 'function') replaced = await replaced
        if (replaced) result = replaced as GatewayResponse
      }
    }
    return finish(state, result, allowPass)
  }

  async function safeRun(request: GatewayRequest, allowPass: boolean): Promise<GatewayResponse | Passthrough> {
    try {
      return await run(request, allowPass)
    } catch (error) {
      // Never a stack trace to the client: an unexpected failure is API Gateway's 500, and the operator's to see.
      reportError(input.onError, error, { requestId: null, routeKey: null, stage: 'internal', responseType: null })
      const body = apiType === 'HTTP' ? '{"message":"Internal Server Error"}' : '{"message": "Internal server error"}'
      return { statusCode: 500, headers: { 'content-type': 'application/json' }, body }
    }
  }

  return {
    apiType,
    stage: stageDef.stageName,
    definition,
    warnings,
    handle: (request) => safeRun(request, false) as Promise<GatewayResponse>,
    dispatch: (request) => safeRun(request, true),
    flushStageCache: () => flushStageCache(api),
    stageCacheStats: () => stageCacheStats(api),
  }
}
