import { isSupportedAlgorithm, ktyFor, type JwtAlgorithm } from './algorithms'
import { JwtConfigError, JwtError, quote } from './errors'
import { fetchJson, type FetchLike } from './fetch-json'
import { importJwk, type ImportedKey, type Jwk } from './keys'
import { JWT_LIMITS } from './limits'

/**
 * A JSON Web Key Set (RFC 7517 §5).
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs'
 * import { createJwtVerifier, type JwkSet } from '@gatehousejs/jwt'
 * // Fixed keys, never fetched: tests, or an issuer whose keys ship with the deployment.
 * const jwks: JwkSet = JSON.parse(readFileSync('jwks.json', 'utf8')) // { keys: [{ kty: 'RSA', kid: 'k1', n: '…', e: 'AQAB' }] }
 * const verifier = createJwtVerifier({ issuer: 'https://id.example.com', jwks })
 * const result = await verifier.verify(token)
 * ```
 */
export interface JwkSet {
  keys: Jwk[]
}

/**
 * Options of {@link createJwks}: where the keys come from and how long they are trusted.
 *
 * @example
 * ```ts
 * import { createJwks, decodeJwt } from '@gatehousejs/jwt'
 * const jwks = createJwks({ uri: 'https://id.example.com/.well-known/jwks.json', cooldownMs: 30_000, timeoutMs: 2_000 })
 * const { key } = await jwks.getKey(decodeJwt(token).header)
 * ```
 */
export interface JwksOptions {
  /** URL of the JWKS. */
  uri?: string | URL
  /** OIDC issuer whose `/.well-known/openid-configuration` names the JWKS (`jwks_uri`); used when `uri` is unset. */
  discoveryIssuer?: string
  /** A fixed key set (no fetching); `oct` keys are allowed here, for HMAC. */
  keys?: JwkSet | Jwk[]
  /** Default: the global `fetch`. */
  fetch?: FetchLike
  /** Clock, epoch milliseconds. Default `Date.now`. */
  now?: () => number
  /** Minimum time between two refetches caused by unknown `kid`s, and after a failed fetch. Default 30 000 ms. */
  cooldownMs?: number
  /** Age after which the set is fetched again before use. Default 7 200 000 ms (2 h, as API Gateway). */
  maxAgeMs?: number
  /** Give up a fetch (answer and body) after this long. Default 5 000 ms. */
  timeoutMs?: number
}

/**
 * A key set with `kid` lookup. Remote sets are cached; an unknown `kid` causes at most one refetch per
 * cooldown, and concurrent lookups share one fetch.
 *
 * @example
 * ```ts
 * import { createJwks } from '@gatehousejs/jwt'
 * const jwks = createJwks({ uri: 'https://id.example.com/.well-known/jwks.json' })
 * const { key, alg } = await jwks.getKey({ alg: 'RS256', kid: 'k1' })
 * await jwks.refresh() // after the issuer rotated its keys: true when the fetch succeeded
 * ```
 */
export interface Jwks {
  /**
   * The key for a header, or a `JwtError` (`JWKS_NO_MATCHING_KEY`, `JWKS_FETCH_FAILED`) thrown.
   * Synchronous when the answer is already cached, a promise otherwise.
   */
  resolve(alg: JwtAlgorithm, kid: string | undefined): ImportedKey | Promise<ImportedKey>
  /** {@link Jwks.resolve} as a promise. */
  getKey(header: { alg: string; kid?: string }): Promise<ImportedKey>
  /** Fetch now (shares a fetch already under way). Resolves `true` on success; never rejects. */
  refresh(): Promise<boolean>
  /** Number of fetch attempts made so far (discovery documents excluded). */
  readonly fetchCount: number
}

interface Entry {
  jwk: Jwk
  imported?: ImportedKey | null
}

/**
 * Creates a key set from a URL, an OIDC issuer (discovery) or fixed keys. Throws `JwtConfigError` for
 * wrong options.
 *
 * @example
 * ```ts
 * import { createJwks, decodeJwt, verifyJwt } from '@gatehousejs/jwt'
 * const jwks = createJwks({ uri: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc/.well-known/jwks.json' })
 * const { key } = await jwks.getKey(decodeJwt(token).header) // fetched once, then cached
 * const result = await verifyJwt(token, { key })
 * ```
 */
export function createJwks(options: JwksOptions): Jwks {
  const sources = [options.uri, options.discoveryIssuer, options.keys].filter((s) => s !== undefined).length
  if (sources !== 1) throw new JwtConfigError('give exactly one of "uri", "discoveryIssuer" or "keys"')
  const now = options.now ?? Date.now
  const cooldownMs = positive(options.cooldownMs, 30_000, 'cooldownMs')
  const maxAgeMs = positive(options.maxAgeMs, 7_200_000, 'maxAgeMs')
  const timeoutMs = positive(options.timeoutMs, JWT_LIMITS.defaultFetchTimeoutMs, 'timeoutMs')
  if (options.uri !== undefined) checkUrl(String(options.uri), '"uri"')
  if (options.discoveryIssuer !== undefined) checkUrl(options.discoveryIssuer, '"discoveryIssuer"')

  if (options.keys !== undefined) {
    const list = Array.isArray(options.keys) ? options.keys : options.keys?.keys
    if (!Array.isArray(list)) throw new JwtConfigError('"keys" must be a JWK Set or an array of JWKs')
    const byKid = index(list, true)
    // Import fixed keys now so a bad one is a configuration error, not a per-request surprise.
    for (const entries of byKid.values()) for (const e of entries) e.imported = importJwk(e.jwk)
    const all = [...byKid.values()].flat()
    const fixed: Jwks = {
      resolve: (alg, kid) => pick(byKid, all, alg, kid),
      getKey: async (header) => fixed.resolve(supported(header.alg), header.kid),
      refresh: async () => true,
      fetchCount: 0,
    }
    return fixed
  }

  const fetchImpl = options.fetch ?? ((input, init) => fetch(input, init))
  let jwksUri: string | undefined = options.uri === undefined ? undefined : String(options.uri)
  let byKid: Map<string | undefined, Entry[]> | null = null
  let all: Entry[] = []
  let fetchedAt = 0
  let lastMissRefetchAt: number | undefined
  let lastFailureAt: number | undefined
  let lastError = ''
  let inflight: Promise<boolean> | null = null
  let fetchCount = 0

  const getJson = (url: string) => fetchJson(fetchImpl, url, timeoutMs)

  async function load(): Promise<boolean> {
    try {
      if (jwksUri === undefined) {
        const base = options.discoveryIssuer!.replace(/\/+$/, '')
        const doc = (await getJson(`${base}/.well-known/openid-configuration`)) as { jwks_uri?: unknown } | null
        if (typeof doc?.jwks_uri !== 'string') throw new Error('the discovery document has no "jwks_uri"')
        checkFetchedUrl(doc.jwks_uri)
        jwksUri = doc.jwks_uri
      }
      fetchCount++
      const body = (await getJson(jwksUri)) as { keys?: unknown } | null
      if (!Array.isArray(body?.keys)) throw new Error('the JWKS has no "keys" array')
      if (body.keys.length > JWT_LIMITS.maxJwksKeys) {
        throw new Error(`the JWKS has ${body.keys.length} keys, more than the ${JWT_LIMITS.maxJwksKeys} accepted`)
      }
      byKid = index(body.keys as unknown[], false)
      all = [...byKid.values()].flat()
      fetchedAt = now()
      return true
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err)
      return false
    }
  }

  function refresh(): Promise<boolean> {
    if (inflight === null) {
      inflight = load().then((ok) => {
        if (!ok) lastFailureAt = now()
        inflight = null
        return ok
      })
    }
    return inflight
  }

  const within = (t: number | undefined) => t !== undefined && now() - t < cooldownMs
  const fetchFailed = () => new JwtError('JWKS_FETCH_FAILED', `the JWKS could not be fetched: ${lastError}`)

  async function resolveSlow(alg: JwtAlgorithm, kid: string | undefined): Promise<ImportedKey> {
    // undefined: no fetch made or joined by this call; else whether it succeeded.
    let fetched: boolean | undefined
    if (inflight !== null) fetched = await inflight
    else if ((byKid === null || now() - fetchedAt >= maxAgeMs) && !within(lastFailureAt)) {
      // A failed fetch starts a cooldown too, so an identity provider outage is not hammered.
      fetched = await refresh()
    }
    // A stale set is still used when its refresh failed: an outage should not lock out tokens signed by
    // keys we already hold.
    if (byKid === null) throw fetchFailed()
    if (kid === undefined || find(byKid, kid) !== undefined) return pick(byKid, all, alg, kid)
    // Unknown kid: the provider may have rotated its keys. One such refetch per cooldown, shared by all.
    if (fetched === undefined && !within(lastMissRefetchAt) && !within(lastFailureAt)) {
      lastMissRefetchAt = now()
      fetched = await refresh()
    }
    // The key may be on the provider's side of an outage: that is the server's failure, not the client's.
    if (fetched === false && find(byKid, kid) === undefined) throw fetchFailed()
    return pick(byKid, all, alg, kid)
  }

  const remote: Jwks = {
    resolve(alg, kid) {
      if (inflight === null && byKid !== null && now() - fetchedAt < maxAgeMs && find(byKid, kid) !== undefined) {
        return pick(byKid, all, alg, kid)
      }
      return resolveSlow(alg, kid)
    },
    getKey: async (header) => remote.resolve(supported(header.alg), header.kid),
    refresh,
    get fetchCount() {
      return fetchCount
    },
  }
  return remote
}

function supported(alg: string): JwtAlgorithm {
  if (!isSupportedAlgorithm(alg)) throw new JwtError('JWT_ALGORITHM_NOT_ALLOWED', `algorithm ${quote(alg)} is not allowed`)
  return alg
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback
  if (!Number.isFinite(value) || value < 0) throw new JwtConfigError(`"${name}" must be a finite number ≥ 0`)
  return value
}

function checkUrl(url: string, what: string): void {
  try {
    const parsed = new URL(url)
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error('not http(s)')
  } catch {
    throw new JwtConfigError(`${what} must be an http(s) URL`)
  }
}

function checkFetchedUrl(url: string): void {
  const parsed = new URL(url)
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error('"jwks_uri" is not an http(s) URL')
}

function index(keys: unknown[], allowSecret: boolean): Map<string | undefined, Entry[]> {
  const byKid = new Map<string | undefined, Entry[]>()
  for (const jwk of keys) {
    if (jwk === null || typeof jwk !== 'object' || typeof (jwk as Jwk).kty !== 'string') continue
    const { kty, use, kid } = jwk as Jwk
    // Encryption keys and (in a published set) symmetric keys can never verify a token of ours.
    if (use !== undefined && use !== 'sig') continue
    if (kty === 'oct' && !allowSecret) continue
    const key = typeof kid === 'string' ? kid : undefined
    const list = byKid.get(key)
    if (list) list.push({ jwk: jwk as Jwk })
    else byKid.set(key, [{ jwk: jwk as Jwk }])
  }
  return byKid
}

function find(byKid: Map<string | undefined, Entry[]>, kid: string | undefined): Entry[] | undefined {
  return kid === undefined ? undefined : byKid.get(kid)
}

function imported(entry: Entry): ImportedKey | null {
  if (entry.imported === undefined) {
    try {
      entry.imported = importJwk(entry.jwk)
    } catch {
      // A published key we cannot import (unknown curve, bad members) is skipped, not fatal for the others.
      entry.imported = null
    }
  }
  return entry.imported
}

function compatible(entry: Entry, alg: JwtAlgorithm): boolean {
  return entry.jwk.kty === ktyFor(alg) && (entry.jwk.alg === undefined || entry.jwk.alg === alg)
}

/** Chooses the key for a token; a `kid` whose keys are all of the wrong type still returns one, so the
 * signature check reports `JWT_KEY_MISMATCH` (algorithm confusion) rather than an unknown key. */
function pick(byKid: Map<string | undefined, Entry[]>, all: Entry[], alg: JwtAlgorithm, kid: string | undefined): ImportedKey {
  if (kid !== undefined) {
    const entries = byKid.get(kid)
    if (entries === undefined) throw new JwtError('JWKS_NO_MATCHING_KEY', `no key with kid ${quote(kid)} in the JWKS`)
    const chosen = entries.find((e) => compatible(e, alg)) ?? entries[0]!
    const key = imported(chosen)
    if (key === null) throw new JwtError('JWKS_NO_MATCHING_KEY', `the key with kid ${quote(kid)} cannot be imported`)
    return key
  }
  const candidates = all.filter((e) => compatible(e, alg))
  if (candidates.length !== 1) {
    throw new JwtError(
      'JWKS_NO_MATCHING_KEY',
      candidates.length === 0 ? `no ${alg} key in the JWKS` : 'the token has no kid and several keys match',
    )
  }
  const key = imported(candidates[0]!)
  if (key === null) throw new JwtError('JWKS_NO_MATCHING_KEY', 'the matching key cannot be imported')
  return key
}
