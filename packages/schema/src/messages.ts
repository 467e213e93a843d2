/**
 * Error messages in the wording of API Gateway's validator (java-json-tools json-schema-validator), so that
 * `$context.error.validationErrorString` reads the same as on AWS.
 */
import { codePoints } from './instance'

/** Can the string be quoted as is (no character JSON.stringify would escape)? */
function plain(s: string): boolean {
  if (s.length > 64) return false
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return false
  }
  return true
}

/**
 * A value of the validated document already rendered: an error's message is formatted when first read, and an
 * object or array the caller may mutate in the meantime must be quoted as it was when validation failed.
 */
export class Shown {
  constructor(readonly text: string) {}
}

/** An instance value fit to keep in an error until its message is read (objects are rendered now). */
export function snap(v: unknown): unknown {
  return typeof v === 'object' && v !== null ? new Shown(show(v)) : v
}

/** Render a JSON value the way Jackson prints it (compact JSON). */
export function show(v: unknown): string {
  // Fast paths for the common shapes; JSON.stringify is the slow part of building a message.
  switch (typeof v) {
    case 'string':
      return plain(v) ? `"${v}"` : JSON.stringify(v)
    case 'number':
      return Number.isFinite(v) ? String(v) : 'null'
    case 'boolean':
      return v ? 'true' : 'false'
  }
  if (v === null) return 'null'
  if (v instanceof Shown) return v.text
  if (Array.isArray(v)) {
    let out = '['
    for (let i = 0; i < v.length; i++) {
      const x = v[i]
      if (typeof x !== 'string' || !plain(x)) return stringify(v)
      out += `${(i === 0 ? '"' : ',"') + x}"`
    }
    return `${out}]`
  }
  return stringify(v)
}

function stringify(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v)
  } catch {
    return String(v)
  }
}

// Schema-side values (allowed types, enum values) never change after compilation: render them once.
const rendered = new WeakMap<object, string>()

/** `show` for values that come from the schema, cached per object. */
export function showConst(v: unknown): string {
  if (v === null || typeof v !== 'object') return show(v)
  let s = rendered.get(v)
  if (s === undefined) {
    s = show(v)
    rendered.set(v, s)
  }
  return s
}

/** The JSON type name the AWS validator reports (`integer` for integral numbers). */
export function jsonType(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'array'
  const t = typeof v
  if (t === 'number') return Number.isInteger(v) ? 'integer' : 'number'
  return t
}

/** A hole in a message template: argument `i` as compact JSON, as plain text, or its length in code points. */
export type Hole = { show: number } | { text: number } | { length: number }

/** A message as literal text and holes. */
export type Template = ReadonlyArray<string | Hole>

const S = (i: number): Hole => ({ show: i })
const X = (i: number): Hole => ({ text: i })
const L = (i: number): Hole => ({ length: i })

/** Every message with arguments; the holes say how each argument is printed. */
export const TEMPLATES = {
  type: ['instance type (', X(0), ') does not match any allowed primitive type (allowed: ', S(1), ')'],
  enum: ['instance value (', S(0), ') not found in enum (possible values: ', S(1), ')'],
  const: ['instance value (', S(0), ') does not match constant value (', S(1), ')'],
  required: ['object has missing required properties (', S(0), ')'],
  additionalProperties: ['object instance has properties which are not allowed by the schema: ', S(0)],
  minLength: ['string ', S(0), ' is too short (length: ', L(0), ', required minimum: ', X(1), ')'],
  maxLength: ['string ', S(0), ' is too long (length: ', L(0), ', maximum allowed: ', X(1), ')'],
  pattern: ['ECMA 262 regex ', S(0), ' does not match input string ', S(1)],
  minimum: ['numeric instance is lower than the required minimum (minimum: ', X(0), ', found: ', X(1), ')'],
  exclusiveMinimum: ['numeric instance is not strictly greater than the required minimum ', X(0), ' (found: ', X(1), ')'],
  maximum: ['numeric instance is greater than the required maximum (maximum: ', X(0), ', found: ', X(1), ')'],
  exclusiveMaximum: ['numeric instance is not strictly lower than the required maximum ', X(0), ' (found: ', X(1), ')'],
  multipleOf: ['remainder of division is not zero (', X(0), ' / ', X(1), ')'],
  minItems: ['array is too short: must have at least ', X(0), ' elements but instance has ', X(1), ' elements'],
  maxItems: ['array is too long: must have at most ', X(0), ' elements but instance has ', X(1), ' elements'],
  uniqueItems: ['array must not contain duplicate elements'],
  additionalItems: ['array instance has ', X(1), ' elements but the schema allows at most ', X(0), ' (additional items are not allowed)'],
  minProperties: ['object has too few properties (found ', X(0), ' but schema requires at least ', X(1), ')'],
  maxProperties: ['object has too many properties (found ', X(0), ' but schema requires at most ', X(1), ')'],
  dependencies: ['property ', S(0), ' of object has missing property dependencies (schema requires ', S(1), '; missing: ', S(2), ')'],
  allOf: ['instance failed to match all required schemas (matched only ', X(0), ' out of ', X(1), ')'],
  anyOf: ['instance failed to match at least one required schema among ', X(0)],
  oneOf: ['instance failed to match exactly one schema (matched ', X(0), ' out of ', X(1), ')'],
  not: ['instance matched a schema which it should not have'],
  falseSchema: ['schema is false: no instance is valid'],
  contains: ['array does not contain enough elements matching the "contains" schema'],
  maxContains: ['array contains too many elements matching the "contains" schema'],
  propertyNames: ['property name ', S(0), ' is not valid against the "propertyNames" schema'],
  unevaluatedProperties: ['object instance has unevaluated properties which are not allowed by the schema: ', S(0)],
  unevaluatedItems: ['array element at index ', X(0), ' is not allowed by the schema (unevaluated item)'],
} satisfies Record<string, Template>

/** Render one hole for argument `a`. */
export function renderHole(h: Hole, a: unknown): string {
  return 'show' in h ? show(a) : 'text' in h ? String(a) : String(codePoints(a as string))
}

/** Fill a template with its arguments. */
export function fill(t: Template, args: readonly unknown[]): string {
  let out = ''
  for (const p of t) out += typeof p === 'string' ? p : renderHole(p, args['show' in p ? p.show : 'text' in p ? p.text : p.length])
  return out
}

type T = typeof TEMPLATES
const f =
  <K extends keyof T>(k: K) =>
  (...args: unknown[]) =>
    fill(TEMPLATES[k], args)

/**
 * The message formatters, one per message. Errors keep a formatter and its arguments and call it when their
 * message is first read (see ./error), so arguments must not change afterwards: instance values go through
 * {@link snap} where they can be objects.
 */
export const msg = {
  type: f('type') as (typeName: string, allowed: readonly string[]) => string,
  enum: f('enum') as (v: unknown, values: unknown) => string,
  const: f('const') as (v: unknown, c: unknown) => string,
  required: f('required') as (missing: string[]) => string,
  additionalProperties: f('additionalProperties') as (extra: string[]) => string,
  minLength: f('minLength') as (s: string, min: number) => string,
  maxLength: f('maxLength') as (s: string, max: number) => string,
  pattern: f('pattern') as (pattern: string, s: string) => string,
  minimum: f('minimum') as (m: number, v: number) => string,
  exclusiveMinimum: f('exclusiveMinimum') as (m: number, v: number) => string,
  maximum: f('maximum') as (m: number, v: number) => string,
  exclusiveMaximum: f('exclusiveMaximum') as (m: number, v: number) => string,
  multipleOf: f('multipleOf') as (v: number, m: number) => string,
  minItems: f('minItems') as (n: number, len: number) => string,
  maxItems: f('maxItems') as (n: number, len: number) => string,
  uniqueItems: f('uniqueItems') as () => string,
  additionalItems: f('additionalItems') as (allowed: number, len: number) => string,
  minProperties: f('minProperties') as (n: number, min: number) => string,
  maxProperties: f('maxProperties') as (n: number, max: number) => string,
  dependencies: f('dependencies') as (p: string, req: string[], missing: string[]) => string,
  allOf: f('allOf') as (matched: number, n: number) => string,
  anyOf: f('anyOf') as (n: number) => string,
  oneOf: f('oneOf') as (matched: number, n: number) => string,
  not: f('not') as () => string,
  falseSchema: f('falseSchema') as () => string,
  contains: f('contains') as () => string,
  maxContains: f('maxContains') as () => string,
  propertyNames: f('propertyNames') as (name: string) => string,
  unevaluatedProperties: f('unevaluatedProperties') as (extra: string[]) => string,
  unevaluatedItems: f('unevaluatedItems') as (index: number) => string,
  format: (name: string, s: string) => {
    switch (name) {
      case 'email':
        return `string ${show(s)} is not a valid email address`
      case 'hostname':
        return `string ${show(s)} is not a valid hostname`
      case 'ipv4':
        return `string ${show(s)} is not a valid IPv4 address`
      case 'ipv6':
        return `string ${show(s)} is not a valid IPv6 address`
      case 'uri':
        return `string ${show(s)} is not a valid URI`
      case 'date-time':
        return `string ${show(s)} is invalid against requested date format(s) [yyyy-MM-dd'T'HH:mm:ssZ, yyyy-MM-dd'T'HH:mm:ss.[0-9]{1,12}Z]`
      default:
        return `string ${show(s)} is not a valid ${name}`
    }
  },
  depth: () => 'instance is nested too deeply to validate',
}

/**
 * Format errors the way API Gateway fills `$context.error.validationErrorString`: the messages in a
 * bracketed, comma-separated list (a Java `List.toString()`).
 *
 * @example
 * import { compileSchema, formatValidationErrors } from '@gatehousejs/schema'
 * const validate = compileSchema({ type: 'object', required: ['name'] })
 * formatValidationErrors(validate({})) // '[object has missing required properties (["name"])]'
 * formatValidationErrors(validate({ name: 'Rex' })) // '[]'
 */
export function formatValidationErrors(errors: ReadonlyArray<{ message: string }> | null): string {
  if (errors === null) return '[]'
  return `[${errors.map((e) => e.message).join(', ')}]`
}
