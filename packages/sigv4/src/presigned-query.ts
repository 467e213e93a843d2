/**
 * The signature as a presigned query string carries it: `X-Amz-Algorithm`, `X-Amz-Credential`,
 * `X-Amz-SignedHeaders`, `X-Amz-Date`, `X-Amz-Signature`, and optionally `X-Amz-Expires`,
 * `X-Amz-Security-Token` and `X-Amz-Content-Sha256`.
 */
import { type CanonicalParam, firstValue } from './canonical'
import { decodeComponent } from './encoding'
import { type Failure, fail } from './failure'
import * as msg from './messages'
import { MAX_PRESIGN_EXPIRES } from './sign'
import type { SignatureParts } from './verify-types'

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

/** Does the query carry presigned parameters (any of algorithm, credential, signature)? */
export function isPresigned(params: readonly CanonicalParam[]): boolean {
  for (const p of params) {
    if (p.name === 'X-Amz-Algorithm' || p.name === 'X-Amz-Credential' || p.name === 'X-Amz-Signature') return true
  }
  return false
}

/**
 * The signature's parts from the query's parameters (the session token may also come in a header), or a
 * failure when a parameter is missing, given twice, or `X-Amz-Expires` is malformed or out of range.
 */
export function querySignature(params: readonly CanonicalParam[], headers: Record<string, string | string[]>): SignatureParts | Failure {
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
  let expires: number | undefined
  const e = found['X-Amz-Expires']
  if (e !== undefined) {
    if (!/^-?\d+$/.test(e)) return fail('INVALID_SIGNATURE', msg.EXPIRES_NOT_NUMBER)
    expires = Number(e)
    if (expires < 0) return fail('INVALID_SIGNATURE', msg.EXPIRES_NEGATIVE)
    if (expires > MAX_PRESIGN_EXPIRES) return fail('INVALID_SIGNATURE', msg.EXPIRES_TOO_LONG)
  }
  return {
    algorithm: found['X-Amz-Algorithm']!,
    credential: found['X-Amz-Credential']!,
    signedList: found['X-Amz-SignedHeaders']!,
    signature: found['X-Amz-Signature']!,
    date: found['X-Amz-Date']!,
    dateFrom: 'X-Amz-Date',
    token: found['X-Amz-Security-Token'] ?? firstValue(headers['x-amz-security-token']),
    expires,
    // The first copy, decoded (a second one was refused above).
    payloadHash: found['X-Amz-Content-Sha256'],
  }
}
