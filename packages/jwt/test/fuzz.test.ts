/**
 * Fuzz: random and mutated tokens — header and payload JSON with hostile member names (`__proto__`,
 * `constructor`, …), huge numbers, deep nesting, bad base64url — through decodeJwt, verifyJwt(Sync) and the HTTP
 * API authorizer. Invariants: only `JwtError` (decode) or typed results (verify), never another exception; a
 * mutated token never verifies; decoding work is bounded by the token-length cap (counted through a hook on
 * the base64url decoder, never timed); `Object.prototype` is never touched.
 */
import { createHmac } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import { fuzzParams } from '@gatehousejs/test-kit'
import { createHttpApiJwtAuthorizer, decodeJwt, JWT_LIMITS, JwtError, type JwtErrorCode, verifyJwt, verifyJwtSync } from '../src/index'

const work = vi.hoisted(() => ({ decodedChars: 0 }))
vi.mock('../src/base64url', async (importOriginal) => {
  const original = await importOriginal<typeof import('../src/base64url')>()
  return {
    ...original,
    decodeBase64url: (part: string, what: string) => {
      work.decodedChars += part.length
      return original.decodeBase64url(part, what)
    },
  }
})

const NOW_MS = 1_800_000_000_000
const SECRET = 'fuzz-secret-fuzz-secret-fuzz-secret!'
const ISSUER = 'https://issuer.fuzz'
const CODES: ReadonlySet<JwtErrorCode> = new Set<JwtErrorCode>([
  'JWT_MALFORMED',
  'JWT_CRIT_UNSUPPORTED',
  'JWT_ALGORITHM_NOT_ALLOWED',
  'JWT_KEY_MISMATCH',
  'JWT_SIGNATURE_INVALID',
  'JWT_CLAIM_INVALID',
  'JWT_CLAIM_MISSING',
  'JWT_EXPIRED',
  'JWT_NOT_YET_VALID',
  'JWT_IAT_INVALID',
  'JWT_ISSUER_INVALID',
  'JWT_AUDIENCE_INVALID',
  'JWT_SUBJECT_INVALID',
  'JWT_INSUFFICIENT_SCOPE',
  'JWKS_NO_MATCHING_KEY',
  'JWKS_FETCH_FAILED',
])
const b64 = (text: string) => Buffer.from(text).toString('base64url')
const mac = (input: string) => createHmac('sha256', SECRET).update(input).digest('base64url')
const octJwk = { kty: 'oct', k: Buffer.from(SECRET).toString('base64url'), kid: 'k1', alg: 'HS256' }
const authorizer = createHttpApiJwtAuthorizer({ issuer: ISSUER, jwks: [octJwk], algorithms: ['HS256'], now: () => NOW_MS })
const prototypeNames = Object.getOwnPropertyNames(Object.prototype)

// Member names an attacker picks, hostile values, nesting.
const hostileName = fc.oneof(
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'hasOwnProperty',
    'valueOf',
    'iss',
    'aud',
    'exp',
    'nbf',
    'iat',
    'sub',
    'scope',
    'scp',
    'client_id',
    'alg',
    'kid',
    'crit',
    'typ',
  ),
  fc.string({ maxLength: 6 }),
)
const hugeNumber = fc.constantFrom(
  '1e400',
  '-1e400',
  '1e308',
  '9007199254740993',
  '-0',
  '0.0000000000000000001',
  '123456789012345678901234567890',
)
const leaf = fc.oneof(
  hugeNumber,
  fc.jsonValue({ maxDepth: 1 }).map((v) => JSON.stringify(v)),
  fc.constantFrom('"https://issuer.fuzz"', '"k1"', '"HS256"', '[]', '{}', 'null'),
)
const deep = fc
  .tuple(fc.oneof(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 5_000, max: 15_000 })), fc.constantFrom('[', '{"a":'))
  .map(([n, open]) => `${open.repeat(n)}1${(open === '[' ? ']' : '}').repeat(n)}`)
const value = fc.oneof(leaf, deep)
/** JSON object text, written by hand so `__proto__` and duplicate names reach the parser as they would on the wire. */
const objectText = fc
  .array(fc.tuple(hostileName, value), { maxLength: 8 })
  .map((members) => `{${members.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`)
const headerText = fc.oneof(
  objectText.map((o) => o.replace(/^\{/, `{"alg":"HS256","kid":"k1"${o === '{}' ? '' : ','}`)),
  objectText,
  fc.constantFrom(
    '{"alg":"HS256","kid":"k1"}',
    '{"alg":"none"}',
    '{"alg":"HS256","crit":["b64"],"b64":false}',
    '{"alg":"RS256","kid":"k1"}',
  ),
)
const payloadText = fc.oneof(
  objectText.map((o) => o.replace(/^\{/, `{"iss":"${ISSUER}","exp":${NOW_MS / 1000 + 60}${o === '{}' ? '' : ','}`)),
  objectText,
  fc.constantFrom('[]', '1', '"s"', 'null', '{', ''),
)

/** A token MAC'd with the secret, over possibly hostile JSON. */
const signedToken = fc.tuple(headerText, payloadText).map(([h, p]) => {
  const input = `${b64(h)}.${b64(p)}`
  return `${input}.${mac(input)}`
})

const base64urlChar = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.split(''))
const mutation = fc.record({
  at: fc.nat(),
  // Counted from the end half of the time: the last characters of a part carry unused bits.
  fromEnd: fc.boolean(),
  remove: fc.nat({ max: 4 }),
  insert: fc.oneof(fc.constantFrom('', '.', '=', '+', '/', ' ', '%', '\u0000', 'é', '\ud800'), base64urlChar, fc.string({ maxLength: 4 })),
})

function mutate(token: string, ms: { at: number; fromEnd: boolean; remove: number; insert: string }[]): string {
  return ms.reduce((acc, m) => {
    const at = m.fromEnd ? Math.max(0, acc.length - 1 - (m.at % 4)) : m.at % (acc.length + 1)
    return acc.slice(0, at) + m.insert + acc.slice(at + m.remove)
  }, token)
}

async function outcomes(token: string) {
  const options = { key: { hmacSecret: SECRET }, algorithms: ['HS256' as const], issuer: ISSUER, now: () => NOW_MS }
  const results = [verifyJwtSync(token, options), await verifyJwt(token, options)]
  for (const r of results) if (!r.ok) expect(CODES.has(r.code), r.code).toBe(true)
  const a = await authorizer.authorize(token)
  if (!a.ok) expect([401, 403]).toContain(a.statusCode)
  else for (const v of Object.values(a.claims)) expect(typeof v).toBe('string')
  return { sync: results[0]!.ok, async: results[1]!.ok, authorizer: a.ok }
}

function noPollution() {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual([...prototypeNames].sort())
  expect(({} as Record<string, unknown>).iss).toBeUndefined()
}

describe('fuzz: tokens', () => {
  it('decodeJwt throws only JwtError; decoding work stays within the token-length cap', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          signedToken,
          signedToken.chain((t) => fc.array(mutation, { minLength: 1, maxLength: 4 }).map((ms) => mutate(t, ms))),
          fc.string(),
        ),
        (token) => {
          work.decodedChars = 0
          try {
            decodeJwt(token)
          } catch (err) {
            expect(err).toBeInstanceOf(JwtError)
            expect(CODES.has((err as JwtError).code)).toBe(true)
          }
          expect(work.decodedChars).toBeLessThanOrEqual(Math.min(token.length, JWT_LIMITS.maxTokenLength))
          noPollution()
        },
      ),
      fuzzParams(500),
    )
  })

  it('hostile but correctly MAC’d JSON: typed results from every entry point, never an exception', async () => {
    await fc.assert(
      fc.asyncProperty(signedToken, async (token) => {
        const r = await outcomes(token)
        // The three entry points agree (the authorizer also checks the issuer, as the others do here).
        expect(r.sync).toBe(r.async)
        noPollution()
      }),
      fuzzParams(300),
    )
  })

  it('a mutated token never verifies', async () => {
    const valid = fc
      .tuple(objectText, fc.constantFrom('{"alg":"HS256","kid":"k1"}', '{"kid":"k1","alg":"HS256","typ":"JWT"}'))
      .map(([p, h]) => {
        const payload = p.replace(/^\{/, `{"iss":"${ISSUER}","exp":${NOW_MS / 1000 + 60}${p === '{}' ? '' : ','}`)
        const input = `${b64(h)}.${b64(payload)}`
        return `${input}.${mac(input)}`
      })
    await fc.assert(
      fc.asyncProperty(valid, fc.array(mutation, { minLength: 1, maxLength: 3 }), async (token, ms) => {
        const mutated = mutate(token, ms)
        fc.pre(mutated !== token)
        const r = await outcomes(mutated)
        expect(r).toEqual({ sync: false, async: false, authorizer: false })
        noPollution()
      }),
      fuzzParams(500),
    )
  })

  it('every other last character of a part (non-canonical base64url included) is refused', async () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 5 }), async (sub) => {
        const input = `${b64('{"alg":"HS256","kid":"k1"}')}.${b64(JSON.stringify({ iss: ISSUER, exp: NOW_MS / 1000 + 60, sub }))}`
        const token = `${input}.${mac(input)}`
        expect((await outcomes(token)).sync).toBe(true)
        const parts = token.split('.')
        for (let p = 0; p < 3; p++) {
          const part = parts[p]!
          for (const c of alphabet) {
            if (c === part[part.length - 1]) continue
            const changed = parts.map((x, i) => (i === p ? x.slice(0, -1) + c : x)).join('.')
            expect(verifyJwtSync(changed, { key: { hmacSecret: SECRET }, algorithms: ['HS256'], now: () => NOW_MS }).ok).toBe(false)
          }
        }
      }),
      fuzzParams(20),
    )
  })

  it('over-long tokens are refused before any decoding', () => {
    work.decodedChars = 0
    const long = `${'a'.repeat(JWT_LIMITS.maxTokenLength)}.b.c`
    expect(verifyJwtSync(long, { key: { hmacSecret: SECRET } })).toMatchObject({ ok: false, code: 'JWT_MALFORMED' })
    expect(work.decodedChars).toBe(0)
  })
})
