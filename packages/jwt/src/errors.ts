/**
 * Why a token was refused (or could not be checked). Stable strings: switch on them, never on messages.
 *
 * @example
 * ```ts
 * import { verifyJwt } from '@gatehousejs/jwt'
 * const result = await verifyJwt(token, { key: { hmacSecret: process.env.JWT_SECRET! }, issuer: 'https://id.example.com' })
 * if (!result.ok) {
 *   switch (result.code) {
 *     case 'JWT_EXPIRED':
 *       console.log('log in again')
 *       break
 *     case 'JWKS_FETCH_FAILED': // the issuer's keys could not be fetched: a server-side failure (500)
 *       console.error(result.reason)
 *       break
 *     default:
 *       console.log('refused:', result.code) // 401
 *   }
 * }
 * ```
 */
export type JwtErrorCode =
  /** Not three base64url parts, bad JSON, a header or payload that is not an object, `alg` missing. */
  | 'JWT_MALFORMED'
  /** The header lists a `crit` extension this library does not implement (RFC 7515 §4.1.11). */
  | 'JWT_CRIT_UNSUPPORTED'
  /** `alg` is `none`, unknown, or not in the allowed list. */
  | 'JWT_ALGORITHM_NOT_ALLOWED'
  /** The key cannot verify this `alg` (algorithm confusion, wrong curve, short RSA modulus, JWK `alg`/`use`). */
  | 'JWT_KEY_MISMATCH'
  /** The signature does not verify. */
  | 'JWT_SIGNATURE_INVALID'
  /** A registered claim has the wrong type (`exp` not a number, `aud` not a string or array of strings, …). */
  | 'JWT_CLAIM_INVALID'
  /** A claim the options require is absent. */
  | 'JWT_CLAIM_MISSING'
  /** `exp` is in the past (beyond the leeway). */
  | 'JWT_EXPIRED'
  /** `nbf` is in the future (beyond the leeway). */
  | 'JWT_NOT_YET_VALID'
  /** `iat` is in the future (beyond the leeway), or older than `maxAgeSeconds`. */
  | 'JWT_IAT_INVALID'
  /** `iss` is not one of the accepted issuers. */
  | 'JWT_ISSUER_INVALID'
  /** Neither `aud` (nor `client_id` when allowed) matches an accepted audience. */
  | 'JWT_AUDIENCE_INVALID'
  /** `sub` differs from the required subject. */
  | 'JWT_SUBJECT_INVALID'
  /** The token carries none of the required scopes. */
  | 'JWT_INSUFFICIENT_SCOPE'
  /** No key in the JWKS has the token's `kid` (even after a refetch), or the token has no `kid`. */
  | 'JWKS_NO_MATCHING_KEY'
  /** The JWKS (or the OIDC discovery document) could not be fetched or parsed: a server-side failure. */
  | 'JWKS_FETCH_FAILED'

/**
 * The error every parser in this package throws, and the shape of every refusal. `code` is stable.
 *
 * @example
 * ```ts
 * import { decodeJwt, JwtError } from '@gatehousejs/jwt'
 * try {
 *   decodeJwt('not a token')
 * } catch (err) {
 *   if (err instanceof JwtError) console.log(err.code) // 'JWT_MALFORMED'
 * }
 * ```
 */
export class JwtError extends Error {
  override readonly name = 'JwtError'
  constructor(
    readonly code: JwtErrorCode,
    message: string,
  ) {
    super(message)
  }
}

/**
 * Codes thrown when options are wrong (at construction time, never per request).
 *
 * @example
 * ```ts
 * import { createJwtVerifier, JwtConfigError } from '@gatehousejs/jwt'
 * try {
 *   createJwtVerifier({ issuer: 'https://id.example.com', algorithms: [] })
 * } catch (err) {
 *   if (err instanceof JwtConfigError && err.code === 'JWT_CONFIG_INVALID') console.error(err.message) // '"algorithms" must be a non-empty array'
 * }
 * ```
 */
export type JwtConfigErrorCode = 'JWT_CONFIG_INVALID'

/**
 * Thrown by `createJwtVerifier`, `createJwks`, `verifyJwt` and friends when their options are wrong:
 * a configuration error, surfaced when the gateway is built.
 *
 * @example
 * ```ts
 * import { createJwtVerifier, JwtConfigError } from '@gatehousejs/jwt'
 * try {
 *   createJwtVerifier({ issuer: 'https://id.example.com', leewaySeconds: -1 })
 * } catch (err) {
 *   if (err instanceof JwtConfigError) console.log(err.code, err.message) // 'JWT_CONFIG_INVALID' …
 * }
 * ```
 */
export class JwtConfigError extends Error {
  override readonly name = 'JwtConfigError'
  readonly code: JwtConfigErrorCode = 'JWT_CONFIG_INVALID'
  constructor(message: string) {
    super(message)
  }
}

/** A token's value quoted in a refusal reason, cut short: reasons reach logs, and a token is up to 64 KiB. */
export function quote(value: string): string {
  return JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}…` : value)
}
