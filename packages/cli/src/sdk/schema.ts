/**
 * JSON Schema (draft 4, with OpenAPI's `nullable`) to a TypeScript type expression: `object` (properties,
 * `required`, `additionalProperties`), `array`, `enum`, `oneOf` / `anyOf` (unions), `allOf` (intersections), `$ref`
 * to a model (API Gateway's model URL or a document reference) and `nullable`. What has no TypeScript form is
 * `unknown`. Depth is bounded.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/models-mappings-models.html
 */

type Json = Record<string, unknown>

const MODEL_REF = /(?:\/models\/|#\/components\/schemas\/|#\/definitions\/)([^/#]+)$/
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/

/**
 * A type name for a model name: PascalCase, letters and digits only.
 *
 * @example
 * ```ts
 * typeName('pet-list') // 'PetList'
 * ```
 */
export function typeName(model: string): string {
  const name = model
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]?.toUpperCase() + w.slice(1))
    .join('')
  return /^[A-Za-z]/.test(name) ? name : `Model${name}`
}

/**
 * A property key as TypeScript writes it (quoted when it is not an identifier).
 *
 * @example
 * ```ts
 * propertyKey('a-b') // '"a-b"'
 * ```
 */
export function propertyKey(key: string): string {
  return IDENTIFIER.test(key) ? key : JSON.stringify(key)
}

/**
 * The model a `$ref` names (API Gateway's model URL or a document reference), or undefined.
 *
 * @example
 * ```ts
 * refModel('#/components/schemas/Pet') // 'Pet'
 * ```
 */
export function refModel(ref: string): string | undefined {
  const m = MODEL_REF.exec(ref)
  if (!m) return undefined
  let name = m[1] as string
  try {
    name = decodeURIComponent(name)
  } catch {
    // kept as written
  }
  return name.replace(/~1/g, '/').replace(/~0/g, '~')
}

function literal(v: unknown): string {
  return v === null || ['string', 'number', 'boolean'].includes(typeof v) ? JSON.stringify(v) : 'unknown'
}

function union(types: string[]): string {
  const unique = [...new Set(types)]
  if (unique.includes('unknown')) return 'unknown'
  return unique.length === 0 ? 'never' : unique.length === 1 ? (unique[0] as string) : unique.map((t) => paren(t)).join(' | ')
}

function paren(t: string): string {
  return /^[\w$."-]+(\[\])?$/.test(t) || /^\{[\s\S]*\}$/.test(t) || /^\([\s\S]*\)$/.test(t) ? t : `(${t})`
}

/**
 * The TypeScript type of a schema. `models` are the names that exist (a `$ref` to another name is `unknown`).
 *
 * @example
 * ```ts
 * schemaToTs({ type: 'object', required: ['id'], properties: { id: { type: 'integer' }, tag: { type: 'string', nullable: true } } }, new Set())
 * // '{ id: number; tag?: string | null }'
 * ```
 */
export function schemaToTs(schema: unknown, models: ReadonlySet<string>, depth = 0): string {
  if (depth > 32 || schema === null || typeof schema !== 'object' || Array.isArray(schema)) return 'unknown'
  const s = schema as Json
  const nullable = s.nullable === true
  const t = baseType(s, models, depth)
  return nullable && t !== 'unknown' ? union([t, 'null']) : t
}

function baseType(s: Json, models: ReadonlySet<string>, depth: number): string {
  if (typeof s.$ref === 'string') {
    const model = refModel(s.$ref)
    return model !== undefined && models.has(model) ? typeName(model) : 'unknown'
  }
  if (Array.isArray(s.enum)) return union(s.enum.map(literal))
  if (Array.isArray(s.oneOf)) return union(s.oneOf.map((x) => schemaToTs(x, models, depth + 1)))
  if (Array.isArray(s.anyOf)) return union(s.anyOf.map((x) => schemaToTs(x, models, depth + 1)))
  if (Array.isArray(s.allOf)) {
    const parts = [...new Set(s.allOf.map((x) => schemaToTs(x, models, depth + 1)))].filter((p) => p !== 'unknown')
    return parts.length === 0 ? 'unknown' : parts.map(paren).join(' & ')
  }
  const type = s.type
  if (Array.isArray(type)) return union(type.map((one) => baseType({ ...s, type: one }, models, depth)))
  switch (type) {
    case 'string':
      return 'string'
    case 'number':
    case 'integer':
      return 'number'
    case 'boolean':
      return 'boolean'
    case 'null':
      return 'null'
    case 'array':
      return `${paren(schemaToTs(s.items, models, depth + 1))}[]`
    case 'object':
      return objectType(s, models, depth)
    default:
      return s.properties !== undefined || s.additionalProperties !== undefined ? objectType(s, models, depth) : 'unknown'
  }
}

function objectType(s: Json, models: ReadonlySet<string>, depth: number): string {
  const required = new Set(Array.isArray(s.required) ? s.required.filter((r): r is string => typeof r === 'string') : [])
  const props =
    s.properties !== null && typeof s.properties === 'object' && !Array.isArray(s.properties) ? Object.entries(s.properties as Json) : []
  const fields = props.map(([k, v]) => `${propertyKey(k)}${required.has(k) ? '' : '?'}: ${schemaToTs(v, models, depth + 1)}`)
  const extra = s.additionalProperties
  let index: string | undefined
  if (extra === true || (extra === undefined && props.length === 0)) index = 'unknown'
  else if (extra !== null && typeof extra === 'object') index = schemaToTs(extra, models, depth + 1)
  const body = fields.length > 0 ? `{ ${fields.join('; ')} }` : undefined
  if (index === undefined) return body ?? 'Record<string, never>'
  const map = `{ [key: string]: ${index} }`
  return body ? `${body} & ${map}` : map
}
