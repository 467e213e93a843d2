/**
 * `@gatehousejs/core`: Amazon API Gateway's request pipeline as a library. The root exports what a gateway's user
 * needs — building a gateway, its options and definition types, gateway responses, the Lambda handler types,
 * the usage-plan registry; the IAM policy engine is `@gatehousejs/core/policy` and the node:http conversion the
 * adapters share is `@gatehousejs/core/node`.
 */

// Building and running a gateway.
export { createGateway, toGateway } from './build'
export { isPassthrough } from './gateway'
export type { Gateway, GatewayLike, Passthrough, RequestVia } from './gateway'
export type { GatewayInput, StageDefinition } from './options'
export type { ClientCert, GatewayRequest, GatewayResponse, HeaderMap } from './types'
export type { ErrorReporter, GatewayErrorInfo, GatewayErrorStage } from './report'
export { defaultOnError } from './report'
export type { RequestObserver, StageTiming } from './observe'
export type { RequestState } from './state'
export { GatewayConfigError } from './errors'
export { ACCESS_LOG_PRESETS } from './features/access-log/format'
export type { AccessLogDestination, AccessLogOptions } from './features/access-log'
export { captureExecutionLog, enableExecutionLogCapture } from './features/execution-log/capture'
export type { ExecutionLogCapture } from './features/execution-log/capture'
export type {
  ExecutionLogFields,
  ExecutionLogger,
  ExecutionLogLine,
  ExecutionLogSettings,
  LoggingLevel,
} from './features/execution-log/options'
export { createEmfExporter, createPrometheusRegistry, DEFAULT_LATENCY_BUCKETS, metricsHandler, prometheus } from './features/metrics'
export type {
  EmfExporter,
  EmfExporterOptions,
  HttpMetricName,
  MetricDatapoint,
  MetricName,
  MetricsMethodSettings,
  MetricsOptions,
  MetricsRouteSettings,
  MetricsSink,
  MetricUnit,
  PrometheusRegistry,
  PrometheusRegistryOptions,
  RestMetricName,
} from './features/metrics'
export { AuthorizerResultError } from './features/authorizers/lambda'
export { JwksFetchError } from './features/authorizers/jwt'
export type { GatewayConfigErrorCode, GatewayWarning } from './errors'

// The definition (what an OpenAPI document imports to, or what is passed as is).
export type {
  ApiDefinition,
  ApiType,
  AuthorizerDefinition,
  CorsConfiguration,
  IntegrationDefinition,
  IntegrationResponseDefinition,
  IntegrationType,
  MethodAuthorizationType,
  MethodDefinition,
  MethodSetting,
  RequestValidatorDefinition,
} from './definition'
export { EVERY_METHOD } from './method-settings'
export { GATEWAY_RESPONSE_DEFAULTS, GATEWAY_RESPONSE_TYPES } from './gateway-responses'
export type { GatewayResponseDefinition, GatewayResponseType } from './gateway-responses'
export type { LambdaCallback, LambdaContext, LambdaEvent, LambdaHandler } from './integrations/lambda'
export type {
  ProxyAuthorizerContext,
  ProxyEventStringLists,
  ProxyEventStrings,
  ProxyEventV1,
  ProxyEventV2,
  ProxyIdentityV1,
  ProxyRequestContextV1,
  ProxyRequestContextV2,
  ProxyResultV1,
  ProxyResultV2,
  ProxyStructuredResultV2,
} from './integrations/aws-proxy/event-types'
export type {
  AuthorizerPolicyResult,
  AuthorizerSimpleResult,
  RequestAuthorizerEventV1,
  RequestAuthorizerEventV2,
  TokenAuthorizerEvent,
} from './features/authorizers/event-types'

// Each feature's options and constants.
export type { IamPrincipals } from './features/iam/options'
export type { IamPrincipalConfig, PolicyDocument, PolicyStatement } from './policy'
export type { AuthorizationOptions } from './features/authorizers/options'
export type {
  WafActionName,
  WafEmpty,
  WafFieldToMatch,
  WafOptions,
  WafRule,
  WafRuleAction,
  WafStatement,
  WafTextTransformation,
} from './features/waf/options'
export type { EndpointConfiguration, EndpointOptions, EndpointType } from './features/endpoint/options'
export { BUILT_IN_MODELS } from './features/validation'
export { CACHE_CLUSTER_SIZES, UNAUTHORIZED_CACHE_CONTROL_WARNING } from './features/stage-cache'
export type { CacheInvalidationRequest, StageCacheStats } from './features/stage-cache/options'
export { AWS_ACCOUNT_THROTTLE } from './features/throttling/options'
export type { MethodThrottleSettings } from './features/throttling/options'

// API keys and usage plans, managed while the gateway runs.
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
export type {
  UsagePlanRegistryChange,
  UsagePlanRegistryPeer,
  UsagePlanRegistrySnapshot,
  UsagePlanRegistrySync,
} from './features/usage-plans/types'
export { createDomain, type Domain, type DomainMutualTls, type DomainOptions, type DomainTruststore } from './lifecycle/domain'
export { createStage, type CanarySettings, type Deployment, type Stage, type StageOptions } from './lifecycle/stage'
export type {
  AwsCredentials,
  AwsCredentialsProvider,
  AwsOptions,
  AwsServiceHandler,
  AwsServiceRequest,
  AwsServiceResponse,
} from './integrations/aws-service'
export type { HttpBackendHandler, HttpBackendRequest, HttpBackendResponse } from './integrations/in-process'
export type { AuthorizerCacheStore } from './features/authorizers/options'
