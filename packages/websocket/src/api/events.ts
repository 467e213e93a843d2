/**
 * The pieces of the events API Gateway sends to a WebSocket API's integrations and authorizer, as AWS documents
 * them (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-lambda-auth.html,
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-mapping-template-reference.html).
 */
import { randomBytes } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { WebSocketRequestContext } from './definition'

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const pad = (n: number) => (n < 10 ? `0${n}` : String(n))

/** `$context.requestTime`: CLF, `dd/MMM/yyyy:HH:mm:ss +0000`. */
export function clfTime(epochMs: number): string {
  const d = new Date(epochMs)
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`
}

/** An id shaped as API Gateway's connection and request ids: 11 random bytes in base64 (16 characters, `=`). */
export function awsStyleId(): string {
  return randomBytes(11).toString('base64')
}

export interface HandshakeData {
  headers: Record<string, string>
  multiValueHeaders: Record<string, string[]>
  /** Lower-case header name → values, for identity sources and API keys. */
  lower: Map<string, string[]>
  query: Record<string, string> | undefined
  multiValueQuery: Record<string, string[]> | undefined
  sourceIp: string
  userAgent: string | null
}

/** Headers (with the client's spelling, from rawHeaders) and query of the upgrade request. */
export function handshakeData(req: IncomingMessage): HandshakeData {
  const headers: Record<string, string> = {}
  const multiValueHeaders: Record<string, string[]> = {}
  const lower = new Map<string, string[]>()
  const raw = req.rawHeaders
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!
    const value = raw[i + 1]!
    headers[name] = value
    ;(multiValueHeaders[name] ??= []).push(value)
    const key = name.toLowerCase()
    const list = lower.get(key)
    if (list) list.push(value)
    else lower.set(key, [value])
  }
  const url = req.url ?? '/'
  const q = url.indexOf('?')
  let query: Record<string, string> | undefined
  let multiValueQuery: Record<string, string[]> | undefined
  if (q >= 0 && q < url.length - 1) {
    query = {}
    multiValueQuery = {}
    for (const [k, v] of new URLSearchParams(url.slice(q + 1))) {
      query[k] = v
      ;(multiValueQuery[k] ??= []).push(v)
    }
  }
  let sourceIp = req.socket.remoteAddress ?? ''
  if (sourceIp.startsWith('::ffff:')) sourceIp = sourceIp.slice(7)
  const ua = lower.get('user-agent')
  return { headers, multiValueHeaders, lower, query, multiValueQuery, sourceIp, userAgent: ua ? ua[ua.length - 1]! : null }
}

/**
 * The `requestContext` builder of one API: every event's context, with the time read once per event.
 *
 * @example
 * ```ts
 * const context = requestContextOf(Date.now, 'prod', 'abc123')
 * context('$default', 'MESSAGE', id, connectedAt, requestId, identity, 'example.com', undefined).routeKey // '$default'
 * ```
 */
export function requestContextOf(now: () => number, stage: string, apiId: string) {
  return (
    routeKey: string,
    eventType: WebSocketRequestContext['eventType'],
    connectionId: string,
    connectedAt: number,
    requestId: string,
    identity: WebSocketRequestContext['identity'],
    domainName: string,
    authorizer: Record<string, string | number> | undefined,
  ): WebSocketRequestContext => {
    const t = now()
    const ctx: WebSocketRequestContext = {
      routeKey,
      eventType,
      extendedRequestId: requestId,
      requestTime: clfTime(t),
      messageDirection: 'IN',
      stage,
      connectedAt,
      requestTimeEpoch: t,
      identity: { ...identity },
      requestId,
      domainName,
      connectionId,
      apiId,
    }
    if (authorizer !== undefined) ctx.authorizer = { ...authorizer }
    return ctx
  }
}
