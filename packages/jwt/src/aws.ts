import { JwtConfigError, type JwtErrorCode } from './errors'
import type { JwtPayload } from './decode'

/**
 * The issuer URL of an Amazon Cognito user pool, from its ARN (as in a `COGNITO_USER_POOLS` authorizer's
 * `providerARNs`). Throws `JwtConfigError` for anything else.
 *
 * @example
 * ```ts
 * import { cognitoIssuer } from '@gatehousejs/jwt'
 * cognitoIssuer('arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdE')
 * // 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdE'
 * ```
 */
export function cognitoIssuer(providerArn: string): string {
  const m = /^arn:aws[a-z-]*:cognito-idp:([a-z0-9-]+):\d{12}:userpool\/([\w-]+_[0-9a-zA-Z]+)$/.exec(providerArn)
  if (m === null) throw new JwtConfigError(`${JSON.stringify(providerArn)} is not a Cognito user pool ARN`)
  return `https://cognito-idp.${m[1]}.amazonaws.com/${m[2]}`
}

/**
 * The JWKS URL Cognito publishes for a user pool issuer.
 *
 * @example
 * ```ts
 * import { cognitoJwksUri } from '@gatehousejs/jwt'
 * cognitoJwksUri('https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdE')
 * // 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdE/.well-known/jwks.json'
 * ```
 */
export function cognitoJwksUri(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}/.well-known/jwks.json`
}

/**
 * The token in an identity-source value: the value itself, or what follows a `Bearer ` prefix
 * (case-insensitive). `undefined` for a missing or blank value.
 *
 * @example
 * ```ts
 * import { bearerToken } from '@gatehousejs/jwt'
 * bearerToken('Bearer eyJ…') // 'eyJ…'
 * bearerToken('eyJ…')        // 'eyJ…'
 * ```
 */
export function bearerToken(value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  const trimmed = value.trim()
  const token = /^bearer(\s|$)/i.test(trimmed) ? trimmed.slice(6).trimStart() : trimmed
  return token === '' ? undefined : token
}

/**
 * Claims as an HTTP API (payload 2.0) puts them in `requestContext.authorizer.jwt.claims`: every value a
 * string; arrays as `[a b c]` (space-separated in brackets), objects as JSON.
 *
 * @example
 * ```ts
 * import { httpApiClaims } from '@gatehousejs/jwt'
 * httpApiClaims({ sub: 'u1', exp: 1700000000, groups: ['a', 'b'] })
 * // { sub: 'u1', exp: '1700000000', groups: '[a b]' }
 * ```
 */
export function httpApiClaims(payload: JwtPayload): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(payload)) {
    put(out, name, Array.isArray(value) ? `[${value.map(scalar).join(' ')}]` : scalar(value))
  }
  return out
}

/**
 * Claims as a REST API's `COGNITO_USER_POOLS` authorizer exposes them (`$context.authorizer.claims.*`,
 * `requestContext.authorizer.claims`): every value a string; `exp` and `iat` in Java's date format
 * (`Fri Jul 29 18:52:53 UTC 2016`), arrays comma-joined, objects as JSON.
 *
 * @example
 * ```ts
 * import { restApiClaims } from '@gatehousejs/jwt'
 * restApiClaims({ sub: 'u1', exp: 1469818373, email_verified: true })
 * // { sub: 'u1', exp: 'Fri Jul 29 18:52:53 UTC 2016', email_verified: 'true' }
 * ```
 */
export function restApiClaims(payload: JwtPayload): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(payload)) {
    if ((name === 'exp' || name === 'iat') && typeof value === 'number' && Number.isFinite(value)) put(out, name, javaDate(value))
    else put(out, name, Array.isArray(value) ? value.map(scalar).join(',') : scalar(value))
  }
  return out
}

// A claim named "__proto__" (JSON.parse makes it an own property) must stay a claim, not become a prototype.
function put(out: Record<string, string>, name: string, value: string): void {
  if (name === '__proto__') Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true })
  else out[name] = value
}

function scalar(value: unknown): string {
  if (typeof value === 'string') return value
  if (value === null || typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const pad = (n: number) => (n < 10 ? `0${n}` : String(n))

/** `java.util.Date#toString` in UTC, which is how API Gateway renders Cognito's numeric dates. */
function javaDate(seconds: number): string {
  const d = new Date(seconds * 1000)
  if (Number.isNaN(d.getTime())) return String(seconds)
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(
    d.getUTCMinutes(),
  )}:${pad(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`
}

/**
 * The `www-authenticate` value an HTTP API JWT authorizer sends with a refusal.
 *
 * @example
 * ```ts
 * import { wwwAuthenticate } from '@gatehousejs/jwt'
 * wwwAuthenticate('JWT_AUDIENCE_INVALID')
 * // 'Bearer scope="" error="invalid_token" error_description="the token does not have a valid audience"'
 * ```
 */
export function wwwAuthenticate(code: JwtErrorCode | 'MISSING', requiredScopes: readonly string[] = []): string {
  if (code === 'JWT_INSUFFICIENT_SCOPE') {
    return `Bearer scope="${requiredScopes.join(' ')}" error="insufficient_scope" error_description="expected scopes: [${requiredScopes.join(' ')}]"`
  }
  return `Bearer scope="" error="invalid_token" error_description="${DESCRIPTIONS[code] ?? 'the token is invalid'}"`
}

// Only the audience text is quoted in AWS's documentation; the others follow its wording.
const DESCRIPTIONS: Partial<Record<JwtErrorCode | 'MISSING', string>> = {
  MISSING: 'the token is missing',
  JWT_MALFORMED: 'the token is malformed',
  JWT_AUDIENCE_INVALID: 'the token does not have a valid audience',
  JWT_ISSUER_INVALID: 'the token does not have a valid issuer',
  JWT_EXPIRED: 'the token has expired',
  JWT_NOT_YET_VALID: 'the token is not valid yet',
  JWT_IAT_INVALID: 'the token was issued in the future',
  JWT_SIGNATURE_INVALID: 'the token has an invalid signature',
  JWKS_NO_MATCHING_KEY: 'signing key not found',
  JWT_ALGORITHM_NOT_ALLOWED: 'the token is signed with an unsupported algorithm',
  JWT_KEY_MISMATCH: 'the token is signed with an unsupported algorithm',
}
