// HTTP_PROXY, MOCK and host-app passthrough integrations.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/setup-http-integrations.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-mock-integration.html
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createGateway, isPassthrough } from '@gatehousejs/core'
import { configError, json, req, text } from './helpers'

let backend: Server
let base: string
beforeAll(async () => {
  backend = createServer((r, w) => {
    const chunks: Buffer[] = []
    r.on('data', (c: Buffer) => chunks.push(c))
    r.on('end', () => {
      if (r.url?.startsWith('/slow')) return setTimeout(() => w.end('late'), 2000).unref()
      w.setHeader('set-cookie', ['a=1', 'b=2'])
      w.setHeader('content-type', 'application/json')
      w.statusCode = r.url?.startsWith('/status/') ? Number(r.url.slice(8, 11)) : 200
      w.end(JSON.stringify({ method: r.method, url: r.url, headers: r.headers, body: Buffer.concat(chunks).toString() }))
    })
  })
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => backend.close(() => resolve())))

describe('HTTP_PROXY', () => {
  const gw = () =>
    createGateway({
      api: {
        resources: {
          '/api/{proxy+}': { ANY: { integration: { type: 'HTTP_PROXY', uri: '${stageVariables.backend}/{proxy}', httpMethod: 'ANY' } } },
          '/slow': { GET: { integration: { type: 'HTTP_PROXY', uri: '${stageVariables.backend}/slow', timeoutInMillis: 100 } } },
          '/down': { GET: { integration: { type: 'HTTP_PROXY', uri: 'http://127.0.0.1:1/x' } } },
        },
      },
      stage: { stageName: 'prod', variables: { backend: base } },
    })

  it('forwards method, path, query, headers and body; returns status, headers and body', async () => {
    const res = await gw().handle(
      req('POST', '/api/status/201/x%20y', {
        query: 'a=1&a=2',
        headers: { 'content-type': 'text/plain', connection: 'keep-alive', 'x-custom': 'v' },
        body: 'hello',
      }),
    )
    expect(res.statusCode).toBe(201)
    expect(res.headers['set-cookie']).toEqual(['a=1', 'b=2'])
    const seen = json(res)
    expect(seen.method).toBe('POST')
    expect(seen.url).toBe('/status/201/x%20y?a=1&a=2')
    expect(seen.body).toBe('hello')
    expect(seen.headers['x-custom']).toBe('v')
    expect(seen.headers['x-forwarded-for']).toBe('203.0.113.7')
  })

  it('504 when the backend is slower than the timeout', async () => {
    const res = await gw().handle(req('GET', '/slow'))
    expect(res.statusCode).toBe(504)
    expect(json(res)).toEqual({ message: 'Endpoint request timed out' })
  })

  it('502 when the backend cannot be reached', async () => {
    const res = await gw().handle(req('GET', '/down'))
    expect(res.statusCode).toBe(502)
  })

  it.each([['ftp://backend.example.com/{proxy}'], ['not a url'], ['http://backend.example.com/api/../admin/{proxy}']])(
    'a uri that cannot be served (%s) fails the build, naming where',
    (uri) => {
      const e = configError(() =>
        createGateway({ api: { resources: { '/{proxy+}': { ANY: { integration: { type: 'HTTP_PROXY', uri } } } } } }),
      )
      expect(e.pointer).toMatch(/\/uri$/)
    },
  )
})

describe('MOCK', () => {
  // The CORS OPTIONS method the API Gateway console generates.
  const api = {
    swagger: '2.0',
    info: { title: 'mock', version: '1' },
    paths: {
      '/pets': {
        options: {
          responses: { '200': { description: 'ok' } },
          'x-amazon-apigateway-integration': {
            type: 'mock',
            requestTemplates: { 'application/json': '{"statusCode": 200}' },
            passthroughBehavior: 'when_no_match',
            responses: {
              default: {
                statusCode: '200',
                responseParameters: {
                  'method.response.header.Access-Control-Allow-Methods': "'GET,OPTIONS'",
                  'method.response.header.Access-Control-Allow-Origin': "'*'",
                },
              },
            },
          },
        },
        get: {
          parameters: [{ name: 'code', in: 'query' }],
          'x-amazon-apigateway-integration': {
            type: 'mock',
            requestTemplates: { 'application/json': '{"statusCode": $input.params(\'code\')}' },
            responses: {
              '4\\d{2}': { statusCode: '404', responseTemplates: { 'application/json': '{"error":"no pet","stage":"$context.stage"}' } },
              default: { statusCode: '200', responseTemplates: { 'application/json': '[{"id":1}]' } },
            },
          },
        },
      },
    },
  }

  it('answers the console-generated CORS preflight', async () => {
    const res = await createGateway({ api }).handle(req('OPTIONS', '/pets'))
    expect(res.statusCode).toBe(200)
    expect(res.headers['Access-Control-Allow-Origin']).toBe('*')
    expect(res.headers['Access-Control-Allow-Methods']).toBe('GET,OPTIONS')
    expect(text(res)).toBe('')
  })

  it('selects the integration response by the template status code', async () => {
    const gw = createGateway({ api })
    const ok = await gw.handle(req('GET', '/pets', { query: 'code=200' }))
    expect([ok.statusCode, text(ok)]).toEqual([200, '[{"id":1}]'])
    const missing = await gw.handle(req('GET', '/pets', { query: 'code=404' }))
    expect([missing.statusCode, json(missing)]).toEqual([404, { error: 'no pet', stage: 'prod' }])
  })
})

describe('host-app passthrough and unmatched requests', () => {
  const api = { resources: { '/app/{proxy+}': { ANY: { integration: { type: 'APP' as const } } } } }

  it('hands APP routes to the host app with the request context', async () => {
    const out = await createGateway({ api }).dispatch(req('GET', '/app/users/1'))
    expect(isPassthrough(out)).toBe(true)
    if (!isPassthrough(out)) return
    expect(out.requestContext.resourcePath).toBe('/app/{proxy+}')
    expect(out.headers['x-amzn-RequestId']).toBeTypeOf('string')
  })

  it('never passes through from handle()', async () => {
    const res = await createGateway({ api }).handle(req('GET', '/app/users/1'))
    expect(res.statusCode).toBe(403)
  })

  it('lets unmatched requests fall through when configured', async () => {
    expect(isPassthrough(await createGateway({ api, unmatched: 'passthrough' }).dispatch(req('GET', '/other')))).toBe(true)
    const res = await createGateway({ api }).dispatch(req('GET', '/other'))
    expect(isPassthrough(res)).toBe(false)
  })
})
