/**
 * `contentHandling` of non-proxy integrations, row by row from API Gateway's two tables ("API Request Content Type
 * Conversions", "API Gateway Response Content Type Conversions"), through an HTTP integration to a real backend:
 * what the backend receives for each method request payload, Content-Type, binaryMediaTypes and contentHandling,
 * and what the client receives for each integration response payload, Accept, binaryMediaTypes and contentHandling.
 * Proxy integrations have no rows there (their payloads pass as they are; Lambda proxy uses `isBase64Encoded`).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-payload-encodings-workflow.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-payload-encodings.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-payload-encodings-configure-with-control-service-api.html
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createGateway, type GatewayResponse } from '@gatehousejs/core'
import { req } from '../helpers'
import { type Backend, startBackend } from '../non-proxy-helpers'

type Handling = 'CONVERT_TO_BINARY' | 'CONVERT_TO_TEXT' | undefined

let backend: Backend
beforeAll(async () => {
  backend = await startBackend()
})
afterAll(() => backend.close())

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47])
const bytesOf = (res: GatewayResponse) => Buffer.from(typeof res.body === 'string' ? Buffer.from(res.body, 'utf8') : res.body)

describe('request payload conversions (integration contentHandling)', () => {
  function gateway(binaryMediaTypes: string[] | undefined, contentHandling: Handling) {
    return createGateway({
      api: {
        ...(binaryMediaTypes ? { binaryMediaTypes } : {}),
        resources: {
          '/echo': {
            POST: {
              integration: {
                type: 'HTTP',
                httpMethod: 'POST',
                uri: `${backend.url}/echo`,
                passthroughBehavior: 'WHEN_NO_MATCH',
                ...(contentHandling ? { contentHandling } : {}),
                responses: { default: { statusCode: '200' } },
              },
            },
          },
        },
      },
    })
  }
  // [method request payload, Content-Type, binaryMediaTypes, contentHandling, bytes the integration gets]
  const TEXT = 'aGVsbG8=' // text that is also base64 (of "hello"), so CONVERT_TO_BINARY has something to decode
  const rows: [string, string, Buffer, string[] | undefined, Handling, Buffer][] = [
    [
      'text, any type, no binaryMediaTypes, undefined → UTF-8 string',
      'application/json',
      Buffer.from(TEXT),
      undefined,
      undefined,
      Buffer.from(TEXT),
    ],
    [
      'text, any type, no binaryMediaTypes, CONVERT_TO_BINARY → base64-decoded blob',
      'image/png',
      Buffer.from(TEXT),
      undefined,
      'CONVERT_TO_BINARY',
      Buffer.from('hello'),
    ],
    [
      'text, any type, no binaryMediaTypes, CONVERT_TO_TEXT → UTF-8 string',
      'application/json',
      Buffer.from(TEXT),
      undefined,
      'CONVERT_TO_TEXT',
      Buffer.from(TEXT),
    ],
    [
      'text, text type, binaryMediaTypes set, undefined → text',
      'application/json',
      Buffer.from(TEXT),
      ['image/png'],
      undefined,
      Buffer.from(TEXT),
    ],
    [
      'text, text type, binaryMediaTypes set, CONVERT_TO_BINARY → base64-decoded blob',
      'application/json',
      Buffer.from(TEXT),
      ['image/png'],
      'CONVERT_TO_BINARY',
      Buffer.from('hello'),
    ],
    [
      'text, text type, binaryMediaTypes set, CONVERT_TO_TEXT → text',
      'application/json',
      Buffer.from(TEXT),
      ['image/png'],
      'CONVERT_TO_TEXT',
      Buffer.from(TEXT),
    ],
    ['binary, binary type, binaryMediaTypes set, undefined → binary', 'image/png', PNG, ['image/png'], undefined, PNG],
    ['binary, binary type, binaryMediaTypes set, CONVERT_TO_BINARY → binary', 'image/png', PNG, ['image/png'], 'CONVERT_TO_BINARY', PNG],
    [
      'binary, binary type, binaryMediaTypes set, CONVERT_TO_TEXT → base64-encoded string',
      'image/png',
      PNG,
      ['image/png'],
      'CONVERT_TO_TEXT',
      Buffer.from(PNG.toString('base64')),
    ],
  ]
  for (const [label, type, body, binaryMediaTypes, handling, expected] of rows) {
    it(label, async () => {
      const res = await gateway(binaryMediaTypes, handling).handle(req('POST', '/echo', { headers: { 'content-type': type }, body }))
      expect(res.statusCode).toBe(200)
      // The backend answers JSON with the bytes it got, base64; the answer is text (application/json).
      const got = JSON.parse(bytesOf(res).toString('utf8')) as { base64: string }
      expect(Buffer.from(got.base64, 'base64').equals(expected)).toBe(true)
    })
  }
})

describe('response payload conversions (integration response contentHandling)', () => {
  function gateway(path: '/png' | '/b64', binaryMediaTypes: string[] | undefined, contentHandling: Handling) {
    return createGateway({
      api: {
        ...(binaryMediaTypes ? { binaryMediaTypes } : {}),
        resources: {
          '/r': {
            GET: {
              integration: {
                type: 'HTTP',
                httpMethod: 'GET',
                uri: `${backend.url}${path}`,
                responses: { default: { statusCode: '200', ...(contentHandling ? { contentHandling } : {}) } },
              },
            },
          },
        },
      },
    })
  }
  // The backend's /b64 answers the text "AQID" (text/plain), its /png the bytes 89 50 4E 47 (image/png).
  const B64 = Buffer.from('AQID')
  const DECODED = Buffer.from([1, 2, 3])
  const BIN = ['image/png']
  const rows: [string, '/png' | '/b64', string, string[] | undefined, Handling, Buffer][] = [
    ['text, text Accept, no binaryMediaTypes, undefined → UTF-8 string', '/b64', 'application/json', undefined, undefined, B64],
    [
      'binary, text Accept, no binaryMediaTypes, undefined → UTF-8 string',
      '/png',
      'application/json',
      undefined,
      undefined,
      Buffer.from(PNG.toString('utf8')),
    ],
    [
      'text, text Accept, no binaryMediaTypes, CONVERT_TO_BINARY → base64-decoded blob',
      '/b64',
      'application/json',
      undefined,
      'CONVERT_TO_BINARY',
      DECODED,
    ],
    [
      'text, text Accept, no binaryMediaTypes, CONVERT_TO_TEXT → UTF-8 string',
      '/b64',
      'application/json',
      undefined,
      'CONVERT_TO_TEXT',
      B64,
    ],
    ['text, text Accept, binaryMediaTypes set, undefined → text', '/b64', 'application/json', BIN, undefined, B64],
    [
      'text, text Accept, binaryMediaTypes set, CONVERT_TO_BINARY → base64-decoded blob',
      '/b64',
      'application/json',
      BIN,
      'CONVERT_TO_BINARY',
      DECODED,
    ],
    ['text, text Accept, binaryMediaTypes set, CONVERT_TO_TEXT → UTF-8 string', '/b64', 'application/json', BIN, 'CONVERT_TO_TEXT', B64],
    ['text, binary Accept, binaryMediaTypes set, undefined → base64-decoded blob', '/b64', 'image/png', BIN, undefined, DECODED],
    [
      'text, binary Accept, binaryMediaTypes set, CONVERT_TO_BINARY → base64-decoded blob',
      '/b64',
      'image/png',
      BIN,
      'CONVERT_TO_BINARY',
      DECODED,
    ],
    ['text, binary Accept, binaryMediaTypes set, CONVERT_TO_TEXT → UTF-8 string', '/b64', 'image/png', BIN, 'CONVERT_TO_TEXT', B64],
    [
      'binary, text Accept, binaryMediaTypes set, undefined → base64-encoded string',
      '/png',
      'application/json',
      BIN,
      undefined,
      Buffer.from(PNG.toString('base64')),
    ],
    ['binary, text Accept, binaryMediaTypes set, CONVERT_TO_BINARY → binary', '/png', 'application/json', BIN, 'CONVERT_TO_BINARY', PNG],
    [
      'binary, text Accept, binaryMediaTypes set, CONVERT_TO_TEXT → base64-encoded string',
      '/png',
      'application/json',
      BIN,
      'CONVERT_TO_TEXT',
      Buffer.from(PNG.toString('base64')),
    ],
    ['binary, binary Accept, binaryMediaTypes set, undefined → binary', '/png', 'image/png', BIN, undefined, PNG],
    ['binary, binary Accept, binaryMediaTypes set, CONVERT_TO_BINARY → binary', '/png', 'image/png', BIN, 'CONVERT_TO_BINARY', PNG],
    [
      'binary, binary Accept, binaryMediaTypes set, CONVERT_TO_TEXT → base64-encoded string',
      '/png',
      'image/png',
      BIN,
      'CONVERT_TO_TEXT',
      Buffer.from(PNG.toString('base64')),
    ],
  ]
  for (const [label, path, accept, binaryMediaTypes, handling, expected] of rows) {
    it(label, async () => {
      const res = await gateway(path, binaryMediaTypes, handling).handle(req('GET', '/r', { headers: { accept } }))
      expect(res.statusCode).toBe(200)
      expect(bytesOf(res).toString('hex')).toBe(expected.toString('hex'))
    })
  }

  it("only the first Accept media type counts (the guide's tip)", async () => {
    const gw = gateway('/b64', ['image/webp'], undefined)
    const first = await gw.handle(req('GET', '/r', { headers: { accept: 'image/webp,image/*,*/*;q=0.8' } }))
    const later = await gw.handle(req('GET', '/r', { headers: { accept: 'text/html,image/webp' } }))
    expect(bytesOf(first).toString('hex')).toBe(DECODED.toString('hex'))
    expect(bytesOf(later).toString('hex')).toBe(B64.toString('hex'))
  })
})
