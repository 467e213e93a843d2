/**
 * Policy documents as users write them (IAM JSON policy language, as API Gateway uses it) and the shapes
 * the engine evaluates.
 */

/**
 * A principal element: `"*"` or `{ "AWS": account ids / ARNs / "*" }` (other keys match only `"*"`).
 *
 * @example
 * ```ts
 * import { evaluatePolicy, type PolicyPrincipal } from '@gatehousejs/core/policy'
 * // Alice, and anyone in account 444455556666.
 * const principal: PolicyPrincipal = { AWS: ['arn:aws:iam::111122223333:user/alice', '444455556666'] }
 * const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow' as const, Principal: principal, Action: 'execute-api:Invoke', Resource: '*' }] }
 * const asCaller = (arn: string, accountId: string) =>
 *   evaluatePolicy(policy, { action: 'execute-api:Invoke', resource: 'arn:aws:execute-api:us-east-1:111122223333:abc123/prod/GET/pets', principal: { arn, accountId } }, { source: 'resource' }).decision
 * asCaller('arn:aws:iam::444455556666:user/bob', '444455556666') // 'ALLOW'
 * asCaller('arn:aws:iam::111122223333:user/mallory', '111122223333') // 'IMPLICIT_DENY'
 * ```
 */
export type PolicyPrincipal =
  | '*'
  | { AWS?: string | string[]; Service?: string | string[]; Federated?: string | string[]; CanonicalUser?: string | string[] }

/**
 * One statement.
 *
 * @example
 * ```ts
 * import { evaluatePolicy, type PolicyStatement } from '@gatehousejs/core/policy'
 * // Everything on the prod stage except creating admin resources.
 * const statement: PolicyStatement = {
 *   Effect: 'Allow',
 *   Action: 'execute-api:Invoke',
 *   NotResource: 'arn:aws:execute-api:*:*:abc123/prod/POST/admin/*',
 * }
 * const decide = (resource: string) => evaluatePolicy({ Version: '2012-10-17', Statement: [statement] }, { action: 'execute-api:Invoke', resource }).decision
 * decide('arn:aws:execute-api:us-east-1:111122223333:abc123/prod/GET/pets') // 'ALLOW'
 * decide('arn:aws:execute-api:us-east-1:111122223333:abc123/prod/POST/admin/users') // 'IMPLICIT_DENY'
 * ```
 */
export interface PolicyStatement {
  Sid?: string
  Effect: 'Allow' | 'Deny'
  Action?: string | string[]
  NotAction?: string | string[]
  Resource?: string | string[]
  NotResource?: string | string[]
  Principal?: PolicyPrincipal
  NotPrincipal?: PolicyPrincipal
  Condition?: Record<string, Record<string, unknown>>
}

/**
 * A policy document: identity policy, resource policy or a Lambda authorizer's `policyDocument`.
 *
 * @example
 * ```ts
 * import { createGateway, type PolicyDocument } from '@gatehousejs/core'
 * // A resource policy (`x-amazon-apigateway-policy`): callers from one network only.
 * const policy: PolicyDocument = {
 *   Version: '2012-10-17',
 *   Statement: [{ Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*', Condition: { IpAddress: { 'aws:SourceIp': '192.0.2.0/24' } } }],
 * }
 * const gw = createGateway({
 *   api: { policy: { ...policy }, resources: { '/pets': { GET: { integration: { type: 'AWS_PROXY', uri: 'listPets' } } } } },
 *   functions: { listPets: async () => ({ statusCode: 200, body: '[]' }) },
 * })
 * ;(await gw.handle({ method: 'GET', path: '/pets', headers: {}, sourceIp: '192.0.2.7' })).statusCode // 200
 * ;(await gw.handle({ method: 'GET', path: '/pets', headers: {}, sourceIp: '203.0.113.9' })).statusCode // 403
 * ```
 */
export interface PolicyDocument {
  Version?: string
  Id?: string
  Statement: PolicyStatement | PolicyStatement[]
}

/**
 * Who is calling: an IAM user or role session (ARN and account). `null`/absent is the anonymous caller.
 *
 * @example
 * ```ts
 * import { evaluatePolicy, type RequestPrincipal } from '@gatehousejs/core/policy'
 * const alice: RequestPrincipal = { arn: 'arn:aws:iam::111122223333:user/alice', accountId: '111122223333' }
 * const ownAccountOnly = {
 *   Version: '2012-10-17',
 *   Statement: [{ Effect: 'Allow' as const, Principal: { AWS: '111122223333' }, Action: 'execute-api:Invoke', Resource: '*' }],
 * }
 * const request = { action: 'execute-api:Invoke', resource: 'arn:aws:execute-api:us-east-1:111122223333:abc123/prod/GET/pets' }
 * evaluatePolicy(ownAccountOnly, { ...request, principal: alice }, { source: 'resource' }).decision // 'ALLOW'
 * evaluatePolicy(ownAccountOnly, { ...request, principal: null }, { source: 'resource' }).decision // 'IMPLICIT_DENY'
 * ```
 */
export interface RequestPrincipal {
  arn: string
  accountId: string
}

/**
 * A request-context value for conditions: a string, number, boolean, date, or a list for multivalued keys.
 *
 * @example
 * ```ts
 * import { evaluatePolicy, type ContextValue } from '@gatehousejs/core/policy'
 * const context: Record<string, ContextValue> = { 'aws:SourceIp': '192.0.2.7', 'aws:SecureTransport': true, 'aws:CurrentTime': new Date('2025-06-01T00:00:00Z') }
 * const policy = {
 *   Version: '2012-10-17',
 *   Statement: [{ Effect: 'Deny' as const, Action: '*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }, { Effect: 'Allow' as const, Action: '*', Resource: '*' }],
 * }
 * evaluatePolicy(policy, { action: 'execute-api:Invoke', resource: 'arn:aws:execute-api:us-east-1:111122223333:abc123/prod/GET/pets', context }).decision // 'ALLOW'
 * ```
 */
export type ContextValue = string | number | boolean | Date | readonly (string | number | boolean)[]

/**
 * What is being authorized.
 *
 * @example
 * ```ts
 * import { evaluatePolicy, type PolicyRequest } from '@gatehousejs/core/policy'
 * const request: PolicyRequest = {
 *   action: 'execute-api:Invoke',
 *   resource: 'arn:aws:execute-api:us-east-1:111122223333:abc123/prod/GET/pets',
 *   principal: { arn: 'arn:aws:iam::111122223333:user/alice', accountId: '111122223333' },
 *   context: { 'aws:SourceIp': '192.0.2.7' },
 * }
 * const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow' as const, Action: 'execute-api:Invoke', Resource: 'arn:aws:execute-api:*:*:abc123/prod/GET/*' }] }
 * evaluatePolicy(policy, request).decision // 'ALLOW'
 * ```
 */
export interface PolicyRequest {
  action: string
  resource: string
  principal?: RequestPrincipal | null
  context?: Record<string, ContextValue | undefined>
}

/**
 * The outcome of evaluating policies, in IAM's three values.
 *
 * @example
 * ```ts
 * import { combineAuthorization, evaluatePolicy, type Decision } from '@gatehousejs/core/policy'
 * const resource = 'arn:aws:execute-api:us-east-1:111122223333:abc123/prod/GET/pets'
 * const noDeletes = { Version: '2012-10-17', Statement: [{ Effect: 'Deny' as const, Action: '*', Resource: 'arn:aws:execute-api:*:*:abc123/prod/DELETE/*' }] }
 * const caller: Decision = evaluatePolicy(noDeletes, { action: 'execute-api:Invoke', resource }).decision
 * caller // 'IMPLICIT_DENY'
 * combineAuthorization('AWS_IAM', { caller }) // 'IMPLICIT_DENY'
 * combineAuthorization('NONE', { caller }) // 'ALLOW'
 * ```
 */
export type Decision = 'ALLOW' | 'EXPLICIT_DENY' | 'IMPLICIT_DENY'

/**
 * Which statement decided.
 *
 * @example
 * ```ts
 * import { evaluatePolicy, type MatchedStatement } from '@gatehousejs/core/policy'
 * const policy = {
 *   Version: '2012-10-17',
 *   Statement: [
 *     { Effect: 'Allow' as const, Action: 'execute-api:Invoke', Resource: '*' },
 *     { Sid: 'NoAdmin', Effect: 'Deny' as const, Action: 'execute-api:Invoke', Resource: 'arn:aws:execute-api:*:*:abc123/prod/GET/admin/*' },
 *   ],
 * }
 * const matched: MatchedStatement | undefined = evaluatePolicy(policy, {
 *   action: 'execute-api:Invoke',
 *   resource: 'arn:aws:execute-api:us-east-1:111122223333:abc123/prod/GET/admin/users',
 * }).matched
 * matched // { source: 'identity', policyIndex: 0, statementIndex: 1, sid: 'NoAdmin', effect: 'Deny' }
 * ```
 */
export interface MatchedStatement {
  source: 'identity' | 'resource' | 'authorizer'
  /** Index among the identity policies (0 for the resource and authorizer policies). */
  policyIndex: number
  statementIndex: number
  sid?: string
  effect: 'Allow' | 'Deny'
}

/**
 * A decision with the statement that made it (none for an implicit deny).
 *
 * @example
 * ```ts
 * import { evaluatePolicy, type PolicyEvaluation } from '@gatehousejs/core/policy'
 * const readOnly = { Version: '2012-10-17', Statement: [{ Effect: 'Allow' as const, Action: 'execute-api:Invoke', Resource: 'arn:aws:execute-api:*:*:abc123/prod/GET/*' }] }
 * const evaluation: PolicyEvaluation = evaluatePolicy(readOnly, { action: 'execute-api:Invoke', resource: 'arn:aws:execute-api:us-east-1:111122223333:abc123/prod/GET/pets' })
 * evaluation // { decision: 'ALLOW', matched: { source: 'identity', policyIndex: 0, statementIndex: 0, effect: 'Allow' } }
 * evaluatePolicy(readOnly, { action: 'execute-api:Invoke', resource: 'arn:aws:execute-api:us-east-1:111122223333:abc123/prod/POST/pets' }) // { decision: 'IMPLICIT_DENY' }
 * ```
 */
export interface PolicyEvaluation {
  decision: Decision
  matched?: MatchedStatement
}

/**
 * A method's authorization type, as API Gateway names them.
 *
 * @example
 * ```ts
 * import { evaluatePolicies, type AuthorizationType } from '@gatehousejs/core/policy'
 * // A resource policy that allows one network, on a method without authorization.
 * const authorizationType: AuthorizationType = 'NONE'
 * const resourcePolicy = {
 *   Version: '2012-10-17',
 *   Statement: [{ Effect: 'Allow' as const, Principal: '*' as const, Action: 'execute-api:Invoke', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }],
 * }
 * const request = (ip: string) => ({ action: 'execute-api:Invoke', resource: 'arn:aws:execute-api:us-east-1:111122223333:abc123/prod/GET/pets', context: { 'aws:SourceIp': ip } })
 * evaluatePolicies({ resourcePolicy }, request('10.0.0.1'), { authorizationType }).decision // 'ALLOW'
 * evaluatePolicies({ resourcePolicy }, request('192.0.2.7'), { authorizationType }).decision // 'IMPLICIT_DENY'
 * ```
 */
export type AuthorizationType = 'NONE' | 'AWS_IAM' | 'CUSTOM' | 'COGNITO_USER_POOLS'
