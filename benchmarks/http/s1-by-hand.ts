/**
 * S1's floor (issue #17): what API Gateway does for S1's request, written by hand for this one route on bare
 * node:http. The request's headers into a map; the REST proxy event (headers and multi-value headers under their
 * usual names, the forwarded headers, the trace, `requestContext` with `identity`); the function awaited with a
 * context; its result's shape checked; the answer with API Gateway's three ids (`x-amzn-RequestId`,
 * `x-amz-apigw-id`, `X-Amzn-Trace-Id`). Nothing general: no routing table, no options, no checks the route does not
 * need. Its row beside bare node:http says how much of S1's goal API Gateway's own work leaves, before any of the
 * gateway's generality.
 */
import { randomBytes } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'

type ProxyResult = { statusCode?: unknown; headers?: Record<string, string>; body?: string }
type ProxyFunction = (event: unknown, context: unknown) => Promise<ProxyResult>

const SHOWN = new Map(['Accept', 'Connection', 'Content-Type', 'Host', 'User-Agent'].map((n) => [n.toLowerCase(), n]))
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

/** A `(req, res)` listener answering S1's route as API Gateway does, by hand. */
export function s1ByHand(fn: ProxyFunction): (req: IncomingMessage, res: ServerResponse) => void {
  const nextIds = apiGatewayIds()
  return (req, res) => {
    const { now, requestTime, requestId, extendedId, trace } = nextIds()
    const headers: Record<string, string> = {}
    const multiValueHeaders: Record<string, string[]> = {}
    const raw = req.rawHeaders
    for (let i = 0; i < raw.length; i += 2) {
      const lower = raw[i]!.toLowerCase()
      const name = SHOWN.get(lower) ?? lower
      headers[name] = raw[i + 1]!
      multiValueHeaders[name] = [raw[i + 1]!]
    }
    const sourceIp = req.socket.remoteAddress ?? '127.0.0.1'
    for (const [name, value] of [
      ['X-Forwarded-For', sourceIp],
      ['X-Forwarded-Port', '443'],
      ['X-Forwarded-Proto', 'https'],
      ['X-Amzn-Trace-Id', trace],
    ] as const) {
      headers[name] = value
      multiValueHeaders[name] = [value]
    }
    const url = req.url ?? '/'
    const query = url.indexOf('?')
    const path = query === -1 ? url : url.slice(0, query)
    const event = {
      resource: '/pets/{id}',
      path,
      httpMethod: req.method,
      headers,
      multiValueHeaders,
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      pathParameters: { id: path.slice('/pets/'.length) },
      stageVariables: null,
      requestContext: {
        accountId: '123456789012',
        apiId: 'abcdef1234',
        domainName: headers.Host,
        domainPrefix: 'abcdef1234',
        extendedRequestId: extendedId,
        httpMethod: req.method,
        identity: {
          accessKey: null,
          accountId: null,
          apiKey: null,
          apiKeyId: null,
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
        requestId,
        requestTime,
        requestTimeEpoch: now,
        resourceId: 'abc123',
        resourcePath: '/pets/{id}',
        stage: 'prod',
        deploymentId: 'dep123',
      },
      body: null,
      isBase64Encoded: false,
    }
    const context = { awsRequestId: requestId, functionName: 'getPet', getRemainingTimeInMillis: () => 29_000 }
    const ids = ['x-amzn-RequestId', requestId, 'x-amz-apigw-id', extendedId]
    fn(event, context).then(
      (result) => {
        if (typeof result !== 'object' || result === null || typeof result.statusCode !== 'number') return failed(res, ids)
        const body = result.body ?? ''
        const head: (string | number)[] = ['content-length', Buffer.byteLength(body)]
        for (const name in result.headers) head.push(name, result.headers[name]!)
        head.push(...ids, 'X-Amzn-Trace-Id', trace)
        res.writeHead(result.statusCode, head)
        res.end(body)
      },
      () => failed(res, ids),
    )
  }
}

function failed(res: ServerResponse, ids: string[]): void {
  res.writeHead(502, ['content-type', 'application/json', 'content-length', FAILED.length, ...ids])
  res.end(FAILED)
}
