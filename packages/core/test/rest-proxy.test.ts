// Lambda proxy integration, payload 1.0, on REST APIs.
// Event fields and response mapping: ../shared/aws-notes/lambda-proxy-events.md (recorded on AWS) and
// https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html
import { describe, expect, it } from 'vitest'
import { createGateway, type GatewayInput } from '@gatehousejs/core'
import { echo, header, json, req, text } from './helpers'

const NOW = Date.UTC(2026, 10, 21, 22, 54, 37)

function openapi(extra: Record<string, unknown> = {}) {
  const lambda = (name: string) => ({
    type: 'aws_proxy',
    httpMethod: 'POST',
    uri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:${name}/invocations`,
  })
  return {
    openapi: '3.0.1',
    info: { title: 'pets', version: '1' },
    paths: {
      '/pets/{id}': { get: { 'x-amazon-apigateway-integration': lambda('echo') } },
      '/pets': { post: { 'x-amazon-apigateway-integration': lambda('echo') } },
      '/{proxy+}': { 'x-amazon-apigateway-any-method': { 'x-amazon-apigateway-integration': lambda('echo') } },
      '/result': { get: { 'x-amazon-apigateway-integration': lambda('result') } },
    },
    ...extra,
  }
}

function gateway(result: unknown = null, input: Partial<GatewayInput> = {}) {
  return createGateway({
    api: openapi(),
    stage: 'prod',
    functions: { echo, result: async () => result },
    now: () => NOW,
    requestId: () => 'c0ffee00-0000-4000-8000-000000000001',
    onWarning: () => {},
    ...input,
  })
}

describe('REST API Lambda proxy event (1.0)', () => {
  it('carries the 12 top-level keys, no version, and nulls for absent maps', async () => {
    const res = await gateway().handle(req('GET', '/pets/7'))
    expect(res.statusCode).toBe(200)
    const event = json(res)
    expect(Object.keys(event).sort()).toEqual(
      [
        'body',
        'headers',
        'httpMethod',
        'isBase64Encoded',
        'multiValueHeaders',
        'multiValueQueryStringParameters',
        'path',
        'pathParameters',
        'queryStringParameters',
        'requestContext',
        'resource',
        'stageVariables',
      ].sort(),
    )
    expect(event.resource).toBe('/pets/{id}')
    expect(event.path).toBe('/pets/7')
    expect(event.httpMethod).toBe('GET')
    expect(event.pathParameters).toEqual({ id: '7' })
    expect(event.queryStringParameters).toBeNull()
    expect(event.multiValueQueryStringParameters).toBeNull()
    expect(event.stageVariables).toBeNull()
    expect(event.body).toBeNull()
    expect(event.isBase64Encoded).toBe(false)
  })

  it('keeps the last query value and every value, decoded with + as space', async () => {
    const event = json(await gateway().handle(req('GET', '/pets/1?category=electronics&category=books&plus=test+alias@gmail.com&enc=%2B')))
    expect(event.queryStringParameters).toEqual({ category: 'books', plus: 'test alias@gmail.com', enc: '+' })
    expect(event.multiValueQueryStringParameters).toEqual({
      category: ['electronics', 'books'],
      plus: ['test alias@gmail.com'],
      enc: ['+'],
    })
  })

  it('fills headers (last value) and multiValueHeaders (every value), well-known names capitalised', async () => {
    const event = json(await gateway().handle(req('GET', '/pets/1', { headers: { 'content-type': 'text/plain', 'x-multi': ['a', 'b'] } })))
    expect(event.headers['Content-Type']).toBe('text/plain')
    expect(event.headers['x-multi']).toBe('b')
    expect(event.multiValueHeaders['x-multi']).toEqual(['a', 'b'])
    expect(event.headers['X-Forwarded-For']).toBe('203.0.113.7')
    expect(event.headers.Host).toBe('api.example.com')
  })

  it('fills requestContext as AWS records it, with the stage in requestContext.path only', async () => {
    const event = json(await gateway(null, { stageInPath: true }).handle(req('GET', '/prod/pets/1')))
    expect(event.path).toBe('/pets/1')
    const ctx = event.requestContext
    expect(ctx.path).toBe('/prod/pets/1')
    expect(ctx.stage).toBe('prod')
    expect(ctx.resourcePath).toBe('/pets/{id}')
    expect(ctx.httpMethod).toBe('GET')
    expect(ctx.protocol).toBe('HTTP/1.1')
    expect(ctx.requestTime).toBe('21/Nov/2026:22:54:37 +0000')
    expect(ctx.requestTimeEpoch).toBe(NOW)
    expect(ctx.requestId).toBe('c0ffee00-0000-4000-8000-000000000001')
    expect(ctx.accountId).toBe('123456789012')
    expect(ctx.domainName).toBe('api.example.com')
    expect(ctx.domainPrefix).toBe('api')
    expect(ctx.identity.sourceIp).toBe('203.0.113.7')
    expect(ctx.identity.userAgent).toBe('test-agent')
    expect(ctx.identity.user).toBeNull()
    expect(typeof ctx.apiId).toBe('string')
    expect(typeof ctx.resourceId).toBe('string')
    expect(typeof ctx.extendedRequestId).toBe('string')
    expect(ctx.authorizer).toBeUndefined()
  })

  it('passes the greedy remainder raw, and drops extra leading slashes from path', async () => {
    const event = json(await gateway().handle(req('GET', '//proxy-value/a%2Bb//c')))
    expect(event.resource).toBe('/{proxy+}')
    expect(event.path).toBe('/proxy-value/a%2Bb//c')
    expect(event.pathParameters).toEqual({ proxy: 'proxy-value/a%2Bb//c' })
  })

  it('takes the last of repeated Content-Type headers', async () => {
    const gw = gateway(null, { api: openapi({ 'x-amazon-apigateway-binary-media-types': ['image/png'] }) })
    const event = json(await gw.handle(req('POST', '/pets', { headers: { 'content-type': ['application/json', 'image/png'] }, body: 'x' })))
    expect([event.isBase64Encoded, event.body]).toEqual([true, 'eA=='])
  })

  it('sends text bodies as strings and binary media types base64-encoded', async () => {
    const gw = gateway(null, { api: openapi({ 'x-amazon-apigateway-binary-media-types': ['image/png'] }) })
    const textEvent = json(await gw.handle(req('POST', '/pets', { headers: { 'content-type': 'application/json' }, body: '{"a":1}' })))
    expect(textEvent.body).toBe('{"a":1}')
    expect(textEvent.isBase64Encoded).toBe(false)
    const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 255])
    const binEvent = json(await gw.handle(req('POST', '/pets', { headers: { 'content-type': 'image/png' }, body: bytes })))
    expect(binEvent.isBase64Encoded).toBe(true)
    expect(Buffer.from(binEvent.body, 'base64')).toEqual(Buffer.from(bytes))
  })

  it('gives Lambda a context object', async () => {
    let seen: any
    const gw = createGateway({
      api: openapi(),
      functions: { echo: async (_e, context) => ((seen = context), { statusCode: 204 }), result: echo },
      onWarning: () => {},
    })
    const res = await gw.handle(req('GET', '/pets/1'))
    expect(res.statusCode).toBe(204)
    expect(seen.functionName).toBe('echo')
    expect(seen.invokedFunctionArn).toBe('arn:aws:lambda:us-east-1:123456789012:function:echo')
    expect(typeof seen.awsRequestId).toBe('string')
    expect(seen.getRemainingTimeInMillis()).toBeGreaterThan(0)
  })

  it('supports callback-style handlers', async () => {
    const gw = createGateway({
      api: openapi(),
      functions: { echo: (_e, _c, cb) => cb!(null, { statusCode: 201, body: 'cb' }), result: echo },
      onWarning: () => {},
    })
    const res = await gw.handle(req('GET', '/pets/1'))
    expect([res.statusCode, text(res)]).toEqual([201, 'cb'])
  })
})

// Response mapping outcomes recorded on AWS (lambda-proxy-events.md §3).
describe('REST API Lambda proxy response (1.0)', () => {
  const cases: [string, unknown, number, Record<string, string | string[]>, string][] = [
    ['status only', { statusCode: 200 }, 200, { 'Content-Type': 'application/json' }, ''],
    [
      'header values stringified',
      { statusCode: 200, headers: { 'test-header': 'value', 'header-bool': true } },
      200,
      { 'test-header': 'value', 'header-bool': 'true' },
      '',
    ],
    ['null headers accepted', { statusCode: 200, headers: null }, 200, {}, ''],
    [
      'multi-value headers',
      { statusCode: 200, multiValueHeaders: { 'test-multi': ['value1', 'value2'] } },
      200,
      { 'test-multi': ['value1', 'value2'] },
      '',
    ],
    [
      'multi-value and single headers both kept',
      { statusCode: 200, multiValueHeaders: { 'test-multi': ['value-multi'] }, headers: { 'test-multi': 'value-solo' } },
      200,
      { 'test-multi': ['value-multi', 'value-solo'] },
      '',
    ],
    [
      'merged case-insensitively, spelling from multiValueHeaders',
      { statusCode: 200, multiValueHeaders: { 'tesT-Multi': ['a'] }, headers: { 'test-multi': 'b' } },
      200,
      { 'tesT-Multi': ['a', 'b'] },
      '',
    ],
    ['numeric string status', { statusCode: '201' }, 201, {}, ''],
    ['no status code', { headers: { 'test-header': 'value' } }, 200, { 'test-header': 'value' }, ''],
    [
      'base64 body without binary media types stays encoded',
      { statusCode: 200, body: 'dGVzdC1kYXRh', isBase64Encoded: true },
      200,
      {},
      'dGVzdC1kYXRh',
    ],
  ]
  for (const [name, result, status, headers, body] of cases) {
    it(name, async () => {
      const res = await gateway(result).handle(req('GET', '/result'))
      expect(res.statusCode).toBe(status)
      for (const [k, v] of Object.entries(headers)) expect(res.headers[k]).toEqual(v)
      expect(text(res)).toBe(body)
    })
  }

  const malformed: [string, unknown][] = [
    ['unknown top-level key', { statusCode: 200, wrongValue: 'value' }],
    ['multi-value header not a list', { statusCode: 200, multiValueHeaders: { x: 'value1' } }],
    ['non-numeric status', { statusCode: 'test' }],
    ['a bare string', 'justAString'],
    ['nothing', undefined],
    ['an object body', { statusCode: 200, body: { a: 1 } }],
    ['a header value with CR/LF', { statusCode: 200, headers: { 'x-a': 'v\r\nset-cookie: evil=1' } }],
    ['a header name that is not a token', { statusCode: 200, headers: { 'bad name': 'v' } }],
    ['a multi-value header with CR/LF', { statusCode: 200, multiValueHeaders: { 'x-a': ['ok', 'v\nx'] } }],
  ]
  for (const [name, result] of malformed) {
    it(`502 for ${name}`, async () => {
      const res = await gateway(result).handle(req('GET', '/result'))
      expect(res.statusCode).toBe(502)
      expect(text(res)).toBe('{"message": "Internal server error"}')
      expect(header(res, 'x-amzn-ErrorType')).toBe('InternalServerErrorException')
    })
  }

  it('502 when the function throws', async () => {
    const gw = createGateway({
      api: openapi(),
      functions: {
        echo: async () => {
          throw new Error('boom')
        },
        result: echo,
      },
      onWarning: () => {},
    })
    const res = await gw.handle(req('GET', '/pets/1'))
    expect(res.statusCode).toBe(502)
    expect(text(res)).not.toContain('boom')
  })

  it('504 INTEGRATION_TIMEOUT when the function outlives timeoutInMillis', async () => {
    const api = openapi()
    ;(api.paths['/pets/{id}'].get['x-amazon-apigateway-integration'] as any).timeoutInMillis = 50
    const gw = createGateway({ api, functions: { echo: () => new Promise(() => {}), result: echo }, onWarning: () => {} })
    const res = await gw.handle(req('GET', '/pets/1'))
    expect(res.statusCode).toBe(504)
    expect(json(res)).toEqual({ message: 'Endpoint request timed out' })
  })

  it('decodes a base64 body when binary media types match Accept', async () => {
    const gw = gateway(
      {
        statusCode: 200,
        body: Buffer.from([1, 2, 3]).toString('base64'),
        isBase64Encoded: true,
        headers: { 'content-type': 'application/octet-stream' },
      },
      {
        api: openapi({ 'x-amazon-apigateway-binary-media-types': ['application/octet-stream'] }),
      },
    )
    const res = await gw.handle(req('GET', '/result', { headers: { accept: 'application/octet-stream' } }))
    expect(Buffer.from(res.body as Uint8Array)).toEqual(Buffer.from([1, 2, 3]))
  })
})

describe('REST API routing and gateway responses', () => {
  it('answers an unknown route with 403 Missing Authentication Token', async () => {
    const gw = createGateway({ api: { resources: { '/a': { GET: { integration: { type: 'MOCK' } } } } } })
    for (const [m, p] of [
      ['GET', '/nope'],
      ['POST', '/a'],
    ]) {
      const res = await gw.handle(req(m!, p!))
      expect(res.statusCode).toBe(403)
      expect(text(res)).toBe('{"message":"Missing Authentication Token"}')
      expect(header(res, 'x-amzn-ErrorType')).toBe('MissingAuthenticationTokenException')
      expect(header(res, 'x-amzn-RequestId')).toBeTypeOf('string')
    }
  })

  it('requires the stage in the path when stageInPath is set', async () => {
    const gw = gateway(null, { stageInPath: true })
    expect((await gw.handle(req('GET', '/pets/1'))).statusCode).toBe(403)
    expect((await gw.handle(req('GET', '/prod/pets/1'))).statusCode).toBe(200)
    expect((await gw.handle(req('GET', '/production/pets/1'))).statusCode).toBe(403)
  })

  it('413 for a body over 10 MB, not customisable', async () => {
    const gw = gateway(null, {
      api: openapi({ 'x-amazon-apigateway-gateway-responses': { REQUEST_TOO_LARGE: { statusCode: 400 } } }),
    })
    const res = await gw.handle(req('POST', '/pets', { body: new Uint8Array(10 * 1024 * 1024 + 1) }))
    expect(res.statusCode).toBe(413)
    expect(json(res)).toEqual({ message: 'Request Too Long' })
  })

  it('customises a type: status, headers and a template with $context.error.messageString', async () => {
    const gw = createGateway({
      api: {
        resources: { '/a': { GET: { integration: { type: 'MOCK' } } } },
        gatewayResponses: {
          MISSING_AUTHENTICATION_TOKEN: {
            statusCode: 404,
            responseParameters: {
              'gatewayresponse.header.Access-Control-Allow-Origin': "'*'",
              'gatewayresponse.header.x-path': 'context.path',
            },
            responseTemplates: {
              'application/json': '{"error":$context.error.messageString,"type":"$context.error.responseType","id":"$context.requestId"}',
            },
          },
        },
      },
      requestId: () => 'rid-1',
    })
    const res = await gw.handle(req('GET', '/missing'))
    expect(res.statusCode).toBe(404)
    expect(res.headers['Access-Control-Allow-Origin']).toBe('*')
    expect(res.headers['x-path']).toBe('/missing')
    expect(json(res)).toEqual({ error: 'Missing Authentication Token', type: 'MISSING_AUTHENTICATION_TOKEN', id: 'rid-1' })
  })

  it('falls back to DEFAULT_4XX / DEFAULT_5XX customisations', async () => {
    const gw = createGateway({
      api: {
        resources: { '/a': { GET: { integration: { type: 'AWS_PROXY', uri: 'bad' } } } },
        gatewayResponses: {
          DEFAULT_4XX: { responseParameters: { 'gatewayresponse.header.x-kind': "'4xx'" } },
          DEFAULT_5XX: { statusCode: 503, responseTemplates: { 'application/json': '{"oops":true}' } },
        },
      },
      functions: { bad: async () => 'not a response' },
    })
    const miss = await gw.handle(req('GET', '/b'))
    expect([miss.statusCode, miss.headers['x-kind']]).toEqual([403, '4xx'])
    const broken = await gw.handle(req('GET', '/a'))
    expect([broken.statusCode, text(broken)]).toEqual([503, '{"oops":true}'])
  })
})

describe('stages', () => {
  it('substitutes stage variables in the function URI and passes them in the event', async () => {
    const gw = createGateway({
      api: {
        resources: {
          '/a': {
            GET: { integration: { type: 'AWS_PROXY', uri: 'arn:aws:lambda:us-east-1:123456789012:function:fn:${stageVariables.alias}' } },
          },
        },
      },
      stage: { stageName: 'beta', variables: { alias: 'live' } },
      functions: { 'fn:live': echo },
    })
    const event = json(await gw.handle(req('GET', '/a')))
    expect(event.stageVariables).toEqual({ alias: 'live' })
    expect(event.requestContext.stage).toBe('beta')
  })

  it('fails to build when a stage variable is missing', () => {
    expect(() =>
      createGateway({
        api: { resources: { '/a': { GET: { integration: { type: 'AWS_PROXY', uri: 'fn:${stageVariables.alias}' } } } } },
        functions: { fn: echo },
      }),
    ).toThrow(/stage variable "alias"/)
  })
})
