import { JwtError } from './errors'

// Buffer's base64url decoder silently skips invalid characters; a token part with any must be refused,
// otherwise two different strings would verify as the same token.
const BASE64URL = /^[A-Za-z0-9_-]*$/
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

/**
 * Strict base64url (no padding) to bytes; throws `JwtError('JWT_MALFORMED')`. The encoding must be canonical:
 * the unused low bits of a final partial group are zero (RFC 4648 §3.5), so no two strings decode to the same
 * bytes and a signature cannot be altered without being refused.
 */
export function decodeBase64url(part: string, what: string): Buffer {
  const rest = part.length % 4
  if (!BASE64URL.test(part) || rest === 1) {
    throw new JwtError('JWT_MALFORMED', `the ${what} is not base64url`)
  }
  if (rest !== 0) {
    const last = ALPHABET.indexOf(part[part.length - 1]!)
    // Two characters carry 12 bits for one byte (4 unused); three carry 18 bits for two bytes (2 unused).
    if ((last & (rest === 2 ? 0x0f : 0x03)) !== 0) throw new JwtError('JWT_MALFORMED', `the ${what} is not canonical base64url`)
  }
  return Buffer.from(part, 'base64url')
}
