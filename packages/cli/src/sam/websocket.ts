/**
 * A template's WebSocket APIs — `AWS::ApiGatewayV2::Api` with `ProtocolType: WEBSOCKET` and its `Route`,
 * `Integration`, `RouteResponse`, `IntegrationResponse`, `Authorizer` and `Stage` resources — turned into the native
 * definition `@gatehousejs/websocket`'s createWebSocketApi takes. Resources are linked by `Ref` / `Fn::GetAtt`
 * (`ApiId`, `Target: integrations/<id>`, `RouteId`, `IntegrationId`, `AuthorizerId`), resolved with the same
 * intrinsics as the rest of the template. A malformed resource is warned about and left out: loading never throws.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/AWS_ApiGatewayV2.html
 */
import type {
  RouteThrottleSettings,
  WebSocketApiDefinition,
  WebSocketAuthorizer,
  WebSocketIntegration,
  WebSocketIntegrationResponse,
  WebSocketRoute,
  WebSocketUsagePlan,
} from '@gatehousejs/websocket'
import { type IntrinsicContext, pseudoParameters, REGION, resolveIntrinsics } from '../intrinsics'
import { functionArn, isPlainObject, stringMap } from './document'
import type { Props } from './types'
import { limitsOf } from './usage-plans'

const V2 = 'AWS::ApiGatewayV2::'
const API = `${V2}Api`
const FUNCTION = 'AWS::Serverless::Function'
/** Attributes `Fn::GetAtt` returns for each V2 type: all are the logical id locally but the API's endpoint. */
const ID_ATTRIBUTE: Record<string, string> = {
  [`${V2}Integration`]: 'IntegrationId',
  [`${V2}Route`]: 'RouteId',
  [`${V2}Authorizer`]: 'AuthorizerId',
  [`${V2}RouteResponse`]: 'RouteResponseId',
  [`${V2}IntegrationResponse`]: 'IntegrationResponseId',
}
/** CloudFormation's logical ids are alphanumeric; anything else (`__proto__`) is left to the other loader. */
const LOGICAL_ID = /^[A-Za-z0-9]+$/
const INTEGRATION_TYPES = new Set(['AWS_PROXY', 'MOCK', 'HTTP_PROXY', 'HTTP', 'AWS'])
const PASSTHROUGH = new Set(['WHEN_NO_MATCH', 'WHEN_NO_TEMPLATES', 'NEVER'])
// Properties with no local effect, not warned about.
const SILENT = new Set(['Description', 'Tags', 'Name', 'OperationName', 'DeploymentId', 'AutoDeploy', 'DisableSchemaValidation'])
const KNOWN: Record<string, string[]> = {
  Api: ['ProtocolType', 'RouteSelectionExpression', 'ApiKeySelectionExpression'],
  Route: ['ApiId', 'RouteKey', 'Target', 'AuthorizationType', 'AuthorizerId', 'ApiKeyRequired', 'RouteResponseSelectionExpression'],
  Integration: [
    'ApiId',
    'IntegrationType',
    'IntegrationUri',
    'IntegrationMethod',
    'TimeoutInMillis',
    'TemplateSelectionExpression',
    'RequestTemplates',
    'PassthroughBehavior',
    'RequestParameters',
    'IntegrationResponseSelectionExpression',
  ],
  IntegrationResponse: ['ApiId', 'IntegrationId', 'IntegrationResponseKey', 'TemplateSelectionExpression', 'ResponseTemplates'],
  RouteResponse: ['ApiId', 'RouteId', 'RouteResponseKey'],
  Authorizer: ['ApiId', 'AuthorizerType', 'AuthorizerUri', 'IdentitySource'],
  Stage: ['ApiId', 'StageName', 'StageVariables', 'DefaultRouteSettings', 'RouteSettings'],
  Deployment: ['ApiId', 'StageName'],
}

/** One WebSocket API of a template, ready for createWebSocketApi. */
export interface WebSocketApiSpec {
  logicalId: string
  definition: WebSocketApiDefinition
  /** The `AWS::ApiGatewayV2::Stage`'s name (or the one asked for); `dev` (createWebSocketApi's) when there is none. */
  stage: string
  stageVariables: Record<string, string>
  defaultRouteSettings?: RouteThrottleSettings
  routeSettings?: Record<string, RouteThrottleSettings>
  /** `AWS::ApiGateway::UsagePlan`s whose `ApiStages` name the API, with the `Value`s of their keys. */
  usagePlans?: WebSocketUsagePlan[]
}

/** How the WebSocket APIs of a template are read. */
export interface WebSocketTemplateOptions {
  parameterOverrides?: Record<string, string>
  /** Serve every API under this stage name instead of its own. */
  stageName?: string
  warn: (message: string) => void
}

type Raw = { Type?: unknown; Properties?: unknown; Condition?: unknown }

/** The logical id an `ApiId` / `RouteId` / … names, written as `!Ref X`, `!GetAtt X.Attr` or `X`. */
function targetOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (!isPlainObject(value)) return undefined
  if (typeof value.Ref === 'string') return value.Ref
  const att = value['Fn::GetAtt']
  if (Array.isArray(att) && typeof att[0] === 'string') return att[0]
  if (typeof att === 'string') return att.split('.')[0]
  return undefined
}

function resourcesOf(template: Record<string, unknown>): Record<string, Raw> {
  const r = template.Resources
  return isPlainObject(r) ? (r as Record<string, Raw>) : {}
}

/**
 * The logical ids of the template's WebSocket APIs and of the V2 resources attached to them (read here, so the
 * HTTP/REST loader leaves them alone).
 *
 * @example
 * ```ts
 * webSocketResourceIds(template) // Set { 'SimpleChatWebSocket', 'ConnectRoute', 'ConnectInteg', … }
 * ```
 */
export function webSocketResourceIds(template: Record<string, unknown>): Set<string> {
  const resources = resourcesOf(template)
  const ids = new Set<string>()
  for (const [id, res] of Object.entries(resources)) {
    if (!LOGICAL_ID.test(id)) continue
    if (isPlainObject(res) && res.Type === API && isPlainObject(res.Properties) && res.Properties.ProtocolType === 'WEBSOCKET') ids.add(id)
  }
  if (ids.size === 0) return ids
  for (const [id, res] of Object.entries(resources)) {
    if (!LOGICAL_ID.test(id) || !isPlainObject(res) || typeof res.Type !== 'string' || !res.Type.startsWith(V2)) continue
    if (!isPlainObject(res.Properties)) continue
    const api = targetOf(res.Properties.ApiId)
    if (api !== undefined && ids.has(api)) ids.add(id)
  }
  return ids
}

/** The intrinsic context of a template, as far as WebSocket resources need it (parameters, functions, V2 ids). */
function contextOf(template: Record<string, unknown>, options: WebSocketTemplateOptions): IntrinsicContext {
  const parameters: Record<string, unknown> = pseudoParameters('local')
  const declared = isPlainObject(template.Parameters) ? (template.Parameters as Record<string, Props>) : {}
  for (const [name, def] of Object.entries(declared)) {
    let value = options.parameterOverrides?.[name] ?? (isPlainObject(def) ? def.Default : undefined) ?? ''
    const type = isPlainObject(def) ? def.Type : undefined
    if ((typeof type === 'string' && type.startsWith('List<')) || type === 'CommaDelimitedList') value = String(value).split(',')
    parameters[name] = value
  }
  const refs: Record<string, string> = {}
  const attributes: Record<string, Record<string, string>> = {}
  const resources = resourcesOf(template)
  for (const [id, res] of Object.entries(resources)) {
    refs[id] = id
    const type = isPlainObject(res) ? res.Type : undefined
    const props = isPlainObject(res) && isPlainObject(res.Properties) ? res.Properties : {}
    if (type === FUNCTION) {
      const name = typeof props.FunctionName === 'string' ? props.FunctionName : id
      refs[id] = name
      attributes[id] = { Arn: functionArn(name) }
    } else if (type === API) {
      const scheme = props.ProtocolType === 'WEBSOCKET' ? 'wss' : 'https'
      attributes[id] = { ApiId: id, ApiEndpoint: `${scheme}://${id}.execute-api.${REGION}.amazonaws.com` }
    } else if (typeof type === 'string' && Object.hasOwn(ID_ATTRIBUTE, type)) {
      attributes[id] = { [ID_ATTRIBUTE[type]!]: id }
    }
  }
  const ctx: IntrinsicContext = {
    parameters,
    conditions: isPlainObject(template.Conditions) ? { ...template.Conditions } : {},
    refs,
    attributes,
    mappings: isPlainObject(template.Mappings) ? template.Mappings : {},
    warn: options.warn,
  }
  // A FunctionName written with intrinsics names the function once parameters resolve (as sam.ts does).
  for (const [id, res] of Object.entries(resources)) {
    const name = isPlainObject(res) && res.Type === FUNCTION && isPlainObject(res.Properties) ? res.Properties.FunctionName : undefined
    if (name === undefined || typeof name === 'string') continue
    const resolved = safely(() => resolveIntrinsics(name, ctx, `/Resources/${id}/Properties/FunctionName`), options.warn)
    if (typeof resolved === 'string' && resolved !== '') {
      refs[id] = resolved
      attributes[id] = { Arn: functionArn(resolved) }
    }
  }
  return ctx
}

function safely<T>(body: () => T, warn: (m: string) => void): T | undefined {
  try {
    return body()
  } catch (error) {
    warn(error instanceof Error ? error.message : String(error))
    return undefined
  }
}

/**
 * Read the template's WebSocket APIs.
 *
 * @example
 * ```ts
 * const [chat] = loadWebSocketApis(readDefinitionFile('template.yaml'), { warn: console.warn })
 * createWebSocketApi({ api: chat.definition, stage: chat.stage, functions })
 * ```
 */
export function loadWebSocketApis(template: Record<string, unknown>, options: WebSocketTemplateOptions): WebSocketApiSpec[] {
  const warn = options.warn
  const ids = webSocketResourceIds(template)
  if (ids.size === 0) return []
  const ctx = contextOf(template, options)
  const raw = resourcesOf(template)
  // Resolved resources by kind (the part of the type after AWS::ApiGatewayV2::).
  const byKind: Record<string, { id: string; p: Props; where: string }[]> = {}
  for (const id of ids) {
    const res = raw[id] as Raw
    const kind = String(res.Type).slice(V2.length)
    const where = `/Resources/${id}`
    if (res.Condition !== undefined && !safely(() => resolveIntrinsics({ Condition: res.Condition }, ctx, `${where}/Condition`), warn))
      continue
    const p = safely(() => resolveIntrinsics(res.Properties, ctx, `${where}/Properties`), warn)
    if (!isPlainObject(p)) continue
    if (!Object.hasOwn(KNOWN, kind)) {
      warn(`${where}: ${res.Type} is not run locally`)
      continue
    }
    for (const k of Object.keys(p)) if (!KNOWN[kind]!.includes(k) && !SILENT.has(k)) warn(`${where}/Properties/${k}: not acted on locally`)
    ;(byKind[kind] ??= []).push({ id, p, where })
  }
  const of = (kind: string, apiId: string) => (byKind[kind] ?? []).filter((r) => r.p.ApiId === apiId)

  const specs: WebSocketApiSpec[] = []
  for (const { id, p, where } of byKind.Api ?? []) {
    if (typeof p.RouteSelectionExpression !== 'string') {
      warn(`${where}/Properties: a WebSocket API needs a RouteSelectionExpression; API skipped`)
      continue
    }
    const name = typeof p.Name === 'string' && p.Name !== '' ? p.Name : id
    const definition: WebSocketApiDefinition = { name, routeSelectionExpression: p.RouteSelectionExpression, routes: {} }
    if (typeof p.ApiKeySelectionExpression === 'string') definition.apiKeySelectionExpression = p.ApiKeySelectionExpression

    const authorizers: Record<string, WebSocketAuthorizer> = {}
    for (const a of of('Authorizer', id)) {
      if (a.p.AuthorizerType !== 'REQUEST' || typeof a.p.AuthorizerUri !== 'string') {
        warn(`${a.where}/Properties: a WebSocket authorizer is REQUEST with an AuthorizerUri; authorizer skipped`)
        continue
      }
      const sources = Array.isArray(a.p.IdentitySource) ? a.p.IdentitySource.map(String) : []
      authorizers[a.id] = { authorizerType: 'REQUEST', authorizerUri: a.p.AuthorizerUri, identitySource: sources }
    }
    if (Object.keys(authorizers).length > 0) definition.authorizers = authorizers

    const integrations = new Map<string, WebSocketIntegration>()
    for (const i of of('Integration', id)) {
      const integration = integrationOf(i.p, `${i.where}/Properties`, warn)
      if (integration) integrations.set(i.id, integration)
    }
    for (const r of of('IntegrationResponse', id)) {
      const integration = typeof r.p.IntegrationId === 'string' ? integrations.get(r.p.IntegrationId) : undefined
      if (!integration || typeof r.p.IntegrationResponseKey !== 'string') {
        warn(`${r.where}/Properties: IntegrationId names no integration of the API, or no IntegrationResponseKey; skipped`)
        continue
      }
      const response: WebSocketIntegrationResponse = {}
      if (typeof r.p.TemplateSelectionExpression === 'string') response.templateSelectionExpression = r.p.TemplateSelectionExpression
      if (isPlainObject(r.p.ResponseTemplates)) response.responseTemplates = stringMap(r.p.ResponseTemplates)
      ;(integration.integrationResponses ??= {})[r.p.IntegrationResponseKey] = response
    }

    const twoWay = new Set<string>()
    for (const r of of('RouteResponse', id)) {
      if (r.p.RouteResponseKey !== '$default')
        warn(`${r.where}/Properties/RouteResponseKey: WebSocket APIs have $default route responses only; skipped`)
      else if (typeof r.p.RouteId === 'string') twoWay.add(r.p.RouteId)
    }
    for (const r of of('Route', id)) {
      const key = r.p.RouteKey
      if (typeof key !== 'string' || key === '' || key === '__proto__') {
        warn(`${r.where}/Properties: no usable RouteKey; route skipped`)
        continue
      }
      if (key in definition.routes) warn(`${r.where}/Properties/RouteKey: ${key} is defined twice; the last one is used`)
      const route: WebSocketRoute = {}
      const target = r.p.Target
      if (target !== undefined) {
        const m = typeof target === 'string' ? /^integrations\/(.+)$/.exec(target) : null
        const integration = m ? integrations.get(m[1]!) : undefined
        if (integration) route.integration = structuredClone(integration)
        else warn(`${r.where}/Properties/Target: ${JSON.stringify(target)} is not integrations/<an integration of the API>; route has none`)
      }
      const auth = r.p.AuthorizationType
      if (auth === 'CUSTOM' || auth === 'AWS_IAM') route.authorizationType = auth
      else if (auth !== undefined && auth !== 'NONE')
        warn(`${r.where}/Properties/AuthorizationType: ${String(auth)} is not NONE, AWS_IAM or CUSTOM`)
      if (typeof r.p.AuthorizerId === 'string') route.authorizerId = r.p.AuthorizerId
      if (r.p.ApiKeyRequired === true || r.p.ApiKeyRequired === 'true') route.apiKeyRequired = true
      if (twoWay.has(r.id)) route.routeResponseSelectionExpression = '$default'
      else if (r.p.RouteResponseSelectionExpression !== undefined)
        warn(
          `${r.where}/Properties: RouteResponseSelectionExpression without a $default AWS::ApiGatewayV2::RouteResponse: one-way, as on AWS`,
        )
      definition.routes[key] = route
    }

    const spec: WebSocketApiSpec = { logicalId: id, definition, stage: options.stageName ?? 'dev', stageVariables: {} }
    const stages = of('Stage', id)
    if (stages.length > 1) warn(`${where}: ${stages.length} stages; served as the first, ${String(stages[0]!.p.StageName)}`)
    const stage = stages[0]?.p
    if (stage) {
      if (options.stageName === undefined && typeof stage.StageName === 'string') spec.stage = stage.StageName
      if (isPlainObject(stage.StageVariables)) spec.stageVariables = stringMap(stage.StageVariables)
      if (isPlainObject(stage.DefaultRouteSettings)) spec.defaultRouteSettings = routeSettingsOf(stage.DefaultRouteSettings)
      if (isPlainObject(stage.RouteSettings)) {
        spec.routeSettings = Object.fromEntries(
          Object.entries(stage.RouteSettings).flatMap(([k, v]) => (isPlainObject(v) ? [[k, routeSettingsOf(v)]] : [])),
        )
      }
    }
    const plans = usagePlansOf(raw, ctx, id, warn)
    if (plans.length > 0) spec.usagePlans = plans
    specs.push(spec)
  }
  return specs
}

/** Usage plans bound to a WebSocket API (`ApiStages[].ApiId`), with their `AWS::ApiGateway::ApiKey` values. */
function usagePlansOf(raw: Record<string, Raw>, ctx: IntrinsicContext, apiId: string, warn: (m: string) => void): WebSocketUsagePlan[] {
  const of = (type: string) =>
    Object.entries(raw).flatMap(([id, res]) => {
      if (!isPlainObject(res) || res.Type !== `AWS::ApiGateway::${type}`) return []
      const where = `/Resources/${id}/Properties`
      if (
        res.Condition !== undefined &&
        !safely(
          () => resolveIntrinsics({ Condition: res.Condition }, ctx, where),
          () => undefined,
        )
      )
        return []
      const p = safely(
        () => resolveIntrinsics(res.Properties, ctx, where),
        () => undefined,
      )
      return isPlainObject(p) ? [{ id, p, where }] : []
    })
  const plans: WebSocketUsagePlan[] = []
  for (const plan of of('UsagePlan')) {
    const stages = Array.isArray(plan.p.ApiStages) ? plan.p.ApiStages : []
    if (!stages.some((s) => isPlainObject(s) && s.ApiId === apiId)) continue
    const apiKeys: string[] = []
    for (const pk of of('UsagePlanKey').filter((k) => k.p.UsagePlanId === plan.id)) {
      const key = of('ApiKey').find((k) => k.id === pk.p.KeyId)
      if (key && typeof key.p.Value === 'string' && key.p.Enabled !== false && key.p.Enabled !== 'false') apiKeys.push(key.p.Value)
      else if (key && typeof key.p.Value !== 'string')
        warn(`${key.where}: no Value (API Gateway would generate one); give Value to connect locally`)
    }
    plans.push({
      name: typeof plan.p.UsagePlanName === 'string' ? plan.p.UsagePlanName : plan.id,
      apiKeys,
      ...limitsOf(plan.p, plan.where, warn),
    })
  }
  return plans
}

function integrationOf(p: Props, where: string, warn: (m: string) => void): WebSocketIntegration | undefined {
  const type = p.IntegrationType
  if (typeof type !== 'string' || !INTEGRATION_TYPES.has(type)) {
    warn(`${where}/IntegrationType: ${JSON.stringify(type)} is not AWS_PROXY, AWS, HTTP_PROXY, HTTP or MOCK; integration skipped`)
    return undefined
  }
  const out: WebSocketIntegration = { type: type as WebSocketIntegration['type'] }
  if (typeof p.IntegrationUri === 'string') out.uri = p.IntegrationUri
  if (typeof p.IntegrationMethod === 'string') out.integrationMethod = p.IntegrationMethod
  const timeout = Number(p.TimeoutInMillis)
  if (p.TimeoutInMillis !== undefined && Number.isInteger(timeout)) out.timeoutInMillis = timeout
  else if (p.TimeoutInMillis !== undefined) warn(`${where}/TimeoutInMillis: not an integer; AWS's 29,000 used`)
  if (typeof p.TemplateSelectionExpression === 'string') out.templateSelectionExpression = p.TemplateSelectionExpression
  if (isPlainObject(p.RequestTemplates)) out.requestTemplates = stringMap(p.RequestTemplates)
  if (typeof p.PassthroughBehavior === 'string' && PASSTHROUGH.has(p.PassthroughBehavior))
    out.passthroughBehavior = p.PassthroughBehavior as NonNullable<WebSocketIntegration['passthroughBehavior']>
  if (isPlainObject(p.RequestParameters)) out.requestParameters = stringMap(p.RequestParameters)
  if (typeof p.IntegrationResponseSelectionExpression === 'string')
    out.integrationResponseSelectionExpression = p.IntegrationResponseSelectionExpression
  return out
}

function routeSettingsOf(s: Props): RouteThrottleSettings {
  const out: RouteThrottleSettings = {}
  if (s.ThrottlingRateLimit !== undefined) out.throttlingRateLimit = Number(s.ThrottlingRateLimit)
  if (s.ThrottlingBurstLimit !== undefined) out.throttlingBurstLimit = Number(s.ThrottlingBurstLimit)
  if (s.DetailedMetricsEnabled !== undefined)
    out.detailedMetricsEnabled = s.DetailedMetricsEnabled === true || s.DetailedMetricsEnabled === 'true'
  return out
}
