/**
 * Gateway-wide options for authorizers (`GatewayInput.authorization`).
 */
import type { Jwk, JwkSet } from '@gatehousejs/jwt'

/**
 * How authorizers run in process.
 *
 * @example
 * ```ts
 * import { createGateway, type AuthorizationOptions } from '@gatehousejs/core'
 * const issuer = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdE'
 * const authorization: AuthorizationOptions = {
 *   lambdaTimeoutMs: 5000,
 *   // The user pool's keys from a local JWKS server instead of Cognito's URL (tests, offline use).
 *   issuerKeys: { [issuer]: { jwksUri: 'http://127.0.0.1:9000/jwks.json' } },
 * }
 * const gw = createGateway({
 *   apiType: 'HTTP',
 *   api: {
 *     authorizers: { cognito: { type: 'JWT', identitySource: '$request.header.Authorization', jwtConfiguration: { issuer, audience: ['my-client-id'] } } },
 *     resources: { '/pets': { GET: { authorizationType: 'JWT', authorizer: 'cognito', integration: { type: 'AWS_PROXY', uri: 'listPets' } } } },
 *   },
 *   functions: { listPets: async () => ({ statusCode: 200, body: '[]' }) },
 *   authorization,
 * })
 * // Without a token the JWT authorizer refuses before any key is fetched.
 * const res = await gw.handle({ method: 'GET', path: '/pets', headers: {} })
 * res.statusCode // 401
 * ```
 */
export interface AuthorizationOptions {
  /** How long a Lambda authorizer may take before the request fails with 500. Default 10000 ms (API Gateway's quota). */
  lambdaTimeoutMs?: number
  /** Most cached authorizer results kept per authorizer (oldest evicted first). Default 10000. */
  resultCacheMaxEntries?: number
  /**
   * Where the keys of a JWT/Cognito issuer are, by issuer URL, instead of Cognito's public JWKS URL or OIDC
   * discovery (`{issuer}/.well-known/openid-configuration`): a JWKS URL or fixed keys. For tests and offline use.
   */
  issuerKeys?: Record<string, { jwksUri?: string; jwks?: JwkSet | Jwk[] }>
  /** Fetch used for JWKS and discovery documents. Default: the global `fetch`. */
  fetch?: typeof fetch
}
