/**
 * Hashing, key derivation (with a bounded cache) and the SigV4 date formats.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto'

export const ALGORITHM = 'AWS4-HMAC-SHA256'
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'

/** Hex SHA-256 of a string (UTF-8) or bytes. */
export function sha256Hex(data: string | Uint8Array): string {
  if (typeof data === 'string' && data.length === 0) return EMPTY_SHA256
  return createHash('sha256').update(data).digest('hex')
}

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

/** Compares two hex signatures in constant time (their length is not secret). */
export function sameSignature(a: string, b: string): boolean {
  if (a.length !== b.length) return false
  return timingSafeEqual(Buffer.from(a, 'latin1'), Buffer.from(b, 'latin1'))
}

/** `20150830T123600Z` for an epoch-ms time. */
export function amzDate(ms: number): string {
  const iso = new Date(ms).toISOString() // 2015-08-30T12:36:00.000Z
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`
}

const AMZ_DATE_RE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/

/** Epoch ms of a `YYYYMMDDTHHMMSSZ` date, or `NaN` when it is not one. */
export function parseAmzDate(s: string): number {
  const m = AMZ_DATE_RE.exec(s)
  if (!m) return Number.NaN
  const [y, mo, d, h, mi, se] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number, number]
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return Number.NaN
  return Date.UTC(y, mo - 1, d, h, mi, se)
}

/** The string to sign. */
export function stringToSign(date: string, scope: string, canonicalRequestHash: string): string {
  return `${ALGORITHM}\n${date}\n${scope}\n${canonicalRequestHash}`
}
