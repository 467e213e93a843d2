/**
 * `@gatehousejs/sigv4`: AWS Signature Version 4, signing requests and verifying signed ones (Authorization
 * header or presigned query string) with AWS's refusal codes and messages.
 */
export { signRequest, signRequestDetailed, MAX_PRESIGN_EXPIRES } from './sign'
export type { SignOptions, SigningResult } from './sign'
export { verifyRequest, verifyRequestSync } from './verify'
export type { VerifyFailureCode } from './failure'
export type { VerifyOptions, VerifyResult, SecretRecord, SecretLookupResult } from './verify-types'
export { SigV4Error } from './errors'
export type { SigV4ErrorCode } from './errors'
export type { SignableRequest, Credentials, PathOptions } from './types'
export { SIGV4_LIMITS } from './limits'
