/**
 * Policy documents as users write them (IAM JSON policy language, as API Gateway uses it) and the shapes
 * the engine evaluates.
 */

/**
 * A principal element: `"*"` or `{ "AWS": account ids / ARNs / "*" }` (other keys match only `"*"`).
 *
 * @example
 * ```ts
 * const p: PolicyPrincipal = { AWS: ['arn:aws:iam::111122223333:user/Alice', '444455556666'] }
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
 * const s: PolicyStatement = { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: 'arn:aws:execute-api:*:*:abc/prod/GET/*' }
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
 * const doc: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] }
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
 * const alice: RequestPrincipal = { arn: 'arn:aws:iam::111122223333:user/Alice', accountId: '111122223333' }
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
 * const context: Record<string, ContextValue> = { 'aws:SourceIp': '192.0.2.7', 'aws:SecureTransport': true }
 * ```
 */
export type ContextValue = string | number | boolean | Date | readonly (string | number | boolean)[]

/**
 * What is being authorized.
 *
 * @example
 * ```ts
 * const req: PolicyRequest = {
 *   action: 'execute-api:Invoke',
 *   resource: 'arn:aws:execute-api:us-east-1:111122223333:abc123/prod/GET/pets',
 *   context: { 'aws:SourceIp': '192.0.2.7' },
 * }
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
 * const d: Decision = 'EXPLICIT_DENY'
 * ```
 */
export type Decision = 'ALLOW' | 'EXPLICIT_DENY' | 'IMPLICIT_DENY'

/**
 * Which statement decided.
 *
 * @example
 * ```ts
 * const m: MatchedStatement = { source: 'resource', policyIndex: 0, statementIndex: 1, effect: 'Deny' }
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
 * const e: PolicyEvaluation = { decision: 'ALLOW', matched: { source: 'identity', policyIndex: 0, statementIndex: 0, effect: 'Allow' } }
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
 * const t: AuthorizationType = 'AWS_IAM'
 * ```
 */
export type AuthorizationType = 'NONE' | 'AWS_IAM' | 'CUSTOM' | 'COGNITO_USER_POOLS'
