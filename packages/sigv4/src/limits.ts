/**
 * Size limits on what a request may make the verifier do or say. Key ids are not secret, so anything up to the
 * signature check is reachable by anyone; these caps keep that work and every refusal message proportional to
 * a real request, not to what an attacker can pack into one.
 */

/**
 * The limits `verifyRequest` enforces, in characters (UTF-16 code units).
 *
 * @example
 * ```ts
 * import { SIGV4_LIMITS } from '@gatehousejs/sigv4'
 * console.log(SIGV4_LIMITS.maxReasonLength) // 3072
 * ```
 */
export const SIGV4_LIMITS = Object.freeze({
  /**
   * Longest `Authorization` header parsed: Node's default limit for all headers together (API Gateway's is
   * 10,240 bytes for the request line and headers), so only a caller of `handle()` can hit it.
   */
  maxAuthorizationLength: 16_384,
  /** Most header names `SignedHeaders` / `X-Amz-SignedHeaders` may list (each once, sorted). */
  maxSignedHeaders: 128,
  /** Longest `SignedHeaders` value. */
  maxSignedHeadersLength: 4096,
  /** Longest credential (`keyid/date/region/service/aws4_request`; IAM access key ids are at most 128). */
  maxCredentialLength: 256,
  /** Longest piece of the request (header, credential, date, …) echoed in a refusal message. */
  maxEchoLength: 512,
  /** Longest canonical request quoted in the signature-mismatch message; longer ones keep their head and tail. */
  maxCanonicalEchoLength: 1536,
  /** Longest refusal message (`reason`), whatever the input. */
  maxReasonLength: 3072,
})
