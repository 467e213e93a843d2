/**
 * verifyRequest's refusals, one by one, with AWS's wording; and robustness against arbitrary input.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { SigV4Error, type SignableRequest, signRequest, verifyRequest, verifyRequestSync } from '../src/index'

const KEY = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }
const T = Date.UTC(2015, 7, 30, 12, 36, 0)
const base: SignableRequest = { method: 'GET', path: '/prod/pets', query: 'limit=2', headers: { host: 'api.example.com' } }
const opts = { lookupSecret: (id: string) => (id === KEY.accessKeyId ? KEY.secretAccessKey : undefined), region: 'us-east-1', now: () => T }
const sign = (r: SignableRequest = base, extra: Record<string, unknown> = {}) =>
  signRequest(r, KEY, { region: 'us-east-1', service: 'execute-api', date: T, ...extra })

describe('verifyRequest refusals', () => {
  it('accepts a request it signed, sync and async', async () => {
    const signed = sign()
    expect(await verifyRequest(signed, opts)).toEqual({
      ok: true,
      accessKeyId: 'AKIDEXAMPLE',
      region: 'us-east-1',
      service: 'execute-api',
      signedAt: T,
      presigned: false,
    })
    expect(verifyRequestSync(signed, opts)).toMatchObject({ ok: true })
  })

  it('no authentication at all: Missing Authentication Token', async () => {
    expect(await verifyRequest(base, opts)).toEqual({
      ok: false,
      code: 'MISSING_AUTHENTICATION_TOKEN',
      reason: 'Missing Authentication Token',
    })
  })

  it('a bearer token: AWS says which pair lacks an equal sign', async () => {
    const r = await verifyRequest({ ...base, headers: { ...base.headers, authorization: 'Bearer sometoken' } }, opts)
    expect(r).toEqual({
      ok: false,
      code: 'INCOMPLETE_SIGNATURE',
      reason: "'sometoken' not a valid key=value pair (missing equal-sign) in Authorization header: 'Bearer sometoken'.",
    })
  })

  it('basic auth or a bare JWT: AWS lists every missing part', async () => {
    const r = await verifyRequest({ ...base, headers: { ...base.headers, authorization: 'Basic Zm9vYmFyOg==' } }, opts)
    expect(r).toEqual({
      ok: false,
      code: 'INCOMPLETE_SIGNATURE',
      reason:
        "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=Basic Zm9vYmFyOg==",
    })
  })

  it('missing date', async () => {
    const signed = sign()
    const headers = { ...signed.headers }
    delete headers['x-amz-date']
    const r = await verifyRequest({ ...signed, headers }, opts)
    expect(r.ok === false && r.reason).toMatch(
      /^Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header\. Authorization=AWS4-HMAC-SHA256 /,
    )
  })

  it('a Date header instead of X-Amz-Date', async () => {
    const signed = sign()
    const headers: Record<string, string | string[]> = { ...signed.headers, date: new Date(T).toUTCString() }
    delete headers['x-amz-date']
    headers.authorization = String(headers.authorization).replace('SignedHeaders=host;x-amz-date', 'SignedHeaders=date;host')
    // Re-sign with the Date header signed to get the right signature.
    const resigned = signRequest({ ...base, headers: { host: 'api.example.com', date: new Date(T).toUTCString() } }, KEY, {
      region: 'us-east-1',
      service: 'execute-api',
      date: T,
    })
    const h2 = { ...resigned.headers }
    delete h2['x-amz-date']
    // The x-amz-date header was signed; without it the signature cannot match.
    expect((await verifyRequest({ ...resigned, headers: h2 }, opts)).ok).toBe(false)
    expect(await verifyRequest(resigned, opts)).toMatchObject({ ok: true })
  })

  it('malformed credential', async () => {
    const signed = sign()
    const auth = String(signed.headers.authorization).replace(/Credential=[^,]+/, 'Credential=AKIDEXAMPLE/20150830/us-east-1')
    const r = await verifyRequest({ ...signed, headers: { ...signed.headers, authorization: auth } }, opts)
    expect(r).toEqual({
      ok: false,
      code: 'INCOMPLETE_SIGNATURE',
      reason:
        "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'AKIDEXAMPLE/20150830/us-east-1'",
    })
  })

  it('scope date differs from X-Amz-Date', async () => {
    const signed = sign()
    const auth = String(signed.headers.authorization).replace('/20150830/', '/20150831/')
    const r = await verifyRequest({ ...signed, headers: { ...signed.headers, authorization: auth } }, opts)
    expect(r).toEqual({
      ok: false,
      code: 'INVALID_SIGNATURE',
      reason:
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20150831' != '20150830', from 'X-Amz-Date'.",
    })
  })

  it('bad terminator, bad date format', async () => {
    const signed = sign()
    const auth = String(signed.headers.authorization).replace('aws4_request', 'aws5_request')
    expect(await verifyRequest({ ...signed, headers: { ...signed.headers, authorization: auth } }, opts)).toMatchObject({
      reason: "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'. ",
    })
    expect(await verifyRequest({ ...signed, headers: { ...signed.headers, 'x-amz-date': '2015-08-30' } }, opts)).toMatchObject({
      code: 'INCOMPLETE_SIGNATURE',
      reason: "Date must be in ISO-8601 'basic format'. Got '2015-08-30'. See http://en.wikipedia.org/wiki/ISO_8601",
    })
  })

  it('host must be signed', async () => {
    const signed = sign()
    const auth = String(signed.headers.authorization).replace('SignedHeaders=host;', 'SignedHeaders=')
    const r = await verifyRequest({ ...signed, headers: { ...signed.headers, authorization: auth } }, opts)
    expect(r).toEqual({
      ok: false,
      code: 'INVALID_SIGNATURE',
      reason: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
    })
  })

  it('signature mismatch shows the canonical string and string to sign, as AWS does', async () => {
    const signed = sign()
    const r = await verifyRequest({ ...signed, path: '/prod/pets/1' }, opts)
    expect(r.ok).toBe(false)
    if (!r.ok) {
      expect(r.code).toBe('SIGNATURE_DOES_NOT_MATCH')
      expect(r.reason).toBe(
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.\n\n' +
          "The Canonical String for this request should have been\n'GET\n/prod/pets/1\nlimit=2\nhost:api.example.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'\n\n" +
          `The String-to-Sign should have been\n'AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/execute-api/aws4_request\n${r.reason.split('\n').at(-2)!.replace(/'$/, '')}'\n`,
      )
    }
  })

  it('skew: configurable; messages name the window', async () => {
    const signed = sign()
    const late = await verifyRequest(signed, { ...opts, now: () => T + 5 * 60_000 + 1000 })
    expect(late).toEqual({
      ok: false,
      code: 'SIGNATURE_EXPIRED',
      reason: 'Signature expired: 20150830T123600Z is now earlier than 20150830T123601Z (20150830T124101Z - 5 min.)',
    })
    const early = await verifyRequest(signed, { ...opts, now: () => T - 16 * 60_000 })
    expect(early).toEqual({
      ok: false,
      code: 'SIGNATURE_NOT_YET_CURRENT',
      reason: 'Signature not yet current: 20150830T123600Z is still later than 20150830T122500Z (20150830T122000Z + 5 min.)',
    })
    expect(await verifyRequest(signed, { ...opts, now: () => T + 14 * 60_000, maxSkewMs: 15 * 60_000 })).toMatchObject({ ok: true })
    expect(await verifyRequest(signed, { ...opts, now: () => T + 5 * 60_000 })).toMatchObject({ ok: true })
  })

  it('session tokens: required when the credentials carry one, refused when they do not; expiry', async () => {
    const temp = { ...KEY, sessionToken: 'FwoGZXIvYXdzEXAMPLE' }
    const signed = signRequest(base, temp, { region: 'us-east-1', service: 'execute-api', date: T })
    const lookup = (expiration?: number) => () => ({
      secretAccessKey: KEY.secretAccessKey,
      sessionToken: temp.sessionToken,
      ...(expiration ? { expiration } : {}),
    })
    expect(await verifyRequest(signed, { ...opts, lookupSecret: lookup() })).toMatchObject({ ok: true, sessionToken: temp.sessionToken })
    expect(await verifyRequest(signed, opts)).toEqual({
      ok: false,
      code: 'UNRECOGNIZED_CLIENT',
      reason: 'The security token included in the request is invalid.',
    })
    expect(await verifyRequest(signed, { ...opts, lookupSecret: lookup(T) })).toEqual({
      ok: false,
      code: 'EXPIRED_TOKEN',
      reason: 'The security token included in the request is expired',
    })
  })

  it('x-amz-content-sha256: UNSIGNED-PAYLOAD leaves the body unsigned; a hash must match the body', async () => {
    const post = { ...base, method: 'POST', body: '{"a":1}' }
    const unsigned = sign(post, { unsignedPayload: true })
    expect(unsigned.headers['x-amz-content-sha256']).toBe('UNSIGNED-PAYLOAD')
    expect(await verifyRequest({ ...unsigned, body: 'anything' }, opts)).toMatchObject({ ok: true })
    const hashed = sign(post, { signBody: true })
    expect(await verifyRequest(hashed, opts)).toMatchObject({ ok: true })
    expect(await verifyRequest({ ...hashed, body: '{"a":2}' }, opts)).toEqual({
      ok: false,
      code: 'SIGNATURE_DOES_NOT_MATCH',
      reason: "The provided 'x-amz-content-sha256' header does not match what was computed.",
    })
    const plain = sign(post)
    expect(await verifyRequest({ ...plain, body: new TextEncoder().encode('{"a":1}') }, opts)).toMatchObject({ ok: true })
    expect((await verifyRequest({ ...plain, body: '{"a":2}' }, opts)).ok).toBe(false)
  })

  it('presigned: missing parameters, expiry bounds', async () => {
    expect(await verifyRequest({ ...base, query: 'X-Amz-Algorithm=AWS4-HMAC-SHA256' }, opts)).toEqual({
      ok: false,
      code: 'INCOMPLETE_SIGNATURE',
      reason:
        "AWS query-string parameters must include 'X-Amz-Credential'. AWS query-string parameters must include 'X-Amz-Signature'. AWS query-string parameters must include 'X-Amz-SignedHeaders'. AWS query-string parameters must include 'X-Amz-Date'. Re-examine the query-string parameters.",
    })
    const p = sign(base, { presign: true, expiresIn: 60 })
    expect(await verifyRequest(p, { ...opts, now: () => T + 60_000 })).toMatchObject({ ok: true, presigned: true })
    expect(await verifyRequest(p, { ...opts, now: () => T + 61_000 })).toEqual({
      ok: false,
      code: 'SIGNATURE_EXPIRED',
      reason: 'Signature expired: 20150830T123600Z is now earlier than 20150830T123601Z (20150830T123701Z - 1 min.)',
    })
    const week = { ...p, query: String(p.query).replace('X-Amz-Expires=60', 'X-Amz-Expires=604801') }
    expect(await verifyRequest(week, opts)).toEqual({
      ok: false,
      code: 'INVALID_SIGNATURE',
      reason: 'X-Amz-Expires must be less than a week (in seconds) that is 604800',
    })
    const nan = { ...p, query: String(p.query).replace('X-Amz-Expires=60', 'X-Amz-Expires=soon') }
    expect(await verifyRequest(nan, opts)).toMatchObject({ reason: 'X-Amz-Expires should be a number' })
  })

  it('verifyRequestSync refuses an async lookup with a typed error', () => {
    expect(() => verifyRequestSync(sign(), { ...opts, lookupSecret: async () => KEY.secretAccessKey })).toThrow(SigV4Error)
  })
})

describe('signRequest configuration errors are typed', () => {
  it.each([
    ['MISSING_HOST', () => signRequest({ method: 'GET', path: '/', headers: {} }, KEY, { region: 'r', service: 's' })],
    ['INVALID_CREDENTIALS', () => signRequest(base, { accessKeyId: '', secretAccessKey: 'x' }, { region: 'r', service: 's' })],
    ['INVALID_OPTIONS', () => signRequest(base, KEY, { region: '', service: 's' })],
    ['INVALID_OPTIONS', () => signRequest(base, KEY, { region: 'r', service: 's', presign: true, expiresIn: 604_801 })],
    ['INVALID_OPTIONS', () => signRequest(base, KEY, { region: 'r', service: 's', signedHeaders: ['x-missing'] })],
  ])('%s', (code, fn) => {
    try {
      fn()
      expect.unreachable()
    } catch (err) {
      expect(err).toBeInstanceOf(SigV4Error)
      expect((err as SigV4Error).code).toBe(code)
    }
  })
})

describe('robustness', () => {
  const anyHeaders = fc.dictionary(
    fc.constantFrom('authorization', 'host', 'x-amz-date', 'date', 'x-amz-security-token', 'x-amz-content-sha256', 'X-Mixed'),
    fc.oneof(
      fc.string(),
      fc.array(fc.string(), { maxLength: 3 }),
      fc.constantFrom(
        'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=00',
        '20150830T123600Z',
      ),
    ),
  )
  const anyQuery = fc.oneof(
    fc.string(),
    fc
      .array(
        fc.tuple(
          fc.constantFrom(
            'X-Amz-Algorithm',
            'X-Amz-Credential',
            'X-Amz-Signature',
            'X-Amz-Date',
            'X-Amz-Expires',
            'X-Amz-SignedHeaders',
            'a',
            '%',
          ),
          fc.string(),
        ),
      )
      .map((ps) => ps.map(([k, v]) => `${k}=${v}`).join('&')),
  )

  it('never throws on arbitrary requests; refusals are values', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string(),
        fc.string(),
        anyQuery,
        anyHeaders,
        fc.option(fc.string(), { nil: undefined }),
        async (method, path, query, headers, body) => {
          const req: SignableRequest = { method, path, query, headers }
          if (body !== undefined) req.body = body
          const r = await verifyRequest(req, opts)
          expect(r.ok).toBe(false)
          if (!r.ok) expect(typeof r.reason).toBe('string')
        },
      ),
      { numRuns: 300 },
    )
  })

  it('signing then verifying round-trips for arbitrary paths and queries (incl. malformed escapes)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), fc.boolean(), async (path, query, presign) => {
        const signed = sign({ method: 'GET', path: `/${path}`, query, headers: { host: 'h' } }, { presign })
        expect(await verifyRequest(signed, opts)).toMatchObject({ ok: true })
      }),
      { numRuns: 150 },
    )
  })

  it('repeated headers and odd spacing round-trip', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.stringMatching(/^[ \t]*[!-~]*( +[!-~]+)*[ \t]*$/), { minLength: 1, maxLength: 4 }), async (values) => {
        const signed = sign({ ...base, headers: { ...base.headers, 'x-multi': values } })
        expect(await verifyRequest(signed, opts)).toMatchObject({ ok: true })
        const collapsed = values.map((v) => v.replace(/[ \t]+/g, ' ').trim())
        expect(await verifyRequest({ ...signed, headers: { ...signed.headers, 'x-multi': collapsed.join(',') } }, opts)).toMatchObject({
          ok: true,
        })
      }),
      { numRuns: 100 },
    )
  })
})
