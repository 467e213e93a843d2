/**
 * Models back into a document: the native definition keeps a model's `$ref`s as API Gateway's model URLs
 * (`https://apigateway.amazonaws.com/restapis/{restapi_id}/models/Pet`); the export writes them as the
 * document's own references again (`#/components/schemas/Pet`, `#/definitions/Pet`), as GetExport does.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/models-mappings-models.html
 */

const MODEL_URL = 'https://apigateway.amazonaws.com/restapis/{restapi_id}/models/'

/**
 * A schema with every model-URL `$ref` rewritten to `prefix` + the model's name (JSON-pointer escaped).
 *
 * @example
 * ```ts
 * exportSchema({ items: { $ref: 'https://apigateway.amazonaws.com/restapis/{restapi_id}/models/Pet' } }, '#/definitions/')
 * // { items: { $ref: '#/definitions/Pet' } }
 * ```
 */
export function exportSchema(schema: unknown, prefix: string, depth = 0): unknown {
  if (depth > 256 || typeof schema !== 'object' || schema === null) return schema
  if (Array.isArray(schema)) return schema.map((s) => exportSchema(s, prefix, depth + 1))
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(schema)) {
    let value: unknown
    if (k === '$ref' && typeof v === 'string' && v.startsWith(MODEL_URL)) {
      const rest = v.slice(MODEL_URL.length)
      const hash = rest.indexOf('#')
      const name = decodeURIComponent(hash < 0 ? rest : rest.slice(0, hash))
      value = prefix + name.replace(/~/g, '~0').replace(/\//g, '~1') + (hash < 0 ? '' : rest.slice(hash + 1))
    } else {
      value = exportSchema(v, prefix, depth + 1)
    }
    // defineProperty: a property named `__proto__` stays a property.
    Object.defineProperty(out, k, { value, enumerable: true, writable: true, configurable: true })
  }
  return out
}

/**
 * The `$ref` of a model in the exported document.
 *
 * @example
 * ```ts
 * modelRef('Pet', 'oas30') // '#/components/schemas/Pet'
 * ```
 */
export function modelRef(name: string, format: 'oas30' | 'swagger'): string {
  return `${format === 'oas30' ? '#/components/schemas/' : '#/definitions/'}${name.replace(/~/g, '~0').replace(/\//g, '~1')}`
}
