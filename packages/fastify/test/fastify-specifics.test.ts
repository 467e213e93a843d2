/**
 * Fastify specifics, on Fastify 5 and 4: the not-found and error handlers, hooks seeing the gateway's answers,
 * the raw body read before Fastify's parsers (and Fastify's own bodyLimit after it), request validation on a route
 * the app serves, routes declared before the plugin, and the plugin's options.
 * Fastify: https://fastify.dev/docs/latest/Reference/Hooks/ (onRequest may answer with reply.send and not call
 * done), https://fastify.dev/docs/latest/Reference/Server/#setnotfoundhandler ,
 * https://fastify.dev/docs/latest/Reference/Server/#seterrorhandler , https://fastify.dev/docs/latest/Reference/Plugins/ .
 * API Gateway: request validation https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-request-validation.html ;
 * HTTP API Lambda proxy responses (content type inferred only for a non-empty body)
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html .
 */
import Fastify, { type FastifyInstance } from 'fastify'
import Fastify4 from 'fastify4'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createGateway, GatewayConfigError, type Gateway, type GatewayErrorInfo } from '@gatehousejs/core'
import { gateway } from '@gatehousejs/fastify'
import { send, suiteApi, suiteFunctions, suiteInput, type AdapterServer } from '@gatehousejs/test-kit'
import { listenFastify } from './listen-fastify'

const FN = 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:echo/invocations'

/** The suite's API plus an `APP` route whose JSON body API Gateway validates before the app sees it. */
const validatedApi = {
  ...suiteApi,
  'x-amazon-apigateway-request-validators': { body: { validateRequestBody: true, validateRequestParameters: false } },
  components: {
    schemas: { Order: { type: 'object', required: ['qty'], properties: { qty: { type: 'integer', minimum: 1 } } } },
  },
  paths: {
    ...suiteApi.paths,
    '/orders': {
      post: {
        'x-amazon-apigateway-request-validator': 'body',
        requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Order' } } } },
        'x-amazon-apigateway-integration': { type: 'app' },
      },
    },
  },
}

const frameworks = [
  ['fastify 5', Fastify],
  // One body for both majors; types.test.ts checks Fastify 4's own typings accept the plugin.
  ['fastify 4', Fastify4 as unknown as typeof Fastify],
] as const

describe.each(frameworks)('%s specifics', (_name, framework) => {
  const servers: AdapterServer[] = []
  afterEach(async () => {
    vi.restoreAllMocks()
    while (servers.length > 0) await servers.pop()!.close()
  })
  const start = async (app: FastifyInstance) => {
    const server = await listenFastify(app)
    servers.push(server)
    return server
  }

  it('is the Fastify it says it is', () => {
    expect(framework().version.split('.')[0]).toBe(framework === Fastify ? '5' : '4')
  })

  it("an unmatched request passed through reaches the app's not-found handler, with the requestContext", async () => {
    const app = framework()
    app.register(gateway, suiteInput({ unmatched: 'passthrough' }))
    app.setNotFoundHandler((request, reply) => {
      reply.code(404).send({ custom: true, url: request.url, stage: request.apiGateway?.stage ?? null })
    })
    const { url } = await start(app)
    const res = await send(url, '/nothing/here?x=1')
    expect(res.status).toBe(404)
    expect(res.json()).toEqual({ custom: true, url: '/nothing/here?x=1', stage: 'prod' })
    expect(res.headers['x-amzn-requestid']?.length).toBe(1)
    // The gateway's own routes are still answered by the gateway.
    expect((await send(url, '/pets/3')).json().pathParameters).toEqual({ id: '3' })
  })

  it("without a handler of the app's, Fastify's default not-found answer", async () => {
    const app = framework()
    app.register(gateway, suiteInput({ unmatched: 'passthrough' }))
    const { url } = await start(app)
    const res = await send(url, '/nothing')
    expect(res.status).toBe(404)
    expect(res.json()).toMatchObject({ statusCode: 404, error: 'Not Found' })
  })

  it("unmatched 'respond' (the default): API Gateway answers, Fastify's not-found handler never runs", async () => {
    const app = framework()
    const notFound = vi.fn()
    app.register(gateway, suiteInput())
    app.setNotFoundHandler((_request, reply) => {
      notFound()
      reply.code(404).send('app 404')
    })
    const { url } = await start(app)
    const res = await send(url, '/nothing')
    expect(res.status).toBe(403)
    expect(res.json()).toEqual({ message: 'Missing Authentication Token' })
    expect(notFound).not.toHaveBeenCalled()
  })

  it("an error of the app's route reaches Fastify's error handler; the adapter's own failure does not", async () => {
    const handled: unknown[] = []
    const app = framework()
    app.register(gateway, suiteInput())
    app.setErrorHandler((error, _request, reply) => {
      handled.push(error)
      reply.code(418).send({ handled: (error as Error).message })
    })
    app.post('/app/echo', async () => {
      throw new Error('from the app')
    })
    const { url } = await start(app)
    const res = await send(url, '/app/echo', { method: 'POST', headers: [['content-type', 'application/json']], body: '{}' })
    expect(res.status).toBe(418)
    expect(res.json()).toEqual({ handled: 'from the app' })
    expect(handled).toHaveLength(1)

    const seen: [unknown, GatewayErrorInfo][] = []
    const broken = { dispatch: () => Promise.reject(new Error('secret detail')) } as unknown as Gateway
    const bad = framework()
    bad.register(gateway, { gateway: broken, onError: (e, info) => seen.push([e, info]) })
    bad.setErrorHandler((error, _request, reply) => {
      handled.push(error)
      reply.code(418).send('should not run')
    })
    const badServer = await start(bad)
    const out = await send(badServer.url, '/pets/1')
    expect(out.status).toBe(500)
    expect(out.json()).toEqual({ message: 'Internal server error' })
    expect(handled).toHaveLength(1)
    expect(seen.map(([e, info]) => [(e as Error).message, info.stage])).toEqual([['secret detail', 'internal']])
  })

  it("with a definition, its onError also hears the adapter's failures (stage 'internal')", async () => {
    const seen: [unknown, GatewayErrorInfo][] = []
    const app = framework()
    app.register(gateway, suiteInput({ apiType: 'HTTP', onError: (error, info) => seen.push([error, info]) }))
    const { url } = await start(app)
    // The adapter's failure: a request the conversion cannot read (an earlier hook broke its header list).
    const broken = framework()
    const seenBroken: [unknown, GatewayErrorInfo][] = []
    broken.addHook('onRequest', (request, _reply, done) => {
      ;(request.raw as { rawHeaders: unknown }).rawHeaders = null
      done()
    })
    broken.register(gateway, suiteInput({ onError: (error, info) => seenBroken.push([error, info]) }))
    const brokenServer = await start(broken)
    const res = await send(brokenServer.url, '/upload', { method: 'POST', headers: [['content-type', 'text/plain']], body: 'abc' })
    expect(res.status).toBe(500)
    expect(res.json()).toEqual({ message: 'Internal server error' })
    expect(seenBroken.map(([e, info]) => [e instanceof TypeError, info.stage, info.requestId])).toEqual([[true, 'internal', null]])
    // The gateway's own failures keep core's info.
    await send(url, '/boom')
    expect(seen.map(([, info]) => [info.stage, info.routeKey])).toEqual([['integration', 'GET /boom']])
  })

  it("the app's onSend and onResponse hooks see the gateway's answers", async () => {
    const responses: number[] = []
    const app = framework()
    app.register(gateway, suiteInput())
    app.addHook('onSend', (_request, reply, payload, done) => {
      reply.header('x-app-hook', 'yes')
      done(null, payload)
    })
    app.addHook('onResponse', (_request, reply, done) => {
      responses.push(reply.statusCode)
      done()
    })
    const { url } = await start(app)
    const res = await send(url, '/pets/7')
    expect(res.status).toBe(200)
    expect(res.headers['x-app-hook']).toEqual(['yes'])
    // The gateway's Content-Type exactly: no charset added by Fastify.
    expect(res.headers['content-type']).toEqual(['application/json'])
    const refused = await send(url, '/nope')
    expect(refused.headers['x-app-hook']).toEqual(['yes'])
    await vi.waitFor(() => expect(responses).toEqual([200, 403]))
  })

  it('the gateway gets the bytes as sent; the app then parses the same body with its own parsers', async () => {
    const app = framework({ forceCloseConnections: true })
    app.register(gateway, suiteInput())
    app.addContentTypeParser('text/plain', { parseAs: 'string' }, (_request, text, done) => done(null, `parsed:${text}`))
    app.post('/app/echo', async (request) => ({ body: request.body }))
    const { url } = await start(app)
    const spaced = '{ "a" : 1,\n  "b": [ 2 ] }'
    const lambda = await send(url, '/upload', { method: 'POST', headers: [['content-type', 'application/json']], body: spaced })
    expect(lambda.json().body).toBe(spaced)
    const text = await send(url, '/app/echo', { method: 'POST', headers: [['content-type', 'text/plain']], body: 'hello' })
    expect(text.status).toBe(200)
    expect(text.json()).toEqual({ body: 'parsed:hello' })
  })

  it("Fastify's bodyLimit applies to the app's routes only; the gateway's routes use the gateway's limit", async () => {
    const app = framework({ bodyLimit: 100 })
    app.register(gateway, suiteInput())
    app.post('/app/echo', async (request) => ({ body: request.body }))
    const { url } = await start(app)
    const big = JSON.stringify({ s: 'x'.repeat(500) })
    const lambda = await send(url, '/upload', { method: 'POST', headers: [['content-type', 'application/json']], body: big })
    expect(lambda.status).toBe(200)
    expect(lambda.json().body).toBe(big)
    const appRoute = await send(url, '/app/echo', { method: 'POST', headers: [['content-type', 'application/json']], body: big })
    expect(appRoute.status).toBe(413)
    expect(appRoute.json()).toMatchObject({ code: 'FST_ERR_CTP_BODY_TOO_LARGE' })
  })

  it('request validation of an APP route runs on the raw body before the Fastify route', async () => {
    const handler = vi.fn(async (request: { body: unknown; apiGateway?: Record<string, unknown> | null }) => ({
      order: request.body,
      requestId: request.apiGateway?.requestId,
    }))
    const app = framework()
    app.register(gateway, { api: validatedApi, functions: suiteFunctions, onWarning: () => {} })
    app.post('/orders', handler)
    const { url } = await start(app)
    const bad = await send(url, '/orders', { method: 'POST', headers: [['content-type', 'application/json']], body: '{"qty":0}' })
    expect(bad.status).toBe(400)
    expect(bad.json()).toEqual({ message: 'Invalid request body' })
    expect(handler).not.toHaveBeenCalled()
    const good = await send(url, '/orders', { method: 'POST', headers: [['content-type', 'application/json']], body: '{"qty":2}' })
    expect(good.status).toBe(200)
    expect(good.json().order).toEqual({ qty: 2 })
    expect(good.headers['x-amzn-requestid']).toEqual([good.json().requestId])
  })

  it('a route the app declared before registering the gateway still goes through the gateway', async () => {
    const app = framework()
    app.post('/app/echo', async (request) => ({ requestContext: request.apiGateway ?? null }))
    app.get('/outside', async () => ({ reached: true }))
    app.register(gateway, suiteInput())
    const { url } = await start(app)
    const res = await send(url, '/app/echo', { method: 'POST', headers: [['content-type', 'application/json']], body: '{}' })
    expect(res.json().requestContext.stage).toBe('prod')
    // Not in the API, and unmatched requests are answered by the gateway: the app's route is not reached.
    expect((await send(url, '/outside')).status).toBe(403)
  })

  it('an answer without a Content-Type goes out without one (Fastify would guess)', async () => {
    const app = framework()
    app.register(gateway, {
      api: {
        openapi: '3.0.1',
        info: { title: 'x', version: '1' },
        paths: {
          '/empty': {
            get: { 'x-amazon-apigateway-integration': { type: 'aws_proxy', httpMethod: 'POST', uri: FN, payloadFormatVersion: '2.0' } },
          },
        },
      },
      apiType: 'HTTP',
      functions: { echo: async () => ({ statusCode: 202, body: '' }) },
      onWarning: () => {},
    })
    const { url } = await start(app)
    const res = await send(url, '/empty')
    expect(res.status).toBe(202)
    expect(res.headers['content-type']).toBeUndefined()
    expect(res.headers['content-length']).toEqual(['0'])
    expect(res.headers['transfer-encoding']).toBeUndefined()
  })

  it('a built Gateway, alone or as { gateway } with a bodyLimit', async () => {
    const built = createGateway(suiteInput())
    const plain = framework()
    plain.register(gateway, built)
    const a = await start(plain)
    expect((await send(a.url, '/pets/2')).json().pathParameters).toEqual({ id: '2' })
    const limited = framework()
    limited.register(gateway, { gateway: built, bodyLimit: 10 })
    const b = await start(limited)
    const res = await send(b.url, '/upload', { method: 'POST', headers: [['content-type', 'text/plain']], body: 'x'.repeat(11) })
    expect(res.status).toBe(413)
    expect(res.json()).toEqual({ message: 'Request Too Long' })
    expect(res.headers.connection).toEqual(['close'])
  })

  it('options refused at registration: a bad definition, a prefix', async () => {
    const bad = framework()
    bad.register(gateway, { api: { resources: 'nope' } as never })
    await expect(bad.ready()).rejects.toBeInstanceOf(GatewayConfigError)
    const prefixed = framework()
    prefixed.register(gateway, { ...suiteInput(), prefix: '/api' })
    await expect(prefixed.ready()).rejects.toThrow(/basePath/)
  })

  it('registered twice with different APIs: the first passes on what it does not serve', async () => {
    const other = {
      openapi: '3.0.1',
      info: { title: 'other', version: '1' },
      paths: {
        '/other': {
          get: {
            'x-amazon-apigateway-integration': {
              type: 'mock',
              requestTemplates: { 'application/json': '{"statusCode": 200}' },
              responses: { default: { statusCode: '200', responseTemplates: { 'application/json': '{"other": true}' } } },
            },
          },
        },
      },
    }
    const app = framework()
    app.register(gateway, suiteInput({ unmatched: 'passthrough' }))
    app.register(gateway, { api: other, onWarning: () => {} })
    const { url } = await start(app)
    expect((await send(url, '/other', { headers: [['content-type', 'application/json']] })).json()).toEqual({ other: true })
    expect((await send(url, '/pets/4')).json().pathParameters).toEqual({ id: '4' })
  })
})
