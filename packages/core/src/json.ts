/**
 * Reading a definition's JSON: what a value is, before a feature reads it as one.
 */

/**
 * A JSON object (not null, not an array).
 *
 * @example
 * ```ts
 * isObject({ a: 1 }) // true
 * isObject([1]) // false
 * ```
 */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
