/**
 * Token authorizers backed by @gatehousejs/jwt: REST `COGNITO_USER_POOLS` and HTTP API `JWT`.
 * Cognito: https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-integrate-with-cognito.html
 * JWT: https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html
 */
import {
  cognitoIssuer,
  createCognitoAuthorizer,
  createHttpApiJwtAuthorizer,
  JwtConfigError,
  withJwksCacheStore,
  type CognitoAuthorizerOptions,
  type HttpApiJwtAuthorizerOptions,
} from '@gatehousejs/jwt'
import type { Regex } from '@gatehousejs/regex'
import type { CompiledApi } from '../../model'
import type { AuthorizerDefinition } from '../../definition'
import { GatewayConfigError } from '../../errors'
import { failure, type GatewayFailure } from '../../gateway-responses'
import { compileJavaPattern } from '../../integrations/selection-pattern'
import { compileIdentitySources } from './identity-sources'
import type { AuthorizationOptions } from './options'
import { refusals } from './refusals'
import type { Authorize } from './lambda'
import type { RequestState } from '../../state'

/**
 * What a JWT or Cognito authorizer is compiled with.
 *
 * @example
 * ```ts
 * const ctx: TokenAuthorizerContext = { api, options: { issuerKeys: {} }, at: '/authorizers/pool' }
 * ```
 */
export interface TokenAuthorizerContext {
  api: CompiledApi
  options: AuthorizationOptions
  at: string
}

/**
 * A token authorizer compiled once; each route passes its own scopes.
 *
 * @example
 * ```ts
 * const stage = authorizeWithScopes(['pets/read'])
 * ```
 */
export type AuthorizeWithScopes = (scopes: readonly string[] | undefined) => Authorize

/** The `fetch` for an authorizer's key sets: it carries `jwksStore`, when given, down to the key set. */
function sharedFetch(options: AuthorizationOptions): HttpApiJwtAuthorizerOptions['fetch'] {
  if (!options.jwksStore) return options.fetch
  return withJwksCacheStore(options.jwksStore, options.fetch)
}

function configError(e: unknown, at: string): never {
  if (e instanceof JwtConfigError) throw new GatewayConfigError('INVALID_DEFINITION', e.message, at)
  throw e
}

/**
 * Compiles a REST `COGNITO_USER_POOLS` authorizer: 401 for a missing or invalid token or unmet scopes, 500
 * when the pool's keys cannot be fetched; claims to `$context.authorizer.claims`.
 *
 * @example
 * ```ts
 * const forRoute = compileCognitoAuthorizer({ type: 'COGNITO_USER_POOLS', providerARNs: [poolArn] }, { api, options: {}, at })
 * ```
 */
export function compileCognitoAuthorizer(def: AuthorizerDefinition, ctx: TokenAuthorizerContext): AuthorizeWithScopes {
  const { api, at, options } = ctx
  if (api.apiType !== 'REST') {
    throw new GatewayConfigError(
      'INVALID_DEFINITION',
      'COGNITO_USER_POOLS authorizers are for REST APIs (HTTP APIs use a JWT authorizer)',
      `${at}/type`,
    )
  }
  const providerArns = def.providerARNs ?? []
  if (providerArns.length === 0)
    throw new GatewayConfigError('INVALID_DEFINITION', 'a COGNITO_USER_POOLS authorizer needs providerARNs', `${at}/providerARNs`)
  const readers = compileIdentitySources(def.identitySource ?? 'method.request.header.Authorization', api, `${at}/identitySource`)
  if (readers.length !== 1)
    throw new GatewayConfigError('INVALID_DEFINITION', 'a COGNITO_USER_POOLS authorizer takes one identity source', `${at}/identitySource`)
  const read = readers[0]!
  // The whole token must match, as Java's Pattern.matches does; linear in the (client's) token.
  const validate: Regex | null =
    def.identityValidationExpression === undefined
      ? null
      : compileJavaPattern(def.identityValidationExpression, api, `${at}/identityValidationExpression`, 'identityValidationExpression')
  const cognitoOptions: CognitoAuthorizerOptions = { providerArns, now: api.now }
  const fetchWith = sharedFetch(options)
  if (fetchWith) cognitoOptions.fetch = fetchWith
  let authorizer: ReturnType<typeof createCognitoAuthorizer>
  try {
    // Only the issuers of this authorizer's pools: the same option may name other authorizers' issuers.
    const keys: NonNullable<CognitoAuthorizerOptions['keys']> = {}
    for (const arn of providerArns) {
      const issuer = cognitoIssuer(arn)
      const k = options.issuerKeys?.[issuer]
      if (k) keys[issuer] = k
    }
    if (Object.keys(keys).length > 0) cognitoOptions.keys = keys
    authorizer = createCognitoAuthorizer(cognitoOptions)
  } catch (e) {
    configError(e, `${at}/providerARNs`)
  }
  const refuse = refusals('REST')
  return (scopes) => {
    const routeScopes = scopes && scopes.length > 0 ? scopes : undefined
    return async (state: RequestState) => {
      const token = read(state)
      if (token === undefined) return refuse.unauthorized
      if (validate && !validate.matchesWhole(token)) return refuse.unauthorized
      const outcome = await authorizer.authorize(token, routeScopes)
      if (!outcome.ok) {
        if (outcome.responseType === 'UNAUTHORIZED') return refuse.unauthorized
        state.reportFailure(new JwksFetchError(outcome.reason), 'authorizer', refuse.configurationError.type)
        return refuse.configurationError
      }
      state.authorizer = { claims: outcome.claims }
      return undefined
    }
  }
}

/**
 * Compiles an HTTP API `JWT` authorizer: 401 / 403 with `www-authenticate` as API Gateway answers; claims and
 * scopes to `requestContext.authorizer.jwt`.
 *
 * @example
 * ```ts
 * const forRoute = compileJwtAuthorizer({ type: 'JWT', jwtConfiguration: { issuer, audience: ['api'] } }, { api, options: {}, at })
 * ```
 */
export function compileJwtAuthorizer(def: AuthorizerDefinition, ctx: TokenAuthorizerContext): AuthorizeWithScopes {
  const { api, at, options } = ctx
  if (api.apiType !== 'HTTP') {
    throw new GatewayConfigError(
      'INVALID_DEFINITION',
      'JWT authorizers are for HTTP APIs (REST APIs use COGNITO_USER_POOLS or a Lambda authorizer)',
      `${at}/type`,
    )
  }
  const issuer = def.jwtConfiguration?.issuer
  if (typeof issuer !== 'string' || issuer === '')
    throw new GatewayConfigError('INVALID_DEFINITION', 'a JWT authorizer needs jwtConfiguration.issuer', `${at}/jwtConfiguration`)
  const readers = compileIdentitySources(def.identitySource ?? '$request.header.Authorization', api, `${at}/identitySource`)
  if (readers.length !== 1)
    throw new GatewayConfigError('INVALID_DEFINITION', 'a JWT authorizer takes one identity source', `${at}/identitySource`)
  const read = readers[0]!
  const jwtOptions: HttpApiJwtAuthorizerOptions = { issuer, now: api.now }
  if (def.jwtConfiguration?.audience !== undefined) jwtOptions.audience = def.jwtConfiguration.audience
  const keys = options.issuerKeys?.[issuer]
  if (keys?.jwksUri !== undefined) jwtOptions.jwksUri = keys.jwksUri
  if (keys?.jwks !== undefined) jwtOptions.jwks = keys.jwks
  const fetchWith = sharedFetch(options)
  if (fetchWith) jwtOptions.fetch = fetchWith
  let authorizer: ReturnType<typeof createHttpApiJwtAuthorizer>
  try {
    authorizer = createHttpApiJwtAuthorizer(jwtOptions)
  } catch (e) {
    configError(e, `${at}/jwtConfiguration`)
  }
  const byStatus = (status: number): GatewayFailure['type'] =>
    status === 401 ? 'UNAUTHORIZED' : status === 403 ? 'ACCESS_DENIED' : 'AUTHORIZER_CONFIGURATION_ERROR'
  return (scopes) => {
    const routeScopes = scopes && scopes.length > 0 ? scopes : undefined
    return async (state: RequestState) => {
      const outcome = await authorizer.authorize(read(state), routeScopes)
      if (!outcome.ok) {
        // The issuer's keys could not be fetched: the operator's problem, not the client's token.
        if (outcome.code === 'JWKS_FETCH_FAILED')
          state.reportFailure(new JwksFetchError(outcome.reason), 'authorizer', 'AUTHORIZER_CONFIGURATION_ERROR')
        const message = (JSON.parse(outcome.body) as { message: string }).message
        return failure(byStatus(outcome.statusCode), message, {
          status: outcome.statusCode,
          headers: { ...outcome.headers },
          body: outcome.body,
        })
      }
      state.authorizer = { jwt: { claims: outcome.claims, scopes: outcome.scopes } }
      return undefined
    }
  }
}

/**
 * What `onError` gets when an issuer's JWKS cannot be fetched (the client gets a 500): `@gatehousejs/jwt` reports
 * the reason as text, so the fetch's own error is named in the message.
 *
 * @example
 * ```ts
 * new JwksFetchError('the JWKS could not be fetched: ECONNREFUSED').code // 'JWKS_FETCH_FAILED'
 * ```
 */
export class JwksFetchError extends Error {
  override name = 'JwksFetchError'
  readonly code = 'JWKS_FETCH_FAILED'
}
