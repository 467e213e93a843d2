/**
 * The request and response shapes core speaks. Adapters convert to and from their framework at the edge.
 */

/** Header map: names lower-case; a repeated header keeps every value in order. */
export type HeaderMap = Record<string, string | string[]>

/** Details of a verified TLS client certificate (mutual TLS), as API Gateway exposes them. */
export interface ClientCert {
  clientCertPem: string
  subjectDN: string
  issuerDN: string
  serialNumber: string
  validity: { notBefore: string; notAfter: string }
}

/**
 * One HTTP request, as plain data.
 *
 * @example
 * ```ts
 * const res = await gw.handle({ method: 'GET', path: '/prod/pets/1', query: 'a=1&a=2', headers: { host: 'example.com' } })
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

/** One HTTP response, as plain data. */
export interface GatewayResponse {
  statusCode: number
  /** Header names as they should be sent; arrays send one header line per value (Set-Cookie). */
  headers: HeaderMap
  body: string | Uint8Array
}
