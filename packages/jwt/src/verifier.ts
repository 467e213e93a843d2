import { ASYMMETRIC_ALGORITHMS, type JwtAlgorithm } from './algorithms'
import { checkClaimOptions, type JwtClaimOptions } from './claims'
import { decodeJwt } from './decode'
import { JwtConfigError, JwtError } from './errors'
import { createJwks, type JwkSet, type Jwks, type JwksOptions } from './jwks'
import type { ImportedKey, Jwk } from './keys'
import { checkAlgorithm, checkAlgorithms, failure, finishAsync, type JwtVerifyResult } from './verify'

/**
 * Options of {@link createJwtVerifier}.
 *
 * @example
 * ```ts
 * import { createJwtVerifier } from '@gatehousejs/jwt'
 * const verifier = createJwtVerifier({
 *   issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc',
 *   audience: ['my-client-id'],
 *   jwksUri: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc/.well-known/jwks.json',
 *   algorithms: ['RS256'],
 *   leewaySeconds: 30,
 * })
 * const result = await verifier.verify(token)
 * ```
 */
export interface JwtVerifierOptions extends JwtClaimOptions {
  /** URL of the JWKS. */
  jwksUri?: string | URL
  /** Fixed keys instead of a URL. */
  jwks?: JwkSet | Jwk[]
  /** Default: every asymmetric algorithm (HMAC only when listed, and only with `oct` keys in `jwks`). */
  algorithms?: readonly JwtAlgorithm[]
  /**
   * Refuse tokens without `kid` (API Gateway requires one). Default `true`; with `false` a token without
   * `kid` is checked with the only key of its type, if there is exactly one.
   */
  requireKid?: boolean
  /** For fetching the JWKS (and the discovery document). Default: the global `fetch`. */
  fetch?: JwksOptions['fetch']
  /** Minimum time between refetches caused by unknown `kid`s or failures. Default 30 000 ms. */
  cooldownMs?: number
  /** Refetch the JWKS once it is this old. Default 7 200 000 ms (2 h). */
  cacheMaxAgeMs?: number
  /** Give up a JWKS or discovery fetch (answer and body) after this long. Default 5 000 ms. */
  timeoutMs?: number
}

/**
 * A compiled verifier bound to one issuer's keys.
 *
 * @example
 * ```ts
 * import { createJwtVerifier } from '@gatehousejs/jwt'
 * const verifier = createJwtVerifier({ issuer: 'https://id.example.com', audience: 'api' })
 * const result = await verifier.verify(token)
 * if (result.ok) console.log(result.payload.sub)
 * console.log(verifier.jwks.fetchCount) // 1: discovery found the JWKS, fetched once
 * ```
 */
export interface JwtVerifier {
  /** Verifies a token; never rejects. Failures carry a code; `JWKS_FETCH_FAILED` is the server-side one. */
  verify(token: string): Promise<JwtVerifyResult>
  /** The key set, for `refresh()` and `fetchCount`. */
  readonly jwks: Jwks
}

/**
 * Compiles a verifier for one issuer. Keys come from `jwks` (fixed), `jwksUri`, or else from OIDC discovery
 * at `{issuer}/.well-known/openid-configuration`. Throws `JwtConfigError` for wrong options.
 *
 * @example
 * ```ts
 * import { createJwtVerifier } from '@gatehousejs/jwt'
 * const verifier = createJwtVerifier({ issuer: 'https://id.example.com', audience: 'api', jwksUri: 'https://id.example.com/jwks' })
 * const result = await verifier.verify(token)
 * ```
 */
export function createJwtVerifier(options: JwtVerifierOptions): JwtVerifier {
  checkAlgorithms(options.algorithms)
  checkClaimOptions(options)
  const algorithms = options.algorithms ?? ASYMMETRIC_ALGORITHMS
  const requireKid = options.requireKid ?? true
  const jwksOptions: JwksOptions = {}
  if (options.jwks !== undefined) jwksOptions.keys = options.jwks
  else if (options.jwksUri !== undefined) jwksOptions.uri = options.jwksUri
  else if (typeof options.issuer === 'string') jwksOptions.discoveryIssuer = options.issuer
  else throw new JwtConfigError('give "jwks", "jwksUri", or a single "issuer" to discover the JWKS from')
  if (options.jwks !== undefined && options.jwksUri !== undefined) throw new JwtConfigError('give "jwks" or "jwksUri", not both')
  if (options.fetch !== undefined) jwksOptions.fetch = options.fetch
  if (options.now !== undefined) jwksOptions.now = options.now
  if (options.cooldownMs !== undefined) jwksOptions.cooldownMs = options.cooldownMs
  if (options.cacheMaxAgeMs !== undefined) jwksOptions.maxAgeMs = options.cacheMaxAgeMs
  if (options.timeoutMs !== undefined) jwksOptions.timeoutMs = options.timeoutMs
  const jwks = createJwks(jwksOptions)
  // Claim options are copied so later mutation of the caller's object cannot change a compiled verifier.
  const claims: JwtClaimOptions = { ...options }

  return {
    jwks,
    verify(token) {
      let key: ImportedKey | Promise<ImportedKey>
      let decoded: ReturnType<typeof decodeJwt>
      let alg: JwtAlgorithm
      try {
        decoded = decodeJwt(token)
        alg = checkAlgorithm(decoded.header.alg, algorithms)
        if (requireKid && decoded.header.kid === undefined) throw new JwtError('JWKS_NO_MATCHING_KEY', 'the token has no kid')
        key = jwks.resolve(alg, decoded.header.kid)
      } catch (err) {
        return Promise.resolve(failure(err))
      }
      // The common case (key cached) goes straight to the signature check without an extra await.
      if (!(key instanceof Promise)) return finishAsync(alg, key, decoded, claims)
      return key.then(
        (k) => finishAsync(alg, k, decoded, claims),
        (err: unknown) => failure(err),
      )
    },
  }
}
