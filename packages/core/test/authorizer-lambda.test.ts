// Lambda authorizers (TOKEN, REQUEST) on REST APIs, end to end through handle().
// Input: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-input.html
// Output: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html
// Caching and identity sources: https://docs.aws.amazon.com/apigateway/latest/developerguide/configure-api-gateway-lambda-authorization.html
// Gateway responses: https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
import { describe, expect, it } from 'vitest'
import { createGateway, GatewayConfigError, type GatewayInput } from '@gatehousejs/core'
import { echo, header, ids, json, req, text } from './helpers'

const T0 = Date.UTC(2024, 0, 1, 12, 0, 0)
const PREFIX = 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod'
const fnUri = (name: string) =>
  `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:${name}/invocations`
const proxy = (name = 'echo') => ({ type: 'aws_proxy', httpMethod: 'POST', uri: fnUri(name) })

const allow = (resource: string, extra: Record<string, unknown> = {}) => ({
  principalId: 'user-1',
  policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: resource }] },
  ...extra,
})
const deny = (resource: string) => ({
  principalId: 'user-1',
  policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: resource }] },
})

/** A TOKEN authorizer whose answer is chosen by the token; it records every event it receives. */
function tokenAuthorizer() {
  const events: any[] = []
  const fn = async (event: any) => {
    events.push(event)
    switch (event.authorizationToken) {
      case 'allow':
        return allow(event.methodArn, { context: { user: 'u1', n: 7, b: true } })
      case 'allow-all':
        return allow(`${PREFIX}/*`)
      case 'allow-ctx':
        return allow(`${PREFIX}/*`, { context: { user: 'u1' } })
      case 'allow-get':
        return allow(`${PREFIX}/GET/*`)
      case 'deny':
        return deny(`${PREFIX}/*`)
      case 'elsewhere':
        return allow(`${PREFIX}/DELETE/nothing`)
      case 'unauthorized':
        throw new Error('Unauthorized')
      case 'boom':
        throw new Error('boom')
      case 'bad-context':
        return allow(`${PREFIX}/*`, { context: { nested: { a: 1 } } })
      case 'array-context':
        return allow(`${PREFIX}/*`, { context: { list: [1] } })
      case 'no-policy':
        return { principalId: 'x' }
      case 'bad-policy':
        return { principalId: 'x', policyDocument: { Statement: [{ Effect: 'allow', Action: '*', Resource: '*' }] } }
      case 'null':
        return null
      case 'hang':
        return new Promise(() => {})
      case 'key':
        return allow(`${PREFIX}/*`, { usageIdentifierKey: 'k'.repeat(20) })
      default:
        throw new Error('Unauthorized')
    }
  }
  return { events, fn }
}

function restApi(authorizer: Record<string, unknown>, input: Partial<GatewayInput> = {}, extraDoc: Record<string, unknown> = {}) {
  const scheme = {
    type: 'apiKey',
    name: 'Authorization',
    in: 'header',
    'x-amazon-apigateway-authtype': 'custom',
    'x-amazon-apigateway-authorizer': authorizer,
  }
  const secured = { security: [{ auth: [] }], 'x-amazon-apigateway-integration': proxy() }
  return createGateway({
    apiId: 'abc123',
    requestId: ids,
    api: {
      openapi: '3.0.1',
      info: { title: 'auth', version: '1' },
      components: { securitySchemes: { auth: scheme } },
      paths: {
        '/pets/{id}': { get: secured, post: secured },
        '/mapped': {
          get: {
            security: [{ auth: [] }],
            'x-amazon-apigateway-integration': {
              type: 'mock',
              requestTemplates: { 'application/json': '{"statusCode": 200}' },
              responses: {
                default: {
                  statusCode: '200',
                  responseTemplates: {
                    'application/json':
                      '{"p":"$context.authorizer.principalId","u":"$context.authorizer.user","n":"$context.authorizer.n"}',
                  },
                },
              },
            },
          },
        },
        '/open': { get: { 'x-amazon-apigateway-integration': proxy() } },
      },
      ...extraDoc,
    },
    ...input,
  })
}

function tokenApi(authorizer: Record<string, unknown> = {}, input: Partial<GatewayInput> = {}, extraDoc: Record<string, unknown> = {}) {
  const auth = tokenAuthorizer()
  const gw = restApi(
    { type: 'token', authorizerUri: fnUri('auth'), identitySource: 'method.request.header.Authorization', ...authorizer },
    { functions: { echo, auth: auth.fn }, now: () => T0, ...input },
    extraDoc,
  )
  return { gw, events: auth.events }
}

const withToken = (token: string, url = '/pets/1', method = 'GET') => req(method, url, { headers: { authorization: token } })

describe('TOKEN authorizer: answers', () => {
  it('allows with the policy, and passes principalId and context to the integration as strings', async () => {
    const { gw, events } = tokenApi()
    const res = await gw.handle(withToken('allow'))
    expect(res.statusCode).toBe(200)
    expect(events).toEqual([{ type: 'TOKEN', authorizationToken: 'allow', methodArn: `${PREFIX}/GET/pets/1` }])
    expect(json(res).requestContext.authorizer).toEqual({ principalId: 'user-1', integrationLatency: 0, user: 'u1', n: '7', b: 'true' })
  })

  it('reports integrationLatency by the injected clock: the call duration, 0 from the cache', async () => {
    let now = T0
    const auth = tokenAuthorizer()
    const gw = restApi(
      { type: 'token', authorizerUri: fnUri('auth') },
      { functions: { echo, auth: async (e: any) => ((now += 25), auth.fn(e)) }, now: () => now },
    )
    expect(json(await gw.handle(withToken('allow'))).requestContext.authorizer.integrationLatency).toBe(25)
    expect(json(await gw.handle(withToken('allow'))).requestContext.authorizer.integrationLatency).toBe(0)
  })

  it('exposes the output as $context.authorizer.* to mapping templates', async () => {
    const { gw } = tokenApi()
    const res = await gw.handle(withToken('allow', '/mapped'))
    expect(json(res)).toEqual({ p: 'user-1', u: 'u1', n: '7' })
  })

  it('leaves routes without an authorizer alone', async () => {
    const { gw, events } = tokenApi()
    expect((await gw.handle(req('GET', '/open'))).statusCode).toBe(200)
    expect(events).toHaveLength(0)
  })

  // [case, request headers, status, body, x-amzn-ErrorType, function called]
  const table: [string, Record<string, string>, number, unknown, string, boolean][] = [
    ['no token header', {}, 401, { message: 'Unauthorized' }, 'UnauthorizedException', false],
    ['empty token', { authorization: '' }, 401, { message: 'Unauthorized' }, 'UnauthorizedException', false],
    ['Unauthorized thrown', { authorization: 'unauthorized' }, 401, { message: 'Unauthorized' }, 'UnauthorizedException', true],
    [
      'explicit Deny',
      { authorization: 'deny' },
      403,
      { Message: 'User is not authorized to access this resource with an explicit deny' },
      'AccessDeniedException',
      true,
    ],
    [
      'no matching statement',
      { authorization: 'elsewhere' },
      403,
      { Message: 'User is not authorized to access this resource' },
      'AccessDeniedException',
      true,
    ],
    ['another error thrown', { authorization: 'boom' }, 500, { message: null }, 'AuthorizerConfigurationException', true],
    ['object in context', { authorization: 'bad-context' }, 500, { message: null }, 'AuthorizerConfigurationException', true],
    ['array in context', { authorization: 'array-context' }, 500, { message: null }, 'AuthorizerConfigurationException', true],
    ['no policyDocument', { authorization: 'no-policy' }, 500, { message: null }, 'AuthorizerConfigurationException', true],
    ['invalid policyDocument', { authorization: 'bad-policy' }, 500, { message: null }, 'AuthorizerConfigurationException', true],
    ['null result', { authorization: 'null' }, 500, { message: null }, 'AuthorizerConfigurationException', true],
  ]
  for (const [name, headers, status, body, errorType, called] of table) {
    it(`${name} → ${status}`, async () => {
      const { gw, events } = tokenApi()
      const res = await gw.handle(req('GET', '/pets/1', { headers }))
      expect(res.statusCode).toBe(status)
      expect(json(res)).toEqual(body)
      expect(header(res, 'x-amzn-ErrorType')).toBe(errorType)
      expect(events.length > 0).toBe(called)
    })
  }

  it('takes Unauthorized from the callback style too', async () => {
    const gw = restApi(
      { type: 'token', authorizerUri: fnUri('auth') },
      { functions: { echo, auth: (_e: unknown, _c: unknown, cb: any) => cb('Unauthorized') } },
    )
    expect((await gw.handle(withToken('x'))).statusCode).toBe(401)
  })

  it('answers 500 AUTHORIZER_FAILURE when the function does not answer in time', async () => {
    const { gw } = tokenApi({}, { authorization: { lambdaTimeoutMs: 30 } })
    const res = await gw.handle(withToken('hang'))
    expect(res.statusCode).toBe(500)
    expect(json(res)).toEqual({ message: null })
    expect(header(res, 'x-amzn-ErrorType')).toBe('AuthorizerFailureException')
  })

  it('checks identityValidationExpression before calling, against the whole token', async () => {
    const { gw, events } = tokenApi({ identityValidationExpression: 'allow|deny' })
    expect((await gw.handle(withToken('allow-all'))).statusCode).toBe(401)
    expect(events).toHaveLength(0)
    expect((await gw.handle(withToken('allow'))).statusCode).toBe(200)
    expect(events).toHaveLength(1)
  })

  it('renders customised gateway responses for authorizer refusals', async () => {
    const { gw } = tokenApi(
      {},
      {},
      {
        'x-amazon-apigateway-gateway-responses': {
          UNAUTHORIZED: {
            statusCode: 401,
            responseParameters: { 'gatewayresponse.header.WWW-Authenticate': "'Bearer'" },
            responseTemplates: { 'application/json': '{"error":$context.error.messageString,"type":"$context.error.responseType"}' },
          },
          ACCESS_DENIED: { responseTemplates: { 'application/json': '{"denied":$context.error.messageString}' } },
        },
      },
    )
    const res = await gw.handle(req('GET', '/pets/1'))
    expect(res.statusCode).toBe(401)
    expect(header(res, 'WWW-Authenticate')).toBe('Bearer')
    expect(json(res)).toEqual({ error: 'Unauthorized', type: 'UNAUTHORIZED' })
    const denied = await gw.handle(withToken('deny'))
    expect(denied.statusCode).toBe(403)
    expect(json(denied)).toEqual({ denied: 'User is not authorized to access this resource with an explicit deny' })
  })

  it('never lets a handler that edits its event change what later requests see', async () => {
    const mutate = async (event: any) => {
      event.requestContext.authorizer.user = 'mallory'
      return { statusCode: 200, body: '' }
    }
    const auth = tokenAuthorizer()
    const gw = restApi({ type: 'token', authorizerUri: fnUri('auth') }, { functions: { echo: mutate, auth: auth.fn } })
    await gw.handle(withToken('allow-ctx'))
    const gw2Res = await gw.handle(withToken('allow-ctx', '/mapped'))
    expect(json(gw2Res).u).toBe('u1')
  })
})

describe('TOKEN authorizer: result cache', () => {
  it('reuses a cached answer for the same token (default TTL 300 s)', async () => {
    const { gw, events } = tokenApi()
    for (let i = 0; i < 3; i++) expect((await gw.handle(withToken('allow-all'))).statusCode).toBe(200)
    expect(events).toHaveLength(1)
  })

  it('evaluates a cached policy against each new method ARN', async () => {
    const { gw, events } = tokenApi()
    // The policy allows only the ARN of the first request (the classic cached-policy surprise).
    expect((await gw.handle(withToken('allow', '/pets/1'))).statusCode).toBe(200)
    const other = await gw.handle(withToken('allow', '/pets/2'))
    expect(other.statusCode).toBe(403)
    expect(json(other)).toEqual({ Message: 'User is not authorized to access this resource' })
    expect((await gw.handle(withToken('allow', '/pets/1', 'POST'))).statusCode).toBe(403)
    expect(events).toHaveLength(1)
    // A wildcard policy covers the other methods from the cache.
    expect((await gw.handle(withToken('allow-get', '/pets/1'))).statusCode).toBe(200)
    expect((await gw.handle(withToken('allow-get', '/pets/9'))).statusCode).toBe(200)
    expect((await gw.handle(withToken('allow-get', '/pets/9', 'POST'))).statusCode).toBe(403)
    expect(events).toHaveLength(2)
  })

  it('caches Deny answers too, and asks again after Unauthorized', async () => {
    const { gw, events } = tokenApi()
    await gw.handle(withToken('deny'))
    await gw.handle(withToken('deny'))
    expect(events).toHaveLength(1)
    await gw.handle(withToken('unauthorized'))
    await gw.handle(withToken('unauthorized'))
    expect(events).toHaveLength(3)
  })

  it('expires entries after authorizerResultTtlInSeconds by the injected clock', async () => {
    let now = T0
    const { gw, events } = tokenApi({ authorizerResultTtlInSeconds: 60 }, { now: () => now })
    await gw.handle(withToken('allow-all'))
    now = T0 + 59_999
    await gw.handle(withToken('allow-all'))
    expect(events).toHaveLength(1)
    now = T0 + 60_000
    await gw.handle(withToken('allow-all'))
    expect(events).toHaveLength(2)
    now = T0 + 60_000 + 59_999
    await gw.handle(withToken('allow-all'))
    expect(events).toHaveLength(2)
  })

  it('misses when the token changes', async () => {
    const { gw, events } = tokenApi()
    await gw.handle(withToken('allow-all'))
    await gw.handle(withToken('allow-get'))
    await gw.handle(withToken('allow-all'))
    expect(events.map((e) => e.authorizationToken)).toEqual(['allow-all', 'allow-get'])
  })

  it('calls every time with TTL 0', async () => {
    const { gw, events } = tokenApi({ authorizerResultTtlInSeconds: 0 })
    await gw.handle(withToken('allow-all'))
    await gw.handle(withToken('allow-all'))
    expect(events).toHaveLength(2)
  })

  it('shares one invocation between concurrent requests with the same token', async () => {
    const { gw, events } = tokenApi()
    const all = await Promise.all([1, 2, 3, 4].map((i) => gw.handle(withToken('allow-all', `/pets/${i}`))))
    expect(all.map((r) => r.statusCode)).toEqual([200, 200, 200, 200])
    expect(events).toHaveLength(1)
  })

  it('bounds the cache by resultCacheMaxEntries', async () => {
    const auth = tokenAuthorizer()
    const seen: string[] = []
    const gw = restApi(
      { type: 'token', authorizerUri: fnUri('auth') },
      {
        functions: { echo, auth: async (e: any) => (seen.push(e.authorizationToken), auth.fn({ ...e, authorizationToken: 'allow-all' })) },
        authorization: { resultCacheMaxEntries: 2 },
      },
    )
    for (const t of ['a', 'b', 'c', 'a']) await gw.handle(withToken(t))
    // `a` was evicted by `c`.
    expect(seen).toEqual(['a', 'b', 'c', 'a'])
  })
})

describe('REQUEST authorizer (REST)', () => {
  function requestApi(identitySource: string, extra: Record<string, unknown> = {}, input: Partial<GatewayInput> = {}) {
    const events: any[] = []
    const gw = restApi(
      { type: 'request', authorizerUri: fnUri('auth'), identitySource, ...extra },
      {
        functions: {
          echo,
          auth: async (event: any) => {
            events.push(event)
            if (event.headers?.['x-user'] === 'nobody') throw new Error('Unauthorized')
            return allow(`${PREFIX}/*`, { context: { tenant: event.queryStringParameters?.tenant ?? '' } })
          },
        },
        stage: { stageName: 'prod', variables: { env: 'test' } },
        now: () => T0,
        ...input,
      },
    )
    return { gw, events }
  }

  it('sends the documented event', async () => {
    const { gw, events } = requestApi('method.request.header.X-User, method.request.querystring.tenant')
    const res = await gw.handle(req('GET', '/pets/7?tenant=t1&tenant=t2', { headers: { 'x-user': 'ann' } }))
    expect(res.statusCode).toBe(200)
    const e = events[0]
    expect(e).toMatchObject({
      type: 'REQUEST',
      methodArn: `${PREFIX}/GET/pets/7`,
      resource: '/pets/{id}',
      path: '/pets/7',
      httpMethod: 'GET',
      queryStringParameters: { tenant: 't2' },
      multiValueQueryStringParameters: { tenant: ['t1', 't2'] },
      pathParameters: { id: '7' },
      stageVariables: { env: 'test' },
    })
    expect(e.headers['x-user']).toBe('ann')
    expect(e.multiValueHeaders['x-user']).toEqual(['ann'])
    expect(e.requestContext).toMatchObject({
      accountId: '123456789012',
      apiId: 'abc123',
      stage: 'prod',
      resourcePath: '/pets/{id}',
      httpMethod: 'GET',
      identity: { sourceIp: '203.0.113.7' },
    })
    expect(e.requestContext.requestId).toBeTypeOf('string')
    expect(e.requestContext.authorizer).toBeUndefined()
    expect(json(res).requestContext.authorizer).toEqual({ principalId: 'user-1', integrationLatency: 0, tenant: 't2' })
  })

  it('refuses with 401 without calling when any identity source is missing', async () => {
    const { gw, events } = requestApi('method.request.header.X-User, method.request.querystring.tenant')
    expect((await gw.handle(req('GET', '/pets/1', { headers: { 'x-user': 'ann' } }))).statusCode).toBe(401)
    expect((await gw.handle(req('GET', '/pets/1?tenant=t1'))).statusCode).toBe(401)
    expect((await gw.handle(req('GET', '/pets/1?tenant=', { headers: { 'x-user': 'ann' } }))).statusCode).toBe(401)
    expect(events).toHaveLength(0)
  })

  it('keys the cache on every identity source value', async () => {
    const { gw, events } = requestApi('method.request.header.X-User, method.request.querystring.tenant')
    const get = (user: string, tenant: string, path = '/pets/1') =>
      gw.handle(req('GET', `${path}?tenant=${tenant}`, { headers: { 'x-user': user } }))
    await get('ann', 't1')
    await get('ann', 't1', '/pets/2')
    expect(events).toHaveLength(1)
    await get('ann', 't2')
    await get('bob', 't1')
    expect(events).toHaveLength(3)
    // Values that only differ in where a separator would fall are different keys.
    await get('ann,t', '1')
    expect(events).toHaveLength(4)
  })

  it('reads stage variables and $context as identity sources', async () => {
    const { gw, events } = requestApi('stageVariables.env, context.identity.sourceIp')
    await gw.handle(req('GET', '/pets/1'))
    await gw.handle(req('GET', '/pets/1', { sourceIp: '198.51.100.1' }))
    await gw.handle(req('GET', '/pets/2'))
    expect(events).toHaveLength(2)
    const missing = requestApi('stageVariables.nope')
    expect((await missing.gw.handle(req('GET', '/pets/1'))).statusCode).toBe(401)
    expect(missing.events).toHaveLength(0)
  })

  it('calls every time without identity sources when caching is off', async () => {
    const { gw, events } = requestApi('', { authorizerResultTtlInSeconds: 0 })
    await gw.handle(req('GET', '/pets/1'))
    await gw.handle(req('GET', '/pets/1'))
    expect(events).toHaveLength(2)
  })
})

describe('authorizers and resource policies (REST)', () => {
  const policy = (effect: 'Allow' | 'Deny', resource: string) => ({
    Version: '2012-10-17',
    Statement: [{ Effect: effect, Principal: '*', Action: 'execute-api:Invoke', Resource: resource }],
  })

  it('an authorizer allow or a resource-policy allow suffices; an explicit deny on either refuses', async () => {
    const { gw } = tokenApi({}, {}, { 'x-amazon-apigateway-policy': policy('Allow', 'execute-api:/*/GET/pets/1') })
    // Authorizer policy names another resource, the resource policy allows: allowed (Table A).
    expect((await gw.handle(withToken('elsewhere', '/pets/1'))).statusCode).toBe(200)
    expect((await gw.handle(withToken('elsewhere', '/pets/2'))).statusCode).toBe(403)
    expect((await gw.handle(withToken('deny', '/pets/1'))).statusCode).toBe(403)
  })

  it('a resource policy with conditions is evaluated again for each request of a cached answer', async () => {
    const conditional = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: '*',
          Action: 'execute-api:Invoke',
          Resource: 'execute-api:/*',
          Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
        },
      ],
    }
    const { gw, events } = tokenApi({}, {}, { 'x-amazon-apigateway-policy': conditional })
    expect((await gw.handle(withToken('elsewhere', '/pets/1'))).statusCode).toBe(200)
    const other = await gw.handle(req('GET', '/pets/1', { headers: { authorization: 'elsewhere' }, sourceIp: '198.51.100.9' }))
    expect(other.statusCode).toBe(403)
    expect(events).toHaveLength(1)
  })

  it('a resource-policy deny refuses before the authorizer runs', async () => {
    const { gw, events } = tokenApi({}, {}, { 'x-amazon-apigateway-policy': policy('Deny', 'execute-api:/*/GET/pets/1') })
    const res = await gw.handle(withToken('allow-all', '/pets/1'))
    expect(res.statusCode).toBe(403)
    expect(events).toHaveLength(0)
  })
})

describe('cached policies with conditions', () => {
  it('are evaluated again for each request, not remembered per ARN', async () => {
    const gw = restApi(
      { type: 'token', authorizerUri: fnUri('auth') },
      {
        functions: {
          echo,
          auth: async () => ({
            principalId: 'p',
            policyDocument: {
              Version: '2012-10-17',
              Statement: [
                {
                  Effect: 'Allow',
                  Action: 'execute-api:Invoke',
                  Resource: `${PREFIX}/*`,
                  Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
                },
              ],
            },
          }),
        },
      },
    )
    expect((await gw.handle(withToken('t'))).statusCode).toBe(200)
    expect((await gw.handle(req('GET', '/pets/1', { headers: { authorization: 't' }, sourceIp: '198.51.100.9' }))).statusCode).toBe(403)
    expect((await gw.handle(withToken('t'))).statusCode).toBe(200)
  })
})

describe('usageIdentifierKey', () => {
  it('is exposed on the request state for the API-key stage', async () => {
    const { authorizersFeature } = await import('../src/features/authorizers')
    const { RequestState } = await import('../src/state')
    const { GatewayState } = await import('../src/features/types')
    const auth = tokenAuthorizer()
    const api = {
      apiType: 'REST',
      apiId: 'abc123',
      accountId: '123456789012',
      region: 'us-east-1',
      stage: 'prod',
      stageVariables: null,
      deploymentId: 'd',
      defaultDomainName: 'x',
      isBinaryType: null,
      now: () => T0,
      requestId: ids,
    } as any
    const definition = { authorizers: { a: { type: 'TOKEN' as const, authorizerUri: 'auth' } }, resources: {} }
    const method = { authorizationType: 'CUSTOM' as const, authorizer: 'a' }
    const compiled = authorizersFeature.compileRoute!({
      api,
      definition,
      input: { api: definition, functions: { auth: auth.fn } },
      method,
      httpMethod: 'GET',
      resourcePath: '/pets',
      at: '/x',
      warn: () => {},
      state: new GatewayState(),
    })
    const route = {
      resourcePath: '/pets',
      routeKey: 'GET /pets',
      resourceId: 'r',
      hasParams: false,
      before: [],
      after: [],
      integrate: async () => ({ passthrough: true }),
    } as any
    const state = new RequestState(api, req('GET', '/pets', { headers: { authorization: 'key' } }), route, {}, '/pets')
    expect(await compiled!.before!(state)).toBeUndefined()
    expect(state.usageIdentifierKey).toBe('k'.repeat(20))
    expect(state.authorizer).toEqual({ principalId: 'user-1', integrationLatency: 0 })
  })
})

describe('authorizer definitions', () => {
  const build =
    (authorizer: Record<string, unknown>, functions: Record<string, any> = { auth: async () => null }) =>
    () =>
      restApi(authorizer, { functions: { echo, ...functions } })

  // [case, authorizer, error code]
  const bad: [string, Record<string, unknown>, string][] = [
    ['TTL over 3600', { type: 'token', authorizerUri: 'auth', authorizerResultTtlInSeconds: 3601 }, 'INVALID_DEFINITION'],
    ['negative TTL', { type: 'token', authorizerUri: 'auth', authorizerResultTtlInSeconds: -1 }, 'INVALID_DEFINITION'],
    ['unknown type', { type: 'saml', authorizerUri: 'auth' }, 'INVALID_DEFINITION'],
    ['no authorizerUri', { type: 'token' }, 'INVALID_DEFINITION'],
    ['unknown function', { type: 'token', authorizerUri: 'missing' }, 'UNKNOWN_FUNCTION'],
    [
      'TOKEN from a query string',
      { type: 'token', authorizerUri: 'auth', identitySource: 'method.request.querystring.t' },
      'INVALID_DEFINITION',
    ],
    ['bad identity source', { type: 'request', authorizerUri: 'auth', identitySource: 'header.X' }, 'INVALID_DEFINITION'],
    ['bad validation regex', { type: 'token', authorizerUri: 'auth', identityValidationExpression: '(' }, 'INVALID_DEFINITION'],
    ['JWT on a REST API', { type: 'jwt', jwtConfiguration: { issuer: 'https://id.example.com' } }, 'INVALID_DEFINITION'],
    ['simple responses on REST', { type: 'request', authorizerUri: 'auth', enableSimpleResponses: true }, 'INVALID_DEFINITION'],
  ]
  for (const [name, authorizer, code] of bad) {
    it(`refuses ${name}`, () => {
      let err: unknown
      try {
        build(authorizer)()
      } catch (e) {
        err = e
      }
      expect(err).toBeInstanceOf(GatewayConfigError)
      expect((err as GatewayConfigError).code).toBe(code)
    })
  }

  it('refuses a method naming an authorizer that does not exist (native definition)', () => {
    const api = {
      resources: { '/a': { GET: { authorizationType: 'CUSTOM', authorizer: 'nope', integration: { type: 'MOCK' as const } } } },
    }
    expect(() => createGateway({ api })).toThrow(/authorizer "nope" is not defined/)
    const noName = { resources: { '/a': { GET: { authorizationType: 'CUSTOM', integration: { type: 'MOCK' as const } } } } }
    expect(() => createGateway({ api: noName })).toThrow(/needs an authorizer/)
  })

  it('runs a native definition', async () => {
    const auth = tokenAuthorizer()
    const gw = createGateway({
      apiId: 'abc123',
      api: {
        authorizers: { tok: { type: 'TOKEN', authorizerUri: 'auth', identitySource: 'method.request.header.X-Token' } },
        resources: {
          '/pets/{id}': { GET: { authorizationType: 'CUSTOM', authorizer: 'tok', integration: { type: 'AWS_PROXY', uri: 'echo' } } },
        },
      },
      functions: { echo, auth: auth.fn },
    })
    expect((await gw.handle(req('GET', '/pets/1', { headers: { 'x-token': 'allow' } }))).statusCode).toBe(200)
    expect((await gw.handle(req('GET', '/pets/1', { headers: { authorization: 'allow' } }))).statusCode).toBe(401)
  })

  it('imports Swagger 2 securityDefinitions, the scheme header as identity source, and document-level security', async () => {
    const auth = tokenAuthorizer()
    const gw = createGateway({
      apiId: 'abc123',
      api: {
        swagger: '2.0',
        info: { title: 's', version: '1' },
        securityDefinitions: {
          tok: {
            type: 'apiKey',
            name: 'X-Auth',
            in: 'header',
            'x-amazon-apigateway-authtype': 'custom',
            'x-amazon-apigateway-authorizer': { type: 'token', authorizerUri: fnUri('auth'), authorizerResultTtlInSeconds: '0' },
          },
        },
        security: [{ tok: [] }],
        paths: {
          '/pets/{id}': { get: { 'x-amazon-apigateway-integration': proxy() } },
          '/public': { get: { security: [], 'x-amazon-apigateway-integration': proxy() } },
        },
      },
      functions: { echo, auth: auth.fn },
    })
    expect(gw.definition.authorizers).toEqual({
      tok: { type: 'TOKEN', authorizerUri: fnUri('auth'), identitySource: 'method.request.header.X-Auth', authorizerResultTtlInSeconds: 0 },
    })
    expect(gw.definition.resources['/pets/{id}']!.GET).toMatchObject({ authorizer: 'tok', authorizationType: 'CUSTOM' })
    expect((await gw.handle(req('GET', '/pets/1', { headers: { 'x-auth': 'allow' } }))).statusCode).toBe(200)
    expect((await gw.handle(req('GET', '/pets/1'))).statusCode).toBe(401)
    expect((await gw.handle(req('GET', '/public'))).statusCode).toBe(200)
  })

  it('warns about a security scheme no feature implements', () => {
    const warnings: string[] = []
    createGateway({
      api: {
        openapi: '3.0.1',
        info: { title: 'w', version: '1' },
        components: { securitySchemes: { oauth: { type: 'oauth2', flows: {} } } },
        paths: { '/a': { get: { security: [{ oauth: [] }], 'x-amazon-apigateway-integration': { type: 'mock' } } } },
      },
      onWarning: (w) => warnings.push(`${w.pointer} ${w.message}`),
    })
    expect(warnings).toEqual(['/paths/~1a/get/security security scheme "oauth" not implemented yet'])
  })

  it('answers through text() as JSON', async () => {
    const { gw } = tokenApi()
    expect(text(await gw.handle(req('GET', '/pets/1')))).toBe('{"message":"Unauthorized"}')
  })
})
