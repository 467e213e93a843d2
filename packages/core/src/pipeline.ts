/**
 * The request's way through a built gateway (DESIGN.md, "The request's way through core"): strip the base path,
 * answer a CORS preflight, match the route, run the route's stages in API Gateway's order, integrate, run the
 * after-stages, then turn the outcome into the response (gateway responses, request-id and CORS headers).
 */
import type { Router } from '@gatehousejs/router'
import type { CompiledCors } from './cors'
import type { AfterStage, Stage } from './features/types'
import type { Passthrough, RequestVia } from './gateway'
import type { RenderFailure } from './gateway-response-render'
import { failure, type GatewayFailure } from './gateway-responses'
import { bodyLength } from './http'
import { requestContextV1 } from './integrations/aws-proxy/event-v1'
import type { CompiledApi, IntegrationResult, RouteInfo } from './model'
import type { RequestObserver } from './observe'
import { reportError, type ErrorReporter } from './report'
import { requestInput } from './request-input'
import { RequestState, type StageTiming } from './state'
import type { GatewayRequest, GatewayResponse, HeaderMap } from './types'

/** What a request comes to: the gateway's answer, or (`dispatch`) the request handed on to the host app. */
type Answer = GatewayResponse | Passthrough

/** One route, compiled: who it is, the feature stages it needs (in pipeline order) and its integration. */
export interface CompiledRoute extends RouteInfo {
  /** Empty for most routes. */
  before: Stage[]
  after: AfterStage[]
  /** Run on every response the route answers with, after `after`: the integration's, or a before-stage's (a cache hit). */
  respond: AfterStage[]
  /** Whether any of `before`, `after` and `respond` has a stage (decided when the gateway is built). */
  staged: boolean
  /** The feature each stage of `before`, `after` and `respond` belongs to (for stage timings). */
  stageNames: { before: string[]; after: string[]; respond: string[] }
  integrate: (state: RequestState) => Promise<IntegrationResult>
}

/** What the pipeline runs on: everything built once, at `createGateway` time. */
export interface PipelineParts {
  api: CompiledApi
  router: Router<CompiledRoute>
  /** The stage every request's path must carry (`stageInPath`), after its base path mapping. */
  base: string
  /** The `basePath` option: a base path mapping every request comes through (as `createDomain` passes per request). */
  mapping: RequestVia | undefined
  maxBodyBytes: number
  cors: CompiledCors | null
  respond: RenderFailure
  /** Hand requests that match no route to the host app. */
  passUnmatched: boolean
  /** The features' stages every request runs before its route is matched (WAF, endpoint type); most APIs: none. */
  early: Stage[]
  /** The gateway's observers (access log, metrics, tracing), when it has any: each answered request is handed to it. */
  observer: RequestObserver | null
  onError: ErrorReporter | undefined
}

/** The matched-nothing route: what `$context` says of a request no route took. */
const NO_ROUTE: CompiledRoute = {
  resourcePath: '',
  routeKey: '',
  resourceId: '',
  hasParams: false,
  before: [],
  after: [],
  respond: [],
  staged: false,
  stageNames: { before: [], after: [], respond: [] },
  integrate: async () => failure('MISSING_AUTHENTICATION_TOKEN'),
}

/** `path` with its leading slashes made one (`//pets` → `/pets`); no regex runs for the usual single slash. */
function oneLeadingSlash(path: string): string {
  return path.charCodeAt(1) === 47 /* / */ ? path.replace(/^\/{2,}/, '/') : path
}

function stripBase(raw: string, base: string): string | null {
  if (base === '') return raw
  // Extra leading slashes before the stage are dropped too (`//prod/pets`: AWS routed it, recorded in the outside
  // replay of localstack's recordings, issue #21 item 13).
  const path = oneLeadingSlash(raw)
  if (path === base) return '/'
  if (path.startsWith(base) && path.charCodeAt(base.length) === 47 /* / */) return path.slice(base.length)
  return null
}

/**
 * The request's path inside the API: its base path mapping and stage removed, extra leading slashes dropped
 * (`//pets` → `/pets`, as API Gateway matches it); null when it is not under them.
 */
function insidePath(raw: string, base: string, via: RequestVia | undefined): string | null {
  let inside: string | null
  if (via?.basePath === undefined) inside = stripBase(raw, base)
  else {
    const mapped = stripBase(raw, via.basePath)
    inside = mapped === null ? null : stripBase(mapped, base)
  }
  return inside === null ? null : oneLeadingSlash(inside)
}

/** A route's respond-stages over one response, in order; each may replace it. */
async function respondWith(state: RequestState, stages: AfterStage[], response: GatewayResponse): Promise<GatewayResponse> {
  for (const stage of stages) {
    const replaced = await stage(state, response)
    if (replaced) response = replaced
  }
  return response
}

function newState(
  api: CompiledApi,
  request: GatewayRequest,
  route: RouteInfo,
  params: Record<string, string>,
  path: string,
  via: RequestVia | undefined,
): RequestState {
  const state = new RequestState(api, request, route, params, path)
  if (via !== undefined) state.via = via
  return state
}

/** `via` checked at the door, as the request is: a base path as `stripBase` takes it, a boolean canary flag. */
function requestVia(via: RequestVia): RequestVia {
  const { basePath, canary, domainName } = via
  if (
    basePath !== undefined &&
    (typeof basePath !== 'string' || (basePath !== '' && (!basePath.startsWith('/') || basePath.endsWith('/'))))
  ) {
    throw new TypeError(`RequestVia.basePath must be "" or a path from "/" without a trailing "/", got ${JSON.stringify(basePath)}`)
  }
  if (canary !== undefined && typeof canary !== 'boolean') throw new TypeError('RequestVia.canary must be a boolean')
  if (domainName !== undefined && (typeof domainName !== 'string' || domainName === '')) {
    throw new TypeError('RequestVia.domainName must be a non-empty string')
  }
  return via
}

/**
 * The request runner of one gateway: `allowPass` says whether the caller can hand a request to a host app
 * (`dispatch`) or needs an answer (`handle`).
 *
 * @example
 * ```ts
 * const run = createPipeline(parts)
 * const response = await run({ method: 'GET', path: '/pets', headers: {} }, false)
 * ```
 */
export function createPipeline(parts: PipelineParts): (request: GatewayRequest, allowPass: boolean, via?: RequestVia) => Promise<Answer> {
  const { api, router, base, mapping, maxBodyBytes, cors, respond, passUnmatched, onError, early, observer } = parts
  // With an observer, the integration's latency and status are kept; with one that asks, every stage is timed.
  const observed = observer !== null
  const timed = observer?.timings === true
  const http = api.apiType === 'HTTP'
  const unmatchedFailure: GatewayFailure = http ? failure('RESOURCE_NOT_FOUND', 'Not Found') : failure('MISSING_AUTHENTICATION_TOKEN')

  /** The request's id headers, as API Gateway answers them (REST: two, HTTP APIs: one). */
  function putIds(headers: HeaderMap, state: RequestState): void {
    if (http) headers['apigw-requestid'] = state.extendedRequestId
    else {
      headers['x-amzn-RequestId'] = state.requestId
      headers['x-amz-apigw-id'] = state.extendedRequestId
    }
  }

  function finish(state: RequestState, out: IntegrationResult, allowPass: boolean): Answer {
    if ('passthrough' in out) {
      if (!allowPass) return finish(state, unmatchedFailure, false)
      const ids: HeaderMap = {}
      putIds(ids, state)
      const headers: HeaderMap = { ...ids, ...state.responseHeaders }
      cors?.apply(state.request, headers)
      return { passthrough: true, headers, requestContext: requestContextV1(state) }
    }
    if (observed && !('statusCode' in out)) state.failure = out
    const response: GatewayResponse = 'statusCode' in out ? out : respond(state, out)
    // The stages' headers, then the ids, over the answer's own: stores in place of an Object.assign of two objects.
    const headers = response.headers
    const extra = state.responseHeaders
    for (const name in extra) headers[name] = extra[name]!
    putIds(headers, state)
    cors?.apply(state.request, headers)
    if (observed) observer.done(state, response)
    return response
  }

  /** The state of a request no route took (yet): for the early stages, a preflight's observers, an unmatched answer. */
  function unrouted(request: GatewayRequest, path: string | null, via: RequestVia | undefined): RequestState {
    return newState(api, request, NO_ROUTE, {}, path ?? request.path, via)
  }

  /** An unexpected failure: API Gateway's 500, and the operator's to see (never a stack trace to the client). */
  function internal(error: unknown): GatewayResponse {
    reportError(onError, error, { requestId: null, routeKey: null, stage: 'internal', responseType: null })
    const body = http ? '{"message":"Internal Server Error"}' : '{"message": "Internal server error"}'
    return { statusCode: 500, headers: { 'content-type': 'application/json' }, body }
  }

  /** `finish` as the integration's promise settles: a failure in it is still API Gateway's 500. */
  function settle(state: RequestState, result: IntegrationResult, allowPass: boolean): Answer {
    try {
      return finish(state, result, allowPass)
    } catch (error) {
      return internal(error)
    }
  }

  // Synchronous up to the route: an async function's frame (a promise and a copy of each of its locals) costs a
  // request some 600 bytes, so a route without stages on an unobserved gateway costs one `.then` on its integration.
  // Early stages, a route's stages and observers go through the async functions below.
  function run(input: GatewayRequest, allowPass: boolean, via: RequestVia | undefined): Promise<Answer> {
    let request: GatewayRequest
    try {
      // The caller's bug, not the client's: what is no GatewayRequest rejects with a TypeError (no 500, no onError).
      request = requestInput(input)
    } catch (error) {
      return Promise.reject(error)
    }
    try {
      if (via !== undefined) via = requestVia(via)
      if (mapping !== undefined) via = via === undefined ? mapping : via.basePath === undefined ? { ...via, ...mapping } : via
      const path = insidePath(request.path, base, via)
      if (early.length > 0) return runEarly(request, path, via, allowPass)
      return routed(request, path, via, undefined, false, allowPass)
    } catch (error) {
      return Promise.resolve(internal(error))
    }
  }

  /** The gateway-level stages, before routing: the state they made goes on to the matched route. */
  async function runEarly(request: GatewayRequest, path: string | null, via: RequestVia | undefined, allowPass: boolean): Promise<Answer> {
    try {
      const state = unrouted(request, path, via)
      // Whether a stage made the request wait (its epoch is then no longer its present).
      let waited = false
      for (let i = 0; i < early.length; i++) {
        let out = early[i]!(state)
        if (out !== undefined && typeof (out as Promise<unknown>).then === 'function') {
          waited = true
          out = await out
        }
        if (out !== undefined) return finish(state, out as IntegrationResult, allowPass)
      }
      return await routed(request, path, via, state, waited, allowPass)
    } catch (error) {
      return internal(error)
    }
  }

  /**
   * A CORS preflight's answer, or the route's: matched, its state made (or the early stages' taken over), its
   * stages and integration run. It throws what fails before the route's way starts: the caller catches.
   */
  function routed(
    request: GatewayRequest,
    path: string | null,
    via: RequestVia | undefined,
    earlyState: RequestState | undefined,
    waited: boolean,
    allowPass: boolean,
  ): Promise<Answer> {
    if (cors) {
      const preflight = cors.preflight(request)
      if (preflight) {
        if (observed) observer.done(earlyState ?? unrouted(request, path, via), preflight)
        return Promise.resolve(preflight)
      }
    }
    const match = path === null ? null : router.find(request.method, path)
    if (!match) {
      const state = earlyState ?? unrouted(request, path, via)
      const out: IntegrationResult = passUnmatched && allowPass ? { passthrough: true } : unmatchedFailure
      return Promise.resolve(finish(state, out, allowPass))
    }
    const route = match.value
    const params = match.params as Record<string, string>
    let state: RequestState
    if (earlyState) {
      state = earlyState
      state.matched(route, params)
    } else state = newState(api, request, route, params, path!, via)
    if (bodyLength(request.body) > maxBodyBytes) return Promise.resolve(finish(state, failure('REQUEST_TOO_LARGE'), allowPass))
    if (timed) return runTimed(state, route, allowPass)
    if (observed || route.staged) return runRoute(state, route, allowPass, waited)
    return route.integrate(state).then((result) => settle(state, result, allowPass), internal)
  }

  /** A route with stages, or on an observed gateway: its before-stages, the integration, its after- and respond-stages. */
  async function runRoute(state: RequestState, route: CompiledRoute, allowPass: boolean, waited: boolean): Promise<Answer> {
    try {
      for (let i = 0; i < route.before.length; i++) {
        let out = route.before[i]!(state)
        if (out !== undefined && typeof (out as Promise<unknown>).then === 'function') {
          waited = true
          out = await out
        }
        if (out === undefined) continue
        if (route.respond.length > 0 && 'statusCode' in out) out = await respondWith(state, route.respond, out)
        return finish(state, out as IntegrationResult, allowPass)
      }
      let result: IntegrationResult
      if (!observed) result = await route.integrate(state)
      else {
        // Stages that all answered at once ran in this same turn as the request's epoch was read: the integration
        // starts at that time (the clock reads whole ms), and one clock read a request is saved.
        const start = waited ? api.now() : state.epoch
        result = await route.integrate(state)
        const end = api.now()
        state.integrationLatency = end - start
        if ('statusCode' in result) state.integrationStatus = result.statusCode
        // Nothing runs between the integration's end and the answer: the observers' answer time is that read.
        if (route.after.length === 0 && route.respond.length === 0) state.answeredAt = end
      }
      if (route.after.length > 0 && 'statusCode' in result) {
        for (const stage of route.after) {
          let replaced = stage(state, result)
          if (replaced !== undefined && typeof (replaced as Promise<unknown>).then === 'function') replaced = await replaced
          if (replaced) result = replaced as GatewayResponse
        }
      }
      if (route.respond.length > 0 && 'statusCode' in result) result = await respondWith(state, route.respond, result)
      return finish(state, result, allowPass)
    } catch (error) {
      return internal(error)
    }
  }

  /** The same way for a gateway whose observer asked for stage timings: each stage's start and end kept in order. */
  async function runTimed(state: RequestState, route: CompiledRoute, allowPass: boolean): Promise<Answer> {
    try {
      const timings: StageTiming[] = (state.timings = [])
      for (let i = 0; i < route.before.length; i++) {
        const start = api.now()
        const out = await route.before[i]!(state)
        timings.push({ name: route.stageNames.before[i]!, phase: 'before', start, end: api.now() })
        if (out === undefined) continue
        return finish(state, 'statusCode' in out ? await respondTimed(state, route, out, timings) : out, allowPass)
      }
      const start = api.now()
      let result = await route.integrate(state)
      const end = api.now()
      timings.push({ name: 'integration', phase: 'integration', start, end })
      state.integrationLatency = end - start
      if ('statusCode' in result) {
        state.integrationStatus = result.statusCode
        for (let i = 0; i < route.after.length; i++) {
          const at = api.now()
          const replaced = await route.after[i]!(state, result)
          timings.push({ name: route.stageNames.after[i]!, phase: 'after', start: at, end: api.now() })
          if (replaced) result = replaced
        }
        result = await respondTimed(state, route, result, timings)
      }
      return finish(state, result, allowPass)
    } catch (error) {
      return internal(error)
    }
  }

  async function respondTimed(state: RequestState, route: CompiledRoute, response: GatewayResponse, timings: StageTiming[]) {
    for (let i = 0; i < route.respond.length; i++) {
      const at = api.now()
      const replaced = await route.respond[i]!(state, response)
      timings.push({ name: route.stageNames.respond[i]!, phase: 'after', start: at, end: api.now() })
      if (replaced) response = replaced
    }
    return response
  }

  return run
}
