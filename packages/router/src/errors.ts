/**
 * Stable codes of {@link RouterError}, so callers can `switch (err.code)`.
 *
 * - `INVALID_METHOD`: the method is empty or not an HTTP token.
 * - `INVALID_PATH`: the template does not start with `/`, has an empty segment (`//`, trailing `/`), an unclosed or
 *   stray brace, a parameter that is not a whole segment, or an empty/illegal parameter name.
 * - `GREEDY_NOT_LAST`: a greedy `{name+}` segment is followed by more segments.
 * - `DUPLICATE_PARAMETER`: one template uses the same parameter name twice.
 * - `CONFLICTING_PARAMETER`: two templates put differently named parameters at the same position under the same
 *   parent (`/a/{x}` and `/a/{y}`), which API Gateway refuses.
 * - `DUPLICATE_ROUTE`: the same method and template (or a second `$default`) appear twice.
 *
 * @example
 * ```ts
 * import { createRouter, RouterError } from '@gatehousejs/router'
 * try {
 *   createRouter([
 *     { method: 'GET', path: '/pets/{id}', value: 1 },
 *     { method: 'GET', path: '/pets/{petId}/toys', value: 2 },
 *   ])
 * } catch (err) {
 *   if (!(err instanceof RouterError)) throw err
 *   switch (err.code) {
 *     case 'CONFLICTING_PARAMETER': // `{id}` and `{petId}` at the same place, as API Gateway refuses
 *     case 'DUPLICATE_ROUTE':
 *       console.error(`${err.method} ${err.path}: ${err.message}`)
 *       break
 *     default:
 *       throw err
 *   }
 * }
 * ```
 */
export type RouterErrorCode =
  | 'INVALID_METHOD'
  | 'INVALID_PATH'
  | 'GREEDY_NOT_LAST'
  | 'DUPLICATE_PARAMETER'
  | 'CONFLICTING_PARAMETER'
  | 'DUPLICATE_ROUTE'

/**
 * Thrown by {@link createRouter} when the route table is invalid. Lookups never throw.
 *
 * @example
 * ```ts
 * import { createRouter, RouterError } from '@gatehousejs/router'
 * try {
 *   createRouter([{ method: 'GET', path: '/a/{proxy+}/b', value: 1 }])
 * } catch (err) {
 *   if (err instanceof RouterError && err.code === 'GREEDY_NOT_LAST') console.log(err.message)
 * }
 * ```
 */
export class RouterError extends Error {
  /** Stable, machine-readable reason. */
  readonly code: RouterErrorCode
  /** The offending route's method, when known. */
  readonly method: string | undefined
  /** The offending route's path template, when known. */
  readonly path: string | undefined

  constructor(code: RouterErrorCode, message: string, route?: { method?: string; path?: string }) {
    super(message)
    this.name = 'RouterError'
    this.code = code
    this.method = route?.method
    this.path = route?.path
  }
}
