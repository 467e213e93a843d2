/**
 * Response compression of a compression-enabled REST API over a real socket: `fetch` (undici) decodes what the
 * gateway compressed; the threshold's edge; what is left alone (no explicit `Accept-Encoding`, a response that
 * carries `Content-Encoding`, gateway responses, APIs without the setting); the stage cache keeps the uncompressed
 * answer; the OpenAPI extension and its bounds.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-receive-response-with-compressed-payload.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-enable-compression.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-openapi-minimum-compression-size.html
 * https://docs.aws.amazon.com/apigateway/latest/api/API_RestApi.html#minimumCompressionSize
 */
import { gunzipSync, inflateSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createGateway, type GatewayInput, type GatewayWarning } from '@gatehousejs/core'
import { configError } from '../helpers'
import { raw, serve, type Served } from './server'

const MIN = 1000

/** `/size/{n}` answers `n` bytes of JSON-safe text; `/encoded` answers a body that says it is compressed already. */
/** `minimumCompressionSize` null: the API has no setting. */
function input(extra: Partial<GatewayInput> = {}, minimumCompressionSize: number | null = MIN): GatewayInput {
  return {
    api: {
      ...(minimumCompressionSize === null ? {} : { minimumCompressionSize }),
      resources: {
        '/size/{n}': { GET: { integration: { type: 'AWS_PROXY', uri: 'sized' } } },
        '/encoded': { GET: { integration: { type: 'AWS_PROXY', uri: 'encoded' } } },
      },
    },
    functions: {
      sized: async (event: any) => ({
        statusCode: 200,
        headers: { 'content-type': 'text/plain' },
        body: 'a'.repeat(Number(event.pathParameters.n)),
      }),
      encoded: async () => ({ statusCode: 200, headers: { 'Content-Encoding': 'br' }, body: 'b'.repeat(4000) }),
    },
    ...extra,
  }
}

let served: Served
let plain: Served
beforeAll(async () => {
  served = await serve(createGateway(input()))
  plain = await serve(createGateway(input({}, null)))
})
afterAll(async () => {
  await served.close()
  await plain.close()
})

describe('response compression over a socket', () => {
  it.each(['gzip', 'deflate'] as const)('%s: fetch decodes the answer; the wire carries fewer bytes', async (coding) => {
    const res = await fetch(`${served.url}/size/5000`, { headers: { 'accept-encoding': coding } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-encoding')).toBe(coding)
    expect(await res.text()).toBe('a'.repeat(5000))
    const wire = await raw(`${served.url}/size/5000`, 'GET', { 'accept-encoding': coding })
    expect(wire.headers['content-encoding']).toBe(coding)
    expect(Number(wire.headers['content-length'])).toBe(wire.body.length)
    expect(wire.body.length).toBeLessThan(5000)
    const decoded = coding === 'gzip' ? gunzipSync(wire.body) : inflateSync(wire.body)
    expect(decoded.toString()).toBe('a'.repeat(5000))
    // API Gateway documents no Vary header on compressed answers.
    expect(wire.headers.vary).toBeUndefined()
  })

  it.each([
    [MIN - 1, undefined],
    [MIN, 'gzip'],
    [MIN + 1, 'gzip'],
  ])('threshold %i bytes (minimumCompressionSize %i) → %s', async (size, coding) => {
    const wire = await raw(`${served.url}/size/${size}`, 'GET', { 'accept-encoding': 'gzip' })
    expect(wire.headers['content-encoding']).toBe(coding)
    const body = coding === undefined ? wire.body : gunzipSync(wire.body)
    expect(body.toString()).toBe('a'.repeat(size))
  })

  it('minimumCompressionSize 0 compresses every non-empty answer', async () => {
    const zero = await serve(createGateway(input({}, 0)))
    try {
      const one = await raw(`${zero.url}/size/1`, 'GET', { 'accept-encoding': 'gzip' })
      expect(gunzipSync(one.body).toString()).toBe('a')
      const empty = await raw(`${zero.url}/size/0`, 'GET', { 'accept-encoding': 'gzip' })
      expect([empty.headers['content-encoding'], empty.body.length]).toEqual([undefined, 0])
    } finally {
      await zero.close()
    }
  })

  it.each([
    ['no Accept-Encoding (RFC 7231 default *)', {}],
    ['Accept-Encoding: *', { 'accept-encoding': '*' }],
    ['Accept-Encoding: identity', { 'accept-encoding': 'identity' }],
    ['Accept-Encoding: br (not supported)', { 'accept-encoding': 'br' }],
    ['br preferred over gzip', { 'accept-encoding': 'br;q=1, gzip;q=0.5' }],
  ])('%s: not compressed', async (_label, headers) => {
    const wire = await raw(`${served.url}/size/5000`, 'GET', headers)
    expect(wire.headers['content-encoding']).toBeUndefined()
    expect(wire.body.toString()).toBe('a'.repeat(5000))
  })

  it('an integration response with Content-Encoding is left alone', async () => {
    const wire = await raw(`${served.url}/encoded`, 'GET', { 'accept-encoding': 'gzip' })
    expect(wire.headers['content-encoding']).toBe('br')
    expect(wire.body.toString()).toBe('b'.repeat(4000))
  })

  it('gateway responses are not compressed: only integration responses are', async () => {
    const zero = await serve(createGateway(input({}, 0)))
    try {
      const wire = await raw(`${zero.url}/nowhere`, 'GET', { 'accept-encoding': 'gzip' })
      expect(wire.status).toBe(403)
      expect(wire.headers['content-encoding']).toBeUndefined()
      expect(JSON.parse(wire.body.toString())).toEqual({ message: 'Missing Authentication Token' })
    } finally {
      await zero.close()
    }
  })

  it('an API without minimumCompressionSize never compresses', async () => {
    const wire = await raw(`${plain.url}/size/20000`, 'GET', { 'accept-encoding': 'gzip, deflate' })
    expect(wire.headers['content-encoding']).toBeUndefined()
    expect(wire.body.length).toBe(20000)
  })

  it('the stage cache keeps the uncompressed answer: a later client without Accept-Encoding reads it plain, one with it gets the hit compressed', async () => {
    let calls = 0
    const gw = createGateway({
      ...input(),
      functions: {
        sized: async () => ({ statusCode: 200, body: `${++calls}`.padEnd(3000, 'c') }),
        encoded: async () => ({ statusCode: 200 }),
      },
      stage: { stageName: 'prod', cacheClusterEnabled: true, methodSettings: { '*/*': { cachingEnabled: true, cacheTtlInSeconds: 300 } } },
    })
    const s = await serve(gw)
    try {
      const first = await raw(`${s.url}/size/1`, 'GET', { 'accept-encoding': 'gzip' })
      expect(first.headers['content-encoding']).toBe('gzip')
      const second = await raw(`${s.url}/size/1`, 'GET', {})
      expect(second.headers['content-encoding']).toBeUndefined()
      expect(second.body.toString()).toBe('1'.padEnd(3000, 'c'))
      // A cache hit is a method response too: compressed for a client that asks.
      const third = await raw(`${s.url}/size/1`, 'GET', { 'accept-encoding': 'gzip' })
      expect(third.headers['content-encoding']).toBe('gzip')
      expect(gunzipSync(third.body).toString()).toBe('1'.padEnd(3000, 'c'))
      expect(calls).toBe(1)
    } finally {
      await s.close()
    }
  })
})

describe('minimumCompressionSize in the definition', () => {
  const doc = (value: unknown, extra: Record<string, unknown> = {}) => ({
    openapi: '3.0.1',
    info: { title: 'compressed', version: '1' },
    'x-amazon-apigateway-minimum-compression-size': value,
    paths: {
      '/pets': {
        get: { 'x-amazon-apigateway-integration': { type: 'aws_proxy', httpMethod: 'POST', uri: 'listPets' } },
      },
    },
    ...extra,
  })
  const listPets = async () => ({ statusCode: 200, body: JSON.stringify(Array.from({ length: 50 }, (_, id) => ({ id, type: 'dog' }))) })

  it('x-amazon-apigateway-minimum-compression-size compresses answers of an imported REST API', async () => {
    const warnings: GatewayWarning[] = []
    const gw = createGateway({ api: doc(1024), functions: { listPets }, onWarning: (w) => warnings.push(w) })
    expect(warnings).toEqual([])
    expect(gw.definition.minimumCompressionSize).toBe(1024)
    const s = await serve(gw)
    try {
      const res = await fetch(`${s.url}/pets`, { headers: { 'accept-encoding': 'gzip' } })
      expect(res.headers.get('content-encoding')).toBe('gzip')
      expect(await res.json()).toHaveLength(50)
    } finally {
      await s.close()
    }
  })

  it.each([-1, 10_485_761, 1.5, '1024', true, null])('%j is refused, pointing at the extension', (value) => {
    if (value === null) {
      // null disables compression, as API Gateway's `minimumCompressionSize: null` does.
      expect(createGateway({ api: doc(null), functions: { listPets } }).definition.minimumCompressionSize).toBeNull()
      return
    }
    const e = configError(() => createGateway({ api: doc(value), functions: { listPets } }))
    expect(e.code).toBe('INVALID_DEFINITION')
    expect(e.pointer).toBe('/x-amazon-apigateway-minimum-compression-size')
  })

  it('the bounds themselves are accepted: 0 and 10,485,760', () => {
    for (const value of [0, 10_485_760])
      expect(createGateway({ api: doc(value), functions: { listPets } }).definition.minimumCompressionSize).toBe(value)
  })

  it('a native definition out of bounds is refused at /minimumCompressionSize', () => {
    const e = configError(() => createGateway(input({}, 10_485_761)))
    expect(e.pointer).toBe('/minimumCompressionSize')
  })

  it('an HTTP API has no payload compression: the extension is warned about and ignored', async () => {
    const warnings: GatewayWarning[] = []
    const gw = createGateway({ api: doc(0), apiType: 'HTTP', functions: { listPets }, onWarning: (w) => warnings.push(w) })
    expect(warnings.map((w) => [w.code, w.pointer])).toEqual([['IGNORED_SETTING', '/x-amazon-apigateway-minimum-compression-size']])
    const res = await gw.handle({ method: 'GET', path: '/pets', headers: { 'accept-encoding': 'gzip' } })
    expect(res.headers['content-encoding']).toBeUndefined()
  })
})
