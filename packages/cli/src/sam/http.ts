/** SAM's HTTP API properties turned into the document's extensions: CORS, authorizers, events. */
import { type EventSpec, invocationUri, methodKey, pathsOf, securitySchemesOf } from './document'
import type { Props } from './types'
export function httpCorsOf(cors: unknown): Props {
  if (cors === true) return { allowOrigins: ['*'], allowHeaders: ['*'], allowMethods: ['*'] }
  const c = (cors ?? {}) as Props
  const out: Props = {}
  const map: Record<string, string> = {
    AllowOrigins: 'allowOrigins',
    AllowMethods: 'allowMethods',
    AllowHeaders: 'allowHeaders',
    ExposeHeaders: 'exposeHeaders',
    MaxAge: 'maxAge',
    AllowCredentials: 'allowCredentials',
  }
  for (const [k, v] of Object.entries(c)) out[map[k] ?? k] = v
  return out
}

export function addHttpAuthorizers(document: Props, auth: Props, where: string, warn: (m: string) => void): void {
  for (const k of Object.keys(auth))
    if (!['Authorizers', 'DefaultAuthorizer', 'EnableIamAuthorizer'].includes(k)) warn(`${where}/${k}: not acted on locally`)
  const schemes = securitySchemesOf(document)
  for (const [name, a] of Object.entries((auth.Authorizers ?? {}) as Record<string, Props>)) {
    if (a.JwtConfiguration !== undefined) {
      const jwt = a.JwtConfiguration as Props
      schemes[name] = {
        type: 'oauth2',
        'x-amazon-apigateway-authorizer': {
          type: 'jwt',
          identitySource: String(a.IdentitySource ?? '$request.header.Authorization'),
          jwtConfiguration: { issuer: jwt.issuer ?? jwt.Issuer, audience: jwt.audience ?? jwt.Audience },
        },
      }
      continue
    }
    if (typeof a.FunctionArn !== 'string') {
      warn(`${where}/Authorizers/${name}: neither JwtConfiguration nor FunctionArn; not configured`)
      continue
    }
    const identity = (a.Identity ?? {}) as Props
    const sources = [
      ...((identity.Headers ?? []) as string[]).map((h) => `$request.header.${h}`),
      ...((identity.QueryStrings ?? []) as string[]).map((q) => `$request.querystring.${q}`),
      ...((identity.StageVariables ?? []) as string[]).map((s) => `$stageVariables.${s}`),
      ...((identity.Context ?? []) as string[]).map((c) => `$context.${c}`),
    ]
    const authorizer: Props = {
      type: 'request',
      authorizerUri: invocationUri(a.FunctionArn),
      authorizerPayloadFormatVersion: String(a.AuthorizerPayloadFormatVersion ?? '2.0'),
      authorizerResultTtlInSeconds: Number(identity.ReauthorizeEvery ?? 0),
      enableSimpleResponses: Boolean(a.EnableSimpleResponses),
    }
    if (sources.length > 0) authorizer.identitySource = sources
    schemes[name] = { type: 'apiKey', name: 'Unused', in: 'header', 'x-amazon-apigateway-authorizer': authorizer }
  }
}

export function addHttpEvent(document: Props, event: EventSpec, apiAuth: Props, warn: (m: string) => void): void {
  const p = event.props
  for (const k of Object.keys(p))
    if (!['Path', 'Method', 'ApiId', 'Auth', 'PayloadFormatVersion', 'TimeoutInMillis'].includes(k))
      warn(`${event.where}/Properties/${k}: not acted on locally`)
  const path = p.Path === undefined && p.Method === undefined ? '$default' : String(p.Path ?? '/')
  const item = (pathsOf(document)[path] ??= {}) as Props
  const key = path === '$default' ? 'x-amazon-apigateway-any-method' : methodKey(p.Method)
  if (item[key] !== undefined) return
  const integration: Props = {
    type: 'aws_proxy',
    httpMethod: 'POST',
    uri: invocationUri(event.arn),
    payloadFormatVersion: String(p.PayloadFormatVersion ?? '2.0'),
  }
  if (p.TimeoutInMillis !== undefined) integration.timeoutInMillis = Number(p.TimeoutInMillis)
  const operation: Props = { responses: { default: { description: 'Default response' } }, 'x-amazon-apigateway-integration': integration }
  const auth = (p.Auth ?? {}) as Props
  const authorizer = auth.Authorizer ?? apiAuth.DefaultAuthorizer
  if (typeof authorizer === 'string' && authorizer !== 'NONE') {
    operation.security = [{ [authorizer]: (auth.AuthorizationScopes ?? []) as string[] }]
  }
  item[key] = operation
}
