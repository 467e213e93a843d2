// Error messages in the wording of API Gateway's validator (java-json-tools json-schema-validator), so that
// `$context.error.validationErrorString` reads the same as on AWS.

/** Can the string be quoted as is (no character JSON.stringify would escape)? */
function plain(s: string): boolean {
  if (s.length > 64) return false
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return false
  }
  return true
}

/** Render a JSON value the way Jackson prints it (compact JSON). */
export function show(v: unknown): string {
  // Fast paths for the common shapes; JSON.stringify is the slow part of building an error.
  switch (typeof v) {
    case 'string':
      return plain(v) ? '"' + v + '"' : JSON.stringify(v)
    case 'number':
      return Number.isFinite(v) ? String(v) : 'null'
    case 'boolean':
      return v ? 'true' : 'false'
  }
  if (v === null) return 'null'
  if (Array.isArray(v)) {
    let out = '['
    for (let i = 0; i < v.length; i++) {
      const x = v[i]
      if (typeof x !== 'string' || !plain(x)) return stringify(v)
      out += (i === 0 ? '"' : ',"') + x + '"'
    }
    return out + ']'
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

export const msg = {
  type: (v: unknown, allowed: readonly string[]) =>
    `instance type (${jsonType(v)}) does not match any allowed primitive type (allowed: ${showConst(allowed)})`,
  enum: (v: unknown, values: unknown) => `instance value (${show(v)}) not found in enum (possible values: ${showConst(values)})`,
  const: (v: unknown, c: unknown) => `instance value (${show(v)}) does not match constant value (${showConst(c)})`,
  required: (missing: string[]) => `object has missing required properties (${show(missing)})`,
  additionalProperties: (extra: string[]) =>
    `object instance has properties which are not allowed by the schema: ${show(extra)}`,
  minLength: (s: string, n: number, min: number) =>
    `string ${show(s)} is too short (length: ${n}, required minimum: ${min})`,
  maxLength: (s: string, n: number, max: number) =>
    `string ${show(s)} is too long (length: ${n}, maximum allowed: ${max})`,
  /** `shownPattern` is the pattern already rendered with `show` (done once, at compile time). */
  pattern: (shownPattern: string, s: string) => `ECMA 262 regex ${shownPattern} does not match input string ${show(s)}`,
  minimum: (m: number, v: number) => `numeric instance is lower than the required minimum (minimum: ${m}, found: ${v})`,
  exclusiveMinimum: (m: number, v: number) =>
    `numeric instance is not strictly greater than the required minimum ${m} (found: ${v})`,
  maximum: (m: number, v: number) => `numeric instance is greater than the required maximum (maximum: ${m}, found: ${v})`,
  exclusiveMaximum: (m: number, v: number) =>
    `numeric instance is not strictly lower than the required maximum ${m} (found: ${v})`,
  multipleOf: (v: number, m: number) => `remainder of division is not zero (${v} / ${m})`,
  minItems: (n: number, len: number) =>
    `array is too short: must have at least ${n} elements but instance has ${len} elements`,
  maxItems: (n: number, len: number) => `array is too long: must have at most ${n} elements but instance has ${len} elements`,
  uniqueItems: () => 'array must not contain duplicate elements',
  additionalItems: (allowed: number, len: number) =>
    `array instance has ${len} elements but the schema allows at most ${allowed} (additional items are not allowed)`,
  minProperties: (n: number, min: number) => `object has too few properties (found ${n} but schema requires at least ${min})`,
  maxProperties: (n: number, max: number) => `object has too many properties (found ${n} but schema requires at most ${max})`,
  dependencies: (p: string, req: string[], missing: string[]) =>
    `property ${show(p)} of object has missing property dependencies (schema requires ${showConst(req)}; missing: ${show(missing)})`,
  allOf: (matched: number, n: number) => `instance failed to match all required schemas (matched only ${matched} out of ${n})`,
  anyOf: (n: number) => `instance failed to match at least one required schema among ${n}`,
  oneOf: (matched: number, n: number) => `instance failed to match exactly one schema (matched ${matched} out of ${n})`,
  not: () => 'instance matched a schema which it should not have',
  falseSchema: () => 'schema is false: no instance is valid',
  contains: () => 'array does not contain enough elements matching the "contains" schema',
  maxContains: () => 'array contains too many elements matching the "contains" schema',
  ifThenElse: (branch: string) => `instance failed to match the "${branch}" schema of a conditional`,
  propertyNames: (name: string) => `property name ${show(name)} is not valid against the "propertyNames" schema`,
  unevaluatedProperties: (extra: string[]) =>
    `object instance has unevaluated properties which are not allowed by the schema: ${show(extra)}`,
  unevaluatedItems: (index: number) => `array element at index ${index} is not allowed by the schema (unevaluated item)`,
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
 * formatValidationErrors([{ instancePath: '', keyword: 'required', message: 'object has missing required properties (["name"])' }])
 * // '[object has missing required properties (["name"])]'
 */
export function formatValidationErrors(errors: ReadonlyArray<{ message: string }> | null): string {
  if (errors === null) return '[]'
  return `[${errors.map((e) => e.message).join(', ')}]`
}
