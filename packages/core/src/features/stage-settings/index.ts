/**
 * The stage's settings gatehouse does not act on yet, said out loud: a stage given as an object (a SAM
 * `AWS::Serverless::Api` stage, an `AWS::ApiGateway::Stage`'s properties) may carry canary, tracing and
 * per-method logging and metrics settings; each one is a warning when the gateway is built (an error with
 * `strict`), never dropped in silence. Settings that only describe the stage (`description`, `tags`,
 * `documentationVersion`) change no behaviour and are accepted.
 * https://docs.aws.amazon.com/apigateway/latest/api/API_Stage.html
 * https://docs.aws.amazon.com/apigateway/latest/api/API_MethodSetting.html
 * https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid-stages-stagename.html
 */
import type { GatewayWarning } from '../../errors'
import { isObject } from '../../json'
import type { Feature } from '../types'

/** Stage fields gatehouse acts on, or that describe the stage without changing what it does. */
const STAGE_FIELDS: ReadonlySet<string> = new Set([
  'stageName',
  'variables',
  'deploymentId',
  'tracingEnabled',
  'methodSettings',
  'defaultRouteSettings',
  'routeSettings',
  'cacheClusterEnabled',
  'cacheClusterSize',
  'accessLogSettings',
  'description',
  'tags',
  'documentationVersion',
])

/** What each known-but-not-implemented stage field would do on API Gateway. */
const NOT_YET: Readonly<Record<string, string>> = {
  canarySettings: 'a stage definition serves no canary (use createStage and its updateCanary): every request goes to the stage itself',
  clientCertificateId: 'no client certificate is presented to HTTP backends',
  webAclArn: 'no web ACL is associated by ARN (use the `waf` option)',
  autoDeploy: 'there are no deployments to make: the definition given is what is served',
}

/** Method-setting (REST) and route-setting (HTTP API) fields gatehouse acts on. */
const METHOD_FIELDS: ReadonlySet<string> = new Set([
  'throttlingRateLimit',
  'throttlingBurstLimit',
  'cachingEnabled',
  'cacheTtlInSeconds',
  'cacheDataEncrypted',
  'requireAuthorizationForCacheControl',
  'unauthorizedCacheControlHeaderStrategy',
  'loggingLevel', // features/execution-log (REST); an HTTP API's is warned there
  'dataTraceEnabled',
  'metricsEnabled', // features/metrics: the Method and Resource dimensions
  'detailedMetricsEnabled', // features/metrics: the Route dimension (HTTP APIs)
])

const METHOD_NOT_YET: Readonly<Record<string, string>> = {}

/** Usage plan (`UsagePlanDefinition`) and API key (`ApiKeyDefinition`) fields gatehouse acts on or that describe them. */
const USAGE_PLAN_FIELDS: ReadonlySet<string> = new Set(['id', 'name', 'description', 'throttle', 'quota', 'apiStages', 'keys'])
const API_KEY_FIELDS: ReadonlySet<string> = new Set(['id', 'name', 'value', 'enabled', 'customerId', 'description'])

/**
 * Every field of each native option object this feature checks: known (acted on, inert, or warned about as not
 * implemented yet). Any other name is warned about as unknown.
 */
export const NATIVE_FIELDS: Readonly<Record<'stage' | 'methodSetting' | 'usagePlan' | 'apiKey', readonly string[]>> = {
  stage: [...STAGE_FIELDS, ...Object.keys(NOT_YET)],
  methodSetting: [...METHOD_FIELDS, ...Object.keys(METHOD_NOT_YET)],
  usagePlan: [...USAGE_PLAN_FIELDS],
  apiKey: [...API_KEY_FIELDS],
}

function checkFields(list: unknown, known: ReadonlySet<string>, where: string, warn: (w: GatewayWarning) => void): void {
  if (!Array.isArray(list)) return
  list.forEach((item, i) => {
    if (!isObject(item)) return
    for (const key of Object.keys(item)) {
      if (!known.has(key))
        warn({ code: 'IGNORED_SETTING', message: `${where}[${i}].${key} is ignored: gatehouse does not know this setting`, pointer: '' })
    }
  })
}

function checkSettings(settings: unknown, where: string, warn: (w: GatewayWarning) => void): void {
  if (!isObject(settings)) return
  for (const key of Object.keys(settings)) {
    if (METHOD_FIELDS.has(key)) continue
    const what = Object.hasOwn(METHOD_NOT_YET, key) ? METHOD_NOT_YET[key] : 'gatehouse does not know this setting'
    warn({ code: 'IGNORED_SETTING', message: `stage ${where}.${key} is ignored: ${what}`, pointer: '' })
  }
}

/**
 * Warns about every stage setting the gateway does not act on.
 *
 * @example
 * ```ts
 * import { createGateway } from '@gatehousejs/core'
 * const api = { resources: { '/': { GET: { integration: { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } } } } } }
 * createGateway({ api, stage: { stageName: 'prod', clientCertificateId: 'abc' } as never, strict: true })
 * // throws GatewayConfigError: stage clientCertificateId is ignored: no client certificate is presented to HTTP backends
 * ```
 */
export const stageSettingsFeature: Feature = {
  name: 'stage-settings',
  validate({ input, warn }) {
    checkFields(input.usagePlans, USAGE_PLAN_FIELDS, 'usagePlans', warn)
    checkFields(input.apiKeys, API_KEY_FIELDS, 'apiKeys', warn)
    const stage: unknown = input.stage
    if (!isObject(stage)) return
    for (const key of Object.keys(stage)) {
      if (STAGE_FIELDS.has(key)) continue
      const what = Object.hasOwn(NOT_YET, key) ? NOT_YET[key] : 'gatehouse does not know this setting'
      warn({ code: 'IGNORED_SETTING', message: `stage ${key} is ignored: ${what}`, pointer: '' })
    }
    for (const [name, settings] of Object.entries(isObject(stage.methodSettings) ? stage.methodSettings : {})) {
      checkSettings(settings, `methodSettings["${name}"]`, warn)
    }
    checkSettings(stage.defaultRouteSettings, 'defaultRouteSettings', warn)
    for (const [name, settings] of Object.entries(isObject(stage.routeSettings) ? stage.routeSettings : {})) {
      checkSettings(settings, `routeSettings["${name}"]`, warn)
    }
  },
}
