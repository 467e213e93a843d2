import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ASYMMETRIC_ALGORITHMS, createJwks, createJwtVerifier, JwtConfigError, type JwtVerifierOptions } from '@gatehousejs/jwt'
import { AUDIENCE, ISSUER, makeKey, NOW, NOW_MS, sign, startJwksServer, type JwksServer, type TestKey } from './helpers'

let rsa: TestKey
let es: TestKey
let ed: TestKey
let rotated: TestKey
let server: JwksServer | undefined

beforeAll(async () => {
  rsa = await makeKey('RS256', 'rsa-1')
  es = await makeKey('ES256', 'ec-1')
  ed = await makeKey('EdDSA', 'ed-1')
  rotated = await makeKey('RS256', 'rsa-2', { rsaIndex: 1 })
})

afterEach(async () => {
  await server?.close()
  server = undefined
})

/** A clock the test moves by hand. */
function clock(start = NOW_MS) {
  let t = start
  return { now: () => t, advance: (ms: number) => void (t += ms) }
}

function verifierFor(url: string, c: ReturnType<typeof clock>, extra: Partial<JwtVerifierOptions> = {}) {
  return createJwtVerifier({ issuer: ISSUER, audience: AUDIENCE, jwksUri: `${url}/jwks.json`, now: c.now, ...extra })
}

const jwksHits = () => server!.hits.get('/jwks.json') ?? 0

describe('createJwtVerifier over a JWKS served on a real socket', () => {
  it('fetches the set once and verifies tokens of every key type in it', async () => {
    server = await startJwksServer([rsa.jwk, es.jwk, ed.jwk])
    const c = clock()
    const verifier = verifierFor(server.url, c)
    for (const key of [rsa, es, ed, rsa, es]) {
      const result = await verifier.verify(await sign(key))
      expect(result).toMatchObject({ ok: true, header: { kid: key.kid } })
    }
    expect(jwksHits()).toBe(1)
  })

  it('every asymmetric algorithm, keys served together from one JWKS', async () => {
    const all = await Promise.all(ASYMMETRIC_ALGORITHMS.map((alg) => makeKey(alg, `all-${alg}`)))
    server = await startJwksServer(all.map((k) => k.jwk))
    const verifier = verifierFor(server.url, clock())
    for (const key of all) {
      expect(await verifier.verify(await sign(key)), key.alg).toMatchObject({ ok: true, header: { alg: key.alg } })
      // The same token under another key's kid: confusion between families or a wrong signature, never ok.
      const wrong = all.find((k) => k !== key && k.alg !== 'EdDSA' && k.alg !== 'Ed25519')!
      const r = await verifier.verify(await sign({ ...key, kid: wrong.kid }))
      expect(r.ok).toBe(false)
    }
    expect(jwksHits()).toBe(1)
  })

  it('key rotation: an unknown kid refetches once per cooldown, then the new key verifies', async () => {
    server = await startJwksServer([rsa.jwk])
    const c = clock()
    const verifier = verifierFor(server.url, c, { cooldownMs: 30_000 })
    expect((await verifier.verify(await sign(rsa))).ok).toBe(true)
    expect(jwksHits()).toBe(1)

    // The provider rotates: a token signed by the new key arrives before we know it.
    server.keys = [rsa.jwk, rotated.jwk]
    const fresh = await sign(rotated)
    expect(await verifier.verify(fresh)).toMatchObject({ ok: true })
    expect(jwksHits()).toBe(2)

    // A kid nobody publishes: one refetch is allowed only after the cooldown.
    const stranger = await sign({ ...rotated, kid: 'nobody' })
    c.advance(1_000)
    expect(await verifier.verify(stranger)).toMatchObject({ ok: false, code: 'JWKS_NO_MATCHING_KEY' })
    expect(await verifier.verify(stranger)).toMatchObject({ ok: false, code: 'JWKS_NO_MATCHING_KEY' })
    expect(jwksHits()).toBe(2)
    c.advance(30_000)
    expect(await verifier.verify(stranger)).toMatchObject({ ok: false, code: 'JWKS_NO_MATCHING_KEY' })
    expect(jwksHits()).toBe(3)
    expect(await verifier.verify(stranger)).toMatchObject({ ok: false, code: 'JWKS_NO_MATCHING_KEY' })
    expect(jwksHits()).toBe(3)

    // The old key is withdrawn: it stays trusted until the cached set ages out, then it is gone.
    server.keys = [rotated.jwk]
    const old = await sign(rsa, { exp: NOW + 86_400 })
    expect((await verifier.verify(old)).ok).toBe(true)
    c.advance(2 * 3600_000)
    expect(await verifier.verify(old)).toMatchObject({ ok: false, code: 'JWKS_NO_MATCHING_KEY' })
    expect(jwksHits()).toBe(4)
  })

  it('concurrent requests share one fetch (first load and unknown kid)', async () => {
    server = await startJwksServer([rsa.jwk])
    server.delayMs = 50
    const c = clock()
    const verifier = verifierFor(server.url, c)
    const token = await sign(rsa)
    const results = await Promise.all(Array.from({ length: 25 }, () => verifier.verify(token)))
    expect(results.every((r) => r.ok)).toBe(true)
    expect(jwksHits()).toBe(1)

    server.keys = [rsa.jwk, rotated.jwk]
    c.advance(60_000)
    const fresh = await sign(rotated)
    const again = await Promise.all(Array.from({ length: 25 }, () => verifier.verify(fresh)))
    expect(again.every((r) => r.ok)).toBe(true)
    expect(jwksHits()).toBe(2)
  })

  it('a failing JWKS endpoint gives JWKS_FETCH_FAILED (never a crash), retried once per cooldown', async () => {
    server = await startJwksServer([rsa.jwk])
    server.status = 503
    const c = clock()
    const verifier = verifierFor(server.url, c)
    const token = await sign(rsa, { exp: NOW + 86_400 })
    expect(await verifier.verify(token)).toMatchObject({ ok: false, code: 'JWKS_FETCH_FAILED' })
    expect(await verifier.verify(token)).toMatchObject({ ok: false, code: 'JWKS_FETCH_FAILED' })
    expect(jwksHits()).toBe(1)
    server.status = 200
    c.advance(30_000)
    expect(await verifier.verify(token)).toMatchObject({ ok: true })
    expect(jwksHits()).toBe(2)

    // Once loaded, an outage during a refresh keeps the known keys working (stale-if-error).
    server.status = 500
    c.advance(3 * 3600_000)
    expect(await verifier.verify(token)).toMatchObject({ ok: true })
    expect(jwksHits()).toBe(3)
    // …but an unknown kid then is a server-side failure, not the client's fault.
    c.advance(60_000)
    expect(await verifier.verify(await sign(rotated))).toMatchObject({ ok: false, code: 'JWKS_FETCH_FAILED' })
  })

  it('an unreachable endpoint, a non-JSON body and a set without keys are JWKS_FETCH_FAILED', async () => {
    server = await startJwksServer([rsa.jwk])
    const url = server.url
    await server.close()
    server = undefined
    const token = await sign(rsa)
    expect(await verifierFor(url, clock()).verify(token)).toMatchObject({ ok: false, code: 'JWKS_FETCH_FAILED' })

    const fake = (body: string) => async () => new Response(body, { status: 200 })
    for (const body of ['<html>', '{"nokeys":1}', 'null']) {
      const v = createJwtVerifier({ issuer: ISSUER, jwksUri: 'https://id.example.test/jwks', fetch: fake(body), now: () => NOW_MS })
      expect(await v.verify(token)).toMatchObject({ ok: false, code: 'JWKS_FETCH_FAILED' })
    }
    const throwing = createJwtVerifier({
      issuer: ISSUER,
      jwksUri: 'https://id.example.test/jwks',
      fetch: () => Promise.reject(new TypeError('boom')),
      now: () => NOW_MS,
    })
    expect(await throwing.verify(token)).toMatchObject({ ok: false, code: 'JWKS_FETCH_FAILED' })
  })

  it('a JWKS endpoint slower than timeoutMs is JWKS_FETCH_FAILED', async () => {
    server = await startJwksServer([rsa.jwk])
    server.delayMs = 1_000
    const verifier = verifierFor(server.url, clock(), { timeoutMs: 50 })
    expect(await verifier.verify(await sign(rsa))).toMatchObject({ ok: false, code: 'JWKS_FETCH_FAILED' })
  })

  it('discovers the JWKS from the issuer when no URL is given', async () => {
    server = await startJwksServer([es.jwk])
    const verifier = createJwtVerifier({ issuer: server.url, now: () => NOW_MS })
    expect(await verifier.verify(await sign(es, { iss: server.url }))).toMatchObject({ ok: true })
    expect(server.hits.get('/.well-known/openid-configuration')).toBe(1)
    expect(jwksHits()).toBe(1)
  })

  it('refuses HMAC tokens and a confused kid even when the algorithm is listed', async () => {
    const hs = await makeKey('HS256', 'hs-1')
    server = await startJwksServer([rsa.jwk, hs.jwk])
    const c = clock()
    const verifier = verifierFor(server.url, c, { algorithms: ['RS256', 'HS256'] })
    // The published oct key is ignored: a public set never holds secrets.
    expect(await verifier.verify(await sign(hs))).toMatchObject({ ok: false, code: 'JWKS_NO_MATCHING_KEY' })
    // An HS256 token naming the RSA key's kid.
    const confused = await sign({ ...hs, kid: rsa.kid })
    expect(await verifier.verify(confused)).toMatchObject({ ok: false, code: 'JWT_KEY_MISMATCH' })
    // Default algorithms exclude HMAC entirely.
    expect(await verifierFor(server.url, c).verify(confused)).toMatchObject({ ok: false, code: 'JWT_ALGORITHM_NOT_ALLOWED' })
  })

  it('requires a kid by default; without requireKid a lone key of the right type is used', async () => {
    const noKid = await sign({ ...es, kid: undefined as never })
    const fixed = createJwtVerifier({ issuer: ISSUER, jwks: [es.jwk, rsa.jwk], now: () => NOW_MS })
    expect(await fixed.verify(noKid)).toMatchObject({ ok: false, code: 'JWKS_NO_MATCHING_KEY' })
    const lenient = createJwtVerifier({ issuer: ISSUER, jwks: { keys: [es.jwk, rsa.jwk] }, requireKid: false, now: () => NOW_MS })
    expect(await lenient.verify(noKid)).toMatchObject({ ok: true })
  })

  it('checks claims with the injected clock', async () => {
    const c = clock()
    const verifier = createJwtVerifier({ issuer: ISSUER, audience: AUDIENCE, jwks: [es.jwk], now: c.now })
    const token = await sign(es)
    expect((await verifier.verify(token)).ok).toBe(true)
    expect(await verifier.verify(await sign(es, { aud: 'nope' }))).toMatchObject({ ok: false, code: 'JWT_AUDIENCE_INVALID' })
    c.advance(3600_000)
    expect(await verifier.verify(token)).toMatchObject({ ok: false, code: 'JWT_EXPIRED' })
  })

  it('throws JwtConfigError for impossible options', () => {
    expect(() => createJwtVerifier({ issuer: [ISSUER] })).toThrow(JwtConfigError)
    expect(() => createJwtVerifier({ issuer: ISSUER, jwksUri: 'ftp://x' })).toThrow(JwtConfigError)
    expect(() => createJwtVerifier({ issuer: ISSUER, jwks: [], jwksUri: 'https://x' })).toThrow(JwtConfigError)
    expect(() => createJwtVerifier({ issuer: ISSUER, jwks: [{ kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA' }] })).toThrow(JwtConfigError)
    expect(() => createJwtVerifier({ issuer: ISSUER, jwksUri: 'https://x', cooldownMs: -1 })).toThrow(JwtConfigError)
    expect(() => createJwks({})).toThrow(JwtConfigError)
  })

  it('getKey refuses an unsupported alg with a JwtError', async () => {
    const jwks = createJwks({ keys: [es.jwk] })
    await expect(jwks.getKey({ alg: 'none', kid: es.kid })).rejects.toMatchObject({ code: 'JWT_ALGORITHM_NOT_ALLOWED' })
    await expect(jwks.getKey({ alg: 'ES256', kid: es.kid })).resolves.toHaveProperty('key')
  })
})
