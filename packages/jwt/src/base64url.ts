import { JwtError } from './errors'

// Buffer's base64url decoder silently skips invalid characters; a token part with any must be refused,
// otherwise two different strings would verify as the same token.
const BASE64URL = /^[A-Za-z0-9_-]*$/

/** Strict base64url (no padding) to bytes; throws `JwtError('JWT_MALFORMED')`. */
export function decodeBase64url(part: string, what: string): Buffer {
  if (!BASE64URL.test(part) || part.length % 4 === 1) {
    throw new JwtError('JWT_MALFORMED', `the ${what} is not base64url`)
  }
  return Buffer.from(part, 'base64url')
}
