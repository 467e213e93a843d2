/**
 * Authorizers, IAM and API keys back into security schemes and requirements, as GetExport writes them: a Lambda
 * authorizer as an `apiKey` scheme with `x-amazon-apigateway-authtype: custom` and `x-amazon-apigateway-authorizer`,
 * a Cognito one with `cognito_user_pools`, an HTTP API JWT authorizer as an `oauth2` scheme, IAM as the `sigv4`
 * scheme (`awsSigv4`), API keys as the `api_key` scheme (`x-api-key` header).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-authorizer.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-authtype.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-key-usage-plan-oas.html
 */
import type { ApiDefinition, AuthorizerDefinition, MethodDefinition } from '@gatehousejs/core'

/** The scheme name of API keys (as GetExport names it). */
export const API_KEY_SCHEME = 'api_key'
/** The scheme name of IAM authorization (as GetExport names it). */
export const SIGV4_SCHEME = 'sigv4'

type Json = Record<string, unknown>

const HEADER_SOURCE = /^method\.request\.header\.([^,\s]+)$/

function authorizerExtension(def: AuthorizerDefinition): Json {
  const out: Json = { type: def.type.toLowerCase() }
  if (def.authorizerUri !== undefined) out.authorizerUri = def.authorizerUri
  if (def.identitySource !== undefined) out.identitySource = def.identitySource
  if (def.identityValidationExpression !== undefined) out.identityValidationExpression = def.identityValidationExpression
  if (def.authorizerResultTtlInSeconds !== undefined) out.authorizerResultTtlInSeconds = def.authorizerResultTtlInSeconds
  if (def.providerARNs !== undefined) out.providerARNs = [...def.providerARNs]
  if (def.jwtConfiguration !== undefined) {
    const j: Json = {}
    if (def.jwtConfiguration.issuer !== undefined) j.issuer = def.jwtConfiguration.issuer
    if (def.jwtConfiguration.audience !== undefined) j.audience = [...def.jwtConfiguration.audience]
    out.jwtConfiguration = j
  }
  if (def.authorizerPayloadFormatVersion !== undefined) out.authorizerPayloadFormatVersion = def.authorizerPayloadFormatVersion
  if (def.enableSimpleResponses !== undefined) out.enableSimpleResponses = def.enableSimpleResponses
  return out
}

/**
 * One authorizer as a security scheme.
 *
 * @example
 * ```ts
 * authorizerScheme({ type: 'TOKEN', authorizerUri: 'auth', identitySource: 'method.request.header.Authorization' })
 * // { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'custom', 'x-amazon-apigateway-authorizer': {…} }
 * ```
 */
export function authorizerScheme(def: AuthorizerDefinition): Json {
  const extension = authorizerExtension(def)
  if (def.type === 'JWT') return { type: 'oauth2', flows: {}, 'x-amazon-apigateway-authorizer': extension }
  const header = def.identitySource === undefined ? undefined : HEADER_SOURCE.exec(def.identitySource)?.[1]
  return {
    type: 'apiKey',
    name: header ?? 'Unused',
    in: 'header',
    'x-amazon-apigateway-authtype': def.type === 'COGNITO_USER_POOLS' ? 'cognito_user_pools' : 'custom',
    'x-amazon-apigateway-authorizer': extension,
  }
}

/** What to write. */
export interface SecurityOptions {
  authorizers: boolean
}

/**
 * The security schemes the definition uses.
 *
 * @example
 * ```ts
 * securitySchemes(api, { authorizers: true }) // { api_key: { type: 'apiKey', name: 'x-api-key', in: 'header' }, … }
 * ```
 */
export function securitySchemes(api: ApiDefinition, options: SecurityOptions): Json {
  const out: Json = {}
  const methods = Object.values(api.resources).flatMap((m) => Object.values(m))
  if (methods.some((m) => m.apiKeyRequired)) out[API_KEY_SCHEME] = { type: 'apiKey', name: 'x-api-key', in: 'header' }
  if (!options.authorizers) return out
  if (methods.some((m) => m.authorizationType === 'AWS_IAM')) {
    out[SIGV4_SCHEME] = { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'awsSigv4' }
  }
  for (const [name, def] of Object.entries(api.authorizers ?? {})) {
    Object.defineProperty(out, name, { value: authorizerScheme(def), enumerable: true, writable: true, configurable: true })
  }
  return out
}

/**
 * A method's `security` (and `x-amazon-apigateway-auth` for an explicit `NONE`), or nothing.
 *
 * @example
 * ```ts
 * methodSecurity({ authorizer: 'pool', authorizationScopes: ['read'], apiKeyRequired: true }, { authorizers: true })
 * // { security: [{ pool: ['read'], api_key: [] }] }
 * ```
 */
export function methodSecurity(method: MethodDefinition, options: SecurityOptions): Json {
  const requirement: Record<string, string[]> = {}
  const out: Json = {}
  if (options.authorizers) {
    if (method.authorizer !== undefined) requirement[method.authorizer] = [...(method.authorizationScopes ?? [])]
    else if (method.authorizationType === 'AWS_IAM') requirement[SIGV4_SCHEME] = []
    else if (method.authorizationType === 'NONE') out['x-amazon-apigateway-auth'] = { type: 'NONE' }
  }
  if (method.apiKeyRequired) requirement[API_KEY_SCHEME] = []
  if (Object.keys(requirement).length > 0) out.security = [requirement]
  return out
}
