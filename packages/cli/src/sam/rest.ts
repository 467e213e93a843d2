/** SAM's REST API properties turned into the document's extensions: authorizers, events, CORS, method settings, gateway responses. */
import type { StageDefinition } from '@gatehousejs/core'
import { type EventSpec, invocationUri, methodKey, pathsOf, securitySchemesOf } from './document'
import type { Props } from './types'
export const API_KEY_SCHEME = 'api_key'

export function addRestAuthorizers(document: Props, auth: Props, where: string, warn: (m: string) => void): void {
  const known = new Set(['Authorizers', 'DefaultAuthorizer', 'ApiKeyRequired', 'UsagePlan', 'AddDefaultAuthorizerToCorsPreflight'])
  for (const k of Object.keys(auth)) if (!known.has(k)) warn(`${where}/${k}: not acted on locally`)
  const schemes = securitySchemesOf(document)
  for (const [name, a] of Object.entries((auth.Authorizers ?? {}) as Record<string, Props>)) {
    const identity = (a.Identity ?? {}) as Props
    if (a.UserPoolArn !== undefined) {
      warn(`${where}/Authorizers/${name}: Cognito user pool authorizers need the pool's keys; not configured locally, so its routes refuse`)
      schemes[name] = {
        type: 'apiKey',
        name: String(identity.Header ?? 'Authorization'),
        in: 'header',
        'x-amazon-apigateway-authtype': 'cognito_user_pools',
        'x-amazon-apigateway-authorizer': { type: 'cognito_user_pools', providerARNs: [a.UserPoolArn].flat() },
      }
      continue
    }
    if (typeof a.FunctionArn !== 'string') {
      warn(`${where}/Authorizers/${name}: no FunctionArn; not configured`)
      continue
    }
    const request = String(a.FunctionPayloadType ?? 'TOKEN').toUpperCase() === 'REQUEST'
    for (const k of Object.keys(a))
      if (!['FunctionArn', 'FunctionPayloadType', 'Identity', 'FunctionInvokeRole'].includes(k))
        warn(`${where}/Authorizers/${name}/${k}: not acted on locally`)
    const authorizer: Props = {
      type: request ? 'request' : 'token',
      authorizerUri: invocationUri(a.FunctionArn),
      authorizerResultTtlInSeconds: Number(identity.ReauthorizeEvery ?? 300),
    }
    if (request) {
      const sources = [
        ...((identity.Headers ?? []) as string[]).map((h) => `method.request.header.${h}`),
        ...((identity.QueryStrings ?? []) as string[]).map((q) => `method.request.querystring.${q}`),
        ...((identity.StageVariables ?? []) as string[]).map((s) => `stageVariables.${s}`),
        ...((identity.Context ?? []) as string[]).map((c) => `context.${c}`),
      ]
      if (sources.length > 0) authorizer.identitySource = sources.join(', ')
      else if (authorizer.authorizerResultTtlInSeconds !== 0) authorizer.authorizerResultTtlInSeconds = 0
    } else {
      authorizer.identitySource = `method.request.header.${String(identity.Header ?? 'Authorization')}`
      if (identity.ValidationExpression !== undefined) authorizer.identityValidationExpression = String(identity.ValidationExpression)
    }
    schemes[name] = {
      type: 'apiKey',
      name: request ? 'Unused' : String(identity.Header ?? 'Authorization'),
      in: 'header',
      'x-amazon-apigateway-authtype': 'custom',
      'x-amazon-apigateway-authorizer': authorizer,
    }
  }
}

export function addRestEvent(document: Props, event: EventSpec, apiAuth: Props, warn: (m: string) => void): void {
  const p = event.props
  for (const k of Object.keys(p))
    if (!['Path', 'Method', 'RestApiId', 'Auth', 'RequestParameters'].includes(k))
      warn(`${event.where}/Properties/${k}: not acted on locally`)
  const path = String(p.Path ?? '/')
  const paths = pathsOf(document)
  const item = (paths[path] ??= {}) as Props
  const key = methodKey(p.Method)
  if (item[key] !== undefined) return // The DefinitionBody already has it; SAM leaves it as written.
  const operation: Props = {
    responses: {},
    'x-amazon-apigateway-integration': { type: 'aws_proxy', httpMethod: 'POST', uri: invocationUri(event.arn) },
  }
  const auth = (p.Auth ?? {}) as Props
  const authorizer = auth.Authorizer ?? apiAuth.DefaultAuthorizer
  const keyRequired = auth.ApiKeyRequired ?? apiAuth.ApiKeyRequired
  const requirement: Props = {}
  if (authorizer === 'AWS_IAM') {
    warn(
      `${event.where}: AWS_IAM authorization needs principals, which gatehouse serve does not configure; the route refuses unsigned requests`,
    )
    operation['x-amazon-apigateway-auth'] = { type: 'AWS_IAM' }
  } else if (typeof authorizer === 'string' && authorizer !== 'NONE') {
    requirement[authorizer] = (auth.AuthorizationScopes ?? []) as string[]
  }
  if (keyRequired === true) {
    securitySchemesOf(document)[API_KEY_SCHEME] ??= { type: 'apiKey', name: 'x-api-key', in: 'header' }
    requirement[API_KEY_SCHEME] = []
  }
  if (Object.keys(requirement).length > 0) operation.security = [requirement]
  if (p.RequestParameters !== undefined) {
    operation.parameters = (p.RequestParameters as unknown[]).map((entry) => {
      const [name, settings] = typeof entry === 'string' ? [entry, {}] : (Object.entries(entry as Props)[0] ?? ['', {}])
      const [, location, param] = /^method\.request\.(header|querystring|path)\.(.+)$/.exec(String(name)) ?? []
      return {
        name: param ?? name,
        in: location === 'querystring' ? 'query' : (location ?? 'header'),
        required: Boolean((settings as Props).Required),
      }
    })
  }
  item[key] = operation
}

export function unquote(value: unknown): string {
  const s = String(value)
  return s.length >= 2 && s.startsWith("'") && s.endsWith("'") ? s.slice(1, -1) : s
}

/** REST `Cors`: SAM adds an OPTIONS MOCK method answering the preflight to every path; done the same here. */
export function addRestCors(
  document: Props,
  cors: unknown,
  where: string,
  warn: (m: string) => void,
  authorizer: string | undefined,
): void {
  const c: Props = typeof cors === 'string' ? { AllowOrigin: cors } : ((cors ?? {}) as Props)
  for (const k of Object.keys(c))
    if (!['AllowOrigin', 'AllowMethods', 'AllowHeaders', 'MaxAge', 'AllowCredentials'].includes(k))
      warn(`${where}/${k}: not acted on locally`)
  if (c.AllowOrigin === undefined) {
    warn(`${where}: no AllowOrigin; no preflight methods added`)
    return
  }
  const headers: Record<string, string> = { 'Access-Control-Allow-Origin': String(c.AllowOrigin) }
  if (c.AllowHeaders !== undefined) headers['Access-Control-Allow-Headers'] = String(c.AllowHeaders)
  if (c.MaxAge !== undefined) headers['Access-Control-Max-Age'] = String(c.MaxAge)
  if (c.AllowCredentials === true) headers['Access-Control-Allow-Credentials'] = "'true'"
  for (const [path, item] of Object.entries(pathsOf(document))) {
    if (item.options !== undefined) continue
    const methods =
      c.AllowMethods !== undefined
        ? String(c.AllowMethods)
        : `'${[
            ...new Set(
              [
                'OPTIONS',
                ...Object.keys(item)
                  .filter((m) => m !== 'parameters')
                  .map((m) => (m === 'x-amazon-apigateway-any-method' ? 'DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT' : m.toUpperCase())),
              ]
                .join(',')
                .split(','),
            ),
          ]
            .sort()
            .join(',')}'`
    const all = { ...headers, 'Access-Control-Allow-Methods': methods }
    item.options = {
      summary: 'CORS support',
      consumes: ['application/json'],
      produces: ['application/json'],
      responses: {
        '200': {
          description: 'Default response for CORS method',
          headers: Object.fromEntries(Object.keys(all).map((h) => [h, { type: 'string' }])),
        },
      },
      'x-amazon-apigateway-integration': {
        type: 'mock',
        requestTemplates: { 'application/json': '{\n  "statusCode" : 200\n}\n' },
        responses: {
          default: {
            statusCode: '200',
            responseParameters: Object.fromEntries(Object.entries(all).map(([h, v]) => [`method.response.header.${h}`, `'${unquote(v)}'`])),
            responseTemplates: { 'application/json': '{}\n' },
          },
        },
      },
    }
    if (authorizer !== undefined) (item.options as Props).security = [{ [authorizer]: [] }]
    void path
  }
}

export function methodSettingsOf(settings: unknown, where: string, warn: (m: string) => void): StageDefinition['methodSettings'] {
  const out: NonNullable<StageDefinition['methodSettings']> = {}
  for (const [i, s] of ((settings ?? []) as Props[]).entries()) {
    const resource = String(s.ResourcePath ?? '/*')
    const method = String(s.HttpMethod ?? '*')
    const key = resource === '/*' && method === '*' ? '*/*' : `${resource}/${method}`
    const entry: Props = {}
    const map: Record<string, string> = {
      ThrottlingRateLimit: 'throttlingRateLimit',
      ThrottlingBurstLimit: 'throttlingBurstLimit',
      CachingEnabled: 'cachingEnabled',
      CacheTtlInSeconds: 'cacheTtlInSeconds',
      CacheDataEncrypted: 'cacheDataEncrypted',
    }
    for (const [k, v] of Object.entries(s)) {
      if (k === 'ResourcePath' || k === 'HttpMethod') continue
      const name = map[k]
      if (name) entry[name] = v
      else warn(`${where}/${i}/${k}: not acted on locally`)
    }
    out[key] = entry as NonNullable<StageDefinition['methodSettings']>[string]
  }
  return out
}

export function routeSettingOf(s: Props): { throttlingRateLimit?: number; throttlingBurstLimit?: number } {
  const out: { throttlingRateLimit?: number; throttlingBurstLimit?: number } = {}
  if (s.ThrottlingRateLimit !== undefined) out.throttlingRateLimit = Number(s.ThrottlingRateLimit)
  if (s.ThrottlingBurstLimit !== undefined) out.throttlingBurstLimit = Number(s.ThrottlingBurstLimit)
  return out
}

export function gatewayResponsesOf(responses: Props): Props {
  const out: Props = {}
  for (const [type, r] of Object.entries(responses as Record<string, Props>)) {
    const entry: Props = {}
    if (r.StatusCode !== undefined) entry.statusCode = String(r.StatusCode)
    const params = (r.ResponseParameters ?? {}) as Record<string, Props>
    const mapped: Record<string, string> = {}
    for (const [h, v] of Object.entries(params.Headers ?? {})) mapped[`gatewayresponse.header.${h}`] = String(v)
    for (const [q, v] of Object.entries(params.QueryStrings ?? {})) mapped[`gatewayresponse.querystring.${q}`] = String(v)
    for (const [q, v] of Object.entries(params.Paths ?? {})) mapped[`gatewayresponse.path.${q}`] = String(v)
    if (Object.keys(mapped).length > 0) entry.responseParameters = mapped
    if (r.ResponseTemplates !== undefined) entry.responseTemplates = r.ResponseTemplates
    out[type] = entry
  }
  return out
}
