// HTTP APIs: payload format 2.0, route keys, $default, 404s and built-in CORS.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html
import { describe, expect, it } from 'vitest'
import { createGateway, GatewayConfigError } from '@gatehousejs/core'
import { echo, header, json, req, text } from './helpers'

const NOW = Date.UTC(2020, 2, 12, 19, 3, 58)

function httpApi(extra: Record<string, unknown> = {}, functions: Record<string, any> = {}) {
  const fn = (name: string, v = '2.0') => ({
    type: 'aws_proxy',
    httpMethod: 'POST',
    uri: `arn:aws:lambda:us-east-1:123456789012:function:${name}`,
    payloadFormatVersion: v,
  })
  return createGateway({
    apiType: 'HTTP',
    api: {
      openapi: '3.0.1',
      info: { title: 'http', version: '1' },
      paths: {
        '/pets/{id}': { get: { 'x-amazon-apigateway-integration': fn('echo') } },
        '/v1/{id}': { get: { 'x-amazon-apigateway-integration': fn('echo', '1.0') } },
        '/result': { get: { 'x-amazon-apigateway-integration': fn('result') } },
        '/$default': { 'x-amazon-apigateway-any-method': { 'x-amazon-apigateway-integration': fn('echo') } },
      },
      ...extra,
    },
    functions: { echo, result: async () => null, ...functions },
    now: () => NOW,
  })
}

describe('HTTP API Lambda event (2.0)', () => {
  it('has the documented fields', async () => {
    const res = await httpApi().handle(
      req('GET', '/pets/a%20b?x=1&x=2&y=%2B', { headers: { cookie: ['a=1; b=2', 'c=3'], 'x-multi': ['p', 'q'] } }),
    )
    const e = json(res)
    expect(e.version).toBe('2.0')
    expect(e.routeKey).toBe('GET /pets/{id}')
    expect(e.rawPath).toBe('/pets/a%20b')
    expect(e.rawQueryString).toBe('x=1&x=2&y=%2B')
    expect(e.cookies).toEqual(['a=1', 'b=2', 'c=3'])
    expect(e.headers.cookie).toBeUndefined()
    expect(e.headers['x-multi']).toBe('p,q')
    expect(e.queryStringParameters).toEqual({ x: '1,2', y: '+' })
    expect(e.pathParameters).toEqual({ id: 'a b' })
    expect(e.isBase64Encoded).toBe(false)
    expect(e.body).toBeUndefined()
    expect(e.stageVariables).toBeUndefined()
    expect(e.multiValueHeaders).toBeUndefined()
    expect(e.requestContext).toMatchObject({
      accountId: '123456789012',
      domainName: 'api.example.com',
      domainPrefix: 'api',
      http: { method: 'GET', path: '/pets/a%20b', protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'test-agent' },
      routeKey: 'GET /pets/{id}',
      stage: '$default',
      time: '12/Mar/2020:19:03:58 +0000',
      timeEpoch: NOW,
    })
    expect(header(res, 'apigw-requestid')).toBeTypeOf('string')
  })

  it('routes everything else to $default', async () => {
    const e = json(await httpApi().handle(req('DELETE', '/anything/here')))
    expect(e.routeKey).toBe('$default')
    expect(e.pathParameters).toBeUndefined()
  })

  it('sends binary bodies base64-encoded and text as text', async () => {
    const gw = httpApi()
    const bin = json(
      await gw.handle(req('POST', '/x', { headers: { 'content-type': 'application/octet-stream' }, body: new Uint8Array([0, 1, 2]) })),
    )
    expect(bin.isBase64Encoded).toBe(true)
    expect(bin.body).toBe('AAEC')
    const txt = json(await gw.handle(req('POST', '/x', { headers: { 'content-type': 'application/json' }, body: '{"a":1}' })))
    expect([txt.isBase64Encoded, txt.body]).toEqual([false, '{"a":1}'])
  })

  it('uses payload 1.0 with a version key when asked', async () => {
    const e = json(await httpApi().handle(req('GET', '/v1/7')))
    expect(e.version).toBe('1.0')
    expect(e.resource).toBe('/v1/{id}')
    expect(e.requestContext.routeKey).toBe('GET /v1/{id}')
  })
})

describe('HTTP API response (2.0)', () => {
  const cases: [string, unknown, number, Record<string, unknown>, string][] = [
    ['a string is the body', 'Hello from Lambda!', 200, { 'content-type': 'application/json' }, 'Hello from Lambda!'],
    ['an object without statusCode is JSON', { message: 'hi' }, 200, { 'content-type': 'application/json' }, '{"message":"hi"}'],
    ['a number', 42, 200, {}, '42'],
    ['a full response', { statusCode: 201, headers: { a: 'b', n: 1 }, body: 'x' }, 201, { a: 'b', n: '1' }, 'x'],
    ['cookies become set-cookie headers', { statusCode: 200, cookies: ['a=1', 'b=2'] }, 200, { 'set-cookie': ['a=1', 'b=2'] }, ''],
    ['a base64 body is decoded', { statusCode: 200, body: Buffer.from('bin').toString('base64'), isBase64Encoded: true }, 200, {}, 'bin'],
  ]
  for (const [name, result, status, headers, body] of cases) {
    it(name, async () => {
      const res = await httpApi({}, { result: async () => result }).handle(req('GET', '/result'))
      expect(res.statusCode).toBe(status)
      for (const [k, v] of Object.entries(headers)) expect(res.headers[k]).toEqual(v)
      expect(text(res)).toBe(body)
    })
  }

  it('500 Internal Server Error when the function throws or returns nothing', async () => {
    for (const fn of [
      async () => {
        throw new Error('x')
      },
      async () => undefined,
    ]) {
      const res = await httpApi({}, { result: fn }).handle(req('GET', '/result'))
      expect(res.statusCode).toBe(500)
      expect(json(res)).toEqual({ message: 'Internal Server Error' })
    }
  })
})

describe('HTTP API routing', () => {
  it('404 Not Found without a $default route', async () => {
    const gw = createGateway({
      apiType: 'HTTP',
      api: { resources: { '/a': { GET: { integration: { type: 'AWS_PROXY', uri: 'f' } } } } },
      functions: { f: echo },
    })
    const res = await gw.handle(req('GET', '/b'))
    expect(res.statusCode).toBe(404)
    expect(json(res)).toEqual({ message: 'Not Found' })
  })
})

describe('HTTP API CORS', () => {
  const cors = {
    'x-amazon-apigateway-cors': {
      allowOrigins: ['https://app.example.com', 'https://*.example.org'],
      allowMethods: ['GET', 'POST'],
      allowHeaders: ['content-type', 'x-api-key'],
      exposeHeaders: ['x-total'],
      maxAge: 600,
      allowCredentials: true,
    },
  }

  it('answers preflight requests itself', async () => {
    const res = await httpApi(cors).handle(
      req('OPTIONS', '/pets/1', { headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' } }),
    )
    expect(res.statusCode).toBe(204)
    expect(res.headers).toMatchObject({
      'access-control-allow-origin': 'https://app.example.com',
      'access-control-allow-methods': 'GET,POST',
      'access-control-allow-headers': 'content-type,x-api-key',
      'access-control-max-age': '600',
      'access-control-allow-credentials': 'true',
    })
  })

  it('matches wildcard origins and refuses others', async () => {
    const gw = httpApi(cors)
    const ok = await gw.handle(
      req('OPTIONS', '/x', { headers: { origin: 'https://a.example.org', 'access-control-request-method': 'GET' } }),
    )
    expect(ok.headers['access-control-allow-origin']).toBe('https://a.example.org')
    const no = await gw.handle(req('OPTIONS', '/x', { headers: { origin: 'https://evil.test', 'access-control-request-method': 'GET' } }))
    expect(no.statusCode).toBe(204)
    expect(no.headers['access-control-allow-origin']).toBeUndefined()
  })

  it('sets CORS headers on actual responses, errors included, overriding the integration', async () => {
    const gw = httpApi(cors, { result: async () => ({ statusCode: 200, headers: { 'access-control-allow-origin': '*' } }) })
    const res = await gw.handle(req('GET', '/result', { headers: { origin: 'https://app.example.com' } }))
    expect(res.headers['access-control-allow-origin']).toBe('https://app.example.com')
    expect(res.headers['access-control-expose-headers']).toBe('x-total')
    const bare = createGateway({ apiType: 'HTTP', api: { resources: {}, cors: { allowOrigins: ['*'] } } })
    const miss = await bare.handle(req('GET', '/nothing', { headers: { origin: 'https://x.test' } }))
    expect([miss.statusCode, miss.headers['access-control-allow-origin']]).toEqual([404, '*'])
  })

  it('refuses allowCredentials with a * origin at build time', () => {
    expect(() => createGateway({ apiType: 'HTTP', api: { resources: {}, cors: { allowOrigins: ['*'], allowCredentials: true } } })).toThrow(
      /allowCredentials/,
    )
  })
})

describe('route precedence per API type', () => {
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html — a route without a
  // greedy path variable wins over any greedy one.
  it('HTTP APIs rank every non-greedy match above greedy ones', async () => {
    const fn = { type: 'AWS_PROXY' as const, uri: 'f' }
    const gw = createGateway({
      apiType: 'HTTP',
      api: { resources: { '/a/{proxy+}': { GET: { integration: fn } }, '/{x}/b/d': { GET: { integration: fn } } } },
      functions: { f: echo },
    })
    expect(json(await gw.handle(req('GET', '/a/b/d'))).routeKey).toBe('GET /{x}/b/d')
  })

  // REST APIs refuse a {param} beside a {proxy+} under one parent (API Gateway's "A sibling ({id}) of this resource
  // already has a variable path part").
  it('REST APIs refuse variable siblings', () => {
    const mock = { type: 'MOCK' as const }
    expect(() =>
      createGateway({ api: { resources: { '/a/{id}': { GET: { integration: mock } }, '/a/{proxy+}': { GET: { integration: mock } } } } }),
    ).toThrow(GatewayConfigError)
  })
})
