/**
 * Verification of SigV4-signed requests (Authorization header or presigned query string).
 */
import {
  type CanonicalParam,
  canonicalHeaders,
  canonicalPath,
  canonicalQuery,
  canonicalRequest,
  lowerCaseHeaders,
  parseQuery,
} from './canonical'
import { ALGORITHM, amzDate, parseAmzDate, sameSignature, sameText, sha256Hex, signatureHex, signingKey, stringToSign } from './crypto'
import { decodeComponent } from './encoding'
import { SigV4Error } from './errors'
import { SIGV4_LIMITS } from './limits'
import * as msg from './messages'
import { MAX_PRESIGN_EXPIRES, pathOptionsFor } from './sign'
import type { PathOptions, SignableRequest } from './types'

/**
 * Why a verification failed, named after AWS's exception types:
 * - `MISSING_AUTHENTICATION_TOKEN`: no Authorization header and no presigned parameters.
 * - `INCOMPLETE_SIGNATURE`: an Authorization header or query missing parts, or a malformed date/credential.
 * - `INVALID_SIGNATURE`: wrong credential scope (date, region, service, terminator), `host` not signed, bad expiry.
 * - `SIGNATURE_EXPIRED` / `SIGNATURE_NOT_YET_CURRENT`: outside the clock-skew window or past a presigned expiry.
 * - `UNRECOGNIZED_CLIENT`: unknown access key, or a session token missing/wrong/unexpected.
 * - `EXPIRED_TOKEN`: the credentials' `expiration` has passed.
 * - `SIGNATURE_DOES_NOT_MATCH`: the signature differs (or the body differs from a signed `x-amz-content-sha256`).
 *
 * @example
 * ```ts
 * if (!result.ok && result.code === 'MISSING_AUTHENTICATION_TOKEN') return missingTokenResponse()
 * ```
 */
export type VerifyFailureCode =
  | 'MISSING_AUTHENTICATION_TOKEN'
  | 'INCOMPLETE_SIGNATURE'
  | 'INVALID_SIGNATURE'
  | 'SIGNATURE_EXPIRED'
  | 'SIGNATURE_NOT_YET_CURRENT'
  | 'UNRECOGNIZED_CLIENT'
  | 'EXPIRED_TOKEN'
  | 'SIGNATURE_DOES_NOT_MATCH'

/**
 * What {@link VerifyOptions.lookupSecret} returns for a known access key: the secret alone, or a record with
 * the session token temporary credentials carry and their expiry (epoch ms).
 *
 * @example
 * ```ts
 * const record: SecretRecord = { secretAccessKey: 'secret', sessionToken: 'FwoG…', expiration: Date.parse('2030-01-01') }
 * ```
 */
export interface SecretRecord {
  secretAccessKey: string
  sessionToken?: string
  expiration?: number
}

/** What a secret lookup may return: `undefined`/`null` for an unknown key. */
export type SecretLookupResult = string | SecretRecord | undefined | null

/**
 * Options of {@link verifyRequest}.
 *
 * @example
 * ```ts
 * const opts: VerifyOptions = { lookupSecret: (id) => secrets.get(id), region: 'us-east-1', service: 'execute-api' }
 * ```
 */
export interface VerifyOptions extends PathOptions {
  /** The secret for an access key id (may be async for {@link verifyRequest}). */
  lookupSecret: (accessKeyId: string) => SecretLookupResult | Promise<SecretLookupResult>
  /** Region the credential scope must name; any region when omitted. */
  region?: string
  /** Service the credential scope must name; default `execute-api`. */
  service?: string
  /** Clock, epoch ms. */
  now?: () => number
  /** Allowed difference between the request's date and the clock, both ways; default 5 minutes (AWS's). */
  maxSkewMs?: number
}

/**
 * The outcome of a verification. On success, the key, the scope and how the request was signed; on failure
 * a code and AWS's message (the `reason`, e.g. `Signature expired: …`).
 *
 * @example
 * ```ts
 * const r: VerifyResult = await verifyRequest(req, opts)
 * if (r.ok) console.log(r.accessKeyId); else console.log(r.code, r.reason)
 * ```
 */
export type VerifyResult =
  | {
      ok: true
      accessKeyId: string
      /** The session token the request carried (temporary credentials). */
      sessionToken?: string
      region: string
      service: string
      /** When the request was signed, epoch ms. */
      signedAt: number
      /** `true` for a presigned (query-string) request. */
      presigned: boolean
    }
  | { ok: false; code: VerifyFailureCode; reason: string }

type Failure = { ok: false; code: VerifyFailureCode; reason: string }

function fail(code: VerifyFailureCode, reason: string): Failure {
  // Every message is built from clipped pieces; this is the last guard, whatever a future message embeds.
  return { ok: false, code, reason: reason.length > SIGV4_LIMITS.maxReasonLength ? msg.clip(reason, SIGV4_LIMITS.maxReasonLength) : reason }
}

// The presigned parameters that carry the signature: each may appear once (a second copy would be ambiguous,
// and X-Amz-Signature is left out of the canonical query, so a copy would otherwise ride along unsigned).
const PRESIGN_PARAMS = new Set([
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Signature',
  'X-Amz-SignedHeaders',
  'X-Amz-Date',
  'X-Amz-Expires',
  'X-Amz-Security-Token',
  'X-Amz-Content-Sha256',
])

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

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v
}

function prepare(request: SignableRequest, options: VerifyOptions): Pending | Failure {
  const headers = lowerCaseHeaders(request.headers ?? {})
  const now = options.now ? options.now() : Date.now()
  const auth = first(headers.authorization)
  const params = parseQuery(request.query)
  let presigned = false
  if (auth === undefined) {
    for (const p of params) {
      if (p.name === 'X-Amz-Algorithm' || p.name === 'X-Amz-Credential' || p.name === 'X-Amz-Signature') {
        presigned = true
        break
      }
    }
    if (!presigned) return fail('MISSING_AUTHENTICATION_TOKEN', msg.MISSING_TOKEN)
  }

  let algorithm: string
  let credential: string
  let signedList: string
  let signature: string
  let date: string
  let dateFrom: string
  let expires: number | undefined
  let token: string | undefined
  if (!presigned) {
    if (auth!.length > SIGV4_LIMITS.maxAuthorizationLength) return fail('INCOMPLETE_SIGNATURE', msg.authorizationTooLong(auth!.length))
    const parsed = parseAuthorization(auth!)
    if ('reason' in parsed) return parsed
    const xAmzDate = first(headers['x-amz-date'])
    const httpDate = first(headers.date)
    if (parsed.credential === undefined || parsed.signature === undefined || parsed.signedHeaders === undefined || (xAmzDate === undefined && httpDate === undefined)) {
      return fail(
        'INCOMPLETE_SIGNATURE',
        msg.headerRequires(
          {
            credential: parsed.credential === undefined,
            signature: parsed.signature === undefined,
            signedHeaders: parsed.signedHeaders === undefined,
            date: xAmzDate === undefined && httpDate === undefined,
          },
          auth!,
        ),
      )
    }
    algorithm = parsed.algorithm
    credential = parsed.credential
    signedList = parsed.signedHeaders
    signature = parsed.signature
    if (xAmzDate !== undefined) {
      date = xAmzDate
      dateFrom = 'X-Amz-Date'
    } else {
      const ms = Date.parse(httpDate!)
      if (!Number.isFinite(ms)) return fail('INCOMPLETE_SIGNATURE', msg.badDateFormat(httpDate!))
      date = amzDate(ms)
      dateFrom = 'Date'
    }
    token = first(headers['x-amz-security-token'])
  } else {
    const found: Record<string, string> = Object.create(null)
    for (const p of params) {
      if (!p.name.startsWith('X-Amz-')) continue
      if (found[p.name] === undefined) found[p.name] = decodeComponent(p.value)
      else if (PRESIGN_PARAMS.has(p.name)) return fail('INCOMPLETE_SIGNATURE', msg.duplicateParameter(p.name, 'query string'))
    }
    const missing = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-SignedHeaders', 'X-Amz-Date'].filter(
      (n) => found[n] === undefined,
    )
    if (missing.length > 0) return fail('INCOMPLETE_SIGNATURE', msg.queryRequires(missing))
    algorithm = found['X-Amz-Algorithm']!
    credential = found['X-Amz-Credential']!
    signedList = found['X-Amz-SignedHeaders']!
    signature = found['X-Amz-Signature']!
    date = found['X-Amz-Date']!
    dateFrom = 'X-Amz-Date'
    token = found['X-Amz-Security-Token'] ?? first(headers['x-amz-security-token'])
    const e = found['X-Amz-Expires']
    if (e !== undefined) {
      if (!/^-?\d+$/.test(e)) return fail('INVALID_SIGNATURE', msg.EXPIRES_NOT_NUMBER)
      expires = Number(e)
      if (expires < 0) return fail('INVALID_SIGNATURE', msg.EXPIRES_NEGATIVE)
      if (expires > MAX_PRESIGN_EXPIRES) return fail('INVALID_SIGNATURE', msg.EXPIRES_TOO_LONG)
    }
  }

  if (algorithm !== ALGORITHM) return fail('INVALID_SIGNATURE', msg.unsupportedAlgorithm(algorithm))
  const signedAt = parseAmzDate(date)
  if (!Number.isFinite(signedAt)) return fail('INCOMPLETE_SIGNATURE', msg.badDateFormat(date))

  if (credential.length > SIGV4_LIMITS.maxCredentialLength) return fail('INCOMPLETE_SIGNATURE', msg.credentialTooLong(credential))
  const parts = credential.split('/')
  if (parts.length !== 5 || parts[0] === '') return fail('INCOMPLETE_SIGNATURE', msg.credentialElements(credential))
  const [accessKeyId, scopeDate, region, service, terminator] = parts as [string, string, string, string, string]
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

  let payloadHash: string | undefined
  if (presigned) {
    for (const p of params) {
      if (p.name === 'X-Amz-Content-Sha256') {
        payloadHash = decodeComponent(p.value)
        break
      }
    }
  }
  payloadHash ??= first(headers['x-amz-content-sha256'])

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
    payloadHash,
    now,
    pathOptions: pathOptionsFor(expectedService, options),
  }
}

interface ParsedAuthorization {
  algorithm: string
  credential?: string
  signedHeaders?: string
  signature?: string
}

function parseAuthorization(header: string): ParsedAuthorization | Failure {
  const trimmed = header.trim()
  const space = trimmed.indexOf(' ')
  const out: ParsedAuthorization = { algorithm: space === -1 ? trimmed : trimmed.slice(0, space) }
  if (space === -1) return out
  for (const raw of trimmed.slice(space + 1).split(',')) {
    const pair = raw.trim()
    if (pair === '') continue
    const eq = pair.indexOf('=')
    if (eq === -1) return fail('INCOMPLETE_SIGNATURE', msg.missingEqualSign(pair, header))
    const k = pair.slice(0, eq).trim()
    const v = pair.slice(eq + 1).trim()
    // A part given twice is refused rather than resolved: whichever copy we chose, a proxy might choose the other.
    if (k === 'Credential') {
      if (out.credential !== undefined) return fail('INCOMPLETE_SIGNATURE', msg.duplicateParameter(k, 'Authorization header'))
      out.credential = v
    } else if (k === 'SignedHeaders') {
      if (out.signedHeaders !== undefined) return fail('INCOMPLETE_SIGNATURE', msg.duplicateParameter(k, 'Authorization header'))
      out.signedHeaders = v
    } else if (k === 'Signature') {
      if (out.signature !== undefined) return fail('INCOMPLETE_SIGNATURE', msg.duplicateParameter(k, 'Authorization header'))
      out.signature = v
    }
  }
  return out
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
 * const result = await verifyRequest(
 *   { method: 'GET', path: '/prod/pets', headers: signedHeaders },
 *   { lookupSecret: (id) => (id === 'AKID' ? 'secret' : undefined), region: 'us-east-1' },
 * )
 * if (!result.ok) console.log(result.reason) // e.g. 'Signature expired: 20240522T115547Z is now earlier than …'
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
 * const result = verifyRequestSync(req, { lookupSecret: (id) => secrets.get(id), region: 'us-east-1' })
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
