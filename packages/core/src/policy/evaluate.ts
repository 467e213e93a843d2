/**
 * Evaluation: one policy (explicit deny wins, then any allow, else implicit deny), and API Gateway's
 * combination of a resource policy with each authorization type.
 */
import { arnAccount } from './arn'
import { type CompiledPolicy, compilePolicy, statementApplies } from './compile'
import type { ContextMap } from './conditions'
import type {
  AuthorizationType,
  ContextValue,
  Decision,
  MatchedStatement,
  PolicyDocument,
  PolicyEvaluation,
  PolicyRequest,
  RequestPrincipal,
} from './types'
import { toText } from '../errors'

function contextValues(v: ContextValue): string[] {
  if (Array.isArray(v)) return v.map(String)
  if (v instanceof Date) return [v.toISOString()]
  return [toText(v)]
}

/**
 * The condition context of a request: its `context` keys (case-insensitive), plus `aws:CurrentTime` and
 * `aws:EpochTime` from `now` and `aws:PrincipalArn` / `aws:PrincipalAccount` from the principal when absent.
 */
export function buildContext(request: PolicyRequest, now?: () => number): ContextMap {
  const ctx: ContextMap = new Map()
  if (request.context) {
    for (const [k, v] of Object.entries(request.context)) if (v !== undefined) ctx.set(k.toLowerCase(), contextValues(v))
  }
  if (now && !ctx.has('aws:currenttime')) {
    const t = now()
    ctx.set('aws:currenttime', [new Date(t).toISOString()])
    if (!ctx.has('aws:epochtime')) ctx.set('aws:epochtime', [String(Math.floor(t / 1000))])
  }
  if (request.principal) {
    if (!ctx.has('aws:principalarn')) ctx.set('aws:principalarn', [request.principal.arn])
    if (!ctx.has('aws:principalaccount')) ctx.set('aws:principalaccount', [request.principal.accountId])
  }
  return ctx
}

const compiledCache = new WeakMap<object, CompiledPolicy>()

/** Accepts a compiled policy, or compiles (once per document object) an uncompiled one. */
function asCompiled(p: CompiledPolicy | PolicyDocument, kind: 'identity' | 'resource'): CompiledPolicy {
  if ('statements' in p && 'kind' in p) return p
  let c = compiledCache.get(p)
  if (!c) {
    c = compilePolicy(p as PolicyDocument, { kind })
    compiledCache.set(p, c)
  }
  return c
}

function evaluateCompiled(
  policies: readonly CompiledPolicy[],
  source: MatchedStatement['source'],
  request: PolicyRequest,
  ctx: ContextMap,
): PolicyEvaluation {
  let allow: MatchedStatement | undefined
  for (let pi = 0; pi < policies.length; pi++) {
    for (const s of policies[pi]!.statements) {
      if (!statementApplies(s, request.action, request.resource, request.principal, ctx)) continue
      const matched: MatchedStatement = {
        source,
        policyIndex: pi,
        statementIndex: s.index,
        effect: s.effect,
        ...(s.sid !== undefined ? { sid: s.sid } : {}),
      }
      // An explicit deny anywhere ends the evaluation.
      if (s.effect === 'Deny') return { decision: 'EXPLICIT_DENY', matched }
      allow ??= matched
    }
  }
  return allow ? { decision: 'ALLOW', matched: allow } : { decision: 'IMPLICIT_DENY' }
}

/**
 * Evaluates one or more policies of the same kind against a request: `EXPLICIT_DENY` when a Deny statement
 * applies, else `ALLOW` when an Allow statement applies, else `IMPLICIT_DENY`.
 *
 * @example
 * ```ts
 * import { compilePolicy, evaluatePolicy } from '@gatehousejs/core/policy'
 * const policy = compilePolicy({
 *   Version: '2012-10-17',
 *   Statement: [
 *     { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: 'arn:aws:execute-api:*:*:abc123/prod/*' },
 *     { Sid: 'NoDeletes', Effect: 'Deny', Action: 'execute-api:Invoke', Resource: 'arn:aws:execute-api:*:*:abc123/prod/DELETE/*' },
 *   ],
 * })
 * evaluatePolicy(policy, { action: 'execute-api:Invoke', resource: 'arn:aws:execute-api:us-east-1:111122223333:abc123/prod/GET/pets' }).decision // 'ALLOW'
 * const denied = evaluatePolicy(policy, { action: 'execute-api:Invoke', resource: 'arn:aws:execute-api:us-east-1:111122223333:abc123/prod/DELETE/pets/7' })
 * denied // { decision: 'EXPLICIT_DENY', matched: { source: 'identity', policyIndex: 0, statementIndex: 1, sid: 'NoDeletes', effect: 'Deny' } }
 * ```
 */
export function evaluatePolicy(
  policy: CompiledPolicy | PolicyDocument | readonly (CompiledPolicy | PolicyDocument)[],
  request: PolicyRequest,
  options: { now?: () => number; source?: MatchedStatement['source'] } = {},
): PolicyEvaluation {
  const list = (Array.isArray(policy) ? policy : [policy]) as (CompiledPolicy | PolicyDocument)[]
  const source = options.source ?? 'identity'
  const compiled = list.map((p) => asCompiled(p, source === 'resource' ? 'resource' : 'identity'))
  return evaluateCompiled(compiled, source, request, buildContext(request, options.now))
}

/**
 * API Gateway's combination of the caller's decision (IAM identity policies, or a Lambda authorizer's
 * policy) with the resource policy's, per authorization type. Source: "How API Gateway resource policies
 * affect authorization workflow" (developer guide), Tables A and B.
 *
 * - No resource policy: `NONE`/`COGNITO_USER_POOLS` allow; `AWS_IAM`/`CUSTOM` need the caller's allow.
 * - Any explicit deny wins.
 * - `NONE` and `COGNITO_USER_POOLS`: the resource policy must explicitly allow.
 * - `CUSTOM` and same-account `AWS_IAM` (Table A): either allow suffices.
 * - Cross-account `AWS_IAM` (Table B): both must allow.
 *
 * @example
 * ```ts
 * import { combineAuthorization } from '@gatehousejs/core/policy'
 * // A caller from another account needs the resource policy's allow as well (Table B).
 * combineAuthorization('AWS_IAM', { caller: 'ALLOW', resource: 'IMPLICIT_DENY', sameAccount: false }) // 'IMPLICIT_DENY'
 * // From the API's own account, either allow suffices (Table A).
 * combineAuthorization('AWS_IAM', { caller: 'ALLOW', resource: 'IMPLICIT_DENY', sameAccount: true }) // 'ALLOW'
 * ```
 */
export function combineAuthorization(
  authorizationType: AuthorizationType,
  decisions: { caller?: Decision; resource?: Decision; sameAccount?: boolean },
): Decision {
  const { caller, resource } = decisions
  if (resource === undefined) {
    if (authorizationType === 'NONE' || authorizationType === 'COGNITO_USER_POOLS') return 'ALLOW'
    return caller ?? 'IMPLICIT_DENY'
  }
  if (resource === 'EXPLICIT_DENY' || caller === 'EXPLICIT_DENY') return 'EXPLICIT_DENY'
  switch (authorizationType) {
    case 'NONE':
    case 'COGNITO_USER_POOLS':
      return resource === 'ALLOW' ? 'ALLOW' : 'IMPLICIT_DENY'
    case 'CUSTOM':
      return caller === 'ALLOW' || resource === 'ALLOW' ? 'ALLOW' : 'IMPLICIT_DENY'
    case 'AWS_IAM':
      if (decisions.sameAccount !== false) return caller === 'ALLOW' || resource === 'ALLOW' ? 'ALLOW' : 'IMPLICIT_DENY'
      return caller === 'ALLOW' && resource === 'ALLOW' ? 'ALLOW' : 'IMPLICIT_DENY'
  }
}

/**
 * The policies that bear on one request.
 *
 * @example
 * ```ts
 * import { evaluatePolicies, type PolicySet } from '@gatehousejs/core/policy'
 * const set: PolicySet = {
 *   identityPolicies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' }] }],
 *   resourcePolicy: {
 *     Version: '2012-10-17',
 *     Statement: [{ Effect: 'Deny', Principal: '*', Action: 'execute-api:Invoke', Resource: '*', Condition: { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }],
 *   },
 * }
 * const alice = { arn: 'arn:aws:iam::111122223333:user/alice', accountId: '111122223333' }
 * const request = (ip: string) => ({ action: 'execute-api:Invoke', resource: 'arn:aws:execute-api:us-east-1:111122223333:abc123/prod/GET/pets', principal: alice, context: { 'aws:SourceIp': ip } })
 * evaluatePolicies(set, request('10.1.2.3')).decision // 'ALLOW'
 * evaluatePolicies(set, request('192.0.2.7')).decision // 'EXPLICIT_DENY'
 * ```
 */
export interface PolicySet {
  identityPolicies?: readonly (CompiledPolicy | PolicyDocument)[]
  resourcePolicy?: CompiledPolicy | PolicyDocument
  authorizerPolicy?: CompiledPolicy | PolicyDocument
}

/**
 * Options of {@link evaluatePolicies}.
 *
 * @example
 * ```ts
 * import { evaluatePolicies, type EvaluatePoliciesOptions } from '@gatehousejs/core/policy'
 * // Allowed only before 2026 (aws:CurrentTime is taken from `now`).
 * const identityPolicies = [
 *   { Version: '2012-10-17', Statement: [{ Effect: 'Allow' as const, Action: 'execute-api:Invoke', Resource: '*', Condition: { DateLessThan: { 'aws:CurrentTime': '2026-01-01T00:00:00Z' } } }] },
 * ]
 * const request = { action: 'execute-api:Invoke', resource: 'arn:aws:execute-api:us-east-1:111122223333:abc123/prod/GET/pets' }
 * const in2025: EvaluatePoliciesOptions = { authorizationType: 'AWS_IAM', now: () => Date.UTC(2025, 5, 1) }
 * evaluatePolicies({ identityPolicies }, request, in2025).decision // 'ALLOW'
 * evaluatePolicies({ identityPolicies }, request, { ...in2025, now: () => Date.UTC(2026, 5, 1) }).decision // 'IMPLICIT_DENY'
 * ```
 */
export interface EvaluatePoliciesOptions {
  /** Default: `CUSTOM` with an authorizer policy, `AWS_IAM` with identity policies, else `NONE`. */
  authorizationType?: AuthorizationType
  /** Whether the caller is in the API owner's account. Default: the principal's account equals the resource ARN's. */
  sameAccount?: boolean
  now?: () => number
}

/**
 * The combined evaluation, with each side's own outcome.
 *
 * @example
 * ```ts
 * import { evaluatePolicies, type CombinedEvaluation } from '@gatehousejs/core/policy'
 * const r: CombinedEvaluation = evaluatePolicies(
 *   {
 *     identityPolicies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' }] }],
 *     resourcePolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: 'execute-api:Invoke', Resource: '*' }] },
 *   },
 *   { action: 'execute-api:Invoke', resource: 'arn:aws:execute-api:us-east-1:111122223333:abc123/prod/GET/pets', principal: { arn: 'arn:aws:iam::444455556666:user/bob', accountId: '444455556666' } },
 * )
 * // Bob's own policy allows, but he is from another account and the API's policy names only its own.
 * r.decision // 'IMPLICIT_DENY'
 * r.caller?.decision // 'ALLOW'
 * r.resource?.decision // 'IMPLICIT_DENY'
 * ```
 */
export interface CombinedEvaluation extends PolicyEvaluation {
  caller?: PolicyEvaluation
  resource?: PolicyEvaluation
}

/**
 * Evaluates identity policies (or a Lambda authorizer's policy) and the resource policy for one request and
 * combines them as API Gateway does for the method's authorization type ({@link combineAuthorization}).
 * `matched` is the deny statement that decided, or the allow statement that granted access.
 *
 * @example
 * ```ts
 * import { compilePolicy, evaluatePolicies } from '@gatehousejs/core/policy'
 * const userPolicy = compilePolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' }] })
 * const apiPolicy = compilePolicy({
 *   Version: '2012-10-17',
 *   Statement: [{ Sid: 'OfficeOnly', Effect: 'Deny', Principal: '*', Action: 'execute-api:Invoke', Resource: '*', Condition: { NotIpAddress: { 'aws:SourceIp': '192.0.2.0/24' } } }],
 * })
 * const r = evaluatePolicies(
 *   { identityPolicies: [userPolicy], resourcePolicy: apiPolicy },
 *   {
 *     action: 'execute-api:Invoke',
 *     resource: 'arn:aws:execute-api:us-east-1:111122223333:abc123/prod/GET/pets',
 *     principal: { arn: 'arn:aws:iam::111122223333:user/alice', accountId: '111122223333' },
 *     context: { 'aws:SourceIp': '203.0.113.9' },
 *   },
 * )
 * r.decision // 'EXPLICIT_DENY'
 * r.matched?.sid // 'OfficeOnly'
 * ```
 */
export function evaluatePolicies(policies: PolicySet, request: PolicyRequest, options: EvaluatePoliciesOptions = {}): CombinedEvaluation {
  const ctx = buildContext(request, options.now)
  let caller: PolicyEvaluation | undefined
  if (policies.authorizerPolicy) {
    caller = evaluateCompiled([asCompiled(policies.authorizerPolicy, 'identity')], 'authorizer', request, ctx)
  }
  if (policies.identityPolicies) {
    const identity = evaluateCompiled(
      policies.identityPolicies.map((p) => asCompiled(p, 'identity')),
      'identity',
      request,
      ctx,
    )
    caller = mergeCaller(caller, identity)
  }
  const resource = policies.resourcePolicy
    ? evaluateCompiled([asCompiled(policies.resourcePolicy, 'resource')], 'resource', request, ctx)
    : undefined
  const type = options.authorizationType ?? (policies.authorizerPolicy ? 'CUSTOM' : policies.identityPolicies ? 'AWS_IAM' : 'NONE')
  const sameAccount = options.sameAccount ?? isSameAccount(request.principal, request.resource)
  const decision = combineAuthorization(type, {
    ...(caller ? { caller: caller.decision } : {}),
    ...(resource ? { resource: resource.decision } : {}),
    sameAccount,
  })
  const out: CombinedEvaluation = { decision }
  const matched = pickMatched(decision, caller, resource)
  if (matched) out.matched = matched
  if (caller) out.caller = caller
  if (resource) out.resource = resource
  return out
}

function mergeCaller(a: PolicyEvaluation | undefined, b: PolicyEvaluation): PolicyEvaluation {
  if (!a) return b
  if (a.decision === 'EXPLICIT_DENY') return a
  if (b.decision === 'EXPLICIT_DENY') return b
  return a.decision === 'ALLOW' ? a : b
}

function isSameAccount(principal: RequestPrincipal | null | undefined, resource: string): boolean {
  if (!principal) return true
  const owner = arnAccount(resource)
  return owner === undefined || owner === '*' || owner === principal.accountId
}

function pickMatched(decision: Decision, caller?: PolicyEvaluation, resource?: PolicyEvaluation): MatchedStatement | undefined {
  if (decision === 'EXPLICIT_DENY') {
    return resource?.decision === 'EXPLICIT_DENY' ? resource.matched : caller?.matched
  }
  if (decision === 'ALLOW') return caller?.decision === 'ALLOW' ? caller.matched : resource?.matched
  return undefined
}
