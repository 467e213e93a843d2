/**
 * A verification failure: its code, named after AWS's exception types, and AWS's message as the `reason`.
 */
import { SIGV4_LIMITS } from './limits'
import { clip } from './messages'

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
 * import { verifyRequest, type SignableRequest } from '@gatehousejs/sigv4'
 * const secrets = new Map([['AKIDEXAMPLE', 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY']])
 * async function iamAuthorize(request: SignableRequest): Promise<{ statusCode: number; body: string } | null> {
 *   const result = await verifyRequest(request, { lookupSecret: (id) => secrets.get(id) })
 *   if (result.ok) return null
 *   switch (result.code) {
 *     case 'SIGNATURE_EXPIRED':
 *     case 'SIGNATURE_NOT_YET_CURRENT':
 *       console.warn('client clock off:', result.reason)
 *       break
 *     case 'UNRECOGNIZED_CLIENT':
 *       console.warn('unknown access key or session token')
 *       break
 *   }
 *   // API Gateway answers every IAM refusal with 403 and AWS's message.
 *   return { statusCode: 403, body: JSON.stringify({ message: result.reason }) }
 * }
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

/** A failed verification, as `verifyRequest` returns it. */
export type Failure = { ok: false; code: VerifyFailureCode; reason: string }

/** The failure with `code` and message `reason`, clipped to `SIGV4_LIMITS.maxReasonLength`. */
export function fail(code: VerifyFailureCode, reason: string): Failure {
  // Every message is built from clipped pieces; this is the last guard, whatever a future message embeds.
  return { ok: false, code, reason: reason.length > SIGV4_LIMITS.maxReasonLength ? clip(reason, SIGV4_LIMITS.maxReasonLength) : reason }
}
