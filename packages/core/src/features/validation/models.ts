/**
 * Models: JSON Schemas (draft-04, as API Gateway models) by name, compiled once per gateway with
 * `@gatehousejs/schema`. Every REST API on AWS has the built-in `Empty` and `Error` models; a model of the same name
 * in the definition replaces them. Models reach each other by `$ref` to API Gateway's model URL form
 * (`https://apigateway.amazonaws.com/restapis/{restapi_id}/models/{name}`), which the schema module resolves
 * against the `schemas` it is given.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/models-mappings-models.html
 */
import { compileSchema, SchemaCompileError, type Validator } from '@gatehousejs/schema'
import type { ApiDefinition } from '../../definition'
import { GatewayConfigError, pointer } from '../../errors'

const DRAFT4 = 'http://json-schema.org/draft-04/schema#'

/**
 * The models API Gateway creates in every REST API (`Empty`, `Error`); `requestModels` may name them without
 * defining them.
 *
 * @example
 * ```ts
 * import { BUILT_IN_MODELS, createGateway } from '@gatehousejs/core'
 * BUILT_IN_MODELS.Empty // { $schema: 'http://json-schema.org/draft-04/schema#', title: 'Empty Schema', type: 'object' }
 * // `Empty` accepts any JSON object, and nothing else.
 * const gw = createGateway({
 *   api: {
 *     requestValidators: { body: { validateRequestBody: true } },
 *     resources: {
 *       '/pets': { POST: { requestValidator: 'body', requestModels: { 'application/json': 'Empty' }, integration: { type: 'AWS_PROXY', uri: 'addPet' } } },
 *     },
 *   },
 *   functions: { addPet: async () => ({ statusCode: 201, body: '{}' }) },
 * })
 * const post = (body: string) => gw.handle({ method: 'POST', path: '/pets', headers: { 'content-type': 'application/json' }, body })
 * ;(await post('{"name":"Rex"}')).statusCode // 201
 * ;(await post('[1, 2]')).statusCode // 400
 * ```
 */
export const BUILT_IN_MODELS: Readonly<Record<string, Record<string, unknown>>> = {
  Empty: { $schema: DRAFT4, title: 'Empty Schema', type: 'object' },
  Error: { $schema: DRAFT4, title: 'Error Schema', type: 'object', properties: { message: { type: 'string' } } },
}

/** The URL API Gateway uses for a model in `$ref`s between models. */
export function modelUrl(name: string): string {
  return `https://apigateway.amazonaws.com/restapis/{restapi_id}/models/${encodeURIComponent(name)}`
}

/** Compiled models of one gateway: each model compiled at most once, on first use by a route. */
export interface ModelSet {
  has(name: string): boolean
  /** The model's validator; throws `GatewayConfigError` naming `/models/{name}…` for a model that does not compile. */
  validator(name: string): Validator
}

export function createModelSet(definition: ApiDefinition): ModelSet {
  const models: Record<string, unknown> = { ...BUILT_IN_MODELS, ...(definition.models ?? {}) }
  const compiled = new Map<string, Validator>()
  return {
    has: (name) => Object.prototype.hasOwnProperty.call(models, name),
    validator(name) {
      let v = compiled.get(name)
      if (v) return v
      const schema = models[name]
      const at = pointer('models', name)
      if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
        throw new GatewayConfigError('INVALID_DEFINITION', 'a model must be a JSON Schema object', at)
      }
      try {
        v = compileSchema(schema, { schemas: models })
      } catch (e) {
        if (e instanceof SchemaCompileError) {
          throw new GatewayConfigError('INVALID_DEFINITION', `invalid model "${name}": ${e.message}`, `${at}${e.pointer}`, { cause: e })
        }
        throw e
      }
      compiled.set(name, v)
      return v
    },
  }
}
