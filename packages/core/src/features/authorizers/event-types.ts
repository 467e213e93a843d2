/**
 * The types of the events a Lambda authorizer receives and of the answers it gives, written from AWS's
 * documentation, for authorizer functions to type their event without depending on @types/aws-lambda. The gateway
 * builds these events in ./lambda-event.ts and reads the answers in ./lambda-result.ts.
 * TOKEN and REST REQUEST: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-input.html
 * REST output: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html
 * HTTP APIs (1.0, 2.0, simple responses): https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html
 *
 * Where these types and @types/aws-lambda's differ, these say what the gateway does: a REST `REQUEST` event's
 * `headers` and `multiValueHeaders` are never null and its `pathParameters` is `{}` rather than null; a 2.0 event's
 * `identitySource` is null when the route has no identity source, and `cookies` is there only when the request
 * has cookies (@types: always); 2.0's `version` is the literal `'2.0'`.
 */
import type {
  ProxyEventStringLists,
  ProxyEventStrings,
  ProxyRequestContextV1,
  ProxyRequestContextV2,
} from '../../integrations/aws-proxy/event-types'
import type { PolicyDocument } from '../../policy'

/**
 * The event of a `TOKEN` authorizer: the token (the identity source's value) and the ARN of the method called.
 *
 * @example
 * ```ts
 * import type { AuthorizerPolicyResult, TokenAuthorizerEvent } from '@gatehousejs/core'
 * const authorize = async (event: TokenAuthorizerEvent): Promise<AuthorizerPolicyResult> => ({
 *   principalId: 'user-1',
 *   policyDocument: {
 *     Version: '2012-10-17',
 *     Statement: [{ Action: 'execute-api:Invoke', Effect: event.authorizationToken === 'allow' ? 'Allow' : 'Deny', Resource: event.methodArn }],
 *   },
 * })
 * ```
 */
export interface TokenAuthorizerEvent {
  type: 'TOKEN'
  authorizationToken: string
  methodArn: string
}

/**
 * The event of a REST `REQUEST` authorizer, and of an HTTP API authorizer with payload format 1.0 (which adds
 * `version`, `identitySource` and `authorizationToken`): the request as a 1.0 proxy event has it, without the body.
 *
 * @example
 * ```ts
 * import type { AuthorizerPolicyResult, RequestAuthorizerEventV1 } from '@gatehousejs/core'
 * const authorize = async (event: RequestAuthorizerEventV1): Promise<AuthorizerPolicyResult> => ({
 *   principalId: event.headers.authorization ?? 'anonymous',
 *   policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }] },
 *   context: { stage: event.requestContext.stage },
 * })
 * ```
 */
export interface RequestAuthorizerEventV1 {
  /** HTTP APIs only. */
  version?: '1.0'
  type: 'REQUEST'
  methodArn: string
  /** HTTP APIs only: the identity sources' values joined with commas; null without identity sources. */
  identitySource?: string | null
  /** HTTP APIs only: as `identitySource`. */
  authorizationToken?: string | null
  resource: string
  path: string
  httpMethod: string
  headers: ProxyEventStrings
  multiValueHeaders: ProxyEventStringLists
  queryStringParameters: ProxyEventStrings | null
  multiValueQueryStringParameters: ProxyEventStringLists | null
  /** `{}` for a resource without path parameters, as AWS's example shows. */
  pathParameters: ProxyEventStrings
  stageVariables: ProxyEventStrings | null
  requestContext: ProxyRequestContextV1
}

/**
 * The event of an HTTP API authorizer with payload format 2.0: the request as a 2.0 proxy event has it, without
 * the body, plus the route's ARN and the identity sources' values.
 *
 * @example
 * ```ts
 * import type { AuthorizerSimpleResult, RequestAuthorizerEventV2 } from '@gatehousejs/core'
 * const authorize = async (event: RequestAuthorizerEventV2): Promise<AuthorizerSimpleResult> => ({
 *   isAuthorized: event.identitySource?.[0] === 'Bearer secret',
 *   context: { route: event.routeKey },
 * })
 * ```
 */
export interface RequestAuthorizerEventV2 {
  version: '2.0'
  type: 'REQUEST'
  routeArn: string
  /** The identity sources' values; null when the authorizer has none. */
  identitySource: string[] | null
  routeKey: string
  rawPath: string
  rawQueryString: string
  cookies?: string[]
  headers: ProxyEventStrings
  queryStringParameters?: ProxyEventStrings
  requestContext: ProxyRequestContextV2
  pathParameters?: ProxyEventStrings
  stageVariables?: ProxyEventStrings
}

/**
 * What a `TOKEN` or `REQUEST` authorizer answers with an IAM policy (REST APIs, and HTTP APIs without simple
 * responses). `context` values reach the integration as `$context.authorizer.<key>` (REST: as strings).
 *
 * @example
 * ```ts
 * import type { AuthorizerPolicyResult } from '@gatehousejs/core'
 * const allow: AuthorizerPolicyResult = {
 *   principalId: 'user-1',
 *   policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: '*' }] },
 *   context: { plan: 'gold', admin: false },
 *   usageIdentifierKey: 'the-api-key-of-user-1',
 * }
 * ```
 */
export interface AuthorizerPolicyResult {
  principalId: string
  policyDocument: PolicyDocument
  /** Flat: string, number, boolean (or null) values only. */
  context?: { [key: string]: string | number | boolean | null | undefined } | null
  /** The API key for usage plans when the API's `apiKeySource` is `AUTHORIZER`. */
  usageIdentifierKey?: string | null
}

/**
 * What an HTTP API authorizer with simple responses (`enableSimpleResponses`) answers. `context` reaches the
 * integration as `requestContext.authorizer.lambda`.
 *
 * @example
 * ```ts
 * import type { AuthorizerSimpleResult } from '@gatehousejs/core'
 * const yes: AuthorizerSimpleResult = { isAuthorized: true, context: { user: 'u1', roles: ['admin'] } }
 * ```
 */
export interface AuthorizerSimpleResult {
  isAuthorized: boolean
  context?: { [key: string]: unknown }
}
