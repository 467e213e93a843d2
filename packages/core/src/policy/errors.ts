/** Stable codes of {@link PolicyError}. */
export type PolicyErrorCode = 'INVALID_POLICY' | 'INVALID_IAM_CONFIG'

/**
 * Thrown when a policy document (or the IAM principals configuration) is invalid, at compile time. The
 * message names the problem and where it is, e.g. `Statement[1].Effect must be "Allow" or "Deny"`.
 *
 * @example
 * ```ts
 * try { compilePolicy(doc) } catch (err) { if (err instanceof PolicyError) console.error(err.code, err.message) }
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
