/**
 * OpenAPI import of authorizers: `securitySchemes` (OpenAPI 3) / `securityDefinitions` (Swagger 2) entries with
 * `x-amazon-apigateway-authorizer` become `definition.authorizers`; an operation's `security` (or the
 * document's) naming one sets `method.authorizer`, `authorizationType` and `authorizationScopes`. Schemes
 * without an authorizer (SigV4, API keys) are left to their own features.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-authorizer.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-authtype.html
 */
import type { ApiDefinition, AuthorizerDefinition, MethodAuthorizationType, MethodDefinition } from '../../definition'
import { GatewayConfigError, pointer, toText } from '../../errors'
import type { ImportContext, Json } from '../types'
import { isObject } from '../../json'
import { numeric, versionString } from '../../openapi/integration'
import { warnUnknown } from '../../openapi/warn-unknown'
import { pointerTableOf } from '../../openapi/pointers'

const TYPES: Record<string, AuthorizerDefinition['type']> = {
  token: 'TOKEN',
  request: 'REQUEST',
  cognito_user_pools: 'COGNITO_USER_POOLS',
  jwt: 'JWT',
}

/**
 * The authorization type a method gets from its authorizer's type.
 *
 * @example
 * ```ts
 * AUTHORIZATION_TYPE.TOKEN // 'CUSTOM'
 * ```
 */
export const AUTHORIZATION_TYPE: Record<AuthorizerDefinition['type'], MethodAuthorizationType> = {
  TOKEN: 'CUSTOM',
  REQUEST: 'CUSTOM',
  COGNITO_USER_POOLS: 'COGNITO_USER_POOLS',
  JWT: 'JWT',
}

function invalid(message: string, at: string): never {
  throw new GatewayConfigError('INVALID_DEFINITION', message, at)
}

/** The document's security schemes and the pointer of their container. */
function schemes(doc: Json): { map: Json; at: string } | null {
  const components = doc.components
  if (isObject(components) && isObject(components.securitySchemes))
    return { map: components.securitySchemes, at: '/components/securitySchemes' }
  if (isObject(doc.securityDefinitions)) return { map: doc.securityDefinitions, at: '/securityDefinitions' }
  return null
}

function str(v: unknown, at: string): string | undefined {
  if (v === undefined) return undefined
  if (typeof v !== 'string') invalid('must be a string', at)
  return v
}

/** `x-amazon-apigateway-authorizer` fields gatehouse does not act on yet, and what that means for a request. */
const NOT_YET: Readonly<Record<string, string>> = {
  authorizerCredentials: "no IAM role is assumed: the in-process authorizer function runs with the process's rights",
}

/**
 * Every `x-amazon-apigateway-authorizer` field the importer knows (acted on, or warned about as not implemented
 * yet); any other name is warned about as unknown.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-authorizer.html
 */
export const AUTHORIZER_FIELDS: readonly string[] = [
  'type',
  'authorizerUri',
  'identitySource',
  'identityValidationExpression',
  'authorizerResultTtlInSeconds',
  'providerARNs',
  'jwtConfiguration',
  'authorizerPayloadFormatVersion',
  'enableSimpleResponses',
  ...Object.keys(NOT_YET),
]

/**
 * Security scheme fields (OpenAPI 3 `securitySchemes`, Swagger 2 `securityDefinitions`) the importers act on
 * (`type`, `name`, `in`, the two extensions) or that only describe how clients get credentials; other vendors'
 * `x-…` extensions are accepted too, any other name is warned about.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-authtype.html
 */
export const SECURITY_SCHEME_FIELDS: readonly string[] = [
  'type',
  'name',
  'in',
  'x-amazon-apigateway-authtype',
  'x-amazon-apigateway-authorizer',
  'description',
  'scheme',
  'bearerFormat',
  'flows',
  'openIdConnectUrl',
  'flow',
  'authorizationUrl',
  'tokenUrl',
  'scopes',
]

/** The fields of an HTTP API JWT authorizer's `jwtConfiguration` the importer acts on. */
export const JWT_CONFIGURATION_FIELDS: readonly string[] = ['issuer', 'audience']

function parseAuthorizer(raw: unknown, scheme: Json, at: string, ctx: ImportContext): AuthorizerDefinition {
  if (!isObject(raw)) invalid('x-amazon-apigateway-authorizer must be an object', at)
  warnUnknown(raw, AUTHORIZER_FIELDS, at, ctx.warn, NOT_YET)
  const type = TYPES[toText(raw.type ?? '').toLowerCase()]
  if (!type) invalid(`unknown authorizer type "${toText(raw.type)}" (token, request, cognito_user_pools or jwt)`, `${at}/type`)
  const def: AuthorizerDefinition = { type }
  const uri = str(raw.authorizerUri, `${at}/authorizerUri`)
  if (uri !== undefined) def.authorizerUri = uri
  // HTTP APIs' own model lists identity sources; the extension writes them comma-separated. Accept both.
  const rawSource =
    Array.isArray(raw.identitySource) && raw.identitySource.every((x) => typeof x === 'string')
      ? raw.identitySource.join(', ')
      : raw.identitySource
  let identitySource = str(rawSource, `${at}/identitySource`)
  // A TOKEN or Cognito authorizer without identitySource reads the header the scheme names.
  if (
    identitySource === undefined &&
    (type === 'TOKEN' || type === 'COGNITO_USER_POOLS') &&
    scheme.in === 'header' &&
    typeof scheme.name === 'string'
  ) {
    identitySource = `method.request.header.${scheme.name}`
  }
  if (identitySource !== undefined) def.identitySource = identitySource
  const expr = str(raw.identityValidationExpression, `${at}/identityValidationExpression`)
  if (expr !== undefined) def.identityValidationExpression = expr
  if (raw.authorizerResultTtlInSeconds !== undefined) {
    const ttl = numeric(raw.authorizerResultTtlInSeconds)
    if (!Number.isInteger(ttl) || ttl < 0 || ttl > 3600)
      invalid('authorizerResultTtlInSeconds must be an integer from 0 to 3600', `${at}/authorizerResultTtlInSeconds`)
    def.authorizerResultTtlInSeconds = ttl
  }
  if (raw.providerARNs !== undefined) {
    if (!Array.isArray(raw.providerARNs) || raw.providerARNs.some((a) => typeof a !== 'string'))
      invalid('providerARNs must be an array of strings', `${at}/providerARNs`)
    def.providerARNs = raw.providerARNs as string[]
  }
  if (raw.jwtConfiguration !== undefined) {
    const j = raw.jwtConfiguration
    if (!isObject(j)) invalid('jwtConfiguration must be an object', `${at}/jwtConfiguration`)
    warnUnknown(j, JWT_CONFIGURATION_FIELDS, `${at}/jwtConfiguration`, ctx.warn)
    const cfg: NonNullable<AuthorizerDefinition['jwtConfiguration']> = {}
    const issuer = str(j.issuer, `${at}/jwtConfiguration/issuer`)
    if (issuer !== undefined) cfg.issuer = issuer
    if (j.audience !== undefined) {
      const aud = typeof j.audience === 'string' ? [j.audience] : j.audience
      if (!Array.isArray(aud) || aud.some((a) => typeof a !== 'string'))
        invalid('audience must be an array of strings', `${at}/jwtConfiguration/audience`)
      cfg.audience = aud as string[]
    }
    def.jwtConfiguration = cfg
  }
  if (raw.authorizerPayloadFormatVersion !== undefined) {
    const v = versionString(raw.authorizerPayloadFormatVersion)
    if (v !== '1.0' && v !== '2.0') invalid('authorizerPayloadFormatVersion must be "1.0" or "2.0"', `${at}/authorizerPayloadFormatVersion`)
    def.authorizerPayloadFormatVersion = v
  }
  if (raw.enableSimpleResponses !== undefined) {
    if (typeof raw.enableSimpleResponses !== 'boolean') invalid('enableSimpleResponses must be a boolean', `${at}/enableSimpleResponses`)
    def.enableSimpleResponses = raw.enableSimpleResponses
  }
  return def
}

/**
 * Schemes other features read: SigV4 (the IAM feature) and `x-api-key` API keys (the API-key feature).
 * Everything else in `security` is reported here, since this feature claims the `security` key.
 */
function handledElsewhere(scheme: unknown): boolean {
  if (!isObject(scheme)) return false
  if (toText(scheme['x-amazon-apigateway-authtype'] ?? '').toLowerCase() === 'awssigv4') return true
  return scheme.type === 'apiKey' && toText(scheme.name ?? '').toLowerCase() === 'x-api-key' && scheme.in === 'header'
}

/**
 * `importApi` hook: security schemes with an authorizer → `api.authorizers`.
 *
 * @example
 * ```ts
 * importAuthorizers(doc, api, ctx) // api.authorizers = { auth: { type: 'TOKEN', authorizerUri: …, identitySource: … } }
 * ```
 */
export function importAuthorizers(doc: Json, api: ApiDefinition, ctx: ImportContext): void {
  const found = schemes(doc)
  if (!found) return
  for (const [name, rawScheme] of Object.entries(found.map)) {
    const at = `${found.at}${pointer(name)}`
    const scheme = ctx.deref(rawScheme, at)
    if (!isObject(scheme)) continue
    for (const key of Object.keys(scheme)) {
      if (SECURITY_SCHEME_FIELDS.includes(key) || (key.startsWith('x-') && !key.startsWith('x-amazon-apigateway-'))) continue
      ctx.warn({
        code: 'IGNORED_SETTING',
        message: `${key} is ignored: gatehouse does not know this setting`,
        pointer: `${at}${pointer(key)}`,
      })
    }
    if (scheme['x-amazon-apigateway-authorizer'] === undefined) continue
    const authorizerAt = `${at}${pointer('x-amazon-apigateway-authorizer')}`
    const def = parseAuthorizer(scheme['x-amazon-apigateway-authorizer'], scheme, authorizerAt, ctx)
    ;(api.authorizers ??= {})[name] = def
    pointerTableOf(ctx).record(pointer('authorizers', name), authorizerAt)
  }
}

/**
 * `importOperation` hook: the operation's (or the document's) `security` naming an authorizer.
 *
 * @example
 * ```ts
 * importSecurity({ security: [{ pool: ['pets/read'] }] }, method, '/paths/~1pets/get', ctx)
 * // method.authorizer = 'pool', authorizationType = 'COGNITO_USER_POOLS', authorizationScopes = ['pets/read']
 * ```
 */
export function importSecurity(op: Json, method: MethodDefinition, at: string, ctx: ImportContext): void {
  const own = op.security !== undefined
  const security = own ? op.security : ctx.doc.security
  if (security === undefined) return
  const secAt = own ? `${at}/security` : '/security'
  if (!Array.isArray(security)) invalid('security must be an array of requirements', secAt)
  const found = schemes(ctx.doc)
  let chosen: { name: string; type: AuthorizerDefinition['type']; scopes: unknown } | undefined
  const unknown: string[] = []
  security.forEach((req, i) => {
    if (!isObject(req)) invalid('a security requirement must be an object', `${secAt}/${i}`)
    for (const [name, scopes] of Object.entries(req)) {
      // Own keys only: a requirement naming `constructor` or `__proto__` names no scheme.
      const scheme = found && Object.hasOwn(found.map, name) ? ctx.deref(found.map[name], `${found.at}${pointer(name)}`) : undefined
      if (!isObject(scheme) || !isObject(scheme['x-amazon-apigateway-authorizer'])) {
        // An undefined scheme is reported by the IAM feature; a defined one no feature reads is reported here.
        if (scheme !== undefined && !handledElsewhere(scheme)) unknown.push(name)
        continue
      }
      const type = TYPES[toText(scheme['x-amazon-apigateway-authorizer'].type ?? '').toLowerCase()]
      if (!type) continue
      if (chosen === undefined) chosen = { name, type, scopes }
      else if (chosen.name !== name) {
        ctx.warn({
          code: 'IGNORED_SETTING',
          message: `a method has one authorizer: "${chosen.name}" is used, "${name}" is ignored`,
          pointer: `${secAt}/${i}`,
        })
      }
    }
  })
  if (unknown.length > 0) {
    const list = unknown.map((n) => `"${n}"`).join(', ')
    ctx.warn({
      code: 'UNSUPPORTED_EXTENSION',
      message: `security scheme${unknown.length > 1 ? 's' : ''} ${list} not implemented yet`,
      pointer: secAt,
    })
  }
  if (!chosen) return
  method.authorizer = chosen.name
  method.authorizationType = AUTHORIZATION_TYPE[chosen.type]
  const scopes = chosen.scopes
  if (Array.isArray(scopes) && scopes.length > 0) {
    if (scopes.some((s) => typeof s !== 'string')) invalid('scopes must be strings', secAt)
    if (chosen.type === 'COGNITO_USER_POOLS' || chosen.type === 'JWT') method.authorizationScopes = scopes as string[]
  }
}
