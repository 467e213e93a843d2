/**
 * Issue #12, finding 4: a SigV4 refusal must not be an amplifier. With a known access key id (key ids are not
 * secret), `SignedHeaders=host;host;…` repeated 1,500 times and a 7 KB Host header, a 14.8 KB request got a
 * 10.5 MB 403; a garbage Authorization header was echoed whole. Every 403 is now a few KB at most.
 */
import { describe, expect, it } from 'vitest'
import { createGateway, type GatewayRequest } from '@gatehousejs/core'
import { signRequest, verifyRequest } from '@gatehousejs/sigv4'

const REGION = 'us-east-1'
const HOST = `abc123.execute-api.${REGION}.amazonaws.com`
const NOW = Date.UTC(2026, 0, 15, 12, 0, 0)
const KEY = { accessKeyId: 'AKIAALICE', secretAccessKey: 'alice-secret' }
/** "A few KB": the largest 403 body any input may produce. */
const MAX_BODY = 8 * 1024

const iamOp = { security: [{ sigv4: [] }], 'x-amazon-apigateway-integration': { type: 'aws_proxy', httpMethod: 'POST', uri: 'echo' } }
const gateway = createGateway({
  api: {
    openapi: '3.0.1',
    info: { title: 'iam', version: '1' },
    components: {
      securitySchemes: { sigv4: { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'awsSigv4' } },
    },
    paths: { '/pets': { get: iamOp } },
  },
  apiId: 'abc123',
  accountId: '111122223333',
  region: REGION,
  stage: 'prod',
  stageInPath: true,
  now: () => NOW,
  functions: { echo: async () => ({ statusCode: 200, body: 'ok' }) },
  principals: { AKIAALICE: { secretAccessKey: 'alice-secret', arn: 'arn:aws:iam::111122223333:user/alice' } },
  onWarning: () => {},
})

const bodyBytes = (body: string | Uint8Array) => (typeof body === 'string' ? Buffer.byteLength(body) : body.length)

function amplified(): GatewayRequest {
  const date = '20260115T120000Z'
  const auth = `AWS4-HMAC-SHA256 Credential=AKIAALICE/20260115/${REGION}/execute-api/aws4_request, SignedHeaders=${Array(1500).fill('host').join(';')}, Signature=${'0'.repeat(64)}`
  return { method: 'GET', path: '/prod/pets', headers: { host: `${HOST}${'a'.repeat(7000)}`, 'x-amz-date': date, authorization: auth } }
}

describe('SigV4 refusals are bounded (issue #12, finding 4)', () => {
  it('repeated SignedHeaders with a 7 KB Host: a small 403, refused before canonicalising', async () => {
    const req = amplified()
    const inBytes = Buffer.byteLength(String(req.headers.authorization)) + Buffer.byteLength(String(req.headers.host))
    expect(inBytes).toBeGreaterThan(14_000)
    const res = await gateway.handle(req)
    expect(res.statusCode).toBe(403)
    expect(bodyBytes(res.body)).toBeLessThanOrEqual(MAX_BODY)
    const r = await verifyRequest(req, { lookupSecret: () => KEY.secretAccessKey, region: REGION, now: () => NOW })
    expect(r.ok).toBe(false)
    // Not the signature mismatch (which would mean the 1,500 names were canonicalised).
    if (!r.ok) expect(r.code).not.toBe('SIGNATURE_DOES_NOT_MATCH')
  })

  it('duplicate or unsorted SignedHeaders are refused even when few', async () => {
    const signed = signRequest({ method: 'GET', path: '/prod/pets', headers: { host: HOST } }, KEY, {
      region: REGION,
      service: 'execute-api',
      date: NOW,
    })
    const opts = { lookupSecret: () => KEY.secretAccessKey, region: REGION, now: () => NOW }
    for (const list of ['host;host;x-amz-date', 'x-amz-date;host', 'host;x-amz-date;x-amz-date']) {
      const auth = String(signed.headers.authorization).replace('SignedHeaders=host;x-amz-date', `SignedHeaders=${list}`)
      const r = await verifyRequest({ ...signed, headers: { ...signed.headers, authorization: auth } }, opts)
      expect(r.ok).toBe(false)
      if (!r.ok) expect(r.code, list).toBe('INVALID_SIGNATURE')
    }
    expect(await verifyRequest(signed, opts)).toMatchObject({ ok: true })
  })

  it('a garbage Authorization header is echoed truncated, in AWS form', async () => {
    const garbage = `Basic ${'Z'.repeat(8190)}==`
    const res = await gateway.handle({ method: 'GET', path: '/prod/pets', headers: { host: HOST, authorization: garbage } })
    expect(res.statusCode).toBe(403)
    expect(bodyBytes(res.body)).toBeLessThanOrEqual(MAX_BODY)
    const message = JSON.parse(String(res.body)).message as string
    expect(message).toMatch(/^Authorization header requires 'Credential' parameter\. .*Authorization=Basic ZZZZ/)
    // The other echoing form: a pair without '=' and the whole header.
    const bearer = await gateway.handle({
      method: 'GET',
      path: '/prod/pets',
      headers: { host: HOST, authorization: `Bearer ${'Z'.repeat(8192)}` },
    })
    expect(bearer.statusCode).toBe(403)
    expect(bodyBytes(bearer.body)).toBeLessThanOrEqual(MAX_BODY)
    expect(JSON.parse(String(bearer.body)).message).toMatch(
      /^'ZZZZ.*' not a valid key=value pair \(missing equal-sign\) in Authorization header: 'Bearer ZZZZ/,
    )
  })

  it('a huge mismatching request: the mismatch message stays small (canonical request cut in the middle)', async () => {
    const signed = signRequest({ method: 'GET', path: `/prod/pets`, headers: { host: HOST, 'x-big': 'v'.repeat(12_000) } }, KEY, {
      region: REGION,
      service: 'execute-api',
      date: NOW,
    })
    const res = await gateway.handle({ ...signed, headers: { ...signed.headers, 'x-big': 'w'.repeat(12_000) } })
    expect(res.statusCode).toBe(403)
    expect(bodyBytes(res.body)).toBeLessThanOrEqual(MAX_BODY)
    const message = JSON.parse(String(res.body)).message as string
    expect(message).toMatch(/^The request signature we calculated does not match/)
    expect(message).toContain('The String-to-Sign should have been')
  })

  it('a long credential, date or presigned parameters are echoed truncated', async () => {
    const opts = { lookupSecret: () => KEY.secretAccessKey, region: REGION, now: () => NOW }
    const long = 'x'.repeat(20_000)
    const cases: GatewayRequest[] = [
      {
        method: 'GET',
        path: '/prod/pets',
        headers: {
          host: HOST,
          'x-amz-date': long,
          authorization: `AWS4-HMAC-SHA256 Credential=${long}, SignedHeaders=host, Signature=${'0'.repeat(64)}`,
        },
      },
      {
        method: 'GET',
        path: '/prod/pets',
        headers: {
          host: HOST,
          'x-amz-date': '20260115T120000Z',
          authorization: `AWS4-HMAC-SHA256 Credential=${long}, SignedHeaders=host, Signature=${'0'.repeat(64)}`,
        },
      },
      { method: 'GET', path: '/prod/pets', headers: { host: HOST, authorization: `AWS4-HMAC-SHA256 ${long}` } },
      {
        method: 'GET',
        path: '/prod/pets',
        headers: { host: HOST, 'x-amz-date': '20260115T120000Z', authorization: `${long} Credential=a, SignedHeaders=host, Signature=b` },
      },
      {
        method: 'GET',
        path: '/prod/pets',
        query: `X-Amz-Algorithm=${long}&X-Amz-Credential=${long}&X-Amz-Signature=1&X-Amz-SignedHeaders=host&X-Amz-Date=20260115T120000Z`,
        headers: { host: HOST },
      },
      {
        method: 'GET',
        path: '/prod/pets',
        query: `X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAALICE%2F${long}&X-Amz-Signature=1&X-Amz-SignedHeaders=host&X-Amz-Date=20260115T120000Z`,
        headers: { host: HOST },
      },
    ]
    for (const req of cases) {
      const r = await verifyRequest(req, opts)
      expect(r.ok).toBe(false)
      if (!r.ok) expect(r.reason.length).toBeLessThanOrEqual(4096)
      const res = await gateway.handle(req)
      expect(res.statusCode).toBe(403)
      expect(bodyBytes(res.body)).toBeLessThanOrEqual(MAX_BODY)
    }
  })
})
