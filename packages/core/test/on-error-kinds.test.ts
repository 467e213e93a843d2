// onError for every kind of unexpected failure (issue #16): each test proves the operator's callback receives the
// ORIGINAL error object (the function's own error, the socket's own error, the store's own error), with the request
// id, the route, the pipeline stage and the gateway response the client got — and that the client never sees a stack.
// AWS writes these to the execution log (CloudWatch); see
// https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html (execution logging) and
// https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html (the answers).
// Lambda authorizer failures: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html
// JWKS fetch failures (500): https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exportJWK, generateKeyPair, SignJWT } from 'jose'
import type { ResponseCacheStore } from '@gatehousejs/cache'
import type { Store } from '@gatehousejs/throttle'
import { createGateway, EVERY_METHOD, type GatewayErrorInfo, type GatewayInput } from '@gatehousejs/core'
import { json, req, text } from './helpers'
import { doc, FN, op } from './non-proxy-helpers'

type Seen = [unknown, GatewayErrorInfo][]

function gateway(paths: Record<string, unknown>, seen: Seen, input: Partial<GatewayInput> = {}, extraDoc: Record<string, unknown> = {}) {
  return createGateway({
    api: doc(paths, extraDoc),
    requestId: () => 'req-1',
    onError: (error, info) => void seen.push([error, info]),
    ...input,
  })
}

/** The client's answer carries no stack and no error text of ours. */
function noStack(body: string, error: Error) {
  expect(body).not.toContain(' at ')
  expect(body).not.toContain(error.message)
}

const proxy = (name: string) => ({ type: 'aws_proxy', httpMethod: 'POST', uri: FN(name) })

let hang: Server
let hangUrl = ''
let closedUrl = ''
beforeAll(async () => {
  // A backend that accepts the request and never answers (timeouts), and a port nobody listens on (refusals).
  hang = createServer(() => {})
  await new Promise<void>((resolve) => hang.listen(0, '127.0.0.1', resolve))
  hangUrl = `http://127.0.0.1:${(hang.address() as AddressInfo).port}`
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  closedUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`
  await new Promise<void>((resolve) => probe.close(() => resolve()))
})
afterAll(() => {
  hang.closeAllConnections()
  return new Promise<void>((resolve) => hang.close(() => resolve()))
})

describe('onError: integrations', () => {
  it('AWS_PROXY: the function throws — its own error object, stage integration, 502', async () => {
    const seen: Seen = []
    const thrown = new RangeError('pet 7 is out of range')
    const gw = gateway({ '/t': { get: op(proxy('fail')) } }, seen, {
      functions: {
        fail: async () => {
          throw thrown
        },
      },
    })
    const res = await gw.handle(req('GET', '/t'))
    expect(res.statusCode).toBe(502)
    noStack(text(res), thrown)
    expect(seen).toHaveLength(1)
    expect(seen[0]![0]).toBe(thrown)
    expect(seen[0]![1]).toMatchObject({ requestId: 'req-1', routeKey: 'GET /t', stage: 'integration' })
  })

  it('AWS_PROXY: a malformed result — an error naming it, 502', async () => {
    const seen: Seen = []
    const gw = gateway({ '/t': { get: op(proxy('bad')) } }, seen, { functions: { bad: async () => ({ statusCode: 'teapot' }) } })
    const res = await gw.handle(req('GET', '/t'))
    expect(res.statusCode).toBe(502)
    expect(seen).toHaveLength(1)
    expect(seen[0]![0]).toBeInstanceOf(Error)
    expect(seen[0]![1].stage).toBe('integration')
  })

  it('AWS (custom) Lambda: the function throws — the same error object, while the integration response answers', async () => {
    const seen: Seen = []
    const thrown = new TypeError('cannot read pets of undefined')
    const gw = gateway(
      {
        '/t': {
          post: op({
            type: 'aws',
            httpMethod: 'POST',
            uri: FN('fail'),
            responses: { default: { statusCode: '200' }, '.*pets.*': { statusCode: '400' } },
          }),
        },
      },
      seen,
      {
        functions: {
          fail: async () => {
            throw thrown
          },
        },
      },
    )
    const res = await gw.handle(req('POST', '/t', { headers: { 'content-type': 'application/json' }, body: '{}' }))
    // The selection pattern matched the errorMessage: the client gets the 400 the operator chose.
    expect(res.statusCode).toBe(400)
    expect(seen).toHaveLength(1)
    expect(seen[0]![0]).toBe(thrown)
    expect(seen[0]![1]).toEqual({ requestId: 'req-1', routeKey: 'POST /t', stage: 'integration', responseType: null })
  })

  it('AWS (custom) Lambda: a timeout is reported (504 INTEGRATION_TIMEOUT)', async () => {
    const seen: Seen = []
    const gw = gateway(
      {
        '/t': {
          post: op({
            type: 'aws',
            httpMethod: 'POST',
            uri: FN('slow'),
            timeoutInMillis: 50,
            responses: { default: { statusCode: '200' } },
          }),
        },
      },
      seen,
      { functions: { slow: () => new Promise(() => {}) } },
    )
    const res = await gw.handle(req('POST', '/t', { headers: { 'content-type': 'application/json' }, body: '{}' }))
    expect(res.statusCode).toBe(504)
    expect(seen.map(([e, i]) => [(e as Error).message, i.stage, i.responseType])).toEqual([
      ['the Lambda function timed out after 50 ms', 'integration', 'INTEGRATION_TIMEOUT'],
    ])
  })

  it('HTTP_PROXY: a backend that refuses the connection — the socket error itself (ECONNREFUSED), 502', async () => {
    const seen: Seen = []
    const gw = gateway({ '/t': { get: op({ type: 'http_proxy', httpMethod: 'GET', uri: `${closedUrl}/x` }) } }, seen)
    const res = await gw.handle(req('GET', '/t'))
    expect(res.statusCode).toBe(502)
    expect(seen).toHaveLength(1)
    expect((seen[0]![0] as NodeJS.ErrnoException).code).toBe('ECONNREFUSED')
    noStack(text(res), seen[0]![0] as Error)
    expect(seen[0]![1]).toEqual({ requestId: 'req-1', routeKey: 'GET /t', stage: 'integration', responseType: 'INTEGRATION_FAILURE' })
  })

  it('HTTP (custom): a backend that never answers — a timeout error, 504', async () => {
    const seen: Seen = []
    const gw = gateway(
      {
        '/t': {
          get: op({
            type: 'http',
            httpMethod: 'GET',
            uri: `${hangUrl}/x`,
            timeoutInMillis: 50,
            responses: { default: { statusCode: '200' } },
          }),
        },
      },
      seen,
    )
    const res = await gw.handle(req('GET', '/t'))
    expect(res.statusCode).toBe(504)
    expect(seen).toHaveLength(1)
    expect((seen[0]![0] as Error).message).toMatch(/^the HTTP integration \(GET http:\/\/127\.0\.0\.1:\d+\) timed out after 50 ms$/)
    expect(seen[0]![1].responseType).toBe('INTEGRATION_TIMEOUT')
  })

  it('a mapping template that fails at run time — the template error, stage integration-response', async () => {
    const seen: Seen = []
    const gw = gateway(
      {
        '/t': {
          post: op({
            type: 'mock',
            requestTemplates: { 'application/json': '{"statusCode": 200}' },
            responses: { default: { statusCode: '200', responseTemplates: { 'application/json': '$util.parseJson("oops")' } } },
          }),
        },
      },
      seen,
    )
    const res = await gw.handle(req('POST', '/t', { headers: { 'content-type': 'application/json' }, body: '{}' }))
    expect(res.statusCode).toBe(500)
    expect(seen.map(([e, i]) => [e instanceof Error, i.stage])).toEqual([[true, 'integration-response']])
  })
})

describe('onError: authorizers', () => {
  const PREFIX = 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod'
  const thrown = new Error('the user table is unreachable')
  function authorized(seen: Seen) {
    const scheme = {
      type: 'apiKey',
      name: 'Authorization',
      in: 'header',
      'x-amazon-apigateway-authtype': 'custom',
      'x-amazon-apigateway-authorizer': { type: 'token', authorizerUri: FN('auth'), authorizerResultTtlInSeconds: 0 },
    }
    return gateway(
      { '/t': { get: { security: [{ auth: [] }], ...op(proxy('ok')) } } },
      seen,
      {
        apiId: 'abc123',
        functions: {
          ok: async () => ({ statusCode: 200, body: 'ok' }),
          auth: async (event: { authorizationToken: string }) => {
            if (event.authorizationToken === 'throw') throw thrown
            if (event.authorizationToken === 'no-policy') return { principalId: 'u1' }
            if (event.authorizationToken === 'Unauthorized') throw new Error('Unauthorized')
            return {
              principalId: 'u1',
              policyDocument: {
                Version: '2012-10-17',
                Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: `${PREFIX}/*` }],
              },
            }
          },
        },
      },
      { components: { securitySchemes: { auth: scheme } } },
    )
  }

  it('a Lambda authorizer that throws — its own error, stage authorizer, 500 AUTHORIZER_CONFIGURATION_ERROR', async () => {
    const seen: Seen = []
    const res = await authorized(seen).handle(req('GET', '/t', { headers: { authorization: 'throw' } }))
    expect(res.statusCode).toBe(500)
    noStack(text(res), thrown)
    expect(seen).toHaveLength(1)
    expect(seen[0]![0]).toBe(thrown)
    expect(seen[0]![1]).toEqual({
      requestId: 'req-1',
      routeKey: 'GET /t',
      stage: 'authorizer',
      responseType: 'AUTHORIZER_CONFIGURATION_ERROR',
    })
  })

  it('a Lambda authorizer without a policy — the reason and its answer; Unauthorized and a valid answer tell nobody', async () => {
    const seen: Seen = []
    const gw = authorized(seen)
    expect((await gw.handle(req('GET', '/t', { headers: { authorization: 'no-policy' } }))).statusCode).toBe(500)
    expect((await gw.handle(req('GET', '/t', { headers: { authorization: 'Unauthorized' } }))).statusCode).toBe(401)
    expect((await gw.handle(req('GET', '/t', { headers: { authorization: 'fine' } }))).statusCode).toBe(200)
    expect(seen).toHaveLength(1)
    const error = seen[0]![0] as Error & { reason: string; result: unknown }
    expect(error.name).toBe('AuthorizerResultError')
    expect(error.reason).toBe('the authorizer returned no policyDocument')
    expect(error.result).toEqual({ principalId: 'u1' })
    expect(seen[0]![1].stage).toBe('authorizer')
  })

  it("a Cognito authorizer whose issuer's keys cannot be fetched — the fetch's reason, 500; a bad token tells nobody", async () => {
    const seen: Seen = []
    const POOL_ARN = 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdE'
    const ISSUER = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdE'
    const scheme = {
      type: 'apiKey',
      name: 'Authorization',
      in: 'header',
      'x-amazon-apigateway-authtype': 'cognito_user_pools',
      'x-amazon-apigateway-authorizer': { type: 'cognito_user_pools', providerARNs: [POOL_ARN] },
    }
    const gw = gateway(
      { '/t': { get: { security: [{ pool: [] }], ...op(proxy('ok')) } } },
      seen,
      {
        functions: { ok: async () => ({ statusCode: 200, body: 'ok' }) },
        authorization: {
          fetch: async () => {
            throw new Error('getaddrinfo ENOTFOUND cognito-idp.us-east-1.amazonaws.com')
          },
        },
      },
      { components: { securitySchemes: { pool: scheme } } },
    )
    const { privateKey, publicKey } = await generateKeyPair('RS256')
    expect((await exportJWK(publicKey)).kty).toBe('RSA')
    const now = Math.floor(Date.now() / 1000)
    const token = await new SignJWT({ sub: 'u1', token_use: 'id', aud: 'client' })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(ISSUER)
      .setIssuedAt(now - 60)
      .setExpirationTime(now + 3600)
      .sign(privateKey)
    expect((await gw.handle(req('GET', '/t', { headers: { authorization: 'not-a-jwt' } }))).statusCode).toBe(401)
    expect(seen).toHaveLength(0)
    const res = await gw.handle(req('GET', '/t', { headers: { authorization: token } }))
    expect(res.statusCode).toBe(500)
    expect(seen).toHaveLength(1)
    const error = seen[0]![0] as Error & { code: string }
    expect(error.code).toBe('JWKS_FETCH_FAILED')
    expect(error.message).toContain('ENOTFOUND')
    expect(seen[0]![1]).toMatchObject({ stage: 'authorizer', responseType: 'AUTHORIZER_CONFIGURATION_ERROR' })
  })
})

describe('onError: stores', () => {
  it('a stage-cache store that throws on read and rejects on write — both errors, and the request still answers', async () => {
    const seen: Seen = []
    const readError = new Error('cache read: connection reset')
    const writeError = new Error('cache write: OOM command not allowed')
    const cache = {
      get: () => {
        throw readError
      },
      set: () => Promise.reject(writeError),
      delete: () => false,
      flush: () => undefined,
      stats: () => ({ entries: 0, bytes: 0, hits: 0, misses: 0, evictions: 0 }),
    } as unknown as ResponseCacheStore
    const gw = gateway({ '/t': { get: op(proxy('ok')) } }, seen, {
      functions: { ok: async () => ({ statusCode: 200, body: 'fresh' }) },
      stage: { stageName: 'prod', cacheClusterEnabled: true },
      cache,
    })
    const res = await gw.handle(req('GET', '/t'))
    expect(res.statusCode).toBe(200)
    expect(text(res)).toBe('fresh')
    await new Promise((resolve) => setImmediate(resolve))
    expect(seen.map(([e, i]) => [e, i.stage, i.responseType])).toEqual([
      [readError, 'cache', null],
      [writeError, 'cache', null],
    ])
  })

  it('a throttle store that throws — the store error, stage store, 503 to the client', async () => {
    const seen: Seen = []
    const storeError = new Error('ERR max number of clients reached')
    const store = {
      take: () => {
        throw storeError
      },
      consume: () => Promise.reject(storeError),
    } as unknown as Store
    const gw = gateway({ '/t': { get: op(proxy('ok')) } }, seen, {
      functions: { ok: async () => ({ statusCode: 200, body: 'ok' }) },
      store,
      stage: { stageName: 'prod', methodSettings: { [EVERY_METHOD]: { throttlingRateLimit: 10, throttlingBurstLimit: 10 } } },
    })
    const res = await gw.handle(req('GET', '/t'))
    expect(res.statusCode).toBe(503)
    noStack(text(res), storeError)
    expect(seen).toEqual([[storeError, { requestId: 'req-1', routeKey: 'GET /t', stage: 'store', responseType: 'DEFAULT_5XX' }]])
  })

  it('a quota store that rejects — the store error, stage store, 503', async () => {
    const seen: Seen = []
    const storeError = new Error('quota store down')
    const store = {
      take: () => ({ allowed: true, remaining: 1, limit: 1, retryAfterMs: 0, nextTokenMs: 0, resetMs: 0 }),
      consume: () => Promise.reject(storeError),
    } as unknown as Store
    const key = 'k'.repeat(20)
    const gw = createGateway({
      api: { resources: { '/t': { GET: { apiKeyRequired: true, integration: { type: 'AWS_PROXY', uri: 'ok' } } } } },
      requestId: () => 'req-1',
      onError: (error, info) => void seen.push([error, info]),
      functions: { ok: async () => ({ statusCode: 200, body: 'ok' }) },
      store,
      apiKeys: [{ id: 'key1', value: key }],
      usagePlans: [{ id: 'p', quota: { limit: 100, period: 'DAY' }, apiStages: [{ stage: 'prod' }], keys: ['key1'] }],
    })
    const res = await gw.handle(req('GET', '/t', { headers: { 'x-api-key': key } }))
    expect(res.statusCode).toBe(503)
    expect(seen.map(([e, i]) => [e, i.stage])).toEqual([[storeError, 'store']])
  })
})

describe('onError: internal', () => {
  it('a failure inside the gateway is a plain 500 and the error itself to the operator', async () => {
    const seen: Seen = []
    const broken = new Error('id source down')
    const gw = gateway({ '/t': { get: op(proxy('ok')) } }, seen, {
      functions: { ok: async () => ({ statusCode: 200, body: 'ok' }) },
      requestId: () => {
        throw broken
      },
    })
    const res = await gw.handle(req('GET', '/t'))
    expect(res.statusCode).toBe(500)
    expect(json(res)).toEqual({ message: 'Internal server error' })
    expect(seen).toEqual([[broken, { requestId: null, routeKey: null, stage: 'internal', responseType: null }]])
  })

  it('a function result that throws as it is read is a plain 500 and the error to the operator, whichever way the request took', async () => {
    const broken = new Error('statusCode getter failed')
    const ok = async () => ({ statusCode: 200, body: 'ok' })
    const bad = async () => ({
      get statusCode(): number {
        throw broken
      },
    })
    // No stages (the integration's promise is followed directly), an observer (the route's async way), stage timings.
    for (const observers of [[], [{ done: () => {} }], [{ timings: true, done: () => {} }]]) {
      const seen: Seen = []
      const gw = gateway({ '/t': { get: op(proxy('bad')) }, '/ok': { get: op(proxy('ok')) } }, seen, { functions: { ok, bad }, observers })
      const res = await gw.handle(req('GET', '/t'))
      expect(res.statusCode).toBe(500)
      expect(json(res)).toEqual({ message: 'Internal server error' })
      expect(seen).toEqual([[broken, { requestId: null, routeKey: null, stage: 'internal', responseType: null }]])
      expect((await gw.handle(req('GET', '/ok'))).statusCode).toBe(200)
    }
  })

  it("handle() and dispatch() with a bad request reject with the TypeError (the caller's bug): nothing is swallowed", async () => {
    const seen: Seen = []
    const gw = gateway({ '/t': { get: op(proxy('ok')) } }, seen, { functions: { ok: async () => ({ statusCode: 200, body: 'ok' }) } })
    await expect(gw.handle({ method: 'GET', path: 'https://x/t', headers: {} })).rejects.toThrow(TypeError)
    await expect(gw.dispatch(42 as never)).rejects.toThrow(/a GatewayRequest must be an object/)
    expect(seen).toEqual([])
  })

  it('the default onError writes one line on stderr with the request id and the stack', async () => {
    const lines: string[] = []
    const original = console.error
    console.error = (line: unknown) => void lines.push(String(line))
    try {
      const thrown = new Error('default reporter sees me')
      const gw = createGateway({
        api: doc({ '/t': { get: op(proxy('fail')) } }),
        requestId: () => 'req-9',
        functions: {
          fail: async () => {
            throw thrown
          },
        },
      })
      expect((await gw.handle(req('GET', '/t'))).statusCode).toBe(502)
      expect(lines).toHaveLength(1)
      expect(lines[0]).toContain('req-9 GET /t integration: Error: default reporter sees me')
      expect(lines[0]).toContain('on-error-kinds.test.ts')
    } finally {
      console.error = original
    }
  })
})
