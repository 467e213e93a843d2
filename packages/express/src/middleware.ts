/**
 * `gateway()` for Express 4 and 5: the node:http flow of `@gatehousejs/core/node`, with Express's `next()` for a
 * request the gateway passes through.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { toGateway, type GatewayLike, type GatewayInput, type GatewayRequest } from '@gatehousejs/core'
import { bodyLimitOf, serveNode, type NodeAdapterOptions } from '@gatehousejs/core/node'

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** API Gateway's `requestContext` (authorizer, identity, stage, requestId…) on a passed-through request. */
      apiGateway?: Record<string, unknown>
    }
  }
}

/**
 * Options of {@link gateway}.
 *
 * @example
 * ```ts
 * import express from 'express'
 * import { gateway, type ExpressGatewayOptions } from '@gatehousejs/express'
 * const api = { name: 'pets', resources: { '/pets/{id}': { GET: { integration: { type: 'AWS_PROXY', uri: 'getPet' } } } } }
 * const getPet = async () => ({ statusCode: 200, body: '{"id":1}' })
 * // Behind one load balancer; uploads up to 1 MB.
 * const options: ExpressGatewayOptions = { trustProxy: 1, bodyLimit: 1024 * 1024, onError: (e) => console.error(e) }
 * const app = express()
 * app.use(gateway({ api, functions: { getPet } }, options))
 * app.listen(3000)
 * ```
 */
export type ExpressGatewayOptions = NodeAdapterOptions

/**
 * Express middleware, structurally typed so it fits Express 4 and 5 without their type packages: the request
 * and response are node:http's, which Express extends.
 *
 * @example
 * ```ts
 * import express from 'express'
 * import { gateway, type GatewayMiddleware } from '@gatehousejs/express'
 * const api = { name: 'pets', resources: { '/pets/{id}': { GET: { integration: { type: 'AWS_PROXY', uri: 'getPet' } } } } }
 * const getPet = async () => ({ statusCode: 200, body: '{"id":1}' })
 * const pets: GatewayMiddleware = gateway({ api, functions: { getPet } })
 * const app = express()
 * app.use('/api', pets) // GET /api/pets/1 reaches the gateway as /pets/1
 * app.listen(3000)
 * ```
 */
export type GatewayMiddleware = (
  req: IncomingMessage & { url?: string; apiGateway?: Record<string, unknown> },
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void

/**
 * Express middleware serving an API. The gateway answers its routes itself; a request it passes through (a
 * route integrated with the host app, or an unmatched request when configured to fall through) continues to the
 * next middleware with `req.apiGateway` set to API Gateway's `requestContext` and the gateway's headers already
 * on the response. The body stays readable for the app's own parser (`express.json()` after the gateway works).
 * Paths are relative to where the middleware is mounted (`app.use('/api', gateway(...))` serves `/api/pets` as
 * `/pets`), as Express presents them.
 *
 * @example
 * ```ts
 * import express from 'express'
 * import { gateway } from '@gatehousejs/express'
 * const api = {
 *   name: 'shop',
 *   resources: {
 *     '/pets/{id}': { GET: { integration: { type: 'AWS_PROXY', uri: 'getPet' } } },
 *     '/orders': { POST: { integration: { type: 'APP' } } },
 *   },
 * }
 * const getPet = async () => ({ statusCode: 200, body: '{"id":1}' })
 * const app = express()
 * app.use(gateway({ api, stage: 'prod', functions: { getPet } }))
 * app.use(express.json())
 * app.post('/orders', (req, res) => res.status(201).json({ caller: req.apiGateway?.identity, order: req.body }))
 * app.listen(3000)
 * ```
 */
export function gateway(input: GatewayInput | GatewayLike, options: ExpressGatewayOptions = {}): GatewayMiddleware {
  const gw = toGateway(input)
  const limit = bodyLimitOf(input, options)
  const run = (request: GatewayRequest) => gw.dispatch(request)
  return (req, res, next) => {
    // Errors of ours never go to next(err): Express's default handler would print the stack trace.
    serveNode(run, req, res, req.url, options, limit, (pass) => {
      req.apiGateway = pass.requestContext
      next()
    })
  }
}
