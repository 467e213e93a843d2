/**
 * Shapes shared by signing and verification. The request is the same plain data `@gatehousejs/core` speaks.
 */

/**
 * A request to sign or verify. `path` is exactly as on the wire (percent-encoded, no query), `query` the raw
 * query string without `?`. Header names should be lower-case (mixed case is accepted and lower-cased).
 *
 * @example
 * ```ts
 * const req: SignableRequest = { method: 'GET', path: '/prod/pets', query: 'limit=2', headers: { host: 'api.example.com' } }
 * ```
 */
export interface SignableRequest {
  method: string
  path: string
  query?: string
  headers: Record<string, string | string[]>
  body?: string | Uint8Array
}

/**
 * AWS credentials. A `sessionToken` marks temporary credentials (STS); the request must then carry it.
 *
 * @example
 * ```ts
 * const creds: Credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }
 * ```
 */
export interface Credentials {
  accessKeyId: string
  secretAccessKey: string
  sessionToken?: string
}

/**
 * How the canonical URI is formed. AWS uses `normalizePath: true, doubleUriEncode: true` for every service
 * except S3, and both `false` for S3 (the defaults follow the service name).
 *
 * @example
 * ```ts
 * const s3Style: PathOptions = { normalizePath: false, doubleUriEncode: false }
 * ```
 */
export interface PathOptions {
  /** Remove `.`/`..` segments and collapse repeated slashes (RFC 3986). Default: `service !== 's3'`. */
  normalizePath?: boolean
  /** Percent-encode the wire path again (so `%20` becomes `%2520`). Default: `service !== 's3'`. */
  doubleUriEncode?: boolean
}
