/**
 * Stable codes of {@link PolicyError}: `INVALID_POLICY` for a policy document, `INVALID_IAM_CONFIG` for the
 * IAM authorizer's options.
 *
 * @example
 * ```ts
 * import { createIamAuthorizer, PolicyError, type PolicyErrorCode } from '@gatehousejs/core/policy'
 * let code: PolicyErrorCode | undefined
 * try {
 *   createIamAuthorizer({ region: 'us-east-1', principals: [{ accessKeyId: 'AKIAALICE', secretAccessKey: '', arn: 'arn:aws:iam::111122223333:user/alice' }] })
 * } catch (e) {
 *   if (e instanceof PolicyError) code = e.code
 * }
 * code // 'INVALID_IAM_CONFIG'
 * ```
 */
export type PolicyErrorCode = 'INVALID_POLICY' | 'INVALID_IAM_CONFIG'

/**
 * Thrown when a policy document (or the IAM principals configuration) is invalid, at compile time. The
 * message names the problem and where it is, e.g. `Statement[1].Effect must be "Allow" or "Deny"`.
 *
 * @example
 * ```ts
 * import { compilePolicy, PolicyError } from '@gatehousejs/core/policy'
 * // A policy as JSON text, e.g. read from a file.
 * const text = '{"Version":"2012-10-17","Statement":[{"Effect":"Permit","Action":"execute-api:Invoke","Resource":"*"}]}'
 * try {
 *   compilePolicy(text)
 * } catch (e) {
 *   if (!(e instanceof PolicyError)) throw e
 *   e.code // 'INVALID_POLICY'
 *   e.message // 'Statement[0].Effect must be "Allow" or "Deny", got "Permit"'
 * }
 * ```
 */
export class PolicyError extends Error {
  readonly code: PolicyErrorCode
  constructor(code: PolicyErrorCode, message: string) {
    super(message)
    this.name = 'PolicyError'
    this.code = code
  }
}
