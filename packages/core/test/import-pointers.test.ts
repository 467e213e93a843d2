// Errors and warnings about an imported document point into that document, not into the native model it was
// imported to: `/paths/~1calc/get/x-amazon-apigateway-integration/uri`, not `/resources/~1calc/GET/integration/uri`.
// Extensions and their fields as named in
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions.html
// (…-integration.html, …-integration-responses.html, …-authorizer.html, …-request-validator.html) and models as
// in https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-import-api.html.
import { describe, expect, it } from 'vitest'
import { createGateway, type GatewayInput } from '@gatehousejs/core'
import { configError } from './helpers'

const ok = async () => ({ statusCode: 200, body: 'ok' })
const info = { title: 't', version: '1' }
const oas3 = (paths: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ openapi: '3.0.1', info, paths, ...extra })
const lambda = (uri = 'fn', extra: Record<string, unknown> = {}) => ({
  'x-amazon-apigateway-integration': { type: 'aws', httpMethod: 'POST', uri, ...extra },
})
const validators = { 'x-amazon-apigateway-request-validators': { all: { validateRequestBody: true, validateRequestParameters: true } } }
const schemes = (authorizer: Record<string, unknown>) => ({
  components: {
    securitySchemes: { auth: { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authorizer': authorizer } },
  },
})

describe('configuration errors point into the imported document', () => {
  const table: [string, Record<string, unknown>, Partial<GatewayInput>, string][] = [
    ['an unknown function', oas3({ '/calc': { get: lambda('missing') } }), {}, '/paths/~1calc/get/x-amazon-apigateway-integration/uri'],
    [
      'an unknown function on x-amazon-apigateway-any-method',
      oas3({ '/calc': { 'x-amazon-apigateway-any-method': lambda('missing') } }),
      {},
      '/paths/~1calc/x-amazon-apigateway-any-method/x-amazon-apigateway-integration/uri',
    ],
    [
      'a bad selection pattern',
      oas3({ '/calc': { post: lambda('fn', { responses: { '(': { statusCode: '400' }, default: { statusCode: '200' } } }) } }),
      {},
      '/paths/~1calc/post/x-amazon-apigateway-integration/responses/(',
    ],
    [
      'a response template that does not parse',
      oas3({
        '/calc': {
          post: lambda('fn', { responses: { default: { statusCode: '200', responseTemplates: { 'application/json': '#if(' } } } }),
        },
      }),
      {},
      '/paths/~1calc/post/x-amazon-apigateway-integration/responses/default/responseTemplates/application~1json',
    ],
    [
      'an authorizer naming no function',
      oas3({ '/calc': { get: { security: [{ auth: [] }], ...lambda() } } }, schemes({ type: 'token', authorizerUri: 'nope' })),
      {},
      '/components/securitySchemes/auth/x-amazon-apigateway-authorizer/authorizerUri',
    ],
    [
      'an authorizer with a bad identity source',
      oas3(
        { '/calc': { get: { security: [{ auth: [] }], ...lambda() } } },
        schemes({ type: 'request', authorizerUri: 'fn', identitySource: 'header.X' }),
      ),
      {},
      '/components/securitySchemes/auth/x-amazon-apigateway-authorizer/identitySource',
    ],
    [
      'a bad model in components/schemas',
      oas3(
        {
          '/calc': {
            post: {
              'x-amazon-apigateway-request-validator': 'all',
              requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Bad' } } } },
              ...lambda(),
            },
          },
        },
        { ...validators, components: { schemas: { Bad: { properties: { a: { type: 'strin' } } } } } },
      ),
      {},
      '/components/schemas/Bad/properties/a/type',
    ],
    [
      'a bad inline model',
      oas3(
        {
          '/calc': {
            post: {
              'x-amazon-apigateway-request-validator': 'all',
              requestBody: { content: { 'application/json': { schema: { properties: { a: { type: 'strin' } } } } } },
              ...lambda(),
            },
          },
        },
        validators,
      ),
      {},
      '/paths/~1calc/post/requestBody/content/application~1json/schema/properties/a/type',
    ],
    [
      'a bad model in Swagger 2 definitions',
      {
        swagger: '2.0',
        info,
        ...validators,
        definitions: { Bad: { properties: { a: { type: 'strin' } } } },
        paths: {
          '/calc': {
            post: {
              'x-amazon-apigateway-request-validator': 'all',
              parameters: [{ in: 'body', name: 'b', schema: { $ref: '#/definitions/Bad' } }],
              ...lambda(),
            },
          },
        },
      },
      {},
      '/definitions/Bad/properties/a/type',
    ],
    [
      'a method validator naming none',
      oas3({ '/calc': { post: { 'x-amazon-apigateway-request-validator': 'nope', ...lambda() } } }, validators),
      {},
      '/paths/~1calc/post/x-amazon-apigateway-request-validator',
    ],
    [
      'a gateway response template that does not parse',
      oas3(
        { '/calc': { get: lambda() } },
        { 'x-amazon-apigateway-gateway-responses': { DEFAULT_4XX: { responseTemplates: { 'application/json': '#if(' } } } },
      ),
      {},
      '/x-amazon-apigateway-gateway-responses/DEFAULT_4XX/responseTemplates/application~1json',
    ],
  ]
  it.each(table)('%s → %s', (_name, api, extra, at) => {
    const e = configError(() => createGateway({ api, functions: { fn: ok }, onWarning: () => {}, ...extra }))
    expect(e.pointer).toBe(at)
    expect(e.message.startsWith(`${at}: `)).toBe(true)
    expect(e.message).not.toMatch(/\/resources\//)
  })

  it('a native definition keeps native pointers', () => {
    const e = configError(() =>
      createGateway({ api: { resources: { '/calc': { GET: { integration: { type: 'AWS', httpMethod: 'POST', uri: 'missing' } } } } } }),
    )
    expect(e.pointer).toBe('/resources/~1calc/GET/integration/uri')
  })

  it('allowBacktrackingPatterns takes the document pointer the error names', () => {
    const api = oas3({
      '/calc': { post: lambda('fn', { responses: { '(a)\\1': { statusCode: '400' }, default: { statusCode: '200' } } }) },
    })
    const e = configError(() => createGateway({ api, functions: { fn: ok } }))
    const at = '/paths/~1calc/post/x-amazon-apigateway-integration/responses/(a)\\1'
    expect(e.pointer).toBe(at)
    expect(e.message).toContain(`"${at}"`)
    expect(() => createGateway({ api, functions: { fn: ok }, allowBacktrackingPatterns: [at] })).not.toThrow()
  })
})

describe('refusals raised after the import point into the document', () => {
  // The integration compiler runs after the import: what it refuses of an AWS service integration
  // (`integrationSubtype`, served since issue #15) names the field in the user's document.
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-aws-services-reference.html
  const calc = (integration: Record<string, unknown>) =>
    configError(() =>
      createGateway({
        apiType: 'HTTP',
        api: oas3({ '/calc': { get: { 'x-amazon-apigateway-integration': { type: 'aws_proxy', ...integration } } } }),
        onWarning: () => {},
      }),
    )

  it('an integrationSubtype without its required parameters', () => {
    const e = calc({ integrationSubtype: 'SQS-SendMessage' })
    expect(e.pointer).toBe('/paths/~1calc/get/x-amazon-apigateway-integration/requestParameters')
    expect(e.message).toContain('QueueUrl, MessageBody')
  })

  it('an integrationSubtype AWS does not have', () => {
    const e = calc({ integrationSubtype: 'SQS-SendMesage', requestParameters: { QueueUrl: 'q', MessageBody: 'm' } })
    expect(e.pointer).toBe('/paths/~1calc/get/x-amazon-apigateway-integration/integrationSubtype')
  })
})
