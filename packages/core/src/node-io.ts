/**
 * node:http ⇄ core conversion, shared by the node, express and koa adapters (`@gatehousejs/core/node`: adapters may
 * not import each other, so the conversion lives with core).
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { TLSSocket } from 'node:tls'
import { setOwn } from './http'
import type { ClientCert, GatewayRequest, GatewayResponse, HeaderMap, Passthrough } from './index'

/**
 * API Gateway's payload limit (10 MB); the adapters stop reading one byte past it and core answers 413.
 *
 * @example
 * ```ts
 * createHandler(gw, undefined, { bodyLimit: 2 * DEFAULT_BODY_LIMIT }) // a gateway built with maxBodyBytes: 20 MB
 * ```
 */
export const DEFAULT_BODY_LIMIT = 10 * 1024 * 1024

/**
 * Options every node:http-based adapter takes.
 *
 * @example
 * ```ts
 * const options: NodeAdapterOptions = { trustProxy: 1, onError: (e) => logger.error(e) }
 * ```
 */
export interface NodeAdapterOptions {
  /**
   * Whether `X-Forwarded-For` names the client. `false` (default): the socket's peer address is the source IP,
   * whatever the headers say. `true`: the left-most address. A number `n`: the address `n` hops from the right
   * (the proxies in front of this server are trusted, nothing before them), as Express's `trust proxy` does.
   */
  trustProxy?: boolean | number
  /** Bytes read before giving up (default {@link DEFAULT_BODY_LIMIT}); core decides the status (413). */
  bodyLimit?: number
  /** Called with an error inside the adapter (the client gets a plain 500). Default: `console.error`. */
  onError?: (error: unknown) => void
}

/** `path` and `query` exactly as on the wire: nothing decoded, nothing normalised. */
export function splitTarget(target: string | undefined): { path: string; query: string | undefined } {
  let url = target || '/'
  // Absolute-form request targets (`GET http://host/p HTTP/1.1`, sent to proxies) carry the authority.
  if (url.charCodeAt(0) !== 47 /* / */) {
    const scheme = url.indexOf('://')
    if (scheme !== -1) {
      const slash = url.indexOf('/', scheme + 3)
      const q = url.indexOf('?', scheme + 3)
      const start = slash === -1 ? q : q === -1 ? slash : Math.min(slash, q)
      url = start === -1 ? '/' : url[start] === '?' ? `/${url.slice(start)}` : url.slice(start)
    }
  }
  const q = url.indexOf('?')
  if (q === -1) return { path: url, query: undefined }
  return { path: q === 0 ? '/' : url.slice(0, q), query: url.slice(q + 1) }
}

/**
 * Header names lower-cased; a repeated header (and every Set-Cookie/Cookie line) kept as an array, in order.
 * Names are the client's: `constructor` or `__proto__` become keys like any other (own data properties of an
 * ordinary object), never a lookup into or a change of `Object.prototype`.
 */
export function headersFromRaw(raw: readonly string[]): HeaderMap {
  const out: HeaderMap = {}
  for (let i = 0; i + 1 < raw.length; i += 2) {
    let name = raw[i]!.toLowerCase()
    const value = raw[i + 1]!
    if (name.charCodeAt(0) === 58 /* : */) {
      // HTTP/2 pseudo-headers (node:http2 compatibility API): only the authority means something to core.
      if (name !== ':authority' || typeof out.host === 'string' || Array.isArray(out.host)) continue
      name = 'host'
    }
    const prev = out[name]
    if (typeof prev === 'string') out[name] = [prev, value]
    else if (Array.isArray(prev)) prev.push(value)
    else setOwn<string | string[]>(out, name, value)
  }
  return out
}

/** Whether the request announces a body (HTTP/1.1: only Content-Length or Transfer-Encoding do). */
export function announcesBody(headers: HeaderMap): boolean {
  if (headers['transfer-encoding'] !== undefined) return true
  const cl = headers['content-length']
  return cl !== undefined && cl !== '0'
}

/**
 * The body length a request announces with `Content-Length`, or undefined when it sends none (or a chunked one).
 * Node's parser has already refused a malformed or conflicting Content-Length with 400.
 */
export function announcedLength(headers: HeaderMap): number | undefined {
  if (headers['transfer-encoding'] !== undefined) return undefined
  const cl = headers['content-length']
  const text = typeof cl === 'string' ? cl : Array.isArray(cl) ? cl[0] : undefined
  if (text === undefined) return undefined
  const n = Number(text.trim())
  return Number.isFinite(n) ? n : undefined
}

/** The client's address; X-Forwarded-For only when `trustProxy` says so. */
export function sourceIpOf(req: IncomingMessage, headers: HeaderMap, trustProxy: boolean | number | undefined): string | undefined {
  return clientAddress(req.socket?.remoteAddress, headers, trustProxy)
}

/**
 * The client's address from the peer's: with `trustProxy`, X-Forwarded-For's left-most entry (`true`) or the one
 * `n` hops from the right. IPv4 clients of a dual-stack socket (`::ffff:a.b.c.d`) are reported as plain IPv4, as
 * API Gateway reports them.
 */
export function clientAddress(peer: string | undefined, headers: HeaderMap, trustProxy: boolean | number | undefined): string | undefined {
  let ip = peer
  // A hop count that is not a positive integer trusts nothing (a negative or fractional index names no hop).
  if (trustProxy === true || (typeof trustProxy === 'number' && Number.isInteger(trustProxy) && trustProxy > 0)) {
    const xff = headers['x-forwarded-for']
    if (xff !== undefined) {
      const hops = (typeof xff === 'string' ? xff : xff.join(','))
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '')
      if (hops.length > 0) ip = trustProxy === true ? hops[0] : hops[Math.max(0, hops.length - (trustProxy as number))]
    }
  }
  if (ip !== undefined && ip.startsWith('::ffff:') && ip.indexOf('.') !== -1) ip = ip.slice(7)
  return ip
}

/** The verified client certificate of a mutual-TLS connection, as API Gateway describes it. */
export function clientCertOf(req: IncomingMessage): ClientCert | undefined {
  const socket = req.socket as TLSSocket | undefined
  if (!socket || !(socket as { encrypted?: boolean }).encrypted || !socket.authorized) return undefined
  const cert = socket.getPeerCertificate?.(false)
  if (!cert || !cert.raw) return undefined
  const b64 = cert.raw.toString('base64')
  const lines: string[] = []
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64))
  const dn = (o: object | undefined) =>
    Object.entries(o ?? {})
      .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : String(v)}`)
      .join(',')
  return {
    clientCertPem: `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`,
    subjectDN: dn(cert.subject),
    issuerDN: dn(cert.issuer),
    serialNumber: cert.serialNumber,
    validity: { notBefore: cert.valid_from, notAfter: cert.valid_to },
  }
}

/** What {@link readBody} read. `truncated`: the body was longer than the limit and reading stopped. */
export interface BodyRead {
  body: Buffer
  truncated: boolean
}

/**
 * Read the request body, at most `limit + 1` bytes, and leave the stream readable again: when the whole body was
 * read it is pushed back (`unshift`) before the stream emits `end`, so the host app's own body parser
 * (express.json(), koa body parsers, raw-body) reads the same bytes afterwards.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyRead> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    let done = false
    const finish = (truncated: boolean, error?: unknown) => {
      if (done) return
      done = true
      req.removeListener('readable', onReadable)
      req.removeListener('end', onEnd)
      req.removeListener('error', onAborted)
      req.removeListener('aborted', onAborted)
      req.removeListener('close', onAborted)
      if (error !== undefined) return reject(error)
      const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)
      // 'end' is only emitted on a later tick once the buffer is empty: putting the bytes back now keeps it
      // from firing, so whoever reads next sees the full body and then 'end'.
      if (!truncated && body.length > 0 && !req.readableEnded) req.unshift(body)
      resolve({ body, truncated })
    }
    const onReadable = () => {
      let chunk: Buffer | string | null
      while ((chunk = req.read() as Buffer | string | null) !== null) {
        const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
        chunks.push(buf)
        size += buf.length
        if (size > limit) return finish(true)
      }
      if (req.complete) finish(false)
    }
    const onEnd = () => finish(false)
    const onAborted = () => finish(false, new Error('request aborted'))
    req.on('readable', onReadable)
    req.on('end', onEnd)
    req.on('error', onAborted)
    req.on('aborted', onAborted)
    // A stream closed before its end (socket gone) must not leave the promise pending forever.
    req.on('close', onAborted)
  })
}

/**
 * The body some earlier middleware already consumed (a body parser mounted before the gateway): its raw bytes
 * when it kept them (`req.rawBody`), else `req.body` when it is a string or bytes, else JSON text of a parsed
 * object. Undefined when there is nothing to recover.
 */
export function consumedBody(req: IncomingMessage): string | Uint8Array | undefined {
  const r = req as IncomingMessage & { rawBody?: unknown; body?: unknown }
  if (typeof r.rawBody === 'string' || r.rawBody instanceof Uint8Array) return r.rawBody
  if (typeof r.body === 'string' || r.body instanceof Uint8Array) return r.body
  if (r.body !== undefined && r.body !== null && typeof r.body === 'object') return JSON.stringify(r.body)
  return undefined
}

/**
 * Convert a node:http request. Resolves synchronously (no promise) when there is no body to read, so GETs
 * do not pay for a tick.
 */
export function toGatewayRequest(
  req: IncomingMessage,
  url: string | undefined,
  options: NodeAdapterOptions,
  limit: number,
): GatewayRequest | Promise<GatewayRequest> {
  const { path, query } = splitTarget(url)
  const headers = headersFromRaw(req.rawHeaders)
  const request: GatewayRequest = {
    method: (req.method ?? 'GET').toUpperCase(),
    path,
    headers,
    sourceIp: sourceIpOf(req, headers, options.trustProxy),
  }
  if (query !== undefined) request.query = query
  const cert = clientCertOf(req)
  if (cert) request.clientCert = cert
  if (!announcesBody(headers)) return request
  // A body announced longer than the limit is refused at once: nothing is read, nobody waits for it.
  const announced = announcedLength(headers)
  if (announced !== undefined && announced > limit) {
    truncatedRequests.add(request)
    return request
  }
  if (req.readableEnded) {
    const body = consumedBody(req)
    if (body !== undefined) request.body = body
    return request
  }
  return readBody(req, limit).then(({ body, truncated }) => {
    request.body = body
    if (truncated) truncatedRequests.add(request)
    return request
  })
}

/**
 * The read limit: the option, else the gateway definition's `maxBodyBytes`, else 10 MB. (A built `Gateway` does
 * not say its limit: pass `bodyLimit` when it is not the default.)
 */
export function bodyLimitOf(input: object, options: NodeAdapterOptions): number {
  const fromInput = (input as { maxBodyBytes?: unknown }).maxBodyBytes
  return options.bodyLimit ?? (typeof fromInput === 'number' ? fromInput : DEFAULT_BODY_LIMIT)
}

/** API Gateway's REQUEST_TOO_LARGE answer, for a truncated body the gateway did not refuse itself. */
export const TOO_LARGE: GatewayResponse = {
  statusCode: 413,
  headers: { 'content-type': 'application/json' },
  body: '{"message":"Request Too Long"}',
}

/**
 * Whether {@link toGatewayRequest} refused a body as too long: announced by `Content-Length` above the limit (not
 * read at all), or read up to one byte past the limit. Adapters answer {@link TOO_LARGE} without running the
 * gateway (no stage, counter or integration sees a request whose body was not read whole) and close the
 * connection, whose unread rest of the body is still on the socket.
 */
export function wasTruncated(request: GatewayRequest): boolean {
  return truncatedRequests.has(request)
}

const truncatedRequests = new WeakSet<GatewayRequest>()

/** Write core's response. Arrays become one header line per value. */
export function writeResponse(res: ServerResponse, response: GatewayResponse, closeConnection = false): void {
  // Before writeHead: that is where Node decides on `Connection: close`.
  if (closeConnection) res.shouldKeepAlive = false
  const { statusCode, headers, body } = response
  // writeHead fixes the head at once: without a length Node would fall back to chunked encoding, which costs
  // extra writes (and Nagle delays) for every small answer.
  if (headers['content-length'] === undefined && !hasHeader(headers, 'content-length') && statusCode !== 204 && statusCode !== 304 && (statusCode < 100 || statusCode >= 200)) {
    res.setHeader('content-length', typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength)
  }
  res.writeHead(statusCode, headers as Record<string, string | string[]>)
  res.end(body)
}

/** Header names from core are not always lower-case (`x-amzn-RequestId`). */
function hasHeader(headers: HeaderMap, lower: string): boolean {
  for (const name in headers) if (name.length === lower.length && name.toLowerCase() === lower) return true
  return false
}

/** API Gateway's answer to an internal failure: no stack trace, no detail. */
export const INTERNAL_ERROR_BODY = '{"message":"Internal server error"}'

/** Answer 500 if nothing was sent yet; otherwise cut the connection (the response is already broken). */
export function writeInternalError(res: ServerResponse): void {
  if (res.headersSent) {
    res.destroy()
    return
  }
  for (const name of res.getHeaderNames()) res.removeHeader(name)
  res.writeHead(500, { 'content-type': 'application/json', 'content-length': String(INTERNAL_ERROR_BODY.length) })
  res.end(INTERNAL_ERROR_BODY)
}

/** Add the gateway's headers (CORS, x-amzn-RequestId, …) to a response the host app is about to write. */
export function addPassthroughHeaders(res: ServerResponse, headers: HeaderMap): void {
  for (const name in headers) res.setHeader(name, headers[name]!)
}

/** The error `readBody` rejects with when the client goes away: nobody to answer, nothing to report. */
export function isAbort(error: unknown): boolean {
  return error instanceof Error && error.message === 'request aborted'
}

/**
 * The whole node:http flow shared by the node and express adapters: convert, run the gateway, write its answer
 * or call `onPassthrough` (after putting the gateway's headers on `res`). A body over the limit (announced or
 * read) is refused with 413 before the gateway runs, and the connection closed, since its unread rest is still on
 * the socket.
 */
export function serveNode(
  run: (request: GatewayRequest) => Promise<GatewayResponse | Passthrough>,
  req: IncomingMessage,
  res: ServerResponse,
  url: string | undefined,
  options: NodeAdapterOptions,
  limit: number,
  onPassthrough: (pass: Passthrough) => unknown,
): void {
  const fail = (error: unknown) => {
    if (!isAbort(error)) (options.onError ?? reportError)(error)
    try {
      writeInternalError(res)
    } catch {
      res.destroy()
    }
  }
  const respond = (result: GatewayResponse | Passthrough) => {
    if ((result as Passthrough).passthrough === true) {
      addPassthroughHeaders(res, (result as Passthrough).headers)
      const out = onPassthrough(result as Passthrough)
      // An async host app that rejects would otherwise be an unhandled rejection, which ends the process.
      if (out && typeof (out as Promise<unknown>).then === 'function') (out as Promise<unknown>).then(undefined, fail)
    } else {
      writeResponse(res, result as GatewayResponse)
    }
  }
  try {
    const converted = toGatewayRequest(req, url, options, limit)
    if (converted instanceof Promise) {
      converted
        .then((request) => (wasTruncated(request) ? writeResponse(res, TOO_LARGE, true) : run(request).then(respond)))
        .catch(fail)
    } else if (wasTruncated(converted)) {
      writeResponse(res, TOO_LARGE, true)
    } else {
      run(converted).then(respond).catch(fail)
    }
  } catch (error) {
    fail(error)
  }
}

/** The default `onError`: report on stderr, never to the client. */
export function reportError(error: unknown): void {
  console.error('[gatehouse] adapter error:', error)
}
