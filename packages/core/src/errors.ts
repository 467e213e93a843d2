/**
 * Errors core throws while it builds a gateway. Request outcomes are never thrown: they become gateway responses.
 */

/**
 * Something in the definition the gateway does not act on, reported when it is built (`onWarning`, `gateway.warnings`).
 *
 * @example
 * ```ts
 * createGateway({ api, onWarning: (w: GatewayWarning) => console.warn(`${w.pointer}: ${w.message}`) })
 * ```
 */
export interface GatewayWarning {
  code: 'UNSUPPORTED_EXTENSION' | 'NO_INTEGRATION' | 'IGNORED_SETTING' | 'SHARED_CACHE'
  message: string
  pointer: string
}

/** Stable codes of {@link GatewayConfigError}. */
export type GatewayConfigErrorCode = 'INVALID_DEFINITION' | 'UNSUPPORTED_FEATURE' | 'UNKNOWN_FUNCTION' | 'INVALID_OPTION'

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
    /** `cause`: the error this one reports (a module's own error, kept for the operator). */
    options?: ErrorOptions,
  ) {
    super(pointer === undefined ? message : `${pointer}: ${message}`, options)
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

/**
 * `String(v)` that never throws. A definition is data from anywhere: JSON can hold `{"toString": ""}`, whose
 * conversion throws a TypeError; such a value renders as JSON (or its tag) instead, so the caller can answer with
 * its own error.
 *
 * @example
 * ```ts
 * toText(JSON.parse('{"toString":""}')) // '{"toString":""}'
 * ```
 */
export function toText(v: unknown): string {
  if (typeof v === 'string') return v
  try {
    return String(v)
  } catch {
    try {
      return JSON.stringify(v) ?? Object.prototype.toString.call(v)
    } catch {
      return Object.prototype.toString.call(v)
    }
  }
}
