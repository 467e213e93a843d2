/**
 * AWS's SigV4 signing test suite (aws-c-auth v4, 38 cases): for header and presigned signing, our canonical
 * request, string to sign, signature and signed request equal the suite's files, and verifyRequest accepts
 * the suite's own signed requests at the suite's time.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { signRequestDetailed, verifyRequest } from '../src/index'
import { loadSuite, parseRawRequest, SUITE_DIR, suiteAvailable, type SuiteCase } from './suite'

/** Cases we do not run, with the reason. Empty: every case passes. */
export const SKIPPED: Record<string, string> = {}

const available = suiteAvailable()

if (!available) {
  // Outside CI the suite shows as skipped, with its reason; under CI a missing suite fails.
  describe.skipIf(!process.env.CI)(`AWS SigV4 test suite (missing at ${SUITE_DIR}; set CI to make this a failure)`, () => {
    it('is present', () => {
      throw new Error(`AWS SigV4 test suite missing at ${SUITE_DIR}`)
    })
  })
} else {
  const cases = loadSuite()
  let passed = 0
  afterAll(() => {
    console.log(`sigv4 conformance: ${passed} checks passed over ${cases.length} cases, ${Object.keys(SKIPPED).length} skipped`)
  })

  const optionsOf = (c: SuiteCase) => ({
    region: c.context.region,
    service: c.context.service,
    date: Date.parse(c.context.timestamp),
    normalizePath: c.context.normalize,
    doubleUriEncode: true,
    signSessionToken: !c.context.omit_session_token,
  })
  const credentialsOf = (c: SuiteCase) => ({
    accessKeyId: c.context.credentials.access_key_id,
    secretAccessKey: c.context.credentials.secret_access_key,
    ...(c.context.credentials.token ? { sessionToken: c.context.credentials.token } : {}),
  })
  const verifyOptionsOf = (c: SuiteCase) => ({
    lookupSecret: (id: string) =>
      id === c.context.credentials.access_key_id
        ? {
            secretAccessKey: c.context.credentials.secret_access_key,
            ...(c.context.credentials.token ? { sessionToken: c.context.credentials.token } : {}),
          }
        : undefined,
    region: c.context.region,
    service: c.context.service,
    normalizePath: c.context.normalize,
    doubleUriEncode: true,
    now: () => Date.parse(c.context.timestamp),
  })

  describe('AWS SigV4 test suite (aws-c-auth v4)', () => {
    for (const c of cases) {
      const run = SKIPPED[c.name] ? it.skip : it
      run(`${c.name}: header signing`, () => {
        const r = signRequestDetailed(c.request, credentialsOf(c), { ...optionsOf(c), signBody: c.context.sign_body })
        expect(r.canonicalRequest).toBe(c.file('header-canonical-request.txt'))
        expect(r.stringToSign).toBe(c.file('header-string-to-sign.txt'))
        expect(r.signature).toBe(c.file('header-signature.txt').trim())
        const expected = parseRawRequest(c.file('header-signed-request.txt'))
        expect(r.request.headers.authorization).toBe(expected.headers.authorization)
        expect(r.request.headers['x-amz-date']).toBe(expected.headers['x-amz-date'])
        passed++
      })
      run(`${c.name}: presigned signing`, () => {
        const r = signRequestDetailed(c.request, credentialsOf(c), {
          ...optionsOf(c),
          presign: true,
          expiresIn: c.context.expiration_in_seconds,
        })
        expect(r.canonicalRequest).toBe(c.file('query-canonical-request.txt'))
        expect(r.stringToSign).toBe(c.file('query-string-to-sign.txt'))
        expect(r.signature).toBe(c.file('query-signature.txt').trim())
        expect(r.request.query).toBe(parseRawRequest(c.file('query-signed-request.txt')).query)
        passed++
      })
      run(`${c.name}: verifyRequest accepts the suite's header-signed request`, async () => {
        const result = await verifyRequest(parseRawRequest(c.file('header-signed-request.txt')), verifyOptionsOf(c))
        expect(result).toMatchObject({ ok: true, accessKeyId: 'AKIDEXAMPLE', presigned: false })
        passed++
      })
      run(`${c.name}: verifyRequest accepts the suite's presigned request`, async () => {
        const result = await verifyRequest(parseRawRequest(c.file('query-signed-request.txt')), verifyOptionsOf(c))
        expect(result).toMatchObject({ ok: true, accessKeyId: 'AKIDEXAMPLE', presigned: true })
        passed++
      })
    }
  })
}
