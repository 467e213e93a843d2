/**
 * Errors core throws while it builds a gateway. Request outcomes are never thrown: they become gateway responses.
 */

/**
 * Something in the definition the gateway does not act on, reported when it is built (`onWarning`, `gateway.warnings`).
 *
 * @example
 * ```ts
 * import { createGateway, type GatewayWarning } from '@gatehousejs/core'
 * const warnings: GatewayWarning[] = []
 * const gw = createGateway({
 *   apiType: 'HTTP',
 *   api: { resources: { '/pets': { GET: { apiKeyRequired: true, integration: { type: 'AWS_PROXY', uri: 'listPets' } } } } },
 *   functions: { listPets: async () => ({ statusCode: 200, body: '[]' }) },
 *   onWarning: (w) => warnings.push(w),
 * })
 * warnings[0]?.code // 'IGNORED_SETTING'
 * warnings[0]?.message // 'apiKeyRequired applies to REST APIs only'
 * gw.warnings.length // 1
 * ```
 */
export interface GatewayWarning {
  code: 'UNSUPPORTED_EXTENSION' | 'NO_INTEGRATION' | 'IGNORED_SETTING' | 'SHARED_CACHE'
  message: string
  pointer: string
}

/**
 * Stable codes of {@link GatewayConfigError}.
 *
 * @example
 * ```ts
 * import { createGateway, GatewayConfigError, type GatewayConfigErrorCode } from '@gatehousejs/core'
 * let code: GatewayConfigErrorCode | undefined
 * try {
 *   createGateway({ api: { resources: { '/pets': { GET: { integration: { type: 'AWS_PROXY', uri: 'listPets' } } } } } })
 * } catch (e) {
 *   if (e instanceof GatewayConfigError) code = e.code
 * }
 * code // 'UNKNOWN_FUNCTION'
 * ```
 */
export type GatewayConfigErrorCode = 'INVALID_DEFINITION' | 'UNSUPPORTED_FEATURE' | 'UNKNOWN_FUNCTION' | 'INVALID_OPTION'

/**
 * A definition or option the gateway cannot serve. `pointer` is the JSON pointer (RFC 6901) of the offending
 * value inside the API document, when there is one.
 *
 * @example
 * ```ts
 * import { createGateway, GatewayConfigError } from '@gatehousejs/core'
 * try {
 *   // No function is given for the integration's URI.
 *   createGateway({ api: { resources: { '/pets': { GET: { integration: { type: 'AWS_PROXY', uri: 'listPets' } } } } } })
 * } catch (e) {
 *   if (!(e instanceof GatewayConfigError)) throw e
 *   e.code // 'UNKNOWN_FUNCTION'
 *   e.pointer // '/resources/~1pets/GET/integration/uri'
 * }
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
    // The whole document ('') reads as `/`, as warnings print it.
    super(pointer === undefined ? message : `${pointer || '/'}: ${message}`, options)
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
