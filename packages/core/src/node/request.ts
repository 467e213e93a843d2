/**
 * A node:http request as core's `GatewayRequest`: target, headers, source IP, client certificate and body, with
 * a body over the limit refused early.
 */
import type { IncomingMessage } from 'node:http'
import type { GatewayRequest } from '../types'
import { announcedLength, announcesBody, markTruncated } from './body-limit'
import { consumedBody, readBody, readFlowing } from './body-read'
import { clientCertOf } from './client-cert'
import { headersFromRaw } from './headers'
import type { NodeAdapterOptions } from './options'
import { sourceIpOf } from './source-ip'
import { splitTarget } from './target'

/**
 * Convert a node:http request. Resolves synchronously (no promise) when there is no body to read, so GETs
 * do not pay for a tick. A body over `limit` (announced, or read one byte past it) is marked: `wasTruncated`
 * says so, and the adapter answers `TOO_LARGE` instead of running the gateway. A body an earlier parser already
 * consumed is recovered with `consumedBody`. The body read is pushed back for the host app to read again unless
 * `restoreBody` is false (nothing reads the request after the gateway).
 *
 * @example
 * ```ts
 * import Koa from 'koa'
 * import { createGateway } from '@gatehousejs/core'
 * import { toGatewayRequest, wasTruncated } from '@gatehousejs/core/node'
 * const gw = createGateway({
 *   api: { name: 'pets', resources: { '/pets/{id}': { GET: { integration: { type: 'AWS_PROXY', uri: 'getPet' } } } } },
 *   functions: { getPet: async () => ({ statusCode: 200, body: '{"id":1}' }) },
 * })
 * const app = new Koa()
 * app.use(async (ctx) => {
 *   const request = await toGatewayRequest(ctx.req, ctx.req.url, { trustProxy: 1 }, 1024 * 1024)
 *   if (wasTruncated(request)) return void (ctx.status = 413)
 *   const out = await gw.handle(request)
 *   ctx.status = out.statusCode
 *   ctx.body = out.body
 * })
 * app.listen(3000)
 * ```
 */
export function toGatewayRequest(
  req: IncomingMessage,
  url: string | undefined,
  options: NodeAdapterOptions,
  limit: number,
  restoreBody = true,
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
    markTruncated(request)
    return request
  }
  if (req.readableEnded) {
    const body = consumedBody(req)
    if (body !== undefined) request.body = body
    return request
  }
  const filled = (body: Buffer, truncated: boolean) => {
    request.body = body
    if (truncated) markTruncated(request)
    return request
  }
  if (restoreBody) return readBody(req, limit).then(({ body, truncated }) => filled(body, truncated))
  return new Promise((resolve, reject) => readFlowing(req, limit, (body, truncated) => resolve(filled(body, truncated)), reject))
}
