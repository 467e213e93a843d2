import { createPublicKey, createSecretKey, KeyObject, type JsonWebKey as NodeJwk } from 'node:crypto'
import { isSupportedAlgorithm, type JwtAlgorithm } from './algorithms'
import { JwtConfigError } from './errors'

/**
 * A public JSON Web Key (RFC 7517) as found in a JWKS. Private members, if present, are ignored.
 *
 * @example
 * ```ts
 * const jwk: Jwk = { kty: 'EC', crv: 'P-256', x: '…', y: '…', kid: 'k1', alg: 'ES256', use: 'sig' }
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
 * A key `verifyJwt` accepts: a `KeyObject`, a JWK, a PEM (SPKI or X.509 certificate) string, or the raw
 * bytes of an HMAC secret. A plain string that is not PEM is an HMAC secret (UTF-8).
 *
 * @example
 * ```ts
 * const key: JwtKeyInput = createPublicKey(pem)
 * ```
 */
export type JwtKeyInput = KeyObject | Jwk | string | Uint8Array

/**
 * A key ready for verification, with the restriction its JWK carried.
 *
 * @example
 * ```ts
 * const { key, alg }: ImportedKey = importJwk(jwk) // alg is set when the JWK pinned one
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

/**
 * Imports a key for verification; throws `JwtConfigError` when it cannot be used at all (a private-only
 * PEM, a JWK whose `use` is not `sig`, a JWK of an unknown type).
 *
 * @example
 * ```ts
 * const { key } = importKey({ kty: 'oct', k: 'c2VjcmV0' })
 * ```
 */
export function importKey(input: JwtKeyInput): ImportedKey {
  if (input instanceof KeyObject) {
    if (input.type === 'private') throw new JwtConfigError('a private key cannot be used to verify; pass its public key')
    return { key: input }
  }
  if (typeof input === 'string') {
    let hit = importedStrings.get(input)
    if (hit === undefined) {
      hit = input.startsWith('-----BEGIN') ? importPem(input) : { key: createSecretKey(Buffer.from(input, 'utf8')) }
      if (importedStrings.size >= MAX_STRING_CACHE) importedStrings.clear()
      importedStrings.set(input, hit)
    }
    return hit
  }
  if (input instanceof Uint8Array) {
    let hit = importedObjects.get(input)
    if (hit === undefined) {
      hit = { key: createSecretKey(Buffer.from(input)) }
      importedObjects.set(input, hit)
    }
    return hit
  }
  if (input !== null && typeof input === 'object') {
    let hit = importedObjects.get(input)
    if (hit === undefined) {
      hit = importJwk(input)
      importedObjects.set(input, hit)
    }
    return hit
  }
  throw new JwtConfigError('the key must be a KeyObject, a JWK, a PEM string or secret bytes')
}

function importPem(pem: string): ImportedKey {
  if (/-----BEGIN (RSA |EC |ENCRYPTED )?PRIVATE KEY-----/.test(pem)) {
    throw new JwtConfigError('a private key cannot be used to verify; pass its public key')
  }
  try {
    return { key: createPublicKey(pem) }
  } catch (err) {
    throw new JwtConfigError(`the PEM key cannot be read: ${(err as Error).message}`)
  }
}

/**
 * Imports one JWK (throws `JwtConfigError` when unusable for verification).
 *
 * @example
 * ```ts
 * const { key, alg } = importJwk({ kty: 'RSA', n: '…', e: 'AQAB', alg: 'RS256' })
 * ```
 */
export function importJwk(jwk: Jwk): ImportedKey {
  if (typeof jwk.kty !== 'string') throw new JwtConfigError('the JWK has no "kty"')
  if (jwk.use !== undefined && jwk.use !== 'sig') throw new JwtConfigError(`the JWK's "use" is "${String(jwk.use)}", not "sig"`)
  if (jwk.key_ops !== undefined && (!Array.isArray(jwk.key_ops) || !jwk.key_ops.includes('verify'))) {
    throw new JwtConfigError('the JWK\'s "key_ops" does not include "verify"')
  }
  let alg: JwtAlgorithm | undefined
  if (jwk.alg !== undefined) {
    if (typeof jwk.alg !== 'string' || !isSupportedAlgorithm(jwk.alg)) {
      throw new JwtConfigError(`the JWK's "alg" ${JSON.stringify(jwk.alg)} is not supported`)
    }
    alg = jwk.alg
  }
  let key: KeyObject
  try {
    if (jwk.kty === 'oct') {
      if (typeof jwk.k !== 'string') throw new Error('no "k"')
      key = createSecretKey(Buffer.from(jwk.k, 'base64url'))
    } else if (jwk.kty === 'RSA' || jwk.kty === 'EC' || jwk.kty === 'OKP') {
      // Only the public members: a JWK that also carries "d" must not become a private KeyObject here.
      const { kty, n, e, crv, x, y } = jwk
      const publicJwk = { kty, n, e, crv, x, y } as NodeJwk
      key = createPublicKey({ key: publicJwk, format: 'jwk' })
    } else {
      throw new Error(`unsupported "kty" ${JSON.stringify(jwk.kty)}`)
    }
  } catch (err) {
    throw new JwtConfigError(`the JWK cannot be imported: ${(err as Error).message}`)
  }
  return alg === undefined ? { key } : { key, alg }
}
