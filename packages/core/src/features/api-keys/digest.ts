/**
 * API key values are compared as salted SHA-256 digests, in constant time.
 */
import * as crypto from 'node:crypto'

/** SHA-256 as a latin1 string. One-shot `crypto.hash` (Node ≥ 20.12) is several times cheaper than a Hash object per request. */
const oneShot = (crypto as unknown as { hash?: (algorithm: string, data: string, encoding: 'latin1') => string }).hash
export const sha256 = oneShot
  ? (s: string) => oneShot('sha256', s, 'latin1')
  : (s: string) => crypto.createHash('sha256').update(s).digest().toString('latin1')

/**
 * Whether two digests are equal, in time that depends on their length only.
 *
 * @example
 * ```ts
 * sameDigest('abc', 'abd') // false
 * ```
 */
export function sameDigest(a: string, b: string): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return diff === 0
}
