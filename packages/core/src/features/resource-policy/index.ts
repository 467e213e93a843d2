/**
 * Resource policies (`x-amazon-apigateway-policy`, REST APIs): the API's own policy, evaluated before
 * authorization and combined with each authorization type as API Gateway does.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-resource-policies.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-authorization-flow.html
 */
import type { CompiledApi } from '../../model'
import type { ApiDefinition, MethodDefinition } from '../../definition'
import { GatewayConfigError } from '../../errors'
import { failure, type GatewayFailure } from '../../gateway-responses'
import { lastHeaderValue } from '../../http'
import {
  authorizerDeniedMessage,
  compilePolicy,
  evaluatePolicies,
  evaluatePolicy,
  executeApiArn,
  iamDeniedMessage,
  PolicyError,
  type AuthorizationType,
  type CompiledPolicy,
  type ContextValue,
  type PolicyDocument,
  type PolicyRequest,
} from '../../policy'
import type { RequestState } from '../../state'
import { stateKey, type Feature, type GatewayContext, type Json } from '../types'
import { isObject } from '../../json'

const INVOKE = 'execute-api:Invoke'

/** The compiled resource policy of a gateway (REST APIs with a policy only). */
const RESOURCE_POLICY = stateKey<CompiledPolicy | undefined>('resource-policy')

/**
 * The compiled resource policy of the gateway being built, if it has one (compiled once, on first use).
 *
 * @example
 * ```ts
 * const policy = resourcePolicyOf(ctx) // CompiledPolicy | undefined
 * ```
 */
export function resourcePolicyOf(gateway: GatewayContext): CompiledPolicy | undefined {
  return gateway.state.get(RESOURCE_POLICY, () => compileResourcePolicy(gateway.definition, gateway.api))
}

function compileResourcePolicy(definition: ApiDefinition, api: CompiledApi): CompiledPolicy | undefined {
  if (definition.policy === undefined) return undefined
  if (api.apiType !== 'REST') return undefined
  if (!isObject(definition.policy))
    throw new GatewayConfigError('INVALID_DEFINITION', 'the policy must be a policy document object', '/policy')
  try {
    return compilePolicy(withApiArns(definition.policy, api) as unknown as PolicyDocument, { kind: 'resource' })
  } catch (e) {
    if (e instanceof PolicyError) throw new GatewayConfigError('INVALID_DEFINITION', e.message, '/policy', { cause: e })
    throw e
  }
}

/**
 * The method ARN API Gateway authorizes a request against:
 * `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}/{path}` with the request's own path inside
 * the API (base path and stage removed).
 *
 * @example
 * ```ts
 * methodArn(state) // 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/pets/1'
 * ```
 */
export function methodArn(state: RequestState): string {
  const api = state.api
  return executeApiArn({
    region: api.region,
    accountId: api.accountId,
    apiId: api.apiId,
    stage: api.stage,
    method: state.request.method,
    path: state.path,
  })
}

/**
 * The global condition keys a request carries (`aws:SourceIp`, `aws:UserAgent`, `aws:Referer`, and
 * `aws:SourceVpce` / `aws:SourceVpc` when the API's endpoint configuration resolved them); the engine adds
 * `aws:CurrentTime`/`aws:EpochTime` and the principal's keys.
 *
 * @example
 * ```ts
 * conditionContext(state) // { 'aws:SourceIp': '203.0.113.7', 'aws:UserAgent': 'curl/8', 'aws:SourceVpce': 'vpce-1a2b' }
 * ```
 */
export function conditionContext(state: RequestState): Record<string, ContextValue | undefined> {
  const headers = state.request.headers
  const context: Record<string, ContextValue | undefined> = {
    'aws:SourceIp': state.identity.sourceIp,
    'aws:UserAgent': state.identity.userAgent ?? undefined,
    'aws:Referer': lastHeaderValue(headers, 'referer'),
  }
  // Set only by the endpoint stage, when the API resolves its requests' VPC endpoints.
  if (state.sourceVpce !== undefined) context['aws:SourceVpce'] = state.sourceVpce
  if (state.sourceVpc !== undefined) context['aws:SourceVpc'] = state.sourceVpc
  return context
}

function policyRequest(state: RequestState): PolicyRequest {
  return { action: INVOKE, resource: methodArn(state), principal: null, context: conditionContext(state) }
}

/** IAM's refusal body: `{"Message": …}`, kept unless the ACCESS_DENIED gateway response is customised. */
function denied(message: string): GatewayFailure {
  return failure('ACCESS_DENIED', message, { body: JSON.stringify({ Message: message }) })
}

/**
 * The refusal of an anonymous caller the resource policy does not allow: 403 with IAM's `{"Message": …}` body
 * naming the method ARN (explicitly denied, or not allowed).
 *
 * @example
 * ```ts
 * anonymousDenied(state, false).body // '{"Message":"User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:…"}'
 * ```
 */
export function anonymousDenied(state: RequestState, explicit: boolean): GatewayFailure {
  return denied(iamDeniedMessage({ action: INVOKE, resource: methodArn(state), explicit }))
}

/**
 * For Lambda (`CUSTOM`) authorizers, after the authorizer answered: its policy evaluated together with the
 * API's resource policy (Table A of "How API Gateway resource policies affect authorization workflow": either
 * may allow, no explicit deny). Returns the refusal to answer with, or `undefined` to go on. Without a resource
 * policy the authorizer's policy alone decides. The resource policy's explicit-deny check *before* the authorizer
 * runs is done by this feature's own stage, which runs first. An authorizer policy that is not a valid policy
 * document is `AUTHORIZER_CONFIGURATION_ERROR` (500), as on API Gateway.
 *
 * @example
 * ```ts
 * const refused = resourcePolicyDecision(state, resourcePolicyOf(ctx), output.policyDocument)
 * if (refused) return refused // 403 {"Message":"User is not authorized to access this resource with an explicit deny"}
 * ```
 */
export function resourcePolicyDecision(
  state: RequestState,
  resourcePolicy: CompiledPolicy | undefined,
  authorizerPolicy?: CompiledPolicy | PolicyDocument | string,
): GatewayFailure | undefined {
  let compiled: CompiledPolicy | undefined
  if (authorizerPolicy !== undefined) {
    try {
      compiled =
        typeof authorizerPolicy === 'object' && 'statements' in authorizerPolicy && 'kind' in authorizerPolicy
          ? authorizerPolicy
          : compilePolicy(authorizerPolicy as PolicyDocument, { kind: 'identity' })
    } catch (e) {
      if (e instanceof PolicyError) return failure('AUTHORIZER_CONFIGURATION_ERROR')
      throw e
    }
  }
  const evaluation = evaluatePolicies(
    { ...(compiled ? { authorizerPolicy: compiled } : {}), ...(resourcePolicy ? { resourcePolicy } : {}) },
    policyRequest(state),
    { authorizationType: 'CUSTOM', now: () => state.epoch },
  )
  if (evaluation.decision === 'ALLOW') return undefined
  const explicit = evaluation.decision === 'EXPLICIT_DENY'
  // A refusal decided by the resource policy alone reads as IAM's; one involving the authorizer as the authorizer's.
  if (explicit && evaluation.matched?.source === 'resource') return anonymousDenied(state, true)
  return denied(authorizerDeniedMessage(explicit))
}

function authorizationTypeOf(method: MethodDefinition): string {
  return (method.authorizationType ?? 'NONE').toUpperCase()
}

/** `execute-api:/stage/METHOD/path` is the console's shorthand for this API's own ARN; API Gateway expands it on save. */
function expandShorthand(value: unknown, prefix: string): unknown {
  const one = (v: unknown) => (typeof v === 'string' && v.startsWith('execute-api:/') ? `${prefix}${v.slice('execute-api:/'.length)}` : v)
  return Array.isArray(value) ? value.map(one) : one(value)
}

function withApiArns(doc: Json, api: CompiledApi): Json {
  const prefix = `arn:aws:execute-api:${api.region}:${api.accountId}:${api.apiId}/`
  const statements = doc.Statement
  const fix = (s: unknown) => {
    if (!isObject(s)) return s
    const out: Json = { ...s }
    if ('Resource' in s) out.Resource = expandShorthand(s.Resource, prefix)
    if ('NotResource' in s) out.NotResource = expandShorthand(s.NotResource, prefix)
    return out
  }
  return { ...doc, Statement: Array.isArray(statements) ? statements.map(fix) : fix(statements) }
}

/**
 * The resource-policy stage: `x-amazon-apigateway-policy` import, the policy compiled once per gateway, and per
 * route the check its authorization type needs (`NONE`, `COGNITO_USER_POOLS`: an explicit allow is required;
 * `CUSTOM`: an explicit deny refuses before the authorizer runs; `AWS_IAM`: evaluated with the identity
 * policies by the IAM stage).
 *
 * @example
 * ```ts
 * import { FEATURES } from './features'
 * FEATURES[0] === resourcePolicyFeature
 * ```
 */
export const resourcePolicyFeature: Feature = {
  name: 'resource-policy',
  apiExtensions: ['x-amazon-apigateway-policy'],

  importApi(doc, api, ctx) {
    const raw = doc['x-amazon-apigateway-policy']
    if (raw === undefined) return
    const at = '/x-amazon-apigateway-policy'
    if (ctx.apiType !== 'REST') {
      ctx.warn({ code: 'IGNORED_SETTING', message: 'resource policies apply to REST APIs only', pointer: at })
      return
    }
    let value: unknown = raw
    if (typeof raw === 'string') {
      try {
        value = JSON.parse(raw)
      } catch {
        throw new GatewayConfigError('INVALID_DEFINITION', 'the policy is not valid JSON', at)
      }
    }
    if (!isObject(value)) throw new GatewayConfigError('INVALID_DEFINITION', 'the policy must be a policy document object', at)
    api.policy = value
  },

  validate(gateway) {
    resourcePolicyOf(gateway)
  },

  compileRoute(route) {
    const policy = resourcePolicyOf(route)
    const method = route.method
    if (!policy) return null
    const type = authorizationTypeOf(method)
    if (type === 'AWS_IAM') return null
    if (type === 'CUSTOM') {
      return {
        before: (state) => {
          const r = evaluatePolicy(policy, policyRequest(state), { source: 'resource', now: () => state.epoch })
          return r.decision === 'EXPLICIT_DENY' ? anonymousDenied(state, true) : undefined
        },
      }
    }
    const authorizationType: AuthorizationType = type === 'COGNITO_USER_POOLS' ? 'COGNITO_USER_POOLS' : 'NONE'
    return {
      before: (state) => {
        const r = evaluatePolicies({ resourcePolicy: policy }, policyRequest(state), { authorizationType, now: () => state.epoch })
        return r.decision === 'ALLOW' ? undefined : anonymousDenied(state, r.decision === 'EXPLICIT_DENY')
      },
    }
  },
}
