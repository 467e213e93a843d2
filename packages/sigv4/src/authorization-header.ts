/**
 * The signature as the `Authorization` header carries it: `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…,
 * Signature=…`, dated by `X-Amz-Date` or `Date`.
 */
import { firstValue } from './canonical'
import { amzDate } from './crypto'
import { type Failure, fail } from './failure'
import { SIGV4_LIMITS } from './limits'
import * as msg from './messages'
import type { SignatureParts } from './verify-types'

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

/**
 * The signature's parts from Authorization header `auth` and the (lower-cased) headers, or a failure when a
 * part is missing, given twice or malformed.
 */
export function headerSignature(auth: string, headers: Record<string, string | string[]>): SignatureParts | Failure {
  if (auth.length > SIGV4_LIMITS.maxAuthorizationLength) return fail('INCOMPLETE_SIGNATURE', msg.authorizationTooLong(auth.length))
  const parsed = parseAuthorization(auth)
  if ('reason' in parsed) return parsed
  const xAmzDate = firstValue(headers['x-amz-date'])
  const httpDate = firstValue(headers.date)
  if (
    parsed.credential === undefined ||
    parsed.signature === undefined ||
    parsed.signedHeaders === undefined ||
    (xAmzDate === undefined && httpDate === undefined)
  ) {
    return fail(
      'INCOMPLETE_SIGNATURE',
      msg.headerRequires(
        {
          credential: parsed.credential === undefined,
          signature: parsed.signature === undefined,
          signedHeaders: parsed.signedHeaders === undefined,
          date: xAmzDate === undefined && httpDate === undefined,
        },
        auth,
      ),
    )
  }
  let date: string
  let dateFrom: string
  if (xAmzDate !== undefined) {
    date = xAmzDate
    dateFrom = 'X-Amz-Date'
  } else {
    const ms = Date.parse(httpDate!)
    if (!Number.isFinite(ms)) return fail('INCOMPLETE_SIGNATURE', msg.badDateFormat(httpDate!))
    date = amzDate(ms)
    dateFrom = 'Date'
  }
  return {
    algorithm: parsed.algorithm,
    credential: parsed.credential,
    signedList: parsed.signedHeaders,
    signature: parsed.signature,
    date,
    dateFrom,
    token: firstValue(headers['x-amz-security-token']),
    expires: undefined,
    payloadHash: undefined,
  }
}
