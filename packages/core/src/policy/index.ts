export { compilePolicy } from './compile'
export type { CompiledPolicy, CompiledStatement, CompilePolicyOptions } from './compile'
export { evaluatePolicy, evaluatePolicies, combineAuthorization, buildContext } from './evaluate'
export type { PolicySet, EvaluatePoliciesOptions, CombinedEvaluation } from './evaluate'
export { executeApiArn, arnAccount, maskAccount } from './arn'
export type { ExecuteApiArnParts } from './arn'
export { iamDeniedMessage, authorizerDeniedMessage } from './messages'
export { createIamAuthorizer } from './iam'
export type { IamPrincipalConfig, IamAuthorizerOptions, IamIdentity, IamRefusalType, IamAuthorization, IamAuthorizeInput, IamAuthorizer } from './iam'
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
