// Import of OpenAPI documents with x-amazon-apigateway-* extensions: errors name the JSON pointer, and what the
// gateway does not implement is reported, never silently ignored.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions.html
import { describe, expect, it } from 'vitest'
import { createGateway, type GatewayWarning } from '@gatehousejs/core'
import { VtlError } from '@gatehousejs/vtl'
import { configError } from './helpers'

const doc = (paths: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  openapi: '3.0.1',
  info: { title: 't', version: '1' },
  paths,
  ...extra,
})

describe('OpenAPI import errors', () => {
  const table: [string, Record<string, unknown>, string][] = [
    [
      'unknown integration type',
      doc({ '/a': { get: { 'x-amazon-apigateway-integration': { type: 'nope' } } } }),
      '/paths/~1a/get/x-amazon-apigateway-integration/type',
    ],
    [
      'missing uri',
      doc({ '/a': { get: { 'x-amazon-apigateway-integration': { type: 'http_proxy' } } } }),
      '/paths/~1a/get/x-amazon-apigateway-integration',
    ],
    [
      'timeout out of range',
      doc({ '/a': { get: { 'x-amazon-apigateway-integration': { type: 'mock', timeoutInMillis: 30000 } } } }),
      '/paths/~1a/get/x-amazon-apigateway-integration/timeoutInMillis',
    ],
    [
      'bad gateway response type',
      doc({}, { 'x-amazon-apigateway-gateway-responses': { NOPE: {} } }),
      '/x-amazon-apigateway-gateway-responses/NOPE',
    ],
    ['paths not an object', { openapi: '3.0.1', info: {}, paths: [] }, '/paths'],
    [
      'dangling $ref',
      doc({ '/a': { get: { parameters: [{ $ref: '#/components/parameters/x' }], 'x-amazon-apigateway-integration': { type: 'mock' } } } }),
      '/paths/~1a/get/parameters/0',
    ],
    [
      'payload 2.0 on REST',
      doc({ '/a': { get: { 'x-amazon-apigateway-integration': { type: 'aws_proxy', uri: 'f', payloadFormatVersion: '2.0' } } } }),
      '/paths/~1a/get/x-amazon-apigateway-integration/payloadFormatVersion',
    ],
    // JSON can hold values whose string conversion throws ({"toString": ""}): still a GatewayConfigError.
    [
      'integration type that cannot convert to text',
      doc({ '/a': { get: { 'x-amazon-apigateway-integration': JSON.parse('{"type":{"toString":""}}') } } }),
      '/paths/~1a/get/x-amazon-apigateway-integration/type',
    ],
    [
      'passthroughBehavior that cannot convert to text',
      doc({ '/a': { get: { 'x-amazon-apigateway-integration': JSON.parse('{"type":"mock","passthroughBehavior":[{"toString":""}]}') } } }),
      '/paths/~1a/get/x-amazon-apigateway-integration/passthroughBehavior',
    ],
    [
      'authorizer type that cannot convert to text',
      doc(
        { '/a': { get: { security: [{ auth: [] }], 'x-amazon-apigateway-integration': { type: 'mock' } } } },
        {
          components: {
            securitySchemes: {
              auth: {
                type: 'apiKey',
                name: 'Authorization',
                in: 'header',
                'x-amazon-apigateway-authorizer': JSON.parse('{"type":[{"toString":""}]}'),
              },
            },
          },
        },
      ),
      '/components/securitySchemes/auth/x-amazon-apigateway-authorizer/type',
    ],
  ]
  for (const [name, api, ptr] of table) {
    it(`${name} → ${ptr}`, () => {
      const e = configError(() => createGateway({ api, onWarning: () => {} }))
      expect(e.pointer).toBe(ptr)
      expect(e.message.startsWith(ptr)).toBe(true)
    })
  }

  it('refuses an unknown integration type in a native definition', () => {
    const e = configError(() => createGateway({ api: { resources: { '/a': { GET: { integration: { type: 'aws' as never } } } } } }))
    expect(e.pointer).toBe('/resources/~1a/GET/integration/type')
  })

  it('names the missing function', () => {
    const e = configError(() =>
      createGateway({
        api: doc({
          '/a': { get: { 'x-amazon-apigateway-integration': { type: 'aws_proxy', uri: 'arn:aws:lambda:us-east-1:1:function:missing' } } },
        }),
      }),
    )
    expect(e.code).toBe('UNKNOWN_FUNCTION')
    expect(e.message).toContain('"missing"')
  })
})

describe('OpenAPI import warnings', () => {
  const api = doc(
    {
      '/a': {
        get: {
          security: [{ sigv4: [] }],
          'x-amazon-apigateway-made-up-extension': true,
          'x-amazon-apigateway-integration': { type: 'mock' },
        },
        post: {},
      },
    },
    { 'x-amazon-apigateway-importexport-version': '1.0' },
  )

  it('reports unimplemented extensions, security and missing integrations', () => {
    const seen: GatewayWarning[] = []
    const gw = createGateway({ api, onWarning: (w) => seen.push(w) })
    expect(seen.map((w) => w.pointer).sort()).toEqual(
      ['/paths/~1a/get/security', '/paths/~1a/get/x-amazon-apigateway-made-up-extension', '/paths/~1a/post'].sort(),
    )
    expect(gw.warnings).toHaveLength(3)
  })

  it('makes them fatal with strict', () => {
    const e = configError(() => createGateway({ api, strict: true }))
    expect(e.code).toBe('UNSUPPORTED_FEATURE')
  })

  it('imports parameters, any-method and Swagger 2.0', async () => {
    const gw = createGateway({
      api: {
        swagger: '2.0',
        info: { title: 's', version: '1' },
        paths: {
          '/p/{id}': {
            parameters: [{ name: 'id', in: 'path', required: true }],
            'x-amazon-apigateway-any-method': {
              parameters: [{ name: 'q', in: 'query', required: true }],
              'x-amazon-apigateway-integration': {
                type: 'mock',
                requestTemplates: { 'application/json': '{"statusCode":200}' },
                responses: { default: { statusCode: '200' } },
              },
            },
          },
        },
      },
    })
    expect(gw.definition.resources['/p/{id}']!.ANY!.requestParameters).toEqual({
      'method.request.path.id': true,
      'method.request.querystring.q': true,
    })
    expect((await gw.handle({ method: 'PATCH', path: '/p/1', headers: {} })).statusCode).toBe(200)
  })
})

describe('a configuration error that reports another error', () => {
  it('keeps it as its cause', () => {
    const e = configError(() =>
      createGateway({
        api: { resources: { '/t': { GET: { integration: { type: 'MOCK', requestTemplates: { 'application/json': '#if($a' } } } } } },
      }),
    )
    expect(e.cause).toBeInstanceOf(VtlError)
  })
})
