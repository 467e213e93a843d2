import type { JwtAlgorithm } from './algorithms'
import { bearerToken, cognitoIssuer, cognitoJwksUri, httpApiClaims, restApiClaims, wwwAuthenticate } from './aws'
import { decodeJwt, type JwtPayload } from './decode'
import { JwtConfigError, type JwtError, type JwtErrorCode } from './errors'
import type { JwkSet } from './jwks'
import type { Jwk } from './keys'
import { hasAnyScope, tokenScopes } from './scopes'
import { createJwtVerifier, type JwtVerifier, type JwtVerifierOptions } from './verifier'

/** Options every authorizer passes through to its verifiers. */
interface SharedVerifierOptions {
  now?: () => number
  fetch?: JwtVerifierOptions['fetch']
  leewaySeconds?: number
  cooldownMs?: number
  cacheMaxAgeMs?: number
  timeoutMs?: number
  algorithms?: readonly JwtAlgorithm[]
}

/**
 * An HTTP API `JWT` authorizer's `jwtConfiguration`, plus where to find keys when not by OIDC discovery.
 *
 * @example
 * ```ts
 * import { createHttpApiJwtAuthorizer } from '@gatehousejs/jwt'
 * // An HTTP API's JWT authorizer: { Issuer, Audience } from its JwtConfiguration.
 * const authorizer = createHttpApiJwtAuthorizer({
 *   issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdE',
 *   audience: ['my-client-id'],
 *   leewaySeconds: 0,
 * })
 * ```
 */
export interface HttpApiJwtAuthorizerOptions extends SharedVerifierOptions {
  issuer: string
  /** The token's `aud` (or `client_id` when it has no `aud`) must match one. Unset: not checked. */
  audience?: readonly string[]
  /** Default: discovered from `{issuer}/.well-known/openid-configuration`. */
  jwksUri?: string
  jwks?: JwkSet | Jwk[]
}

/**
 * What an HTTP API JWT authorizer decided. On success, `claims`/`scopes` go to the 2.0 event's
 * `requestContext.authorizer.jwt`; on failure, send `statusCode`, `headers` and `body` as they are.
 *
 * @example
 * ```ts
 * import { createHttpApiJwtAuthorizer } from '@gatehousejs/jwt'
 * const authorizer = createHttpApiJwtAuthorizer({ issuer: 'https://id.example.com', audience: ['api'] })
 * async function authorize(headers: Record<string, string | undefined>) {
 *   const outcome = await authorizer.authorize(headers.authorization, ['pets/read'])
 *   if (!outcome.ok) return { statusCode: outcome.statusCode, headers: outcome.headers, body: outcome.body }
 *   // What the integration sees as event.requestContext.authorizer:
 *   return { jwt: { claims: outcome.claims, scopes: outcome.scopes } }
 * }
 * ```
 */
export type HttpApiJwtOutcome =
  | { ok: true; claims: Record<string, string>; scopes: string[] | null; payload: JwtPayload }
  | {
      ok: false
      statusCode: 401 | 403 | 500
      headers: Record<string, string>
      body: string
      /** Why, for logs (`$context.authorizer.error`); `MISSING` when there was no token. */
      code: JwtErrorCode | 'MISSING'
      reason: string
    }

/**
 * A compiled HTTP API JWT authorizer.
 *
 * @example
 * ```ts
 * import { createHttpApiJwtAuthorizer } from '@gatehousejs/jwt'
 * const authorizer = createHttpApiJwtAuthorizer({ issuer: 'https://id.example.com', audience: ['api'] })
 * const outcome = await authorizer.authorize(`Bearer ${token}`, ['pets/read'])
 * ```
 */
export interface HttpApiJwtAuthorizer {
  /** `identity` is the identity source's value (the token, optionally prefixed by `Bearer`). Never rejects. */
  authorize(identity: string | undefined, routeScopes?: readonly string[]): Promise<HttpApiJwtOutcome>
  readonly verifier: JwtVerifier
}

const UNAUTHORIZED_BODY = '{"message":"Unauthorized"}'
const FORBIDDEN_BODY = '{"message":"Forbidden"}'
const INTERNAL_BODY = '{"message":"Internal Server Error"}'

/**
 * Builds an HTTP API `JWT` authorizer: 401 with `www-authenticate` for a missing or invalid token, 403 when
 * the token has none of the route's `authorizationScopes`, 500 when the issuer's keys cannot be fetched.
 *
 * @example
 * ```ts
 * import { createHttpApiJwtAuthorizer } from '@gatehousejs/jwt'
 * const authorizer = createHttpApiJwtAuthorizer({ issuer: 'https://id.example.com', audience: ['api'] })
 * const outcome = await authorizer.authorize(`Bearer ${token}`, ['pets/read'])
 * if (!outcome.ok) console.log(outcome.statusCode, outcome.headers['www-authenticate']) // 401 'Bearer …' or 403
 * ```
 */
export function createHttpApiJwtAuthorizer(options: HttpApiJwtAuthorizerOptions): HttpApiJwtAuthorizer {
  if (typeof options.issuer !== 'string' || options.issuer === '') throw new JwtConfigError('"issuer" is required')
  const verifierOptions: JwtVerifierOptions = { ...pickShared(options), issuer: options.issuer, clientIdAsAudience: true }
  if (options.audience !== undefined) verifierOptions.audience = options.audience
  if (options.jwksUri !== undefined) verifierOptions.jwksUri = options.jwksUri
  if (options.jwks !== undefined) verifierOptions.jwks = options.jwks
  const verifier = createJwtVerifier(verifierOptions)

  const refuse = (code: JwtErrorCode | 'MISSING', reason: string, scopes: readonly string[] = []): HttpApiJwtOutcome => {
    if (code === 'JWKS_FETCH_FAILED') return { ok: false, statusCode: 500, headers: {}, body: INTERNAL_BODY, code, reason }
    const forbidden = code === 'JWT_INSUFFICIENT_SCOPE'
    return {
      ok: false,
      statusCode: forbidden ? 403 : 401,
      headers: { 'www-authenticate': wwwAuthenticate(code, scopes) },
      body: forbidden ? FORBIDDEN_BODY : UNAUTHORIZED_BODY,
      code,
      reason,
    }
  }

  return {
    verifier,
    async authorize(identity, routeScopes) {
      const token = bearerToken(identity)
      if (token === undefined) return refuse('MISSING', 'no token in the identity source')
      const result = await verifier.verify(token)
      if (!result.ok) return refuse(result.code, result.reason)
      if (!hasAnyScope(result.payload, routeScopes)) {
        return refuse('JWT_INSUFFICIENT_SCOPE', "the token has none of the route's scopes", routeScopes)
      }
      const scopes = tokenScopes(result.payload)
      return { ok: true, claims: httpApiClaims(result.payload), scopes: scopes.length > 0 ? scopes : null, payload: result.payload }
    },
  }
}

/**
 * A REST API `COGNITO_USER_POOLS` authorizer: the pools of `providerARNs`, and optionally where their keys
 * are (for tests and offline use; by default Cognito's public JWKS URL of each pool).
 *
 * @example
 * ```ts
 * import { createCognitoAuthorizer } from '@gatehousejs/jwt'
 * // A REST API authorizer of type COGNITO_USER_POOLS: its providerARNs.
 * const cognito = createCognitoAuthorizer({
 *   providerArns: ['arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdE'],
 *   timeoutMs: 2_000,
 * })
 * ```
 */
export interface CognitoAuthorizerOptions extends SharedVerifierOptions {
  providerArns: readonly string[]
  /** Per issuer URL (see {@link cognitoIssuer}): a JWKS URL or fixed keys replacing Cognito's. */
  keys?: Record<string, { jwksUri?: string; jwks?: JwkSet | Jwk[] }>
}

/**
 * What a Cognito authorizer decided. On success, `claims` are `$context.authorizer.claims` and the 1.0
 * event's `requestContext.authorizer.claims`. On failure, `responseType` is the gateway response to send.
 *
 * @example
 * ```ts
 * import { createCognitoAuthorizer } from '@gatehousejs/jwt'
 * const cognito = createCognitoAuthorizer({ providerArns: ['arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdE'] })
 * async function authorize(authorization: string | undefined, authorizationScopes: string[]) {
 *   const outcome = await cognito.authorize(authorization, authorizationScopes)
 *   if (!outcome.ok) return { statusCode: outcome.statusCode, responseType: outcome.responseType } // 'UNAUTHORIZED' → 401
 *   return { claims: outcome.claims } // $context.authorizer.claims
 * }
 * ```
 */
export type CognitoOutcome =
  | { ok: true; claims: Record<string, string>; payload: JwtPayload }
  | {
      ok: false
      responseType: 'UNAUTHORIZED' | 'AUTHORIZER_CONFIGURATION_ERROR'
      statusCode: 401 | 500
      code: JwtErrorCode | 'MISSING'
      reason: string
    }

/**
 * A compiled REST API Cognito user pool authorizer.
 *
 * @example
 * ```ts
 * import { createCognitoAuthorizer } from '@gatehousejs/jwt'
 * const cognito = createCognitoAuthorizer({ providerArns: ['arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdE'] })
 * const outcome = await cognito.authorize(token, ['pets/read'])
 * ```
 */
export interface CognitoAuthorizer {
  /** `identity` is the identity-source header's value. Never rejects. */
  authorize(identity: string | undefined, authorizationScopes?: readonly string[]): Promise<CognitoOutcome>
  /** The verifier of each pool, by issuer URL. */
  readonly verifiers: ReadonlyMap<string, JwtVerifier>
}

/**
 * Builds a REST API `COGNITO_USER_POOLS` authorizer. The token's (unverified) `iss` picks the pool; the
 * signature, `exp`/`nbf`/`iat` and `iss` are then checked; with `authorizationScopes`, the token (an access
 * token) must carry one of them. Every refusal is `UNAUTHORIZED` (401); key fetch failures are
 * `AUTHORIZER_CONFIGURATION_ERROR` (500).
 *
 * @example
 * ```ts
 * import { createCognitoAuthorizer } from '@gatehousejs/jwt'
 * const cognito = createCognitoAuthorizer({ providerArns: ['arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdE'] })
 * const outcome = await cognito.authorize(token) // the Authorization header's value, as API Gateway passes it
 * if (outcome.ok) console.log(outcome.claims.sub)
 * ```
 */
export function createCognitoAuthorizer(options: CognitoAuthorizerOptions): CognitoAuthorizer {
  if (!Array.isArray(options.providerArns) || options.providerArns.length === 0) {
    throw new JwtConfigError('"providerArns" must name at least one user pool')
  }
  const verifiers = new Map<string, JwtVerifier>()
  for (const arn of options.providerArns) {
    const issuer = cognitoIssuer(arn)
    const where = options.keys?.[issuer]
    const verifierOptions: JwtVerifierOptions = { ...pickShared(options), issuer }
    if (where?.jwks !== undefined) verifierOptions.jwks = where.jwks
    else verifierOptions.jwksUri = where?.jwksUri ?? cognitoJwksUri(issuer)
    verifiers.set(issuer, createJwtVerifier(verifierOptions))
  }
  for (const issuer of Object.keys(options.keys ?? {})) {
    if (!verifiers.has(issuer)) throw new JwtConfigError(`"keys" names ${issuer}, which is not one of "providerArns"`)
  }

  const refuse = (code: JwtErrorCode | 'MISSING', reason: string): CognitoOutcome =>
    code === 'JWKS_FETCH_FAILED'
      ? { ok: false, responseType: 'AUTHORIZER_CONFIGURATION_ERROR', statusCode: 500, code, reason }
      : { ok: false, responseType: 'UNAUTHORIZED', statusCode: 401, code, reason }

  return {
    verifiers,
    async authorize(identity, authorizationScopes) {
      const token = bearerToken(identity)
      if (token === undefined) return refuse('MISSING', 'no token in the identity source')
      let iss: unknown
      try {
        iss = decodeJwt(token).payload.iss
      } catch (err) {
        const e = err as JwtError
        return refuse(e.code, e.message)
      }
      const verifier = typeof iss === 'string' ? verifiers.get(iss) : undefined
      if (verifier === undefined) return refuse('JWT_ISSUER_INVALID', 'the token was not issued by a pool of this authorizer')
      const result = await verifier.verify(token)
      if (!result.ok) return refuse(result.code, result.reason)
      if (!hasAnyScope(result.payload, authorizationScopes)) {
        return refuse('JWT_INSUFFICIENT_SCOPE', "the token has none of the method's authorization scopes")
      }
      return { ok: true, claims: restApiClaims(result.payload), payload: result.payload }
    },
  }
}

function pickShared(options: SharedVerifierOptions): Partial<JwtVerifierOptions> {
  const out: Partial<JwtVerifierOptions> = {}
  if (options.now !== undefined) out.now = options.now
  if (options.fetch !== undefined) out.fetch = options.fetch
  if (options.leewaySeconds !== undefined) out.leewaySeconds = options.leewaySeconds
  if (options.cooldownMs !== undefined) out.cooldownMs = options.cooldownMs
  if (options.cacheMaxAgeMs !== undefined) out.cacheMaxAgeMs = options.cacheMaxAgeMs
  if (options.timeoutMs !== undefined) out.timeoutMs = options.timeoutMs
  if (options.algorithms !== undefined) out.algorithms = options.algorithms
  return out
}
