// The `httpBackends` option: HTTP and HTTP_PROXY integrations answered in process, given what the socket would
// have carried. Each case runs the same definition against a real node:http backend and against the in-process one,
// and the two must see the same request and give the client the same answer.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/setup-http-integrations.html
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createGateway, type GatewayInput, type HttpBackendRequest } from '@gatehousejs/core'
import { configError, header, json, req, text } from './helpers'

interface Seen {
  method: string
  url: string
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** What both backends answer: the request they saw, with a status the path may ask for. */
function answer(seen: Seen) {
  const status = seen.url.startsWith('/status/') ? Number(seen.url.slice(8, 11)) : 200
  return { status, headers: { 'content-type': 'application/json', 'set-cookie': ['a=1', 'b=2'], date: 'Tue, 01 Dec 2026 00:00:00 GMT' } }
}

// Node's client adds `connection`; it is hop-by-hop, nothing a backend acts on.
const comparable = (headers: IncomingHttpHeaders | Record<string, string | string[]>) => {
  const { connection: _, ...rest } = headers as Record<string, string | string[]>
  return rest
}

let server: Server
let origin: string
beforeAll(async () => {
  server = createServer((r, w) => {
    const chunks: Buffer[] = []
    r.on('data', (c: Buffer) => chunks.push(c))
    r.on('end', () => {
      const seen: Seen = { method: r.method!, url: r.url!, headers: comparable(r.headers), body: Buffer.concat(chunks).toString() }
      const out = answer(seen)
      w.writeHead(out.status, out.headers).end(JSON.stringify(seen))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

const received: HttpBackendRequest[] = []
function inProcess(request: HttpBackendRequest) {
  received.push(request)
  const seen: Seen = {
    method: request.method,
    url: request.query === '' ? request.path : `${request.path}?${request.query}`,
    headers: comparable(request.headers),
    body: Buffer.from(request.body).toString(),
  }
  const out = answer(seen)
  return { statusCode: out.status, headers: out.headers, body: JSON.stringify(seen) }
}

/** The gateway twice: over the socket, and with the same origin served in process. */
function both(input: Omit<GatewayInput, 'stage'>) {
  const stage = { stageName: 'prod', variables: { backend: origin } }
  return [
    createGateway({ ...input, stage, requestId: () => 'req-1' }),
    createGateway({ ...input, stage, requestId: () => 'req-1', httpBackends: { [origin]: inProcess } }),
  ] as const
}

const TRACE = { 'x-amzn-trace-id': 'Root=1-67891233-abcdef012345678912345678' }

describe('httpBackends: the same request and answer as over a socket', () => {
  it('REST HTTP_PROXY: method, path, query, headers (host, content-length, x-forwarded-for, trace) and body', async () => {
    const [wire, local] = both({
      api: { resources: { '/api/{proxy+}': { ANY: { integration: { type: 'HTTP_PROXY', uri: '${stageVariables.backend}/{proxy}' } } } } },
    })
    const request = req('POST', '/api/status/201/x%20y', {
      query: 'a=1&a=2',
      headers: { 'content-type': 'text/plain', 'x-custom': 'v', ...TRACE },
      body: 'hello',
    })
    received.length = 0
    const [a, b] = [await wire.handle(request), await local.handle(request)]
    expect(received).toHaveLength(1)
    expect(b.statusCode).toBe(201)
    expect(json(b)).toEqual(json(a))
    expect(json(b).headers).toMatchObject({ host: origin.slice(7), 'content-length': '5', 'x-forwarded-for': '203.0.113.7' })
    // The answer's reserved headers are remapped the same way (Date → x-amzn-Remapped-date); node:http's server adds
    // its own `Connection`, which the in-process backend has no socket to send.
    const { 'x-amzn-Remapped-connection': _, ...wireHeaders } = a.headers
    expect(b.headers).toEqual(wireHeaders)
    expect(header(b, 'x-amzn-Remapped-date')).toBe('Tue, 01 Dec 2026 00:00:00 GMT')
    expect(received[0]).toMatchObject({
      method: 'POST',
      path: '/status/201/x%20y',
      query: 'a=1&a=2',
      url: `${origin}/status/201/x%20y?a=1&a=2`,
    })
  })

  it('REST HTTP with mapping templates: the mapped request, the mapped answer', async () => {
    const [wire, local] = both({
      api: {
        resources: {
          '/pets/{id}': {
            PUT: {
              requestParameters: { 'method.request.path.id': true },
              integration: {
                type: 'HTTP',
                httpMethod: 'POST',
                uri: '${stageVariables.backend}/store/{petId}',
                requestParameters: { 'integration.request.path.petId': 'method.request.path.id' },
                requestTemplates: { 'application/json': '{"name":$input.json(\'$.name\'),"by":"$context.requestId"}' },
                responses: {
                  default: { statusCode: '200', responseTemplates: { 'application/json': '{"sent":$input.json(\'$.body\')}' } },
                },
              },
              responses: { '200': {} },
            },
          },
        },
      },
    })
    const request = req('PUT', '/pets/7', { headers: { 'content-type': 'application/json', ...TRACE }, body: '{"name":"Rex"}' })
    received.length = 0
    const [a, b] = [await wire.handle(request), await local.handle(request)]
    expect(b.statusCode).toBe(200)
    expect(text(b)).toBe(text(a))
    expect(json(b)).toEqual({ sent: '{"name":"Rex","by":"req-1"}' })
    expect(received[0]).toMatchObject({
      method: 'POST',
      path: '/store/7',
      headers: { 'user-agent': expect.stringMatching(/^AmazonAPIGateway_/) },
    })
  })

  it('HTTP APIs: HTTP_PROXY with parameter mapping', async () => {
    const [wire, local] = both({
      apiType: 'HTTP',
      api: {
        resources: {
          '/items/{id}': {
            GET: {
              integration: {
                type: 'HTTP_PROXY',
                uri: '${stageVariables.backend}/items/{id}',
                requestParameters: { 'append:header.x-from': 'gatehouse', 'overwrite:querystring.page': '2' },
              },
            },
          },
        },
      },
    })
    const request = req('GET', '/items/a%20b', { query: 'page=1', headers: TRACE })
    const [a, b] = [await wire.handle(request), await local.handle(request)]
    expect(b.statusCode).toBe(200)
    expect(json(b)).toEqual(json(a))
    expect(json(b).url).toBe(json(a).url)
    expect(json(b).headers['x-from']).toBe('gatehouse')
  })
})

describe('httpBackends: failures are the integration failures of a socket', () => {
  const gw = (handler: (r: HttpBackendRequest) => unknown, errors: unknown[], apiType: 'REST' | 'HTTP' = 'REST') =>
    createGateway({
      apiType,
      api: {
        resources: { '/x': { GET: { integration: { type: 'HTTP_PROXY', uri: 'https://backend.example.com/x', timeoutInMillis: 50 } } } },
      },
      httpBackends: { 'https://backend.example.com': handler as never },
      onError: (error) => errors.push(error),
    })

  it('a handler that throws: 502 and onError gets its own error', async () => {
    const errors: unknown[] = []
    const boom = new Error('backend exploded')
    const res = await gw(() => {
      throw boom
    }, errors).handle(req('GET', '/x'))
    expect(res.statusCode).toBe(502)
    expect(text(res)).not.toContain('exploded')
    expect(errors).toEqual([boom])
  })

  it('a handler slower than the timeout: 504 (REST) and 504 Gateway Timeout (HTTP API)', async () => {
    const errors: unknown[] = []
    const never = () => new Promise(() => {})
    expect((await gw(never, errors).handle(req('GET', '/x'))).statusCode).toBe(504)
    const http = await gw(never, errors, 'HTTP').handle(req('GET', '/x'))
    expect([http.statusCode, json(http)]).toEqual([504, { message: 'Gateway Timeout' }])
    expect(errors).toHaveLength(2)
  })

  it.each([[undefined], [{}], [{ statusCode: 99 }], [{ statusCode: '200' }], [{ statusCode: 200, body: 7 }]])(
    'an answer that is no response (%j): 502 and onError',
    async (out) => {
      const errors: unknown[] = []
      expect((await gw(() => out, errors).handle(req('GET', '/x'))).statusCode).toBe(502)
      expect(errors).toHaveLength(1)
    },
  )

  it('an answer over 10 MB: 502, as over a socket', async () => {
    const errors: unknown[] = []
    const res = await gw(() => ({ statusCode: 200, body: new Uint8Array(10 * 1024 * 1024 + 1) }), errors).handle(req('GET', '/x'))
    expect(res.statusCode).toBe(502)
    expect(String(errors[0])).toContain('payload limit')
  })
})

describe('httpBackends: which requests reach a handler', () => {
  it('origins are normalised (case, default port); other origins go over the network', async () => {
    const hits: string[] = []
    const gw = createGateway({
      api: {
        resources: {
          '/a': { GET: { integration: { type: 'HTTP_PROXY', uri: 'https://API.example.com/a' } } },
          '/b': { GET: { integration: { type: 'HTTP_PROXY', uri: `${origin}/b` } } },
        },
      },
      httpBackends: { 'https://api.EXAMPLE.com:443': (r) => (hits.push(r.url), { statusCode: 200, body: 'local' }) },
    })
    expect(text(await gw.handle(req('GET', '/a')))).toBe('local')
    expect(json(await gw.handle(req('GET', '/b'))).url).toBe('/b')
    expect(hits).toEqual(['https://api.example.com/a'])
  })

  it('a path that would climb out of the URI never reaches the handler', async () => {
    const hits: string[] = []
    const gw = createGateway({
      api: {
        resources: { '/api/{proxy+}': { ANY: { integration: { type: 'HTTP_PROXY', uri: 'https://b.example.com/public/{proxy}' } } } },
      },
      httpBackends: { 'https://b.example.com': (r) => (hits.push(r.path), { statusCode: 200 }) },
    })
    await gw.handle(req('GET', '/api/a/%2e%2e/%2e%2e/admin'))
    await gw.handle(req('GET', '/api/ok'))
    expect(hits).toEqual(['/public/ok'])
  })

  it.each([
    [{ 'https://a.example.com/v1': () => ({ statusCode: 200 }) }, 'origin alone'],
    [{ 'https://a.example.com/': () => ({ statusCode: 200 }) }, 'origin alone'],
    [{ 'ftp://a.example.com': () => ({ statusCode: 200 }) }, 'http: or https:'],
    [{ 'a.example.com': () => ({ statusCode: 200 }) }, 'not an origin'],
    [{ 'https://a.example.com': 'nope' }, 'function'],
    [{ 'https://a.example.com': () => ({ statusCode: 200 }), 'https://A.example.com:443': () => ({ statusCode: 200 }) }, 'second time'],
  ])('refuses a wrong key or value when the gateway is built (%#)', (httpBackends, message) => {
    const err = configError(() => createGateway({ api: { resources: {} }, httpBackends: httpBackends as never }))
    expect(err.code).toBe('INVALID_OPTION')
    expect(err.message).toContain(message)
  })
})
