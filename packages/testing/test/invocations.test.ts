// recordInvocations: what a Lambda proxy function and a Lambda (TOKEN) authorizer received and answered, in order.
// Proxy input: https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html
// Authorizer input/output: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-input.html
//   https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html
// Lambda context (Node.js): https://docs.aws.amazon.com/lambda/latest/dg/nodejs-context.html
import { describe, expect, it } from 'vitest'
import { createGateway, type LambdaHandler } from '@gatehousejs/core'
import { assertInvoked, recordInvocations, testInvoke } from '@gatehousejs/testing'

const PREFIX = 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod'
const fnUri = (name: string) =>
  `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:${name}/invocations`

function gateway(functions: Record<string, LambdaHandler>) {
  let n = 0
  const secured = {
    security: [{ auth: [] }],
    'x-amazon-apigateway-integration': { type: 'aws_proxy', httpMethod: 'POST', uri: fnUri('getPet') },
  }
  return createGateway({
    apiId: 'abc123',
    requestId: () => `req-${++n}`,
    functions,
    onError: () => {},
    api: {
      openapi: '3.0.1',
      info: { title: 'pets', version: '1' },
      components: {
        securitySchemes: {
          auth: {
            type: 'apiKey',
            name: 'Authorization',
            in: 'header',
            'x-amazon-apigateway-authtype': 'custom',
            'x-amazon-apigateway-authorizer': { type: 'token', authorizerUri: fnUri('auth'), authorizerResultTtlInSeconds: 0 },
          },
        },
      },
      paths: { '/pets/{id}': { get: secured } },
    },
  })
}

const policy = (effect: 'Allow' | 'Deny') => ({
  principalId: 'user-1',
  policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: `${PREFIX}/*` }] },
  context: { tier: 'gold' },
})

describe('recordInvocations', () => {
  const handlers = {
    auth: async (event: { authorizationToken: string }) => {
      if (event.authorizationToken === 'boom') throw new Error('boom')
      return policy(event.authorizationToken === 'allow' ? 'Allow' : 'Deny')
    },
    getPet: async (event: { pathParameters: { id: string }; requestContext: { authorizer: { tier: string } } }) => {
      if (event.pathParameters.id === 'fail') throw new Error('no such pet')
      return { statusCode: 200, body: JSON.stringify({ id: event.pathParameters.id, tier: event.requestContext.authorizer.tier }) }
    },
  }

  it('captures the authorizer, then the function: events, contexts, answers', async () => {
    const rec = recordInvocations(handlers)
    const gw = gateway(rec.functions)
    const res = await testInvoke(gw, { method: 'GET', path: '/pets/7', headers: { Authorization: 'allow' } })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ id: '7', tier: 'gold' })

    expect(rec.calls.map((c) => c.name)).toEqual(['auth', 'getPet'])
    const [auth, pet] = rec.calls
    expect(auth!.event).toEqual({ type: 'TOKEN', authorizationToken: 'allow', methodArn: `${PREFIX}/GET/pets/7` })
    expect(auth!.outcome).toEqual({ ok: true, value: policy('Allow') })
    expect(auth!.context).toMatchObject({
      functionName: 'auth',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:auth',
      awsRequestId: 'req-1',
    })
    expect(pet!.event).toMatchObject({ httpMethod: 'GET', resource: '/pets/{id}', pathParameters: { id: '7' } })
    expect(pet!.context).toMatchObject({ functionName: 'getPet', awsRequestId: 'req-1', functionVersion: '$LATEST' })
    expect(pet!.context.remainingTimeInMillis).toBeGreaterThan(0)
    expect(pet!.outcome).toEqual({ ok: true, value: { statusCode: 200, body: '{"id":"7","tier":"gold"}' } })
    expect(rec.callsOf('getPet')).toEqual([pet])
    expect(assertInvoked(rec, 'getPet', { pathParameters: { id: '7' } })).toBe(pet)
    expect(() => assertInvoked(rec, 'getPet', { pathParameters: { id: '8' } })).toThrow(/getPet to have been invoked/)
  })

  it('records errors, and a denied request never reaches the function', async () => {
    const rec = recordInvocations(handlers)
    const gw = gateway(rec.functions)
    expect((await testInvoke(gw, { method: 'GET', path: '/pets/1', headers: { authorization: 'deny' } })).statusCode).toBe(403)
    expect((await testInvoke(gw, { method: 'GET', path: '/pets/1', headers: { authorization: 'boom' } })).statusCode).toBe(500)
    expect((await testInvoke(gw, { method: 'GET', path: '/pets/fail', headers: { authorization: 'allow' } })).statusCode).toBe(502)
    expect(rec.calls.map((c) => c.name)).toEqual(['auth', 'auth', 'auth', 'getPet'])
    expect(rec.calls.map((c) => c.index)).toEqual([0, 1, 2, 3])
    const boom = rec.calls[1]!.outcome
    expect(boom?.ok).toBe(false)
    expect(boom && !boom.ok && (boom.error as Error).message).toBe('boom')
    const fail = rec.calls[3]!.outcome
    expect(fail && !fail.ok && (fail.error as Error).message).toBe('no such pet')
    rec.clear()
    expect(rec.calls).toEqual([])
  })

  it('keeps callback-style and context.succeed handlers working', async () => {
    const rec = recordInvocations({
      auth: (event: { authorizationToken: string }, _context: unknown, callback: (e: unknown, r?: unknown) => void) => {
        setTimeout(() => callback(null, policy(event.authorizationToken === 'allow' ? 'Allow' : 'Deny')), 1)
      },
      getPet: (event: { pathParameters: { id: string } }, context: { succeed(r: unknown): void }, _cb: unknown) => {
        context.succeed({ statusCode: 201, body: event.pathParameters.id })
      },
    } as unknown as Record<string, LambdaHandler>)
    const gw = gateway(rec.functions)
    const res = await testInvoke(gw, { method: 'GET', path: '/pets/3', headers: { authorization: 'allow' } })
    expect(res.statusCode).toBe(201)
    expect(res.body).toBe('3')
    await Promise.all(rec.calls.map((c) => c.settled))
    expect(rec.calls.map((c) => c.outcome?.ok)).toEqual([true, true])
    expect(rec.calls[1]!.outcome).toEqual({ ok: true, value: { statusCode: 201, body: '3' } })
  })
})

// HTTP backends (`httpBackends`, by origin) and AWS services (`aws.services`) recorded in the same list as functions:
// an HTTP_PROXY integration, an SQS SendMessage AWS integration and a Lambda proxy function behind one API.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/setup-http-integrations.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/integrating-api-with-aws-services-sqs.html
describe('recordInvocations with HTTP backends and AWS services', () => {
  const PETS = 'https://pets.example.com'
  const record = () =>
    recordInvocations(
      { getPet: async (event: { pathParameters: { id: string } }) => ({ statusCode: 200, body: event.pathParameters.id }) },
      {
        httpBackends: {
          [PETS]: async (request) =>
            request.path === '/boom'
              ? Promise.reject(new Error('backend down'))
              : {
                  statusCode: 201,
                  headers: { 'content-type': 'application/json' },
                  body: `{"got":${Buffer.from(request.body).toString()}}`,
                },
        },
        awsServices: { sqs: () => ({ statusCode: 200, headers: { 'content-type': 'text/xml' }, body: '<SendMessageResponse/>' }) },
      },
    )
  const gatewayFor = (rec: ReturnType<typeof record>) =>
    createGateway({
      requestId: () => 'req-1',
      functions: rec.functions,
      httpBackends: rec.httpBackends,
      aws: { credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' }, services: rec.awsServices },
      onError: () => {},
      api: {
        resources: {
          '/pets': { POST: { integration: { type: 'HTTP_PROXY', uri: `${PETS}/pets` } } },
          '/boom': { GET: { integration: { type: 'HTTP_PROXY', uri: `${PETS}/boom` } } },
          '/pets/{id}': { GET: { integration: { type: 'AWS_PROXY', uri: 'getPet' } } },
          '/jobs': {
            POST: {
              integration: {
                type: 'AWS',
                httpMethod: 'POST',
                uri: 'arn:aws:apigateway:us-east-1:sqs:path/123456789012/jobs',
                requestParameters: { 'integration.request.header.Content-Type': "'application/x-www-form-urlencoded'" },
                requestTemplates: { 'application/json': 'Action=SendMessage&MessageBody=$util.urlEncode($input.body)' },
                responses: { default: { statusCode: '200', responseTemplates: { 'application/json': '{"queued":true}' } } },
              },
              responses: { '200': {} },
            },
          },
        },
      },
    })

  it('records each kind in call order, with the request as sent and its answer', async () => {
    const rec = record()
    const gw = gatewayFor(rec)
    expect((await testInvoke(gw, { method: 'POST', path: '/pets', body: { name: 'Rex' } })).json()).toEqual({ got: { name: 'Rex' } })
    expect((await testInvoke(gw, { method: 'GET', path: '/pets/7' })).body).toBe('7')
    expect((await testInvoke(gw, { method: 'POST', path: '/jobs', body: { n: 1 } })).json()).toEqual({ queued: true })

    expect(rec.calls.map((c) => [c.kind, c.name, c.index])).toEqual([
      ['http', PETS, 0],
      ['function', 'getPet', 1],
      ['aws', 'sqs', 2],
    ])
    const [pets] = rec.callsOf(PETS)
    expect(pets!.event).toMatchObject({
      method: 'POST',
      url: `${PETS}/pets`,
      path: '/pets',
      query: '',
      text: '{"name":"Rex"}',
      headers: { host: 'pets.example.com', 'content-type': 'application/json', 'x-amzn-trace-id': expect.stringMatching(/^Root=1-/) },
    })
    expect(pets!.outcome).toMatchObject({ ok: true, value: { statusCode: 201 } })
    const [sqs] = rec.callsOf('sqs')
    expect(sqs!.event.text).toBe(`Action=SendMessage&MessageBody=${encodeURIComponent('{"n":1}')}`)
    expect(sqs!.event.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDTEST\/\d{8}\/us-east-1\/sqs\/aws4_request/)
    expect(assertInvoked(rec, PETS, { method: 'POST', text: /Rex/ })).toBe(pets)
    expect(assertInvoked(rec, 'sqs', { path: '/123456789012/jobs' })).toBe(sqs)
    expect(() => assertInvoked(rec, PETS, { method: 'DELETE' })).toThrow(/to have been invoked/)
  })

  it("records a backend's failure, and the client gets API Gateway's answer", async () => {
    const rec = record()
    const res = await testInvoke(gatewayFor(rec), { method: 'GET', path: '/boom' })
    expect(res.statusCode).toBe(502)
    expect(rec.calls).toHaveLength(1)
    expect(rec.calls[0]!.outcome).toMatchObject({ ok: false, error: { message: 'backend down' } })
  })

  it('refuses a backend or service that is not a function', () => {
    expect(() => recordInvocations({}, { httpBackends: { [PETS]: 'x' as never } })).toThrow(/httpBackends\["https:\/\/pets.example.com"\]/)
    expect(() => recordInvocations({}, { awsServices: { sqs: 1 as never } })).toThrow(/awsServices\["sqs"\]/)
  })
})
