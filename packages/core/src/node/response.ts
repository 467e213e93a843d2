/**
 * Core's answer onto a node:http `ServerResponse`: the gateway's own response, or its headers on the host app's
 * response when the request passes through.
 */
import type { OutgoingHttpHeader, ServerResponse } from 'node:http'
import type { GatewayResponse, HeaderMap } from '../types'

/**
 * Write core's response. Arrays become one header line per value; `Content-Length` is added when the response
 * has none. `closeConnection` ends the connection after it (a body left unread on the socket).
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http'
 * import { createGateway } from '@gatehousejs/core'
 * import { toGatewayRequest, writeResponse } from '@gatehousejs/core/node'
 * const gw = createGateway({
 *   api: { name: 'pets', resources: { '/pets/{id}': { GET: { integration: { type: 'AWS_PROXY', uri: 'getPet' } } } } },
 *   functions: { getPet: async () => ({ statusCode: 200, body: '{"id":1}' }) },
 * })
 * createServer(async (req, res) => writeResponse(res, await gw.handle(await toGatewayRequest(req, req.url, {}, 1024 * 1024)))).listen(3000)
 * ```
 */
export function writeResponse(res: ServerResponse, response: GatewayResponse, closeConnection = false): void {
  // Before writeHead: that is where Node decides on `Connection: close`.
  if (closeConnection) res.shouldKeepAlive = false
  const { statusCode, headers, body } = response
  // writeHead fixes the head at once: without a length Node would fall back to chunked encoding, which costs
  // extra writes (and Nagle delays) for every small answer. The length goes into what writeHead gets, not through
  // setHeader: a header set before writeHead sends Node down its slow path (setHeader for every name). Node takes a
  // flat [name, value, …] list as well as an object: pushing onto a list costs less than a new object's keyed stores.
  if (statusCode !== 204 && statusCode !== 304 && (statusCode < 100 || statusCode >= 200)) {
    // One walk over the names: copy them, and stop at a length the response sets itself (in any spelling).
    const head: OutgoingHttpHeader[] = ['content-length', 0]
    let sized = false
    for (const name in headers) {
      if (!Object.hasOwn(headers, name)) continue
      if (name.length === 14 && name.toLowerCase() === 'content-length') {
        sized = true
        break
      }
      head.push(name, headers[name]!)
    }
    if (!sized) {
      head[1] = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength
      res.writeHead(statusCode, head)
      return void res.end(body)
    }
  }
  res.writeHead(statusCode, headers)
  res.end(body)
}

/**
 * Add the gateway's headers (CORS, x-amzn-RequestId, …) to a response the host app is about to write, when the
 * gateway passes a request through to it.
 *
 * @example
 * ```ts
 * import express from 'express'
 * import { createGateway, isPassthrough } from '@gatehousejs/core'
 * import { addPassthroughHeaders, toGatewayRequest, writeResponse } from '@gatehousejs/core/node'
 * const gw = createGateway({
 *   api: { name: 'shop', resources: { '/orders': { POST: { integration: { type: 'APP' } } } } },
 * })
 * const app = express()
 * app.use(async (req, res, next) => {
 *   const out = await gw.dispatch(await toGatewayRequest(req, req.url, {}, 1024 * 1024))
 *   if (!isPassthrough(out)) return writeResponse(res, out)
 *   addPassthroughHeaders(res, out.headers) // x-amzn-RequestId on the app's answer
 *   next()
 * })
 * app.post('/orders', (req, res) => res.status(201).end())
 * app.listen(3000)
 * ```
 */
export function addPassthroughHeaders(res: ServerResponse, headers: HeaderMap): void {
  for (const name in headers) res.setHeader(name, headers[name]!)
}
