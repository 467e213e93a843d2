/**
 * A SAM / CloudFormation template turned into what `gatehouse serve` runs: the Node.js functions to load in
 * process, and one gateway input per API — `AWS::Serverless::Api` / `HttpApi`, `AWS::ApiGateway::RestApi` /
 * `AWS::ApiGatewayV2::Api` with a `Body`, and the implicit `ServerlessRestApi` / `ServerlessHttpApi` SAM forms
 * from functions' `Api` and `HttpApi` events. What the template holds and is not acted on is warned about.
 */
import { dirname, resolve } from 'node:path'
import type { StageDefinition } from '@gatehousejs/core'
import { ACCOUNT_ID, type IntrinsicContext, pseudoParameters, REGION, resolveIntrinsics } from './intrinsics'
import { apiIdOf, definitionOf, type EventSpec, functionArn, isOpenApi3, mergeGlobals, stringMap } from './sam/document'
import { addHttpAuthorizers, addHttpEvent, httpCorsOf } from './sam/http'
import { addRestAuthorizers, addRestCors, addRestEvent, gatewayResponsesOf, methodSettingsOf, routeSettingOf } from './sam/rest'
import type { ApiSpec, FunctionSpec, Props, Resource, TemplateOptions, TemplateProject } from './sam/types'
import { explicitUsagePlans, samUsagePlan } from './sam/usage-plans'
import { webSocketResourceIds } from './sam/websocket'

export { functionArn, invocationUri } from './sam/document'
export type { ApiSpec, FunctionSpec, TemplateOptions, TemplateProject, UsagePlanSpec } from './sam/types'

const SERVERLESS_FUNCTION = 'AWS::Serverless::Function'
const SERVERLESS_API = 'AWS::Serverless::Api'
const SERVERLESS_HTTP_API = 'AWS::Serverless::HttpApi'
const REST_API = 'AWS::ApiGateway::RestApi'
const V2_API = 'AWS::ApiGatewayV2::Api'
const IMPLICIT_REST = 'ServerlessRestApi'
const IMPLICIT_HTTP = 'ServerlessHttpApi'

/** Resource types read as part of an API (not warned about on their own). */
const READ_TYPES = new Set([
  SERVERLESS_FUNCTION,
  SERVERLESS_API,
  SERVERLESS_HTTP_API,
  REST_API,
  V2_API,
  'AWS::ApiGateway::Stage',
  'AWS::ApiGatewayV2::Stage',
  'AWS::ApiGateway::UsagePlan',
  'AWS::ApiGateway::ApiKey',
  'AWS::ApiGateway::UsagePlanKey',
  'AWS::ApiGateway::Deployment',
])

const FUNCTION_PROPS = new Set(['Runtime', 'Handler', 'CodeUri', 'Environment', 'Timeout', 'Events', 'FunctionName'])
// Properties that change nothing an API client can see locally: not warned about one by one.
const FUNCTION_PROPS_SILENT = new Set(['Description', 'Tags'])
const REST_API_PROPS = new Set([
  'StageName',
  'DefinitionBody',
  'DefinitionUri',
  'Variables',
  'Cors',
  'Auth',
  'MethodSettings',
  'GatewayResponses',
  'Models',
  'BinaryMediaTypes',
  'CacheClusterEnabled',
  'CacheClusterSize',
  'Name',
  'OpenApiVersion',
])
const HTTP_API_PROPS = new Set([
  'StageName',
  'DefinitionBody',
  'DefinitionUri',
  'StageVariables',
  'CorsConfiguration',
  'Auth',
  'DefaultRouteSettings',
  'RouteSettings',
  'Name',
])

/**
 * Turn a parsed template into the functions and APIs to serve.
 *
 * @example
 * ```ts
 * const project = loadTemplate(readDefinitionFile('template.yaml'), 'template.yaml', { warn: console.warn })
 * project.apis.map((a) => a.logicalId) // ['ServerlessRestApi']
 * ```
 */
export function loadTemplate(template: Record<string, unknown>, file: string, options: TemplateOptions): TemplateProject {
  const warn = options.warn
  const baseDir = dirname(resolve(file))
  const resources = { ...((template.Resources ?? {}) as Record<string, Resource>) }
  for (const key of Object.keys(template)) {
    if (
      !['AWSTemplateFormatVersion', 'Transform', 'Description', 'Parameters', 'Conditions', 'Resources', 'Globals', 'Mappings'].includes(
        key,
      )
    ) {
      warn(`/${key}: template section not acted on locally`)
    }
  }

  // Parameters: defaults, then overrides.
  const parameters: Record<string, unknown> = pseudoParameters('local')
  for (const [name, def] of Object.entries((template.Parameters ?? {}) as Record<string, { Default?: unknown; Type?: string }>)) {
    let value = options.parameterOverrides?.[name] ?? def?.Default
    if (value === undefined) {
      warn(`/Parameters/${name}: no Default and no override; resolved to ""`)
      value = ''
    }
    if ((typeof def?.Type === 'string' && def.Type.startsWith('List<')) || def?.Type === 'CommaDelimitedList')
      value = String(value).split(',')
    parameters[name] = value
  }
  for (const name of Object.keys(options.parameterOverrides ?? {})) {
    if (!(name in ((template.Parameters ?? {}) as object))) warn(`parameter override ${name}: the template has no such parameter`)
  }

  // Globals merged into each resource, as SAM does (maps merged, lists and scalars replaced).
  const globals = (template.Globals ?? {}) as Record<string, Props>
  const globalOf: Record<string, string> = { Function: SERVERLESS_FUNCTION, Api: SERVERLESS_API, HttpApi: SERVERLESS_HTTP_API }
  for (const section of Object.keys(globals)) {
    if (!(section in globalOf)) warn(`/Globals/${section}: not acted on`)
  }

  // What Ref and Fn::GetAtt return for each resource.
  const refs: Record<string, string> = {}
  const attributes: Record<string, Record<string, string>> = {}
  for (const [id, res] of Object.entries(resources)) {
    refs[id] = id
    if (res?.Type === SERVERLESS_FUNCTION) {
      const fnName = typeof res.Properties?.FunctionName === 'string' ? res.Properties.FunctionName : id
      refs[id] = fnName
      attributes[id] = { Arn: functionArn(fnName) }
    } else if (res?.Type === SERVERLESS_API || res?.Type === REST_API || res?.Type === SERVERLESS_HTTP_API || res?.Type === V2_API) {
      attributes[id] = { RootResourceId: `${id}-root`, ApiEndpoint: `https://${id}.execute-api.${REGION}.amazonaws.com` }
      // SAM's generated stage: `!Ref MyApi.Stage`.
      const stageName = res.Properties?.StageName
      refs[`${id}.Stage`] = typeof stageName === 'string' ? stageName : res.Type === SERVERLESS_HTTP_API ? '$default' : 'Prod'
    } else {
      attributes[id] = { Arn: `arn:aws:local:${REGION}:${ACCOUNT_ID}:${id}` }
    }
  }
  refs[IMPLICIT_REST] = IMPLICIT_REST
  refs[IMPLICIT_HTTP] = IMPLICIT_HTTP
  const ctx: IntrinsicContext = {
    parameters,
    conditions: { ...((template.Conditions ?? {}) as Record<string, unknown>) },
    refs,
    attributes,
    mappings: (template.Mappings ?? {}) as Record<string, unknown>,
    warn,
  }
  // A FunctionName written with intrinsics (`!Sub 'orders-${Stage}'`) names the function once parameters resolve.
  for (const [id, res] of Object.entries(resources)) {
    const fnName = res?.Type === SERVERLESS_FUNCTION ? res.Properties?.FunctionName : undefined
    if (fnName === undefined || typeof fnName === 'string') continue
    const resolvedName = resolveIntrinsics(fnName, ctx, `/Resources/${id}/Properties/FunctionName`)
    if (typeof resolvedName === 'string' && resolvedName !== '') {
      refs[id] = resolvedName
      attributes[id] = { Arn: functionArn(resolvedName) }
    }
  }

  // Resolve every resource kept by its Condition.
  const resolved: Record<string, { Type: string; Properties: Props }> = {}
  const webSocketIds = webSocketResourceIds(template) // read by sam/websocket.ts, served by serve-websocket.ts
  for (const [id, res] of Object.entries(resources)) {
    if (webSocketIds.has(id)) continue
    if (res === null || typeof res !== 'object' || typeof res.Type !== 'string') {
      warn(`/Resources/${id}: not a resource (no Type); skipped`)
      continue
    }
    if (res.Condition !== undefined && !resolveIntrinsics({ Condition: res.Condition }, ctx, `/Resources/${id}/Condition`)) continue
    if (!READ_TYPES.has(res.Type)) {
      warn(`/Resources/${id}: ${res.Type} is not run locally`)
      continue
    }
    const section = Object.keys(globalOf).find((s) => globalOf[s] === res.Type)
    const merged = section && globals[section] ? mergeGlobals(globals[section] as Props, res.Properties ?? {}) : (res.Properties ?? {})
    resolved[id] = { Type: res.Type, Properties: resolveIntrinsics(merged, ctx, `/Resources/${id}/Properties`) as Props }
  }

  // Stage names first: `Ref: MyApi.Stage` (SAM's generated stage) may appear in usage plans.
  const stageNames: Record<string, string> = {}
  for (const [id, res] of Object.entries(resolved)) {
    if (res.Type === SERVERLESS_API) stageNames[id] = String(res.Properties.StageName ?? 'Prod')
    if (res.Type === SERVERLESS_HTTP_API) stageNames[id] = String(res.Properties.StageName ?? '$default')
  }

  const functions: FunctionSpec[] = []
  const skippedWarnings: TemplateProject['skipped'] = []
  const restEvents: Record<string, EventSpec[]> = {}
  const httpEvents: Record<string, EventSpec[]> = {}
  for (const [id, res] of Object.entries(resolved)) {
    if (res.Type !== SERVERLESS_FUNCTION) continue
    const p = res.Properties
    const ignored = Object.keys(p).filter((k) => !FUNCTION_PROPS.has(k) && !FUNCTION_PROPS_SILENT.has(k))
    if (ignored.length > 0) warn(`/Resources/${id}: ${ignored.join(', ')} not acted on locally`)
    const runtime = String(p.Runtime ?? '')
    const name = refs[id] as string
    let spec: FunctionSpec | undefined
    const warnSkip = (reason: string) => {
      warn(`/Resources/${id}: ${reason}; its routes answer 502`)
      skippedWarnings.push({ logicalId: id, name, arn: functionArn(name), reason })
    }
    if (p.PackageType === 'Image' || p.InlineCode !== undefined) {
      warnSkip(`${p.PackageType === 'Image' ? 'an image function' : 'InlineCode'} is not run locally`)
    } else if (!runtime.startsWith('nodejs')) {
      warnSkip(`runtime ${runtime || '(none)'} is not run locally (Node.js runtimes only)`)
    } else if (typeof p.CodeUri !== 'string' && p.CodeUri !== undefined) {
      warnSkip('CodeUri must be a local directory to run locally (an S3 location is not fetched)')
    } else if (typeof p.CodeUri === 'string' && p.CodeUri.startsWith('s3://')) {
      warnSkip(`CodeUri ${p.CodeUri} is not fetched; give a local directory`)
    } else if (typeof p.Handler !== 'string') {
      warnSkip('no Handler')
    } else {
      const variables = ((p.Environment as Props | undefined)?.Variables ?? {}) as Record<string, unknown>
      spec = {
        logicalId: id,
        name,
        arn: functionArn(name),
        codeDir: resolve(baseDir, typeof p.CodeUri === 'string' ? p.CodeUri : '.'),
        handler: p.Handler,
        runtime,
        environment: Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, v === null ? '' : String(v)])),
        timeoutSeconds: typeof p.Timeout === 'number' ? p.Timeout : Number(p.Timeout ?? 3) || 3,
      }
      functions.push(spec)
    }
    for (const [eventId, event] of Object.entries((p.Events ?? {}) as Record<string, { Type?: string; Properties?: Props }>)) {
      const where = `/Resources/${id}/Properties/Events/${eventId}`
      const ep = event?.Properties ?? {}
      if (event?.Type === 'Api') {
        const api = apiIdOf(ep.RestApiId, IMPLICIT_REST)
        ;(restEvents[api] ??= []).push({ functionId: id, arn: functionArn(name), props: ep, where })
      } else if (event?.Type === 'HttpApi') {
        const api = apiIdOf(ep.ApiId, IMPLICIT_HTTP)
        ;(httpEvents[api] ??= []).push({ functionId: id, arn: functionArn(name), props: ep, where })
      } else {
        warn(`${where}: ${event?.Type} events are not run locally`)
      }
    }
  }
  if (restEvents[IMPLICIT_REST]) stageNames[IMPLICIT_REST] = 'Prod'
  if (httpEvents[IMPLICIT_HTTP]) stageNames[IMPLICIT_HTTP] = '$default'

  const files: string[] = []
  const apis: ApiSpec[] = []
  const stageOf = (id: string, fallback: string) => options.stageName ?? stageNames[id] ?? fallback
  const generatedKeys = options.generatedKeys ?? new Map<string, string>()

  // REST APIs.
  const restIds = Object.keys(resolved).filter((id) => resolved[id]?.Type === SERVERLESS_API || resolved[id]?.Type === REST_API)
  if (restEvents[IMPLICIT_REST]) restIds.push(IMPLICIT_REST)
  for (const id of restIds) {
    const res = resolved[id] ?? { Type: SERVERLESS_API, Properties: {} }
    const p = res.Properties
    const where = `/Resources/${id}/Properties`
    const stageName = stageOf(id, 'prod')
    let document: Record<string, unknown>
    const stage: StageDefinition = { stageName }
    if (res.Type === REST_API) {
      for (const k of Object.keys(p))
        if (!['Body', 'Name', 'BinaryMediaTypes', 'Description'].includes(k)) warn(`${where}/${k}: not acted on locally`)
      if (p.Body === undefined) {
        warn(`${where}: no Body (BodyS3Location and AWS::ApiGateway::Resource/Method resources are not read); API skipped`)
        continue
      }
      document = structuredClone(p.Body as Props)
      const stageRes = Object.values(resolved).find((r) => r.Type === 'AWS::ApiGateway::Stage' && r.Properties.RestApiId === id)
      if (stageRes) {
        stage.stageName = options.stageName ?? String(stageRes.Properties.StageName ?? 'prod')
        if (stageRes.Properties.Variables) stage.variables = stringMap(stageRes.Properties.Variables)
      } else {
        const deployment = Object.values(resolved).find((r) => r.Type === 'AWS::ApiGateway::Deployment' && r.Properties.RestApiId === id)
        if (deployment?.Properties.StageName) stage.stageName = options.stageName ?? String(deployment.Properties.StageName)
      }
    } else {
      for (const k of Object.keys(p)) if (!REST_API_PROPS.has(k)) warn(`${where}/${k}: not acted on locally`)
      document = definitionOf(p, baseDir, files, where, warn) ?? { swagger: '2.0', info: { title: id, version: '1.0' }, paths: {} }
      if (p.Variables) stage.variables = stringMap(p.Variables)
      if (p.MethodSettings) stage.methodSettings = methodSettingsOf(p.MethodSettings, `${where}/MethodSettings`, warn)
      if (p.CacheClusterEnabled !== undefined) stage.cacheClusterEnabled = Boolean(p.CacheClusterEnabled)
      if (p.CacheClusterSize !== undefined) stage.cacheClusterSize = String(p.CacheClusterSize)
      if (p.BinaryMediaTypes)
        document['x-amazon-apigateway-binary-media-types'] = (p.BinaryMediaTypes as string[]).map((t) => t.replace(/~1/g, '/'))
      if (p.GatewayResponses) document['x-amazon-apigateway-gateway-responses'] = gatewayResponsesOf(p.GatewayResponses as Props)
      if (p.Models) {
        if (isOpenApi3(document)) {
          const components = (document.components ??= {}) as Props
          components.schemas = { ...(components.schemas as Props), ...(p.Models as Props) }
        } else {
          document.definitions = { ...(document.definitions as Props), ...(p.Models as Props) }
        }
      }
    }
    const auth = (p.Auth ?? {}) as Props
    addRestAuthorizers(document, auth, `${where}/Auth`, warn)
    for (const event of restEvents[id] ?? []) addRestEvent(document, event, auth, warn)
    if (p.Cors !== undefined) {
      // SAM puts the default authorizer on the preflight methods too unless told not to.
      const preflightAuth =
        auth.AddDefaultAuthorizerToCorsPreflight !== false &&
        typeof auth.DefaultAuthorizer === 'string' &&
        auth.DefaultAuthorizer !== 'NONE' &&
        auth.DefaultAuthorizer !== 'AWS_IAM'
      addRestCors(document, p.Cors, `${where}/Cors`, warn, preflightAuth ? (auth.DefaultAuthorizer as string) : undefined)
    }
    const { apiKeys, usagePlans } = samUsagePlan(id, auth, `${where}/Auth/UsagePlan`, generatedKeys, warn)
    apis.push({ logicalId: id, apiType: 'REST', document, stage, apiKeys, usagePlans })
  }

  // HTTP APIs.
  const httpIds = Object.keys(resolved).filter((id) => resolved[id]?.Type === SERVERLESS_HTTP_API || resolved[id]?.Type === V2_API)
  if (httpEvents[IMPLICIT_HTTP]) httpIds.push(IMPLICIT_HTTP)
  for (const id of httpIds) {
    const res = resolved[id] ?? { Type: SERVERLESS_HTTP_API, Properties: {} }
    const p = res.Properties
    const where = `/Resources/${id}/Properties`
    const stage: StageDefinition = { stageName: stageOf(id, '$default') }
    let document: Record<string, unknown>
    if (res.Type === V2_API) {
      if (p.ProtocolType === 'WEBSOCKET') {
        warn(`${where}: WebSocket APIs are not served by gatehouse serve; skipped`)
        continue
      }
      for (const k of Object.keys(p))
        if (!['Body', 'Name', 'ProtocolType', 'Description'].includes(k)) warn(`${where}/${k}: not acted on locally`)
      if (p.Body === undefined) {
        warn(`${where}: no Body (quick-create Target, BodyS3Location and Route/Integration resources are not read); API skipped`)
        continue
      }
      document = structuredClone(p.Body as Props)
      const stageRes = Object.values(resolved).find((r) => r.Type === 'AWS::ApiGatewayV2::Stage' && r.Properties.ApiId === id)
      if (stageRes) {
        stage.stageName = options.stageName ?? String(stageRes.Properties.StageName ?? '$default')
        if (stageRes.Properties.StageVariables) stage.variables = stringMap(stageRes.Properties.StageVariables)
      }
    } else {
      for (const k of Object.keys(p)) if (!HTTP_API_PROPS.has(k)) warn(`${where}/${k}: not acted on locally`)
      document = definitionOf(p, baseDir, files, where, warn) ?? { openapi: '3.0.1', info: { title: id, version: '1.0' }, paths: {} }
      if (p.StageVariables) stage.variables = stringMap(p.StageVariables)
      if (p.DefaultRouteSettings) stage.defaultRouteSettings = routeSettingOf(p.DefaultRouteSettings as Props)
      if (p.RouteSettings) {
        stage.routeSettings = Object.fromEntries(
          Object.entries(p.RouteSettings as Record<string, Props>).map(([k, v]) => [k, routeSettingOf(v)]),
        )
      }
      if (p.CorsConfiguration !== undefined) document['x-amazon-apigateway-cors'] = httpCorsOf(p.CorsConfiguration)
    }
    const auth = (p.Auth ?? {}) as Props
    addHttpAuthorizers(document, auth, `${where}/Auth`, warn)
    for (const event of httpEvents[id] ?? []) addHttpEvent(document, event, auth, warn)
    apis.push({ logicalId: id, apiType: 'HTTP', document, stage, apiKeys: [], usagePlans: [] })
  }
  for (const apiId of [...Object.keys(restEvents), ...Object.keys(httpEvents)]) {
    if (!apis.some((a) => a.logicalId === apiId) && apiId !== IMPLICIT_REST && apiId !== IMPLICIT_HTTP && !(apiId in resolved)) {
      warn(`events name the API ${apiId}, which is not an API of the template; not served`)
    }
  }

  explicitUsagePlans(resolved, apis, warn, webSocketIds)
  return { functions, apis, files, skipped: skippedWarnings }
}
