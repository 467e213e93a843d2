export { createGateway, toGateway } from './build'
export { isPassthrough } from './gateway'
export type { Gateway, Passthrough } from './gateway'
export type { GatewayInput, StageDefinition } from './options'
export type { ErrorReporter, GatewayErrorInfo, GatewayErrorStage } from './report'
export type {
  ApiDefinition,
  ApiType,
  MethodAuthorizationType,
  AuthorizerDefinition,
  RequestValidatorDefinition,
  CorsConfiguration,
  IntegrationDefinition,
  IntegrationResponseDefinition,
  IntegrationType,
  MethodDefinition,
  MethodSetting,
} from './definition'
export { GatewayConfigError } from './errors'
export { EVERY_METHOD } from './method-settings'
export type { GatewayConfigErrorCode } from './errors'
export { GATEWAY_RESPONSE_DEFAULTS, GATEWAY_RESPONSE_TYPES } from './gateway-responses'
export type { GatewayResponseDefinition, GatewayResponseType } from './gateway-responses'
export type { LambdaCallback, LambdaContext, LambdaHandler } from './integrations/lambda'
export type { GatewayWarning } from './errors'
export type { ClientCert, GatewayRequest, GatewayResponse, HeaderMap } from './types'
export type { IamPrincipals } from './features/iam/options'
export { BUILT_IN_MODELS } from './features/validation'
export { CACHE_CLUSTER_SIZES, UNAUTHORIZED_CACHE_CONTROL_WARNING } from './features/stage-cache'
export type { CacheInvalidationRequest, StageCacheStats } from './features/stage-cache'
export type { AuthorizationOptions } from './features/authorizers'
export { AWS_ACCOUNT_THROTTLE } from './features/throttling/options'
export type { MethodThrottleSettings } from './features/throttling/options'
export { createUsagePlanRegistry } from './features/usage-plans/registry'
export { UsagePlanAdminError } from './features/usage-plans/admin-error'
export type {
  ApiKey,
  ApiKeyDefinition,
  QuotaSettings,
  ThrottleSettings,
  Usage,
  UsagePlan,
  UsagePlanAdminErrorCode,
  UsagePlanApiStage,
  UsagePlanDefinition,
  UsagePlanRegistry,
  UsagePlanRegistryOptions,
} from './features/usage-plans/types'
export {
  compilePolicy,
  evaluatePolicy,
  evaluatePolicies,
  combineAuthorization,
  buildContext,
  executeApiArn,
  arnAccount,
  maskAccount,
  iamDeniedMessage,
  authorizerDeniedMessage,
  createIamAuthorizer,
  CONDITION_OPERATORS,
  PolicyError,
} from './policy'
export type {
  CompiledPolicy,
  CompiledStatement,
  CompilePolicyOptions,
  PolicySet,
  EvaluatePoliciesOptions,
  CombinedEvaluation,
  ExecuteApiArnParts,
  IamPrincipalConfig,
  IamAuthorizerOptions,
  IamIdentity,
  IamRefusalType,
  IamAuthorization,
  IamAuthorizeInput,
  IamAuthorizer,
  PolicyErrorCode,
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
} from './policy'
