/**
 * Rows of the table: the native stage, method settings, usage plans and API keys (see table.ts).
 */
import { type FieldRow, acted, inert, warned, unknown, API, V2 } from './rows'

const STAGE = `${API}API_Stage.html`
const STAGE_V2 = `${V2}apis-apiid-stages-stagename.html`
const METHOD_SETTING = `${API}API_MethodSetting.html`
export const STAGE_ROWS: readonly FieldRow[] = [
  acted(
    'stage',
    'stageName',
    'prod',
    'rest-proxy.test.ts › substitutes stage variables in the function URI and passes them in the event',
    STAGE,
  ),
  acted(
    'stage',
    'variables',
    { v: '1' },
    'rest-proxy.test.ts › substitutes stage variables in the function URI and passes them in the event',
    STAGE,
  ),
  inert('stage', 'deploymentId', 'd1', 'there are no deployments: the definition given is what is served; the id only labels it', STAGE),
  acted(
    'stage',
    'methodSettings',
    { '*/*': { throttlingRateLimit: 10, throttlingBurstLimit: 5 } },
    'throttling.test.ts › throttles each method at the stage default (*/*), refilling at the rate',
    STAGE,
  ),
  acted(
    'stage',
    'defaultRouteSettings',
    { throttlingRateLimit: 10, throttlingBurstLimit: 5 },
    'throttling.test.ts › throttles HTTP API routes by routeSettings and defaultRouteSettings',
    STAGE_V2,
    { apiType: 'HTTP' },
  ),
  acted(
    'stage',
    'routeSettings',
    { 'GET /a': { throttlingRateLimit: 10, throttlingBurstLimit: 5 } },
    'throttling.test.ts › throttles HTTP API routes by routeSettings and defaultRouteSettings',
    STAGE_V2,
    { apiType: 'HTTP' },
  ),
  acted(
    'stage',
    'cacheClusterEnabled',
    true,
    'cache.test.ts › answers a repeated GET from the cache without calling the integration',
    STAGE,
  ),
  acted('stage', 'cacheClusterSize', '0.5', 'cache.test.ts › accepts every AWS size and a byte count', STAGE),
  inert('stage', 'description', 'production', 'describes the stage only', STAGE),
  inert('stage', 'tags', { team: 'pets' }, 'resource tags label the stage; no request sees them', STAGE),
  inert('stage', 'documentationVersion', '1', 'names the documentation snapshot; no request sees it', STAGE),
  acted(
    'stage',
    'accessLogSettings',
    { format: '$context.requestId' },
    'access-log.test.ts › CLF (REST): the documented line, one per request, written after the answer',
    STAGE,
  ),
  warned('stage', 'canarySettings', { percentTraffic: 10 }, 'a stage definition serves no canary (createStage does)', STAGE),
  acted(
    'stage',
    'tracingEnabled',
    true,
    'tracing/propagation.test.ts › the Lambda proxy answer and the access log agree on the trace; xrayTraceId only with tracingEnabled',
    STAGE,
  ),
  warned('stage', 'clientCertificateId', 'abc', 'no client certificate is presented to backends', STAGE),
  warned('stage', 'webAclArn', 'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/a/1', 'use the `waf` option', STAGE),
  warned('stage', 'autoDeploy', true, 'there are no deployments to make', STAGE_V2, { apiType: 'HTTP' }),
  unknown('stage', 'madeUp', STAGE),
]

export const METHOD_SETTING_ROWS: readonly FieldRow[] = [
  acted(
    'methodSetting',
    'throttlingRateLimit',
    10,
    'throttling.test.ts › throttles each method at the stage default (*/*), refilling at the rate',
    METHOD_SETTING,
    { with: { throttlingBurstLimit: 5 } },
  ),
  acted(
    'methodSetting',
    'throttlingBurstLimit',
    5,
    'throttling.test.ts › throttles each method at the stage default (*/*), refilling at the rate',
    METHOD_SETTING,
    { with: { throttlingRateLimit: 10 } },
  ),
  acted(
    'methodSetting',
    'cachingEnabled',
    true,
    'cache.test.ts › is off when the cluster is off, when caching is disabled stage-wide or per method, and for TTL 0',
    METHOD_SETTING,
  ),
  acted(
    'methodSetting',
    'cacheTtlInSeconds',
    60,
    'cache.test.ts › serves an entry until its TTL has passed, by the injected clock',
    METHOD_SETTING,
  ),
  acted(
    'methodSetting',
    'cacheDataEncrypted',
    true,
    'cache-redis.test.ts › entries carry their TTL in Redis and are stored encrypted when the method says so',
    METHOD_SETTING,
  ),
  acted(
    'methodSetting',
    'requireAuthorizationForCacheControl',
    true,
    'cache.test.ts › FAIL_WITH_403: an unauthorized caller is refused and the entry stays',
    METHOD_SETTING,
  ),
  acted(
    'methodSetting',
    'unauthorizedCacheControlHeaderStrategy',
    'FAIL_WITH_403',
    'cache.test.ts › FAIL_WITH_403: an unauthorized caller is refused and the entry stays',
    METHOD_SETTING,
  ),
  acted('methodSetting', 'loggingLevel', 'ERROR', 'execution-log/lines.test.ts › ERROR writes only the failure lines', METHOD_SETTING),
  acted(
    'methodSetting',
    'dataTraceEnabled',
    false,
    'execution-log/lines.test.ts › without data trace, INFO writes the events but none of the data lines',
    METHOD_SETTING,
  ),
  acted(
    'methodSetting',
    'metricsEnabled',
    true,
    'metrics/metrics.test.ts › adds Method and Resource for methods with metricsEnabled, by the methodSettings precedence',
    METHOD_SETTING,
  ),
  acted(
    'methodSetting',
    'detailedMetricsEnabled',
    true,
    'metrics/metrics.test.ts › adds Route for routes with detailedMetricsEnabled (routeSettings over defaultRouteSettings)',
    `${V2}apis-apiid-stages-stagename.html`,
  ),
  unknown('methodSetting', 'madeUp', METHOD_SETTING),
]

const USAGE_PLAN = `${API}API_UsagePlan.html`
const API_KEY = `${API}API_ApiKey.html`
export const USAGE_PLAN_ROWS: readonly FieldRow[] = [
  acted('usagePlan', 'id', 'p1', 'usage-plans.test.ts › answers 429 Limit Exceeded once a key spent its quota, per key', USAGE_PLAN),
  inert('usagePlan', 'name', 'Gold', 'names the plan only', USAGE_PLAN),
  inert('usagePlan', 'description', 'the gold plan', 'describes the plan only', USAGE_PLAN),
  acted(
    'usagePlan',
    'throttle',
    { rateLimit: 1, burstLimit: 2 },
    'throttling.test.ts › gives each key its own bucket at the plan throttle',
    USAGE_PLAN,
  ),
  acted(
    'usagePlan',
    'quota',
    { limit: 1, period: 'DAY' },
    'usage-plans.test.ts › answers 429 Limit Exceeded once a key spent its quota, per key',
    USAGE_PLAN,
  ),
  acted(
    'usagePlan',
    'apiStages',
    [{ stage: 'prod' }],
    'usage-plans.test.ts › answers 429 Limit Exceeded once a key spent its quota, per key',
    USAGE_PLAN,
  ),
  acted(
    'usagePlan',
    'keys',
    ['k1'],
    'usage-plans.test.ts › answers 429 Limit Exceeded once a key spent its quota, per key',
    `${API}API_UsagePlanKey.html`,
  ),
  unknown('usagePlan', 'madeUp', USAGE_PLAN),
]

export const API_KEY_ROWS: readonly FieldRow[] = [
  acted('apiKey', 'id', 'k1', 'api-keys.test.ts › fills $context.identity.apiKey and apiKeyId', API_KEY),
  inert('apiKey', 'name', 'partner', 'names the key only', API_KEY),
  acted('apiKey', 'value', 'partner-key-0123456789', 'api-keys.test.ts › fills $context.identity.apiKey and apiKeyId', API_KEY),
  acted('apiKey', 'enabled', true, 'api-keys.test.ts › creates, attaches, disables, enables and deletes keys', API_KEY),
  inert('apiKey', 'customerId', 'c1', 'an AWS Marketplace customer id labels the key; no request sees it', API_KEY),
  inert('apiKey', 'description', 'the partner key', 'describes the key only', API_KEY),
  unknown('apiKey', 'madeUp', API_KEY),
]
