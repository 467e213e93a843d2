/**
 * Issue #12, finding 5 (b): a key given as a Buffer holding a PEM, or a PEM string with leading whitespace,
 * was taken as an HMAC secret, so an HS256 token MAC'd with the *public* key verified. A PEM-, DER- or
 * JWK-looking value is never an HMAC secret; HMAC secrets are explicit (`{ kty: 'oct' }` JWK, a secret
 * `KeyObject`, or `{ hmacSecret }`); every key verifies only the algorithms of its type.
 */
import { createHmac, createSecretKey, generateKeyPairSync, sign as cryptoSign } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createJwtVerifier, JwtConfigError, verifyJwt, verifyJwtSync, type JwtKeyInput, type VerifyJwtOptions } from '@gatehousejs/jwt'

const NOW_MS = 1_800_000_000_000
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
const ed = generateKeyPairSync('ed25519')
const pem = rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string
const der = rsa.publicKey.export({ type: 'spki', format: 'der' })
const jwk = rsa.publicKey.export({ format: 'jwk' })
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')

function hs256(secret: string | Uint8Array, header: Record<string, unknown> = {}): string {
  const input = `${b64({ alg: 'HS256', typ: 'JWT', ...header })}.${b64({ sub: 'attacker', exp: NOW_MS / 1000 + 60 })}`
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`
}

/** Both entry points; a configuration error (thrown) counts as "not verified" too. */
async function outcome(token: string, options: VerifyJwtOptions): Promise<string> {
  const results: string[] = []
  for (const run of [() => verifyJwt(token, options), async () => verifyJwtSync(token, options)]) {
    try {
      const r = await run()
      results.push(r.ok ? 'ok' : r.code)
    } catch (err) {
      results.push(err instanceof JwtConfigError ? 'config' : `threw ${String(err)}`)
    }
  }
  expect(results[0]).toBe(results[1])
  return results[0]!
}

describe('public key material is never an HMAC secret (issue #12, finding 5b)', () => {
  const bom = '\uFEFF'
  // What an application might hand over as "the key", and the bytes an attacker MACs with.
  const disguises: [string, JwtKeyInput, string | Uint8Array][] = [
    ['PEM in a Buffer', Buffer.from(pem), pem],
    ['PEM in a Uint8Array', new Uint8Array(Buffer.from(pem)), pem],
    ['PEM string with a leading newline', `\n${pem}`, `\n${pem}`],
    ['PEM string with leading spaces', `   ${pem}`, `   ${pem}`],
    ['PEM string with a BOM', `${bom}${pem}`, `${bom}${pem}`],
    ['PEM Buffer with a BOM and CRLF', Buffer.from(`${bom}\r\n${pem.replace(/\n/g, '\r\n')}`), `${bom}\r\n${pem.replace(/\n/g, '\r\n')}`],
    ['DER SPKI bytes', der, der],
    ['JWK JSON string', JSON.stringify(jwk), JSON.stringify(jwk)],
    ['JWK JSON Buffer with whitespace', Buffer.from(`  ${JSON.stringify(jwk)}`), `  ${JSON.stringify(jwk)}`],
  ]
  for (const [name, key, macKey] of disguises) {
    it(`${name}: an HS256 token MAC'd with it does not verify`, async () => {
      const token = hs256(macKey)
      for (const algorithms of [undefined, ['HS256' as const], ['HS256' as const, 'RS256' as const]]) {
        const r = await outcome(token, { key, now: () => NOW_MS, ...(algorithms ? { algorithms } : {}) })
        expect(r, `${name} ${JSON.stringify(algorithms)}`).not.toBe('ok')
      }
    })
  }

  it('the same disguises still verify an RS256 token (they are public keys)', async () => {
    const input = `${b64({ alg: 'RS256' })}.${b64({ sub: 'u', exp: NOW_MS / 1000 + 60 })}`
    const token = `${input}.${cryptoSign('sha256', Buffer.from(input), rsa.privateKey).toString('base64url')}`
    for (const key of [Buffer.from(pem), `\n  ${pem}`, `${bom}${pem}`, der, JSON.stringify(jwk)]) {
      expect(await outcome(token, { key, now: () => NOW_MS })).toBe('ok')
    }
  })

  it('an explicit secret holding PEM, DER or JWK text is refused as a configuration error', async () => {
    const token = hs256(pem)
    for (const key of [
      { hmacSecret: pem },
      { hmacSecret: Buffer.from(`  ${pem}`) },
      { hmacSecret: der },
      createSecretKey(Buffer.from(pem)),
      { kty: 'oct', k: Buffer.from(pem).toString('base64url') },
    ]) {
      expect(await outcome(token, { key: key as JwtKeyInput, now: () => NOW_MS })).toBe('config')
    }
  })

  it('HMAC secrets are explicit: oct JWK, secret KeyObject, { hmacSecret }; bare strings and bytes are not', async () => {
    const secret = 'a-real-shared-secret-of-32-bytes!'
    const token = hs256(secret)
    for (const key of [
      { kty: 'oct', k: Buffer.from(secret).toString('base64url') },
      createSecretKey(Buffer.from(secret)),
      { hmacSecret: secret },
      { hmacSecret: Buffer.from(secret) },
    ]) {
      expect(await outcome(token, { key: key as JwtKeyInput, now: () => NOW_MS })).toBe('ok')
    }
    for (const key of [secret, Buffer.from(secret)]) expect(await outcome(token, { key, now: () => NOW_MS })).toBe('config')
  })
})

describe('each key verifies only the algorithms of its type', () => {
  const secretKey = { hmacSecret: 'a-real-shared-secret-of-32-bytes!' }
  it('oct → HS* only; RSA → RS*/PS*; P-256 → ES256; Ed25519 → EdDSA/Ed25519', async () => {
    const sign = (alg: string, key: Parameters<typeof cryptoSign>[2] | null, hmac?: string) => {
      const input = `${b64({ alg })}.${b64({ sub: 'u', exp: NOW_MS / 1000 + 60 })}`
      const sig =
        hmac !== undefined
          ? createHmac('sha256', hmac).update(input).digest()
          : cryptoSign(alg.startsWith('Ed') ? null : 'sha256', Buffer.from(input), key!)
      return `${input}.${sig.toString('base64url')}`
    }
    expect(await outcome(sign('HS256', null, secretKey.hmacSecret), { key: secretKey, now: () => NOW_MS })).toBe('ok')
    expect(await outcome(sign('ES256', { key: ec.privateKey, dsaEncoding: 'ieee-p1363' }), { key: ec.publicKey, now: () => NOW_MS })).toBe(
      'ok',
    )
    expect(await outcome(sign('EdDSA', ed.privateKey), { key: ed.publicKey, now: () => NOW_MS })).toBe('ok')
    // Cross-family uses are refused by key type, not by a failed signature.
    expect(await outcome(sign('RS256', rsa.privateKey), { key: secretKey, now: () => NOW_MS })).toBe('JWT_KEY_MISMATCH')
    expect(await outcome(sign('HS256', null, 'x'), { key: ec.publicKey, algorithms: ['HS256'], now: () => NOW_MS })).toBe(
      'JWT_KEY_MISMATCH',
    )
    expect(
      await outcome(sign('ES256', { key: ec.privateKey, dsaEncoding: 'ieee-p1363' }), {
        key: ed.publicKey,
        algorithms: ['ES256'],
        now: () => NOW_MS,
      }),
    ).toBe('JWT_KEY_MISMATCH')
  })

  it('a JWK whose alg contradicts its kty, or whose use/key_ops exclude verification, is not used', async () => {
    const input = `${b64({ alg: 'RS256', kid: 'k' })}.${b64({ iss: 'https://i.test', sub: 'u', exp: NOW_MS / 1000 + 60 })}`
    const token = `${input}.${cryptoSign('sha256', Buffer.from(input), rsa.privateKey).toString('base64url')}`
    const bad: Record<string, unknown>[] = [
      { ...jwk, kid: 'k', alg: 'HS256' },
      { ...jwk, kid: 'k', alg: 'ES256' },
      { ...jwk, kid: 'k', use: 'enc' },
      { ...jwk, kid: 'k', key_ops: ['encrypt'] },
      { ...jwk, kid: 'k', alg: 'RS384' },
    ]
    for (const k of bad) {
      const fetchImpl = async () => new Response(JSON.stringify({ keys: [k] }), { status: 200 })
      const v = createJwtVerifier({ issuer: 'https://i.test', jwksUri: 'https://i.test/jwks', fetch: fetchImpl, now: () => NOW_MS })
      const r = await v.verify(token)
      expect(r.ok, JSON.stringify({ alg: k.alg, use: k.use, key_ops: k.key_ops })).toBe(false)
    }
    const good = async () =>
      new Response(JSON.stringify({ keys: [{ ...jwk, kid: 'k', alg: 'RS256', use: 'sig', key_ops: ['verify'] }] }), { status: 200 })
    expect(
      await createJwtVerifier({ issuer: 'https://i.test', jwksUri: 'https://i.test/jwks', fetch: good, now: () => NOW_MS }).verify(token),
    ).toMatchObject({ ok: true })
  })
})
