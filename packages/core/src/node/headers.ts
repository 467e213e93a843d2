/**
 * Request headers into core's header map: names lower-cased, repeated headers kept in order, and names that are
 * the client's data (`__proto__`, `constructor`) stored as own keys. Shared by every adapter that sees raw header
 * lines (node:http, and Hono on @hono/node-server).
 */
import { headerKey, setOwn } from '../http'
import type { HeaderMap } from '../types'

/**
 * Add one header line to a header map: the first value of a name is a string, a repeated name becomes an array
 * of its values in order. Names are the client's: `constructor` or `__proto__` become keys like any other (own
 * data properties of an ordinary object), never a lookup into or a change of `Object.prototype`. The name is
 * used as given (pass it lower-cased).
 *
 * @example
 * ```ts
 * import { Hono } from 'hono'
 * import { createGateway, type HeaderMap } from '@gatehousejs/core'
 * import { appendHeader } from '@gatehousejs/core/node'
 * const gw = createGateway({
 *   api: { name: 'pets', resources: { '/pets/{id}': { GET: { integration: { type: 'AWS_PROXY', uri: 'getPet' } } } } },
 *   functions: { getPet: async () => ({ statusCode: 200, body: '{"id":1}' }) },
 * })
 * const app = new Hono()
 * app.get('/pets/:id', async (c) => {
 *   const headers: HeaderMap = {}
 *   c.req.raw.headers.forEach((value, name) => appendHeader(headers, name, value))
 *   const out = await gw.handle({ method: 'GET', path: c.req.path, headers })
 *   return new Response(out.body, { status: out.statusCode })
 * })
 * ```
 */
export function appendHeader(headers: HeaderMap, name: string, value: string): void {
  const prev = headers[name]
  if (typeof prev === 'string') headers[name] = [prev, value]
  else if (Array.isArray(prev)) prev.push(value)
  else setOwn<string | string[]>(headers, name, value)
}

/**
 * Header names lower-cased; a repeated header (and every Set-Cookie/Cookie line) kept as an array, in order.
 * Names are the client's: `constructor` or `__proto__` become keys like any other (own data properties of an
 * ordinary object), never a lookup into or a change of `Object.prototype`. HTTP/2's `:authority` becomes `host`;
 * other pseudo-headers are dropped.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http'
 * import { createGateway } from '@gatehousejs/core'
 * import { headersFromRaw, splitTarget, writeResponse } from '@gatehousejs/core/node'
 * const gw = createGateway({
 *   api: { name: 'pets', resources: { '/pets/{id}': { GET: { integration: { type: 'AWS_PROXY', uri: 'getPet' } } } } },
 *   functions: { getPet: async (event: { headers: Record<string, string> }) => ({ statusCode: 200, body: event.headers.Accept ?? '' }) },
 * })
 * createServer(async (req, res) => {
 *   const headers = headersFromRaw(req.rawHeaders) // ['Accept', 'a', 'X-A', '1', 'x-a', '2'] → { accept: 'a', 'x-a': ['1', '2'] }
 *   writeResponse(res, await gw.handle({ method: req.method ?? 'GET', ...splitTarget(req.url), headers }))
 * }).listen(3000)
 * ```
 */
export function headersFromRaw(raw: readonly string[]): HeaderMap {
  const out: HeaderMap = {}
  for (let i = 0; i + 1 < raw.length; i += 2) {
    let name = headerKey(raw[i]!)
    if (name.charCodeAt(0) === 58 /* : */) {
      // HTTP/2 pseudo-headers (node:http2 compatibility API): only the authority means something to core.
      if (name !== ':authority' || typeof out.host === 'string' || Array.isArray(out.host)) continue
      name = 'host'
    }
    appendHeader(out, name, raw[i + 1]!)
  }
  return out
}
