/**
 * An adapter's own failures: API Gateway's bare 500 to the client, the detail to `onError` (stderr by default).
 */
import type { ServerResponse } from 'node:http'

/**
 * API Gateway's answer to an internal failure: no stack trace, no detail.
 *
 * @example
 * ```ts
 * import Koa from 'koa'
 * import { createGateway } from '@gatehousejs/core'
 * import { INTERNAL_ERROR_BODY, toGatewayRequest } from '@gatehousejs/core/node'
 * const gw = createGateway({
 *   api: { name: 'pets', resources: { '/pets/{id}': { GET: { integration: { type: 'AWS_PROXY', uri: 'getPet' } } } } },
 *   functions: { getPet: async () => ({ statusCode: 200, body: '{"id":1}' }) },
 * })
 * const app = new Koa()
 * app.use(async (ctx) => {
 *   try {
 *     const out = await gw.handle(await toGatewayRequest(ctx.req, ctx.req.url, {}, 1024 * 1024))
 *     ctx.status = out.statusCode
 *     ctx.body = out.body
 *   } catch {
 *     ctx.status = 500
 *     ctx.type = 'application/json'
 *     ctx.body = INTERNAL_ERROR_BODY // {"message":"Internal server error"}
 *   }
 * })
 * app.listen(3000)
 * ```
 */
export const INTERNAL_ERROR_BODY = '{"message":"Internal server error"}'

/**
 * Answer 500 {@link INTERNAL_ERROR_BODY} if nothing was sent yet (dropping headers already set); otherwise cut the
 * connection (the response is already broken).
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http'
 * import { createGateway } from '@gatehousejs/core'
 * import { reportError, toGatewayRequest, writeInternalError, writeResponse } from '@gatehousejs/core/node'
 * const gw = createGateway({
 *   api: { name: 'pets', resources: { '/pets/{id}': { GET: { integration: { type: 'AWS_PROXY', uri: 'getPet' } } } } },
 *   functions: { getPet: async () => ({ statusCode: 200, body: '{"id":1}' }) },
 * })
 * createServer(async (req, res) => {
 *   try {
 *     writeResponse(res, await gw.handle(await toGatewayRequest(req, req.url, {}, 1024 * 1024)))
 *   } catch (error) {
 *     reportError(error)
 *     writeInternalError(res)
 *   }
 * }).listen(3000)
 * ```
 */
export function writeInternalError(res: ServerResponse): void {
  if (res.headersSent) {
    res.destroy()
    return
  }
  for (const name of res.getHeaderNames()) res.removeHeader(name)
  res.writeHead(500, { 'content-type': 'application/json', 'content-length': String(INTERNAL_ERROR_BODY.length) })
  res.end(INTERNAL_ERROR_BODY)
}

/**
 * The default `onError`: report on stderr, never to the client.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http'
 * import { createHandler } from '@gatehousejs/node'
 * import { reportError } from '@gatehousejs/core/node'
 * const api = { name: 'pets', resources: { '/pets/{id}': { GET: { integration: { type: 'AWS_PROXY', uri: 'getPet' } } } } }
 * const getPet = async () => ({ statusCode: 200, body: '{"id":1}' })
 * let failures = 0
 * const onError = (error: unknown) => { failures++; reportError(error) } // count, then print as the default does
 * createServer(createHandler({ api, functions: { getPet } }, undefined, { onError })).listen(3000)
 * ```
 */
export function reportError(error: unknown): void {
  console.error('[gatehouse] adapter error:', error)
}
