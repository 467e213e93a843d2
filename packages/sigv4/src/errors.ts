/**
 * Stable codes of {@link SigV4Error}.
 *
 * @example
 * ```ts
 * import { signRequest, SigV4Error } from '@gatehousejs/sigv4'
 * try {
 *   signRequest(
 *     { method: 'GET', path: '/prod/pets', headers: { host: 'abc.execute-api.us-east-1.amazonaws.com' } },
 *     { accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? '', secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? '' },
 *     { region: 'us-east-1', service: 'execute-api' },
 *   )
 * } catch (err) {
 *   if (!(err instanceof SigV4Error)) throw err
 *   switch (err.code) {
 *     case 'INVALID_CREDENTIALS':
 *       console.error('no AWS credentials in the environment')
 *       break
 *     case 'INVALID_OPTIONS':
 *       console.error(err.message)
 *       break
 *     default:
 *       throw err
 *   }
 * }
 * ```
 */
export type SigV4ErrorCode = 'INVALID_CREDENTIALS' | 'INVALID_OPTIONS' | 'MISSING_HOST' | 'ASYNC_LOOKUP'

/**
 * Thrown for programming and configuration mistakes (bad credentials, bad options, a request without `host`).
 * Verification outcomes are never thrown: {@link verifyRequest} returns them as values.
 *
 * @example
 * ```ts
 * import { signRequest, SigV4Error } from '@gatehousejs/sigv4'
 * try {
 *   signRequest(
 *     { method: 'GET', path: '/prod/pets', headers: {} },
 *     { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
 *     { region: 'us-east-1', service: 'execute-api' },
 *   )
 * } catch (err) {
 *   if (err instanceof SigV4Error && err.code === 'MISSING_HOST') console.error(err.message) // "a SigV4 request needs a 'host' header"
 * }
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
