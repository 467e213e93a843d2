import { createHmac, generateKeyPairSync } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createJwks, decodeJwt, JwtError, verifyJwt, verifyJwtSync, type Jwk } from '@gatehousejs/jwt'
import { b64, NOW_MS } from './helpers'

const SECRET = Buffer.from('property-test-secret-0123456789ab')
const KEY = { hmacSecret: SECRET }
const base64urlChars = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/.!'.split(''))

/** Strings shaped like tokens: mostly-base64url parts, sometimes real JSON inside. */
const tokenish = fc.oneof(
  fc.string(),
  fc.array(fc.string({ unit: base64urlChars, maxLength: 40 }), { maxLength: 5 }).map((parts) => parts.join('.')),
  fc
    .tuple(fc.jsonValue(), fc.jsonValue(), fc.string({ unit: base64urlChars, maxLength: 20 }))
    .map(([h, p, s]) => `${b64(h)}.${b64(p)}.${s}`),
  fc
    .tuple(
      fc.record(
        {
          alg: fc.constantFrom('HS256', 'none', 'RS256', 'ES256', 'HS512', ''),
          kid: fc.option(fc.string()),
          crit: fc.option(fc.array(fc.string())),
        },
        { requiredKeys: ['alg'] },
      ),
      fc.dictionary(fc.constantFrom('iss', 'aud', 'exp', 'nbf', 'iat', 'sub', 'client_id', 'x'), fc.jsonValue()),
    )
    .map(([h, p]) => {
      const input = `${b64(h)}.${b64(p)}`
      return `${input}.${createHmac('sha256', SECRET).update(input).digest('base64url')}`
    }),
)

describe('property: the parser and the verifier', () => {
  it('decodeJwt throws nothing but JwtError', () => {
    fc.assert(
      fc.property(tokenish, (token) => {
        try {
          const decoded = decodeJwt(token)
          expect(typeof decoded.header.alg).toBe('string')
          expect(decoded.payload).toBeTypeOf('object')
        } catch (err) {
          expect(err).toBeInstanceOf(JwtError)
        }
      }),
      { numRuns: 1500 },
    )
  })

  it('verifyJwt never throws on any token, and accepts only correctly signed HS256 tokens with valid claims', () => {
    fc.assert(
      fc.property(tokenish, (token) => {
        const result = verifyJwtSync(token, { key: KEY, now: () => NOW_MS, audience: ['a', 'b'], issuer: 'i' })
        if (result.ok) {
          expect(result.header.alg).toBe('HS256')
          expect(result.payload.iss).toBe('i')
        } else {
          expect(typeof result.code).toBe('string')
        }
      }),
      { numRuns: 1500 },
    )
  })

  it('verifyJwt (async) never rejects and agrees with verifyJwtSync', async () => {
    await fc.assert(
      fc.asyncProperty(tokenish, async (token) => {
        const options = { key: KEY, now: () => NOW_MS }
        expect(await verifyJwt(token, options)).toEqual(verifyJwtSync(token, options))
      }),
      { numRuns: 300 },
    )
  })

  it('valid claims round-trip: a token is accepted exactly when its exp/nbf/aud say so', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1000, max: 1000 }),
        fc.integer({ min: -1000, max: 1000 }),
        fc.integer({ min: 0, max: 100 }),
        fc.constantFrom('a', 'b', 'c'),
        (expOffset, nbfOffset, leeway, aud) => {
          const now = NOW_MS / 1000
          const input = `${b64({ alg: 'HS256' })}.${b64({ exp: now + expOffset, nbf: now + nbfOffset, aud })}`
          const token = `${input}.${createHmac('sha256', SECRET).update(input).digest('base64url')}`
          const result = verifyJwtSync(token, { key: KEY, now: () => NOW_MS, leewaySeconds: leeway, audience: ['a', 'b'] })
          const expected = expOffset > -leeway && nbfOffset <= leeway && aud !== 'c'
          expect(result.ok).toBe(expected)
        },
      ),
      { numRuns: 500 },
    )
  })
})

describe('property: the JWKS cache as a state machine', () => {
  it('under random lookups, rotations and clock moves: fetches are bounded and known kids always resolve', async () => {
    const ecJwk = (kid: string): Jwk => ({
      ...(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' }) as Jwk),
      kid,
    })
    const keysA: Jwk[] = [ecJwk('a')]
    const keysB: Jwk[] = [ecJwk('b')]
    type Op =
      | { kind: 'lookup'; kid: string; concurrent: number }
      | { kind: 'advance'; ms: number }
      | { kind: 'rotate' }
      | { kind: 'fail'; on: boolean }
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ kind: fc.constant('lookup' as const), kid: fc.constantFrom('a', 'b', 'zz'), concurrent: fc.integer({ min: 1, max: 4 }) }),
      fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 40_000 }) }),
      fc.record({ kind: fc.constant('rotate' as const) }),
      fc.record({ kind: fc.constant('fail' as const), on: fc.boolean() }),
    )
    let resolved = 0
    let refused = 0
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 40 }), async (ops) => {
        let t = NOW_MS
        let published = keysA
        let failing = false
        let fetches = 0
        const cooldownMs = 10_000
        const maxAgeMs = 60_000
        const jwks = createJwks({
          uri: 'https://id.example.test/jwks',
          now: () => t,
          cooldownMs,
          maxAgeMs,
          fetch: async () => {
            fetches++
            if (failing) return new Response('down', { status: 503 })
            return new Response(JSON.stringify({ keys: published }), { status: 200 })
          },
        })
        // Internal fetches run at most: one initial/age refresh per maxAge window or cooldown after failure,
        // plus one unknown-kid refetch per cooldown. Bound them by the elapsed time.
        for (const o of ops) {
          if (o.kind === 'advance') t += o.ms
          else if (o.kind === 'rotate') published = published === keysA ? keysB : keysA
          else if (o.kind === 'fail') failing = o.on
          else {
            const before = fetches
            const settled = await Promise.allSettled(Array.from({ length: o.concurrent }, () => jwks.getKey({ alg: 'ES256', kid: o.kid })))
            // Concurrent lookups share fetches: one call never causes more than two (age refresh + kid miss).
            expect(fetches - before).toBeLessThanOrEqual(2)
            for (const s of settled) {
              if (s.status === 'fulfilled') resolved++
              else refused++
              if (s.status === 'rejected') {
                expect(s.reason).toBeInstanceOf(JwtError)
                expect(['JWKS_NO_MATCHING_KEY', 'JWKS_FETCH_FAILED']).toContain((s.reason as JwtError).code)
              }
            }
            // A kid that is published and reachable resolves at the latest once a cooldown has passed.
            if (!failing && published.some((k) => k.kid === o.kid) && settled.some((s) => s.status === 'rejected')) {
              t += cooldownMs
              await expect(jwks.getKey({ alg: 'ES256', kid: o.kid })).resolves.toBeDefined()
            }
          }
        }
        const elapsed = t - NOW_MS
        expect(fetches).toBeLessThanOrEqual(1 + 2 * Math.floor(elapsed / Math.min(cooldownMs, maxAgeMs)) + 2)
      }),
      { numRuns: 150 },
    )
    // Guard against a vacuous run: both outcomes must have been exercised.
    expect(resolved).toBeGreaterThan(0)
    expect(refused).toBeGreaterThan(0)
  })
})
