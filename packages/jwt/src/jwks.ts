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
  /**
   * A cache shared with other processes (`createRedisJwksStore` from `@gatehousejs/redis`): a set one process
   * fetched serves the others for the rest of its `maxAgeMs`. Default: the store bound to `fetch` by
   * {@link withJwksCacheStore}, if any.
   */
  store?: JwksCacheStore
}

/**
 * Fetched key sets shared between processes. Entries are JSON written by {@link createJwks} and checked again
 * when read (they may come from anywhere). Any rejection makes the set be fetched as without a store.
 *
 * @example
 * ```ts
 * const m = new Map<string, string>()
 * const jwks = createJwks({ uri, store: { get: async (k) => m.get(k), set: async (k, v) => void m.set(k, v) } })
 * ```
 */
export interface JwksCacheStore {
  /** The entry under `key`, if any. */
  get(key: string): Promise<string | undefined>
  /** Keep `value` under `key` for `ttlMs`. */
  set(key: string, value: string, ttlMs: number): Promise<void>
  /**
   * Claim the fetch of `key` for `ttlMs`: true when this caller should fetch, false when another process is
   * fetching (the caller then waits for its entry, at most `ttlMs`). Without it every miss fetches.
   */
  lock?(key: string, ttlMs: number): Promise<boolean>
}

const storesByFetch = new WeakMap<FetchLike, JwksCacheStore>()

/**
 * A `fetch` that carries a shared JWKS store to every key set built with it, through options that pass a
 * `fetch` along but not a store (core's `authorization.fetch`, `createJwtVerifier`, the authorizer factories).
 *
 * @example
 * ```ts
 * import { createJwtVerifier, withJwksCacheStore } from '@gatehousejs/jwt'
 * const verifier = createJwtVerifier({ issuer: 'https://id.example.com', fetch: withJwksCacheStore(store) })
 * ```
 */
export function withJwksCacheStore(store: JwksCacheStore, fetchImpl?: FetchLike): FetchLike {
  const f: FetchLike = (input, init) => (fetchImpl ? fetchImpl(input, init) : fetch(input, init))
  storesByFetch.set(f, store)
  return f
}

/** A shared entry as written: the set, where it came from (discovery), and when it was fetched. */
type SharedEntry = { v: 1; fetchedAt: number; jwksUri: string; keys: unknown[] }

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
  const store = options.store ?? (options.fetch ? storesByFetch.get(options.fetch) : undefined)
  const storeKey = options.uri !== undefined ? `jwks:${String(options.uri)}` : `oidc:${options.discoveryIssuer}`
  // A discovery and a JWKS fetch: how long other processes wait for the one that claimed the fetch.
  const lockMs = Math.max(100, Math.min(2 * timeoutMs, 30_000))
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

  function adopt(keys: unknown[], at: number): void {
    byKid = index(keys, false)
    all = [...byKid.values()].flat()
    fetchedAt = at
  }

  /** A shared entry fetched at or after `since`, checked as a fetched body is; anything else is no entry. */
  async function shared(since: number): Promise<SharedEntry | undefined> {
    const raw = await bounded(store!.get(storeKey), timeoutMs).catch(() => undefined)
    if (typeof raw !== 'string' || raw.length > JWT_LIMITS.maxJwksBytes * 2) return undefined
    try {
      const e = JSON.parse(raw) as SharedEntry
      if (e?.v !== 1 || typeof e.fetchedAt !== 'number' || !(e.fetchedAt >= since) || e.fetchedAt > now() + 60_000) return undefined
      if (!Array.isArray(e.keys) || e.keys.length > JWT_LIMITS.maxJwksKeys || typeof e.jwksUri !== 'string') return undefined
      checkFetchedUrl(e.jwksUri)
      return e
    } catch {
      return undefined
    }
  }

  /** The set from the store when another process fetched it recently enough; else claim the fetch, or wait. */
  async function fromStore(since: number): Promise<boolean> {
    let e = await shared(since)
    if (!e && store!.lock && !(await bounded(store!.lock(storeKey, lockMs), timeoutMs).catch(() => true))) {
      // Another process is fetching: poll for its entry, at most lockMs (then fetch ourselves).
      for (let waited = 0; !e && waited < lockMs; waited += 50) {
        await new Promise((r) => setTimeout(r, 50))
        e = await shared(since)
      }
    }
    if (!e) return false
    jwksUri ??= e.jwksUri
    adopt(e.keys, e.fetchedAt)
    return true
  }

  async function load(since: number): Promise<boolean> {
    try {
      if (store && (await fromStore(since))) return true
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
      adopt(body.keys as unknown[], now())
      if (store) {
        const entry: SharedEntry = { v: 1, fetchedAt, jwksUri, keys: body.keys as unknown[] }
        bounded(store.set(storeKey, JSON.stringify(entry), maxAgeMs), timeoutMs).catch(() => {})
      }
      return true
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err)
      return false
    }
  }

  // `since`: the oldest shared set that will do (one fetched within the cooldown answers an unknown kid too).
  function refresh(since = now()): Promise<boolean> {
    if (inflight === null) {
      inflight = load(since).then((ok) => {
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
      fetched = await refresh(Math.max(fetchedAt + 1, now() - maxAgeMs))
    }
    // A stale set is still used when its refresh failed: an outage should not lock out tokens signed by
    // keys we already hold.
    if (byKid === null) throw fetchFailed()
    if (kid === undefined || find(byKid, kid) !== undefined) return pick(byKid, all, alg, kid)
    // Unknown kid: the provider may have rotated its keys. One such refetch per cooldown, shared by all.
    if (fetched === undefined && !within(lastMissRefetchAt) && !within(lastFailureAt)) {
      lastMissRefetchAt = now()
      fetched = await refresh(Math.max(fetchedAt + 1, now() - cooldownMs))
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
    refresh: () => refresh(),
    get fetchCount() {
      return fetchCount
    },
  }
  return remote
}

/** `p`, or a rejection once `ms` passed: a shared store that hangs must not hold requests longer than a fetch. */
function bounded<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('the JWKS store did not answer')), ms)
    timer.unref?.()
  })
  return Promise.race([Promise.resolve().then(() => p), late]).finally(() => clearTimeout(timer))
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
