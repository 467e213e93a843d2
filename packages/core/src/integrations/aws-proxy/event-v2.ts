/**
 * The Lambda proxy event, payload format 2.0 (HTTP APIs): cookies apart, repeated headers and query parameters
 * joined with commas. Client-named keys go through `setOwn` / `getOwn` (see ./event).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 */
import { getOwn, headerValues, setOwn } from '../../http'
import { firstLabel, type RequestState } from '../../state'
import { eventBody, forwardedHeaders, isBinaryBody } from './event'

/**
 * The payload format 2.0 event of a request.
 *
 * @example
 * ```ts
 * const event = proxyEventV2(state) // { version: '2.0', routeKey, rawPath, rawQueryString, headers, requestContext, … }
 * ```
 */
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
  // The function sees the request's X-Ray trace header, the client's completed or a new one.
  headers['x-amzn-trace-id'] = state.traceHeader
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
    domainPrefix: firstLabel(domainName),
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
