/**
 * Gateway-wide options for authorizers (`GatewayInput.authorization`).
 */
import type { Jwk, JwkSet } from '@gatehousejs/jwt'

/**
 * How authorizers run in process.
 *
 * @example
 * ```ts
 * const authorization: AuthorizationOptions = {
 *   lambdaTimeoutMs: 5000,
 *   issuerKeys: { 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdE': { jwksUri: 'http://127.0.0.1:9000/jwks.json' } },
 * }
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
