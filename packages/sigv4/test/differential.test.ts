/**
 * Differential property tests: requests generated with fast-check, signed by the AWS SDK's own signer
 * (@smithy/signature-v4) and by aws4, verify with verifyRequest; changing a signed byte, moving the clock
 * past the skew, or changing the scope makes verification fail with the right reason.
 */
import { Hash } from '@smithy/hash-node'
import { HttpRequest } from '@smithy/protocol-http'
import { SignatureV4 } from '@smithy/signature-v4'
import aws4 from 'aws4'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type SignableRequest, verifyRequest } from '../src/index'

// The SDK's own Node hash: its clients pass Hash bound to sha256.
const Sha256 = Hash.bind(null, 'sha256')

const REGION = 'us-east-1'
const SERVICE = 'execute-api'
const HOST = 'abc123.execute-api.us-east-1.amazonaws.com'
const KEY = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }
const SKEW = 5 * 60_000

/** RFC 3986 strict component encoding, as SDKs put text on the wire. */
function wire(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}

const specialChar = fc.constantFrom(
  ' ',
  '!',
  '*',
  "'",
  '(',
  ')',
  ';',
  ':',
  '@',
  '&',
  '=',
  '+',
  '$',
  ',',
  '?',
  '#',
  '[',
  ']',
  '%',
  '~',
  '-',
  '.',
  '_',
  'ሴ',
  'é',
  '😀',
  '中',
  '\u00a0',
)
const textChar = fc.oneof(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }), specialChar, fc.constantFrom('a', 'Z', '0'))
const text = (min: number, max: number) => fc.array(textChar, { minLength: min, maxLength: max }).map((a) => a.join(''))
// Segments that are not dot segments (SDKs differ on those; the suite covers them).
const segment = text(1, 6).filter((s) => s !== '.' && s !== '..')

interface Generated {
  method: string
  segments: string[]
  trailingSlash: boolean
  query: [string, string][]
  headers: Record<string, string>
  body: string | Uint8Array | undefined
  sessionToken: string | undefined
  signedAt: number
}

const headerName = fc.constantFrom('x-custom', 'content-type', 'x-amz-meta-tag', 'accept', 'x-api-key', 'user-agent', 'x-b', 'x-a')
const headerValue = fc
  .tuple(
    fc.constantFrom('', ' ', '  ', '\t'),
    fc.array(fc.stringMatching(/^[!-~]{1,8}$/), { minLength: 1, maxLength: 4 }),
    fc.constantFrom(' ', '   ', ' \t '),
    fc.constantFrom('', ' ', '  '),
  )
  .map(([lead, words, sep, trail]) => `${lead}${words.join(sep)}${trail}`)

const generated: fc.Arbitrary<Generated> = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'),
  segments: fc.array(segment, { minLength: 0, maxLength: 4 }),
  trailingSlash: fc.boolean(),
  // Few distinct keys so repeats happen; empty values included.
  query: fc.array(
    fc.tuple(fc.oneof(fc.constantFrom('', 'a', 'b', 'Param', 'ሴ', 'x y', 'k+v'), text(1, 4)), fc.oneof(fc.constant(''), text(0, 5))),
    { maxLength: 5 },
  ),
  headers: fc.dictionary(headerName, headerValue, { maxKeys: 4 }),
  body: fc.option(fc.oneof(text(0, 20), fc.uint8Array({ maxLength: 32 })), { nil: undefined }),
  sessionToken: fc.option(fc.stringMatching(/^[A-Za-z0-9+/=]{8,40}$/), { nil: undefined }),
  signedAt: fc.integer({ min: Date.UTC(2015, 0, 1), max: Date.UTC(2035, 0, 1) }).map((t) => t - (t % 1000)),
})

function wirePath(g: Generated): string {
  if (g.segments.length === 0) return '/'
  return `/${g.segments.map(wire).join('/')}${g.trailingSlash ? '/' : ''}`
}

function wireQuery(g: Generated): string {
  return g.query.map(([k, v]) => `${wire(k)}=${wire(v)}`).join('&')
}

function smithyQuery(g: Generated): Record<string, string | string[]> {
  const q: Record<string, string | string[]> = {}
  for (const [k, v] of g.query) {
    const prev = q[k]
    q[k] = prev === undefined ? v : ([] as string[]).concat(prev, v)
  }
  return q
}

const lookup = (token?: string) => (id: string) =>
  id === KEY.accessKeyId ? { secretAccessKey: KEY.secretAccessKey, ...(token ? { sessionToken: token } : {}) } : undefined

function lowerHeaders(h: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(h)) out[k.toLowerCase()] = String(v)
  return out
}

async function smithySign(g: Generated, opts: { region?: string; service?: string } = {}): Promise<SignableRequest> {
  const signer = new SignatureV4({
    credentials: { ...KEY, ...(g.sessionToken ? { sessionToken: g.sessionToken } : {}) },
    region: opts.region ?? REGION,
    service: opts.service ?? SERVICE,
    sha256: Sha256,
  })
  const request = new HttpRequest({
    method: g.method,
    protocol: 'https:',
    hostname: HOST,
    path: wirePath(g),
    query: smithyQuery(g),
    headers: { ...g.headers, host: HOST },
    ...(g.body !== undefined ? { body: g.body } : {}),
  })
  const signed = await signer.sign(request, { signingDate: new Date(g.signedAt) })
  const req: SignableRequest = { method: g.method, path: wirePath(g), query: wireQuery(g), headers: lowerHeaders(signed.headers) }
  if (g.body !== undefined) req.body = g.body
  return req
}

async function smithyPresign(g: Generated, expiresIn: number): Promise<SignableRequest> {
  const signer = new SignatureV4({
    credentials: { ...KEY, ...(g.sessionToken ? { sessionToken: g.sessionToken } : {}) },
    region: REGION,
    service: SERVICE,
    sha256: Sha256,
  })
  const request = new HttpRequest({
    method: g.method,
    protocol: 'https:',
    hostname: HOST,
    path: wirePath(g),
    query: smithyQuery(g),
    headers: { ...g.headers, host: HOST },
  })
  const signed = await signer.presign(request, { signingDate: new Date(g.signedAt), expiresIn })
  // Serialise the presigned query the way an SDK puts it on the wire.
  const query = Object.entries(signed.query ?? {})
    .flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => `${wire(k)}=${wire(String(x))}`))
    .join('&')
  return { method: g.method, path: wirePath(g), query, headers: lowerHeaders(signed.headers) }
}

const verifyAt = (req: SignableRequest, now: number, token?: string, extra: Record<string, unknown> = {}) =>
  verifyRequest(req, { lookupSecret: lookup(token), region: REGION, service: SERVICE, now: () => now, ...extra })

/** A change to the request that certainly changes the canonical request (or the body it hashes). */
type Mutation = (r: SignableRequest) => SignableRequest
const mutations: [string, Mutation][] = [
  ['method', (r) => ({ ...r, method: r.method === 'GET' ? 'POST' : 'GET' })],
  ['path', (r) => ({ ...r, path: `${r.path.replace(/\/$/, '')}/x` })],
  ['query', (r) => ({ ...r, query: r.query ? `${r.query}&zz=1` : 'zz=1' })],
  ['host header', (r) => ({ ...r, headers: { ...r.headers, host: `evil.${HOST}` } })],
  [
    'x-amz-date header',
    (r) => ({
      ...r,
      headers: {
        ...r.headers,
        'x-amz-date': `${String(r.headers['x-amz-date'])
          .replace(/Z$/, '')
          .replace(/(\d)$/, (d) => String((Number(d) + 1) % 10))}Z`,
      },
    }),
  ],
  // One more byte, whatever the body is: a bytes body of "!" must not become the same "!" as text.
  [
    'body',
    (r) => ({
      ...r,
      body: r.body instanceof Uint8Array ? Uint8Array.from([...r.body, 33]) : `${typeof r.body === 'string' ? r.body : ''}!`,
    }),
  ],
  [
    'signature',
    (r) => ({
      ...r,
      headers: {
        ...r.headers,
        authorization: String(r.headers.authorization).replace(
          /Signature=([0-9a-f])/,
          (_, c: string) => `Signature=${c === '0' ? '1' : '0'}`,
        ),
      },
    }),
  ],
]

describe('differential: signed by @smithy/signature-v4, verified by verifyRequest', () => {
  it('verifies every generated request within the skew', async () => {
    await fc.assert(
      fc.asyncProperty(generated, fc.integer({ min: -SKEW, max: SKEW }), async (g, offset) => {
        const req = await smithySign(g)
        const r = await verifyAt(req, g.signedAt + offset, g.sessionToken)
        expect(r).toMatchObject({ ok: true, accessKeyId: KEY.accessKeyId })
      }),
      { numRuns: 200 },
    )
  })

  it('refuses a request with any signed part changed: SIGNATURE_DOES_NOT_MATCH', async () => {
    await fc.assert(
      fc.asyncProperty(generated, fc.constantFrom(...mutations), async (g, [, mutate]) => {
        const req = mutate(await smithySign(g))
        const r = await verifyAt(req, g.signedAt, g.sessionToken)
        expect(r.ok).toBe(false)
        if (!r.ok) {
          expect(r.code).toBe('SIGNATURE_DOES_NOT_MATCH')
          expect(r.reason).toMatch(
            /^The (request signature we calculated does not match the signature you provided\. Check your AWS Secret Access Key and signing method\.|provided 'x-amz-content-sha256' header does not match)/,
          )
        }
      }),
      { numRuns: 150 },
    )
  })

  it('refuses outside the skew: Signature expired / not yet current', async () => {
    await fc.assert(
      fc.asyncProperty(generated, fc.integer({ min: 1, max: 10 * 86_400_000 }), fc.boolean(), async (g, beyond, late) => {
        const req = await smithySign(g)
        const now = late ? g.signedAt + SKEW + beyond : g.signedAt - SKEW - beyond
        const r = await verifyAt(req, now, g.sessionToken)
        expect(r.ok).toBe(false)
        if (!r.ok) {
          expect(r.code).toBe(late ? 'SIGNATURE_EXPIRED' : 'SIGNATURE_NOT_YET_CURRENT')
          expect(r.reason).toMatch(
            late
              ? /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/
              : /^Signature not yet current: \d{8}T\d{6}Z is still later than \d{8}T\d{6}Z \(\d{8}T\d{6}Z \+ 5 min\.\)$/,
          )
        }
      }),
      { numRuns: 60 },
    )
  })

  it('refuses a wrong scope: region, service', async () => {
    await fc.assert(
      fc.asyncProperty(generated, fc.constantFrom('region', 'service'), async (g, which) => {
        const req = which === 'region' ? await smithySign(g, { region: 'eu-west-1' }) : await smithySign(g, { service: 'lambda' })
        const r = await verifyAt(req, g.signedAt, g.sessionToken)
        expect(r).toEqual({
          ok: false,
          code: 'INVALID_SIGNATURE',
          reason:
            which === 'region'
              ? "Credential should be scoped to a valid region, not 'eu-west-1'. "
              : "Credential should be scoped to correct service: 'execute-api'. ",
        })
      }),
      { numRuns: 40 },
    )
  })

  it('refuses a missing or wrong session token, and an unknown key', async () => {
    await fc.assert(
      fc.asyncProperty(generated, fc.constantFrom('drop', 'other', 'unknown'), async (g, what) => {
        const token = g.sessionToken ?? 'TOKENTOKEN'
        const req = await smithySign({ ...g, sessionToken: token })
        let r
        if (what === 'drop') {
          const headers = { ...req.headers }
          delete headers['x-amz-security-token']
          r = await verifyAt({ ...req, headers }, g.signedAt, token)
        } else if (what === 'other') {
          r = await verifyAt(req, g.signedAt, `${token}x`)
        } else {
          r = await verifyRequest(req, { lookupSecret: () => undefined, region: REGION, now: () => g.signedAt })
        }
        expect(r).toEqual({ ok: false, code: 'UNRECOGNIZED_CLIENT', reason: 'The security token included in the request is invalid.' })
      }),
      { numRuns: 40 },
    )
  })
})

describe('differential: presigned by @smithy/signature-v4', () => {
  it('verifies until the URL expires, then refuses with Signature expired', async () => {
    await fc.assert(
      fc.asyncProperty(
        generated,
        fc.integer({ min: 1, max: 604_800 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        async (g, expiresIn, at) => {
          const req = await smithyPresign(g, expiresIn)
          const within = g.signedAt + Math.floor(at * expiresIn * 1000)
          expect(await verifyAt(req, within, g.sessionToken)).toMatchObject({ ok: true, presigned: true })
          const after = await verifyAt(req, g.signedAt + expiresIn * 1000 + 1, g.sessionToken)
          expect(after).toMatchObject({ ok: false, code: 'SIGNATURE_EXPIRED' })
        },
      ),
      { numRuns: 100 },
    )
  })

  it('refuses a presigned URL whose query was changed', async () => {
    await fc.assert(
      fc.asyncProperty(generated, async (g) => {
        const req = await smithyPresign(g, 3600)
        const r = await verifyAt({ ...req, query: `${req.query}&extra=1` }, g.signedAt, g.sessionToken)
        expect(r).toMatchObject({ ok: false, code: 'SIGNATURE_DOES_NOT_MATCH' })
      }),
      { numRuns: 50 },
    )
  })
})

describe('differential: signed by aws4', () => {
  // aws4 drops empty query keys from the canonical query and decodes `+` as a space; keep to what it signs.
  const forAws4 = generated.map((g) => ({ ...g, query: g.query.filter(([k]) => k !== '') }))

  it('verifies every generated request', async () => {
    await fc.assert(
      fc.asyncProperty(forAws4, async (g) => {
        const q = wireQuery(g)
        const opts = aws4.sign(
          {
            host: HOST,
            method: g.method,
            path: q ? `${wirePath(g)}?${q}` : wirePath(g),
            headers: { ...g.headers, 'X-Amz-Date': new Date(g.signedAt).toISOString().replace(/[:-]|\.\d{3}/g, '') },
            ...(typeof g.body === 'string' ? { body: g.body } : {}),
            service: SERVICE,
            region: REGION,
          },
          { ...KEY, ...(g.sessionToken ? { sessionToken: g.sessionToken } : {}) },
        )
        const headers = lowerHeaders(opts.headers as Record<string, unknown>)
        const req: SignableRequest = { method: g.method, path: wirePath(g), query: q, headers: { ...headers, host: HOST } }
        if (typeof g.body === 'string') req.body = g.body
        const r = await verifyAt(req, g.signedAt, g.sessionToken)
        expect(r).toMatchObject({ ok: true })
      }),
      { numRuns: 200 },
    )
  })
})
