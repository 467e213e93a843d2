/**
 * `@gatehouse/schema`: JSON Schema (draft-04 as API Gateway models, draft-07, 2020-12) compiled to fast
 * validators, with API Gateway's error wording.
 */
import type { SchemaOptions, Validator } from './types'
import { compileClosures } from './validator'

/**
 * Compile a JSON Schema into a validator returning `null` when a value is valid, else a non-empty array of
 * `{ instancePath, keyword, message }`. Throws {@link SchemaCompileError} for an invalid schema.
 *
 * @example
 * const validate = compileSchema({ type: 'object', required: ['name'], properties: { name: { type: 'string' } } })
 * validate({ name: 'Rex' }) // null
 * validate({}) // [{ instancePath: '', keyword: 'required', message: 'object has missing required properties (["name"])' }]
 */
export function compileSchema(schema: unknown, options: SchemaOptions = {}): Validator {
  return compileClosures(schema, options)
}

export { formatValidationErrors } from './messages'
export { SchemaCompileError } from './types'
export type { Draft, FormatCheck, SchemaErrorCode, SchemaOptions, ValidationError, Validator } from './types'
