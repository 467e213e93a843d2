/**
 * API key values, looked up without a timing oracle. The registry names keys by a salted SHA-256 (its own identity,
 * checked when keys are added); a request's key is found through a hash seeded with a secret per process, so where
 * a lookup goes says nothing about the keys, and the value is then compared in constant time. No digest per request.
 */
import * as crypto from 'node:crypto'

/** SHA-256 as a latin1 string. One-shot `crypto.hash` (Node ≥ 20.12) is several times cheaper than a Hash object. */
const oneShot = (crypto as unknown as { hash?: (algorithm: string, data: string, encoding: 'latin1') => string }).hash
export const sha256 = oneShot
  ? (s: string) => oneShot('sha256', s, 'latin1')
  : (s: string) => crypto.createHash('sha256').update(s).digest().toString('latin1')

/** API key values are 20 to 128 characters (the registry refuses others), so no longer value is hashed. */
export const MAX_KEY_LENGTH = 128

const SEED = crypto.randomBytes(4).readUInt32LE(0)

/**
 * A key value's slot: a 30-bit hash (a Smi, so a Map finds it without allocating) seeded with the process's secret.
 * The same work for every value of a length: a multiply and two xors per character.
 *
 * @example
 * ```ts
 * keySlot('partner-key-0123456789') === keySlot('partner-key-0123456789') // true
 * ```
 */
export function keySlot(value: string): number {
  let h = SEED ^ value.length
  for (let i = 0; i < value.length; i++) {
    h = Math.imul(h ^ value.charCodeAt(i), 0x5bd1e995)
    h ^= h >>> 15
  }
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return (h ^ (h >>> 16)) & 0x3fffffff
}

/**
 * Whether two strings are equal, in time that depends on their length only.
 *
 * @example
 * ```ts
 * sameSecret('abc', 'abd') // false
 * ```
 */
export function sameSecret(a: string, b: string): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return diff === 0
}
