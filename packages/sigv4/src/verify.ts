/**
 * Verification of SigV4-signed requests: the signature's parts (from ./authorization-header or
 * ./presigned-query) checked against the credential scope and the clock, then the signature recomputed with
 * the secret and compared.
 */
import { headerSignature } from './authorization-header'
import {
  type CanonicalParam,
  canonicalHeaders,
  canonicalPath,
  canonicalQuery,
  canonicalRequest,
  firstValue,
  lowerCaseHeaders,
  parseQuery,
} from './canonical'
import { ALGORITHM, parseAmzDate, sameSignature, sameText, sha256Hex, signatureHex, signingKey, stringToSign } from './crypto'
import { SigV4Error } from './errors'
import { type Failure, fail } from './failure'
import { SIGV4_LIMITS } from './limits'
import * as msg from './messages'
import { isPresigned, querySignature } from './presigned-query'
import { pathOptionsFor } from './sign'
import type { PathOptions, SignableRequest } from './types'
import type { SecretLookupResult, SecretRecord, VerifyOptions, VerifyResult } from './verify-types'

/**
 * The signed header names, or a failure: at most `maxSignedHeaders` names in `maxSignedHeadersLength`
 * characters, each once and in sorted order, as every SigV4 signer writes them. Checked before anything is
 * canonicalised, so a list cannot make the canonical request (and the mismatch message) a multiple of the
 * request's size.
 */
function signedHeaderNames(list: string): string[] | Failure {
  if (list.length > SIGV4_LIMITS.maxSignedHeadersLength) {
    let count = 1
    for (let i = list.indexOf(';'); i !== -1; i = list.indexOf(';', i + 1)) count++
    return fail('INVALID_SIGNATURE', msg.signedHeadersTooLong(count, list.length))
  }
  const names = list.split(';')
  if (names.length > SIGV4_LIMITS.maxSignedHeaders) return fail('INVALID_SIGNATURE', msg.signedHeadersTooLong(names.length, list.length))
  for (let i = 1; i < names.length; i++) {
    // Strictly increasing: sorted, and no name twice. Header names are ASCII, so code-unit order is byte order.
    if (!(names[i - 1]! < names[i]!)) return fail('INVALID_SIGNATURE', msg.signedHeadersUnsorted(list))
  }
  return names
}

/** Everything checked before the secret is known. */
interface Pending {
  ok: 'pending'
  request: SignableRequest
  headers: Record<string, string | string[]>
  accessKeyId: string
  date: string
  scope: string
  region: string
  service: string
  signedAt: number
  signature: string
  signedHeaders: string[]
  signedList: string
  presigned: boolean
  params: CanonicalParam[]
  token: string | undefined
  payloadHash: string | undefined
  now: number
  pathOptions: Required<PathOptions>
}

const DEFAULT_SKEW_MS = 5 * 60_000

function prepare(request: SignableRequest, options: VerifyOptions): Pending | Failure {
  const headers = lowerCaseHeaders(request.headers ?? {})
  const now = options.now ? options.now() : Date.now()
  const auth = firstValue(headers.authorization)
  const params = parseQuery(request.query)
  const presigned = auth === undefined && isPresigned(params)
  if (auth === undefined && !presigned) return fail('MISSING_AUTHENTICATION_TOKEN', msg.MISSING_TOKEN)
  const parts = presigned ? querySignature(params, headers) : headerSignature(auth!, headers)
  if ('reason' in parts) return parts
  const { algorithm, credential, signedList, signature, date, dateFrom, token, expires } = parts

  if (algorithm !== ALGORITHM) return fail('INVALID_SIGNATURE', msg.unsupportedAlgorithm(algorithm))
  const signedAt = parseAmzDate(date)
  if (!Number.isFinite(signedAt)) return fail('INCOMPLETE_SIGNATURE', msg.badDateFormat(date))

  if (credential.length > SIGV4_LIMITS.maxCredentialLength) return fail('INCOMPLETE_SIGNATURE', msg.credentialTooLong(credential))
  const scopeParts = credential.split('/')
  if (scopeParts.length !== 5 || scopeParts[0] === '') return fail('INCOMPLETE_SIGNATURE', msg.credentialElements(credential))
  const [accessKeyId, scopeDate, region, service, terminator] = scopeParts as [string, string, string, string, string]
  const expectedService = options.service ?? 'execute-api'
  if (terminator !== 'aws4_request') return fail('INVALID_SIGNATURE', msg.badTerminator(terminator))
  if (scopeDate !== date.slice(0, 8)) return fail('INVALID_SIGNATURE', msg.scopeDateMismatch(scopeDate, date.slice(0, 8), dateFrom))
  if (options.region !== undefined && region !== options.region) return fail('INVALID_SIGNATURE', msg.badRegion(region))
  if (service !== expectedService) return fail('INVALID_SIGNATURE', msg.badService(expectedService))

  const signedHeaders = signedHeaderNames(signedList)
  if (!Array.isArray(signedHeaders)) return signedHeaders
  if (!signedHeaders.includes('host')) return fail('INVALID_SIGNATURE', msg.HOST_NOT_SIGNED)

  const skew = options.maxSkewMs ?? DEFAULT_SKEW_MS
  if (signedAt - now > skew) return fail('SIGNATURE_NOT_YET_CURRENT', msg.signatureNotYetCurrent(date, now, skew))
  if (expires !== undefined) {
    // A presigned request lives for X-Amz-Expires seconds from its date.
    if (now - signedAt > expires * 1000) return fail('SIGNATURE_EXPIRED', msg.signatureExpired(date, now, expires * 1000))
  } else if (now - signedAt > skew) {
    return fail('SIGNATURE_EXPIRED', msg.signatureExpired(date, now, skew))
  }

  return {
    ok: 'pending',
    request,
    headers,
    accessKeyId,
    date,
    scope: `${scopeDate}/${region}/${service}/aws4_request`,
    region,
    service,
    signedAt,
    signature,
    signedHeaders,
    signedList,
    presigned,
    params,
    token,
    payloadHash: parts.payloadHash ?? firstValue(headers['x-amz-content-sha256']),
    now,
    pathOptions: pathOptionsFor(expectedService, options),
  }
}

const HEX64 = /^[0-9a-f]{64}$/

function finish(p: Pending, found: SecretLookupResult): VerifyResult {
  if (found === undefined || found === null || (typeof found !== 'string' && typeof found.secretAccessKey !== 'string')) {
    return fail('UNRECOGNIZED_CLIENT', msg.INVALID_CLIENT_TOKEN)
  }
  const record: SecretRecord = typeof found === 'string' ? { secretAccessKey: found } : found
  const expected = record.sessionToken
  if (expected !== undefined && expected !== '') {
    if (p.token === undefined || !sameText(p.token, expected)) return fail('UNRECOGNIZED_CLIENT', msg.INVALID_CLIENT_TOKEN)
  } else if (p.token !== undefined) {
    return fail('UNRECOGNIZED_CLIENT', msg.INVALID_CLIENT_TOKEN)
  }
  if (record.expiration !== undefined && p.now >= record.expiration) return fail('EXPIRED_TOKEN', msg.EXPIRED_CLIENT_TOKEN)

  const headerBlock = canonicalHeaders(p.headers, p.signedHeaders)
  const req = p.request
  const bodyHash = p.payloadHash === undefined || HEX64.test(p.payloadHash) ? sha256Hex(req.body ?? '') : undefined
  const payloadHash = p.payloadHash ?? bodyHash!
  const uri = canonicalPath(req.path, p.pathOptions)
  const key = signingKey(record.secretAccessKey, p.date.slice(0, 8), p.region, p.service)
  const isSig = (n: string) => n === 'X-Amz-Signature'
  const query = canonicalQuery(p.params, p.presigned ? isSig : undefined)
  // A signed header the request lacks cannot match: compute the strings anyway, for the message.
  const creq = canonicalRequest(req.method, uri, query, headerBlock ?? '', p.signedList, payloadHash)
  const sts = stringToSign(p.date, p.scope, sha256Hex(creq))
  let match = headerBlock !== null && sameSignature(signatureHex(key, sts), p.signature)
  if (!match && headerBlock !== null && p.presigned && p.token !== undefined) {
    // The token may have been appended after signing (aws-c-auth's omit_session_token, IoT's presigned URLs).
    const q2 = canonicalQuery(p.params, (n) => n === 'X-Amz-Signature' || n === 'X-Amz-Security-Token')
    const sts2 = stringToSign(p.date, p.scope, sha256Hex(canonicalRequest(req.method, uri, q2, headerBlock, p.signedList, payloadHash)))
    match = sameSignature(signatureHex(key, sts2), p.signature)
  }
  if (!match) return fail('SIGNATURE_DOES_NOT_MATCH', msg.signatureMismatch(creq, sts))
  if (bodyHash !== undefined && p.payloadHash !== undefined && bodyHash !== p.payloadHash) {
    return fail('SIGNATURE_DOES_NOT_MATCH', msg.CONTENT_SHA256_MISMATCH)
  }
  const ok: VerifyResult = {
    ok: true,
    accessKeyId: p.accessKeyId,
    region: p.region,
    service: p.service,
    signedAt: p.signedAt,
    presigned: p.presigned,
  }
  if (p.token !== undefined) ok.sessionToken = p.token
  return ok
}

/**
 * Verifies a SigV4-signed request — Authorization header or presigned query string — against the secret
 * `lookupSecret` returns for its access key: canonical request, credential scope, clock skew, presigned
 * expiry, session token, and the signature (compared in constant time). Outcomes are values; AWS's message
 * is in `reason`.
 *
 * @example
 * ```ts
 * import { signRequest, verifyRequest } from '@gatehousejs/sigv4'
 * const secrets = new Map([['AKIDEXAMPLE', 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY']])
 * // The request as it arrives: here signed by signRequest, as a client's AWS SDK would sign it.
 * const request = signRequest(
 *   { method: 'GET', path: '/prod/pets', query: 'limit=2', headers: { host: 'abc.execute-api.us-east-1.amazonaws.com' } },
 *   { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
 *   { region: 'us-east-1', service: 'execute-api' },
 * )
 * const result = await verifyRequest(request, { lookupSecret: (id) => secrets.get(id), region: 'us-east-1' })
 * if (result.ok) console.log(result.accessKeyId) // 'AKIDEXAMPLE'
 * else console.log(result.code, result.reason) // e.g. 'SIGNATURE_EXPIRED' 'Signature expired: 20240522T115547Z is now earlier than …'
 * ```
 */
export async function verifyRequest(request: SignableRequest, options: VerifyOptions): Promise<VerifyResult> {
  const p = prepare(request, options)
  if (p.ok === false) return p
  return finish(p, await options.lookupSecret(p.accessKeyId))
}

/**
 * {@link verifyRequest} for a synchronous `lookupSecret` (throws {@link SigV4Error} `ASYNC_LOOKUP` if it
 * returns a promise). Saves a microtask per request on hot paths.
 *
 * @example
 * ```ts
 * import { verifyRequestSync } from '@gatehousejs/sigv4'
 * const secrets = new Map([['AKIDEXAMPLE', 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY']])
 * const result = verifyRequestSync(
 *   {
 *     method: 'GET',
 *     path: '/prod/pets',
 *     headers: {
 *       host: 'abc.execute-api.us-east-1.amazonaws.com',
 *       'x-amz-date': '20240522T120000Z',
 *       authorization:
 *         'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240522/us-east-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=5d6f…',
 *     },
 *   },
 *   { lookupSecret: (id) => secrets.get(id), region: 'us-east-1', now: () => Date.UTC(2024, 4, 22, 12, 1) },
 * )
 * if (!result.ok) console.log(result.code) // 'SIGNATURE_DOES_NOT_MATCH' (the signature above is cut short)
 * ```
 */
export function verifyRequestSync(request: SignableRequest, options: VerifyOptions): VerifyResult {
  const p = prepare(request, options)
  if (p.ok === false) return p
  const found = options.lookupSecret(p.accessKeyId)
  if (found !== null && typeof found === 'object' && typeof (found as Promise<unknown>).then === 'function') {
    throw new SigV4Error('ASYNC_LOOKUP', 'verifyRequestSync needs a synchronous lookupSecret; use verifyRequest')
  }
  return finish(p, found as SecretLookupResult)
}
