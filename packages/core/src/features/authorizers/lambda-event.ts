/**
 * The events a Lambda authorizer receives.
 * TOKEN and REST REQUEST: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-input.html
 * HTTP API 1.0 / 2.0: https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html
 */
import { proxyEventV1 } from '../../integrations/aws-proxy/event-v1'
import { proxyEventV2 } from '../../integrations/aws-proxy/event-v2'
import type { RequestState } from '../../state'

/**
 * The `TOKEN` authorizer event.
 *
 * @example
 * ```ts
 * tokenEvent('allow', 'arn:aws:execute-api:us-east-1:123456789012:abc/prod/GET/pets') // { type: 'TOKEN', authorizationToken: 'allow', methodArn: … }
 * ```
 */
export function tokenEvent(token: string, methodArn: string): Record<string, unknown> {
  return { type: 'TOKEN', authorizationToken: token, methodArn }
}

/**
 * REST `REQUEST` authorizer event, and HTTP API payload 1.0 (which adds `version`, `identitySource`, `authorizationToken`).
 *
 * @example
 * ```ts
 * const event = requestEventV1(state, methodArn, ['ann', 't1']) // { type: 'REQUEST', methodArn, resource, path, headers, … }
 * ```
 */
export function requestEventV1(state: RequestState, methodArn: string, identity: readonly string[]): Record<string, unknown> {
  const p = proxyEventV1(state)
  const event: Record<string, unknown> = {}
  if (state.api.apiType === 'HTTP') {
    event.version = '1.0'
    event.type = 'REQUEST'
    event.methodArn = methodArn
    const joined = identity.length > 0 ? identity.join(',') : null
    event.identitySource = joined
    event.authorizationToken = joined
  } else {
    event.type = 'REQUEST'
    event.methodArn = methodArn
  }
  event.resource = p.resource
  event.path = p.path
  event.httpMethod = p.httpMethod
  event.headers = p.headers
  event.multiValueHeaders = p.multiValueHeaders
  event.queryStringParameters = p.queryStringParameters
  event.multiValueQueryStringParameters = p.multiValueQueryStringParameters
  // The documented example shows `{}` for a resource without path parameters.
  event.pathParameters = p.pathParameters ?? {}
  event.stageVariables = p.stageVariables
  event.requestContext = p.requestContext
  return event
}

/**
 * HTTP API payload 2.0: the 2.0 proxy event without the body, plus `type`, `routeArn` and `identitySource`.
 *
 * @example
 * ```ts
 * const event = requestEventV2(state, routeArn, ['Bearer x']) // { version: '2.0', type: 'REQUEST', routeArn, identitySource: ['Bearer x'], … }
 * ```
 */
export function requestEventV2(state: RequestState, routeArn: string, identity: readonly string[]): Record<string, unknown> {
  const p = proxyEventV2(state)
  const event: Record<string, unknown> = {
    version: '2.0',
    type: 'REQUEST',
    routeArn,
    identitySource: identity.length > 0 ? [...identity] : null,
    routeKey: p.routeKey,
    rawPath: p.rawPath,
    rawQueryString: p.rawQueryString,
  }
  if (p.cookies !== undefined) event.cookies = p.cookies
  event.headers = p.headers
  if (p.queryStringParameters !== undefined) event.queryStringParameters = p.queryStringParameters
  event.requestContext = p.requestContext
  if (p.pathParameters !== undefined) event.pathParameters = p.pathParameters
  if (p.stageVariables !== undefined) event.stageVariables = p.stageVariables
  return event
}
