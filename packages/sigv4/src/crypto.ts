/**
 * Hashing, key derivation (with a bounded cache) and the SigV4 date formats.
 */
import * as nodeCrypto from 'node:crypto'
import { createHash, createHmac, timingSafeEqual } from 'node:crypto'

export const ALGORITHM = 'AWS4-HMAC-SHA256'
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'

/** Hex SHA-256 of a string (UTF-8) or bytes. */
export function sha256Hex(data: string | Uint8Array): string {
  if (data.length === 0) return EMPTY_SHA256
  return oneShot ? oneShot('sha256', data, 'hex') : createHash('sha256').update(data).digest('hex')
}

// crypto.hash (Node >= 20.12) hashes without allocating a Hash object: a third of a verification's cost.
const oneShot = (nodeCrypto as { hash?: (alg: string, data: string | Uint8Array, enc: 'hex') => string }).hash

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest()
}

const KEY_CACHE_LIMIT = 1024
const keyCache = new Map<string, Buffer>()

/**
 * The derived signing key for (secret, date, region, service), cached: four HMACs per key and day is the
 * bulk of a verification's cost otherwise. The cache is bounded; the oldest entry leaves first.
 */
export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  const id = `${date}\n${region}\n${service}\n${secret}`
  const hit = keyCache.get(id)
  if (hit !== undefined) return hit
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request')
  if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.delete(keyCache.keys().next().value!)
  keyCache.set(id, key)
  return key
}

/** Hex HMAC-SHA256 of the string to sign. */
export function signatureHex(key: Buffer, stringToSign: string): string {
  return createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex')
}

const HEX64 = /^[0-9a-f]{64}$/

/**
 * Compares the computed signature with the one provided, in constant time. Only a well-formed signature (64
 * lower-case hex digits, as SigV4 defines it) can match: anything else, e.g. `U+0166` whose low byte is `f`, is
 * refused before bytes are compared, so no decoding can fold two strings into one.
 */
export function sameSignature(computed: string, provided: string): boolean {
  if (provided.length !== 64 || !HEX64.test(provided)) return false
  return timingSafeEqual(Buffer.from(computed, 'latin1'), Buffer.from(provided, 'latin1'))
}

/** Compares two strings code unit by code unit, in constant time when their lengths are equal. */
export function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false
  // UTF-16 is exact for every string (UTF-8 would fold lone surrogates into U+FFFD).
  return timingSafeEqual(Buffer.from(a, 'utf16le'), Buffer.from(b, 'utf16le'))
}

/** `20150830T123600Z` for an epoch-ms time. */
export function amzDate(ms: number): string {
  const iso = new Date(ms).toISOString() // 2015-08-30T12:36:00.000Z
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`
}

function digits(s: string, from: number, to: number): number {
  let n = 0
  for (let i = from; i < to; i++) {
    const d = s.charCodeAt(i) - 48
    if (d < 0 || d > 9) return Number.NaN
    n = n * 10 + d
  }
  return n
}

/** Epoch ms of a `YYYYMMDDTHHMMSSZ` date, or `NaN` when it is not one. */
export function parseAmzDate(s: string): number {
  // Hand-parsed: this runs on every request.
  if (s.length !== 16 || s.charCodeAt(8) !== 84 /* T */ || s.charCodeAt(15) !== 90 /* Z */) return Number.NaN
  const y = digits(s, 0, 4)
  const mo = digits(s, 4, 6)
  const d = digits(s, 6, 8)
  const h = digits(s, 9, 11)
  const mi = digits(s, 11, 13)
  const se = digits(s, 13, 15)
  if (!(mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h <= 23 && mi <= 59 && se <= 60)) return Number.NaN
  return Date.UTC(y, mo - 1, d, h, mi, se)
}

/** The string to sign. */
export function stringToSign(date: string, scope: string, canonicalRequestHash: string): string {
  return `${ALGORITHM}\n${date}\n${scope}\n${canonicalRequestHash}`
}
