/**
 * `gateway`, the Fastify 4 and 5 plugin: an `onRequest` hook that runs the gateway before Fastify parses the body,
 * answers the gateway's routes through `reply.send` (so the app's `onSend` and `onResponse` hooks see them), and
 * lets a passed-through request continue to Fastify's own routes and not-found handler.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { Readable } from 'node:stream'
import {
  isPassthrough,
  toGateway,
  type GatewayLike,
  type ErrorReporter,
  type GatewayErrorInfo,
  type GatewayInput,
  type GatewayRequest,
  type GatewayResponse,
  type Passthrough,
} from '@gatehousejs/core'
import {
  bodyLimitOf,
  INTERNAL_ERROR_BODY,
  isAbort,
  reportError,
  TOO_LARGE,
  toGatewayRequest,
  wasTruncated,
  type NodeAdapterOptions,
} from '@gatehousejs/core/node'
// The declaration merging below needs the module in scope; nothing of it is used at run time.
import type {} from 'fastify'

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * API Gateway's `requestContext` (authorizer, identity, stage, requestId…) on a request the gateway passed
     * through to the app's routes; `null` on the others.
     */
    apiGateway?: Record<string, unknown> | null
  }
}

/**
 * What the adapter itself reads, besides the API: the source IP policy and the body limit.
 *
 * @example
 * ```ts
 * import Fastify from 'fastify'
 * import { gateway, type FastifyAdapterOptions } from '@gatehousejs/fastify'
 * const api = { name: 'pets', resources: { '/pets/{id}': { GET: { integration: { type: 'AWS_PROXY', uri: 'getPet' } } } } }
 * const getPet = async () => ({ statusCode: 200, body: '{"id":1}' })
 * // Behind one load balancer; uploads up to 1 MB.
 * const adapter: FastifyAdapterOptions = { trustProxy: 1, bodyLimit: 1024 * 1024 }
 * const app = Fastify()
 * app.register(gateway, { api, functions: { getPet }, ...adapter })
 * await app.listen({ port: 3000 })
 * ```
 */
export type FastifyAdapterOptions = Pick<NodeAdapterOptions, 'trustProxy' | 'bodyLimit'>

/**
 * The options of `app.register(gateway, options)`: a gateway definition (compiled once, at registration) with the
 * adapter's options beside it; or a built `Gateway`; or `{ gateway }` (a definition or a built one) with the
 * adapter's options and an `onError` for the adapter's own failures.
 *
 * With a definition, its `onError` also gets the adapter's failures (with `info.stage` `'internal'`).
 *
 * @example
 * ```ts
 * import Fastify from 'fastify'
 * import { createGateway } from '@gatehousejs/core'
 * import { gateway, type FastifyGatewayOptions } from '@gatehousejs/fastify'
 * const api = { name: 'pets', resources: { '/pets/{id}': { GET: { integration: { type: 'AWS_PROXY', uri: 'getPet' } } } } }
 * const getPet = async () => ({ statusCode: 200, body: '{"id":1}' })
 * const built = createGateway({ api, functions: { getPet }, maxBodyBytes: 1024 * 1024 })
 * // A built gateway does not tell the adapter its maxBodyBytes: pass bodyLimit.
 * const options: FastifyGatewayOptions = { gateway: built, bodyLimit: 1024 * 1024, onError: (e) => console.error(e) }
 * const app = Fastify()
 * app.register(gateway, options)
 * await app.listen({ port: 3000 })
 * ```
 */
export type FastifyGatewayOptions =
  | (GatewayInput & FastifyAdapterOptions)
  | GatewayLike
  | (FastifyAdapterOptions & {
      /** The API: a definition (compiled at registration) or a built `Gateway`. */
      gateway: GatewayInput | GatewayLike
      /**
       * Called with an error inside the adapter (the client gets a plain 500), with `info.stage` `'internal'`; a
       * built gateway reports its own failures to the `onError` it was built with. Default: `console.error`.
       */
      onError?: ErrorReporter
    })

/** Passed to a definition's `onError` for a failure of the adapter (outside the gateway's own stages). */
const ADAPTER_FAILURE: GatewayErrorInfo = { requestId: null, routeKey: null, stage: 'internal', responseType: null }

// The rest of a refused body is still on the socket: the connection cannot be reused.
const TOO_LARGE_CLOSE: GatewayResponse = { ...TOO_LARGE, headers: { ...TOO_LARGE.headers, connection: 'close' } }
const INTERNAL_ERROR = Buffer.from(INTERNAL_ERROR_BODY)

/**
 * What the plugin uses of a Fastify instance, the same in Fastify 4 and 5, written out so the plugin's type does
 * not name one major version's `FastifyInstance` (a Fastify 4 app passes it to `register` as well).
 *
 * @example
 * ```ts
 * import Fastify from 'fastify'
 * import type { FastifyGatewayInstance } from '@gatehousejs/fastify'
 * const app: FastifyGatewayInstance = Fastify()
 * app.hasRequestDecorator('apiGateway') // false until the plugin is registered
 * ```
 */
export interface FastifyGatewayInstance {
  addHook(name: 'onRequest', hook: (request: RequestLike, reply: ReplyLike, done: (error?: Error) => void) => void): unknown
  decorateRequest(name: 'apiGateway', value: null): unknown
  hasRequestDecorator(name: string): boolean
}

/** The parts of Fastify's request the hook uses (structural: Fastify 4's and 5's request both fit). */
interface RequestLike {
  raw: IncomingMessage
  apiGateway?: Record<string, unknown> | null
}

/** The parts of Fastify's reply the hook uses. */
interface ReplyLike {
  readonly raw: ServerResponse
  readonly sent: boolean
  code(statusCode: number): unknown
  header(name: string, value: string | string[] | undefined): unknown
  getHeaders(): Record<string, unknown>
  removeHeader(name: string): unknown
  send(payload: Buffer | Readable): unknown
}

/**
 * The plugin's type: a callback plugin of Fastify's (`FastifyPluginCallback`) over the few instance methods it uses.
 *
 * @example
 * ```ts
 * import Fastify from 'fastify'
 * import { gateway, type FastifyGatewayPlugin } from '@gatehousejs/fastify'
 * const plugin: FastifyGatewayPlugin = gateway
 * const app = Fastify()
 * app.register(plugin, { api: { name: 'pets', resources: {} } })
 * ```
 */
export type FastifyGatewayPlugin = (instance: FastifyGatewayInstance, options: FastifyGatewayOptions, done: (error?: Error) => void) => void

/**
 * The API Gateway definition served by a Fastify app, as a plugin: `app.register(gateway, options)`. It hooks the
 * instance it is registered on (it is not encapsulated, like a `fastify-plugin` plugin): every request, routed by
 * Fastify or not, first runs the gateway. The gateway answers its own routes (through `reply.send`, so the app's
 * `onSend` and `onResponse` hooks see the answer); a request it passes through (a route with an `APP`
 * integration, after its authorizers, API keys, throttling and validation; or an unmatched request with
 * `unmatched: 'passthrough'`) continues to the app's Fastify routes, or Fastify's not-found handler, with
 * `request.apiGateway` set to API Gateway's `requestContext` and the gateway's headers already on the reply. The
 * gateway reads the raw body before Fastify's content-type parsers, which then read the same bytes.
 *
 * @example
 * ```ts
 * import Fastify from 'fastify'
 * import { gateway } from '@gatehousejs/fastify'
 * const api = {
 *   name: 'shop',
 *   resources: {
 *     '/pets/{id}': { GET: { integration: { type: 'AWS_PROXY', uri: 'getPet' } } },
 *     '/orders': { POST: { integration: { type: 'APP' } } },
 *   },
 * }
 * const getPet = async () => ({ statusCode: 200, body: '{"id":1}' })
 * const app = Fastify()
 * app.register(gateway, { api, stage: 'prod', functions: { getPet } })
 * app.post('/orders', async (request, reply) => reply.code(201).send({ caller: request.apiGateway?.identity, order: request.body }))
 * await app.listen({ port: 3000 })
 * ```
 */
export const gateway: FastifyGatewayPlugin = Object.assign(
  function gatehouse(instance: FastifyGatewayInstance, options: FastifyGatewayOptions, done: (error?: Error) => void): void {
    let hook: ReturnType<typeof createHook>
    try {
      hook = createHook(options)
    } catch (error) {
      done(error as Error)
      return
    }
    // Declared once, so every request has the property (Fastify keeps request objects one shape).
    if (!instance.hasRequestDecorator('apiGateway')) instance.decorateRequest('apiGateway', null)
    instance.addHook('onRequest', hook)
    done()
  },
  {
    // What fastify-plugin sets: the hook goes on the instance the plugin is registered on, not a child context.
    [Symbol.for('skip-override')]: true,
    [Symbol.for('fastify.display-name')]: '@gatehousejs/fastify',
    [Symbol.for('plugin-meta')]: { name: '@gatehousejs/fastify', fastify: '>=4' },
  },
)

/** The options split into the gateway, the adapter's options, and who hears of the adapter's failures. */
function createHook(options: FastifyGatewayOptions) {
  if (options === null || typeof options !== 'object') throw new TypeError('@gatehousejs/fastify: pass the API definition or a Gateway')
  if ((options as { prefix?: unknown }).prefix !== undefined) {
    // Fastify ignores `prefix` for a plugin that is not encapsulated; silently serving another path would be worse.
    throw new TypeError('@gatehousejs/fastify: `prefix` is not supported; build the gateway with `basePath` instead')
  }
  let source: GatewayInput | GatewayLike
  let adapter: FastifyAdapterOptions
  let report: (error: unknown) => void
  if ('gateway' in options) {
    source = options.gateway
    adapter = options
    const onError = options.onError
    report = onError ? (error) => onError(error, ADAPTER_FAILURE) : reportError
  } else {
    source = options
    adapter = options as FastifyAdapterOptions
    const onError = typeof (options as GatewayLike).dispatch === 'function' ? undefined : (options as GatewayInput).onError
    report = onError ? (error) => onError(error, ADAPTER_FAILURE) : reportError
  }
  const gw = toGateway(source)
  const limit = bodyLimitOf(source, adapter)
  const nodeOptions: NodeAdapterOptions = { trustProxy: adapter.trustProxy }
  return createOnRequest(gw, nodeOptions, limit, report)
}

function createOnRequest(gw: GatewayLike, options: NodeAdapterOptions, limit: number, report: (error: unknown) => void) {
  return function gatehouseOnRequest(request: RequestLike, reply: ReplyLike, done: (error?: Error) => void): void {
    const fail = (error: unknown) => {
      // A client that left mid-body: nobody to answer, nothing to report.
      if (isAbort(error)) return
      try {
        report(error)
      } catch {
        // The operator's callback failed too: the client still gets its 500.
      }
      answerInternalError(reply)
    }
    // Each callback catches what it throws itself: `.then(f, fail)` is one promise a step, where
    // `.then(f).catch(fail)` is two (and a turn of the queue more).
    const respond = (result: GatewayResponse | Passthrough) => {
      try {
        if (!isPassthrough(result)) return answer(reply, result, false)
        request.apiGateway = result.requestContext
        const headers = result.headers
        for (const name in headers) reply.header(name, headers[name])
        // On to Fastify's content-type parser, the app's route (or its not-found handler), hooks and error handler.
        done()
      } catch (error) {
        fail(error)
      }
    }
    const run = (converted: GatewayRequest) => {
      try {
        // Announced or read past the limit: refused before the gateway runs.
        if (wasTruncated(converted)) return answer(reply, TOO_LARGE_CLOSE, true)
        gw.dispatch(converted).then(respond, fail)
      } catch (error) {
        fail(error)
      }
    }
    try {
      const converted = toGatewayRequest(request.raw, request.raw.url, options, limit)
      if (converted instanceof Promise) converted.then(run, fail)
      else run(converted)
    } catch (error) {
      fail(error)
    }
  }
}

/**
 * The gateway's answer through `reply.send`, as bytes: Fastify adds a charset to a JSON string's Content-Type and
 * guesses one for a string or a Buffer without one; the gateway's answer says exactly what to send.
 */
function answer(reply: ReplyLike, response: GatewayResponse, close: boolean): void {
  const { statusCode, headers, body } = response
  reply.code(statusCode)
  let typed = false
  for (const name in headers) {
    if (!typed && name.length === 12 && name.toLowerCase() === 'content-type') typed = true
    reply.header(name, headers[name])
  }
  if (close) reply.raw.shouldKeepAlive = false
  const bytes =
    typeof body === 'string' ? Buffer.from(body) : Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength)
  if (typed) {
    reply.send(bytes)
    return
  }
  // Fastify sets no Content-Type for a stream (and would for bytes): the rare answer without one goes as a stream
  // of one chunk, with its length.
  if (statusCode >= 200 && statusCode !== 204 && statusCode !== 304) reply.header('content-length', String(bytes.length))
  reply.send(Readable.from([bytes], { objectMode: false }))
}

/** API Gateway's bare 500, without the headers a passthrough may have set; a reply already sent is cut off. */
function answerInternalError(reply: ReplyLike): void {
  if (reply.sent || reply.raw.headersSent) {
    reply.raw.destroy()
    return
  }
  for (const name of Object.keys(reply.getHeaders())) reply.removeHeader(name)
  reply.code(500)
  reply.header('content-type', 'application/json')
  reply.send(INTERNAL_ERROR)
}
