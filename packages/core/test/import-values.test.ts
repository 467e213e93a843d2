// Import of real definitions as API Gateway's importer reads them: numbers where a string is meant
// (`payloadFormatVersion: 1.0`, `statusCode: 200`, a YAML `swagger: 2.0`), numeric strings where a number is meant
// (`timeoutInMillis: "29000"`), and an error that says what was expected when a document is not recognised.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-open-api.html (its example writes
//   `payloadFormatVersion: 1.0` and `x-amazon-apigateway-importexport-version: 1.0` unquoted)
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-import-api.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-integration.html
import { describe, expect, it } from 'vitest'
import { createGateway } from '@gatehousejs/core'
import { configError } from './helpers'

const ok = async () => ({ statusCode: 200, body: 'ok' })

const oas = (integration: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  openapi: '3.0.1',
  info: { title: 't', version: '1' },
  paths: { '/a': { get: { 'x-amazon-apigateway-integration': integration } } },
  ...extra,
})

describe('numbers that stand for strings, numeric strings that stand for numbers', () => {
  const table: [string, Record<string, unknown>, 'REST' | 'HTTP' | undefined, (g: ReturnType<typeof createGateway>) => unknown, unknown][] =
    [
      [
        'payloadFormatVersion: 1.0 (a JSON number)',
        oas(
          { type: 'aws_proxy', httpMethod: 'POST', uri: 'fn', payloadFormatVersion: 1.0 },
          { 'x-amazon-apigateway-importexport-version': 1.0 },
        ),
        undefined,
        (g) => g.definition.resources['/a']?.GET?.integration?.payloadFormatVersion,
        '1.0',
      ],
      [
        'payloadFormatVersion: 2.0 (a JSON number) on an HTTP API',
        oas({ type: 'aws_proxy', httpMethod: 'POST', uri: 'fn', payloadFormatVersion: 2.0 }),
        'HTTP',
        (g) => g.definition.resources['/a']?.GET?.integration?.payloadFormatVersion,
        '2.0',
      ],
      [
        'an integration response statusCode as a number',
        oas({ type: 'mock', responses: { default: { statusCode: 201 } } }),
        'REST',
        (g) => g.definition.resources['/a']?.GET?.integration?.responses?.default?.statusCode,
        '201',
      ],
      [
        'timeoutInMillis as a numeric string',
        oas({ type: 'aws_proxy', httpMethod: 'POST', uri: 'fn', timeoutInMillis: '29000' }),
        'REST',
        (g) => g.definition.resources['/a']?.GET?.integration?.timeoutInMillis,
        29000,
      ],
      [
        'a gateway response statusCode as a string',
        oas({ type: 'mock' }, { 'x-amazon-apigateway-gateway-responses': { DEFAULT_4XX: { statusCode: '418' } } }),
        'REST',
        (g) => g.definition.gatewayResponses?.DEFAULT_4XX?.statusCode,
        418,
      ],
      [
        'CORS maxAge as a numeric string',
        oas({ type: 'mock' }, { 'x-amazon-apigateway-cors': { allowOrigins: ['*'], maxAge: '300' } }),
        'HTTP',
        (g) => g.definition.cors?.maxAge,
        300,
      ],
      [
        'authorizerResultTtlInSeconds as a numeric string, authorizerPayloadFormatVersion as a number',
        oas(
          { type: 'mock' },
          {
            components: {
              securitySchemes: {
                auth: {
                  type: 'apiKey',
                  name: 'Authorization',
                  in: 'header',
                  'x-amazon-apigateway-authorizer': {
                    type: 'request',
                    authorizerUri: 'fn',
                    identitySource: '$request.header.Authorization',
                    authorizerResultTtlInSeconds: '60',
                    authorizerPayloadFormatVersion: 2.0,
                    enableSimpleResponses: true,
                  },
                },
              },
            },
          },
        ),
        'HTTP',
        (g) => [
          g.definition.authorizers?.auth?.authorizerResultTtlInSeconds,
          g.definition.authorizers?.auth?.authorizerPayloadFormatVersion,
        ],
        [60, '2.0'],
      ],
    ]
  it.each(table)('%s', (_name, api, apiType, read, expected) => {
    const g = createGateway({ api, ...(apiType ? { apiType } : {}), functions: { fn: ok }, onWarning: () => {} })
    expect(read(g)).toEqual(expected)
  })

  it('a status code that is no 3-digit status still fails, naming it', () => {
    const e = configError(() => createGateway({ api: oas({ type: 'mock', responses: { default: { statusCode: 2000 } } }) }))
    expect(e.pointer).toBe('/paths/~1a/get/x-amazon-apigateway-integration/responses/default/statusCode')
  })

  it('a timeout that is not a number still fails, naming it', () => {
    const e = configError(() => createGateway({ api: oas({ type: 'mock', timeoutInMillis: '29s' }) }))
    expect(e.pointer).toBe('/paths/~1a/get/x-amazon-apigateway-integration/timeoutInMillis')
  })

  it("serves the HTTP API of AWS's import example, numbers as written", async () => {
    const g = createGateway({
      api: {
        openapi: '3.0.1',
        info: { title: 'Example Pet Store', version: '1.0' },
        paths: {
          '/pets': {
            get: {
              'x-amazon-apigateway-integration': {
                payloadFormatVersion: 1.0,
                type: 'aws_proxy',
                httpMethod: 'POST',
                uri: 'fn',
                timeoutInMillis: 30000,
              },
            },
          },
        },
        'x-amazon-apigateway-importexport-version': 1.0,
      },
      functions: { fn: ok },
    })
    expect(g.apiType).toBe('HTTP')
    const res = await g.handle({ method: 'GET', path: '/pets', headers: { host: 'h' } })
    expect(res.statusCode).toBe(200)
  })
})

describe('document versions written unquoted in YAML', () => {
  const mock = {
    get: {
      'x-amazon-apigateway-integration': {
        type: 'mock',
        requestTemplates: { 'application/json': '{"statusCode": 200}' },
        responses: { default: { statusCode: 200 } },
      },
    },
  }
  it.each([
    ['swagger: 2.0', { swagger: 2.0 }],
    ['swagger: 2', { swagger: 2 }],
    ['openapi: 3.0', { openapi: 3.0 }],
    ['openapi: 3.1', { openapi: 3.1 }],
  ])('%s is recognised', async (_name, version) => {
    const g = createGateway({ api: { ...version, info: { title: 't', version: '1' }, paths: { '/a': mock } } })
    expect(Object.keys(g.definition.resources)).toEqual(['/a'])
    expect((await g.handle({ method: 'GET', path: '/a', headers: { host: 'h' } })).statusCode).toBe(200)
  })

  it('swagger: 2.0 as a number reads `definitions` as models', () => {
    const g = createGateway({
      api: {
        swagger: 2.0,
        info: { title: 't', version: '1' },
        definitions: { Pet: { type: 'object' } },
        paths: { '/a': mock },
      },
    })
    expect(Object.keys(g.definition.models ?? {})).toEqual(['Pet'])
  })
})

describe('a document that is not recognised says what was expected', () => {
  const expected =
    /OpenAPI 3\.x \(`openapi: "3\.0\.1"`\) or Swagger 2\.0 \(`swagger: "2\.0"`\) document with `paths`, or the native definition with `resources`/
  it.each([
    ['swagger: "1.2"', { swagger: '1.2', paths: {} }, '/swagger'],
    ['openapi: 2', { openapi: 2, paths: {} }, '/openapi'],
    ['no version and no resources', { paths: { '/a': {} } }, ''],
    ['an empty object', {}, ''],
  ])('%s', (_name, api, at) => {
    const e = configError(() => createGateway({ api: api as never }))
    expect(e.code).toBe('INVALID_DEFINITION')
    expect(e.pointer).toBe(at)
    expect(e.message).toMatch(expected)
  })
})
