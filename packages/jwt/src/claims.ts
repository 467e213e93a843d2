import { JwtConfigError, JwtError } from './errors'
import type { JwtPayload } from './decode'

/**
 * The claim checks shared by `verifyJwt` and `createJwtVerifier`.
 *
 * @example
 * ```ts
 * import { verifyJwt, type JwtClaimOptions } from '@gatehousejs/jwt'
 * const claims: JwtClaimOptions = { issuer: 'https://id.example.com', audience: ['app'], leewaySeconds: 5, requiredClaims: ['sub'] }
 * const result = await verifyJwt(token, { key: { hmacSecret: process.env.JWT_SECRET! }, ...claims })
 * if (!result.ok && result.code === 'JWT_AUDIENCE_INVALID') console.log(result.reason)
 * ```
 */
export interface JwtClaimOptions {
  /** Accepted `iss` values; the token's `iss` must equal one. Unset: `iss` is not checked. */
  issuer?: string | readonly string[]
  /** Accepted audiences; the token's `aud` (a string or any entry of an array) must equal one. */
  audience?: string | readonly string[]
  /**
   * When the token has no `aud`, match `client_id` against `audience` instead, as Amazon API Gateway's
   * HTTP API JWT authorizer does (Cognito access tokens carry `client_id`, not `aud`). Default `false`.
   */
  clientIdAsAudience?: boolean
  /** Required `sub`. */
  subject?: string
  /** Claims that must be present (e.g. `['exp']`). */
  requiredClaims?: readonly string[]
  /** Clock tolerance for `exp`, `nbf` and `iat`, in seconds. Default 0. */
  leewaySeconds?: number
  /** Refuse tokens whose `iat` is older than this many seconds (requires `iat`). */
  maxAgeSeconds?: number
  /** Clock, epoch milliseconds. Default `Date.now`. */
  now?: () => number
}

/** Throws `JwtConfigError` for claim options that can never work; cheap enough to run per call. */
export function checkClaimOptions(options: JwtClaimOptions): void {
  const { issuer, audience, leewaySeconds, maxAgeSeconds } = options
  if (issuer !== undefined && !isStringOrStrings(issuer)) throw new JwtConfigError('"issuer" must be a string or an array of strings')
  if (audience !== undefined && !isStringOrStrings(audience)) throw new JwtConfigError('"audience" must be a string or an array of strings')
  if (leewaySeconds !== undefined && !(Number.isFinite(leewaySeconds) && leewaySeconds >= 0)) {
    throw new JwtConfigError('"leewaySeconds" must be a finite number ≥ 0')
  }
  if (maxAgeSeconds !== undefined && !(Number.isFinite(maxAgeSeconds) && maxAgeSeconds >= 0)) {
    throw new JwtConfigError('"maxAgeSeconds" must be a finite number ≥ 0')
  }
  if (options.now !== undefined && typeof options.now !== 'function') throw new JwtConfigError('"now" must be a function')
}

function isStringOrStrings(value: unknown): boolean {
  return typeof value === 'string' || (Array.isArray(value) && value.every((v) => typeof v === 'string'))
}

function matches(accepted: string | readonly string[], value: string): boolean {
  return typeof accepted === 'string' ? accepted === value : accepted.includes(value)
}

function numericDate(payload: JwtPayload, claim: 'exp' | 'nbf' | 'iat'): number | undefined {
  const value = payload[claim]
  if (value === undefined) return undefined
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new JwtError('JWT_CLAIM_INVALID', `the "${claim}" claim is not a number`)
  }
  return value
}

/**
 * Checks the registered claims of an already verified payload. Throws `JwtError`; returns nothing.
 * The order is fixed so a token with several faults always reports the same code.
 */
export function checkClaims(payload: JwtPayload, options: JwtClaimOptions): void {
  const nowSeconds = Math.floor((options.now ? options.now() : Date.now()) / 1000)
  const leeway = options.leewaySeconds ?? 0

  if (options.requiredClaims) {
    for (const claim of options.requiredClaims) {
      if (payload[claim] === undefined) throw new JwtError('JWT_CLAIM_MISSING', `the "${claim}" claim is missing`)
    }
  }
  const exp = numericDate(payload, 'exp')
  const nbf = numericDate(payload, 'nbf')
  const iat = numericDate(payload, 'iat')
  if (exp !== undefined && exp <= nowSeconds - leeway) throw new JwtError('JWT_EXPIRED', 'the token has expired')
  if (nbf !== undefined && nbf > nowSeconds + leeway) throw new JwtError('JWT_NOT_YET_VALID', 'the token is not valid yet')
  if (iat !== undefined && iat > nowSeconds + leeway) throw new JwtError('JWT_IAT_INVALID', 'the token was issued in the future')
  if (options.maxAgeSeconds !== undefined) {
    if (iat === undefined) throw new JwtError('JWT_CLAIM_MISSING', 'the "iat" claim is missing')
    if (nowSeconds - iat > options.maxAgeSeconds + leeway) throw new JwtError('JWT_IAT_INVALID', 'the token is too old')
  }

  if (options.issuer !== undefined) {
    const iss = payload.iss
    if (iss === undefined) throw new JwtError('JWT_ISSUER_INVALID', 'the token has no issuer')
    if (typeof iss !== 'string') throw new JwtError('JWT_CLAIM_INVALID', 'the "iss" claim is not a string')
    if (!matches(options.issuer, iss)) throw new JwtError('JWT_ISSUER_INVALID', 'the token does not have a valid issuer')
  }

  if (options.audience !== undefined) checkAudience(payload, options.audience, options.clientIdAsAudience === true)

  if (options.subject !== undefined && payload.sub !== options.subject) {
    throw new JwtError('JWT_SUBJECT_INVALID', 'the token does not have the required subject')
  }
}

function checkAudience(payload: JwtPayload, accepted: string | readonly string[], clientIdAsAudience: boolean): void {
  const aud = payload.aud
  if (aud === undefined) {
    // API Gateway evaluates client_id only when aud is absent (HTTP API JWT authorizer troubleshooting page).
    const clientId = payload.client_id
    if (clientIdAsAudience && clientId !== undefined) {
      if (typeof clientId !== 'string') throw new JwtError('JWT_CLAIM_INVALID', 'the "client_id" claim is not a string')
      if (matches(accepted, clientId)) return
    }
    throw new JwtError('JWT_AUDIENCE_INVALID', 'the token does not have a valid audience')
  }
  if (typeof aud === 'string') {
    if (matches(accepted, aud)) return
  } else if (Array.isArray(aud)) {
    let found = false
    for (const entry of aud) {
      if (typeof entry !== 'string') throw new JwtError('JWT_CLAIM_INVALID', 'the "aud" claim is not an array of strings')
      if (!found && matches(accepted, entry)) found = true
    }
    if (found) return
  } else {
    throw new JwtError('JWT_CLAIM_INVALID', 'the "aud" claim is not a string or an array of strings')
  }
  throw new JwtError('JWT_AUDIENCE_INVALID', 'the token does not have a valid audience')
}
