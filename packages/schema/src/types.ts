/**
 * Public types of `@gatehousejs/schema`: options, errors and the validator's result.
 */

/**
 * One validation failure. `instancePath` is a JSON pointer into the validated value (`''` for the root),
 * `keyword` names the schema keyword that failed, `message` follows the wording of API Gateway's validator.
 *
 * Validators return objects whose `message` is formatted when first read (an accessor, not an own property),
 * so `JSON.stringify(e)` and `e.toJSON()` give all three fields, while `{ ...e }`, `Object.keys(e)` and
 * `structuredClone(e)` see only `instancePath` and `keyword`: copy with `e.toJSON()`.
 *
 * @example
 * import { compileSchema } from '@gatehousejs/schema'
 * for (const e of compileSchema({ type: 'string' })(1) ?? []) {
 *   e.message // 'instance type (integer) does not match any allowed primitive type (allowed: ["string"])'
 *   JSON.stringify(e) // '{"instancePath":"","keyword":"type","message":"instance type (integer) …"}'
 *   const plain = e.toJSON() // { instancePath: '', keyword: 'type', message: '…' }, a plain object
 * }
 */
export interface ValidationError {
  instancePath: string
  keyword: string
  message: string
  /** The three fields as a plain object (what `JSON.stringify` writes). */
  toJSON(): { instancePath: string; keyword: string; message: string }
}

/**
 * A compiled validator: `null` when the value is valid, else a non-empty array of errors.
 *
 * @example
 * import { compileSchema, type Validator } from '@gatehousejs/schema'
 * const models = new Map<string, Validator>([['Pet', compileSchema({ type: 'object', required: ['name'] })]])
 * const errors = models.get('Pet')!({ name: 'Rex' }) // null: valid
 * if (errors !== null) console.error(errors.map((e) => `${e.instancePath} ${e.message}`))
 */
export type Validator = (value: unknown) => ValidationError[] | null

/**
 * The JSON Schema dialect. `4` is draft-04 (API Gateway models), `7` draft-07 (draft-06 schemas are read as
 * draft-07), `2020` is 2020-12 (also used for 2019-09 `$schema` URIs; OpenAPI 3.1).
 *
 * @example
 * import { compileSchema, type Draft } from '@gatehousejs/schema'
 * // OpenAPI 3.1 documents hold 2020-12 schemas; API Gateway models are draft-04 (the default).
 * const draft: Draft = 2020
 * const validate = compileSchema({ prefixItems: [{ type: 'string' }], items: false }, { draft })
 * validate(['a', 'b'])?.[0]?.keyword // 'items'
 */
export type Draft = 4 | 7 | 2020

/**
 * A custom format: a predicate on strings or a regular expression a string must match.
 *
 * @example
 * import { compileSchema, type FormatCheck } from '@gatehousejs/schema'
 * const petId: FormatCheck = /^pet-[0-9]+$/
 * const even: FormatCheck = (s) => s.length % 2 === 0
 * const validate = compileSchema({ type: 'string', format: 'pet-id' }, { formats: { 'pet-id': petId, even } })
 * validate('pet-7') // null
 * validate('dog-7')?.[0]?.message // 'string "dog-7" is not a valid pet-id'
 */
export type FormatCheck = ((value: string) => boolean) | RegExp

/**
 * Options of {@link compileSchema}.
 *
 * @example
 * import { compileSchema } from '@gatehousejs/schema'
 * const validate = compileSchema(
 *   { $ref: 'https://apigateway.amazonaws.com/restapis/a1b2c3/models/Pet' },
 *   { draft: 4, allErrors: false, schemas: { Pet: { type: 'object', required: ['name'] } } },
 * )
 * validate({}) // [{ instancePath: '', keyword: 'required', message: 'object has missing required properties (["name"])' }]
 */
export interface SchemaOptions {
  /** Dialect when the schema has no recognised `$schema` (default 4, as API Gateway models). */
  draft?: Draft
  /**
   * `true` (default): the built-in formats are asserted (date-time, email, hostname, ipv4, ipv6, uri, and more);
   * `false`: `format` is ignored; an object adds or overrides formats (built-ins stay on).
   */
  formats?: boolean | Record<string, FormatCheck>
  /**
   * Other schemas `$ref` may point at, keyed by URI or by name. A name key `Pet` is also reachable as
   * `https://apigateway.amazonaws.com/restapis/<any api>/models/Pet`. A schema carrying its own `id`/`$id`
   * is reachable under that too. An array registers schemas by their `id`/`$id` only.
   */
  schemas?: Record<string, unknown> | unknown[]
  /** Report every failing keyword (default `true`, as API Gateway lists several) or stop at the first. */
  allErrors?: boolean
  /**
   * Generate JavaScript with `new Function` for speed (default `true`). Falls back to closures by itself when
   * code generation is unavailable (CSP, some edge runtimes).
   */
  codegen?: boolean
  /**
   * Accept `pattern`/`patternProperties` regexes that cannot be matched in linear time — backreferences and
   * lookaround, or a program over the engine's size bound — and run them on the native RegExp, with no time
   * bound on hostile input. Default `false`: such a schema fails to compile with `UNSAFE_PATTERN`. Every other
   * regex (nested quantifiers like `(a+)+` included) runs in time linear in the string either way.
   */
  allowUnsafePatterns?: boolean
}

/**
 * Stable codes of {@link SchemaCompileError}.
 *
 * @example
 * import { compileSchema, SchemaCompileError } from '@gatehousejs/schema'
 * try {
 *   compileSchema({ $ref: '#/definitions/Pet' })
 * } catch (e) {
 *   if (!(e instanceof SchemaCompileError)) throw e
 *   switch (e.code) {
 *     case 'UNRESOLVED_REF':
 *       console.error(`no schema for the $ref at ${e.pointer}`) // '/$ref'
 *       break
 *     case 'UNSAFE_PATTERN':
 *       console.error('a pattern needs allowUnsafePatterns')
 *       break
 *     default:
 *       throw e
 *   }
 * }
 */
export type SchemaErrorCode = 'INVALID_SCHEMA' | 'UNRESOLVED_REF' | 'INVALID_PATTERN' | 'UNSAFE_PATTERN' | 'INVALID_OPTIONS'

/**
 * Thrown by {@link compileSchema} when a schema cannot be compiled. `pointer` is the JSON pointer of the
 * offending place in the schema (`''` for the root).
 *
 * @example
 * import { compileSchema, SchemaCompileError } from '@gatehousejs/schema'
 * try {
 *   compileSchema({ type: 'strin' })
 * } catch (e) {
 *   if (e instanceof SchemaCompileError) console.error(e.code, e.pointer) // 'INVALID_SCHEMA' '/type'
 * }
 */
export class SchemaCompileError extends Error {
  readonly code: SchemaErrorCode
  readonly pointer: string
  constructor(code: SchemaErrorCode, pointer: string, message: string) {
    super(`${message} (at schema pointer "${pointer}")`)
    this.name = 'SchemaCompileError'
    this.code = code
    this.pointer = pointer
  }
}
