/**
 * The whole node:http flow the node and express adapters share: convert, refuse an oversized body, run the
 * gateway, then write its answer or hand the request to the host app.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Passthrough } from '../index'
import type { GatewayRequest, GatewayResponse } from '../types'
import { TOO_LARGE, wasTruncated } from './body-limit'
import { isAbort } from './body-read'
import { reportError, writeInternalError } from './internal-error'
import type { NodeAdapterOptions } from './options'
import { toGatewayRequest } from './request'
import { addPassthroughHeaders, writeResponse } from './response'

/**
 * The whole node:http flow shared by the node and express adapters: convert, run the gateway, write its answer
 * or call `onPassthrough` (after putting the gateway's headers on `res`). A body over the limit (announced or
 * read) is refused with 413 before the gateway runs, and the connection closed, since its unread rest is still on
 * the socket. Errors answer 500 and go to `options.onError`; a client that went away is not reported.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http'
 * import { createGateway } from '@gatehousejs/core'
 * import { serveNode } from '@gatehousejs/core/node'
 * const gw = createGateway({
 *   api: {
 *     name: 'shop',
 *     resources: {
 *       '/pets/{id}': { GET: { integration: { type: 'AWS_PROXY', uri: 'getPet' } } },
 *       '/orders': { POST: { integration: { type: 'APP' } } },
 *     },
 *   },
 *   functions: { getPet: async () => ({ statusCode: 200, body: '{"id":1}' }) },
 * })
 * createServer((req, res) => {
 *   serveNode((r) => gw.dispatch(r), req, res, req.url, { trustProxy: 1 }, 1024 * 1024, (pass) => {
 *     res.end(JSON.stringify({ requestId: pass.requestContext.requestId })) // the app's own route
 *   })
 * }).listen(3000)
 * ```
 */
export function serveNode(
  run: (request: GatewayRequest) => Promise<GatewayResponse | Passthrough>,
  req: IncomingMessage,
  res: ServerResponse,
  url: string | undefined,
  options: NodeAdapterOptions,
  limit: number,
  /** The host app's turn; without one (the gateway answers every request) the body is not kept for anyone else. */
  onPassthrough?: (pass: Passthrough) => unknown,
): void {
  const fail = (error: unknown) => failed(res, options, error)
  // One promise per step and no promise returned from a callback (adopting one costs two more turns of the queue):
  // each callback catches what it throws itself.
  const answer = (result: GatewayResponse | Passthrough) => {
    try {
      respond(res, result, onPassthrough, fail)
    } catch (error) {
      fail(error)
    }
  }
  try {
    const converted = toGatewayRequest(req, url, options, limit, onPassthrough !== undefined)
    if (converted instanceof Promise) converted.then((request) => start(run, res, request, answer, fail), fail)
    else start(run, res, converted, answer, fail)
  } catch (error) {
    fail(error)
  }
}

/** Run the gateway on a converted request (or refuse its body as too large). */
function start(
  run: (request: GatewayRequest) => Promise<GatewayResponse | Passthrough>,
  res: ServerResponse,
  request: GatewayRequest,
  answer: (result: GatewayResponse | Passthrough) => void,
  fail: (error: unknown) => void,
): void {
  try {
    if (wasTruncated(request)) writeResponse(res, TOO_LARGE, true)
    else run(request).then(answer, fail)
  } catch (error) {
    fail(error)
  }
}

/** Write the gateway's answer, or put its headers on `res` and hand the request to the host app. */
function respond(
  res: ServerResponse,
  result: GatewayResponse | Passthrough,
  onPassthrough: ((pass: Passthrough) => unknown) | undefined,
  fail: (error: unknown) => void,
): void {
  if ((result as Passthrough).passthrough !== true) return writeResponse(res, result as GatewayResponse)
  if (onPassthrough === undefined) throw new Error('serveNode: the gateway passed a request through, and there is no onPassthrough')
  addPassthroughHeaders(res, (result as Passthrough).headers)
  const out = onPassthrough(result as Passthrough)
  // An async host app that rejects would otherwise be an unhandled rejection, which ends the process.
  if (out && typeof (out as Promise<unknown>).then === 'function') (out as Promise<unknown>).then(undefined, fail)
}

/** An unexpected failure: to the operator (a client that went away is not one), and 500 to the client. */
function failed(res: ServerResponse, options: NodeAdapterOptions, error: unknown): void {
  if (!isAbort(error)) (options.onError ?? reportError)(error)
  try {
    writeInternalError(res)
  } catch {
    res.destroy()
  }
}
