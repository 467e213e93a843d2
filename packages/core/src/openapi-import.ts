/**
 * Import of OpenAPI 3.0 / Swagger 2.0 documents with `x-amazon-apigateway-*` extensions into the native
 * definition, as API Gateway's import does. Problems name the JSON pointer of the offending value; extensions the
 * gateway does not implement are reported as warnings (fatal with `strict`), never silently ignored.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions.html
 */
import type { ApiDefinition, ApiType, CorsConfiguration, MethodDefinition } from './definition'
import { GatewayConfigError, pointer, type GatewayWarning } from './errors'
import { FEATURES } from './features'
import { GatewayState, type ImportContext } from './features/types'
import { GATEWAY_RESPONSE_TYPES, type GatewayResponseDefinition, type GatewayResponseType } from './gateway-responses'
import { isObject } from './json'
import { withVersionStrings } from './openapi/document'
import { importIntegration, numeric, statusCodeString, stringMap } from './openapi/integration'
import { refuseIntrinsics } from './openapi/intrinsics'
import { nativePointer, pointerTableOf, type PointerTable } from './openapi/pointers'
import {
  API_NOT_YET,
  COMPONENTS_EXTENSIONS,
  CORS_FIELDS,
  FEATURE_API_EXTENSIONS,
  FEATURE_OPERATION_EXTENSIONS,
  GATEWAY_RESPONSE_FIELDS,
  INERT_EXTENSIONS,
  METHODS,
  OPERATION_FIELDS,
  PATH_ITEM_FIELDS,
} from './openapi/known'
import { warnUnknown } from './openapi/warn-unknown'

export { isOpenApiDocument } from './openapi/document'

type Json = Record<string, unknown>

/** Native API-level fields and the extension each is imported from (same structure below them). */
const API_FIELDS: readonly [string, string][] = [
  ['/binaryMediaTypes', 'x-amazon-apigateway-binary-media-types'],
  ['/gatewayResponses', 'x-amazon-apigateway-gateway-responses'],
  ['/cors', 'x-amazon-apigateway-cors'],
  ['/policy', 'x-amazon-apigateway-policy'],
  ['/apiKeySource', 'x-amazon-apigateway-api-key-source'],
  ['/requestValidators', 'x-amazon-apigateway-request-validators'],
  ['/requestValidator', 'x-amazon-apigateway-request-validator'],
]

function invalid(message: string, at: string): never {
  throw new GatewayConfigError('INVALID_DEFINITION', message, at)
}

/** Follow a local `$ref` (`#/components/parameters/x`). */
function deref(doc: Json, value: unknown, at: string): unknown {
  let current = value
  for (let depth = 0; isObject(current) && typeof current.$ref === 'string'; depth++) {
    if (depth > 32) invalid('$ref chain too deep or circular', at)
    const ref = current.$ref as string
    if (!ref.startsWith('#/')) invalid(`only local $refs are supported, got "${ref}"`, at)
    let target: unknown = doc
    for (const raw of ref.slice(2).split('/')) {
      const token = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~')
      target = isObject(target) || Array.isArray(target) ? (target as Json)[token] : undefined
      if (target === undefined) invalid(`$ref "${ref}" does not resolve`, at)
    }
    current = target
  }
  return current
}

/**
 * Import an OpenAPI 3 / Swagger 2 document into the native definition.
 *
 * @example
 * ```ts
 * const api = importOpenApi({ openapi: '3.0.1', paths: { '/a': { get: { 'x-amazon-apigateway-integration': { type: 'mock' } } } } }, 'REST', console.warn)
 * api.resources['/a']?.GET?.integration?.type // 'MOCK'
 * ```
 */
export function importOpenApi(doc: Json, apiType: ApiType, warn: (w: GatewayWarning) => void): ApiDefinition {
  return importOpenApiDocument(doc, apiType, warn).definition
}

/** The imported definition and, for each native pointer prefix it created, the document pointer it came from. */
export interface ImportedDocument {
  definition: ApiDefinition
  pointers: PointerTable
}

/**
 * {@link importOpenApi}, with the table that maps the native definition's pointers back into the document (for
 * errors and warnings raised after the import).
 *
 * @example
 * ```ts
 * const { pointers } = importOpenApiDocument(doc, 'REST', console.warn)
 * pointers.map('/resources/~1a/GET/integration/uri') // '/paths/~1a/get/x-amazon-apigateway-integration/uri'
 * ```
 */
export function importOpenApiDocument(source: Json, apiType: ApiType, warn: (w: GatewayWarning) => void): ImportedDocument {
  const doc = withVersionStrings(source)
  if (typeof doc.openapi === 'string' && !/^3\.[01](\.|$)/.test(doc.openapi))
    invalid(`unsupported OpenAPI version "${doc.openapi}" (API Gateway imports OpenAPI 3.0 and Swagger 2.0)`, '/openapi')
  if (!isObject(doc.paths)) invalid('paths must be an object', '/paths')
  refuseIntrinsics(doc)
  const info = isObject(doc.info) ? doc.info : {}
  const api: ApiDefinition = { resources: {} }
  if (typeof info.title === 'string') api.name = info.title
  const ctx: ImportContext = { doc, apiType, warn, deref: (value, at) => deref(doc, value, at), state: new GatewayState() }
  const pointers = pointerTableOf(ctx)
  pointers.record('/resources', '/paths')
  for (const [native, key] of API_FIELDS) if (doc[key] !== undefined) pointers.record(native, pointer(key))
  for (const feature of FEATURES) feature.importApi?.(doc, api, ctx)

  for (const key of Object.keys(doc)) {
    if (!key.startsWith('x-amazon-apigateway-')) continue
    const at = pointer(key)
    const value = doc[key]
    switch (key) {
      case 'x-amazon-apigateway-binary-media-types':
        if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) invalid('must be an array of media types', at)
        api.binaryMediaTypes = value as string[]
        break
      case 'x-amazon-apigateway-gateway-responses':
        api.gatewayResponses = importGatewayResponses(value, at, warn)
        break
      case 'x-amazon-apigateway-cors':
        if (apiType !== 'HTTP')
          warn({ code: 'IGNORED_SETTING', message: 'x-amazon-apigateway-cors applies to HTTP APIs only', pointer: at })
        else api.cors = importCors(value, at, warn)
        break
      default:
        if (Object.hasOwn(API_NOT_YET, key))
          warn({ code: 'UNSUPPORTED_EXTENSION', message: `${key} is not implemented yet: ${API_NOT_YET[key]}`, pointer: at })
        else if (!INERT_EXTENSIONS.has(key) && !FEATURE_API_EXTENSIONS.has(key))
          warn({ code: 'UNSUPPORTED_EXTENSION', message: `${key} is not implemented yet`, pointer: at })
    }
  }

  for (const key of Object.keys(isObject(doc.components) ? doc.components : {})) {
    if (key.startsWith('x-amazon-apigateway-') && !COMPONENTS_EXTENSIONS.includes(key))
      warn({ code: 'UNSUPPORTED_EXTENSION', message: `${key} is not implemented yet`, pointer: `/components${pointer(key)}` })
  }

  for (const [path, rawItem] of Object.entries(doc.paths as Json)) {
    const itemAt = pointer('paths', path)
    const item = deref(doc, rawItem, itemAt)
    if (!isObject(item)) invalid('path item must be an object', itemAt)
    const resourcePath = apiType === 'HTTP' && path === '/$default' ? '$default' : path
    if (resourcePath !== '$default' && !path.startsWith('/')) invalid('path must start with "/"', itemAt)
    const methods: Record<string, MethodDefinition> = {}
    const shared = Array.isArray(item.parameters) ? item.parameters : []
    pointers.record(nativePointer('resources', resourcePath), itemAt)
    for (const key of Object.keys(item)) {
      const at = `${itemAt}${pointer(key)}`
      const httpMethod = METHODS.includes(key) ? key.toUpperCase() : key === 'x-amazon-apigateway-any-method' ? 'ANY' : undefined
      if (httpMethod !== undefined) {
        const methodAt = nativePointer('resources', resourcePath, httpMethod)
        pointers.recordOperation(methodAt, at)
        methods[httpMethod] = importOperation(doc, item[key], shared, apiType, at, ctx)
        recordMethodFields(pointers, methodAt, at, doc, deref(doc, item[key], at))
      } else if (key.startsWith('x-amazon-apigateway-'))
        warn({ code: 'UNSUPPORTED_EXTENSION', message: `${key} is not implemented yet`, pointer: at })
      else if (key === 'trace') warn({ code: 'IGNORED_SETTING', message: 'trace is ignored: API Gateway has no TRACE method', pointer: at })
      else if (!PATH_ITEM_FIELDS.includes(key) && !key.startsWith('x-'))
        warn({ code: 'IGNORED_SETTING', message: `${key} is ignored: not a path item field`, pointer: at })
    }
    if (Object.keys(methods).length > 0) api.resources[resourcePath] = methods
  }
  return { definition: api, pointers }
}

/**
 * Native method fields whose document spelling differs: each maps to where it was written (fields not listed keep
 * their name below the operation; each request model's own schema is recorded by the validation importer).
 */
function recordMethodFields(pointers: PointerTable, methodAt: string, at: string, doc: Json, op: unknown): void {
  const own = (key: string) => isObject(op) && op[key] !== undefined
  const integrationAt = `${at}${pointer('x-amazon-apigateway-integration')}`
  pointers.record(`${methodAt}/integration`, integrationAt)
  // An integration response's selection pattern is its key in the document.
  const integration = isObject(op) ? op['x-amazon-apigateway-integration'] : undefined
  if (isObject(integration) && isObject(integration.responses)) {
    for (const pattern of Object.keys(integration.responses)) {
      const response = `/responses${pointer(pattern)}`
      pointers.record(`${methodAt}/integration${response}/selectionPattern`, `${integrationAt}${response}`, 'exact')
    }
  }
  pointers.record(`${methodAt}/operationName`, `${at}/operationId`, 'exact')
  const parametersAt = own('parameters') ? `${at}/parameters` : `${at.slice(0, at.lastIndexOf('/'))}/parameters`
  pointers.record(`${methodAt}/requestParameters`, parametersAt, 'exact')
  const validatorKey = 'x-amazon-apigateway-request-validator'
  pointers.record(`${methodAt}/requestValidator`, own(validatorKey) ? `${at}${pointer(validatorKey)}` : pointer(validatorKey), 'exact')
  const auth = own('x-amazon-apigateway-auth') ? `${at}/x-amazon-apigateway-auth` : undefined
  const security = own('security') ? `${at}/security` : doc.security !== undefined ? '/security' : at
  for (const field of ['authorizer', 'authorizationScopes', 'apiKeyRequired']) pointers.record(`${methodAt}/${field}`, security, 'exact')
  pointers.record(`${methodAt}/authorizationType`, auth ?? security, 'exact')
  pointers.record(`${methodAt}/requestModels`, at, 'exact')
}

function importOperation(
  doc: Json,
  raw: unknown,
  sharedParameters: unknown[],
  apiType: ApiType,
  at: string,
  ctx: ImportContext,
): MethodDefinition {
  const warn = ctx.warn
  const op = deref(doc, raw, at)
  if (!isObject(op)) invalid('operation must be an object', at)
  const method: MethodDefinition = {}
  if (typeof op.operationId === 'string') method.operationName = op.operationId

  const params = new Map<string, boolean>()
  const addParams = (list: unknown, listAt: string) => {
    if (list === undefined) return
    if (!Array.isArray(list)) invalid('parameters must be an array', listAt)
    list.forEach((rawParam, i) => {
      const p = deref(doc, rawParam, `${listAt}/${i}`)
      if (!isObject(p) || typeof p.name !== 'string' || typeof p.in !== 'string')
        invalid('parameter needs "name" and "in"', `${listAt}/${i}`)
      const location = p.in === 'query' ? 'querystring' : p.in
      if (location === 'path' || location === 'querystring' || location === 'header') {
        params.set(`method.request.${location}.${p.name}`, p.required === true)
      }
    })
  }
  addParams(sharedParameters, at.replace(/\/[^/]+$/, '/parameters'))
  addParams(op.parameters, `${at}/parameters`)
  if (params.size > 0) method.requestParameters = Object.fromEntries(params)

  for (const key of Object.keys(op)) {
    if (OPERATION_FIELDS.includes(key) || (key.startsWith('x-') && !key.startsWith('x-amazon-apigateway-'))) continue
    if (key.startsWith('x-amazon-apigateway-'))
      warn({ code: 'UNSUPPORTED_EXTENSION', message: `${key} is not implemented yet`, pointer: `${at}${pointer(key)}` })
    else warn({ code: 'IGNORED_SETTING', message: `${key} is ignored: not an operation field`, pointer: `${at}${pointer(key)}` })
  }
  if (
    !FEATURE_OPERATION_EXTENSIONS.has('security') &&
    Array.isArray(op.security) &&
    op.security.some((s) => isObject(s) && Object.keys(s).length > 0)
  ) {
    warn({
      code: 'UNSUPPORTED_EXTENSION',
      message: 'security requirements (authorizers, API keys) are not implemented yet',
      pointer: `${at}/security`,
    })
  }

  // A `$ref` to `components/x-amazon-apigateway-integrations` (HTTP APIs' reusable integrations) is followed.
  const integrationAt = `${at}${pointer('x-amazon-apigateway-integration')}`
  const integration = ctx.deref(op['x-amazon-apigateway-integration'], integrationAt)
  if (integration === undefined) {
    warn({ code: 'NO_INTEGRATION', message: 'operation has no x-amazon-apigateway-integration: requests to it answer 500', pointer: at })
  } else {
    method.integration = importIntegration(integration, apiType, integrationAt, warn)
  }
  for (const feature of FEATURES) feature.importOperation?.(op, method, at, ctx)
  return method
}

function importGatewayResponses(
  value: unknown,
  at: string,
  warn: (w: GatewayWarning) => void,
): Partial<Record<GatewayResponseType, GatewayResponseDefinition>> {
  if (!isObject(value)) invalid('must be an object keyed by gateway response type', at)
  const out: Partial<Record<GatewayResponseType, GatewayResponseDefinition>> = {}
  for (const [type, raw] of Object.entries(value)) {
    const tAt = `${at}${pointer(type)}`
    if (!GATEWAY_RESPONSE_TYPES.includes(type as GatewayResponseType)) invalid(`unknown gateway response type "${type}"`, tAt)
    if (!isObject(raw)) invalid('gateway response must be an object', tAt)
    warnUnknown(raw, GATEWAY_RESPONSE_FIELDS, tAt, warn)
    const def: GatewayResponseDefinition = {}
    if (raw.statusCode !== undefined) def.statusCode = Number(statusCodeString(raw.statusCode, `${tAt}/statusCode`))
    const rp = stringMap(raw.responseParameters, `${tAt}/responseParameters`)
    if (rp) def.responseParameters = rp
    const rt = stringMap(raw.responseTemplates, `${tAt}/responseTemplates`)
    if (rt) def.responseTemplates = rt
    out[type as GatewayResponseType] = def
  }
  return out
}

function importCors(value: unknown, at: string, warn: (w: GatewayWarning) => void): CorsConfiguration {
  if (!isObject(value)) invalid('must be an object', at)
  warnUnknown(value, CORS_FIELDS, at, warn)
  const list = (k: string): string[] | undefined => {
    const v = value[k]
    if (v === undefined) return undefined
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) invalid('must be an array of strings', `${at}/${k}`)
    return v as string[]
  }
  const cors: CorsConfiguration = {}
  const allowOrigins = list('allowOrigins')
  const allowMethods = list('allowMethods')
  const allowHeaders = list('allowHeaders')
  const exposeHeaders = list('exposeHeaders')
  if (allowOrigins) cors.allowOrigins = allowOrigins
  if (allowMethods) cors.allowMethods = allowMethods
  if (allowHeaders) cors.allowHeaders = allowHeaders
  if (exposeHeaders) cors.exposeHeaders = exposeHeaders
  if (value.maxAge !== undefined) cors.maxAge = numeric(value.maxAge)
  if (value.allowCredentials !== undefined) cors.allowCredentials = value.allowCredentials === true
  return cors
}
