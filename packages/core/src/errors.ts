/**
 * Errors core throws while it builds a gateway. Request outcomes are never thrown: they become gateway responses.
 */

/** Stable codes of {@link GatewayConfigError}. */
export type GatewayConfigErrorCode =
  | 'INVALID_DEFINITION'
  | 'UNSUPPORTED_FEATURE'
  | 'UNKNOWN_FUNCTION'
  | 'INVALID_OPTION'

/**
 * A definition or option the gateway cannot serve. `pointer` is the JSON pointer (RFC 6901) of the offending
 * value inside the API document, when there is one.
 *
 * @example
 * ```ts
 * try { createGateway({ api }) } catch (e) { if (e instanceof GatewayConfigError) console.error(e.pointer, e.message) }
 * ```
 */
export class GatewayConfigError extends Error {
  override name = 'GatewayConfigError'
  constructor(
    readonly code: GatewayConfigErrorCode,
    message: string,
    readonly pointer?: string,
  ) {
    super(pointer === undefined ? message : `${pointer}: ${message}`)
  }
}

/** Escape one reference token of a JSON pointer. */
export function pointerToken(token: string | number): string {
  return String(token).replace(/~/g, '~0').replace(/\//g, '~1')
}

/** Build a JSON pointer from tokens. */
export function pointer(...tokens: (string | number)[]): string {
  return tokens.map((t) => `/${pointerToken(t)}`).join('')
}
