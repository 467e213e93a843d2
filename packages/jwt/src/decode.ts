import { decodeBase64url } from './base64url'
import { JwtError, quote } from './errors'
import { JWT_LIMITS } from './limits'

/**
 * A JOSE header as found in a token: `alg` is always a string here, other members are as sent.
 *
 * @example
 * ```ts
 * import { createJwks, decodeJwt, verifyJwt, type JwtHeader } from '@gatehousejs/jwt'
 * const jwks = createJwks({ uri: 'https://id.example.com/.well-known/jwks.json' })
 * const header: JwtHeader = decodeJwt(token).header // { alg: 'RS256', kid: 'key-1', typ: 'JWT' }
 * const { key } = await jwks.getKey(header) // the key with that `kid`, for that `alg`
 * const result = await verifyJwt(token, { key, algorithms: ['RS256'] })
 * ```
 */
export interface JwtHeader {
  alg: string
  kid?: string
  typ?: string
  crit?: string[]
  [member: string]: unknown
}

/**
 * A JWT claims set. Registered claims are typed loosely on purpose: they are checked by the verifier.
 *
 * @example
 * ```ts
 * import { verifyJwt, type JwtPayload } from '@gatehousejs/jwt'
 * const result = await verifyJwt(token, { key: { hmacSecret: process.env.JWT_SECRET! } })
 * if (result.ok) {
 *   const payload: JwtPayload = result.payload // { iss: 'https://id.example.com', sub: 'u1', exp: 1900000000, … }
 *   console.log(payload.sub, payload.exp === undefined ? 'no expiry' : new Date(payload.exp * 1000), payload['cognito:groups'])
 * }
 * ```
 */
export interface JwtPayload {
  iss?: string
  sub?: string
  aud?: string | string[]
  exp?: number
  nbf?: number
  iat?: number
  jti?: string
  [claim: string]: unknown
}

/**
 * A token split and decoded, not yet verified.
 *
 * @example
 * ```ts
 * import { decodeJwt } from '@gatehousejs/jwt'
 * const { header, payload, signingInput, signature } = decodeJwt(token)
 * // `signature` signs the bytes of `signingInput`: the token's first two parts, `header.payload`.
 * console.log(header.alg, payload.sub, signingInput.split('.').length, signature.length) // 'RS256' 'u1' 2 256
 * ```
 */
export interface DecodedJwt {
  header: JwtHeader
  payload: JwtPayload
  /** `base64url(header) + "." + base64url(payload)`: the bytes the signature covers. */
  signingInput: string
  signature: Buffer
}

// Tokens far larger than any real one are refused before any decoding work (a cheap DoS guard).
const MAX_TOKEN_LENGTH = JWT_LIMITS.maxTokenLength

/**
 * Splits and decodes a compact JWS/JWT **without verifying it**. Throws only `JwtError`
 * (`JWT_MALFORMED`, `JWT_CRIT_UNSUPPORTED`).
 *
 * @example
 * ```ts
 * import { decodeJwt } from '@gatehousejs/jwt'
 * const { header, payload } = decodeJwt(token) // not verified: to pick a key or an issuer, never to trust
 * console.log(header.kid, payload.iss)
 * ```
 */
export function decodeJwt(token: string): DecodedJwt {
  if (typeof token !== 'string') throw new JwtError('JWT_MALFORMED', 'the token is not a string')
  if (token.length > MAX_TOKEN_LENGTH) throw new JwtError('JWT_MALFORMED', 'the token is too long')
  const first = token.indexOf('.')
  const second = first === -1 ? -1 : token.indexOf('.', first + 1)
  if (first === -1 || second === -1 || token.indexOf('.', second + 1) !== -1) {
    throw new JwtError('JWT_MALFORMED', 'the token does not have three parts')
  }
  const header = parseObject(token.slice(0, first), 'header') as JwtHeader
  if (typeof header.alg !== 'string' || header.alg === '') {
    throw new JwtError('JWT_MALFORMED', 'the header has no "alg"')
  }
  if (header.kid !== undefined && typeof header.kid !== 'string') {
    throw new JwtError('JWT_MALFORMED', 'the header "kid" is not a string')
  }
  if (header.crit !== undefined) {
    // No extension is implemented, so any critical one must make the token invalid (RFC 7515 §4.1.11);
    // this also covers `b64: false` (RFC 7797), which always comes with `crit`.
    if (!Array.isArray(header.crit) || header.crit.length === 0 || !header.crit.every((c) => typeof c === 'string')) {
      throw new JwtError('JWT_MALFORMED', 'the header "crit" is not a non-empty array of strings')
    }
    throw new JwtError('JWT_CRIT_UNSUPPORTED', `unsupported critical header parameter ${quote(header.crit[0]!)}`)
  }
  const payload = parseObject(token.slice(first + 1, second), 'payload') as JwtPayload
  const signature = decodeBase64url(token.slice(second + 1), 'signature')
  return { header, payload, signingInput: token.slice(0, second), signature }
}

function parseObject(part: string, what: 'header' | 'payload'): Record<string, unknown> {
  const bytes = decodeBase64url(part, what)
  const text = bytes.toString('utf8')
  if (tooDeep(text, JWT_LIMITS.maxJsonDepth))
    throw new JwtError('JWT_MALFORMED', `the ${what} nests deeper than ${JWT_LIMITS.maxJsonDepth} levels`)
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new JwtError('JWT_MALFORMED', `the ${what} is not JSON`)
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new JwtError('JWT_MALFORMED', `the ${what} is not a JSON object`)
  }
  return value as Record<string, unknown>
}

/**
 * True when JSON text nests objects/arrays deeper than `max` (brackets inside strings do not count). JSON.parse
 * copes with any depth, but whatever walks the claims later (JSON.stringify of a claim, a template, an event)
 * recurses; no real token nests more than a few levels.
 */
function tooDeep(text: string, max: number): boolean {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 92 /* \\ */) i++
      else if (c === 34 /* " */) inString = false
    } else if (c === 34) inString = true
    else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > max) return true
    } else if (c === 125 /* } */ || c === 93 /* ] */) depth--
  }
  return false
}
