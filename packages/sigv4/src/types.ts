/**
 * Shapes shared by signing and verification. The request is the same plain data `@gatehousejs/core` speaks.
 */

/**
 * A request to sign or verify. `path` is exactly as on the wire (percent-encoded, no query), `query` the raw
 * query string without `?`. Header names should be lower-case (mixed case is accepted and lower-cased).
 *
 * @example
 * ```ts
 * import { signRequest, type SignableRequest } from '@gatehousejs/sigv4'
 * const request: SignableRequest = {
 *   method: 'POST',
 *   path: '/prod/pets',
 *   query: 'dryRun=true',
 *   headers: { host: 'abc.execute-api.us-east-1.amazonaws.com', 'content-type': 'application/json' },
 *   body: JSON.stringify({ name: 'Rex' }),
 * }
 * const signed = signRequest(request, { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }, {
 *   region: 'us-east-1',
 *   service: 'execute-api',
 * })
 * signed.headers.authorization // 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/…, SignedHeaders=content-type;host;x-amz-date, Signature=…'
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
 * import { signRequest, type Credentials } from '@gatehousejs/sigv4'
 * const credentials: Credentials = {
 *   accessKeyId: process.env.AWS_ACCESS_KEY_ID!,
 *   secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY!,
 *   sessionToken: process.env.AWS_SESSION_TOKEN, // set for temporary credentials (STS, SSO, a Lambda's role)
 * }
 * const signed = signRequest({ method: 'GET', path: '/prod/pets', headers: { host: 'abc.execute-api.us-east-1.amazonaws.com' } }, credentials, {
 *   region: 'us-east-1',
 *   service: 'execute-api',
 * })
 * signed.headers['x-amz-security-token'] // the session token, signed, when there is one
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
 * import { signRequest, verifyRequest } from '@gatehousejs/sigv4'
 * // S3 signs the path as sent: no dot-segment removal, no second encoding (the defaults for service 's3').
 * const signed = signRequest(
 *   { method: 'GET', path: '/my-bucket/photos/a%20b.jpg', headers: { host: 's3.us-east-1.amazonaws.com' } },
 *   { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
 *   { region: 'us-east-1', service: 's3' },
 * )
 * // A verifier for another service that accepts S3-style signatures says so explicitly.
 * const result = await verifyRequest(signed, {
 *   lookupSecret: () => 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
 *   service: 's3',
 *   normalizePath: false,
 *   doubleUriEncode: false,
 * })
 * result.ok // true
 * ```
 */
export interface PathOptions {
  /** Remove `.`/`..` segments and collapse repeated slashes (RFC 3986). Default: `service !== 's3'`. */
  normalizePath?: boolean
  /** Percent-encode the wire path again (so `%20` becomes `%2520`). Default: `service !== 's3'`. */
  doubleUriEncode?: boolean
}
