/**
 * The Lambda proxy event, payload format 1.0 (REST APIs, and HTTP APIs that ask for it), and its
 * `requestContext`, which passthrough routes also hand the host app. Client-named keys go through `setOwn` /
 * `getOwn` (see ./event).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-input-format
 */
import { canonicalHeaderName, getOwn, restEventHeaderName, setOwn } from '../../http'
import { firstLabel, type RequestState } from '../../state'
import { eventBody, FORWARDED_PORT, FORWARDED_PROTO, isBinaryBody } from './event'

function identityV1(state: RequestState): Record<string, unknown> {
  const id = state.identity
  const out: Record<string, unknown> = {
    accessKey: id.accessKey,
    accountId: id.accountId,
    apiKey: id.apiKey,
    apiKeyId: id.apiKeyId,
    caller: id.caller,
    cognitoAuthenticationProvider: id.cognitoAuthenticationProvider,
    cognitoAuthenticationType: id.cognitoAuthenticationType,
    cognitoIdentityId: id.cognitoIdentityId,
    cognitoIdentityPoolId: id.cognitoIdentityPoolId,
    principalOrgId: id.principalOrgId,
    sourceIp: id.sourceIp,
    user: id.user,
    userAgent: id.userAgent,
    userArn: id.userArn,
  }
  if (state.request.clientCert) out.clientCert = state.request.clientCert
  return out
}

/**
 * `requestContext` of a 1.0 event (also what passthrough routes hand the host app).
 *
 * @example
 * ```ts
 * requestContextV1(state).requestId // the request's id, as `$context.requestId`
 * ```
 */
export function requestContextV1(state: RequestState): Record<string, unknown> {
  const api = state.api
  // One literal with every key in its place: an object that grows key by key reallocates its property store.
  const rest = api.apiType === 'REST'
  const domainName = state.domainName
  const ctx: Record<string, unknown> = {
    accountId: api.accountId,
    apiId: api.apiId,
    domainName,
    domainPrefix: firstLabel(domainName),
    extendedRequestId: state.extendedRequestId,
    httpMethod: state.request.method,
    identity: identityV1(state),
    path: state.request.path,
    protocol: 'HTTP/1.1',
    requestId: state.requestId,
    requestTime: state.requestTime,
    requestTimeEpoch: state.epoch,
    resourceId: state.route.resourceId,
    resourcePath: state.route.resourcePath,
    stage: api.stage,
    [rest ? 'deploymentId' : 'routeKey']: rest ? api.deploymentId : state.route.routeKey,
  }
  if (state.authorizer) ctx.authorizer = state.authorizer
  return ctx
}

/** One of the headers every API Gateway endpoint adds (`forwardedHeaders`, spelt as the 1.0 event shows them), unless the client sent it. */
function forwarded(headers: Record<string, string>, multiValueHeaders: Record<string, string[]>, name: string, value: string): void {
  if (getOwn(headers, name) !== undefined) return
  headers[name] = value
  multiValueHeaders[name] = [value]
}

/**
 * The payload format 1.0 event of a request.
 *
 * @example
 * ```ts
 * const event = proxyEventV1(state) // { resource, path, httpMethod, headers, multiValueHeaders, …, isBase64Encoded }
 * ```
 */
export function proxyEventV1(state: RequestState): Record<string, unknown> {
  const req = state.request
  const headers: Record<string, string> = {}
  const multiValueHeaders: Record<string, string[]> = {}
  // REST APIs drop the reserved headers before the event is built (see ../../http/reserved-headers).
  const rest = state.api.apiType === 'REST'
  for (const name in req.headers) {
    if (!Object.hasOwn(req.headers, name)) continue
    const shown = rest ? restEventHeaderName(name) : canonicalHeaderName(name)
    if (shown === null) continue
    // An own key: read directly, even when it is `__proto__`.
    const value = req.headers[name]!
    let list: string[]
    if (typeof value === 'string') list = [value]
    else if (value.length === 0) continue
    else list = value.slice()
    setOwn(headers, shown, list[list.length - 1]!)
    setOwn(multiValueHeaders, shown, list)
  }
  forwarded(headers, multiValueHeaders, 'X-Forwarded-For', state.identity.sourceIp)
  forwarded(headers, multiValueHeaders, 'X-Forwarded-Port', FORWARDED_PORT)
  forwarded(headers, multiValueHeaders, 'X-Forwarded-Proto', FORWARDED_PROTO)
  // The function sees the request's X-Ray trace header, the client's completed or a new one (as the answer carries).
  const trace = state.traceHeader
  headers['X-Amzn-Trace-Id'] = trace
  multiValueHeaders['X-Amzn-Trace-Id'] = [trace]
  let queryStringParameters: Record<string, string> | null = null
  let multiValueQueryStringParameters: Record<string, string[]> | null = null
  const pairs = state.query
  if (pairs.length > 0) {
    const single: Record<string, string> = {}
    const multi: Record<string, string[]> = {}
    for (const [k, v] of pairs) {
      setOwn(single, k, v)
      const list = getOwn(multi, k)
      if (list === undefined) setOwn(multi, k, [v])
      else list.push(v)
    }
    queryStringParameters = single
    multiValueQueryStringParameters = multi
  }
  const binary = isBinaryBody(state)
  const body = eventBody(state, binary)
  // One literal (see requestContextV1); an HTTP API's 1.0 event starts with its version.
  const event: Record<string, unknown> = {
    resource: state.route.resourcePath,
    path: state.eventPath,
    httpMethod: req.method,
    headers,
    multiValueHeaders,
    queryStringParameters,
    multiValueQueryStringParameters,
    pathParameters: state.route.hasParams ? { ...state.params } : null,
    stageVariables: state.api.stageVariables,
    requestContext: requestContextV1(state),
    body,
    isBase64Encoded: binary && body !== null,
  }
  return state.api.apiType === 'HTTP' ? { version: '1.0', ...event } : event
}
