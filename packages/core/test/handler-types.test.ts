// Handlers typed with @types/aws-lambda are `functions` as they are (before, under `strict`, none was: the
// library's callback was optional, theirs required), and core's own event types (ProxyEventV1 / V2, results) say
// what the gateway builds. The type checks below are compiled by `tsc -p tsconfig.json` in `npm test`; the runtime
// checks hold the types to the events the gateway really builds.
// 1.0: https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-input-format
// 2.0: https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
import type {
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  APIGatewayProxyHandler,
  APIGatewayProxyHandlerV2,
  APIGatewayProxyResult,
  APIGatewayProxyStructuredResultV2,
  APIGatewayRequestAuthorizerHandler,
  APIGatewayRequestSimpleAuthorizerHandlerV2,
  APIGatewayTokenAuthorizerHandler,
  Context,
  Handler,
} from 'aws-lambda'
import { describe, expect, it } from 'vitest'
import {
  createGateway,
  type GatewayInput,
  type LambdaHandler,
  type ProxyEventV1,
  type ProxyEventV2,
  type ProxyResultV1,
  type ProxyResultV2,
  type ProxyStructuredResultV2,
} from '@gatehousejs/core'
import { json } from './helpers'

type Functions = NonNullable<GatewayInput['functions']>

// ---- Types (tsc) -------------------------------------------------------------------------------------------------

declare const proxyHandler: APIGatewayProxyHandler
declare const proxyHandlerV2: APIGatewayProxyHandlerV2
declare const genericHandler: Handler<APIGatewayProxyEvent, APIGatewayProxyResult>
declare const tokenAuthorizer: APIGatewayTokenAuthorizerHandler
declare const requestAuthorizer: APIGatewayRequestAuthorizerHandler
declare const simpleAuthorizerV2: APIGatewayRequestSimpleAuthorizerHandlerV2

declare const ours1: ProxyEventV1
declare const theirs1: APIGatewayProxyEvent
declare const ours2: ProxyEventV2
declare const theirs2: APIGatewayProxyEventV2
declare const theirResult: APIGatewayProxyResult
declare const theirResultV2: APIGatewayProxyStructuredResultV2 & { statusCode: number }
declare const ourResultV2: ProxyStructuredResultV2

/** Never called: what tsc must accept (and, under @ts-expect-error, refuse). The `declare`d values exist only for tsc. */
export function compileTimeChecks(): unknown[] {
  const fromAwsLambdaTypes: Functions = {
    proxyHandler,
    proxyHandlerV2,
    genericHandler,
    tokenAuthorizer,
    requestAuthorizer,
    simpleAuthorizerV2,
  }

  const fromOwnTypes: Functions = {
    v1: async (event: ProxyEventV1): Promise<ProxyResultV1> => ({ statusCode: 200, body: event.path }),
    v2: async (event: ProxyEventV2): Promise<ProxyResultV2<{ path: string }>> => ({ path: event.rawPath }),
    // Untyped inline handlers still read the event without a cast.
    inline: async (event, context) => ({ statusCode: 200, body: `${event.pathParameters.id} ${context.functionName}` }),
    callback: (_event: unknown, _context: Context, callback) => callback(null, { statusCode: 204 }),
    anything: (event: unknown) => event,
    none: () => undefined,
  }

  const mustNotCompile: Functions = {
    // @ts-expect-error an event is an object: a handler taking a number is not a Lambda handler for the gateway
    number: (n: number) => n,
    // @ts-expect-error nor one taking a string
    text: (s: string) => s.length,
    // @ts-expect-error the context is Lambda's context
    context: (_event: object, context: number) => context,
    // @ts-expect-error the gateway passes three arguments, not four
    fourth: (_event: object, _context: Context, _callback: unknown, extra: string) => extra,
  }

  // A handler the gateway types is callable the way the gateway calls it: (event, context, callback).
  const callsLikeTheGateway = (h: LambdaHandler, context: Parameters<LambdaHandler>[1]) => h({}, context, () => {})

  // 1.0, ours → @types: the same but for the two fields the gateway leaves out rather than sets to null.
  const v1ToTheirs: APIGatewayProxyEvent = {
    ...ours1,
    requestContext: {
      ...ours1.requestContext,
      authorizer: ours1.requestContext.authorizer ?? null,
      identity: { ...ours1.requestContext.identity, clientCert: ours1.requestContext.identity.clientCert ?? null },
    },
  }
  // @ts-expect-error …which are the differences (event-types.ts lists them)
  const v1ToTheirsAsIs: APIGatewayProxyEvent = ours1

  // 1.0, @types → ours: the same but for what @types leaves optional or nullable that the gateway always sets.
  const v1ToOurs: ProxyEventV1 = {
    ...theirs1,
    requestContext: {
      ...theirs1.requestContext,
      authorizer: theirs1.requestContext.authorizer ?? undefined,
      domainName: theirs1.requestContext.domainName ?? '',
      domainPrefix: theirs1.requestContext.domainPrefix ?? '',
      extendedRequestId: theirs1.requestContext.extendedRequestId ?? '',
      requestTime: theirs1.requestContext.requestTime ?? '',
      identity: { ...theirs1.requestContext.identity, clientCert: theirs1.requestContext.identity.clientCert ?? undefined },
    },
  }

  // 2.0: ours → @types as it is; @types → ours once `version` is known to be '2.0'.
  const v2ToTheirs: APIGatewayProxyEventV2 = ours2
  const v2ToOurs: ProxyEventV2 = { ...theirs2, version: '2.0' }
  // @ts-expect-error @types' `version` is any string
  const v2ToOursAsIs: ProxyEventV2 = theirs2

  // Results: @types' results are ours; ours leave out what the gateway defaults.
  const resultToOurs: ProxyResultV1 = theirResult
  const resultV2ToOurs: ProxyResultV2 = theirResultV2
  const resultV2ToTheirs: APIGatewayProxyStructuredResultV2 = ourResultV2
  // @ts-expect-error a 1.0 result of ours may leave out `statusCode` and `body`
  const resultToTheirs: APIGatewayProxyResult = {} as ProxyResultV1
  return [
    fromAwsLambdaTypes,
    fromOwnTypes,
    mustNotCompile,
    callsLikeTheGateway,
    v1ToTheirs,
    v1ToTheirsAsIs,
    v1ToOurs,
    v2ToTheirs,
    v2ToOurs,
    v2ToOursAsIs,
    resultToOurs,
    resultV2ToOurs,
    resultV2ToTheirs,
    resultToTheirs,
  ]
}

// ---- The events the gateway builds have the fields the types say ------------------------------------------------

// Each type's keys, `true` for the required ones; `satisfies` keeps the list and the type the same.
const V1_KEYS = {
  version: false,
  resource: true,
  path: true,
  httpMethod: true,
  headers: true,
  multiValueHeaders: true,
  queryStringParameters: true,
  multiValueQueryStringParameters: true,
  pathParameters: true,
  stageVariables: true,
  requestContext: true,
  body: true,
  isBase64Encoded: true,
} satisfies Record<keyof ProxyEventV1, boolean>
const V1_CONTEXT_KEYS = {
  accountId: true,
  apiId: true,
  authorizer: false,
  deploymentId: false,
  domainName: true,
  domainPrefix: true,
  extendedRequestId: true,
  httpMethod: true,
  identity: true,
  path: true,
  protocol: true,
  requestId: true,
  requestTime: true,
  requestTimeEpoch: true,
  resourceId: true,
  resourcePath: true,
  routeKey: false,
  stage: true,
} satisfies Record<keyof ProxyEventV1['requestContext'], boolean>
const V1_IDENTITY_KEYS = {
  accessKey: true,
  accountId: true,
  apiKey: true,
  apiKeyId: true,
  caller: true,
  clientCert: false,
  cognitoAuthenticationProvider: true,
  cognitoAuthenticationType: true,
  cognitoIdentityId: true,
  cognitoIdentityPoolId: true,
  principalOrgId: true,
  sourceIp: true,
  user: true,
  userAgent: true,
  userArn: true,
} satisfies Record<keyof ProxyEventV1['requestContext']['identity'], boolean>
const V2_KEYS = {
  version: true,
  routeKey: true,
  rawPath: true,
  rawQueryString: true,
  cookies: false,
  headers: true,
  queryStringParameters: false,
  requestContext: true,
  body: false,
  pathParameters: false,
  isBase64Encoded: true,
  stageVariables: false,
} satisfies Record<keyof ProxyEventV2, boolean>
const V2_CONTEXT_KEYS = {
  accountId: true,
  apiId: true,
  authentication: false,
  authorizer: false,
  domainName: true,
  domainPrefix: true,
  http: true,
  requestId: true,
  routeKey: true,
  stage: true,
  time: true,
  timeEpoch: true,
} satisfies Record<keyof ProxyEventV2['requestContext'], boolean>

function expectShape(value: unknown, keys: Record<string, boolean>, optionalSeen: Set<string>, where: string): void {
  expect(typeof value, where).toBe('object')
  const record = value as Record<string, unknown>
  for (const key of Object.keys(record)) {
    expect(Object.hasOwn(keys, key), `${where}.${key} is not in the type`).toBe(true)
    if (keys[key] === false) optionalSeen.add(`${where}.${key}`)
  }
  for (const [key, required] of Object.entries(keys)) if (required) expect(Object.hasOwn(record, key), `${where}.${key}`).toBe(true)
}

const ALLOW = (arn: string) => ({
  principalId: 'user-1',
  policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow' as const, Resource: arn }] },
})

describe('@types/aws-lambda handlers, run by the gateway', () => {
  it('REST: a TOKEN authorizer and a callback-style APIGatewayProxyHandler; the 1.0 event has the fields of ProxyEventV1', async () => {
    const events: unknown[] = []
    const authorize: APIGatewayTokenAuthorizerHandler = async (event) => ALLOW(event.methodArn)
    // Callback style, as @types/aws-lambda types it: the gateway passes the callback.
    const getPet: APIGatewayProxyHandler = (event, _context, callback) => {
      events.push(event)
      callback(null, {
        statusCode: 200,
        body: JSON.stringify({ id: event.pathParameters?.id, auth: event.requestContext.authorizer?.principalId }),
      })
    }
    const fn = (name: string) =>
      `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:${name}/invocations`
    const gw = createGateway({
      api: {
        openapi: '3.0.1',
        info: { title: 'types', version: '1' },
        components: {
          securitySchemes: {
            auth: {
              type: 'apiKey',
              name: 'Authorization',
              in: 'header',
              'x-amazon-apigateway-authtype': 'custom',
              'x-amazon-apigateway-authorizer': {
                type: 'token',
                authorizerUri: fn('authorize'),
                identitySource: 'method.request.header.Authorization',
              },
            },
          },
        },
        paths: {
          '/pets/{id}': {
            post: {
              security: [{ auth: [] }],
              'x-amazon-apigateway-integration': { type: 'aws_proxy', httpMethod: 'POST', uri: fn('getPet') },
            },
          },
        },
      },
      functions: { authorize, getPet },
    })
    const res = await gw.handle({
      method: 'POST',
      path: '/pets/7',
      query: 'tag=a&tag=b',
      headers: { authorization: 'token', 'content-type': 'application/json' },
      body: '{}',
    })
    expect(res.statusCode).toBe(200)
    expect(json(res)).toEqual({ id: '7', auth: 'user-1' })
    const seen = new Set<string>()
    const event = events[0] as Record<string, Record<string, unknown>>
    expectShape(event, V1_KEYS, seen, 'event')
    expectShape(event.requestContext, V1_CONTEXT_KEYS, seen, 'event.requestContext')
    expectShape(event.requestContext!.identity, V1_IDENTITY_KEYS, seen, 'event.requestContext.identity')
    expect([...seen].sort()).toEqual(['event.requestContext.authorizer', 'event.requestContext.deploymentId'])
  })

  it('HTTP API: APIGatewayProxyHandlerV2 and Handler<APIGatewayProxyEvent, …>; the 2.0 event has the fields of ProxyEventV2', async () => {
    const events: unknown[] = []
    const getPet: APIGatewayProxyHandlerV2 = async (event) => {
      events.push(event)
      return { statusCode: 200, cookies: ['s=1'], body: JSON.stringify({ id: event.pathParameters?.id, cookies: event.cookies }) }
    }
    const listPets: Handler<APIGatewayProxyEvent, APIGatewayProxyResult> = async (event) => ({ statusCode: 200, body: event.httpMethod })
    const gw = createGateway({
      apiType: 'HTTP',
      api: {
        resources: {
          '/pets/{id}': { POST: { integration: { type: 'AWS_PROXY', uri: 'getPet' } } },
          '/pets': { GET: { integration: { type: 'AWS_PROXY', uri: 'listPets', payloadFormatVersion: '1.0' } } },
        },
      },
      functions: { getPet, listPets },
      stage: { stageName: '$default', variables: { v: '1' } },
    })
    const res = await gw.handle({ method: 'POST', path: '/pets/7', query: 'x=1', headers: { cookie: 'a=1; b=2' }, body: 'hi' })
    expect(res.statusCode).toBe(200)
    expect(json(res)).toEqual({ id: '7', cookies: ['a=1', 'b=2'] })
    const seen = new Set<string>()
    const event = events[0] as Record<string, Record<string, unknown>>
    expectShape(event, V2_KEYS, seen, 'event')
    expectShape(event.requestContext, V2_CONTEXT_KEYS, seen, 'event.requestContext')
    expect([...seen].sort()).toEqual([
      'event.body',
      'event.cookies',
      'event.pathParameters',
      'event.queryStringParameters',
      'event.stageVariables',
    ])
    expect((await gw.handle({ method: 'GET', path: '/pets', headers: {} })).body).toBe('GET')
  })
})
