/**
 * `@gatehousejs/schema`: JSON Schema (draft-04 as API Gateway models, draft-07, 2020-12) compiled to fast
 * validators, with API Gateway's error wording.
 */
import type { SchemaOptions, Validator } from './types'
import { SchemaCompileError } from './types'
import { compileClosures, compileGenerated } from './validator'

/**
 * Compile a JSON Schema into a validator returning `null` when a value is valid, else a non-empty array of
 * `{ instancePath, keyword, message }`. Throws {@link SchemaCompileError} for an invalid schema.
 *
 * @example
 * import { compileSchema } from '@gatehousejs/schema'
 * const validate = compileSchema({ type: 'object', required: ['name'], properties: { name: { type: 'string' } } })
 * validate({ name: 'Rex' }) // null
 * validate({}) // [{ instancePath: '', keyword: 'required', message: 'object has missing required properties (["name"])' }]
 */
export function compileSchema(schema: unknown, options: SchemaOptions = {}): Validator {
  if (options.codegen !== false) {
    try {
      return compileGenerated(schema, options)
    } catch (e) {
      // A bad schema is the user's error; anything else (no eval under CSP, oversized code) means closures.
      if (e instanceof SchemaCompileError) throw e
    }
  }
  return compileClosures(schema, options)
}

export { formatValidationErrors } from './messages'
export { SchemaCompileError }
export type { Draft, FormatCheck, SchemaErrorCode, SchemaOptions, ValidationError, Validator } from './types'
