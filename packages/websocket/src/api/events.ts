/**
 * The pieces of the events API Gateway sends to a WebSocket API's integrations and authorizer, as AWS documents
 * them (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-lambda-auth.html,
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-mapping-template-reference.html).
 */
import { randomFillSync } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { WebSocketRequestContext } from './definition'

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const pad = (n: number) => (n < 10 ? `0${n}` : String(n))

/** `$context.requestTime`: CLF, `dd/MMM/yyyy:HH:mm:ss +0000`. */
export function clfTime(epochMs: number): string {
  // The text changes once a second: formatted again only when the second changes (a message costs a division).
  const second = Math.floor(epochMs / 1000)
  if (second === clfSecond) return clfText
  const d = new Date(epochMs)
  clfText = `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`
  clfSecond = second
  return clfText
}
let clfSecond = Number.NaN
let clfText = ''

// Ids come from a pool of random bytes filled a few hundred ids at a time: one CSPRNG call, not one per id.
const ID_BYTES = 11
const POOL_IDS = 372
const idPool = Buffer.allocUnsafeSlow(ID_BYTES * POOL_IDS)
let idOffset = idPool.length

/** An id shaped as API Gateway's connection and request ids: 11 random bytes in base64 (16 characters, `=`). */
export function awsStyleId(): string {
  if (idOffset === idPool.length) {
    randomFillSync(idPool)
    idOffset = 0
  }
  const id = idPool.toString('base64', idOffset, idOffset + ID_BYTES)
  idOffset += ID_BYTES
  return id
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

/** What every event of a connection says of it: when it opened, who opened it, what its authorizer returned. */
export interface ConnectionFacts {
  connectedAt: number
  identity: WebSocketRequestContext['identity']
  authorizer?: Record<string, string | number> | undefined
}

/**
 * The `requestContext` builder of one API: every event's context, with the time read once per event. A MESSAGE
 * event's `messageId` comes right after `routeKey`, as AWS sends it; the context is built in that order at once.
 *
 * @example
 * ```ts
 * const context = requestContextOf(Date.now, 'prod', 'abc123')
 * const facts = { connectedAt: Date.now(), identity: { sourceIp: '203.0.113.7', userAgent: null } }
 * context('$default', 'MESSAGE', awsStyleId(), id, requestId, 'example.com', facts).routeKey // '$default'
 * context('$connect', 'CONNECT', undefined, id, requestId, 'example.com', facts).messageId // undefined
 * ```
 */
export function requestContextOf(now: () => number, stage: string, apiId: string) {
  return (
    routeKey: string,
    eventType: WebSocketRequestContext['eventType'],
    messageId: string | undefined,
    connectionId: string,
    requestId: string,
    domainName: string,
    { connectedAt, identity, authorizer }: ConnectionFacts,
  ): WebSocketRequestContext => {
    const t = now()
    const ctx = (messageId === undefined ? { routeKey } : { routeKey, messageId }) as WebSocketRequestContext
    ctx.eventType = eventType
    ctx.extendedRequestId = requestId
    ctx.requestTime = clfTime(t)
    ctx.messageDirection = 'IN'
    ctx.stage = stage
    ctx.connectedAt = connectedAt
    ctx.requestTimeEpoch = t
    ctx.identity = { sourceIp: identity.sourceIp, userAgent: identity.userAgent }
    ctx.requestId = requestId
    ctx.domainName = domainName
    ctx.connectionId = connectionId
    ctx.apiId = apiId
    if (authorizer !== undefined) ctx.authorizer = { ...authorizer }
    return ctx
  }
}
