// Payload conversion (contentHandling × binary media types), parameter and override mappings, VTL gateway
// responses, and what the build refuses — end to end through handle(), from OpenAPI documents.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createGateway, type LambdaHandler } from '@gatehousejs/core'
import { configError, header, json, req, text } from './helpers'
import { doc, FN, op, startBackend, type Backend } from './non-proxy-helpers'

let backend: Backend
beforeAll(async () => {
  backend = await startBackend()
})
afterAll(() => backend.close())

const bytes = (res: { body: string | Uint8Array }) => (typeof res.body === 'string' ? null : Buffer.from(res.body).toString('base64'))

// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-payload-encodings-workflow.html
// (request table): what reaches the backend for a text or binary method request payload.
describe('request payload conversion (contentHandling)', () => {
  const TEXT = { body: 'AQID', type: 'text/plain' } // base64 of the bytes 01 02 03
  const BINARY = { body: new Uint8Array([1, 2, 3]), type: 'image/png' }
  // payload, binaryMediaTypes set?, contentHandling → base64 of the bytes the backend received
  const table: [typeof TEXT | typeof BINARY, boolean, string | undefined, string][] = [
    [TEXT, false, undefined, 'QVFJRA=='], // UTF8-encoded string
    [TEXT, false, 'CONVERT_TO_BINARY', 'AQID'], // base64-decoded binary blob
    [TEXT, false, 'CONVERT_TO_TEXT', 'QVFJRA=='], // UTF8-encoded string
    [TEXT, true, undefined, 'QVFJRA=='], // text data
    [TEXT, true, 'CONVERT_TO_BINARY', 'AQID'], // base64-decoded binary blob
    [TEXT, true, 'CONVERT_TO_TEXT', 'QVFJRA=='], // text data
    [BINARY, true, undefined, 'AQID'], // binary data
    [BINARY, true, 'CONVERT_TO_BINARY', 'AQID'], // binary data
    [BINARY, true, 'CONVERT_TO_TEXT', 'QVFJRA=='], // base64-encoded string
  ]
  for (const [payload, binaryTypes, handling, expected] of table) {
    it(`${payload === TEXT ? 'text' : 'binary'} payload, binaryMediaTypes ${binaryTypes ? 'set' : 'unset'}, ${handling ?? 'undefined'}`, async () => {
      const gw = createGateway({
        api: doc(
          {
            '/up': {
              post: op({
                type: 'http',
                httpMethod: 'POST',
                uri: `${backend.url}/echo`,
                ...(handling ? { contentHandling: handling } : {}),
                responses: { default: { statusCode: '200' } },
              }),
            },
          },
          binaryTypes ? { 'x-amazon-apigateway-binary-media-types': ['image/png'] } : {},
        ),
      })
      const res = await gw.handle(req('POST', '/up', { body: payload.body, headers: { 'content-type': payload.type } }))
      expect(res.statusCode).toBe(200)
      expect(json(res).base64).toBe(expected)
    })
  }

  it('CONVERT_TO_TEXT hands a binary upload to a Lambda template as base64', async () => {
    const seen: unknown[] = []
    const gw = createGateway({
      api: doc(
        {
          '/img': {
            post: op({
              type: 'aws',
              uri: FN('store'),
              contentHandling: 'CONVERT_TO_TEXT',
              requestTemplates: { 'image/png': '{"data": "$input.body", "type": "$input.params(\'content-type\')"}' },
              responses: { default: { statusCode: '200' } },
            }),
          },
        },
        { 'x-amazon-apigateway-binary-media-types': ['image/png'] },
      ),
      functions: { store: async (e: unknown) => (seen.push(e), { ok: true }) },
    })
    const res = await gw.handle(
      req('POST', '/img', { body: new Uint8Array([0x89, 0x50, 0x4e, 0x47]), headers: { 'content-type': 'image/png' } }),
    )
    expect(res.statusCode).toBe(200)
    expect(seen).toEqual([{ data: 'iVBORw==', type: 'image/png' }])
  })
})

// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-payload-encodings-workflow.html
// (response table): what the client gets for a text or binary integration response payload and its Accept.
describe('response payload conversion (contentHandling)', () => {
  // backend (png: binary image/png bytes 89504E47; b64: text "AQID"), binaryMediaTypes set?, Accept, handling
  // → the body: bytes (base64 shown) or text
  const table: ['png' | 'b64', boolean, string, string | undefined, { bytes: string } | { text: string }][] = [
    ['b64', false, 'text/plain', undefined, { text: 'AQID' }],
    ['b64', false, 'text/plain', 'CONVERT_TO_BINARY', { bytes: 'AQID' }],
    ['b64', false, 'text/plain', 'CONVERT_TO_TEXT', { text: 'AQID' }],
    ['b64', true, 'text/plain', undefined, { text: 'AQID' }],
    ['b64', true, 'text/plain', 'CONVERT_TO_BINARY', { bytes: 'AQID' }],
    ['b64', true, 'text/plain', 'CONVERT_TO_TEXT', { text: 'AQID' }],
    ['b64', true, 'image/png', undefined, { bytes: 'AQID' }],
    ['b64', true, 'image/png', 'CONVERT_TO_BINARY', { bytes: 'AQID' }],
    ['b64', true, 'image/png', 'CONVERT_TO_TEXT', { text: 'AQID' }],
    ['png', true, 'text/plain', undefined, { text: 'iVBORw==' }],
    ['png', true, 'text/plain', 'CONVERT_TO_BINARY', { bytes: 'iVBORw==' }],
    ['png', true, 'text/plain', 'CONVERT_TO_TEXT', { text: 'iVBORw==' }],
    ['png', true, 'image/png', undefined, { bytes: 'iVBORw==' }],
    ['png', true, 'image/png', 'CONVERT_TO_BINARY', { bytes: 'iVBORw==' }],
    ['png', true, 'image/png', 'CONVERT_TO_TEXT', { text: 'iVBORw==' }],
  ]
  for (const [route, binaryTypes, accept, handling, expected] of table) {
    it(`${route === 'png' ? 'binary' : 'text'} payload, binaryMediaTypes ${binaryTypes ? 'set' : 'unset'}, Accept ${accept}, ${handling ?? 'undefined'}`, async () => {
      const gw = createGateway({
        api: doc(
          {
            '/get': {
              get: op({
                type: 'http',
                httpMethod: 'GET',
                uri: `${backend.url}/${route}`,
                responses: {
                  default: {
                    statusCode: '200',
                    ...(handling ? { contentHandling: handling } : {}),
                    responseParameters: { 'method.response.header.Content-Type': 'integration.response.header.Content-Type' },
                  },
                },
              }),
            },
          },
          binaryTypes ? { 'x-amazon-apigateway-binary-media-types': ['image/png'] } : {},
        ),
      })
      const res = await gw.handle(req('GET', '/get', { headers: { accept: accept } }))
      expect(res.statusCode).toBe(200)
      if ('bytes' in expected) expect(bytes(res)).toBe(expected.bytes)
      else expect(res.body).toBe(expected.text)
      expect(res.headers['Content-Type']).toBe(route === 'png' ? 'image/png' : 'text/plain')
    })
  }

  it('a Lambda function returns an image as base64 with CONVERT_TO_BINARY', async () => {
    const gw = createGateway({
      api: doc({
        '/logo': {
          get: op({
            type: 'aws',
            uri: FN('logo'),
            responses: {
              default: {
                statusCode: '200',
                contentHandling: 'CONVERT_TO_BINARY',
                responseParameters: { 'method.response.header.Content-Type': "'image/png'" },
              },
            },
          }),
        },
      }),
      functions: { logo: async () => Buffer.from([0x89, 0x50, 0x4e, 0x47]).toString('base64') },
    })
    const res = await gw.handle(req('GET', '/logo'))
    expect([res.statusCode, bytes(res), res.headers['Content-Type']]).toEqual([200, 'iVBORw==', 'image/png'])
  })
})

// https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-parameter-mapping-sources.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-override-request-response-parameters.html
describe('parameter mappings and overrides', () => {
  it('maps multi-value headers, the whole body and overrides the path', async () => {
    const gw = createGateway({
      api: doc({
        '/m/{a}': {
          post: op({
            type: 'http',
            httpMethod: 'POST',
            uri: `${backend.url}/echo/{a}/{b}`,
            requestParameters: {
              'integration.request.path.b': "'fixed'",
              'integration.request.header.X-All': 'method.request.multivalueheader.x-multi',
              'integration.request.header.X-Body': 'method.request.body',
              'integration.request.header.X-Ip': 'context.identity.sourceIp',
            },
            requestTemplates: { 'application/json': '#set($context.requestOverride.path.a = "over")$input.body' },
            responses: { default: { statusCode: '200' } },
          }),
        },
      }),
    })
    const res = await gw.handle(
      req('POST', '/m/orig', { body: '{"k":1}', headers: { 'content-type': 'application/json', 'x-multi': ['1', '2'] } }),
    )
    const seen = json(res)
    expect(seen.url).toBe('/echo/over/fixed')
    expect(seen.headers).toMatchObject({ 'x-all': '1,2', 'x-body': '{"k":1}', 'x-ip': '203.0.113.7' })
  })

  it('$input.params() exposes the path, querystring and header maps', async () => {
    const seen: unknown[] = []
    const gw = createGateway({
      api: doc({
        '/p/{id}': {
          get: op({
            type: 'aws',
            uri: FN('f'),
            requestTemplates: {
              'application/json':
                '#set($p = $input.params()){"path": "$p.path.id", "q": "$p.querystring.get(\'a\')", "h": "$p.header.get(\'x-h\')", "keys": "$p.keySet()"}',
            },
            responses: { default: { statusCode: '200' } },
          }),
        },
      }),
      functions: { f: async (e: unknown) => (seen.push(e), {}) },
    })
    await gw.handle(req('GET', '/p/9?a=1&a=2', { headers: { 'x-h': 'v' } }))
    expect(seen).toEqual([{ path: '9', q: '2', h: 'v', keys: '[path, querystring, header]' }])
  })

  it('carries cacheKeyParameters for the cache stage', () => {
    const gw = createGateway({
      api: doc({
        '/c': {
          get: op({
            type: 'mock',
            cacheKeyParameters: ['method.request.querystring.q'],
            cacheNamespace: 'ns',
            requestTemplates: { 'application/json': '{"statusCode":200}' },
          }),
        },
      }),
    })
    expect(gw.definition.resources['/c']!.GET!.integration).toMatchObject({
      cacheKeyParameters: ['method.request.querystring.q'],
      cacheNamespace: 'ns',
    })
  })
})

// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-gatewayResponse-definition.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
describe('gateway responses are VTL templates', () => {
  const api = doc(
    {
      '/only-json': {
        post: op({
          type: 'mock',
          passthroughBehavior: 'never',
          requestTemplates: { 'application/json': '{"statusCode":200}' },
          responses: { default: { statusCode: '200' } },
        }),
      },
    },
    {
      'x-amazon-apigateway-gateway-responses': {
        DEFAULT_4XX: {
          responseParameters: {
            'gatewayresponse.header.X-Type': 'context.error.responseType',
            'gatewayresponse.header.X-Q': 'method.request.querystring.debug',
          },
          responseTemplates: {
            'application/json':
              '{"error": $context.error.messageString, "type": "$context.error.responseType"#if($input.params(\'debug\') == "1"), "path": "$context.path", "stage": "$stageVariables.name"#end}',
          },
        },
      },
    },
  )
  const gw = createGateway({ api, stage: { stageName: 'prod', variables: { name: 'production' } } })

  it('renders #if, $context.error.*, $input.params and $stageVariables', async () => {
    const plain = await gw.handle(req('GET', '/nope'))
    expect([plain.statusCode, json(plain), plain.headers['X-Type']]).toEqual([
      403,
      { error: 'Missing Authentication Token', type: 'MISSING_AUTHENTICATION_TOKEN' },
      'MISSING_AUTHENTICATION_TOKEN',
    ])
    const debug = await gw.handle(req('GET', '/nope?debug=1'))
    expect(json(debug)).toEqual({
      error: 'Missing Authentication Token',
      type: 'MISSING_AUTHENTICATION_TOKEN',
      path: '/nope',
      stage: 'production',
    })
    expect(debug.headers['X-Q']).toBe('1')
  })

  it('customises the 415 of a NEVER passthrough through DEFAULT_4XX', async () => {
    const res = await gw.handle(req('POST', '/only-json', { body: 'x', headers: { 'content-type': 'text/plain' } }))
    expect([res.statusCode, json(res), header(res, 'x-amzn-ErrorType')]).toEqual([
      415,
      { error: 'Unsupported Media Type', type: 'UNSUPPORTED_MEDIA_TYPE' },
      'UnsupportedMediaTypeException',
    ])
  })

  it('a template that fails at run time keeps the default body', async () => {
    const g = createGateway({
      api: doc(
        {},
        { 'x-amazon-apigateway-gateway-responses': { DEFAULT_4XX: { responseTemplates: { 'application/json': '$util.parseJson("{")' } } } },
      ),
    })
    const res = await g.handle(req('GET', '/nope'))
    expect([res.statusCode, text(res)]).toEqual([403, '{"message":"Missing Authentication Token"}'])
  })
})

// Everything decidable at build time is refused at build time, naming the JSON pointer of the offending value.
describe('build-time refusals', () => {
  const I = '/resources/~1a/GET/integration'
  const functions: Record<string, LambdaHandler> = { f: async () => ({}) }
  const table: [string, Record<string, unknown>, string, string?][] = [
    ['invalid selectionPattern', { type: 'AWS', uri: FN('f'), responses: { '(': { statusCode: '400' } } }, `${I}/responses/(`],
    [
      'request template syntax error',
      { type: 'MOCK', requestTemplates: { 'application/json': '#if($a' } },
      `${I}/requestTemplates/application~1json`,
    ],
    [
      'response template syntax error',
      { type: 'MOCK', responses: { default: { statusCode: '200', responseTemplates: { 'text/html': '#foreach(' } } } },
      `${I}/responses/default/responseTemplates/text~1html`,
    ],
    [
      'request mapping target',
      { type: 'HTTP', uri: 'http://x', requestParameters: { 'integration.request.body': "'x'" } },
      `${I}/requestParameters/integration.request.body`,
    ],
    [
      'request mapping source',
      { type: 'HTTP', uri: 'http://x', requestParameters: { 'integration.request.header.x': 'method.request.cookie.x' } },
      `${I}/requestParameters/integration.request.header.x`,
    ],
    [
      'response mapping source',
      {
        type: 'MOCK',
        responses: { default: { statusCode: '200', responseParameters: { 'method.response.header.x': 'method.request.header.x' } } },
      },
      `${I}/responses/default/responseParameters/method.response.header.x`,
    ],
    [
      'response mapping target',
      { type: 'MOCK', responses: { default: { statusCode: '200', responseParameters: { 'integration.response.header.x': "'v'" } } } },
      `${I}/responses/default/responseParameters/integration.response.header.x`,
    ],
    [
      'bad body JSONPath',
      {
        type: 'MOCK',
        responses: { default: { statusCode: '200', responseParameters: { 'method.response.header.x': 'integration.response.body.a[' } } },
      },
      `${I}/responses/default/responseParameters/method.response.header.x`,
    ],
    ['non-http uri', { type: 'HTTP', uri: 'ftp://example.com/x' }, `${I}/uri`],
  ]
  for (const [name, integration, ptr] of table) {
    it(`${name} → ${ptr}`, () => {
      const e = configError(() =>
        createGateway({ api: { resources: { '/a': { GET: { integration: integration as never } } } }, functions }),
      )
      expect(e.code).toBe('INVALID_DEFINITION')
      expect(e.pointer).toBe(ptr)
    })
  }

  it('gateway response template syntax error', () => {
    const e = configError(() =>
      createGateway({ api: { resources: {}, gatewayResponses: { DEFAULT_4XX: { responseTemplates: { 'application/json': '#if(' } } } } }),
    )
    expect(e.pointer).toBe('/gatewayResponses/DEFAULT_4XX/responseTemplates/application~1json')
  })

  it('an AWS service integration URI whose region is not an AWS region is refused at the uri', () => {
    const e = configError(() =>
      createGateway({
        api: {
          resources: { '/a': { GET: { integration: { type: 'AWS', uri: 'arn:aws:apigateway:example.com:dynamodb:action/PutItem' } } } },
        },
      }),
    )
    expect([e.code, e.pointer]).toEqual(['INVALID_DEFINITION', `${I}/uri`])
  })

  it('non-proxy AWS/HTTP integrations need a REST API', () => {
    const e = configError(() =>
      createGateway({ apiType: 'HTTP', api: { resources: { '/a': { GET: { integration: { type: 'HTTP', uri: 'http://x' } } } } } }),
    )
    expect(e.code).toBe('UNSUPPORTED_FEATURE')
  })
})
