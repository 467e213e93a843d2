import { createHmac, createPublicKey, generateKeyPairSync, sign as cryptoSign, type KeyObject } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  ALL_ALGORITHMS,
  JwtConfigError,
  verifyJwt,
  verifyJwtSync,
  type JwtAlgorithm,
  type JwtVerifyResult,
  type VerifyJwtOptions,
} from '@gatehousejs/jwt'
import { AUDIENCE, b64, ISSUER, makeKey, NOW, NOW_MS, sign, type TestKey } from './helpers'

const now = () => NOW_MS

/** Runs the async (threadpool) and the sync verifier; they must agree. */
async function both(token: string, options: VerifyJwtOptions): Promise<JwtVerifyResult> {
  const result = await verifyJwt(token, options)
  expect(verifyJwtSync(token, options)).toEqual(result)
  return result
}
const keys = new Map<JwtAlgorithm, TestKey>()

beforeAll(async () => {
  for (const alg of ALL_ALGORITHMS) keys.set(alg, await makeKey(alg))
})

function opts(key: TestKey, extra: Partial<VerifyJwtOptions> = {}): VerifyJwtOptions {
  return { key: key.jwk, issuer: ISSUER, audience: AUDIENCE, now, ...extra }
}

describe('verifyJwt: every algorithm, tokens made by jose', () => {
  for (const alg of ALL_ALGORITHMS) {
    it(`${alg}: accepts a good token with the JWK, refuses a tampered payload and signature`, async () => {
      const key = keys.get(alg)!
      const token = await sign(key, { scope: 'a b' })
      const good = await both(token, opts(key))
      expect(good).toMatchObject({ ok: true, header: { alg, kid: key.kid }, payload: { sub: 'user-1', scope: 'a b' } })

      const [h, , s] = token.split('.')
      const forged = `${h}.${b64({ iss: ISSUER, aud: AUDIENCE, sub: 'admin', exp: NOW + 3600 })}.${s}`
      expect(await both(forged, opts(key))).toMatchObject({ ok: false, code: 'JWT_SIGNATURE_INVALID' })

      const sig = Buffer.from(s!, 'base64url')
      sig[sig.length >> 1]! ^= 1
      expect(await both(`${h}.${token.split('.')[1]}.${sig.toString('base64url')}`, opts(key))).toMatchObject({
        ok: false,
        code: 'JWT_SIGNATURE_INVALID',
      })
    })
  }

  it('accepts KeyObject and PEM keys as well as JWKs', async () => {
    const key = keys.get('RS256')!
    const token = await sign(key)
    const keyObject = createPublicKey({ key: key.jwk as never, format: 'jwk' })
    expect((await both(token, opts(key, { key: keyObject }))).ok).toBe(true)
    const pem = keyObject.export({ type: 'spki', format: 'pem' }) as string
    expect((await both(token, opts(key, { key: pem }))).ok).toBe(true)
    expect((await both(token, opts(key, { key: () => key.jwk }))).ok).toBe(true)
  })

  it('verifies EdDSA tokens on Ed448 keys (signed with node:crypto: jose no longer makes them)', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('ed448')
    const input = `${b64({ alg: 'EdDSA', kid: 'ed448' })}.${b64({ iss: ISSUER, aud: AUDIENCE, exp: NOW + 60 })}`
    const token = `${input}.${cryptoSign(null, Buffer.from(input), privateKey).toString('base64url')}`
    expect((await both(token, { key: publicKey, issuer: ISSUER, audience: AUDIENCE, now })).ok).toBe(true)
    expect(await both(token, { key: publicKey, algorithms: ['Ed25519'], now })).toMatchObject({
      ok: false,
      code: 'JWT_ALGORITHM_NOT_ALLOWED',
    })
  })
})

describe('verifyJwt: refusals with typed codes', () => {
  it('refuses alg "none" whatever the options', async () => {
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ iss: ISSUER, aud: AUDIENCE, exp: NOW + 60 })}.`
    const rsa = keys.get('RS256')!
    expect(await both(unsigned, opts(rsa))).toMatchObject({ ok: false, code: 'JWT_ALGORITHM_NOT_ALLOWED' })
    expect(await both(unsigned, opts(keys.get('HS256')!))).toMatchObject({ ok: false, code: 'JWT_ALGORITHM_NOT_ALLOWED' })
    for (const alg of ['None', 'NONE', 'nOnE']) {
      const t = `${b64({ alg })}.${b64({ exp: NOW + 60 })}.`
      expect(await both(t, { key: rsa.jwk, now })).toMatchObject({ ok: false, code: 'JWT_ALGORITHM_NOT_ALLOWED' })
    }
    expect(() => verifyJwt(unsigned, opts(rsa, { algorithms: ['none' as JwtAlgorithm] }))).toThrow(JwtConfigError)
  })

  it('refuses an HMAC token signed with the RSA public key (algorithm confusion)', async () => {
    const rsa = keys.get('RS256')!
    const publicKey = createPublicKey({ key: rsa.jwk as never, format: 'jwk' })
    const pem = publicKey.export({ type: 'spki', format: 'pem' }) as string
    const der = publicKey.export({ type: 'spki', format: 'der' })
    for (const secret of [pem, der]) {
      const input = `${b64({ alg: 'HS256', typ: 'JWT', kid: rsa.kid })}.${b64({ iss: ISSUER, aud: AUDIENCE, exp: NOW + 60 })}`
      const token = `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`
      for (const key of [rsa.jwk, publicKey, pem]) {
        expect(await both(token, opts(rsa, { key }))).toMatchObject({ ok: false, code: 'JWT_KEY_MISMATCH' })
        expect(await both(token, opts(rsa, { key, algorithms: ['HS256', 'RS256'] }))).toMatchObject({ ok: false, code: 'JWT_KEY_MISMATCH' })
      }
    }
  })

  it('refuses an algorithm outside the allowed list, and a key of the wrong type or curve', async () => {
    const es256 = keys.get('ES256')!
    const token = await sign(es256)
    expect(await both(token, opts(es256, { algorithms: ['RS256'] }))).toMatchObject({ ok: false, code: 'JWT_ALGORITHM_NOT_ALLOWED' })
    expect(await both(token, opts(es256, { key: keys.get('ES384')!.jwk }))).toMatchObject({ ok: false, code: 'JWT_KEY_MISMATCH' })
    expect(await both(token, opts(es256, { key: keys.get('RS256')!.jwk }))).toMatchObject({ ok: false, code: 'JWT_KEY_MISMATCH' })
    // A JWK pinned to another algorithm of the same family.
    const rs256 = keys.get('RS256')!
    const rs384token = await sign({ ...keys.get('RS384')!, jwk: rs256.jwk })
    expect(await both(rs384token, opts(rs256))).toMatchObject({ ok: false, code: 'JWT_KEY_MISMATCH' })
  })

  it('refuses RSA keys shorter than 2048 bits', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 })
    const input = `${b64({ alg: 'RS256' })}.${b64({ exp: NOW + 60 })}`
    const sig = createHmac('sha256', 'x').update(input).digest() // any bytes: the key is refused first
    void privateKey
    expect(await both(`${input}.${sig.toString('base64url')}`, { key: publicKey as KeyObject, now })).toMatchObject({
      ok: false,
      code: 'JWT_KEY_MISMATCH',
    })
  })

  it('checks exp, nbf and iat with leeway', async () => {
    const key = keys.get('ES256')!
    const expired = await sign(key, { exp: NOW - 5 })
    expect(await both(expired, opts(key))).toMatchObject({ ok: false, code: 'JWT_EXPIRED' })
    expect((await both(expired, opts(key, { leewaySeconds: 10 }))).ok).toBe(true)
    expect(await both(await sign(key, { exp: NOW }), opts(key))).toMatchObject({ ok: false, code: 'JWT_EXPIRED' })
    expect((await both(await sign(key, { exp: NOW + 1 }), opts(key))).ok).toBe(true)

    const early = await sign(key, { nbf: NOW + 30 })
    expect(await both(early, opts(key))).toMatchObject({ ok: false, code: 'JWT_NOT_YET_VALID' })
    expect((await both(early, opts(key, { leewaySeconds: 30 }))).ok).toBe(true)

    const future = await sign(key, { iat: NOW + 120 })
    expect(await both(future, opts(key))).toMatchObject({ ok: false, code: 'JWT_IAT_INVALID' })
    expect(await both(await sign(key, { iat: NOW - 600 }), opts(key, { maxAgeSeconds: 300 }))).toMatchObject({
      ok: false,
      code: 'JWT_IAT_INVALID',
    })
    expect(await both(await sign(key, { exp: '1' as never }), opts(key))).toMatchObject({ ok: false, code: 'JWT_CLAIM_INVALID' })
    expect(await both(await sign(key, { exp: undefined }), opts(key, { requiredClaims: ['exp'] }))).toMatchObject({
      ok: false,
      code: 'JWT_CLAIM_MISSING',
    })
  })

  it('checks iss, aud (string or array), client_id fallback and sub', async () => {
    const key = keys.get('PS256')!
    expect(await both(await sign(key, { aud: 'someone-else' }), opts(key))).toMatchObject({ ok: false, code: 'JWT_AUDIENCE_INVALID' })
    expect((await both(await sign(key, { aud: ['x', AUDIENCE] }), opts(key))).ok).toBe(true)
    expect(await both(await sign(key, { aud: ['x', 'y'] }), opts(key))).toMatchObject({ ok: false, code: 'JWT_AUDIENCE_INVALID' })
    expect((await both(await sign(key), opts(key, { audience: ['other', AUDIENCE] }))).ok).toBe(true)
    expect(await both(await sign(key, { iss: 'https://evil.test' }), opts(key))).toMatchObject({ ok: false, code: 'JWT_ISSUER_INVALID' })
    expect(await both(await sign(key, { iss: undefined }), opts(key))).toMatchObject({ ok: false, code: 'JWT_ISSUER_INVALID' })

    const accessToken = await sign(key, { aud: undefined, client_id: AUDIENCE })
    expect(await both(accessToken, opts(key))).toMatchObject({ ok: false, code: 'JWT_AUDIENCE_INVALID' })
    expect((await both(accessToken, opts(key, { clientIdAsAudience: true }))).ok).toBe(true)
    // client_id is consulted only when aud is absent.
    const audAndClientId = await sign(key, { aud: 'other', client_id: AUDIENCE })
    expect(await both(audAndClientId, opts(key, { clientIdAsAudience: true }))).toMatchObject({ ok: false, code: 'JWT_AUDIENCE_INVALID' })

    expect(await both(await sign(key), opts(key, { subject: 'user-2' }))).toMatchObject({ ok: false, code: 'JWT_SUBJECT_INVALID' })
  })

  it('refuses malformed tokens and unknown critical headers', async () => {
    const key = keys.get('HS256')!
    for (const bad of ['', 'a', 'a.b', 'a.b.c.d', '!!.e30.', `${b64('[]')}.${b64({})}.`, `${b64({ typ: 'JWT' })}.${b64({})}.`]) {
      expect(await both(bad, opts(key))).toMatchObject({ ok: false, code: 'JWT_MALFORMED' })
    }
    const critInput = `${b64({ alg: 'HS256', crit: ['exp'], exp: 1 })}.${b64({ iss: ISSUER, aud: AUDIENCE })}`
    const crit = `${critInput}.${createHmac('sha256', key.privateKey as Uint8Array)
      .update(critInput)
      .digest('base64url')}`
    expect(await both(crit, opts(key))).toMatchObject({ ok: false, code: 'JWT_CRIT_UNSUPPORTED' })
    // Base64url that Buffer would silently accept (padding, standard alphabet) is refused.
    const token = await sign(key)
    expect(await both(`${token}=`, opts(key))).toMatchObject({ ok: false, code: 'JWT_MALFORMED' })
  })

  it('throws JwtConfigError for options that can never work', async () => {
    const key = keys.get('HS256')!
    const token = await sign(key)
    expect(() => verifyJwt(token, opts(key, { algorithms: [] }))).toThrow(JwtConfigError)
    expect(() => verifyJwtSync(token, opts(key, { algorithms: [] }))).toThrow(JwtConfigError)
    expect(() => verifyJwt(token, opts(key, { leewaySeconds: -1 }))).toThrow(JwtConfigError)
    expect(() => verifyJwt(token, opts(key, { issuer: 3 as never }))).toThrow(JwtConfigError)
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    expect(() => verifyJwt(token, opts(key, { key: privateKey }))).toThrow(JwtConfigError)
    expect(() => verifyJwt(token, opts(key, { key: { kty: 'RSA', n: 'AQAB', e: 'AQAB', use: 'enc' } }))).toThrow(JwtConfigError)
  })
})
