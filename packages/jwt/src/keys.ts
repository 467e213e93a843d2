import { createPublicKey, createSecretKey, KeyObject, X509Certificate, type JsonWebKey as NodeJwk } from 'node:crypto'
import { isSupportedAlgorithm, ktyFor, type JwtAlgorithm } from './algorithms'
import { JwtConfigError } from './errors'

/**
 * A public JSON Web Key (RFC 7517) as found in a JWKS. Private members, if present, are ignored.
 *
 * @example
 * ```ts
 * import { verifyJwt, type Jwk } from '@gatehousejs/jwt'
 * const jwk: Jwk = JSON.parse(process.env.JWT_PUBLIC_JWK!) // { kty: 'EC', crv: 'P-256', x: '…', y: '…', kid: 'k1', alg: 'ES256', use: 'sig' }
 * const result = await verifyJwt(token, { key: jwk }) // a JWK's `alg` pins the algorithm
 * ```
 */
export interface Jwk {
  kty: string
  kid?: string
  alg?: string
  use?: string
  key_ops?: string[]
  [member: string]: unknown
}

/**
 * An HMAC secret, said to be one. Secrets are never guessed from a bare string or bytes: a public key that
 * ended up there (PEM, DER, JWK JSON) would otherwise become a secret an attacker knows.
 *
 * @example
 * ```ts
 * import { verifyJwt, type HmacSecret } from '@gatehousejs/jwt'
 * const secret: HmacSecret = { hmacSecret: process.env.JWT_SECRET! } // a bare string would be read as a public key
 * const result = await verifyJwt(token, { key: secret, algorithms: ['HS256'] })
 * ```
 */
export interface HmacSecret {
  /** The secret: a string (its UTF-8 bytes) or bytes. */
  hmacSecret: string | Uint8Array
}

/**
 * A key `verifyJwt` accepts. Public keys: a public `KeyObject`, a JWK, a PEM (SPKI, PKCS#1 or X.509
 * certificate; leading whitespace or a BOM is fine) or JWK JSON as a string or bytes, or DER (SPKI or X.509)
 * bytes. HMAC secrets only in an explicit form: `{ hmacSecret }`, a `{ kty: 'oct', k }` JWK, or a secret
 * `KeyObject` (`createSecretKey`). A bare string or bytes that are not a public key are a `JwtConfigError`.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs'
 * import { verifyJwt, type JwtKeyInput } from '@gatehousejs/jwt'
 * const key: JwtKeyInput =
 *   process.env.JWT_SECRET !== undefined
 *     ? { hmacSecret: process.env.JWT_SECRET } // an HMAC secret, explicitly
 *     : readFileSync('public.pem') // a PEM in a Buffer: a public key
 * const result = await verifyJwt(token, { key })
 * ```
 */
export type JwtKeyInput = KeyObject | Jwk | HmacSecret | string | Uint8Array

/**
 * A key ready for verification, with the restriction its JWK carried.
 *
 * @example
 * ```ts
 * import { importJwk, verifyJwt, type ImportedKey } from '@gatehousejs/jwt'
 * // Import once at start-up, verify many times.
 * const imported: ImportedKey = importJwk(JSON.parse(process.env.JWT_PUBLIC_JWK!))
 * const result = await verifyJwt(token, { key: imported.key, algorithms: imported.alg === undefined ? undefined : [imported.alg] })
 * ```
 */
export interface ImportedKey {
  key: KeyObject
  /** The JWK's `alg`, when it pins one. */
  alg?: JwtAlgorithm
}

// Import once per input object: createPublicKey from a JWK costs far more than a verification of ES256.
const importedObjects = new WeakMap<object, ImportedKey>()
const importedStrings = new Map<string, ImportedKey>()
const MAX_STRING_CACHE = 256

const HMAC_HINT = 'pass an HMAC secret as { hmacSecret }, a { kty: "oct" } JWK or createSecretKey(…)'

/**
 * Imports a key for verification; throws `JwtConfigError` when it cannot be used at all (a private key, a JWK
 * whose `use` is not `sig`, a JWK of an unknown type, a string or bytes that are no public key, a secret that
 * holds public key material).
 *
 * @example
 * ```ts
 * import { importKey, verifyJwtSync } from '@gatehousejs/jwt'
 * const { key } = importKey({ kty: 'oct', k: 'c2VjcmV0LXRoYXQtaXMtbG9uZy1lbm91Z2g' })
 * const result = verifyJwtSync(token, { key })
 * ```
 */
export function importKey(input: JwtKeyInput): ImportedKey {
  if (input instanceof KeyObject) {
    if (input.type === 'private') throw new JwtConfigError('a private key cannot be used to verify; pass its public key')
    let hit = importedObjects.get(input)
    if (hit === undefined) {
      if (input.type === 'secret') refuseKeyMaterial(input.export(), 'the secret KeyObject')
      hit = { key: input }
      importedObjects.set(input, hit)
    }
    return hit
  }
  if (typeof input === 'string') {
    let hit = importedStrings.get(input)
    if (hit === undefined) {
      hit = importText(input, 'string')
      if (importedStrings.size >= MAX_STRING_CACHE) importedStrings.clear()
      importedStrings.set(input, hit)
    }
    return hit
  }
  if (input instanceof Uint8Array) {
    let hit = importedObjects.get(input)
    if (hit === undefined) {
      hit = importBytes(Buffer.from(input.buffer, input.byteOffset, input.byteLength))
      importedObjects.set(input, hit)
    }
    return hit
  }
  if (input !== null && typeof input === 'object') {
    let hit = importedObjects.get(input)
    if (hit === undefined) {
      hit = isHmacSecret(input) ? importSecret(input.hmacSecret) : importJwk(input as Jwk)
      importedObjects.set(input, hit)
    }
    return hit
  }
  throw new JwtConfigError(`the key must be a KeyObject, a JWK, a PEM or DER public key, or { hmacSecret }`)
}

function isHmacSecret(input: object): input is HmacSecret {
  return Object.prototype.hasOwnProperty.call(input, 'hmacSecret') && !Object.prototype.hasOwnProperty.call(input, 'kty')
}

function importSecret(secret: unknown): ImportedKey {
  if (typeof secret !== 'string' && !(secret instanceof Uint8Array)) throw new JwtConfigError('"hmacSecret" must be a string or bytes')
  const bytes = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : Buffer.from(secret)
  if (bytes.length === 0) throw new JwtConfigError('"hmacSecret" is empty')
  refuseKeyMaterial(bytes, '"hmacSecret"')
  return { key: createSecretKey(bytes) }
}

// What may precede the armour or the JSON in a file: a byte-order mark and whitespace.
const LEADING = /^[\uFEFF\s]+/

/** A string or decoded bytes: PEM or JWK JSON, never a secret. */
function importText(text: string, what: 'string' | 'bytes'): ImportedKey {
  const body = text.replace(LEADING, '')
  if (text.includes('-----BEGIN')) return importPem(body)
  if (body.startsWith('{')) {
    let jwk: unknown
    try {
      jwk = JSON.parse(body)
    } catch {
      throw new JwtConfigError(`the key ${what} starts like a JWK but is not JSON`)
    }
    if (jwk === null || typeof jwk !== 'object' || Array.isArray(jwk)) throw new JwtConfigError(`the key ${what} is not a JWK object`)
    return importJwk(jwk as Jwk)
  }
  throw new JwtConfigError(`a key ${what} must hold a PEM public key or certificate, or a JWK; ${HMAC_HINT}`)
}

function importBytes(bytes: Buffer): ImportedKey {
  const der = publicKeyFromDer(bytes)
  if (der !== null) return { key: der }
  const text = bytes.toString('utf8')
  if (text.includes('-----BEGIN') || text.replace(LEADING, '').startsWith('{')) return importText(text, 'bytes')
  throw new JwtConfigError(`key bytes must hold a DER or PEM public key or certificate, or a JWK; ${HMAC_HINT}`)
}

/** An SPKI, PKCS#1 or X.509 DER public key, or `null` when the bytes are none of them. */
function publicKeyFromDer(bytes: Buffer): KeyObject | null {
  // Every DER public key is a SEQUENCE; skipping other bytes keeps the probe cheap for real secrets.
  if (bytes.length < 32 || bytes[0] !== 0x30) return null
  for (const type of ['spki', 'pkcs1'] as const) {
    try {
      return createPublicKey({ key: bytes, format: 'der', type })
    } catch {
      // Not this structure.
    }
  }
  try {
    return new X509Certificate(bytes).publicKey
  } catch {
    return null
  }
}

const BASE64 = /^[A-Za-z0-9+/=\s]+$/

/**
 * Refuses secret bytes that are public key material: PEM, JWK JSON, DER, or base64 DER (a PEM without its
 * armour, as some identity providers display their keys). Whoever has the public key could MAC with it.
 */
function refuseKeyMaterial(bytes: Buffer, what: string): void {
  const text = bytes.toString('utf8')
  const body = text.replace(LEADING, '')
  const looks =
    text.includes('-----BEGIN') ||
    (body.startsWith('{') && body.includes('"kty"')) ||
    publicKeyFromDer(bytes) !== null ||
    (body.length >= 64 && BASE64.test(body) && publicKeyFromDer(Buffer.from(body, 'base64')) !== null)
  if (looks) throw new JwtConfigError(`${what} holds a public key (PEM, DER or JWK), which can never be an HMAC secret`)
}

function importPem(pem: string): ImportedKey {
  if (/-----BEGIN (RSA |EC |DSA |ENCRYPTED |OPENSSH )?PRIVATE KEY-----/.test(pem)) {
    throw new JwtConfigError('a private key cannot be used to verify; pass its public key')
  }
  try {
    return { key: createPublicKey(pem) }
  } catch (err) {
    throw new JwtConfigError(`the PEM key cannot be read: ${(err as Error).message}`)
  }
}

/**
 * Imports one JWK (throws `JwtConfigError` when unusable for verification: `use` other than `sig`, `key_ops`
 * without `verify`, an `alg` of another key type, an `oct` key holding public key material).
 *
 * @example
 * ```ts
 * import { importJwk } from '@gatehousejs/jwt'
 * const { key, alg } = importJwk({ kty: 'RSA', n: '…', e: 'AQAB', alg: 'RS256' }) // key: a public KeyObject, alg: 'RS256'
 * ```
 */
export function importJwk(jwk: Jwk): ImportedKey {
  if (typeof jwk.kty !== 'string') throw new JwtConfigError('the JWK has no "kty"')
  if (jwk.use !== undefined && jwk.use !== 'sig') throw new JwtConfigError(`the JWK's "use" is ${JSON.stringify(jwk.use)}, not "sig"`)
  if (jwk.key_ops !== undefined && (!Array.isArray(jwk.key_ops) || !jwk.key_ops.includes('verify'))) {
    throw new JwtConfigError('the JWK\'s "key_ops" does not include "verify"')
  }
  let alg: JwtAlgorithm | undefined
  if (jwk.alg !== undefined) {
    if (typeof jwk.alg !== 'string' || !isSupportedAlgorithm(jwk.alg)) {
      throw new JwtConfigError(`the JWK's "alg" ${JSON.stringify(jwk.alg)?.slice(0, 64)} is not supported`)
    }
    alg = jwk.alg
    // A key is bound to the algorithms of its type: an RSA JWK saying HS256 is refused, not half-honoured.
    if (ktyFor(alg) !== jwk.kty)
      throw new JwtConfigError(`the JWK's "alg" ${alg} does not fit its "kty" ${JSON.stringify(jwk.kty).slice(0, 64)}`)
  }
  let key: KeyObject
  try {
    if (jwk.kty === 'oct') {
      if (typeof jwk.k !== 'string') throw new Error('no "k"')
      const secret = Buffer.from(jwk.k, 'base64url')
      if (secret.length === 0) throw new Error('an empty "k"')
      refuseKeyMaterial(secret, 'the oct JWK')
      key = createSecretKey(secret)
    } else if (jwk.kty === 'RSA' || jwk.kty === 'EC' || jwk.kty === 'OKP') {
      // Only the public members: a JWK that also carries "d" must not become a private KeyObject here.
      const { kty, n, e, crv, x, y } = jwk
      const publicJwk = { kty, n, e, crv, x, y } as NodeJwk
      key = createPublicKey({ key: publicJwk, format: 'jwk' })
    } else {
      throw new Error(`unsupported "kty" ${JSON.stringify(jwk.kty).slice(0, 64)}`)
    }
  } catch (err) {
    if (err instanceof JwtConfigError) throw err
    throw new JwtConfigError(`the JWK cannot be imported: ${(err as Error).message}`)
  }
  return alg === undefined ? { key } : { key, alg }
}
