/**
 * OpenAPI import of models and request validators, as API Gateway's import does:
 * - `components/schemas` (OpenAPI 3) / `definitions` (Swagger 2) become `definition.models`, their `$ref`s to each
 *   other rewritten to API Gateway's model URL form;
 * - an operation's `requestBody.content.<type>.schema` (OpenAPI 3) or body parameter `schema` with `consumes`
 *   (Swagger 2) becomes `method.requestModels` (an inline schema becomes a generated model);
 * - `x-amazon-apigateway-request-validators` and `x-amazon-apigateway-request-validator` (API and method level).
 * HTTP APIs have no request validation: the extensions are ignored with a warning.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-request-validators.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-request-validator.html
 */
import type { ApiDefinition, MethodDefinition, RequestValidatorDefinition } from '../../definition'
import { GatewayConfigError, pointer, pointerToken } from '../../errors'
import { mediaType } from '../../http'
import { pointerTableOf } from '../../openapi/pointers'
import { stateKey, type ImportContext, type Json } from '../types'
import { modelUrl } from './models'
import { isObject } from '../../json'

export const VALIDATORS_KEY = 'x-amazon-apigateway-request-validators'
export const VALIDATOR_KEY = 'x-amazon-apigateway-request-validator'

/** The definition being imported, for the operation importer (which adds generated models to it). */
const IMPORTING = stateKey<{ api: ApiDefinition | null }>('validation-import')

function invalid(message: string, at: string): never {
  throw new GatewayConfigError('INVALID_DEFINITION', message, at)
}

function ignoredForHttp(key: string, at: string, ctx: ImportContext): void {
  ctx.warn({ code: 'IGNORED_SETTING', message: `${key}: HTTP APIs have no request validation`, pointer: at })
}

/** Where the document keeps its models and how its `$ref`s to them start. */
function modelSource(doc: Json): { map: Json; at: string; prefix: string } | null {
  if (typeof doc.openapi === 'string') {
    const components = doc.components
    if (isObject(components) && isObject(components.schemas))
      return { map: components.schemas, at: '/components/schemas', prefix: '#/components/schemas/' }
    return null
  }
  if (isObject(doc.definitions)) return { map: doc.definitions, at: '/definitions', prefix: '#/definitions/' }
  return null
}

function refPrefix(doc: Json): string {
  return typeof doc.openapi === 'string' ? '#/components/schemas/' : '#/definitions/'
}

function decodeToken(t: string): string {
  let s = t
  try {
    s = decodeURIComponent(t)
  } catch {
    // A malformed escape stays as written; the ref then names no model.
  }
  return s.replace(/~1/g, '/').replace(/~0/g, '~')
}

/**
 * A copy of a schema whose `$ref`s to the document's models point at API Gateway's model URLs (a ref into a
 * model, `#/components/schemas/Pet/properties/name`, keeps the rest as the URL's fragment).
 */
function rewriteRefs(schema: unknown, prefix: string, depth = 0, done = new Map<object, unknown>()): unknown {
  if (depth > 256 || typeof schema !== 'object' || schema === null) return schema
  // A node shared by several parents (YAML anchors) is rewritten once: the copy shares it as the original does.
  const copied = done.get(schema)
  if (copied !== undefined) return copied
  if (Array.isArray(schema)) {
    const list: unknown[] = []
    done.set(schema, list)
    for (const s of schema) list.push(rewriteRefs(s, prefix, depth + 1, done))
    return list
  }
  if (!isObject(schema)) return schema
  const out: Json = {}
  done.set(schema, out)
  for (const [k, v] of Object.entries(schema)) {
    if (k === '$ref' && typeof v === 'string' && v.startsWith(prefix)) {
      const rest = v.slice(prefix.length)
      const slash = rest.indexOf('/')
      const name = decodeToken(slash === -1 ? rest : rest.slice(0, slash))
      Object.defineProperty(out, k, {
        value: modelUrl(name) + (slash === -1 ? '' : `#${rest.slice(slash)}`),
        enumerable: true,
        writable: true,
        configurable: true,
      })
    } else {
      // defineProperty: a property named `__proto__` stays a property.
      Object.defineProperty(out, k, {
        value: rewriteRefs(v, prefix, depth + 1, done),
        enumerable: true,
        writable: true,
        configurable: true,
      })
    }
  }
  return out
}

/**
 * The fields of a request validator (`x-amazon-apigateway-request-validators.<name>`) the importer acts on; any
 * other is warned about.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-request-validators.requestValidator.html
 */
export const REQUEST_VALIDATOR_FIELDS: readonly string[] = ['validateRequestBody', 'validateRequestParameters']

function importValidators(value: unknown, at: string, ctx: ImportContext): Record<string, RequestValidatorDefinition> {
  if (!isObject(value)) invalid('must be an object of request validators by name', at)
  const out: Record<string, RequestValidatorDefinition> = {}
  for (const [name, raw] of Object.entries(value)) {
    const vAt = `${at}${pointer(name)}`
    if (!isObject(raw)) invalid('a request validator must be an object', vAt)
    const v: RequestValidatorDefinition = {}
    for (const key of Object.keys(raw)) {
      if (!REQUEST_VALIDATOR_FIELDS.includes(key))
        ctx.warn({
          code: 'IGNORED_SETTING',
          message: `${key} is ignored: gatehouse does not know this setting`,
          pointer: `${vAt}${pointer(key)}`,
        })
    }
    for (const flag of ['validateRequestBody', 'validateRequestParameters'] as const) {
      if (raw[flag] === undefined) continue
      if (typeof raw[flag] !== 'boolean') invalid(`${flag} must be a boolean`, `${vAt}/${flag}`)
      v[flag] = raw[flag] as boolean
    }
    out[name] = v
  }
  return out
}

/** API level: models, the validators and the API's default validator. */
export function importApiValidation(doc: Json, api: ApiDefinition, ctx: ImportContext): void {
  if (ctx.apiType === 'HTTP') {
    for (const key of [VALIDATORS_KEY, VALIDATOR_KEY]) if (doc[key] !== undefined) ignoredForHttp(key, pointer(key), ctx)
    return
  }
  ctx.state.get(IMPORTING, () => ({ api: null })).api = api
  const source = modelSource(doc)
  if (source) {
    const models: Record<string, Record<string, unknown>> = {}
    for (const [name, schema] of Object.entries(source.map)) {
      const at = `${source.at}${pointer(name)}`
      if (!isObject(schema)) invalid('a schema must be an object', at)
      models[name] = rewriteRefs(schema, source.prefix) as Record<string, unknown>
      pointerTableOf(ctx).record(pointer('models', name), at)
    }
    if (Object.keys(models).length > 0) api.models = models
  }
  if (doc[VALIDATORS_KEY] !== undefined) api.requestValidators = importValidators(doc[VALIDATORS_KEY], pointer(VALIDATORS_KEY), ctx)
  if (doc[VALIDATOR_KEY] !== undefined) {
    if (typeof doc[VALIDATOR_KEY] !== 'string') invalid('must be the name of a request validator', pointer(VALIDATOR_KEY))
    api.requestValidator = doc[VALIDATOR_KEY] as string
  }
}

function pascal(s: string): string {
  return s
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('')
}

/** A model name for an inline schema, unique in the definition (AWS model names are alphanumeric). */
function generatedName(api: ApiDefinition, op: Json, at: string): string {
  const tokens = at.split('/').slice(1).map(decodeToken)
  const method = tokens[tokens.length - 1] === 'x-amazon-apigateway-any-method' ? 'any' : (tokens[tokens.length - 1] ?? '')
  const base = pascal(typeof op.operationId === 'string' ? op.operationId : `${method} ${tokens[1] ?? ''}`) || 'Operation'
  let name = `${base}RequestBody`
  for (let i = 2; api.models && Object.prototype.hasOwnProperty.call(api.models, name); i++) name = `${base}RequestBody${i}`
  return name
}

/** The model a body schema names: a `$ref` to a document model, else a generated model holding the inline schema. */
function modelFor(schema: unknown, op: Json, opAt: string, at: string, ctx: ImportContext, api: ApiDefinition): string {
  const prefix = refPrefix(ctx.doc)
  if (!isObject(schema)) invalid('schema must be an object', at)
  const ref = schema.$ref
  if (typeof ref === 'string' && ref.startsWith(prefix) && !ref.slice(prefix.length).includes('/')) {
    const name = decodeToken(ref.slice(prefix.length))
    if (!api.models || !Object.prototype.hasOwnProperty.call(api.models, name)) invalid(`$ref "${ref}" names no model`, at)
    return name
  }
  const name = generatedName(api, op, opAt)
  ;(api.models ??= {})[name] = rewriteRefs(schema, prefix) as Record<string, unknown>
  pointerTableOf(ctx).record(pointer('models', name), at)
  return name
}

/** The path item's `parameters`, for a Swagger 2 body parameter declared on the path. */
function pathItemParameters(ctx: ImportContext, at: string): unknown[] {
  const tokens = at.split('/').slice(1).map(decodeToken)
  if (tokens.length < 3 || tokens[0] !== 'paths') return []
  const paths = ctx.doc.paths
  const item = isObject(paths) ? ctx.deref(paths[tokens[1]!], pointer('paths', tokens[1]!)) : undefined
  return isObject(item) && Array.isArray(item.parameters) ? item.parameters : []
}

function importRequestModels(op: Json, method: MethodDefinition, at: string, ctx: ImportContext, api: ApiDefinition): void {
  const models: Record<string, string> = {}
  /** Where each media type's schema was written, for errors about `requestModels` later. */
  const schemaAt = new Map<string, string>()
  if (typeof ctx.doc.openapi === 'string') {
    if (op.requestBody === undefined) return
    const bodyAt = `${at}/requestBody`
    const body = ctx.deref(op.requestBody, bodyAt)
    if (!isObject(body)) invalid('requestBody must be an object', bodyAt)
    if (body.content === undefined) return
    if (!isObject(body.content)) invalid('content must be an object', `${bodyAt}/content`)
    for (const [type, media] of Object.entries(body.content)) {
      const mAt = `${bodyAt}/content${pointer(type)}`
      if (!isObject(media)) invalid('a media type object must be an object', mAt)
      if (media.schema === undefined) continue
      models[type] = modelFor(media.schema, op, at, `${mAt}/schema`, ctx, api)
      schemaAt.set(type, `${mAt}/schema`)
    }
  } else {
    const own = Array.isArray(op.parameters) ? op.parameters.map((p, i) => [p, `${at}/parameters/${i}`] as const) : []
    const shared = pathItemParameters(ctx, at).map((p, i) => [p, `${at.replace(/\/[^/]+$/, '')}/parameters/${i}`] as const)
    let bodyParam: Json | undefined
    let bodyAt = ''
    for (const [raw, pAt] of [...own, ...shared]) {
      const p = ctx.deref(raw, pAt)
      if (isObject(p) && p.in === 'body') {
        bodyParam = p
        bodyAt = pAt
        break
      }
    }
    if (!bodyParam || bodyParam.schema === undefined) return
    const consumes = Array.isArray(op.consumes) ? op.consumes : Array.isArray(ctx.doc.consumes) ? ctx.doc.consumes : ['application/json']
    const name = modelFor(bodyParam.schema, op, at, `${bodyAt}/schema`, ctx, api)
    for (const type of consumes) {
      if (typeof type !== 'string') continue
      models[type] = name
      schemaAt.set(type, `${bodyAt}/schema`)
    }
  }
  // Keys as written (the definition keeps them); the stage matches them case-insensitively.
  const seen = new Set<string>()
  for (const type of Object.keys(models)) {
    const key = type === '$default' ? type : mediaType(type)
    if (seen.has(key)) delete models[type]
    seen.add(key)
  }
  if (Object.keys(models).length === 0) return
  method.requestModels = models
  const table = pointerTableOf(ctx)
  const methodAt = table.methodOf(at)
  if (methodAt === undefined) return
  for (const type of Object.keys(models)) {
    const where = schemaAt.get(type)
    if (where !== undefined) table.record(`${methodAt}/requestModels/${pointerToken(type)}`, where, 'exact')
  }
}

/** Operation level: the body models and the method's validator. */
export function importOperationValidation(op: Json, method: MethodDefinition, at: string, ctx: ImportContext): void {
  if (ctx.apiType === 'HTTP') {
    if (op[VALIDATOR_KEY] !== undefined) ignoredForHttp(VALIDATOR_KEY, `${at}${pointer(VALIDATOR_KEY)}`, ctx)
    return
  }
  const api = ctx.state.peek(IMPORTING)?.api
  if (!api) return
  if (op[VALIDATOR_KEY] !== undefined) {
    if (typeof op[VALIDATOR_KEY] !== 'string') invalid('must be the name of a request validator', `${at}${pointer(VALIDATOR_KEY)}`)
    method.requestValidator = op[VALIDATOR_KEY] as string
  }
  importRequestModels(op, method, at, ctx, api)
}
