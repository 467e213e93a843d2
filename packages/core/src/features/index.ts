/**
 * The pipeline's optional stages, in API Gateway's order (DESIGN.md, "The request's way through core"):
 * WAF, endpoint type, resource policy, authorization, API key and usage plan, stage/method throttling, request
 * validation, cache.
 * Each feature lives in its own file; add it here at its place in the order.
 */
import { accessLogFeature } from './access-log'
import { metricsFeature } from './metrics'
import { endpointFeature } from './endpoint'
import { executionLogFeature, executionLogMethodFeature } from './execution-log'
import { wafFeature } from './waf'
import { authorizersFeature } from './authorizers'
import { cacheFeature } from './stage-cache'
import { requestDecompressionFeature, responseCompressionFeature } from './compression'
import { iamFeature } from './iam'
import { apiKeysFeature } from './api-keys'
import { throttlingFeature } from './throttling'
import { usagePlansFeature } from './usage-plans'
import { resourcePolicyFeature } from './resource-policy'
import type { Feature } from './types'
import { stageSettingsFeature } from './stage-settings'
import { validationFeature } from './validation'

export const FEATURES: readonly Feature[] = [
  executionLogFeature, // first route stage: opens the request's execution log (its "Extended Request Id")
  wafFeature, // the web ACL associated with the stage: AWS WAF filters before API Gateway does anything
  endpointFeature, // endpoint type and default endpoint: before everything else API Gateway does
  resourcePolicyFeature,
  iamFeature,
  authorizersFeature,
  apiKeysFeature, // API key (header or authorizer) and the usage plan's per-key throttles
  throttlingFeature, // stage/method throttling, then the account limit
  usagePlansFeature, // the usage plan's quota, after every throttle
  executionLogMethodFeature, // execution log: authorizer, usage plan and method request lines
  requestDecompressionFeature, // Content-Encoding: gzip | deflate payloads inflated before validation and templates
  validationFeature, // request validation: after authorization, API keys and throttling, before the cache
  cacheFeature, // stage cache: looks up after validation, stores after the integration
  responseCompressionFeature, // compresses after the cache stored the uncompressed answer
  stageSettingsFeature, // no stage: warns about the stage settings no feature acts on
  accessLogFeature, // no stage: the pipeline writes each answered request's line (stage accessLogSettings)
  metricsFeature, // no stage: each answered request's CloudWatch metrics to the `metrics` sinks
]
