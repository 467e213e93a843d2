/**
 * What a token or a fetched key set may cost. Tokens come from clients and key sets from the network: both are
 * untrusted, so each is bounded before it is decoded or kept.
 */

/**
 * The limits this package enforces.
 *
 * @example
 * ```ts
 * import { JWT_LIMITS } from '@gatehousejs/jwt'
 * console.log(JWT_LIMITS.maxJwksBytes) // 1048576
 * ```
 */
export const JWT_LIMITS = Object.freeze({
  /** Longest token decoded (characters); longer ones are `JWT_MALFORMED` before any decoding. */
  maxTokenLength: 64 * 1024,
  /** Deepest nesting of objects and arrays in a token's header or payload (deeper: `JWT_MALFORMED`). */
  maxJsonDepth: 64,
  /** Largest JWKS or OIDC discovery body read (bytes, counted as they stream; the client hangs up past it). */
  maxJwksBytes: 1024 * 1024,
  /** Most keys a fetched JWKS may hold (identity providers publish a handful). */
  maxJwksKeys: 100,
  /** Default time for a whole JWKS or discovery fetch, headers and body (ms). */
  defaultFetchTimeoutMs: 5_000,
  /** Smallest RSA modulus accepted (RFC 7518 §3.3). */
  minRsaBits: 2048,
  /** Largest RSA modulus accepted: bounds the cost of one verification. */
  maxRsaBits: 8192,
})
