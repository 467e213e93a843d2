/**
 * `@gatehousejs/core/policy`: the IAM policy engine API Gateway's authorization uses — compile and evaluate
 * identity, resource and authorizer policies (`Allow`/`Deny`, `NotAction`/`NotResource`, conditions), combine
 * them per authorization type, and verify SigV4 callers against in-process principals.
 *
 * @example
 * ```ts
 * import { compilePolicy, evaluatePolicy } from '@gatehousejs/core/policy'
 * const policy = compilePolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' }] })
 * const request = { action: 'execute-api:Invoke', resource: 'arn:aws:execute-api:us-east-1:111122223333:abc123/prod/GET/pets' }
 * evaluatePolicy(policy, request).decision // 'ALLOW'
 * ```
 */
export { compilePolicy } from './compile'
export type { CompiledPolicy, CompiledStatement, CompilePolicyOptions } from './compile'
export { evaluatePolicy, evaluatePolicies, combineAuthorization } from './evaluate'
export type { PolicySet, EvaluatePoliciesOptions, CombinedEvaluation } from './evaluate'
export { executeApiArn } from './arn'
export type { ExecuteApiArnParts } from './arn'
export { iamDeniedMessage, authorizerDeniedMessage } from './messages'
export { createIamAuthorizer } from './iam'
export type {
  IamPrincipalConfig,
  IamAuthorizerOptions,
  IamIdentity,
  IamRefusalType,
  IamAuthorization,
  IamAuthorizeInput,
  IamAuthorizer,
} from './iam'
export { CONDITION_OPERATORS } from './conditions'
export { PolicyError } from './errors'
export type { PolicyErrorCode } from './errors'
export type {
  PolicyDocument,
  PolicyStatement,
  PolicyPrincipal,
  RequestPrincipal,
  ContextValue,
  PolicyRequest,
  Decision,
  MatchedStatement,
  PolicyEvaluation,
  AuthorizationType,
} from './types'
