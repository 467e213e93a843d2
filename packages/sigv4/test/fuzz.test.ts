/**
 * Fuzz: random and mutated Authorization headers and presigned query strings, built by mutating requests that
 * `signRequest` signed. Invariants: `verifyRequest` never throws; a refusal's reason stays under the cap (and so
 * does its JSON body); the hashing work is linear in the request's size (counted through a hook on `sha256Hex`,
 * never timed); and a request whose signature was changed never verifies.
 */
import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import { fuzzParams } from '@gatehousejs/test-kit'
import { SIGV4_LIMITS, type SignableRequest, signRequest, verifyRequest } from '../src/index'

const work = vi.hoisted(() => ({ hashedChars: 0, hashes: 0 }))
vi.mock('../src/crypto', async (importOriginal) => {
  const original = await importOriginal<typeof import('../src/crypto')>()
  return {
    ...original,
    sha256Hex: (data: string | Uint8Array) => {
      work.hashes++
      work.hashedChars += data.length
      return original.sha256Hex(data)
    },
  }
})

const KEY = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }
const T = Date.UTC(2015, 7, 30, 12, 36, 0)
const opts = { lookupSecret: (id: string) => (id === KEY.accessKeyId ? KEY.secretAccessKey : undefined), region: 'us-east-1', now: () => T }

/** What any refusal may weigh once API Gateway puts it in `{"message": …}` (UTF-8, escapes included). */
const MAX_BODY_BYTES = 3 * SIGV4_LIMITS.maxReasonLength + 16

function inputSize(r: SignableRequest): number {
  let n = r.method.length + r.path.length + (r.query?.length ?? 0) + (r.body?.length ?? 0)
  for (const [k, v] of Object.entries(r.headers)) n += k.length + (Array.isArray(v) ? v.reduce((a, x) => a + x.length + 1, 0) : v.length)
  return n
}

// Pieces an attacker splices in: SigV4 syntax, look-alikes, escapes, separators, long runs.
const piece = fc.oneof(
  fc.constantFrom(
    'host',
    ';',
    ',',
    '=',
    ' ',
    '/',
    '%',
    '%C5%A6',
    '\u0166',
    'Ŧ',
    '%2F',
    '%00',
    '\u0000',
    '\ud800',
    'AWS4-HMAC-SHA256',
    'Credential=',
    'SignedHeaders=',
    'Signature=',
    'X-Amz-Signature=',
    'X-Amz-SignedHeaders=host;host',
    '&X-Amz-Credential=',
    'aws4_request',
    'x-amz-date',
    'AKIDEXAMPLE',
    '&',
    '+',
  ),
  fc.string({ maxLength: 8 }),
  fc.string({ unit: 'binary', maxLength: 4 }),
  fc
    .tuple(fc.constantFrom('host;', 'a', '%41', ',Credential=x', 'x-amz-date;'), fc.integer({ min: 1, max: 3000 }))
    .map(([s, n]) => s.repeat(n)),
)

interface Mutation {
  at: number
  remove: number
  insert: string
}
const mutation = fc.record({ at: fc.nat(), remove: fc.nat({ max: 8 }), insert: piece })
const mutate = (s: string, ms: Mutation[]) =>
  ms.reduce((acc, m) => {
    const at = acc.length === 0 ? 0 : m.at % (acc.length + 1)
    return acc.slice(0, at) + m.insert + acc.slice(at + m.remove)
  }, s)

const baseRequest = fc.record({
  method: fc.constantFrom('GET', 'POST', 'DELETE'),
  path: fc.constantFrom('/prod/pets', '/prod/a%20b/', '/prod/%E1%88%B4', '/'),
  query: fc.constantFrom('', 'limit=2', 'a=1&a=0&b='),
  extra: fc.dictionary(fc.constantFrom('x-a', 'x-b', 'content-type', 'x-amz-meta'), fc.string({ maxLength: 12 }), { maxKeys: 3 }),
  token: fc.boolean(),
})

function signed(b: { method: string; path: string; query: string; extra: Record<string, string>; token: boolean }, presign: boolean) {
  const req: SignableRequest = { method: b.method, path: b.path, query: b.query, headers: { host: 'api.example.com', ...b.extra } }
  const creds = b.token ? { ...KEY, sessionToken: 'FwoGZXIvYXdzEXAMPLE' } : KEY
  return signRequest(req, creds, {
    region: 'us-east-1',
    service: 'execute-api',
    date: T,
    ...(presign ? { presign: true, expiresIn: 300 } : {}),
  })
}

const lookupFor = (token: boolean) =>
  token ? () => ({ secretAccessKey: KEY.secretAccessKey, sessionToken: 'FwoGZXIvYXdzEXAMPLE' }) : opts.lookupSecret

async function check(req: SignableRequest, token: boolean, originalSignature: string, providedSignature: () => string | undefined) {
  work.hashedChars = 0
  work.hashes = 0
  let r
  try {
    r = await verifyRequest(req, { ...opts, lookupSecret: lookupFor(token) })
  } catch (err) {
    throw new Error(`verifyRequest threw: ${String(err)}`)
  }
  // Linear work: the payload, the canonical request (at most twice: the session-token retry); each canonical
  // character costs at most 15 (UTF-8 bytes, percent-encoded, encoded again), plus a constant for the rest.
  expect(work.hashes).toBeLessThanOrEqual(3)
  expect(work.hashedChars).toBeLessThanOrEqual(2 * 15 * inputSize(req) + 4096)
  if (r.ok) {
    // Only the genuine signature verifies.
    expect(providedSignature()).toBe(originalSignature)
  } else {
    expect(typeof r.reason).toBe('string')
    expect(r.reason.length).toBeLessThanOrEqual(SIGV4_LIMITS.maxReasonLength)
    expect(Buffer.byteLength(JSON.stringify({ message: r.reason }))).toBeLessThanOrEqual(MAX_BODY_BYTES)
  }
  return r
}

const headerSignature = (auth: string) => /Signature=([^,]*)/.exec(auth)?.[1]?.trim()
const querySignature = (q: string) => {
  const m = /(?:^|&)X-Amz-Signature=([^&]*)/.exec(q)?.[1]
  if (m === undefined) return undefined
  try {
    return decodeURIComponent(m)
  } catch {
    return m
  }
}

describe('fuzz: verifyRequest on mutated signed requests', () => {
  it('mutated Authorization headers', async () => {
    await fc.assert(
      fc.asyncProperty(baseRequest, fc.array(mutation, { minLength: 1, maxLength: 4 }), async (b, ms) => {
        const s = signed(b, false)
        const auth = String(s.headers.authorization)
        const original = headerSignature(auth)!
        const mutated = mutate(auth, ms)
        await check({ ...s, headers: { ...s.headers, authorization: mutated } }, b.token, original, () => headerSignature(mutated))
      }),
      fuzzParams(300),
    )
  })

  it('mutated presigned query strings', async () => {
    await fc.assert(
      fc.asyncProperty(baseRequest, fc.array(mutation, { minLength: 1, maxLength: 4 }), async (b, ms) => {
        const s = signed(b, true)
        const original = querySignature(s.query)!
        const mutated = mutate(s.query, ms)
        await check({ ...s, query: mutated }, b.token, original, () => querySignature(mutated))
      }),
      fuzzParams(300),
    )
  })

  it('a changed signature never verifies (look-alikes, case, escapes, padding)', async () => {
    const change = fc.oneof(
      fc.tuple(fc.nat({ max: 63 }), fc.constantFrom('\u0166', '\u0161', '\u0130', 'F', 'A', 'g', ' ', '%66', '\u0000')).map(
        ([i, c]) =>
          (sig: string) =>
            sig.slice(0, i) + c + sig.slice(i + 1),
      ),
      fc.constant((sig: string) => sig.toUpperCase()),
      fc.constant((sig: string) => `${sig}0`),
      fc.constant((sig: string) => sig.slice(1)),
      fc.constant((sig: string) => sig.replace(/[a-f]/g, (c) => String.fromCharCode(0x100 + c.charCodeAt(0)))),
    )
    await fc.assert(
      fc.asyncProperty(baseRequest, fc.boolean(), change, async (b, presign, f) => {
        const s = signed(b, presign)
        if (presign) {
          const sig = querySignature(s.query)!
          const forged = f(sig)
          fc.pre(forged !== sig)
          const query = s.query.replace(`X-Amz-Signature=${sig}`, `X-Amz-Signature=${encodeURIComponent(forged).replace(/%25/g, '%')}`)
          const r = await verifyRequest({ ...s, query }, { ...opts, lookupSecret: lookupFor(b.token) })
          expect(r.ok).toBe(false)
        } else {
          const auth = String(s.headers.authorization)
          const sig = headerSignature(auth)!
          const forged = f(sig)
          fc.pre(forged !== sig)
          const r = await verifyRequest(
            { ...s, headers: { ...s.headers, authorization: auth.replace(sig, forged) } },
            { ...opts, lookupSecret: lookupFor(b.token) },
          )
          expect(r.ok).toBe(false)
        }
      }),
      fuzzParams(300),
    )
  })

  it('random headers and queries: refusals only, bounded', async () => {
    const text = fc.oneof(
      fc.string({ maxLength: 64 }),
      fc.string({ unit: 'binary', maxLength: 64 }),
      fc.array(piece, { maxLength: 6 }).map((a) => a.join('')),
    )
    await fc.assert(
      fc.asyncProperty(text, text, fc.option(text, { nil: undefined }), async (auth, query, date) => {
        const headers: Record<string, string> = { host: 'api.example.com', authorization: `AWS4-HMAC-SHA256 ${auth}` }
        if (date !== undefined) headers['x-amz-date'] = date
        await check({ method: 'GET', path: '/p', query, headers }, false, '\u0000never', () => undefined)
        await check(
          { method: 'GET', path: '/p', query: `X-Amz-Algorithm=AWS4-HMAC-SHA256&${query}`, headers: { host: 'h' } },
          false,
          '\u0000never',
          () => undefined,
        )
      }),
      fuzzParams(300),
    )
  })
})
