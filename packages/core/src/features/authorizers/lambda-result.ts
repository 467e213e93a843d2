/**
 * What a Lambda authorizer answered, checked once (when it answered, not when a cached answer is reused).
 * REST output: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html
 * HTTP API output (1.0, 2.0, simple responses): https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html
 */
import type { GatewayFailure } from '../../gateway-responses'
import { setOwn } from '../../http'
import { compilePolicy, PolicyError, type CompiledPolicy } from '../../policy'
import { isObject } from '../../json'

/**
 * An authorizer answer, ready to decide requests: a policy to evaluate per method ARN, or a plain yes/no.
 *
 * @example
 * ```ts
 * const answer: AuthorizerAnswer = { kind: 'simple', isAuthorized: true, authorizer: { lambda: {} } }
 * ```
 */
export type AuthorizerAnswer =
  | {
      kind: 'policy'
      policy: CompiledPolicy
      /** `$context.authorizer` / `requestContext.authorizer` for allowed requests. */
      authorizer: Record<string, unknown>
      usageIdentifierKey: string | undefined
      /** Decisions already made, by HTTP method then request path (when `memoizable`). */
      decisions: Map<string, Map<string, GatewayFailure | null>>
      /** No condition in this policy or the resource policy: the decision depends on the method ARN alone. */
      memoizable: boolean
    }
  | { kind: 'simple'; isAuthorized: boolean; authorizer: Record<string, unknown> }

/**
 * A checked answer, or why it is not one.
 *
 * @example
 * ```ts
 * const bad: ParsedAnswer = { kind: 'invalid', reason: 'the authorizer returned no policyDocument' }
 * ```
 */
export type ParsedAnswer = AuthorizerAnswer | { kind: 'invalid'; reason: string }

const invalid = (reason: string): ParsedAnswer => ({ kind: 'invalid', reason })

/**
 * REST context values must be strings, numbers or booleans (API Gateway refuses objects and arrays) and reach
 * `$context.authorizer.*` and the 1.0 event as strings.
 */
function restContext(ctx: unknown): Record<string, string> | string {
  if (ctx === undefined || ctx === null) return {}
  if (!isObject(ctx)) return 'context must be an object'
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(ctx)) {
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return `context.${k} must be a string, number or boolean`
    // Keys are the function's (untrusted): `__proto__` must stay a key.
    setOwn(out, k, String(v))
  }
  return out
}

/** HTTP APIs pass the context through as JSON (arrays and maps allowed). */
function httpContext(ctx: unknown): Record<string, unknown> | string {
  if (ctx === undefined || ctx === null) return {}
  if (!isObject(ctx)) return 'context must be an object'
  return ctx
}

/**
 * Check an authorizer's result. `simple`: the HTTP API authorizer has `enableSimpleResponses` (payload 2.0).
 *
 * @example
 * ```ts
 * parseAnswer({ isAuthorized: true, context: { user: 'u1' } }, true, true) // { kind: 'simple', isAuthorized: true, … }
 * parseAnswer({ principalId: 'u1' }, false, false) // { kind: 'invalid', reason: 'the authorizer returned no policyDocument' }
 * ```
 */
export function parseAnswer(value: unknown, http: boolean, simple: boolean): ParsedAnswer {
  if (!isObject(value)) return invalid('the authorizer returned no object')
  if (simple) {
    if (typeof value.isAuthorized !== 'boolean') return invalid('isAuthorized must be a boolean')
    const ctx = httpContext(value.context)
    if (typeof ctx === 'string') return invalid(ctx)
    return { kind: 'simple', isAuthorized: value.isAuthorized, authorizer: { lambda: ctx } }
  }
  if (value.policyDocument === undefined) return invalid('the authorizer returned no policyDocument')
  if (value.principalId !== undefined && typeof value.principalId !== 'string') return invalid('principalId must be a string')
  if (value.usageIdentifierKey !== undefined && typeof value.usageIdentifierKey !== 'string')
    return invalid('usageIdentifierKey must be a string')
  let policy: CompiledPolicy
  try {
    policy = compilePolicy(value.policyDocument as never, { kind: 'identity' })
  } catch (e) {
    if (e instanceof PolicyError) return invalid(`policyDocument: ${e.message}`)
    throw e
  }
  let authorizer: Record<string, unknown>
  if (http) {
    const ctx = httpContext(value.context)
    if (typeof ctx === 'string') return invalid(ctx)
    authorizer = { lambda: ctx }
  } else {
    const ctx = restContext(value.context)
    if (typeof ctx === 'string') return invalid(ctx)
    authorizer = { ...ctx }
    if (value.principalId !== undefined) authorizer.principalId = value.principalId
    // Present from the start so each request's copy only overwrites it (adding a key to a clone is slow in V8).
    authorizer.integrationLatency = 0
  }
  return {
    kind: 'policy',
    policy,
    authorizer,
    usageIdentifierKey: value.usageIdentifierKey as string | undefined,
    decisions: new Map(),
    memoizable: false,
  }
}
