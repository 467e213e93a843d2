/**
 * `createHandler`: the gateway as a node:http request listener, on `@gatehousejs/core/node`'s shared flow.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import {
  toGateway,
  type GatewayInput,
  type GatewayLike,
  type GatewayRequest,
  type GatewayResponse,
  type Passthrough,
} from '@gatehousejs/core'
import { bodyLimitOf, serveNode, type NodeAdapterOptions } from '@gatehousejs/core/node'

/**
 * A request the gateway handed on to the host app: `apiGateway` is API Gateway's `requestContext`.
 *
 * @example
 * ```ts
 * import { createServer, type ServerResponse } from 'node:http'
 * import { createHandler, type GatewayIncomingMessage } from '@gatehousejs/node'
 * const api = {
 *   name: 'shop',
 *   resources: {
 *     '/pets/{id}': { GET: { integration: { type: 'AWS_PROXY', uri: 'getPet' } } },
 *     '/orders': { POST: { integration: { type: 'APP' } } },
 *   },
 * }
 * const getPet = async () => ({ statusCode: 200, body: '{"id":1}' })
 * const orders = (req: GatewayIncomingMessage, res: ServerResponse) => res.end(String(req.apiGateway?.requestId))
 * createServer(createHandler({ api, functions: { getPet } }, orders)).listen(3000)
 * ```
 */
export type GatewayIncomingMessage = IncomingMessage & { apiGateway?: Record<string, unknown> }

/**
 * The host app a passthrough request is handed to.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http'
 * import { createHandler, type NodeFallback } from '@gatehousejs/node'
 * const api = {
 *   name: 'shop',
 *   resources: {
 *     '/pets/{id}': { GET: { integration: { type: 'AWS_PROXY', uri: 'getPet' } } },
 *     '/orders': { POST: { integration: { type: 'APP' } } },
 *   },
 * }
 * const getPet = async () => ({ statusCode: 200, body: '{"id":1}' })
 * const app: NodeFallback = (req, res) => {
 *   res.statusCode = 201
 *   res.end(JSON.stringify({ caller: req.apiGateway?.identity })) // POST /orders, after the gateway's checks
 * }
 * createServer(createHandler({ api, functions: { getPet } }, app)).listen(3000)
 * ```
 */
export type NodeFallback = (req: GatewayIncomingMessage, res: ServerResponse) => void | Promise<unknown>

/**
 * Options of {@link createHandler}.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http'
 * import { createHandler, type NodeHandlerOptions } from '@gatehousejs/node'
 * const api = { name: 'pets', resources: { '/pets/{id}': { GET: { integration: { type: 'AWS_PROXY', uri: 'getPet' } } } } }
 * const getPet = async () => ({ statusCode: 200, body: '{"id":1}' })
 * // Behind one load balancer; uploads up to 1 MB.
 * const options: NodeHandlerOptions = { trustProxy: 1, bodyLimit: 1024 * 1024, onError: (e) => console.error(e) }
 * createServer(createHandler({ api, functions: { getPet } }, undefined, options)).listen(3000)
 * ```
 */
export type NodeHandlerOptions = NodeAdapterOptions

/**
 * A `(req, res)` listener for `http.createServer` that serves an API. Without `fallback` every request gets the
 * gateway's answer (`gw.handle`); with one, requests the gateway passes through (routes integrated with the
 * host app, or unmatched requests when the gateway is configured to fall through) go to `fallback`, with
 * `req.apiGateway` set to API Gateway's `requestContext`, the gateway's headers already on `res`, and the body
 * still readable.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http'
 * import { createHandler } from '@gatehousejs/node'
 * const api = { name: 'pets', resources: { '/pets/{id}': { GET: { integration: { type: 'AWS_PROXY', uri: 'getPet' } } } } }
 * const getPet = async () => ({ statusCode: 200, body: '{"id":1}' })
 * createServer(createHandler({ api, stage: 'prod', functions: { getPet } })).listen(3000) // GET /pets/1 → {"id":1}
 * ```
 */
export function createHandler(
  input: GatewayInput | GatewayLike,
  fallback?: NodeFallback,
  options: NodeHandlerOptions = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  const gw = toGateway(input)
  const limit = bodyLimitOf(input, options)
  const run: (r: GatewayRequest) => Promise<GatewayResponse | Passthrough> = fallback ? (r) => gw.dispatch(r) : (r) => gw.handle(r)
  // Without a fallback nothing reads a request after the gateway: its body is read once, not kept for an app.
  return (req, res) => {
    serveNode(
      run,
      req,
      res,
      req.url,
      options,
      limit,
      fallback &&
        ((pass) => {
          ;(req as GatewayIncomingMessage).apiGateway = pass.requestContext
          return fallback(req, res)
        }),
    )
  }
}
