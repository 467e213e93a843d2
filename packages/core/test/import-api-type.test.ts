// The API type of an imported document, when `apiType` is not given, is read from the fields only one kind of API
// has; an explicit `apiType` wins, but a field that says the other kind is a configuration error naming it.
// HTTP-only: x-amazon-apigateway-importexport-version, x-amazon-apigateway-cors, a $default path, JWT authorizers,
// payload format 2.0 (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-open-api.html).
// REST-only: x-amazon-apigateway-api-key-source, x-amazon-apigateway-gateway-responses
// (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions.html,
//  https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-vs-rest.html).
import { describe, expect, it } from 'vitest'
import { createGateway, type GatewayInput } from '@gatehousejs/core'
import { configError } from './helpers'

const ok = async () => ({ statusCode: 200, body: 'ok' })
const integration = { type: 'aws_proxy', httpMethod: 'POST', uri: 'fn' }
const doc = (
  extra: Record<string, unknown> = {},
  paths: Record<string, unknown> = { '/a': { get: { 'x-amazon-apigateway-integration': integration } } },
) => ({
  openapi: '3.0.1',
  info: { title: 't', version: '1' },
  paths,
  ...extra,
})
const jwtSchemes = {
  components: {
    securitySchemes: {
      jwt: {
        type: 'oauth2',
        flows: {},
        'x-amazon-apigateway-authorizer': {
          type: 'jwt',
          identitySource: '$request.header.Authorization',
          jwtConfiguration: { issuer: 'https://id.example.com', audience: ['a'] },
        },
      },
    },
  },
}
const build = (api: Record<string, unknown>, extra: Partial<GatewayInput> = {}) =>
  createGateway({ api, functions: { fn: ok }, onWarning: () => {}, ...extra })

describe('apiType is detected from the document', () => {
  it.each([
    ['x-amazon-apigateway-importexport-version', doc({ 'x-amazon-apigateway-importexport-version': '1.0' }), 'HTTP'],
    ['x-amazon-apigateway-cors', doc({ 'x-amazon-apigateway-cors': { allowOrigins: ['*'] } }), 'HTTP'],
    [
      'a $default path',
      doc({}, { $default: { 'x-amazon-apigateway-any-method': { 'x-amazon-apigateway-integration': integration } } }),
      'HTTP',
    ],
    [
      'a /$default path',
      doc({}, { '/$default': { 'x-amazon-apigateway-any-method': { 'x-amazon-apigateway-integration': integration } } }),
      'HTTP',
    ],
    ['nothing HTTP-only (Swagger 2)', { swagger: '2.0', info: { title: 't', version: '1' }, paths: doc().paths }, 'REST'],
    ['nothing HTTP-only (OpenAPI 3)', doc(), 'REST'],
    ['REST-only fields', doc({ 'x-amazon-apigateway-api-key-source': 'HEADER' }), 'REST'],
    [
      'HTTP markers and payload format 2.0',
      doc(
        { 'x-amazon-apigateway-importexport-version': '1.0' },
        { '/a': { get: { 'x-amazon-apigateway-integration': { ...integration, payloadFormatVersion: '2.0' } } } },
      ),
      'HTTP',
    ],
  ])('%s → %s', (_name, api, type) => {
    const g = build(api)
    expect(g.apiType).toBe(type)
  })

  it('a detected HTTP API behaves as one: $default stage, 404 for no route', async () => {
    const g = build(doc({ 'x-amazon-apigateway-importexport-version': '1.0' }))
    expect(g.stage).toBe('$default')
    expect((await g.handle({ method: 'GET', path: '/nope', headers: { host: 'h' } })).statusCode).toBe(404)
  })

  it('a native definition keeps the REST default', () => {
    expect(createGateway({ api: { resources: {} } }).apiType).toBe('REST')
  })

  it('an explicit apiType that agrees with the document is taken', () => {
    expect(build(doc({ 'x-amazon-apigateway-cors': { allowOrigins: ['*'] } }), { apiType: 'HTTP' }).apiType).toBe('HTTP')
    expect(build(doc({ 'x-amazon-apigateway-api-key-source': 'HEADER' }), { apiType: 'REST' }).apiType).toBe('REST')
  })
})

describe('a field that contradicts the explicit apiType names itself', () => {
  it.each([
    [
      'importexport-version with REST',
      doc({ 'x-amazon-apigateway-importexport-version': '1.0' }),
      'REST',
      '/x-amazon-apigateway-importexport-version',
      /makes it an HTTP API/,
    ],
    ['cors with REST', doc({ 'x-amazon-apigateway-cors': {} }), 'REST', '/x-amazon-apigateway-cors', /makes it an HTTP API/],
    [
      '$default with REST',
      doc({}, { $default: { get: { 'x-amazon-apigateway-integration': integration } } }),
      'REST',
      '/paths/$default',
      /makes it an HTTP API/,
    ],
    [
      'a JWT authorizer with REST',
      doc(jwtSchemes),
      'REST',
      '/components/securitySchemes/jwt/x-amazon-apigateway-authorizer/type',
      /makes it an HTTP API/,
    ],
    [
      'payload format 2.0 (a number) with REST',
      doc({}, { '/a': { get: { 'x-amazon-apigateway-integration': { ...integration, payloadFormatVersion: 2.0 } } } }),
      'REST',
      '/paths/~1a/get/x-amazon-apigateway-integration/payloadFormatVersion',
      /makes it an HTTP API/,
    ],
    [
      'api key source with HTTP',
      doc({ 'x-amazon-apigateway-api-key-source': 'HEADER' }),
      'HTTP',
      '/x-amazon-apigateway-api-key-source',
      /makes it a REST API/,
    ],
    [
      'gateway responses with HTTP',
      doc({ 'x-amazon-apigateway-gateway-responses': {} }),
      'HTTP',
      '/x-amazon-apigateway-gateway-responses',
      /makes it a REST API/,
    ],
  ] as const)('%s', (_name, api, apiType, at, message) => {
    const e = configError(() => build(api, { apiType }))
    expect(e.code).toBe('INVALID_DEFINITION')
    expect(e.pointer).toBe(at)
    expect(e.message).toMatch(message)
  })

  it('fields that point both ways without apiType ask for it', () => {
    const e = configError(() =>
      build(doc({ 'x-amazon-apigateway-importexport-version': '1.0', 'x-amazon-apigateway-gateway-responses': {} })),
    )
    expect(e.pointer).toBe('/x-amazon-apigateway-gateway-responses')
    expect(e.message).toMatch(/pass `apiType`/)
  })

  it('payload format 2.0 alone does not make an apiType-less document HTTP: refused as REST, with the way out', () => {
    const e = configError(() =>
      build(doc({}, { '/a': { get: { 'x-amazon-apigateway-integration': { ...integration, payloadFormatVersion: 2.0 } } } })),
    )
    expect(e.pointer).toBe('/paths/~1a/get/x-amazon-apigateway-integration/payloadFormatVersion')
    expect(e.message).toMatch(/apiType: "HTTP"/)
  })
})
