/**
 * API Gateway's payload limit at the edge: what a request announces about its body, the limit an adapter reads
 * up to, and the early 413 (REQUEST_TOO_LARGE) for a body over it, answered before the gateway runs.
 */
import type { GatewayRequest, GatewayResponse, HeaderMap } from '../types'
import type { NodeAdapterOptions } from './options'

/**
 * API Gateway's payload limit (10 MB); the adapters stop reading one byte past it and answer 413.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http'
 * import { createGateway } from '@gatehousejs/core'
 * import { createHandler, DEFAULT_BODY_LIMIT } from '@gatehousejs/node'
 * const api = { name: 'files', resources: { '/files': { POST: { integration: { type: 'AWS_PROXY', uri: 'putFile' } } } } }
 * const gw = createGateway({ api, maxBodyBytes: 2 * DEFAULT_BODY_LIMIT, functions: { putFile: async () => ({ statusCode: 201 }) } })
 * // A built gateway does not say its limit: tell the adapter.
 * createServer(createHandler(gw, undefined, { bodyLimit: 2 * DEFAULT_BODY_LIMIT })).listen(3000)
 * ```
 */
export const DEFAULT_BODY_LIMIT = 10 * 1024 * 1024

/**
 * The read limit: the option, else the gateway definition's `maxBodyBytes`, else 10 MB. (A built `Gateway` does
 * not say its limit: pass `bodyLimit` when it is not the default.)
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http'
 * import { toGateway, type GatewayInput } from '@gatehousejs/core'
 * import { bodyLimitOf, serveNode } from '@gatehousejs/core/node'
 * const input: GatewayInput = {
 *   api: { name: 'files', resources: { '/files': { POST: { integration: { type: 'AWS_PROXY', uri: 'putFile' } } } } },
 *   maxBodyBytes: 1024 * 1024,
 *   functions: { putFile: async () => ({ statusCode: 201 }) },
 * }
 * const gw = toGateway(input)
 * const limit = bodyLimitOf(input, {}) // 1 MB, from maxBodyBytes
 * createServer((req, res) => serveNode((r) => gw.handle(r), req, res, req.url, {}, limit, () => undefined)).listen(3000)
 * ```
 */
export function bodyLimitOf(input: object, options: NodeAdapterOptions): number {
  const fromInput = (input as { maxBodyBytes?: unknown }).maxBodyBytes
  return options.bodyLimit ?? (typeof fromInput === 'number' ? fromInput : DEFAULT_BODY_LIMIT)
}

/**
 * Whether the request announces a body (HTTP/1.1: only Content-Length or Transfer-Encoding do).
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http'
 * import { createGateway } from '@gatehousejs/core'
 * import { announcesBody, headersFromRaw, readBody, splitTarget, writeResponse } from '@gatehousejs/core/node'
 * const gw = createGateway({
 *   api: { name: 'orders', resources: { '/orders': { POST: { integration: { type: 'AWS_PROXY', uri: 'addOrder' } } } } },
 *   functions: { addOrder: async () => ({ statusCode: 201 }) },
 * })
 * createServer(async (req, res) => {
 *   const headers = headersFromRaw(req.rawHeaders)
 *   const body = announcesBody(headers) ? (await readBody(req, 1024 * 1024)).body : undefined // a GET reads nothing
 *   writeResponse(res, await gw.handle({ method: req.method ?? 'GET', ...splitTarget(req.url), headers, body }))
 * }).listen(3000)
 * ```
 */
export function announcesBody(headers: HeaderMap): boolean {
  if (headers['transfer-encoding'] !== undefined) return true
  const cl = headers['content-length']
  return cl !== undefined && cl !== '0'
}

/**
 * The body length a request announces with `Content-Length`, or undefined when it sends none (or a chunked one).
 * Node's parser has already refused a malformed or conflicting Content-Length with 400.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http'
 * import { createGateway } from '@gatehousejs/core'
 * import { announcedLength, headersFromRaw, TOO_LARGE, writeResponse } from '@gatehousejs/core/node'
 * const gw = createGateway({
 *   api: { name: 'files', resources: { '/files': { POST: { integration: { type: 'AWS_PROXY', uri: 'putFile' } } } } },
 *   functions: { putFile: async () => ({ statusCode: 201 }) },
 * })
 * createServer(async (req, res) => {
 *   // Refused from the head alone: not one byte of a 20 MB upload is read.
 *   if ((announcedLength(headersFromRaw(req.rawHeaders)) ?? 0) > 1024 * 1024) return writeResponse(res, TOO_LARGE, true)
 *   // … convert the request and answer with gw.handle(request)
 * }).listen(3000)
 * ```
 */
export function announcedLength(headers: HeaderMap): number | undefined {
  if (headers['transfer-encoding'] !== undefined) return undefined
  const cl = headers['content-length']
  const text = typeof cl === 'string' ? cl : Array.isArray(cl) ? cl[0] : undefined
  if (text === undefined) return undefined
  const n = Number(text.trim())
  return Number.isFinite(n) ? n : undefined
}

/**
 * API Gateway's REQUEST_TOO_LARGE answer, for a body over the limit the gateway did not refuse itself.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http'
 * import { createGateway } from '@gatehousejs/core'
 * import { TOO_LARGE, toGatewayRequest, wasTruncated, writeResponse } from '@gatehousejs/core/node'
 * const gw = createGateway({
 *   api: { name: 'files', resources: { '/files': { POST: { integration: { type: 'AWS_PROXY', uri: 'putFile' } } } } },
 *   functions: { putFile: async () => ({ statusCode: 201 }) },
 * })
 * createServer(async (req, res) => {
 *   const request = await toGatewayRequest(req, req.url, {}, 1024 * 1024)
 *   // 413 {"message":"Request Too Long"}, and the connection closed: the rest of the body is still on the socket.
 *   if (wasTruncated(request)) return writeResponse(res, TOO_LARGE, true)
 *   writeResponse(res, await gw.handle(request))
 * }).listen(3000)
 * ```
 */
export const TOO_LARGE: GatewayResponse = {
  statusCode: 413,
  headers: { 'content-type': 'application/json' },
  body: '{"message":"Request Too Long"}',
}

const truncatedRequests = new WeakSet<GatewayRequest>()

/**
 * Record that a request's body was refused as too long (announced above the limit, or read one byte past it), so
 * {@link wasTruncated} says so wherever the request goes next. Adapters that convert requests themselves (Hono
 * works on Fetch's `Request`) mark them here.
 *
 * @example
 * ```ts
 * import { Hono } from 'hono'
 * import { createGateway, type GatewayRequest } from '@gatehousejs/core'
 * import { announcedLength, markTruncated, wasTruncated } from '@gatehousejs/core/node'
 * const gw = createGateway({
 *   api: { name: 'files', resources: { '/files': { POST: { integration: { type: 'AWS_PROXY', uri: 'putFile' } } } } },
 *   functions: { putFile: async () => ({ statusCode: 201 }) },
 * })
 * const app = new Hono()
 * app.post('/files', async (c) => {
 *   const headers = { 'content-length': c.req.header('content-length') ?? '0' }
 *   const request: GatewayRequest = { method: 'POST', path: '/files', headers }
 *   if ((announcedLength(headers) ?? 0) > 1024 * 1024) markTruncated(request)
 *   if (wasTruncated(request)) return c.json({ message: 'Request Too Long' }, 413)
 *   request.body = new Uint8Array(await c.req.arrayBuffer())
 *   const out = await gw.handle(request)
 *   return new Response(out.body, { status: out.statusCode })
 * })
 * ```
 */
export function markTruncated(request: GatewayRequest): void {
  truncatedRequests.add(request)
}

/**
 * Whether a body was refused as too long: announced by `Content-Length` above the limit (not read at all), or
 * read up to one byte past the limit (`toGatewayRequest` and {@link markTruncated} record it). Adapters answer
 * {@link TOO_LARGE} without running the gateway (no stage, counter or integration sees a request whose body was
 * not read whole) and close the connection, whose unread rest of the body is still on the socket.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http'
 * import { createGateway } from '@gatehousejs/core'
 * import { TOO_LARGE, toGatewayRequest, wasTruncated, writeResponse } from '@gatehousejs/core/node'
 * const gw = createGateway({
 *   api: { name: 'files', resources: { '/files': { POST: { integration: { type: 'AWS_PROXY', uri: 'putFile' } } } } },
 *   functions: { putFile: async () => ({ statusCode: 201 }) },
 * })
 * createServer(async (req, res) => {
 *   const request = await toGatewayRequest(req, req.url, {}, 1024 * 1024)
 *   writeResponse(res, wasTruncated(request) ? TOO_LARGE : await gw.handle(request), wasTruncated(request))
 * }).listen(3000)
 * ```
 */
export function wasTruncated(request: GatewayRequest): boolean {
  return truncatedRequests.has(request)
}
