/**
 * The types of the Lambda proxy integration's events and results (payload formats 1.0 and 2.0), written from AWS's
 * documentation, for handlers to type their event without depending on @types/aws-lambda. The gateway builds
 * these events in ./event-v1.ts and ./event-v2.ts and reads the results in ./result.ts.
 * 1.0: https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-input-format
 * 2.0: https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 *
 * Every map is keyed by names the client chose, so a lookup may find nothing (`string | undefined`), as in
 * @types/aws-lambda. Where these types and @types/aws-lambda's differ, these say what the gateway does:
 * - `requestContext.authorizer` is there once an authorizer ran, absent otherwise (@types: always, maybe null);
 * - `requestContext.identity.clientCert` is there with mutual TLS only (@types: always, maybe null);
 * - `requestContext` 1.0 fields the gateway always sets are required (@types: `domainName`, `extendedRequestId`,
 *   `requestTime` optional) and 2.0's `version` is the literal `'2.0'` (@types: `string`);
 * - a 1.0 result's `statusCode` (200) and `body` (empty) may be left out;
 * - a structured 2.0 result has a `statusCode` (@types: optional): without one, API Gateway sends the whole
 *   object as a JSON body.
 */
import type { ClientCert } from '../../types'

/**
 * Headers, query string or path parameters, stage variables: a name (the client's) to its value.
 *
 * @example
 * ```ts
 * import type { ProxyEventV1 } from '@gatehousejs/core'
 * const petId = (event: ProxyEventV1) => event.pathParameters?.id ?? 'none'
 * ```
 */
export interface ProxyEventStrings {
  [name: string]: string | undefined
}

/**
 * Repeated headers or query parameters of a 1.0 event: a name to every value, in order.
 *
 * @example
 * ```ts
 * import type { ProxyEventV1 } from '@gatehousejs/core'
 * const tags = (event: ProxyEventV1) => event.multiValueQueryStringParameters?.tag ?? []
 * ```
 */
export interface ProxyEventStringLists {
  [name: string]: string[] | undefined
}

/**
 * `requestContext.authorizer`: what the authorizer that let the request in said. REST Lambda authorizers give
 * their `context` values, `principalId` and `integrationLatency`; Cognito authorizers `claims`; HTTP APIs `lambda`,
 * `jwt` (`claims`, `scopes`) or `iam`.
 *
 * @example
 * ```ts
 * import type { ProxyEventV1 } from '@gatehousejs/core'
 * const caller = (event: ProxyEventV1) => event.requestContext.authorizer?.principalId
 * ```
 */
export interface ProxyAuthorizerContext {
  // biome-ignore lint/suspicious/noExplicitAny: each authorizer type puts its own shape here, as @types/aws-lambda has it
  [key: string]: any
}

/**
 * `requestContext.identity` of a 1.0 event (`$context.identity`).
 *
 * @example
 * ```ts
 * import type { ProxyEventV1 } from '@gatehousejs/core'
 * const where = (event: ProxyEventV1) => `${event.requestContext.identity.sourceIp} (${event.requestContext.identity.userAgent})`
 * ```
 */
export interface ProxyIdentityV1 {
  accessKey: string | null
  accountId: string | null
  apiKey: string | null
  apiKeyId: string | null
  caller: string | null
  /** With mutual TLS only. */
  clientCert?: ClientCert
  cognitoAuthenticationProvider: string | null
  cognitoAuthenticationType: string | null
  cognitoIdentityId: string | null
  cognitoIdentityPoolId: string | null
  principalOrgId: string | null
  sourceIp: string
  user: string | null
  userAgent: string | null
  userArn: string | null
}

/**
 * `requestContext` of a 1.0 event (also what `dispatch` hands the host app for a passthrough).
 *
 * @example
 * ```ts
 * import type { ProxyEventV1 } from '@gatehousejs/core'
 * const route = (event: ProxyEventV1) => `${event.requestContext.httpMethod} ${event.requestContext.resourcePath}`
 * ```
 */
export interface ProxyRequestContextV1 {
  accountId: string
  apiId: string
  /** Once an authorizer ran. */
  authorizer?: ProxyAuthorizerContext
  /** REST APIs. */
  deploymentId?: string
  domainName: string
  domainPrefix: string
  extendedRequestId: string
  httpMethod: string
  identity: ProxyIdentityV1
  path: string
  protocol: string
  requestId: string
  /** Common log format: `09/Apr/2015:12:34:56 +0000`. */
  requestTime: string
  requestTimeEpoch: number
  resourceId: string
  resourcePath: string
  /** HTTP APIs. */
  routeKey?: string
  stage: string
}

/**
 * The Lambda proxy event, payload format 1.0: every REST API, and HTTP APIs that ask for 1.0.
 *
 * @example
 * ```ts
 * import { createGateway, type ProxyEventV1, type ProxyResultV1 } from '@gatehousejs/core'
 * const getPet = async (event: ProxyEventV1): Promise<ProxyResultV1> => ({
 *   statusCode: 200,
 *   body: JSON.stringify({ id: event.pathParameters?.id, tags: event.multiValueQueryStringParameters?.tag }),
 * })
 * const gw = createGateway({
 *   api: { resources: { '/pets/{id}': { GET: { integration: { type: 'AWS_PROXY', uri: 'getPet' } } } } },
 *   functions: { getPet },
 * })
 * ;(await gw.handle({ method: 'GET', path: '/pets/7', query: 'tag=a&tag=b', headers: {} })).body // '{"id":"7","tags":["a","b"]}'
 * ```
 */
export interface ProxyEventV1 {
  /** HTTP APIs only. */
  version?: '1.0'
  resource: string
  path: string
  httpMethod: string
  /** The last value of each header. */
  headers: ProxyEventStrings
  multiValueHeaders: ProxyEventStringLists
  queryStringParameters: ProxyEventStrings | null
  multiValueQueryStringParameters: ProxyEventStringLists | null
  pathParameters: ProxyEventStrings | null
  stageVariables: ProxyEventStrings | null
  requestContext: ProxyRequestContextV1
  /** Null when there is none; base64 when `isBase64Encoded`. */
  body: string | null
  isBase64Encoded: boolean
}

/**
 * `requestContext` of a 2.0 event.
 *
 * @example
 * ```ts
 * import type { ProxyEventV2 } from '@gatehousejs/core'
 * const who = (event: ProxyEventV2) => event.requestContext.authentication?.clientCert.subjectDN ?? event.requestContext.http.sourceIp
 * ```
 */
export interface ProxyRequestContextV2 {
  accountId: string
  apiId: string
  /** With mutual TLS only. */
  authentication?: { clientCert: ClientCert }
  /** Once an authorizer ran: `{ lambda }`, `{ jwt: { claims, scopes } }` or `{ iam }`. */
  authorizer?: ProxyAuthorizerContext
  domainName: string
  domainPrefix: string
  http: { method: string; path: string; protocol: string; sourceIp: string; userAgent: string }
  requestId: string
  routeKey: string
  stage: string
  /** Common log format: `12/Mar/2020:19:03:58 +0000`. */
  time: string
  timeEpoch: number
}

/**
 * The Lambda proxy event, payload format 2.0 (HTTP APIs): cookies apart, repeated headers and query parameters
 * joined with commas; fields with nothing to say are left out.
 *
 * @example
 * ```ts
 * import { createGateway, type ProxyEventV2, type ProxyResultV2 } from '@gatehousejs/core'
 * type Pet = { id?: string; cookies?: string[] }
 * const getPet = async (event: ProxyEventV2): Promise<ProxyResultV2<Pet>> => ({ id: event.pathParameters?.id, cookies: event.cookies })
 * const gw = createGateway({
 *   apiType: 'HTTP',
 *   api: { resources: { '/pets/{id}': { GET: { integration: { type: 'AWS_PROXY', uri: 'getPet' } } } } },
 *   functions: { getPet },
 * })
 * ;(await gw.handle({ method: 'GET', path: '/pets/7', headers: { cookie: 'a=1; b=2' } })).body // '{"id":"7","cookies":["a=1","b=2"]}'
 * ```
 */
export interface ProxyEventV2 {
  version: '2.0'
  routeKey: string
  rawPath: string
  rawQueryString: string
  cookies?: string[]
  headers: ProxyEventStrings
  queryStringParameters?: ProxyEventStrings
  requestContext: ProxyRequestContextV2
  body?: string
  pathParameters?: ProxyEventStrings
  isBase64Encoded: boolean
  stageVariables?: ProxyEventStrings
}

/**
 * What a Lambda proxy function returns for payload format 1.0. Header values are sent as text; `body` is base64
 * when `isBase64Encoded` (and the content type is one of the API's binary media types). Any other key makes the
 * result malformed (502).
 *
 * @example
 * ```ts
 * import type { ProxyResultV1 } from '@gatehousejs/core'
 * const created: ProxyResultV1 = { statusCode: 201, headers: { location: '/pets/7' }, multiValueHeaders: { 'set-cookie': ['a=1', 'b=2'] }, body: '{}' }
 * ```
 */
export interface ProxyResultV1 {
  /** From 100 to 599; 200 when left out. */
  statusCode?: number
  headers?: { [name: string]: string | number | boolean }
  multiValueHeaders?: { [name: string]: (string | number | boolean)[] }
  body?: string | null
  isBase64Encoded?: boolean
}

/**
 * A payload format 2.0 result that says how to answer: status, headers, cookies (each a `Set-Cookie`), body.
 *
 * @example
 * ```ts
 * import type { ProxyStructuredResultV2 } from '@gatehousejs/core'
 * const created: ProxyStructuredResultV2 = { statusCode: 201, cookies: ['session=1; HttpOnly'], body: '{}' }
 * ```
 */
export interface ProxyStructuredResultV2 {
  /** From 100 to 599. */
  statusCode: number
  headers?: { [name: string]: string | number | boolean }
  cookies?: string[]
  body?: string
  isBase64Encoded?: boolean
}

/**
 * What a Lambda proxy function returns for payload format 2.0: a structured result, or any other JSON value (a
 * string as it is), which API Gateway sends as a 200 `application/json` body. `T` names the other values a
 * handler returns, as @types/aws-lambda's `APIGatewayProxyResultV2<T>`.
 *
 * @example
 * ```ts
 * import type { ProxyResultV2 } from '@gatehousejs/core'
 * const inferred: ProxyResultV2<{ id: number }> = { id: 7 } // 200, body '{"id":7}'
 * const structured: ProxyResultV2 = { statusCode: 404, body: '{"message":"no such pet"}' }
 * ```
 */
export type ProxyResultV2<T = never> = ProxyStructuredResultV2 | string | T
