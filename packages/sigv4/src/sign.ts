/**
 * Signing: the Authorization header or a presigned query string.
 */
import { canonicalHeaders, canonicalPath, canonicalQuery, canonicalRequest, firstValue, lowerCaseHeaders, parseQuery } from './canonical'
import { ALGORITHM, amzDate, sha256Hex, signatureHex, signingKey, stringToSign } from './crypto'
import { uriEncode } from './encoding'
import { SigV4Error } from './errors'
import type { Credentials, PathOptions, SignableRequest } from './types'

/**
 * Longest validity of a presigned request AWS accepts: 7 days, in seconds.
 *
 * @example
 * ```ts
 * import { MAX_PRESIGN_EXPIRES, signRequest } from '@gatehousejs/sigv4'
 * const presigned = signRequest(
 *   { method: 'GET', path: '/prod/report', headers: { host: 'abc.execute-api.us-east-1.amazonaws.com' } },
 *   { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
 *   { region: 'us-east-1', service: 'execute-api', presign: true, expiresIn: MAX_PRESIGN_EXPIRES }, // a week
 * )
 * presigned.query // 'X-Amz-Algorithm=AWS4-HMAC-SHA256&…&X-Amz-Expires=604800&…&X-Amz-Signature=…'
 * ```
 */
export const MAX_PRESIGN_EXPIRES = 604_800

/**
 * Options of {@link signRequest}.
 *
 * @example
 * ```ts
 * import { signRequest } from '@gatehousejs/sigv4'
 * const presigned = signRequest(
 *   { method: 'GET', path: '/prod/pets', headers: { host: 'abc.execute-api.eu-west-1.amazonaws.com' } },
 *   { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
 *   { region: 'eu-west-1', service: 'execute-api', presign: true, expiresIn: 300 },
 * )
 * const url = `https://abc.execute-api.eu-west-1.amazonaws.com/prod/pets?${presigned.query}` // valid for 5 minutes
 * ```
 */
export interface SignOptions extends PathOptions {
  region: string
  service: string
  /** Signing time (a `Date` or epoch ms); default now. */
  date?: Date | number
  /** Sign into the query string (a presigned URL) instead of the Authorization header. */
  presign?: boolean
  /** Presigned validity in seconds, 1…604800; default 3600. */
  expiresIn?: number
  /** Exactly which headers to sign (lower-cased; `host` is always added). Default: every signable header present. */
  signedHeaders?: string[]
  /** Use `UNSIGNED-PAYLOAD` as the payload hash (and send it as `x-amz-content-sha256` in header mode). */
  unsignedPayload?: boolean
  /** Header mode: send and sign `x-amz-content-sha256` with the body's hash. */
  signBody?: boolean
  /**
   * Sign the session token (default `true`). With `false` the token is added after signing, unsigned, as some
   * SDKs (IoT, aws-c-auth's `omit_session_token`) do.
   */
  signSessionToken?: boolean
}

/**
 * A signed request with the intermediate strings, for diagnostics and tests.
 *
 * @example
 * ```ts
 * import { signRequestDetailed } from '@gatehousejs/sigv4'
 * const { request, canonicalRequest, stringToSign, signature } = signRequestDetailed(
 *   { method: 'POST', path: '/prod/pets', headers: { host: 'abc.execute-api.us-east-1.amazonaws.com' }, body: '{"name":"Rex"}' },
 *   { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
 *   { region: 'us-east-1', service: 'execute-api', date: Date.UTC(2024, 4, 22, 12) },
 * )
 * // Set beside the canonical request AWS quotes in a SignatureDoesNotMatch message, to see what differs.
 * console.log(canonicalRequest, stringToSign, signature, request.headers.authorization)
 * ```
 */
export interface SigningResult {
  request: SignableRequest & { query: string }
  canonicalRequest: string
  stringToSign: string
  signature: string
}

// Headers that proxies change or that never identify the request; AWS SDKs leave them unsigned.
const UNSIGNABLE = new Set([
  'authorization',
  'connection',
  'expect',
  'from',
  'keep-alive',
  'max-forwards',
  'pragma',
  'referer',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'user-agent',
  'x-amzn-trace-id',
])

/** The path options a service implies (S3 is the one service without normalisation and double encoding). */
export function pathOptionsFor(service: string | undefined, given: PathOptions): Required<PathOptions> {
  const notS3 = service !== 's3'
  return { normalizePath: given.normalizePath ?? notS3, doubleUriEncode: given.doubleUriEncode ?? notS3 }
}

function bodyHash(body: string | Uint8Array | undefined): string {
  return sha256Hex(body === undefined ? '' : body)
}

/**
 * Signs a request with SigV4 and returns the signed copy with the canonical request, string to sign and
 * signature. Throws {@link SigV4Error} for bad credentials or options, or a request without a `host` header.
 *
 * @example
 * ```ts
 * import { signRequestDetailed } from '@gatehousejs/sigv4'
 * const { request, canonicalRequest } = signRequestDetailed(
 *   { method: 'GET', path: '/prod/pets', headers: { host: 'abc.execute-api.us-east-1.amazonaws.com' } },
 *   { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
 *   { region: 'us-east-1', service: 'execute-api' },
 * )
 * canonicalRequest // 'GET\n/prod/pets\n\nhost:abc.execute-api.us-east-1.amazonaws.com\nx-amz-date:…\n\nhost;x-amz-date\ne3b0c442…'
 * ```
 */
export function signRequestDetailed(request: SignableRequest, credentials: Credentials, options: SignOptions): SigningResult {
  if (
    !credentials ||
    typeof credentials.accessKeyId !== 'string' ||
    credentials.accessKeyId === '' ||
    typeof credentials.secretAccessKey !== 'string'
  ) {
    throw new SigV4Error('INVALID_CREDENTIALS', 'credentials need a non-empty accessKeyId and a secretAccessKey')
  }
  if (
    !options ||
    typeof options.region !== 'string' ||
    options.region === '' ||
    typeof options.service !== 'string' ||
    options.service === ''
  ) {
    throw new SigV4Error('INVALID_OPTIONS', 'signing needs a non-empty region and service')
  }
  const ms = options.date === undefined ? Date.now() : typeof options.date === 'number' ? options.date : options.date.getTime()
  if (!Number.isFinite(ms)) throw new SigV4Error('INVALID_OPTIONS', 'signing date is not a valid time')
  const headers: Record<string, string | string[]> = { ...lowerCaseHeaders(request.headers) }
  if (firstValue(headers.host) === undefined) throw new SigV4Error('MISSING_HOST', "a SigV4 request needs a 'host' header")

  const date = amzDate(ms)
  const scope = `${date.slice(0, 8)}/${options.region}/${options.service}/aws4_request`
  const token = credentials.sessionToken
  const signToken = token !== undefined && token !== '' && options.signSessionToken !== false
  const unsignedToken = token !== undefined && token !== '' && !signToken
  const pathOpts = pathOptionsFor(options.service, options)
  const uri = canonicalPath(request.path, pathOpts)
  const key = signingKey(credentials.secretAccessKey, date.slice(0, 8), options.region, options.service)

  const given = firstValue(headers['x-amz-content-sha256'])
  let payloadHash: string
  if (given !== undefined) payloadHash = given
  else if (options.unsignedPayload) payloadHash = 'UNSIGNED-PAYLOAD'
  else payloadHash = bodyHash(request.body)

  if (options.presign) {
    const expires = options.expiresIn ?? 3600
    if (!Number.isInteger(expires) || expires < 1 || expires > MAX_PRESIGN_EXPIRES) {
      throw new SigV4Error('INVALID_OPTIONS', `expiresIn must be an integer from 1 to ${MAX_PRESIGN_EXPIRES} seconds`)
    }
    const signed = signedHeaderNames(headers, options.signedHeaders, true)
    const signedList = signed.join(';')
    const added: [string, string][] = [
      ['X-Amz-Algorithm', ALGORITHM],
      ['X-Amz-Credential', `${credentials.accessKeyId}/${scope}`],
      ['X-Amz-Date', date],
      ['X-Amz-SignedHeaders', signedList],
      ['X-Amz-Expires', String(expires)],
    ]
    if (signToken) added.push(['X-Amz-Security-Token', token!])
    const params = parseQuery(request.query)
    for (const [n, v] of added) params.push({ name: n, value: uriEncode(v) })
    const creq = canonicalRequest(request.method, uri, canonicalQuery(params), canonicalHeaders(headers, signed)!, signedList, payloadHash)
    const sts = stringToSign(date, scope, sha256Hex(creq))
    const signature = signatureHex(key, sts)
    if (unsignedToken) added.push(['X-Amz-Security-Token', token!])
    added.push(['X-Amz-Signature', signature])
    const extra = added.map(([n, v]) => `${n}=${uriEncode(v)}`).join('&')
    const query = request.query ? `${request.query}&${extra}` : extra
    return { request: { ...request, headers, query }, canonicalRequest: creq, stringToSign: sts, signature }
  }

  headers['x-amz-date'] = date
  if (signToken) headers['x-amz-security-token'] = token!
  if (given === undefined && (options.unsignedPayload || options.signBody)) headers['x-amz-content-sha256'] = payloadHash
  const signed = signedHeaderNames(headers, options.signedHeaders, false)
  const signedList = signed.join(';')
  const creq = canonicalRequest(
    request.method,
    uri,
    canonicalQuery(parseQuery(request.query)),
    canonicalHeaders(headers, signed)!,
    signedList,
    payloadHash,
  )
  const sts = stringToSign(date, scope, sha256Hex(creq))
  const signature = signatureHex(key, sts)
  if (unsignedToken) headers['x-amz-security-token'] = token!
  headers.authorization = `${ALGORITHM} Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signedList}, Signature=${signature}`
  return { request: { ...request, headers, query: request.query ?? '' }, canonicalRequest: creq, stringToSign: sts, signature }
}

function signedHeaderNames(headers: Record<string, string | string[]>, wanted: string[] | undefined, presign: boolean): string[] {
  let names: string[]
  if (wanted) {
    names = [...new Set(['host', ...wanted.map((n) => n.toLowerCase())])]
    for (const n of names) {
      if (headers[n] === undefined) throw new SigV4Error('INVALID_OPTIONS', `signed header '${n}' is not in the request`)
    }
  } else {
    names = Object.keys(headers).filter(
      (n) => headers[n] !== undefined && !UNSIGNABLE.has(n) && !n.startsWith('proxy-') && !(presign && n === 'x-amz-date'),
    )
  }
  return names.sort()
}

/**
 * Signs a request with AWS Signature Version 4 and returns the signed copy: `x-amz-date`, optional
 * `x-amz-security-token` / `x-amz-content-sha256`, and `authorization` headers added — or, with
 * `presign: true`, the `X-Amz-*` parameters appended to `query`. Non-S3 services get a normalised,
 * double-encoded canonical path.
 *
 * @example
 * ```ts
 * import { signRequest } from '@gatehousejs/sigv4'
 * const signed = signRequest(
 *   { method: 'GET', path: '/prod/pets', headers: { host: 'abc.execute-api.us-east-1.amazonaws.com' } },
 *   { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
 *   { region: 'us-east-1', service: 'execute-api' },
 * )
 * signed.headers.authorization // 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/…, SignedHeaders=host;x-amz-date, Signature=…'
 * ```
 */
export function signRequest(request: SignableRequest, credentials: Credentials, options: SignOptions): SignableRequest & { query: string } {
  return signRequestDetailed(request, credentials, options).request
}
