// Lambda authorizers on HTTP APIs: payload formats 1.0 and 2.0, simple responses, IAM policy responses,
// identity sources and caching across routes.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html
// Answers (401 Unauthorized, 403 Forbidden, 500 Internal Server Error) and the 10 000 ms authorizer timeout:
// https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html
import { describe, expect, it } from 'vitest'
import { createGateway, type GatewayInput } from '@gatehousejs/core'
import { echo, json, req } from './helpers'

const T0 = Date.UTC(2024, 0, 1, 12, 0, 0)
const PREFIX = 'arn:aws:execute-api:us-east-1:123456789012:h77p123/$default'
const fn = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`

function httpApi(authorizer: Record<string, unknown>, authFn: (e: any) => unknown, input: Partial<GatewayInput> = {}) {
  const events: any[] = []
  const integration = { type: 'aws_proxy', httpMethod: 'POST', uri: fn('echo'), payloadFormatVersion: '2.0' }
  const gw = createGateway({
    apiType: 'HTTP',
    apiId: 'h77p123',
    api: {
      openapi: '3.0.1',
      info: { title: 'http-auth', version: '1' },
      components: {
        securitySchemes: {
          lambda: {
            type: 'apiKey',
            name: 'Authorization',
            in: 'header',
            'x-amazon-apigateway-authorizer': { type: 'request', authorizerUri: fn('auth'), ...authorizer },
          },
        },
      },
      paths: {
        '/pets/{id}': { get: { security: [{ lambda: [] }], 'x-amazon-apigateway-integration': integration } },
        '/orders': { post: { security: [{ lambda: [] }], 'x-amazon-apigateway-integration': integration } },
        '/v1': { get: { security: [{ lambda: [] }], 'x-amazon-apigateway-integration': { ...integration, payloadFormatVersion: '1.0' } } },
      },
    },
    functions: {
      echo,
      auth: async (e: any) => {
        events.push(e)
        return authFn(e)
      },
    },
    now: () => T0,
    ...input,
  })
  return { gw, events }
}

const simple = { authorizerPayloadFormatVersion: '2.0', enableSimpleResponses: true, identitySource: '$request.header.Authorization' }
const byToken = (e: any) => {
  const token = e.headers?.authorization ?? e.identitySource?.[0]
  if (token === 'yes') return { isAuthorized: true, context: { user: 'u1', n: 1, list: ['a', 'b'], map: { k: 'v' } } }
  if (token === 'no') return { isAuthorized: false }
  if (token === 'unauthorized') throw new Error('Unauthorized')
  if (token === 'weird') return { isAuthorized: 'yes' }
  throw new Error('boom')
}

describe('HTTP API Lambda authorizer: simple responses (2.0)', () => {
  it('sends the 2.0 event with every documented field', async () => {
    const { gw, events } = httpApi({ ...simple, identitySource: '$request.header.Authorization, $request.querystring.tenant' }, byToken, {
      stage: { stageName: '$default', variables: { env: 'test' } },
    })
    const res = await gw.handle(req('GET', '/pets/7?tenant=t1&tenant=t2', { headers: { authorization: 'yes', cookie: 'a=1; b=2' } }))
    expect(res.statusCode).toBe(200)
    const e = events[0]
    expect(e).toMatchObject({
      version: '2.0',
      type: 'REQUEST',
      routeArn: `${PREFIX}/GET/pets/7`,
      identitySource: ['yes', 't1,t2'],
      routeKey: 'GET /pets/{id}',
      rawPath: '/pets/7',
      rawQueryString: 'tenant=t1&tenant=t2',
      cookies: ['a=1', 'b=2'],
      queryStringParameters: { tenant: 't1,t2' },
      pathParameters: { id: '7' },
      stageVariables: { env: 'test' },
    })
    expect(e.headers.authorization).toBe('yes')
    expect(e.requestContext).toMatchObject({
      accountId: '123456789012',
      apiId: 'h77p123',
      http: { method: 'GET', path: '/pets/7', sourceIp: '203.0.113.7' },
      routeKey: 'GET /pets/{id}',
      stage: '$default',
      timeEpoch: T0,
    })
    expect(e.body).toBeUndefined()
    expect(json(res).requestContext.authorizer).toEqual({ lambda: { user: 'u1', n: 1, list: ['a', 'b'], map: { k: 'v' } } })
  })

  // [case, authorization header, status, body]
  const table: [string, string | undefined, number, unknown][] = [
    ['isAuthorized true', 'yes', 200, undefined],
    ['isAuthorized false', 'no', 403, { message: 'Forbidden' }],
    ['Unauthorized thrown', 'unauthorized', 401, { message: 'Unauthorized' }],
    ['identity source missing', undefined, 401, { message: 'Unauthorized' }],
    ['another error', 'boom', 500, { message: 'Internal Server Error' }],
    ['isAuthorized not a boolean', 'weird', 500, { message: 'Internal Server Error' }],
  ]
  for (const [name, token, status, body] of table) {
    it(`${name} → ${status}`, async () => {
      const { gw } = httpApi(simple, byToken)
      const res = await gw.handle(req('GET', '/pets/1', token === undefined ? {} : { headers: { authorization: token } }))
      expect(res.statusCode).toBe(status)
      if (body !== undefined) expect(json(res)).toEqual(body)
      expect(res.headers['x-amzn-ErrorType']).toBeUndefined()
    })
  }

  it('answers 500 when the authorizer times out', async () => {
    const { gw } = httpApi(simple, () => new Promise(() => {}), { authorization: { lambdaTimeoutMs: 30 } })
    const res = await gw.handle(req('GET', '/pets/1', { headers: { authorization: 'yes' } }))
    expect([res.statusCode, json(res)]).toEqual([500, { message: 'Internal Server Error' }])
  })

  it('uses a cached answer for every route of the authorizer', async () => {
    const { gw, events } = httpApi(simple, byToken)
    expect((await gw.handle(req('GET', '/pets/1', { headers: { authorization: 'yes' } }))).statusCode).toBe(200)
    expect((await gw.handle(req('POST', '/orders', { headers: { authorization: 'yes' } }))).statusCode).toBe(200)
    expect(events).toHaveLength(1)
    expect((await gw.handle(req('POST', '/orders', { headers: { authorization: 'no' } }))).statusCode).toBe(403)
    expect((await gw.handle(req('GET', '/pets/1', { headers: { authorization: 'no' } }))).statusCode).toBe(403)
    expect(events).toHaveLength(2)
  })

  it('caches per route when $context.routeKey is an identity source (identitySource as a list)', async () => {
    const { gw, events } = httpApi({ ...simple, identitySource: ['$request.header.Authorization', '$context.routeKey'] }, byToken)
    await gw.handle(req('GET', '/pets/1', { headers: { authorization: 'yes' } }))
    await gw.handle(req('GET', '/pets/2', { headers: { authorization: 'yes' } }))
    await gw.handle(req('POST', '/orders', { headers: { authorization: 'yes' } }))
    expect(events.map((e) => e.identitySource)).toEqual([
      ['yes', 'GET /pets/{id}'],
      ['yes', 'POST /orders'],
    ])
  })

  it('expires by the injected clock and misses on a changed identity', async () => {
    let now = T0
    const { gw, events } = httpApi({ ...simple, authorizerResultTtlInSeconds: 10 }, byToken, { now: () => now })
    const get = (token: string) => gw.handle(req('GET', '/pets/1', { headers: { authorization: token } }))
    await get('yes')
    now += 9_999
    await get('yes')
    expect(events).toHaveLength(1)
    now += 1
    await get('yes')
    expect(events).toHaveLength(2)
    await get('no')
    expect(events).toHaveLength(3)
  })

  it('does not cache without identity sources, and calls without refusing', async () => {
    const { gw, events } = httpApi({ authorizerPayloadFormatVersion: '2.0', enableSimpleResponses: true }, () => ({ isAuthorized: true }))
    expect((await gw.handle(req('GET', '/pets/1'))).statusCode).toBe(200)
    expect((await gw.handle(req('GET', '/pets/1'))).statusCode).toBe(200)
    expect(events).toHaveLength(2)
    expect(events[0].identitySource).toBeNull()
  })

  it('passes the context to a 1.0 integration too', async () => {
    const { gw } = httpApi(simple, byToken)
    const res = await gw.handle(req('GET', '/v1', { headers: { authorization: 'yes' } }))
    expect(json(res).requestContext.authorizer.lambda.user).toBe('u1')
  })
})

describe('HTTP API Lambda authorizer: IAM policy responses', () => {
  const policy = (effect: string, resource: string) => ({
    principalId: 'p1',
    policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resource }] },
    context: { user: 'u1' },
  })

  it('2.0: evaluates the policy against the route ARN, also from the cache', async () => {
    const { gw, events } = httpApi({ authorizerPayloadFormatVersion: '2.0', identitySource: '$request.header.Authorization' }, (e) =>
      e.identitySource[0] === 'deny' ? policy('Deny', `${PREFIX}/*`) : policy('Allow', e.routeArn),
    )
    const ok = await gw.handle(req('GET', '/pets/1', { headers: { authorization: 'a' } }))
    expect(ok.statusCode).toBe(200)
    expect(json(ok).requestContext.authorizer).toEqual({ lambda: { user: 'u1' } })
    const other = await gw.handle(req('POST', '/orders', { headers: { authorization: 'a' } }))
    expect([other.statusCode, json(other)]).toEqual([403, { message: 'Forbidden' }])
    expect(events).toHaveLength(1)
    const denied = await gw.handle(req('GET', '/pets/1', { headers: { authorization: 'deny' } }))
    expect([denied.statusCode, json(denied)]).toEqual([403, { message: 'Forbidden' }])
  })

  it('1.0: sends the 1.0 event with identitySource and authorizationToken', async () => {
    const { gw, events } = httpApi(
      { authorizerPayloadFormatVersion: '1.0', identitySource: '$request.header.Authorization, $request.querystring.q' },
      (e) => policy('Allow', e.methodArn),
    )
    const res = await gw.handle(req('GET', '/pets/3?q=x', { headers: { authorization: 'tok' } }))
    expect(res.statusCode).toBe(200)
    expect(events[0]).toMatchObject({
      version: '1.0',
      type: 'REQUEST',
      methodArn: `${PREFIX}/GET/pets/3`,
      identitySource: 'tok,x',
      resource: '/pets/{id}',
      httpMethod: 'GET',
      queryStringParameters: { q: 'x' },
      pathParameters: { id: '3' },
    })
    expect(events[0].authorizationToken).toBe('tok,x')
  })

  it('refuses a TOKEN authorizer and simple responses with payload 1.0', () => {
    expect(() => httpApi({ type: 'token' }, () => null)).toThrow(/REQUEST Lambda authorizers only/)
    expect(() => httpApi({ authorizerPayloadFormatVersion: '1.0', enableSimpleResponses: true }, () => null)).toThrow(
      /enableSimpleResponses/,
    )
    expect(() => httpApi({ identitySource: 'method.request.header.X' }, () => null)).toThrow(/identity source/)
  })
})
