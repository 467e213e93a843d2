// Core's Lambda authorizer event and answer types (TokenAuthorizerEvent, RequestAuthorizerEventV1 / V2,
// AuthorizerPolicyResult, AuthorizerSimpleResult) against @types/aws-lambda's (compiled by `tsc` in `npm test`) and
// against the events the gateway really builds.
// Input: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-input.html
// HTTP APIs: https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html
import type {
  APIGatewayAuthorizerResult,
  APIGatewayRequestAuthorizerEvent,
  APIGatewayRequestAuthorizerEventV2,
  APIGatewaySimpleAuthorizerResult,
  APIGatewayTokenAuthorizerEvent,
} from 'aws-lambda'
import { describe, expect, it } from 'vitest'
import {
  createGateway,
  type AuthorizerPolicyResult,
  type AuthorizerSimpleResult,
  type RequestAuthorizerEventV1,
  type RequestAuthorizerEventV2,
  type TokenAuthorizerEvent,
} from '@gatehousejs/core'

declare const ourToken: TokenAuthorizerEvent
declare const theirToken: APIGatewayTokenAuthorizerEvent
declare const ourRequest: RequestAuthorizerEventV1
declare const theirRequest: APIGatewayRequestAuthorizerEvent
declare const ourRequestV2: RequestAuthorizerEventV2
declare const theirRequestV2: APIGatewayRequestAuthorizerEventV2
declare const ourPolicy: AuthorizerPolicyResult
declare const theirPolicy: APIGatewayAuthorizerResult
declare const theirSimple: APIGatewaySimpleAuthorizerResult

/** Never called: what tsc must accept (and, under @ts-expect-error, refuse). The `declare`d values exist only for tsc. */
export function compileTimeChecks(): unknown[] {
  const tokenBothWays: [APIGatewayTokenAuthorizerEvent, TokenAuthorizerEvent] = [ourToken, theirToken]
  // REST REQUEST, ours → @types: the same but for the identity's clientCert, left out rather than null.
  const requestToTheirs: APIGatewayRequestAuthorizerEvent = {
    ...ourRequest,
    requestContext: {
      ...ourRequest.requestContext,
      authorizer: undefined,
      identity: { ...ourRequest.requestContext.identity, clientCert: ourRequest.requestContext.identity.clientCert ?? null },
    },
  }
  // @types → ours: @types allows null maps the gateway never sends.
  const requestToOurs: RequestAuthorizerEventV1 = {
    ...theirRequest,
    headers: theirRequest.headers ?? {},
    multiValueHeaders: theirRequest.multiValueHeaders ?? {},
    pathParameters: theirRequest.pathParameters ?? {},
    requestContext: {
      ...theirRequest.requestContext,
      domainName: theirRequest.requestContext.domainName ?? '',
      domainPrefix: theirRequest.requestContext.domainPrefix ?? '',
      extendedRequestId: theirRequest.requestContext.extendedRequestId ?? '',
      requestTime: theirRequest.requestContext.requestTime ?? '',
      identity: { ...theirRequest.requestContext.identity, clientCert: theirRequest.requestContext.identity.clientCert ?? undefined },
    },
  }
  // 2.0, ours → @types: the gateway leaves out `cookies` without cookies and sends a null identitySource without sources.
  const requestV2ToTheirs: APIGatewayRequestAuthorizerEventV2 = {
    ...ourRequestV2,
    cookies: ourRequestV2.cookies ?? [],
    identitySource: ourRequestV2.identitySource ?? [],
  }
  // @ts-expect-error …which are the differences (event-types.ts lists them)
  const requestV2ToTheirsAsIs: APIGatewayRequestAuthorizerEventV2 = ourRequestV2
  // @types → ours: @types leaves `headers` optional; the gateway always sends them.
  const requestV2ToOurs: RequestAuthorizerEventV2 = { ...theirRequestV2, version: '2.0', headers: theirRequestV2.headers ?? {} }
  // Answers: @types' simple answer is ours. Their policy answer differs in the policy document only: @types allows
  // any string as a statement's Principal, core's policy types `"*"` or an object (IAM's two forms).
  // @ts-expect-error (see above)
  const policyToOurs: AuthorizerPolicyResult = theirPolicy
  const policyToOursButPrincipal: AuthorizerPolicyResult = { ...theirPolicy, policyDocument: { Version: '2012-10-17', Statement: [] } }
  const simpleToOurs: AuthorizerSimpleResult = theirSimple
  const policyPrincipal: APIGatewayAuthorizerResult['principalId'] = ourPolicy.principalId
  return [
    tokenBothWays,
    requestToTheirs,
    requestToOurs,
    requestV2ToTheirs,
    requestV2ToTheirsAsIs,
    requestV2ToOurs,
    policyToOurs,
    policyToOursButPrincipal,
    simpleToOurs,
    policyPrincipal,
  ]
}

function expectKeys(value: unknown, keys: Record<string, boolean>): string[] {
  const record = value as Record<string, unknown>
  const optionalSeen: string[] = []
  for (const key of Object.keys(record)) {
    expect(Object.hasOwn(keys, key), `${key} is not in the type`).toBe(true)
    if (keys[key] === false) optionalSeen.push(key)
  }
  for (const [key, required] of Object.entries(keys)) if (required) expect(Object.hasOwn(record, key), key).toBe(true)
  return optionalSeen.sort()
}

const REQUEST_V1_KEYS = {
  version: false,
  type: true,
  methodArn: true,
  identitySource: false,
  authorizationToken: false,
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
} satisfies Record<keyof RequestAuthorizerEventV1, boolean>
const REQUEST_V2_KEYS = {
  version: true,
  type: true,
  routeArn: true,
  identitySource: true,
  routeKey: true,
  rawPath: true,
  rawQueryString: true,
  cookies: false,
  headers: true,
  queryStringParameters: false,
  requestContext: true,
  pathParameters: false,
  stageVariables: false,
} satisfies Record<keyof RequestAuthorizerEventV2, boolean>
const TOKEN_KEYS = { type: true, authorizationToken: true, methodArn: true } satisfies Record<keyof TokenAuthorizerEvent, boolean>

const lambdaArn = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`
const invocation = (name: string) => `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${lambdaArn(name)}/invocations`
const scheme = (authorizer: Record<string, unknown>) => ({
  type: 'apiKey',
  name: 'Authorization',
  in: 'header',
  'x-amazon-apigateway-authtype': 'custom',
  'x-amazon-apigateway-authorizer': authorizer,
})

describe('the authorizer events the gateway builds have the fields the types say', () => {
  it('REST: TOKEN and REQUEST authorizers typed with core’s events and answers', async () => {
    const seen: unknown[] = []
    const allow = (arn: string): AuthorizerPolicyResult => ({
      principalId: 'user-1',
      policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: arn }] },
    })
    const token = async (event: TokenAuthorizerEvent) => (seen.push(event), allow(event.methodArn))
    const request = async (event: RequestAuthorizerEventV1) => (seen.push(event), allow(event.methodArn))
    const integration = { type: 'aws_proxy', httpMethod: 'POST', uri: invocation('ok') }
    const gw = createGateway({
      api: {
        openapi: '3.0.1',
        info: { title: 'auth-types', version: '1' },
        components: {
          securitySchemes: {
            token: scheme({ type: 'token', authorizerUri: invocation('token'), identitySource: 'method.request.header.Authorization' }),
            request: scheme({
              type: 'request',
              authorizerUri: invocation('request'),
              identitySource: 'method.request.header.Authorization',
            }),
          },
        },
        paths: {
          '/t': { get: { security: [{ token: [] }], 'x-amazon-apigateway-integration': integration } },
          '/r/{id}': { get: { security: [{ request: [] }], 'x-amazon-apigateway-integration': integration } },
        },
      },
      functions: { token, request, ok: async () => ({ statusCode: 200, body: 'ok' }) },
    })
    expect((await gw.handle({ method: 'GET', path: '/t', headers: { authorization: 'x' } })).statusCode).toBe(200)
    expect((await gw.handle({ method: 'GET', path: '/r/7', query: 'a=1', headers: { authorization: 'x' } })).statusCode).toBe(200)
    expect(expectKeys(seen[0], TOKEN_KEYS)).toEqual([])
    expect(expectKeys(seen[1], REQUEST_V1_KEYS)).toEqual([])
  })

  it('HTTP API: a 2.0 authorizer with simple responses typed with core’s event and answer', async () => {
    const seen: unknown[] = []
    const auth = async (event: RequestAuthorizerEventV2): Promise<AuthorizerSimpleResult> => {
      seen.push(event)
      return { isAuthorized: event.identitySource?.[0] === 'yes', context: { route: event.routeKey } }
    }
    const gw = createGateway({
      apiType: 'HTTP',
      api: {
        openapi: '3.0.1',
        info: { title: 'auth-types', version: '1' },
        components: {
          securitySchemes: {
            lambda: {
              type: 'apiKey',
              name: 'Authorization',
              in: 'header',
              'x-amazon-apigateway-authorizer': {
                type: 'request',
                authorizerUri: lambdaArn('auth'),
                authorizerPayloadFormatVersion: '2.0',
                enableSimpleResponses: true,
                identitySource: '$request.header.Authorization',
              },
            },
          },
        },
        paths: {
          '/pets/{id}': {
            get: {
              security: [{ lambda: [] }],
              'x-amazon-apigateway-integration': {
                type: 'aws_proxy',
                httpMethod: 'POST',
                uri: lambdaArn('ok'),
                payloadFormatVersion: '2.0',
              },
            },
          },
        },
      },
      functions: { auth, ok: async () => ({ statusCode: 200, body: 'ok' }) },
    })
    const res = await gw.handle({ method: 'GET', path: '/pets/7', query: 'a=1', headers: { authorization: 'yes', cookie: 'c=1' } })
    expect(res.statusCode).toBe(200)
    expect(expectKeys(seen[0], REQUEST_V2_KEYS)).toEqual(['cookies', 'pathParameters', 'queryStringParameters'])
  })
})
