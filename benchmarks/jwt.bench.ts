/**
 * @gatehousejs/jwt beside jose's `jwtVerify`, same key material, same token, same claim checks.
 *
 * Both verifiers are asynchronous (jose on Web Crypto, ours on node:crypto's threadpool mode), so the harness's
 * synchronous `compare` would time only promise creation. This file keeps the harness's rules (outputs checked
 * equal first, median of rounds, alternating peer/ours) with a loop that awaits every call, ours included.
 */
import { createPublicKey } from 'node:crypto'
import { createLocalJWKSet, exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type JWK } from 'jose'
import { createJwtVerifier, verifyJwt, type Jwk, type JwtAlgorithm } from '@gatehousejs/jwt'
import { compareAsync, versionOf, type AsyncCase, type Section } from './harness.js'

const quick = process.env.BENCH_QUICK === '1'
const rounds = quick ? 3 : 31
const ISSUER = 'https://id.example.com'
const AUDIENCE = 'api'

async function casesFor(alg: JwtAlgorithm): Promise<AsyncCase[]> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true })
  const jwk = { ...(await exportJWK(publicKey)), kid: `${alg}-1`, alg, use: 'sig' } as JWK
  const iat = Math.floor(Date.now() / 1000)
  const token = await new SignJWT({ sub: 'user-1', scope: 'pets/read pets/write', 'cognito:groups': ['admin'] })
    .setProtectedHeader({ alg, kid: jwk.kid!, typ: 'JWT' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(iat + 24 * 3600)
    .sign(privateKey)

  const joseKey = await importJWK(jwk, alg)
  const ourKey = createPublicKey({ key: jwk as never, format: 'jwk' })
  const checks = { algorithms: [alg], issuer: ISSUER, audience: AUDIENCE }
  const joseSet = createLocalJWKSet({ keys: [jwk] })
  const verifier = createJwtVerifier({ ...checks, jwks: [jwk as Jwk] })

  const ours = async () => {
    const r = await verifyJwt(token, { key: ourKey, ...checks })
    return r.ok ? r.payload : r.code
  }
  return [
    {
      name: `${alg} verify with a key`,
      ours,
      peer: async () => (await jwtVerify(token, joseKey, checks)).payload,
    },
    {
      name: `${alg} verify with a JWKS (kid lookup)`,
      ours: async () => {
        const r = await verifier.verify(token)
        return r.ok ? r.payload : r.code
      },
      peer: async () => (await jwtVerify(token, joseSet, checks)).payload,
    },
  ]
}

export default async function (): Promise<Section> {
  const cases = [...(await casesFor('RS256')), ...(await casesFor('ES256'))]
  return {
    title: '@gatehousejs/jwt: JWT verification (signature + iss/aud/exp checks)',
    unit: 'verifications/s',
    peers: { jose: versionOf('jose') },
    peerName: 'jose jwtVerify',
    rows: await compareAsync(cases, { goal: 1, rounds, roundMs: quick ? 40 : 120 }),
    notes: [
      `Same key material, token and claim checks on both sides; every call awaited, one at a time (both check signatures on libuv's threadpool: ours via node:crypto, jose via Web Crypto); rounds alternate peer/ours, medians of ${rounds}.`,
      'Key: an imported KeyObject for ours, an imported CryptoKey for jose. JWKS: createJwtVerifier({ jwks }) vs createLocalJWKSet.',
    ],
  }
}
