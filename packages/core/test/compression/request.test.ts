/**
 * Request decompression of a compression-enabled REST API over a real socket: gzip and deflate payloads reach
 * validation and the integration decompressed; a coding API Gateway does not support, or a payload not compressed
 * as it says, is `415 Unsupported Media Type`; a payload that inflates past the 10 MB payload limit (a zip bomb:
 * 1 GB of zeros in about 1 MB) is `413`, with memory bounded by the limit.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-make-request-with-compressed-payload.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-gzip-compression-decompression.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html (payload size: 10 MB)
 */
import { deflateRawSync, deflateSync, gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createGateway, type GatewayErrorInfo, type GatewayInput } from '@gatehousejs/core'
import { raw, serve, type Served } from './server'

const PET = '{"type":"dog","price":249.99}'

interface Seen {
  body: string | null
  isBase64Encoded: boolean
  headers: Record<string, string>
}

/** The PetStore `POST /pets` of the guide's example, validated against a model, echoing what its function got. */
function input(seen: Seen[], minimumCompressionSize: number | null): GatewayInput {
  return {
    api: {
      ...(minimumCompressionSize === null ? {} : { minimumCompressionSize }),
      models: { Pet: { type: 'object', required: ['type', 'price'], properties: { type: { type: 'string' }, price: { type: 'number' } } } },
      requestValidators: { body: { validateRequestBody: true, validateRequestParameters: false } },
      resources: {
        '/pets': {
          POST: {
            requestValidator: 'body',
            requestModels: { 'application/json': 'Pet' },
            integration: { type: 'AWS_PROXY', uri: 'addPet' },
          },
        },
      },
    },
    functions: {
      addPet: async (event: any) => {
        seen.push({ body: event.body, isBase64Encoded: event.isBase64Encoded, headers: event.headers ?? {} })
        return { statusCode: 200, body: event.body ?? '' }
      },
    },
  }
}

const errors: GatewayErrorInfo[] = []
const seen: Seen[] = []
let served: Served
beforeAll(async () => {
  served = await serve(createGateway({ ...input(seen, 1024), onError: (_e, report) => void errors.push(report) }))
})
afterAll(() => served.close())

const post = (headers: Record<string, string>, body: Uint8Array) =>
  raw(`${served.url}/pets`, 'POST', { 'content-type': 'application/json', ...headers }, body)

describe('request decompression over a socket', () => {
  it.each([
    ['gzip', () => gzipSync(PET)],
    ['deflate', () => deflateSync(PET)], // the zlib format HTTP names deflate
    ['deflate', () => deflateRawSync(PET)], // a raw deflate stream, as some clients send
    ['identity', () => Buffer.from(PET)],
    ['gzip, gzip', () => gzipSync(gzipSync(PET))], // codings in the order they were applied
    ['GZIP', () => gzipSync(PET)],
  ])('Content-Encoding: %s reaches validation and the function decompressed', async (coding, make) => {
    seen.length = 0
    const res = await post({ 'content-encoding': coding }, make())
    expect(res.status).toBe(200)
    expect(res.body.toString()).toBe(PET)
    expect(seen).toHaveLength(1)
    expect(seen[0]!.body).toBe(PET)
    expect(seen[0]!.isBase64Encoded).toBe(false)
    // The coding no longer applies to what the integration gets (`identity` is no coding: left as it was).
    if (coding !== 'identity') expect(Object.keys(seen[0]!.headers).map((h) => h.toLowerCase())).not.toContain('content-encoding')
  })

  it('a payload smaller than minimumCompressionSize is decompressed too (the threshold is for answers)', async () => {
    seen.length = 0
    const body = gzipSync(PET)
    expect(body.length).toBeLessThan(1024)
    expect((await post({ 'content-encoding': 'gzip' }, body)).status).toBe(200)
    expect(seen[0]!.body).toBe(PET)
  })

  it('validation sees the decompressed payload: an invalid one is refused with 400', async () => {
    seen.length = 0
    const res = await post({ 'content-encoding': 'gzip' }, gzipSync('{"type":"dog"}'))
    expect(res.status).toBe(400)
    expect(JSON.parse(res.body.toString())).toEqual({ message: 'Invalid request body' })
    expect(seen).toHaveLength(0)
  })

  it.each([
    ['corrupt gzip', 'gzip', () => Buffer.from('definitely not gzip')],
    ['a truncated gzip stream', 'gzip', () => gzipSync(PET).subarray(0, 12)],
    ['gzip bytes labelled deflate', 'deflate', () => Buffer.concat([Buffer.from([0xff, 0xff]), gzipSync(PET)])],
    ['an unsupported coding (br)', 'br', () => Buffer.from(PET)],
    ['an unsupported coding (compress)', 'compress', () => Buffer.from(PET)],
  ])('%s: 415 Unsupported Media Type, nothing reported', async (_label, coding, make) => {
    seen.length = 0
    errors.length = 0
    const res = await post({ 'content-encoding': coding }, make())
    expect(res.status).toBe(415)
    expect(res.headers['x-amzn-errortype']).toBe('UnsupportedMediaTypeException')
    expect(JSON.parse(res.body.toString())).toEqual({ message: 'Unsupported Media Type' })
    expect(seen).toHaveLength(0)
    expect(errors).toEqual([])
  })

  it('a zip bomb (1 GB of zeros, gzipped to about 1 MB) is 413 Request Too Long; memory stays bounded', async () => {
    // gzip members concatenated are one gzip stream (RFC 1952 §2.2): 16 × 64 MB of zeros.
    const member = gzipSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 })
    const bomb = Buffer.concat(Array.from({ length: 16 }, () => member))
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024)
    seen.length = 0
    const before = process.memoryUsage().arrayBuffers
    const res = await post({ 'content-encoding': 'gzip' }, bomb)
    const grown = process.memoryUsage().arrayBuffers - before
    expect(res.status).toBe(413)
    expect(JSON.parse(res.body.toString())).toEqual({ message: 'Request Too Long' })
    expect(seen).toHaveLength(0)
    // Inflating it all would hold 1 GB; the limit keeps it to about the 10 MB payload limit.
    expect(grown).toBeLessThan(256 * 1024 * 1024)
  })

  it("the gateway's maxBodyBytes bounds the decompressed size", async () => {
    const small = await serve(createGateway({ ...input(seen, 0), maxBodyBytes: 1000 }))
    try {
      const fits = await raw(
        `${small.url}/pets`,
        'POST',
        { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        gzipSync(PET.padEnd(1000, ' ')),
      )
      expect(fits.status).toBe(200)
      const over = await raw(
        `${small.url}/pets`,
        'POST',
        { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        gzipSync(PET.padEnd(1001, ' ')),
      )
      expect(over.status).toBe(413)
    } finally {
      await small.close()
    }
  })

  it('an API without minimumCompressionSize passes the payload on as it came', async () => {
    const mine: Seen[] = []
    const base = input(mine, null)
    const gw = createGateway({
      ...base,
      api: { ...(base.api as object), binaryMediaTypes: ['application/octet-stream'] } as GatewayInput['api'],
    })
    const s = await serve(gw)
    try {
      const body = gzipSync(PET)
      const res = await raw(`${s.url}/pets`, 'POST', { 'content-type': 'application/octet-stream', 'content-encoding': 'gzip' }, body)
      expect(res.status).toBe(200)
      expect(mine).toHaveLength(1)
      expect(mine[0]!.headers['content-encoding'] ?? mine[0]!.headers['Content-Encoding']).toBe('gzip')
      expect(mine[0]!.isBase64Encoded).toBe(true)
      expect(Buffer.from(mine[0]!.body!, 'base64').equals(body)).toBe(true)
    } finally {
      await s.close()
    }
  })
})
