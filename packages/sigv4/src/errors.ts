/** Stable codes of {@link SigV4Error}. */
export type SigV4ErrorCode = 'INVALID_CREDENTIALS' | 'INVALID_OPTIONS' | 'MISSING_HOST' | 'ASYNC_LOOKUP'

/**
 * Thrown for programming and configuration mistakes (bad credentials, bad options, a request without `host`).
 * Verification outcomes are never thrown: {@link verifyRequest} returns them as values.
 *
 * @example
 * ```ts
 * try { signRequest(req, creds, { region: 'us-east-1', service: 'execute-api' }) }
 * catch (err) { if (err instanceof SigV4Error && err.code === 'MISSING_HOST') addHost() }
 * ```
 */
export class SigV4Error extends Error {
  readonly code: SigV4ErrorCode
  constructor(code: SigV4ErrorCode, message: string) {
    super(message)
    this.name = 'SigV4Error'
    this.code = code
  }
}
