/**
 * The request target (`req.url`) split into API Gateway's raw `path` and `query`, nothing decoded.
 */

/**
 * `path` and `query` exactly as on the wire: nothing decoded, nothing normalised. An absolute-form target
 * (`GET http://host/p HTTP/1.1`, as sent to proxies) loses its scheme and authority.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http'
 * import { createGateway } from '@gatehousejs/core'
 * import { headersFromRaw, splitTarget, writeResponse } from '@gatehousejs/core/node'
 * const gw = createGateway({
 *   api: { name: 'pets', resources: { '/pets/{id}': { GET: { integration: { type: 'AWS_PROXY', uri: 'getPet' } } } } },
 *   functions: { getPet: async () => ({ statusCode: 200, body: '{"id":1}' }) },
 * })
 * createServer(async (req, res) => {
 *   const { path, query } = splitTarget(req.url) // '/pets/1?x=%41' → { path: '/pets/1', query: 'x=%41' }
 *   writeResponse(res, await gw.handle({ method: req.method ?? 'GET', path, query, headers: headersFromRaw(req.rawHeaders) }))
 * }).listen(3000)
 * ```
 */
export function splitTarget(target: string | undefined): { path: string; query: string | undefined } {
  let url = target || '/'
  // Absolute-form request targets (`GET http://host/p HTTP/1.1`, sent to proxies) carry the authority.
  if (url.charCodeAt(0) !== 47 /* / */) {
    const scheme = url.indexOf('://')
    if (scheme !== -1) {
      const slash = url.indexOf('/', scheme + 3)
      const q = url.indexOf('?', scheme + 3)
      const start = slash === -1 ? q : q === -1 ? slash : Math.min(slash, q)
      url = start === -1 ? '/' : url[start] === '?' ? `/${url.slice(start)}` : url.slice(start)
    }
  }
  const q = url.indexOf('?')
  if (q === -1) return { path: url, query: undefined }
  return { path: q === 0 ? '/' : url.slice(0, q), query: url.slice(q + 1) }
}
