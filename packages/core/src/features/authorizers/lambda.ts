/**
 * Lambda authorizers (`TOKEN`, `REQUEST`; REST and HTTP APIs): identity sources checked first, the function
 * invoked with API Gateway's event and its own timeout, its answer checked and cached by identity, and a
 * (cached) policy evaluated against each request's method ARN.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/configure-api-gateway-lambda-authorization.html
 */
import type { CompiledApi } from '../../model'
import { substituteStageVariables } from '../../stage-variables'
import type { AuthorizerDefinition } from '../../definition'
import { GatewayConfigError } from '../../errors'
import type { GatewayFailure } from '../../gateway-responses'
import { invoke, resolveFunction, type LambdaHandler } from '../../integrations/lambda'
import { compileJavaPattern } from '../../integrations/selection-pattern'
import { evaluatePolicy, type CompiledPolicy } from '../../policy'
import { resourcePolicyDecision } from '../resource-policy'
import type { RequestState } from '../../state'
import { compileIdentitySources } from './identity-sources'
import { requestEventV1, requestEventV2, tokenEvent } from './lambda-event'
import { parseAnswer, type AuthorizerAnswer } from './lambda-result'
import type { AuthorizationOptions, AuthorizerCacheStore } from './options'
import { refusals } from './refusals'
import { createResultCache, type ResultCache } from './result-cache'

/**
 * Authorizes one request: `undefined` when it may go on (state filled), else the refusal.
 *
 * @example
 * ```ts
 * const refused = await authorize(state)
 * if (refused) return refused
 * ```
 */
export type Authorize = (state: RequestState) => GatewayFailure | undefined | Promise<GatewayFailure | undefined>

/** The answer of one invocation: a usable answer, or the refusal it led to (never cached). */
type Outcome = AuthorizerAnswer | GatewayFailure

/**
 * What a Lambda authorizer is compiled with.
 *
 * @example
 * ```ts
 * const ctx: LambdaAuthorizerContext = { api, functions: { auth }, options: {}, at: '/authorizers/auth', resourcePolicy: undefined }
 * ```
 */
export interface LambdaAuthorizerContext {
  api: CompiledApi
  functions: Record<string, LambdaHandler>
  options: AuthorizationOptions
  at: string
  /** The API's resource policy (REST), evaluated with the authorizer's policy. */
  resourcePolicy?: CompiledPolicy | undefined
}

/**
 * Authorizer result TTL: default 300 s, 0 disables, at most 3600 s (else `GatewayConfigError`).
 *
 * @example
 * ```ts
 * resultTtlSeconds({ type: 'TOKEN' }, '/authorizers/a') // 300
 * ```
 */
export function resultTtlSeconds(def: AuthorizerDefinition, at: string): number {
  const ttl = def.authorizerResultTtlInSeconds ?? 300
  if (!Number.isInteger(ttl) || ttl < 0 || ttl > 3600) {
    throw new GatewayConfigError(
      'INVALID_DEFINITION',
      'authorizerResultTtlInSeconds must be an integer from 0 to 3600',
      `${at}/authorizerResultTtlInSeconds`,
    )
  }
  return ttl
}

function isUnauthorized(error: unknown): boolean {
  if (typeof error === 'string') return error === 'Unauthorized'
  return typeof error === 'object' && error !== null && (error as { message?: unknown }).message === 'Unauthorized'
}

/**
 * Compiles a `TOKEN` or `REQUEST` Lambda authorizer (REST or HTTP API) into its stage.
 *
 * @example
 * ```ts
 * const authorize = compileLambdaAuthorizer({ type: 'TOKEN', authorizerUri: 'auth' }, { api, functions: { auth }, options: {}, at: '/authorizers/a' })
 * ```
 */
export function compileLambdaAuthorizer(def: AuthorizerDefinition, ctx: LambdaAuthorizerContext): Authorize {
  const { api, at } = ctx
  const http = api.apiType === 'HTTP'
  const type = def.type
  if (http && type === 'TOKEN')
    throw new GatewayConfigError('INVALID_DEFINITION', 'HTTP APIs support REQUEST Lambda authorizers only', `${at}/type`)
  if (def.authorizerUri === undefined) throw new GatewayConfigError('INVALID_DEFINITION', 'a Lambda authorizer needs an authorizerUri', at)
  const uri = substituteStageVariables(def.authorizerUri, api.stageVariables, `${at}/authorizerUri`)
  const fn = resolveFunction(uri, ctx.functions, api.region, api.accountId, `${at}/authorizerUri`)
  const version = http ? (def.authorizerPayloadFormatVersion ?? '2.0') : '1.0'
  if (version !== '1.0' && version !== '2.0') {
    throw new GatewayConfigError(
      'INVALID_DEFINITION',
      'authorizerPayloadFormatVersion must be "1.0" or "2.0"',
      `${at}/authorizerPayloadFormatVersion`,
    )
  }
  if (def.enableSimpleResponses && !(http && version === '2.0')) {
    throw new GatewayConfigError(
      'INVALID_DEFINITION',
      'enableSimpleResponses needs an HTTP API authorizer with payload format 2.0',
      `${at}/enableSimpleResponses`,
    )
  }
  const simple = def.enableSimpleResponses === true
  const sourceExpr = def.identitySource ?? (type === 'TOKEN' ? 'method.request.header.Authorization' : undefined)
  const readers = compileIdentitySources(sourceExpr, api, `${at}/identitySource`)
  if (type === 'TOKEN' && readers.length !== 1) {
    throw new GatewayConfigError(
      'INVALID_DEFINITION',
      'a TOKEN authorizer takes exactly one identity source (a header)',
      `${at}/identitySource`,
    )
  }
  if (type === 'TOKEN' && !/^method\.request\.header\./.test(sourceExpr!.trim())) {
    throw new GatewayConfigError(
      'INVALID_DEFINITION',
      'a TOKEN authorizer reads its token from a header (method.request.header.X)',
      `${at}/identitySource`,
    )
  }
  // The whole token must match, as Java's Pattern.matches does; linear in the (client's) token.
  const validate: ReturnType<typeof compileJavaPattern> | null =
    type === 'TOKEN' && def.identityValidationExpression !== undefined
      ? compileJavaPattern(def.identityValidationExpression, api, `${at}/identityValidationExpression`, 'identityValidationExpression')
      : null
  // Caching needs an identity to key on (HTTP APIs: "at least one identity source").
  const ttl = readers.length === 0 ? 0 : resultTtlSeconds(def, at)
  const timeoutMs = ctx.options.lambdaTimeoutMs ?? 10_000
  const cache: ResultCache<Outcome> | null =
    ttl > 0 ? createResultCache<Outcome>(ttl * 1000, ctx.options.resultCacheMaxEntries ?? 10_000, api.now) : null
  const store = cache ? (ctx.options.cacheStore ?? null) : null
  const shared = store ? sharedResults(store, ttl * 1000, `${api.apiId}/${api.stage}${at}#`, http, simple) : null
  // How long a claim holds and a waiting gateway waits: the function's timeout, at most 5 s.
  const claimMs = Math.min(ctx.options.lambdaTimeoutMs ?? 10_000, 5000)
  const refuse = refusals(api.apiType)
  const prefix = `arn:aws:execute-api:${api.region}:${api.accountId}:${api.apiId}/${api.stage}/`

  async function call(state: RequestState, methodArn: string, identity: string[]): Promise<Outcome> {
    const event =
      type === 'TOKEN'
        ? tokenEvent(identity[0]!, methodArn)
        : version === '2.0'
          ? requestEventV2(state, methodArn, identity)
          : requestEventV1(state, methodArn, identity)
    const outcome = await invoke(fn, event, state.requestId, timeoutMs)
    if (!outcome.ok) {
      if (outcome.timeout) {
        state.reportFailure(new Error(`the Lambda authorizer timed out after ${timeoutMs} ms`), 'authorizer', refuse.timeout.type)
        return refuse.timeout
      }
      // `Unauthorized` is the function's answer (a 401), not a failure; anything else it threw is the operator's.
      if (isUnauthorized(outcome.error)) return refuse.unauthorized
      state.reportFailure(outcome.error, 'authorizer', refuse.configurationError.type)
      return refuse.configurationError
    }
    const parsed = parseAnswer(outcome.value, http, simple)
    if (parsed.kind !== 'invalid') {
      shared?.answered(parsed, outcome.value)
      return parsed
    }
    state.reportFailure(new AuthorizerResultError(parsed.reason, outcome.value), 'authorizer', refuse.configurationError.type)
    return refuse.configurationError
  }

  function evaluate(state: RequestState, policy: CompiledPolicy, methodArn: string): GatewayFailure | undefined {
    if (http) {
      const { decision } = evaluatePolicy(
        policy,
        { action: 'execute-api:Invoke', resource: methodArn, principal: null, context: { 'aws:SourceIp': state.identity.sourceIp } },
        { source: 'authorizer', now: () => state.epoch },
      )
      return decision === 'ALLOW' ? undefined : refuse.denied(decision === 'EXPLICIT_DENY')
    }
    // REST: together with the API's resource policy, if it has one (Table A: either allows, no explicit deny).
    return resourcePolicyDecision(state, ctx.resourcePolicy, policy)
  }

  /** The request's method ARN: `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}/{path}`. */
  function arnOf(state: RequestState): string {
    const path = state.path.charCodeAt(0) === 47 /* / */ ? state.path.slice(1) : state.path
    return `${prefix}${state.request.method}/${path}`
  }

  /** `latency`: how long the function took for this request (0 when the answer came from the cache). */
  function decide(state: RequestState, answer: Outcome, latency: number): GatewayFailure | undefined {
    if (!('kind' in answer)) return answer
    if (answer.kind === 'simple') {
      if (!answer.isAuthorized) return refuse.denied(false)
      state.authorizer = { lambda: copyContext(answer.authorizer.lambda) }
      return undefined
    }
    // A cached policy is evaluated again for each method ARN, as API Gateway does. Without conditions the
    // decision depends on the ARN alone, so it is remembered per method and path for the life of the cached
    // answer (keyed by the request's own strings: hashing a freshly built ARN costs more than the lookup saves).
    const memo = answer.decisions
    const method = state.request.method
    let refused = memo.get(method)?.get(state.path)
    if (refused === undefined) {
      refused = evaluate(state, answer.policy, arnOf(state)) ?? null
      if (answer.memoizable && memo.size < MEMO_MAX) {
        let byPath = memo.get(method)
        if (!byPath) memo.set(method, (byPath = new Map()))
        if (byPath.size < MEMO_MAX) byPath.set(state.path, refused)
      }
    }
    if (refused) return refused
    // Each request gets its own copy: a handler that edits its event must not edit the cache.
    if (http) state.authorizer = { lambda: copyContext(answer.authorizer.lambda) }
    else {
      // A plain clone of an object that already has `integrationLatency`: V8 copies it by shape.
      const copy = { ...answer.authorizer }
      copy.integrationLatency = latency
      state.authorizer = copy
    }
    if (answer.usageIdentifierKey !== undefined) state.usageIdentifierKey = answer.usageIdentifierKey
    return undefined
  }

  function prepare(out: Outcome): Outcome {
    if ('kind' in out && out.kind === 'policy') {
      out.memoizable = !hasConditions(out.policy) && !hasConditions(ctx.resourcePolicy)
    }
    return out
  }

  async function load(state: RequestState, identity: string[]): Promise<Outcome> {
    return prepare(await call(state, arnOf(state), identity))
  }

  /** A miss of the in-memory cache: the shared store first (when there is one), then the function. */
  async function fill(state: RequestState, identity: string[], key: string): Promise<Outcome> {
    if (shared) {
      let hit = await shared.read(state, key, api.now())
      // Another process already calling the function for this identity: its answer is awaited, a bounded time.
      if (hit === undefined && !(await shared.claim(state, key, claimMs))) hit = await shared.awaitAnswer(state, key, api.now, claimMs)
      if (hit !== undefined) {
        cache!.set(key, prepare(hit))
        return hit
      }
    }
    const out = await load(state, identity)
    // Only real answers are cached: a failure or `Unauthorized` is asked again next time.
    if ('kind' in out) {
      cache!.set(key, out)
      if (shared) await shared.write(state, key, out, api.now())
    }
    return out
  }

  // Synchronous when the answer is cached, so the pipeline does not wait a turn for it.
  return (state) => {
    const identity: string[] = []
    for (const read of readers) {
      const v = read(state)
      // A missing identity source is refused before the function is called.
      if (v === undefined) return refuse.unauthorized
      identity.push(v)
    }
    if (validate && !validate.matchesWhole(identity[0]!)) return refuse.unauthorized
    if (!cache) {
      const start = api.now()
      return load(state, identity).then((answer) => decide(state, answer, api.now() - start))
    }
    const key = identity.length === 1 ? identity[0]! : JSON.stringify(identity)
    const cached = cache.get(key)
    // An answer read from the shared store lives only as long as the store's entry did.
    if (cached !== undefined && (shared === null || shared.fresh(cached, api.now()))) return decide(state, cached, 0)
    const start = api.now()
    return cache
      .once(key, () => fill(state, identity, key))
      .then((answer) => decide(state, answer, shared?.fromStore(answer) ? 0 : api.now() - start))
  }
}

const MEMO_MAX = 256
const POLL_MS = 25

/** What a shared store holds for one identity: the function's answer as it gave it, and when the entry ends. */
interface StoredAnswer {
  v: unknown
  exp: number
}

/**
 * Lambda authorizer answers shared through an `AuthorizerCacheStore`: written as the function's own answer (plain
 * JSON) with the writer's expiry, and checked again when read, as if the function had just answered.
 */
function sharedResults(store: AuthorizerCacheStore, ttlMs: number, namespace: string, http: boolean, simple: boolean) {
  const raw = new WeakMap<object, unknown>()
  // Answers read from the store, with the expiry their writer gave them.
  const expiry = new WeakMap<object, number>()
  return {
    answered(answer: AuthorizerAnswer, value: unknown): void {
      raw.set(answer, value)
    },
    fresh(answer: Outcome, now: number): boolean {
      const exp = expiry.get(answer)
      return exp === undefined || now < exp
    },
    fromStore(answer: Outcome): boolean {
      return expiry.has(answer)
    },
    async read(state: RequestState, key: string, now: number): Promise<AuthorizerAnswer | undefined> {
      let text: string | undefined
      try {
        text = await store.get(namespace + key)
      } catch (e) {
        state.reportFailure(e, 'authorizer', null)
        return undefined
      }
      if (typeof text !== 'string') return undefined
      let stored: StoredAnswer
      try {
        stored = JSON.parse(text) as StoredAnswer
      } catch (e) {
        state.reportFailure(e, 'authorizer', null)
        return undefined
      }
      if (stored === null || typeof stored !== 'object' || typeof stored.exp !== 'number' || !(now < stored.exp)) return undefined
      // Bounded by this gateway's own TTL too: a store written with a longer one does not extend it.
      const exp = Math.min(stored.exp, now + ttlMs)
      const parsed = parseAnswer(stored.v, http, simple)
      if (parsed.kind === 'invalid') {
        state.reportFailure(new AuthorizerResultError(parsed.reason, stored.v), 'authorizer', null)
        return undefined
      }
      raw.set(parsed, stored.v)
      expiry.set(parsed, exp)
      return parsed
    },
    async claim(state: RequestState, key: string, ms: number): Promise<boolean> {
      if (store.lock === undefined) return true
      try {
        return (await store.lock(namespace + key, ms)) !== false
      } catch (e) {
        state.reportFailure(e, 'authorizer', null)
        return true
      }
    },
    async awaitAnswer(state: RequestState, key: string, now: () => number, ms: number): Promise<AuthorizerAnswer | undefined> {
      // Counted polls, not a clock: a gateway on a fake clock still stops waiting.
      for (let i = 0; i < Math.ceil(ms / POLL_MS); i++) {
        await new Promise((resolve) => setTimeout(resolve, POLL_MS))
        const hit = await this.read(state, key, now())
        if (hit !== undefined) return hit
      }
      return undefined
    },
    async write(state: RequestState, key: string, answer: Outcome, now: number): Promise<void> {
      if (!raw.has(answer)) return
      try {
        const stored: StoredAnswer = { v: raw.get(answer), exp: now + ttlMs }
        await store.set(namespace + key, JSON.stringify(stored), ttlMs)
      } catch (e) {
        state.reportFailure(e, 'authorizer', null)
      }
    },
  }
}

/** A copy deep enough that a handler editing its event cannot edit the cached answer. */
function copyContext(ctx: unknown): Record<string, unknown> {
  const src = ctx as Record<string, unknown>
  for (const k in src) if (typeof src[k] === 'object' && src[k] !== null) return structuredClone(src)
  return { ...src }
}

function hasConditions(policy: CompiledPolicy | undefined): boolean {
  return policy?.statements.some((s) => s.condition !== undefined) === true
}

/**
 * What `onError` gets for a Lambda authorizer's answer API Gateway cannot use (no policy, a malformed policy, a bad
 * context): the reason, and the answer itself as `result`.
 *
 * @example
 * ```ts
 * const e = new AuthorizerResultError('the authorizer returned no policyDocument', { principalId: 'u1' })
 * e.message // 'malformed Lambda authorizer result: the authorizer returned no policyDocument'
 * ```
 */
export class AuthorizerResultError extends Error {
  override name = 'AuthorizerResultError'
  constructor(
    readonly reason: string,
    readonly result: unknown,
  ) {
    super(`malformed Lambda authorizer result: ${reason}`)
  }
}
