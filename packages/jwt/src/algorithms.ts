import { constants, createHmac, timingSafeEqual, verify as cryptoVerify, type KeyObject } from 'node:crypto'
import { JWT_LIMITS } from './limits'

/**
 * Every signature algorithm `verifyJwt` accepts. `none` is deliberately not one of them.
 *
 * @example
 * ```ts
 * import { verifyJwt, type JwtAlgorithm } from '@gatehousejs/jwt'
 * const algorithms: JwtAlgorithm[] = ['RS256', 'ES256'] // what the issuer signs with; any other `alg` is refused
 * const result = await verifyJwt(token, { key: JSON.parse(process.env.JWT_PUBLIC_JWK!), algorithms })
 * if (!result.ok && result.code === 'JWT_ALGORITHM_NOT_ALLOWED') console.log(result.reason)
 * ```
 */
export type JwtAlgorithm =
  | 'RS256'
  | 'RS384'
  | 'RS512'
  | 'PS256'
  | 'PS384'
  | 'PS512'
  | 'ES256'
  | 'ES384'
  | 'ES512'
  | 'EdDSA'
  | 'Ed25519'
  | 'HS256'
  | 'HS384'
  | 'HS512'

type Family = 'RSA' | 'PSS' | 'EC' | 'OKP' | 'HMAC'

interface AlgorithmSpec {
  family: Family
  hash: 'sha256' | 'sha384' | 'sha512' | null
  /** Node's name for the curve an ES* key must be on. */
  curve?: string
  /** Exact signature length in bytes, where the algorithm fixes it. */
  signatureLength?: number
}

const SPECS: Record<JwtAlgorithm, AlgorithmSpec> = {
  RS256: { family: 'RSA', hash: 'sha256' },
  RS384: { family: 'RSA', hash: 'sha384' },
  RS512: { family: 'RSA', hash: 'sha512' },
  PS256: { family: 'PSS', hash: 'sha256' },
  PS384: { family: 'PSS', hash: 'sha384' },
  PS512: { family: 'PSS', hash: 'sha512' },
  ES256: { family: 'EC', hash: 'sha256', curve: 'prime256v1', signatureLength: 64 },
  ES384: { family: 'EC', hash: 'sha384', curve: 'secp384r1', signatureLength: 96 },
  ES512: { family: 'EC', hash: 'sha512', curve: 'secp521r1', signatureLength: 132 },
  EdDSA: { family: 'OKP', hash: null },
  Ed25519: { family: 'OKP', hash: null, signatureLength: 64 },
  HS256: { family: 'HMAC', hash: 'sha256' },
  HS384: { family: 'HMAC', hash: 'sha384' },
  HS512: { family: 'HMAC', hash: 'sha512' },
}

/**
 * All supported algorithms, asymmetric first.
 *
 * @example
 * ```ts
 * import { ALL_ALGORITHMS } from '@gatehousejs/jwt'
 * ALL_ALGORITHMS.includes('ES256') // true
 * ```
 */
export const ALL_ALGORITHMS: readonly JwtAlgorithm[] = Object.freeze(Object.keys(SPECS) as JwtAlgorithm[])

/**
 * The asymmetric algorithms: the default for a verifier whose keys come from a JWKS.
 *
 * @example
 * ```ts
 * import { ASYMMETRIC_ALGORITHMS, createJwtVerifier } from '@gatehousejs/jwt'
 * // Public-key algorithms only: a token signed with a shared secret (HS256) is refused.
 * const verifier = createJwtVerifier({
 *   issuer: 'https://id.example.com',
 *   jwksUri: 'https://id.example.com/.well-known/jwks.json',
 *   algorithms: [...ASYMMETRIC_ALGORITHMS],
 * })
 * ```
 */
export const ASYMMETRIC_ALGORITHMS: readonly JwtAlgorithm[] = Object.freeze(ALL_ALGORITHMS.filter((alg) => SPECS[alg].family !== 'HMAC'))

/** True for the names in {@link JwtAlgorithm}; `none` and anything else is false. */
export function isSupportedAlgorithm(alg: string): alg is JwtAlgorithm {
  return Object.prototype.hasOwnProperty.call(SPECS, alg)
}

/** The JWK `kty` a key for `alg` must have. */
export function ktyFor(alg: JwtAlgorithm): 'RSA' | 'EC' | 'OKP' | 'oct' {
  const family = SPECS[alg].family
  return family === 'PSS' ? 'RSA' : family === 'HMAC' ? 'oct' : family
}

// Computed once per KeyObject: asymmetricKeyDetails is a getter that crosses into C++ each call.
const keyInfo = new WeakMap<KeyObject, { type: string; curve?: string; bits?: number }>()

function infoOf(key: KeyObject): { type: string; curve?: string; bits?: number } {
  let info = keyInfo.get(key)
  if (info === undefined) {
    if (key.type === 'secret') info = { type: 'secret', bits: (key.symmetricKeySize ?? 0) * 8 }
    else {
      const details = key.asymmetricKeyDetails ?? {}
      info = { type: key.asymmetricKeyType ?? 'unknown' }
      if (details.namedCurve !== undefined) info.curve = details.namedCurve
      if (details.modulusLength !== undefined) info.bits = details.modulusLength
    }
    keyInfo.set(key, info)
  }
  return info
}

/**
 * Why `key` cannot verify `alg`, or `null` when it can. This is where algorithm confusion is refused:
 * an HMAC `alg` needs a secret key, every other `alg` needs a public key of its own family.
 */
export function keyMismatch(alg: JwtAlgorithm, key: KeyObject): string | null {
  const spec = SPECS[alg]
  const info = infoOf(key)
  switch (spec.family) {
    case 'HMAC':
      if (key.type !== 'secret') return `${alg} needs a secret key, not a ${key.type} ${info.type} key`
      return null
    case 'RSA':
    case 'PSS':
      if (key.type !== 'public') return `${alg} needs a public key`
      if (info.type !== 'rsa' && !(spec.family === 'PSS' && info.type === 'rsa-pss')) {
        return `${alg} needs an RSA key, not ${info.type}`
      }
      // RFC 7518 §3.3: keys of 2048 bits or larger MUST be used. The upper bound caps what one verification
      // with a fetched (untrusted) key can cost.
      if ((info.bits ?? 0) < JWT_LIMITS.minRsaBits) return `${alg} needs an RSA key of at least ${JWT_LIMITS.minRsaBits} bits`
      if ((info.bits ?? 0) > JWT_LIMITS.maxRsaBits) return `${alg} refuses RSA keys over ${JWT_LIMITS.maxRsaBits} bits`
      return null
    case 'EC':
      if (key.type !== 'public' || info.type !== 'ec') return `${alg} needs an EC public key`
      if (info.curve !== spec.curve) return `${alg} needs a key on ${spec.curve}, not ${info.curve}`
      return null
    case 'OKP':
      if (key.type !== 'public') return `${alg} needs a public key`
      if (info.type !== 'ed25519' && !(alg === 'EdDSA' && info.type === 'ed448')) {
        return `${alg} needs an Ed25519${alg === 'EdDSA' ? ' or Ed448' : ''} key, not ${info.type}`
      }
      return null
  }
}

const PSS_OPTIONS = { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }

/**
 * Checks `signature` over `signingInput`. Call only after {@link keyMismatch} returned `null`.
 * Never throws: malformed signatures are simply not valid.
 */
export function verifySignature(alg: JwtAlgorithm, key: KeyObject, signingInput: string, signature: Buffer): boolean {
  const spec = SPECS[alg]
  if (spec.signatureLength !== undefined && signature.length !== spec.signatureLength) return false
  const data = Buffer.from(signingInput, 'latin1')
  try {
    switch (spec.family) {
      case 'HMAC': {
        const mac = createHmac(spec.hash!, key).update(data).digest()
        return mac.length === signature.length && timingSafeEqual(mac, signature)
      }
      case 'RSA':
        return cryptoVerify(spec.hash, data, key, signature)
      case 'PSS':
        return cryptoVerify(spec.hash, data, { key, ...PSS_OPTIONS }, signature)
      case 'EC':
        return cryptoVerify(spec.hash, data, { key, dsaEncoding: 'ieee-p1363' }, signature)
      case 'OKP':
        return cryptoVerify(null, data, key, signature)
    }
  } catch {
    // OpenSSL rejects some malformed signatures by throwing rather than returning false.
    return false
  }
}

/**
 * {@link verifySignature} with the asymmetric work on libuv's threadpool: the event loop stays free, and
 * concurrent verifications run on several cores. HMAC is computed inline (it costs microseconds).
 */
export function verifySignatureAsync(alg: JwtAlgorithm, key: KeyObject, signingInput: string, signature: Buffer): Promise<boolean> {
  const spec = SPECS[alg]
  if (spec.family === 'HMAC') return Promise.resolve(verifySignature(alg, key, signingInput, signature))
  if (spec.signatureLength !== undefined && signature.length !== spec.signatureLength) return Promise.resolve(false)
  const data = Buffer.from(signingInput, 'latin1')
  const keyInput =
    spec.family === 'PSS' ? { key, ...PSS_OPTIONS } : spec.family === 'EC' ? { key, dsaEncoding: 'ieee-p1363' as const } : key
  return new Promise((resolve) => {
    try {
      cryptoVerify(spec.hash, data, keyInput, signature, (err, ok) => resolve(err === null && ok))
    } catch {
      // Argument errors are thrown synchronously even in callback mode; a malformed signature is not valid.
      resolve(false)
    }
  })
}

/** Algorithms a key can verify, used when the caller gives a key and no `algorithms` list. */
export function algorithmsForKey(key: KeyObject): JwtAlgorithm[] {
  return ALL_ALGORITHMS.filter((alg) => keyMismatch(alg, key) === null)
}
