/**
 * What a mapping template sets in `$context.requestOverride` / `$context.responseOverride`, as the header,
 * parameter or status text API Gateway applies after the template ran.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-override-request-response-parameters.html
 */
import { toText } from '../errors'

/**
 * A `$context.requestOverride` / `responseOverride` value as header or parameter text: lists and maps as JSON,
 * anything else (strings, numbers, VTL doubles) by its string form.
 *
 * @example
 * ```ts
 * overrideText(201) // '201'
 * ```
 */
export function overrideText(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined
  if (
    typeof v === 'object' &&
    (Array.isArray(v) || v instanceof Map || Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null)
  ) {
    return JSON.stringify(v instanceof Map ? Object.fromEntries(v) : v)
  }
  return String(v)
}

/**
 * A `$context.responseOverride.status` value as a status code; undefined when it is not one (API Gateway then
 * keeps the integration response's status).
 *
 * @example
 * ```ts
 * overrideStatus('201') // 201
 * overrideStatus('abc') // undefined
 * ```
 */
export function overrideStatus(v: unknown): number | undefined {
  const n =
    typeof v === 'number'
      ? v
      : typeof v === 'string' && /^\d{3}$/.test(v.trim())
        ? Number(v)
        : typeof v === 'object' && v !== null
          ? Number(toText(v))
          : NaN
  return Number.isInteger(n) && n >= 100 && n <= 599 ? n : undefined
}
