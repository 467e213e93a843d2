/**
 * S1's floor (issue #17): what API Gateway does for S1's request, written by hand for this one route on bare
 * node:http. The request's headers into a map; the REST proxy event (headers and multi-value headers under their
 * usual names, the forwarded headers, the trace, `requestContext` with `identity`); the function awaited with a
 * context; its result's shape checked; the answer with API Gateway's three ids (`x-amzn-RequestId`,
 * `x-amz-apigw-id`, `X-Amzn-Trace-Id`). Nothing general: no routing table, no options, no checks the route does not
 * need. Its row beside bare node:http says how much of S1's goal API Gateway's own work leaves, before any of the
 * gateway's generality; the same work answered through Fastify's, Hono's and Koa's own responses
 * ({@link s1AnswerByHand}) says the same of each framework's pair.
 */
import { randomBytes } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'

export type ProxyResult = { statusCode?: unknown; headers?: Record<string, string>; body?: string }
type ProxyFunction = (event: unknown, context: unknown) => Promise<ProxyResult>

/**
 * API Gateway's rules for a client's header in a REST proxy event, by lower-case name: the usual capitalisation it is
 * shown under, or `null` when it is dropped (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-known-issues.html).
 */
const EVENT_NAMES = new Map<string, string | null>([
  ...[
    'Accept',
    'Accept-Charset',
    'Accept-Encoding',
    'Accept-Language',
    'Authorization',
    'Cache-Control',
    'Content-Encoding',
    'Content-Type',
    'Cookie',
    'Host',
    'If-Match',
    'If-Modified-Since',
    'If-None-Match',
    'Origin',
    'Pragma',
    'Range',
    'Referer',
    'User-Agent',
    'Via',
    'X-Amz-Date',
    'X-Amz-Security-Token',
    'X-Amzn-Trace-Id',
    'X-Forwarded-For',
    'X-Forwarded-Port',
    'X-Forwarded-Proto',
  ].map((n): [string, string] => [n.toLowerCase(), n]),
  ...[
    'connection',
    'content-length',
    'content-md5',
    'expect',
    'max-forwards',
    'proxy-authenticate',
    'server',
    'te',
    'trailer',
    'transfer-encoding',
    'upgrade',
    'www-authenticate',
  ].map((n): [string, null] => [n, null]),
])
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const FAILED = '{"message": "Internal server error"}'
const two = (n: number) => String(n).padStart(2, '0')

/** API Gateway's ids for one request, as a hand-written server makes them (see {@link apiGatewayIds}). */
export interface ApiGatewayIds {
  now: number
  requestTime: string
  requestId: string
  extendedId: string
  trace: string
}

/**
 * A maker of API Gateway's per-request ids, by hand: the request id (a UUID's shape around a counter), the extended
 * id, the X-Ray trace header and the request time (both change once a second).
 */
export function apiGatewayIds(): () => ApiGatewayIds {
  const idPrefix = `${randomBytes(4).toString('hex')}-${randomBytes(2).toString('hex')}-4${randomBytes(2).toString('hex').slice(1)}-8${randomBytes(2).toString('hex').slice(1)}-`
  const tracePrefix = randomBytes(6).toString('hex')
  const extendedPrefix = randomBytes(6).toString('base64')
  let count = 0
  let second = -1
  let secondHex = ''
  let requestTime = ''
  return () => {
    const now = Date.now()
    if (Math.floor(now / 1000) !== second) {
      second = Math.floor(now / 1000)
      secondHex = second.toString(16)
      const d = new Date(second * 1000)
      requestTime = `${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`
    }
    const counter = (++count).toString(16).padStart(12, '0')
    return {
      now,
      requestTime,
      requestId: idPrefix + counter,
      extendedId: extendedPrefix + counter.slice(4),
      trace: `Root=1-${secondHex}-${tracePrefix}${counter};Parent=${counter}0000;Sampled=0`,
    }
  }
}

/** The route-dependent parts of a by-hand proxy event: its resource, path parameters, body and API key. */
export interface ByHandRoute {
  resource: string
  pathParameters: Record<string, string> | null
  body: string | null
  /** The API key the request carried and its id, when the route requires one. */
  apiKey: { value: string; id: string } | null
}

/**
 * A request's REST proxy event (payload format 1.0), by hand, for one route: the headers in the client's order under
 * their usual names, then the forwarded ones and the trace; `requestContext` with `identity`.
 */
export function proxyEventByHand(req: IncomingMessage, ids: ApiGatewayIds, route: ByHandRoute): Record<string, unknown> {
  const headers: Record<string, string> = {}
  const multiValueHeaders: Record<string, string[]> = {}
  const raw = req.rawHeaders
  for (let i = 0; i < raw.length; i += 2) {
    const lower = raw[i]!.toLowerCase()
    const shown = EVENT_NAMES.get(lower)
    if (shown === null) continue
    const name = shown ?? lower
    headers[name] = raw[i + 1]!
    multiValueHeaders[name] = [raw[i + 1]!]
  }
  const sourceIp = req.socket.remoteAddress ?? '127.0.0.1'
  for (const [name, value] of [
    ['X-Forwarded-For', sourceIp],
    ['X-Forwarded-Port', '443'],
    ['X-Forwarded-Proto', 'https'],
    ['X-Amzn-Trace-Id', ids.trace],
  ] as const) {
    headers[name] = value
    multiValueHeaders[name] = [value]
  }
  const url = req.url ?? '/'
  const query = url.indexOf('?')
  const path = query === -1 ? url : url.slice(0, query)
  const host = headers.Host ?? ''
  const dot = host.indexOf('.')
  return {
    resource: route.resource,
    path,
    httpMethod: req.method,
    headers,
    multiValueHeaders,
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: route.pathParameters,
    stageVariables: null,
    requestContext: {
      accountId: '123456789012',
      apiId: 'abcdef1234',
      domainName: host,
      domainPrefix: dot === -1 ? host : host.slice(0, dot),
      extendedRequestId: ids.extendedId,
      httpMethod: req.method,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: route.apiKey?.value ?? null,
        apiKeyId: route.apiKey?.id ?? null,
        caller: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp,
        user: null,
        userAgent: headers['User-Agent'] ?? null,
        userArn: null,
      },
      path,
      protocol: 'HTTP/1.1',
      requestId: ids.requestId,
      requestTime: ids.requestTime,
      requestTimeEpoch: ids.now,
      resourceId: 'abc123',
      resourcePath: route.resource,
      stage: 'prod',
      deploymentId: 'dep123',
    },
    body: route.body,
    isBase64Encoded: false,
  }
}

/**
 * A Lambda context, by hand: the request id, the function's name and its time left, a method on a class as the
 * gateway's. Not a closure made per request: the benchmark's servers run through tsx, whose esbuild `keepNames`
 * wraps every named closure in an `Object.defineProperty` call (`__name`), a cost of the loader and not of the
 * work (the packages' builds have none).
 */
export class ContextByHand {
  constructor(
    readonly awsRequestId: string,
    readonly functionName: string,
  ) {}
  getRemainingTimeInMillis(): number {
    return 29_000
  }
}

/** S1's request into its proxy event and the function's call, by hand: `call(req, ids)` is the function's promise. */
function s1Invoker(fn: ProxyFunction): (req: IncomingMessage, ids: ApiGatewayIds) => Promise<ProxyResult> {
  return (req, ids) => {
    const url = req.url!
    const query = url.indexOf('?')
    const id = url.slice('/pets/'.length, query === -1 ? undefined : query)
    const event = proxyEventByHand(req, ids, { resource: '/pets/{id}', pathParameters: { id }, body: null, apiKey: null })
    return fn(event, new ContextByHand(ids.requestId, 'getPet'))
  }
}

/** A `(req, res)` listener answering S1's route as API Gateway does, by hand. */
export function s1ByHand(fn: ProxyFunction): (req: IncomingMessage, res: ServerResponse) => void {
  const nextIds = apiGatewayIds()
  const call = s1Invoker(fn)
  return (req, res) => {
    const ids = nextIds()
    call(req, ids).then(
      (result) => writeResultByHand(res, result, ids),
      () => failed(res, ids),
    )
  }
}

/**
 * A function's proxy result on the wire, by hand: its status, headers and body with a length and API Gateway's
 * three ids; API Gateway's 502 when it is not a proxy result.
 */
export function writeResultByHand(res: ServerResponse, result: ProxyResult, ids: ApiGatewayIds): void {
  if (typeof result !== 'object' || result === null || typeof result.statusCode !== 'number') return failed(res, ids)
  const body = result.body ?? ''
  const head: (string | number)[] = ['content-length', Buffer.byteLength(body)]
  for (const name in result.headers) head.push(name, result.headers[name]!)
  head.push('X-Amzn-Trace-Id', ids.trace, 'x-amzn-RequestId', ids.requestId, 'x-amz-apigw-id', ids.extendedId)
  res.writeHead(result.statusCode, head)
  res.end(body)
}

/** What a framework route answers for S1 (its status, headers and body), API Gateway's work done by hand. */
export interface S1Answer {
  statusCode: number
  headers: Record<string, string>
  body: string
}

/**
 * S1's route by hand for a framework, which answers through its own response (Fastify's `reply.send`, a Hono
 * `Response`, Koa's `ctx.body`) as the gateway's adapters do: the same event, call and ids as {@link s1ByHand}, the
 * answer as data. API Gateway's 502 for a malformed result.
 */
export function s1AnswerByHand(fn: ProxyFunction): (req: IncomingMessage) => Promise<S1Answer> {
  const nextIds = apiGatewayIds()
  const call = s1Invoker(fn)
  return (req) => {
    const ids = nextIds()
    return call(req, ids).then(
      (result) => {
        if (typeof result !== 'object' || result === null || typeof result.statusCode !== 'number') return failedAnswer(ids)
        const headers: Record<string, string> = {}
        for (const name in result.headers) headers[name] = result.headers[name]!
        headers['x-amzn-RequestId'] = ids.requestId
        headers['x-amz-apigw-id'] = ids.extendedId
        headers['X-Amzn-Trace-Id'] = ids.trace
        return { statusCode: result.statusCode, headers, body: result.body ?? '' }
      },
      () => failedAnswer(ids),
    )
  }
}

function failedAnswer(ids: ApiGatewayIds): S1Answer {
  const headers = { 'content-type': 'application/json', 'x-amzn-RequestId': ids.requestId, 'x-amz-apigw-id': ids.extendedId }
  return { statusCode: 502, headers, body: FAILED }
}

/** API Gateway's 502 for a function that failed or answered something other than a proxy result. */
export function failed(res: ServerResponse, ids: ApiGatewayIds): void {
  const head = ['content-type', 'application/json', 'content-length', FAILED.length]
  res.writeHead(502, [...head, 'x-amzn-RequestId', ids.requestId, 'x-amz-apigw-id', ids.extendedId])
  res.end(FAILED)
}
