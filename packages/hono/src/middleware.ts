/**
 * `gateway()` for Hono.
 */
import type { Context, MiddlewareHandler } from 'hono'
import { clientAddress } from '@gatehousejs/core/node'
import { toGateway, type Gateway, type GatewayInput, type GatewayRequest, type GatewayResponse, type HeaderMap, type Passthrough } from '@gatehousejs/core'

/**
 * API Gateway's payload limit (10 MB); the adapter stops reading one byte past it and core answers 413.
 *
 * @example
 * ```ts
 * app.use(gateway(gw, { bodyLimit: 2 * DEFAULT_BODY_LIMIT })) // a gateway built with maxBodyBytes: 20 MB
 * ```
 */
export const DEFAULT_BODY_LIMIT = 10 * 1024 * 1024

/**
 * Options of {@link gateway}.
 *
 * @example
 * ```ts
 * import { getConnInfo } from 'hono/bun'
 * app.use(gateway(input, { getSourceIp: (c) => getConnInfo(c).remote.address }))
 * ```
 */
export interface HonoGatewayOptions {
  /**
   * Whether `X-Forwarded-For` names the client. `false` (default): the connection's peer address. `true`: the
   * left-most address. A number `n`: the address `n` hops from the right.
   */
  trustProxy?: boolean | number
  /**
   * The client's address when not on @hono/node-server (which the adapter reads itself), e.g. from
   * `getConnInfo(c).remote.address` of your runtime's `conninfo` helper.
   */
  getSourceIp?: (c: Context) => string | undefined
  /** Bytes read before giving up (default {@link DEFAULT_BODY_LIMIT}); core decides the status (413). */
  bodyLimit?: number
  /** Called with an error inside the adapter (the client gets a plain 500). Default: `console.error`. */
  onError?: (error: unknown) => void
}

/**
 * The variables the middleware sets: `c.get('apiGateway')` is API Gateway's `requestContext` on a request the
 * gateway passed through.
 *
 * @example
 * ```ts
 * const app = new Hono<GatewayEnv>()
 * ```
 */
export type GatewayEnv = { Variables: { apiGateway: Record<string, unknown> } }

/** The few node:http details @hono/node-server puts in `c.env.incoming`. */
interface IncomingLike {
  url?: string
  rawHeaders?: string[]
  socket?: { remoteAddress?: string }
}

const INTERNAL_ERROR_BODY = '{"message":"Internal server error"}'
const TOO_LARGE: GatewayResponse = {
  statusCode: 413,
  headers: { 'content-type': 'application/json', connection: 'close' },
  body: '{"message":"Request Too Long"}',
}
const truncatedRequests = new WeakSet<GatewayRequest>()
// Fetch refuses a body on these statuses.
const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304])

/**
 * Hono middleware serving an API. The gateway answers its routes with a `Response`; a request it passes through
 * (a route integrated with the host app, or an unmatched request when configured to fall through) continues to
 * the app's handlers with `c.get('apiGateway')` set to API Gateway's `requestContext`; the gateway's headers are
 * added to the app's response unless it set them itself. `c.req.json()`, `c.req.text()` and `c.req.raw` still
 * read the body.
 *
 * @example
 * ```ts
 * import { Hono } from 'hono'
 * import { gateway, type GatewayEnv } from '@gatehousejs/hono'
 * const app = new Hono<GatewayEnv>()
 * app.use(gateway({ api: openapiDoc, stage: 'prod', functions: { getPet } }))
 * app.post('/orders', async (c) => c.json({ caller: c.get('apiGateway'), order: await c.req.json() }))
 * ```
 */
export function gateway(input: GatewayInput | Gateway, options: HonoGatewayOptions = {}): MiddlewareHandler<GatewayEnv> {
  const gw = toGateway(input)
  const onError = options.onError ?? ((error: unknown) => console.error('[gatehouse] adapter error:', error))
  const fromInput = (input as { maxBodyBytes?: unknown }).maxBodyBytes
  const limit = options.bodyLimit ?? (typeof fromInput === 'number' ? fromInput : DEFAULT_BODY_LIMIT)

  return async (c, next) => {
    let result: GatewayResponse | Passthrough
    try {
      const request = await toGatewayRequest(c, options, limit)
      // Announced or read past the limit: refused before the gateway runs, and the connection closed (the rest
      // of the body is unread).
      if (truncatedRequests.has(request)) return toResponse(TOO_LARGE)
      result = await gw.dispatch(request)
      if ((result as Passthrough).passthrough !== true) return toResponse(result as GatewayResponse)
    } catch (error) {
      onError(error)
      return new Response(INTERNAL_ERROR_BODY, { status: 500, headers: { 'content-type': 'application/json' } })
    }
    const pass = result as Passthrough
    c.set('apiGateway', pass.requestContext)
    await next()
    addHeaders(c, pass.headers)
    return undefined
  }
}

/** Convert Hono's request; on @hono/node-server the wire details (raw URL, repeated headers, socket) are used. */
async function toGatewayRequest(c: Context, options: HonoGatewayOptions, limit: number): Promise<GatewayRequest> {
  const raw = c.req.raw
  const incoming = (c.env as { incoming?: IncomingLike } | undefined)?.incoming
  // The raw target, unless it is absolute-form (`GET http://host/p`): then the URL's path and query.
  const target = typeof incoming?.url === 'string' && incoming.url.charCodeAt(0) === 47 ? incoming.url : pathAndQuery(raw.url)
  const q = target.indexOf('?')
  const headers = incoming?.rawHeaders ? headersFromRaw(incoming.rawHeaders) : headersFromFetch(raw.headers)
  const request: GatewayRequest = {
    method: raw.method.toUpperCase(),
    path: q === -1 ? target : target.slice(0, q),
    headers,
  }
  if (q !== -1) request.query = target.slice(q + 1)
  const ip = sourceIp(c, headers, incoming, options)
  if (ip !== undefined) request.sourceIp = ip
  if (hasBody(raw, headers)) {
    // A body announced longer than the limit is refused without reading a byte of it.
    if (announcedLength(headers) > limit) {
      truncatedRequests.add(request)
      return request
    }
    const read = await readBody(c, limit)
    if (read !== undefined) {
      request.body = read.body
      if (read.truncated) truncatedRequests.add(request)
    }
  }
  return request
}

/** Path and query of an absolute URL, as the Request carries it (already WHATWG-normalised). */
function pathAndQuery(url: string): string {
  const scheme = url.indexOf('://')
  const start = url.indexOf('/', scheme === -1 ? 0 : scheme + 3)
  if (start === -1) {
    const q = url.indexOf('?')
    return q === -1 ? '/' : `/${url.slice(q)}`
  }
  const hash = url.indexOf('#', start)
  return hash === -1 ? url.slice(start) : url.slice(start, hash)
}

/**
 * Header names are the client's: `constructor` or `__proto__` become keys like any other (own data properties),
 * never a lookup into or a change of `Object.prototype`.
 */
function setHeader(out: HeaderMap, name: string, value: string | string[]): void {
  if (name === '__proto__') Object.defineProperty(out, name, { value, writable: true, enumerable: true, configurable: true })
  else out[name] = value
}

function headersFromRaw(raw: readonly string[]): HeaderMap {
  const out: HeaderMap = {}
  for (let i = 0; i + 1 < raw.length; i += 2) {
    let name = raw[i]!.toLowerCase()
    if (name.charCodeAt(0) === 58 /* : */) {
      if (name !== ':authority' || typeof out.host === 'string' || Array.isArray(out.host)) continue
      name = 'host'
    }
    const value = raw[i + 1]!
    const prev = out[name]
    if (typeof prev === 'string') out[name] = [prev, value]
    else if (Array.isArray(prev)) prev.push(value)
    else setHeader(out, name, value)
  }
  return out
}

/** Fetch joins repeated headers with `, ` (all but Set-Cookie); they cannot be split back safely. */
function headersFromFetch(headers: Headers): HeaderMap {
  const out: HeaderMap = {}
  headers.forEach((value, name) => setHeader(out, name, value))
  const cookies = headers.getSetCookie?.()
  if (cookies && cookies.length > 1) out['set-cookie'] = cookies
  return out
}

function sourceIp(c: Context, headers: HeaderMap, incoming: IncomingLike | undefined, options: HonoGatewayOptions): string | undefined {
  return clientAddress(options.getSourceIp ? options.getSourceIp(c) : incoming?.socket?.remoteAddress, headers, options.trustProxy)
}

/** The length `Content-Length` announces (0 without one, or with Transfer-Encoding). */
function announcedLength(headers: HeaderMap): number {
  if (headers['transfer-encoding'] !== undefined) return 0
  const cl = headers['content-length']
  const text = typeof cl === 'string' ? cl : Array.isArray(cl) ? cl[0] : undefined
  const n = text === undefined ? 0 : Number(text.trim())
  return Number.isFinite(n) ? n : 0
}

function hasBody(raw: Request, headers: HeaderMap): boolean {
  if (headers['transfer-encoding'] !== undefined) return true
  const cl = headers['content-length']
  if (cl !== undefined) return cl !== '0'
  // Without framing headers (HTTP/2, some runtimes) ask the Request; GET and HEAD cannot carry one in Fetch.
  return raw.method !== 'GET' && raw.method !== 'HEAD' && raw.body !== null
}

/**
 * Read at most `limit + 1` bytes from a clone, so `c.req.raw` stays unread for the app; the bytes are also put in
 * Hono's body cache, so `c.req.json()`/`text()`/`arrayBuffer()`/`parseBody()` do not read again.
 */
async function readBody(c: Context, limit: number): Promise<{ body: Uint8Array; truncated: boolean } | undefined> {
  const stream = c.req.raw.clone().body
  if (!stream) return undefined
  const reader = stream.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  let truncated = false
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    chunks.push(value)
    size += value.byteLength
    if (size > limit) {
      truncated = true
      // Not awaited: cancelling one branch of a tee (the clone) settles only once the other branch (c.req.raw)
      // is cancelled too, which nobody does; waiting here hung the request. The connection is closed after the
      // 413, which ends the source.
      reader.cancel().catch(() => undefined)
      break
    }
  }
  const body = chunks.length === 1 ? chunks[0]! : concat(chunks, size)
  if (!truncated) {
    const cache = c.req.bodyCache as Record<string, Promise<unknown>>
    if (Object.keys(cache).length === 0) {
      const copy = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength ? body.buffer : body.slice().buffer
      cache.arrayBuffer = Promise.resolve(copy)
    }
  }
  return { body, truncated }
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size)
  let at = 0
  for (const chunk of chunks) {
    out.set(chunk, at)
    at += chunk.byteLength
  }
  return out
}

function toResponse(response: GatewayResponse): Response {
  const headers = new Headers()
  for (const name in response.headers) {
    const value = response.headers[name]!
    if (typeof value === 'string') headers.set(name, value)
    else for (const v of value) headers.append(name, v)
  }
  const body = NULL_BODY_STATUS.has(response.statusCode) ? null : (response.body as ConstructorParameters<typeof Response>[0])
  return new Response(body, { status: response.statusCode, headers })
}

/** The gateway's headers go on the app's response unless the app set the same header. */
function addHeaders(c: Context, headers: HeaderMap): void {
  const names = Object.keys(headers)
  if (names.length === 0) return
  let res = c.res
  try {
    apply(res.headers, headers, names)
  } catch {
    // Immutable headers (a Response from fetch()): copy it once.
    res = new Response(res.body, res)
    apply(res.headers, headers, names)
    c.res = res
  }
}

function apply(target: Headers, headers: HeaderMap, names: string[]): void {
  for (const name of names) {
    if (target.has(name)) continue
    const value = headers[name]!
    if (typeof value === 'string') target.set(name, value)
    else for (const v of value) target.append(name, v)
  }
}
