/**
 * Issue #12, finding 7a: a Lambda proxy result whose header value HTTP cannot carry (a character above U+00FF,
 * CR/LF or another control character) or whose header name is not an HTTP token is a malformed Lambda response:
 * REST APIs answer 502 `{"message": "Internal server error"}`, HTTP APIs 500 `{"message":"Internal Server
 * Error"}` — never an adapter 500 from `writeHead`. The same for `multiValueHeaders` (1.0) and `cookies` (2.0).
 * Latin-1 values (`café`) stay valid, as HTTP's obs-text.
 */
import { createServer, request as httpRequest } from 'node:http'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createGateway, type GatewayInput } from '@gatehousejs/core'
import { createHandler } from '@gatehousejs/node'
import { fuzzParams } from '@gatehousejs/test-kit'

let result: unknown = null
const api = (v2: boolean) => ({
  openapi: '3.0.1',
  info: { title: 'latin1', version: '1' },
  paths: {
    '/r': {
      get: {
        'x-amazon-apigateway-integration': {
          type: 'aws_proxy',
          httpMethod: 'POST',
          uri: 'fn',
          ...(v2 ? { payloadFormatVersion: '2.0' } : {}),
        },
      },
    },
  },
})
/** The gateway's reports of malformed results (issue #16: they reach the operator, never the client). */
const reported: unknown[] = []
const input = (apiType: 'REST' | 'HTTP', v2 = false): GatewayInput => ({
  api: api(v2),
  apiType,
  functions: { fn: async () => result },
  onWarning: () => {},
  onError: (e) => reported.push(e),
})
const rest = createGateway(input('REST'))
const http1 = createGateway(input('HTTP'))
const http2 = createGateway(input('HTTP', true))

const REST_BROKEN = { statusCode: 502, body: '{"message": "Internal server error"}' }
const HTTP_BROKEN = { statusCode: 500, body: '{"message":"Internal Server Error"}' }

async function answer(gw: ReturnType<typeof createGateway>, value: unknown) {
  result = value
  const res = await gw.handle({ method: 'GET', path: '/r', headers: { host: 'h' } })
  return { statusCode: res.statusCode, body: String(res.body), headers: res.headers }
}

/** What HTTP/1.1 (and Node's writeHead) can carry in a field value. */
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/

describe('malformed header values and names in Lambda proxy results (finding 7a)', () => {
  const bad = ['ok ✓', 'emoji 😀', 'a\r\nx-injected: 1', 'a\nb', 'a\rb', 'nul\0', 'bell\x07', 'del\x7f']
  const badNames = ['bad name', 'x:y', 'naïve', '', 'x\r\ny', '(paren)']

  it.each(bad)('REST 1.0 headers value %j → 502', async (v) => {
    expect(await answer(rest, { statusCode: 200, headers: { 'x-v': v }, body: 'b' })).toMatchObject(REST_BROKEN)
  })
  it.each(bad)('REST 1.0 multiValueHeaders value %j → 502', async (v) => {
    expect(await answer(rest, { statusCode: 200, multiValueHeaders: { 'x-v': ['fine', v] }, body: 'b' })).toMatchObject(REST_BROKEN)
  })
  it.each(badNames)('REST 1.0 header name %j → 502', async (n) => {
    expect(await answer(rest, { statusCode: 200, headers: { [n]: 'v' } })).toMatchObject(REST_BROKEN)
    expect(await answer(rest, { statusCode: 200, multiValueHeaders: { [n]: ['v'] } })).toMatchObject(REST_BROKEN)
  })
  it.each(bad)('HTTP API 1.0 and 2.0 value %j → 500; 2.0 cookies too', async (v) => {
    expect(await answer(http1, { statusCode: 200, headers: { 'x-v': v } })).toMatchObject(HTTP_BROKEN)
    expect(await answer(http2, { statusCode: 200, headers: { 'x-v': v } })).toMatchObject(HTTP_BROKEN)
    expect(await answer(http2, { statusCode: 200, cookies: ['a=1', `b=${v}`] })).toMatchObject(HTTP_BROKEN)
  })

  it('Latin-1 values, tabs and inner spaces stay valid', async () => {
    const ok = await answer(rest, { statusCode: 201, headers: { 'x-v': 'café\tñ ÿ' }, multiValueHeaders: { 'x-m': ['à', 'b'] }, body: 'b' })
    expect(ok.statusCode).toBe(201)
    expect(ok.headers['x-v']).toBe('café\tñ ÿ')
    expect((await answer(http2, { statusCode: 200, cookies: ['a=é'] })).headers['set-cookie']).toBe('a=é')
  })

  it('property: any value is either carried as sent or refused as a malformed response', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'binary', maxLength: 12 }),
        fc.constantFrom('headers', 'multi', 'v2', 'cookie'),
        async (v, where) => {
          const out =
            where === 'headers'
              ? await answer(rest, { statusCode: 200, headers: { 'x-v': v } })
              : where === 'multi'
                ? await answer(rest, { statusCode: 200, multiValueHeaders: { 'x-v': [v] } })
                : where === 'v2'
                  ? await answer(http2, { statusCode: 200, headers: { 'x-v': v } })
                  : await answer(http2, { statusCode: 200, cookies: [v] })
          if (FIELD_VALUE.test(v)) expect(out.statusCode).toBe(200)
          else expect(out).toMatchObject(where === 'v2' || where === 'cookie' ? HTTP_BROKEN : REST_BROKEN)
        },
      ),
      fuzzParams(300),
    )
  })
})

describe("through a real node:http server: the malformed response is the gateway's 502, not an adapter 500", () => {
  const errors: unknown[] = []
  let url = ''
  const server = createServer(createHandler(input('REST'), undefined, { onError: (e) => errors.push(e) }))
  beforeAll(async () => {
    vi.spyOn(console, 'error').mockImplementation((...a) => void errors.push(a))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`
  })
  afterAll(async () => {
    vi.restoreAllMocks()
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })

  const get = () =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      httpRequest(`${url}/r`, { agent: false }, (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (d: string) => (body += d))
        res.on('end', () => resolve({ status: res.statusCode!, body }))
      })
        .on('error', reject)
        .end()
    })

  it.each(['ok ✓', 'a\r\nx-injected: 1', 'del\x7f'])('%j', async (v) => {
    reported.length = 0
    result = { statusCode: 200, headers: { 'x-v': v }, body: 'b' }
    expect(await get()).toEqual({ status: 502, body: '{"message": "Internal server error"}' })
    result = { statusCode: 200, multiValueHeaders: { 'x-v': [v] }, body: 'b' }
    expect(await get()).toEqual({ status: 502, body: '{"message": "Internal server error"}' })
    // No adapter error and nothing on the console; the gateway told its operator, once per request.
    expect(errors).toEqual([])
    expect(reported).toMatchObject([
      { message: expect.stringContaining('malformed Lambda proxy response') },
      { message: expect.stringContaining('malformed') },
    ])
  })
})
