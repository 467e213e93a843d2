import { isSupportedAlgorithm, keyMismatch, verifySignature, verifySignatureAsync, type JwtAlgorithm } from './algorithms'
import { checkClaimOptions, checkClaims, type JwtClaimOptions } from './claims'
import { decodeJwt, type DecodedJwt, type JwtHeader, type JwtPayload } from './decode'
import { JwtConfigError, JwtError, quote, type JwtErrorCode } from './errors'
import { importKey, type ImportedKey, type JwtKeyInput } from './keys'

/**
 * The outcome of a verification: a value, never an exception.
 *
 * @example
 * ```ts
 * import { verifyJwt } from '@gatehousejs/jwt'
 * const result = await verifyJwt(token, { key: { hmacSecret: process.env.JWT_SECRET! } })
 * if (result.ok) console.log(result.payload.sub)
 * else console.log(result.code, result.reason)
 * ```
 */
export type JwtVerifyResult = { ok: true; header: JwtHeader; payload: JwtPayload } | { ok: false; code: JwtErrorCode; reason: string }

/**
 * Options of {@link verifyJwt}: the key, the accepted algorithms and the claim checks.
 *
 * @example
 * ```ts
 * import { verifyJwt, type VerifyJwtOptions } from '@gatehousejs/jwt'
 * const options: VerifyJwtOptions = {
 *   key: JSON.parse(process.env.JWT_PUBLIC_JWK!),
 *   algorithms: ['RS256'],
 *   issuer: 'https://id.example.com',
 *   audience: 'my-app',
 * }
 * const result = await verifyJwt(token, options)
 * ```
 */
export interface VerifyJwtOptions extends JwtClaimOptions {
  /** The verification key, or a function choosing one from the (unverified) header. */
  key: JwtKeyInput | ((header: JwtHeader) => JwtKeyInput)
  /**
   * Accepted `alg` values. Default: every supported algorithm the key can verify; the key's type then
   * decides, so an HMAC token is never checked with a public key. `none` is never accepted.
   */
  algorithms?: readonly JwtAlgorithm[]
}

/** Throws `JwtConfigError` for an `algorithms` list that is empty or names `none`/unknown algorithms. */
export function checkAlgorithms(algorithms: readonly string[] | undefined): void {
  if (algorithms === undefined) return
  if (!Array.isArray(algorithms) || algorithms.length === 0) throw new JwtConfigError('"algorithms" must be a non-empty array')
  for (const alg of algorithms) {
    if (typeof alg !== 'string' || !isSupportedAlgorithm(alg)) {
      throw new JwtConfigError(
        `algorithm ${JSON.stringify(alg)} is not supported${alg === 'none' ? ' (unsigned tokens are never accepted)' : ''}`,
      )
    }
  }
}

/** Makes a failure result out of a thrown `JwtError`; anything else is a bug and is rethrown. */
export function failure(err: unknown): { ok: false; code: JwtErrorCode; reason: string } {
  if (err instanceof JwtError) return { ok: false, code: err.code, reason: err.message }
  throw err
}

/** The allowed-algorithm check for a decoded header; throws `JwtError`. */
export function checkAlgorithm(alg: string, allowed: readonly JwtAlgorithm[] | undefined): JwtAlgorithm {
  if (!isSupportedAlgorithm(alg) || (allowed !== undefined && !allowed.includes(alg))) {
    throw new JwtError('JWT_ALGORITHM_NOT_ALLOWED', `algorithm ${quote(alg)} is not allowed`)
  }
  return alg
}

/** Refuses a key that cannot verify `alg` (algorithm confusion included); throws `JwtError`. */
export function checkKey(alg: JwtAlgorithm, imported: ImportedKey): void {
  if (imported.alg !== undefined && imported.alg !== alg) {
    throw new JwtError('JWT_KEY_MISMATCH', `the key is for ${imported.alg}, the token uses ${alg}`)
  }
  const mismatch = keyMismatch(alg, imported.key)
  if (mismatch !== null) throw new JwtError('JWT_KEY_MISMATCH', mismatch)
}

const invalidSignature = () => new JwtError('JWT_SIGNATURE_INVALID', 'the signature is invalid')

/** Signature check with an imported key, synchronously; throws `JwtError`. */
export function checkSignature(alg: JwtAlgorithm, imported: ImportedKey, signingInput: string, signature: Buffer): void {
  checkKey(alg, imported)
  if (!verifySignature(alg, imported.key, signingInput, signature)) throw invalidSignature()
}

/** The rest of a verification once the key is known: signature on the threadpool, then the claims. */
export async function finishAsync(
  alg: JwtAlgorithm,
  imported: ImportedKey,
  decoded: DecodedJwt,
  claims: JwtClaimOptions,
): Promise<JwtVerifyResult> {
  try {
    checkKey(alg, imported)
    if (!(await verifySignatureAsync(alg, imported.key, decoded.signingInput, decoded.signature))) throw invalidSignature()
    checkClaims(decoded.payload, claims)
    return { ok: true, header: decoded.header, payload: decoded.payload }
  } catch (err) {
    return failure(err)
  }
}

/**
 * Verifies a compact JWT with a key you hold: algorithm, signature (node:crypto, asymmetric work on libuv's
 * threadpool so the event loop stays free), and the claims `exp`, `nbf`, `iat`, `iss`, `aud`, `sub`. Never
 * rejects for a bad token: refusals are values with a stable `code`. Only wrong options throw
 * (`JwtConfigError`, synchronously).
 *
 * @example
 * ```ts
 * import { verifyJwt } from '@gatehousejs/jwt'
 * const publicJwk = JSON.parse(process.env.JWT_PUBLIC_JWK!)
 * const result = await verifyJwt(token, { key: publicJwk, algorithms: ['ES256'], issuer: 'https://id.example.com', audience: 'my-app' })
 * if (!result.ok) console.log(401, result.code) // e.g. 'JWT_EXPIRED'
 * else console.log(result.payload.sub)
 * ```
 */
export function verifyJwt(token: string, options: VerifyJwtOptions): Promise<JwtVerifyResult> {
  checkAlgorithms(options.algorithms)
  checkClaimOptions(options)
  let decoded: DecodedJwt
  let alg: JwtAlgorithm
  let imported: ImportedKey
  try {
    decoded = decodeJwt(token)
    alg = checkAlgorithm(decoded.header.alg, options.algorithms)
    const input = typeof options.key === 'function' ? options.key(decoded.header) : options.key
    imported = importKey(input)
  } catch (err) {
    return Promise.resolve(failure(err))
  }
  return finishAsync(alg, imported, decoded, options)
}

/**
 * {@link verifyJwt}, synchronously: the signature is checked on the calling thread. For scripts and hot paths
 * that cannot await; a server under load does better with `verifyJwt`.
 *
 * @example
 * ```ts
 * import { verifyJwtSync } from '@gatehousejs/jwt'
 * const publicJwk = JSON.parse(process.env.JWT_PUBLIC_JWK!)
 * const result = verifyJwtSync(token, { key: publicJwk, issuer: 'https://id.example.com' })
 * if (result.ok) console.log(result.header.kid, result.payload.sub)
 * ```
 */
export function verifyJwtSync(token: string, options: VerifyJwtOptions): JwtVerifyResult {
  checkAlgorithms(options.algorithms)
  checkClaimOptions(options)
  try {
    const { header, payload, signingInput, signature } = decodeJwt(token)
    const alg = checkAlgorithm(header.alg, options.algorithms)
    const input = typeof options.key === 'function' ? options.key(header) : options.key
    checkSignature(alg, importKey(input), signingInput, signature)
    checkClaims(payload, options)
    return { ok: true, header, payload }
  } catch (err) {
    return failure(err)
  }
}
