/**
 * Fields the "acted on or warned" table (table.ts) marks acted whose effect no other test shows through an
 * imported document: gateway responses, CORS, reusable integrations and operationId.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-gateway-responses.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-cors-configuration.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-extensions-integrations.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-import-api.html (model names)
 */
import { describe, expect, it } from 'vitest'
import { createGateway, type GatewayWarning } from '@gatehousejs/core'

const info = { title: 'acted', version: '1' }
const ok = async () => ({ statusCode: 200, body: 'ok' })

describe('fields acted on through an imported document', () => {
  it('x-amazon-apigateway-gateway-responses customise a refusal', async () => {
    const gw = createGateway({
      api: {
        openapi: '3.0.1',
        info,
        paths: { '/a': { get: { 'x-amazon-apigateway-integration': { type: 'aws_proxy', httpMethod: 'POST', uri: 'fn' } } } },
        'x-amazon-apigateway-gateway-responses': {
          MISSING_AUTHENTICATION_TOKEN: {
            statusCode: 404,
            responseParameters: { 'gatewayresponse.header.x-why': "'no route'" },
            responseTemplates: { 'application/json': '{"path":"$context.path"}' },
          },
        },
      },
      functions: { fn: ok },
    })
    const res = await gw.handle({ method: 'GET', path: '/b', headers: {} })
    expect(res.statusCode).toBe(404)
    expect(res.headers['x-why']).toBe('no route')
    expect(res.body).toBe('{"path":"/b"}')
  })

  it('x-amazon-apigateway-cors answers preflights of an imported HTTP API', async () => {
    const gw = createGateway({
      api: {
        openapi: '3.0.1',
        info,
        'x-amazon-apigateway-cors': { allowOrigins: ['https://a.example'], allowMethods: ['GET'], maxAge: 60 },
        paths: { '/a': { get: { 'x-amazon-apigateway-integration': { type: 'aws_proxy', uri: 'fn', payloadFormatVersion: '2.0' } } } },
      },
      functions: { fn: ok },
    })
    const pre = await gw.handle({
      method: 'OPTIONS',
      path: '/a',
      headers: { origin: 'https://a.example', 'access-control-request-method': 'GET' },
    })
    expect(pre.statusCode).toBe(204)
    expect(pre.headers['access-control-allow-origin']).toBe('https://a.example')
    expect(pre.headers['access-control-max-age']).toBe('60')
    const other = await gw.handle({ method: 'GET', path: '/a', headers: { origin: 'https://b.example' } })
    expect(other.headers['access-control-allow-origin']).toBeUndefined()
  })

  it('x-amazon-apigateway-integrations are reused through $ref', async () => {
    const warnings: GatewayWarning[] = []
    const ref = { $ref: '#/components/x-amazon-apigateway-integrations/pets' }
    const gw = createGateway({
      api: {
        openapi: '3.0.1',
        info,
        'x-amazon-apigateway-importexport-version': '1.0',
        paths: { '/a': { get: { 'x-amazon-apigateway-integration': ref } }, '/b': { get: { 'x-amazon-apigateway-integration': ref } } },
        components: {
          'x-amazon-apigateway-integrations': { pets: { type: 'aws_proxy', httpMethod: 'POST', uri: 'pets', payloadFormatVersion: '2.0' } },
        },
      },
      functions: { pets: async (event: { rawPath: string }) => ({ statusCode: 200, body: `pets ${event.rawPath}` }) },
      onWarning: (w) => warnings.push(w),
    })
    expect(warnings).toEqual([])
    expect((await gw.handle({ method: 'GET', path: '/a', headers: {} })).body).toBe('pets /a')
    expect((await gw.handle({ method: 'GET', path: '/b', headers: {} })).body).toBe('pets /b')
  })

  it('a path item $ref is followed', async () => {
    const gw = createGateway({
      api: {
        openapi: '3.0.1',
        info,
        'x-shared': { get: { 'x-amazon-apigateway-integration': { type: 'aws_proxy', httpMethod: 'POST', uri: 'fn' } } },
        paths: { '/a': { $ref: '#/x-shared' } },
      },
      functions: { fn: ok },
    })
    expect((await gw.handle({ method: 'GET', path: '/a', headers: {} })).body).toBe('ok')
  })

  it("operationId names the method's generated request model", async () => {
    const gw = createGateway({
      api: {
        openapi: '3.0.1',
        info,
        'x-amazon-apigateway-request-validators': { body: { validateRequestBody: true } },
        'x-amazon-apigateway-request-validator': 'body',
        paths: {
          '/a': {
            post: {
              operationId: 'addPet',
              requestBody: { content: { 'application/json': { schema: { type: 'object', required: ['name'] } } } },
              'x-amazon-apigateway-integration': { type: 'aws_proxy', httpMethod: 'POST', uri: 'fn' },
            },
          },
        },
      },
      functions: { fn: ok },
    })
    expect(gw.definition.resources['/a']?.POST?.requestModels).toEqual({ 'application/json': 'AddPetRequestBody' })
    const bad = await gw.handle({ method: 'POST', path: '/a', headers: { 'content-type': 'application/json' }, body: '{}' })
    expect(bad.statusCode).toBe(400)
  })
})
