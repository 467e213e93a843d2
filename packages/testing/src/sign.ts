/**
 * Signing a test request with AWS Signature Version 4 (Authorization header or presigned query string), for
 * `AWS_IAM` routes, and the `x-api-key` header for routes that require an API key.
 * SigV4: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
 * API keys: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-key-source.html
 */
import type { ApiKeyDefinition } from '@gatehousejs/core'
import { type Credentials, signRequest as sigv4Sign } from '@gatehousejs/sigv4'
import { type TestInvokeRequest, toGatewayRequest } from './invoke'

/** Options of {@link signRequest}. */
export interface SignTestRequestOptions {
  /** The caller's access key (and session token, for temporary credentials). */
  credentials: Credentials
  /** Default `us-east-1` (the gateway's default `region`). */
  region?: string
  /** Default `execute-api`. */
  service?: string
  /**
   * Signing time (a `Date` or epoch ms). Default: now. With a fake clock, pass `clock.now()`: the gateway refuses
   * signatures more than 5 minutes from its own time.
   */
  date?: Date | number
  /** Sign into the query string (a presigned URL) valid `expiresIn` seconds (default 3600, at most 604800). */
  presign?: { expiresIn?: number }
  /** Exactly which headers to sign (`host` always is). Default: every signable header present. */
  signedHeaders?: string[]
}

/** The host a request without one is signed for (any host works: the gateway verifies what it receives). */
export const DEFAULT_SIGNED_HOST = 'gatehouse.test'

/**
 * Sign a `testInvoke` request for an `AWS_IAM` route: returns a copy with `x-amz-date`, `authorization` (and
 * `x-amz-security-token` with a session token) headers, or with `presign`, the `X-Amz-*` parameters in its
 * query. A body that is not a string or bytes is sent as JSON and signed as such; a request without a `host`
 * header gets one.
 *
 * @example
 * ```ts
 * const clock = createFakeClock()
 * const gw = createGateway({ api, now: clock.now, principals: { AKIDTEST: { secretAccessKey: 'secret' } } })
 * const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' }
 * const signed = signRequest({ method: 'GET', path: '/pets' }, { credentials, date: clock.now() })
 * await testInvoke(gw, signed) // 200
 * const url = signRequest({ method: 'GET', path: '/pets' }, { credentials, date: clock.now(), presign: { expiresIn: 60 } })
 * url.query // 'X-Amz-Algorithm=AWS4-HMAC-SHA256&…&X-Amz-Signature=…'
 * ```
 */
export function signRequest(request: TestInvokeRequest, options: SignTestRequestOptions): TestInvokeRequest {
  const plain = toGatewayRequest(request)
  // A query left in the path is signed as the query (the gateway reads it so).
  const q = plain.query === undefined ? plain.path.indexOf('?') : -1
  if (q >= 0) {
    plain.query = plain.path.slice(q + 1)
    plain.path = plain.path.slice(0, q)
  }
  const headers = { ...plain.headers }
  if (headers.host === undefined) headers.host = DEFAULT_SIGNED_HOST
  const signed = sigv4Sign({ ...plain, headers }, options.credentials, {
    region: options.region ?? 'us-east-1',
    service: options.service ?? 'execute-api',
    ...(options.date !== undefined ? { date: options.date } : {}),
    ...(options.signedHeaders !== undefined ? { signedHeaders: options.signedHeaders } : {}),
    ...(options.presign !== undefined
      ? { presign: true, ...(options.presign.expiresIn !== undefined ? { expiresIn: options.presign.expiresIn } : {}) }
      : {}),
  })
  return {
    method: signed.method,
    path: signed.path,
    headers: signed.headers,
    ...(signed.query !== '' ? { query: signed.query } : {}),
    ...(signed.body !== undefined ? { body: signed.body } : {}),
    ...(plain.sourceIp !== undefined ? { sourceIp: plain.sourceIp } : {}),
  }
}

/**
 * The `x-api-key` header for an API key (its value, or an API key definition with one): spread it into
 * `testInvoke`'s headers or pass it to `request(gw).get(path).set(…)`.
 *
 * @example
 * ```ts
 * const key = { id: 'alice', value: 'alice-key-0123456789abcdef' }
 * const gw = createGateway({ api, apiKeys: [key], usagePlans: [{ id: 'gold', apiStages: [{ stage: 'prod' }], keys: ['alice'] }] })
 * await testInvoke(gw, { method: 'GET', path: '/pets', headers: withApiKey(key) }) // 200
 * await request(gw).get('/pets').set(withApiKey('not-a-key')).expect(403)
 * ```
 */
export function withApiKey(key: string | ApiKeyDefinition): { 'x-api-key': string } {
  const value = typeof key === 'string' ? key : key?.value
  if (typeof value !== 'string') throw new TypeError('withApiKey: expected a key value or an API key with a `value`')
  return { 'x-api-key': value }
}
