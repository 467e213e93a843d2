/**
 * The request and response shapes core speaks. Adapters convert to and from their framework at the edge.
 */

/**
 * Header map: names lower-case; a repeated header keeps every value in order.
 *
 * @example
 * ```ts
 * import type { HeaderMap } from '@gatehousejs/core'
 * // Node's `req.headersDistinct` has this shape already.
 * const headers: HeaderMap = { host: 'api.example.com', accept: 'application/json', cookie: ['a=1', 'b=2'] }
 * ```
 */
export type HeaderMap = Record<string, string | string[]>

/**
 * Details of a verified TLS client certificate (mutual TLS), as API Gateway exposes them
 * (`requestContext.identity.clientCert` in the Lambda event).
 *
 * @example
 * ```ts
 * import { createGateway, type ClientCert } from '@gatehousejs/core'
 * const gw = createGateway({
 *   api: { resources: { '/me': { GET: { integration: { type: 'AWS_PROXY', uri: 'whoami' } } } } },
 *   functions: { whoami: async (event) => ({ statusCode: 200, body: event.requestContext.identity.clientCert.subjectDN }) },
 * })
 * // What a TLS server's `socket.getPeerCertificate()` tells, after it verified the client.
 * const clientCert: ClientCert = {
 *   clientCertPem: '-----BEGIN CERTIFICATE-----\nMIIB…\n-----END CERTIFICATE-----',
 *   subjectDN: 'CN=client.example.com',
 *   issuerDN: 'CN=Example CA',
 *   serialNumber: '1A:2B:3C',
 *   validity: { notBefore: 'May 28 12:30:02 2024 GMT', notAfter: 'Aug  5 09:36:04 2026 GMT' },
 * }
 * ;(await gw.handle({ method: 'GET', path: '/me', headers: {}, clientCert })).body // 'CN=client.example.com'
 * ```
 */
export interface ClientCert {
  clientCertPem: string
  subjectDN: string
  issuerDN: string
  serialNumber: string
  validity: { notBefore: string; notAfter: string }
}

/**
 * One HTTP request, as plain data. `handle`/`dispatch` normalise what is unambiguous (method case, a query left in
 * `path` when `query` is absent, missing `headers`, header-name case) and reject anything else that is not a
 * request with a `TypeError` naming the field (the caller's bug: not a 500, not `onError`).
 *
 * @example
 * ```ts
 * import { createGateway, type GatewayRequest } from '@gatehousejs/core'
 * const gw = createGateway({
 *   api: { resources: { '/pets/{id}': { GET: { integration: { type: 'AWS_PROXY', uri: 'getPet' } } } } },
 *   functions: { getPet: async (event) => ({ statusCode: 200, body: JSON.stringify(event.multiValueQueryStringParameters) }) },
 * })
 * const request: GatewayRequest = { method: 'GET', path: '/pets/1', query: 'tag=a&tag=b', headers: { host: 'example.com' }, sourceIp: '192.0.2.7' }
 * ;(await gw.handle(request)).body // '{"tag":["a","b"]}'
 * ```
 */
export interface GatewayRequest {
  /** Upper-case HTTP method. */
  method: string
  /** The path exactly as on the wire: still percent-encoded, without the query. */
  path: string
  /** The raw query string without `?` (empty or absent when there is none). */
  query?: string
  /** Header names lower-case; repeated headers as arrays. */
  headers: HeaderMap
  body?: string | Uint8Array
  /** The client's address (API Gateway's `$context.identity.sourceIp`). */
  sourceIp?: string
  /** A client certificate the server verified (mutual TLS). */
  clientCert?: ClientCert
}

/**
 * One HTTP response, as plain data.
 *
 * @example
 * ```ts
 * import { createGateway, type GatewayResponse } from '@gatehousejs/core'
 * const gw = createGateway({ api: { resources: { '/pets': { GET: { integration: { type: 'AWS_PROXY', uri: 'listPets' } } } } } , functions: { listPets: async () => ({ statusCode: 200, body: '[]' }) } })
 * const res: GatewayResponse = await gw.handle({ method: 'GET', path: '/cats', headers: {} })
 * res.statusCode // 403
 * res.headers['x-amzn-ErrorType'] // 'MissingAuthenticationTokenException'
 * res.body // '{"message":"Missing Authentication Token"}'
 * ```
 */
export interface GatewayResponse {
  statusCode: number
  /** Header names as they should be sent; arrays send one header line per value (Set-Cookie). */
  headers: HeaderMap
  body: string | Uint8Array
}
