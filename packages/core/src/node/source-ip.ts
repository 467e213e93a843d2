/**
 * The request's source IP (`$context.identity.sourceIp`): the peer's address, or an `X-Forwarded-For` hop when
 * the adapter is told to trust the proxies in front of it.
 */
import type { IncomingMessage } from 'node:http'
import type { HeaderMap } from '../types'

/**
 * The client's address of a node:http request; X-Forwarded-For only when `trustProxy` says so.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http'
 * import { createGateway } from '@gatehousejs/core'
 * import { headersFromRaw, sourceIpOf, splitTarget, writeResponse } from '@gatehousejs/core/node'
 * const gw = createGateway({
 *   api: { name: 'pets', resources: { '/pets/{id}': { GET: { integration: { type: 'AWS_PROXY', uri: 'getPet' } } } } },
 *   functions: { getPet: async (event: any) => ({ statusCode: 200, body: event.requestContext.identity.sourceIp }) },
 * })
 * createServer(async (req, res) => {
 *   const headers = headersFromRaw(req.rawHeaders)
 *   const sourceIp = sourceIpOf(req, headers, 1) // behind one load balancer
 *   writeResponse(res, await gw.handle({ method: req.method ?? 'GET', ...splitTarget(req.url), headers, sourceIp }))
 * }).listen(3000)
 * ```
 */
export function sourceIpOf(req: IncomingMessage, headers: HeaderMap, trustProxy: boolean | number | undefined): string | undefined {
  return clientAddress(req.socket?.remoteAddress, headers, trustProxy)
}

/**
 * The client's address from the peer's: with `trustProxy`, X-Forwarded-For's left-most entry (`true`) or the one
 * `n` hops from the right. IPv4 clients of a dual-stack socket (`::ffff:a.b.c.d`) are reported as plain IPv4, as
 * API Gateway reports them. For adapters whose peer address does not come from a node:http socket.
 *
 * @example
 * ```ts
 * import { Hono } from 'hono'
 * import { getConnInfo } from 'hono/bun'
 * import { createGateway } from '@gatehousejs/core'
 * import { clientAddress } from '@gatehousejs/core/node'
 * const gw = createGateway({
 *   api: { name: 'pets', resources: { '/pets/{id}': { GET: { integration: { type: 'AWS_PROXY', uri: 'getPet' } } } } },
 *   functions: { getPet: async () => ({ statusCode: 200, body: '{"id":1}' }) },
 * })
 * const app = new Hono()
 * app.get('/pets/:id', async (c) => {
 *   const headers = { 'x-forwarded-for': c.req.header('x-forwarded-for') ?? '' }
 *   const sourceIp = clientAddress(getConnInfo(c).remote.address, headers, 1)
 *   const out = await gw.handle({ method: 'GET', path: c.req.path, headers, sourceIp })
 *   return new Response(out.body, { status: out.statusCode })
 * })
 * ```
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
  if (ip?.startsWith('::ffff:') && ip.indexOf('.') !== -1) ip = ip.slice(7)
  return ip
}
