/**
 * `gateway()` for Koa: `@gatehousejs/core/node`'s request conversion, with the answer written through Koa's
 * context (`ctx.status`, `ctx.set`, `ctx.body`) so upstream middleware still sees it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { toGateway, type GatewayInput, type GatewayLike, type GatewayResponse, type Passthrough } from '@gatehousejs/core'
import {
  bodyLimitOf,
  INTERNAL_ERROR_BODY,
  isAbort,
  reportError,
  spellingOf,
  TOO_LARGE,
  toGatewayRequest,
  wasTruncated,
  type NodeAdapterOptions,
} from '@gatehousejs/core/node'

/**
 * Options of {@link gateway}.
 *
 * @example
 * ```ts
 * import Koa from 'koa'
 * import { gateway, type KoaGatewayOptions } from '@gatehousejs/koa'
 * const api = { name: 'pets', resources: { '/pets/{id}': { GET: { integration: { type: 'AWS_PROXY', uri: 'getPet' } } } } }
 * const getPet = async () => ({ statusCode: 200, body: '{"id":1}' })
 * // Behind one load balancer; uploads up to 1 MB.
 * const options: KoaGatewayOptions = { trustProxy: 1, bodyLimit: 1024 * 1024, onError: (e) => console.error(e) }
 * const app = new Koa()
 * app.use(gateway({ api, functions: { getPet } }, options))
 * app.listen(3000)
 * ```
 */
export type KoaGatewayOptions = NodeAdapterOptions

/**
 * The part of Koa's context the middleware uses (structural, so it needs no Koa type package).
 *
 * @example
 * ```ts
 * import Koa from 'koa'
 * import { gateway, type KoaContextLike } from '@gatehousejs/koa'
 * const api = { name: 'shop', resources: { '/orders': { POST: { integration: { type: 'APP' } } } } }
 * const caller = (ctx: KoaContextLike) => (ctx.state.apiGateway as { identity?: unknown } | undefined)?.identity
 * const app = new Koa()
 * app.use(gateway({ api }))
 * app.use((ctx) => { ctx.status = 201; ctx.body = { caller: caller(ctx) } })
 * app.listen(3000)
 * ```
 */
export interface KoaContextLike {
  req: IncomingMessage
  res: ServerResponse
  status: number
  body: unknown
  state: Record<string, unknown>
  set(field: string, value: string | string[]): void
  remove(field: string): void
  /** Koa's response, which `ctx.status`, `ctx.body`, `ctx.set` and `ctx.remove` delegate to. */
  response: Pick<KoaContextLike, 'status' | 'body' | 'set' | 'remove'>
}

/**
 * Koa middleware, structurally typed.
 *
 * @example
 * ```ts
 * import Koa from 'koa'
 * import { gateway, type KoaGatewayMiddleware } from '@gatehousejs/koa'
 * const api = { name: 'pets', resources: { '/pets/{id}': { GET: { integration: { type: 'AWS_PROXY', uri: 'getPet' } } } } }
 * const getPet = async () => ({ statusCode: 200, body: '{"id":1}' })
 * const pets: KoaGatewayMiddleware = gateway({ api, functions: { getPet } })
 * const app = new Koa()
 * app.use(pets)
 * app.listen(3000)
 * ```
 */
export type KoaGatewayMiddleware = (ctx: KoaContextLike, next: () => Promise<unknown>) => Promise<void>

/**
 * Koa middleware serving an API. The gateway answers its routes by setting `ctx.status`, headers and `ctx.body`
 * (so upstream middleware still sees them); a request it passes through (a route integrated with the host app,
 * or an unmatched request when configured to fall through) continues downstream with `ctx.state.apiGateway` set
 * to API Gateway's `requestContext` and the gateway's headers already set. The body stays readable for the app's
 * own body parser.
 *
 * @example
 * ```ts
 * import Koa from 'koa'
 * import { gateway } from '@gatehousejs/koa'
 * const api = {
 *   name: 'shop',
 *   resources: {
 *     '/pets/{id}': { GET: { integration: { type: 'AWS_PROXY', uri: 'getPet' } } },
 *     '/orders': { POST: { integration: { type: 'APP' } } },
 *   },
 * }
 * const getPet = async () => ({ statusCode: 200, body: '{"id":1}' })
 * const app = new Koa()
 * app.use(gateway({ api, stage: 'prod', functions: { getPet } }))
 * app.use((ctx) => { ctx.body = { caller: ctx.state.apiGateway } }) // POST /orders, after the gateway's checks
 * app.listen(3000)
 * ```
 */
export function gateway(input: GatewayInput | GatewayLike, options: KoaGatewayOptions = {}): KoaGatewayMiddleware {
  const gw = toGateway(input)
  const onError = options.onError ?? reportError
  const limit = bodyLimitOf(input, options)

  return async (ctx, next) => {
    let result: GatewayResponse | Passthrough
    try {
      const converted = toGatewayRequest(ctx.req, ctx.req.url, options, limit)
      const request = converted instanceof Promise ? await converted : converted
      if (wasTruncated(request)) {
        // Announced or read past the limit: refused before the gateway runs. The unread rest of the body is
        // still on the socket: refuse and close.
        respond(ctx, TOO_LARGE)
        ctx.set('connection', 'close')
        return
      }
      result = await gw.dispatch(request)
      if ((result as Passthrough).passthrough !== true) return respond(ctx, result as GatewayResponse)
    } catch (error) {
      if (isAbort(error)) return
      onError(error)
      // Answered here rather than thrown: Koa's own error page is text, and API Gateway answers JSON.
      ctx.status = 500
      ctx.body = INTERNAL_ERROR_BODY
      ctx.set('content-type', 'application/json')
      return
    }
    const pass = result as Passthrough
    ctx.state.apiGateway = pass.requestContext
    for (const name in pass.headers) ctx.set(name, pass.headers[name]!)
    await next()
  }
}

/** The gateway's answer onto Koa's response (`ctx.response` itself: the context's delegates cost a call each). */
function respond(ctx: KoaContextLike, response: GatewayResponse): void {
  const out = ctx.response
  out.status = response.statusCode
  const { headers, body } = response
  // The type goes on before the body: Koa guesses one (a MIME lookup) for a string or Buffer body that has none.
  const typeName = spellingOf(headers, 'content-type')
  if (typeName !== undefined) setHeader(ctx, typeName, headers[typeName]!)
  out.body = typeof body === 'string' || Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength)
  // The rest after it, so the gateway's own headers win over Koa's (a HEAD answer's Content-Length).
  for (const name in headers) if (name !== typeName) setHeader(ctx, name, headers[name]!)
  // The gateway's response says exactly what to send: no type Koa would have guessed.
  if (typeName === undefined) out.remove('content-type')
}

/**
 * What Koa's `set` does for a header, without its per-call lists and callbacks: one `setHeader` for a single value
 * while the head is unsent. A list (Koa refuses several values for a one-value header) and a head already sent
 * (Koa ignores the call) go through Koa.
 */
function setHeader(ctx: KoaContextLike, name: string, value: string | string[]): void {
  if (typeof value === 'string' && !ctx.res.headersSent) ctx.res.setHeader(name, value)
  else ctx.response.set(name, value)
}
