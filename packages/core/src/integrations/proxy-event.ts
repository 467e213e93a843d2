/**
 * Lambda proxy events: payload format 1.0 (REST APIs, and HTTP APIs that ask for it) and 2.0 (HTTP APIs).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 */
import { bodyBytes, canonicalHeaderName, getOwn, headerValues, isTextMediaType, lastHeaderValue, mediaType, setOwn } from '../http'
import type { RequestState } from '../state'

function eventBody(state: RequestState, base64: boolean): string | null {
  const body = state.request.body
  if (body === undefined || (typeof body === 'string' ? body.length === 0 : body.byteLength === 0)) return null
  if (base64) return bodyBytes(body).toString('base64')
  return typeof body === 'string' ? body : bodyBytes(body).toString('utf8')
}

/** Whether the body goes to Lambda base64-encoded. */
function isBinaryBody(state: RequestState): boolean {
  const type = mediaType(lastHeaderValue(state.request.headers, 'content-type'))
  if (state.api.apiType === 'HTTP') return !isTextMediaType(type)
  return state.api.isBinaryType?.(type) ?? false
}

/** Headers every API Gateway endpoint adds for the integration. */
function forwardedHeaders(state: RequestState): [string, string][] {
  return [
    ['x-forwarded-for', state.identity.sourceIp],
    ['x-forwarded-port', '443'],
    ['x-forwarded-proto', 'https'],
  ]
}

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

/** `requestContext` of a 1.0 event (also what passthrough routes hand the host app). */
export function requestContextV1(state: RequestState): Record<string, unknown> {
  const api = state.api
  const domainName = state.domainName
  const ctx: Record<string, unknown> = {
    accountId: api.accountId,
    apiId: api.apiId,
    domainName,
    domainPrefix: domainName.split('.')[0],
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
  }
  if (api.apiType === 'REST') ctx.deploymentId = api.deploymentId
  else ctx.routeKey = state.route.routeKey
  if (state.authorizer) ctx.authorizer = state.authorizer
  return ctx
}

// Every map of an event is keyed by names the client chose (`constructor`, `__proto__`, `toString`, …): they are
// written with `setOwn` and read with `getOwn`, so a name is data and never reaches Object.prototype. The maps
// stay ordinary objects, as the JSON-parsed event of a real Lambda is.

/** Payload format 1.0. */
export function proxyEventV1(state: RequestState): Record<string, unknown> {
  const req = state.request
  const headers: Record<string, string> = {}
  const multiValueHeaders: Record<string, string[]> = {}
  for (const name of Object.keys(req.headers)) {
    const values = headerValues(req.headers, name)
    if (values.length === 0) continue
    const shown = canonicalHeaderName(name)
    setOwn(headers, shown, values[values.length - 1]!)
    setOwn(multiValueHeaders, shown, values.slice())
  }
  for (const [name, value] of forwardedHeaders(state)) {
    const shown = canonicalHeaderName(name)
    if (getOwn(headers, shown) === undefined) {
      headers[shown] = value
      multiValueHeaders[shown] = [value]
    }
  }
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
  const event: Record<string, unknown> = {}
  if (state.api.apiType === 'HTTP') event.version = '1.0'
  event.resource = state.route.resourcePath
  event.path = state.path
  event.httpMethod = req.method
  event.headers = headers
  event.multiValueHeaders = multiValueHeaders
  event.queryStringParameters = queryStringParameters
  event.multiValueQueryStringParameters = multiValueQueryStringParameters
  event.pathParameters = state.route.hasParams ? { ...state.params } : null
  event.stageVariables = state.api.stageVariables
  event.requestContext = requestContextV1(state)
  event.body = eventBody(state, binary)
  event.isBase64Encoded = binary && event.body !== null
  return event
}

/** Payload format 2.0. */
export function proxyEventV2(state: RequestState): Record<string, unknown> {
  const req = state.request
  const api = state.api
  const headers: Record<string, string> = {}
  let cookies: string[] | undefined
  for (const name of Object.keys(req.headers)) {
    const values = headerValues(req.headers, name)
    if (values.length === 0) continue
    if (name === 'cookie') {
      cookies = []
      for (const v of values) for (const c of v.split(';')) if (c.trim() !== '') cookies.push(c.trim())
      continue
    }
    setOwn(headers, name, values.join(','))
  }
  for (const [name, value] of forwardedHeaders(state)) if (getOwn(headers, name) === undefined) headers[name] = value
  const event: Record<string, unknown> = {
    version: '2.0',
    routeKey: state.route.routeKey,
    rawPath: req.path,
    rawQueryString: req.query ?? '',
  }
  if (cookies) event.cookies = cookies
  event.headers = headers
  const pairs = state.query
  if (pairs.length > 0) {
    const qs: Record<string, string> = {}
    for (const [k, v] of pairs) {
      const prev = getOwn(qs, k)
      setOwn(qs, k, prev === undefined ? v : `${prev},${v}`)
    }
    event.queryStringParameters = qs
  }
  const domainName = state.domainName
  const requestContext: Record<string, unknown> = {
    accountId: api.accountId,
    apiId: api.apiId,
    domainName,
    domainPrefix: domainName.split('.')[0],
    http: {
      method: req.method,
      path: req.path,
      protocol: 'HTTP/1.1',
      sourceIp: state.identity.sourceIp,
      userAgent: state.identity.userAgent ?? '',
    },
    requestId: state.requestId,
    routeKey: state.route.routeKey,
    stage: api.stage,
    time: state.requestTime,
    timeEpoch: state.epoch,
  }
  if (req.clientCert) requestContext.authentication = { clientCert: req.clientCert }
  if (state.authorizer) requestContext.authorizer = state.authorizer
  event.requestContext = requestContext
  const binary = isBinaryBody(state)
  const body = eventBody(state, binary)
  if (body !== null) event.body = body
  if (state.route.hasParams) event.pathParameters = { ...state.params }
  event.isBase64Encoded = binary && body !== null
  if (api.stageVariables) event.stageVariables = api.stageVariables
  return event
}
