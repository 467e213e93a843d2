/**
 * `gateway()` for Hono: Fetch's `Request` ⇄ core, with the wire details of @hono/node-server when it runs there.
 * What is the same as on node:http (raw header lines, the target split, the source IP, the body limit and its
 * early 413, the 500 body, the default error report) comes from `@gatehousejs/core/node`.
 */
import type { Context, MiddlewareHandler } from 'hono'
import {
  toGateway,
  type GatewayLike,
  type GatewayInput,
  type GatewayRequest,
  type GatewayResponse,
  type HeaderMap,
  type Passthrough,
} from '@gatehousejs/core'
import {
  announcedLength,
  announcesBody,
  appendHeader,
  bodyLimitOf,
  clientAddress,
  DEFAULT_BODY_LIMIT as BODY_LIMIT,
  headerKey,
  headersFromRaw,
  INTERNAL_ERROR_BODY,
  isFieldValue,
  isHeaderName,
  markTruncated,
  reportError,
  setOwn,
  splitTarget,
  TOO_LARGE as REQUEST_TOO_LARGE,
  wasTruncated,
} from '@gatehousejs/core/node'

/**
 * API Gateway's payload limit (10 MB); the adapter stops reading one byte past it and answers 413.
 *
 * @example
 * ```ts
 * import { Hono } from 'hono'
 * import { serve } from '@hono/node-server'
 * import { createGateway } from '@gatehousejs/core'
 * import { DEFAULT_BODY_LIMIT, gateway } from '@gatehousejs/hono'
 * const api = { name: 'files', resources: { '/files': { POST: { integration: { type: 'AWS_PROXY', uri: 'putFile' } } } } }
 * const gw = createGateway({ api, maxBodyBytes: 2 * DEFAULT_BODY_LIMIT, functions: { putFile: async () => ({ statusCode: 201 }) } })
 * const app = new Hono()
 * app.use(gateway(gw, { bodyLimit: 2 * DEFAULT_BODY_LIMIT })) // a built gateway does not say its limit
 * serve(app)
 * ```
 */
export const DEFAULT_BODY_LIMIT: number = BODY_LIMIT

/**
 * Options of {@link gateway}.
 *
 * @example
 * ```ts
 * import { Hono } from 'hono'
 * import { getConnInfo } from 'hono/bun'
 * import { gateway, type HonoGatewayOptions } from '@gatehousejs/hono'
 * const api = { name: 'pets', resources: { '/pets/{id}': { GET: { integration: { type: 'AWS_PROXY', uri: 'getPet' } } } } }
 * const getPet = async () => ({ statusCode: 200, body: '{"id":1}' })
 * // On Bun: the peer address from Hono's conninfo helper, X-Forwarded-For's last hop behind one proxy.
 * const options: HonoGatewayOptions = { getSourceIp: (c) => getConnInfo(c).remote.address, trustProxy: 1, bodyLimit: 1024 * 1024 }
 * const app = new Hono()
 * app.use(gateway({ api, functions: { getPet } }, options))
 * export default app
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
 * import { Hono } from 'hono'
 * import { serve } from '@hono/node-server'
 * import { gateway, type GatewayEnv } from '@gatehousejs/hono'
 * const api = { name: 'shop', resources: { '/orders': { POST: { integration: { type: 'APP' } } } } }
 * const app = new Hono<GatewayEnv>()
 * app.use(gateway({ api }))
 * app.post('/orders', (c) => c.json({ requestId: c.get('apiGateway').requestId }, 201))
 * serve(app)
 * ```
 */
export type GatewayEnv = { Variables: { apiGateway: Record<string, unknown> } }

/** The few node:http details @hono/node-server puts in `c.env.incoming`. */
interface IncomingLike {
  url?: string
  rawHeaders?: string[]
  socket?: { remoteAddress?: string }
}

// Hono cannot close the connection itself: the header asks the server to, since the body's rest is unread.
const TOO_LARGE: GatewayResponse = { ...REQUEST_TOO_LARGE, headers: { ...REQUEST_TOO_LARGE.headers, connection: 'close' } }
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
 * import { serve } from '@hono/node-server'
 * import { gateway, type GatewayEnv } from '@gatehousejs/hono'
 * const api = {
 *   name: 'shop',
 *   resources: {
 *     '/pets/{id}': { GET: { integration: { type: 'AWS_PROXY', uri: 'getPet' } } },
 *     '/orders': { POST: { integration: { type: 'APP' } } },
 *   },
 * }
 * const getPet = async () => ({ statusCode: 200, body: '{"id":1}' })
 * const app = new Hono<GatewayEnv>()
 * app.use(gateway({ api, stage: 'prod', functions: { getPet } }))
 * app.post('/orders', async (c) => c.json({ caller: c.get('apiGateway'), order: await c.req.json() }))
 * serve(app)
 * ```
 */
export function gateway(input: GatewayInput | GatewayLike, options: HonoGatewayOptions = {}): MiddlewareHandler<GatewayEnv> {
  const gw = toGateway(input)
  const onError = options.onError ?? reportError
  const limit = bodyLimitOf(input, options)

  return async (c, next) => {
    let result: GatewayResponse | Passthrough
    try {
      const converted = toGatewayRequest(c, options, limit)
      const request = converted instanceof Promise ? await converted : converted
      // Announced or read past the limit: refused before the gateway runs, and the connection closed (the rest
      // of the body is unread).
      if (wasTruncated(request)) return toResponse(TOO_LARGE)
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

/**
 * Convert Hono's request; on @hono/node-server the wire details (raw URL, repeated headers, socket) are used. A
 * promise only when there is a body to read.
 */
function toGatewayRequest(c: Context, options: HonoGatewayOptions, limit: number): GatewayRequest | Promise<GatewayRequest> {
  const raw = c.req.raw
  const incoming = (c.env as { incoming?: IncomingLike } | undefined)?.incoming
  // The raw target, unless it is absolute-form (`GET http://host/p`): then the URL's path and query.
  const target = typeof incoming?.url === 'string' && incoming.url.charCodeAt(0) === 47 ? incoming.url : pathAndQuery(raw.url)
  const { path, query } = splitTarget(target)
  const headers = incoming?.rawHeaders ? headersFromRaw(incoming.rawHeaders) : headersFromFetch(raw.headers)
  const request: GatewayRequest = { method: raw.method.toUpperCase(), path, headers }
  if (query !== undefined) request.query = query
  const ip = clientAddress(options.getSourceIp ? options.getSourceIp(c) : incoming?.socket?.remoteAddress, headers, options.trustProxy)
  if (ip !== undefined) request.sourceIp = ip
  if (hasBody(raw, headers)) {
    // A body announced longer than the limit is refused without reading a byte of it.
    const announced = announcedLength(headers)
    if (announced !== undefined && announced > limit) {
      markTruncated(request)
      return request
    }
    return readBody(c, limit).then((read) => {
      if (read !== undefined) {
        request.body = read.body
        if (read.truncated) markTruncated(request)
      }
      return request
    })
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

/** Fetch joins repeated headers with `, ` (all but Set-Cookie); they cannot be split back safely. */
function headersFromFetch(headers: Headers): HeaderMap {
  const out: HeaderMap = {}
  headers.forEach((value, name) => {
    appendHeader(out, headerKey(name), value)
  })
  const cookies = headers.getSetCookie?.()
  if (cookies && cookies.length > 1) out['set-cookie'] = cookies
  return out
}

function hasBody(raw: Request, headers: HeaderMap): boolean {
  if (announcesBody(headers)) return true
  if (headers['content-length'] !== undefined) return false
  // Without framing headers (HTTP/2, some runtimes) ask the Request; GET and HEAD cannot carry one in Fetch.
  return raw.method !== 'GET' && raw.method !== 'HEAD' && raw.body !== null
}

/**
 * Read at most `limit + 1` bytes from a clone, so `c.req.raw` stays unread for the app; the bytes are also put in
 * Hono's body cache, so `c.req.json()`/`text()`/`arrayBuffer()`/`parseBody()` do not read again.
 */
async function readBody(c: Context, limit: number): Promise<{ body: Uint8Array; truncated: boolean } | undefined> {
  if (c.req.raw.bodyUsed) {
    // An earlier middleware read it (`c.req.json()`, `text()`, …): Hono's body cache holds what it read.
    const body = new Uint8Array(await c.req.arrayBuffer())
    return body.byteLength > limit ? { body: body.subarray(0, limit + 1), truncated: true } : { body, truncated: false }
  }
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
  const body = NULL_BODY_STATUS.has(response.statusCode) ? null : (response.body as ConstructorParameters<typeof Response>[0])
  return new Response(body, { status: response.statusCode, headers: headersInit(response.headers) })
}

/**
 * The answer's headers for `Response`: a plain record when each name has one value (@hono/node-server hands a
 * record to `writeHead` as it is, where it would turn `Headers` back into an object), `Headers` when one has several
 * (one line each; a record cannot say so). A name or value HTTP cannot carry throws here, so it reaches `onError`
 * rather than failing later inside the server.
 */
function headersInit(headers: HeaderMap): Record<string, string> | Headers {
  const out: Record<string, string> = {}
  let several = false
  for (const name in headers) {
    if (!Object.hasOwn(headers, name)) continue
    const value = headers[name]!
    if (!isHeaderName(name)) throw unsendable(name)
    if (typeof value === 'string') {
      if (!isFieldValue(value)) throw unsendable(name)
      setOwn(out, name, value)
    } else {
      for (const v of value) if (!isFieldValue(v)) throw unsendable(name)
      several = true
    }
  }
  return several ? toHeaders(headers) : out
}

function unsendable(name: string): TypeError {
  return new TypeError(`a response header HTTP cannot carry: ${JSON.stringify(name)}`)
}

function toHeaders(headers: HeaderMap): Headers {
  const out = new Headers()
  setHeaders(out, headers, Object.keys(headers), false)
  return out
}

/** The gateway's headers go on the app's response unless the app set the same header. */
function addHeaders(c: Context, headers: HeaderMap): void {
  const names = Object.keys(headers)
  if (names.length === 0) return
  let res = c.res
  try {
    setHeaders(res.headers, headers, names, true)
  } catch {
    // Immutable headers (a Response from fetch()): copy it once.
    res = new Response(res.body, res)
    setHeaders(res.headers, headers, names, true)
    c.res = res
  }
}

/** Core's header map onto Fetch `Headers`: arrays become one line per value; `keepExisting` leaves the app's. */
function setHeaders(target: Headers, headers: HeaderMap, names: readonly string[], keepExisting: boolean): void {
  for (const name of names) {
    if (keepExisting && target.has(name)) continue
    const value = headers[name]!
    if (typeof value === 'string') target.set(name, value)
    else for (const v of value) target.append(name, v)
  }
}
