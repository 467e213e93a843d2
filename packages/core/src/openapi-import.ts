/**
 * Import of OpenAPI 3.0 / Swagger 2.0 documents with `x-amazon-apigateway-*` extensions into the native
 * definition, as API Gateway's import does. Problems name the JSON pointer of the offending value; extensions the
 * gateway does not implement are reported as warnings (fatal with `strict`), never silently ignored.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions.html
 */
import type {
  ApiDefinition,
  ApiType,
  CorsConfiguration,
  IntegrationDefinition,
  IntegrationResponseDefinition,
  IntegrationType,
  MethodDefinition,
} from './definition'
import { GatewayConfigError, pointer, toText, type GatewayWarning } from './errors'
import { FEATURES } from './features'
import { GatewayState, type ImportContext } from './features/types'
import { GATEWAY_RESPONSE_TYPES, type GatewayResponseDefinition, type GatewayResponseType } from './gateway-responses'
import { isObject } from './json'

type Json = Record<string, unknown>
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch']
const INTEGRATION_TYPES: readonly IntegrationType[] = ['AWS_PROXY', 'HTTP_PROXY', 'MOCK', 'AWS', 'HTTP', 'APP']

/** Extensions that have no meaning for an in-process gateway and are accepted without effect. */
const FEATURE_API_EXTENSIONS = new Set(FEATURES.flatMap((f) => f.apiExtensions ?? []))
const FEATURE_OPERATION_EXTENSIONS = new Set(FEATURES.flatMap((f) => f.operationExtensions ?? []))

const INERT_EXTENSIONS = new Set([
  'x-amazon-apigateway-importexport-version',
  'x-amazon-apigateway-documentation',
  'x-amazon-apigateway-endpoint-configuration',
  'x-amazon-apigateway-tag-value',
])

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

/** Whether `api` is an OpenAPI 3 or Swagger 2 document (else it must be the native definition). */
export function isOpenApiDocument(api: unknown): api is Json {
  return isObject(api) && (typeof api.openapi === 'string' || api.swagger === '2.0')
}

export function importOpenApi(doc: Json, apiType: ApiType, warn: (w: GatewayWarning) => void): ApiDefinition {
  if (typeof doc.openapi === 'string' && !/^3\.[01]\./.test(doc.openapi))
    invalid(`unsupported OpenAPI version "${doc.openapi}"`, '/openapi')
  if (!isObject(doc.paths)) invalid('paths must be an object', '/paths')
  const info = isObject(doc.info) ? doc.info : {}
  const api: ApiDefinition = { resources: {} }
  if (typeof info.title === 'string') api.name = info.title
  const ctx: ImportContext = { doc, apiType, warn, deref: (value, at) => deref(doc, value, at), state: new GatewayState() }
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
        api.gatewayResponses = importGatewayResponses(value, at)
        break
      case 'x-amazon-apigateway-cors':
        if (apiType !== 'HTTP')
          warn({ code: 'IGNORED_SETTING', message: 'x-amazon-apigateway-cors applies to HTTP APIs only', pointer: at })
        else api.cors = importCors(value, at)
        break
      default:
        if (!INERT_EXTENSIONS.has(key) && !FEATURE_API_EXTENSIONS.has(key))
          warn({ code: 'UNSUPPORTED_EXTENSION', message: `${key} is not implemented yet`, pointer: at })
    }
  }

  for (const [path, rawItem] of Object.entries(doc.paths as Json)) {
    const itemAt = pointer('paths', path)
    const item = deref(doc, rawItem, itemAt)
    if (!isObject(item)) invalid('path item must be an object', itemAt)
    const resourcePath = apiType === 'HTTP' && path === '/$default' ? '$default' : path
    if (resourcePath !== '$default' && !path.startsWith('/')) invalid('path must start with "/"', itemAt)
    const methods: Record<string, MethodDefinition> = {}
    const shared = Array.isArray(item.parameters) ? item.parameters : []
    for (const key of Object.keys(item)) {
      const at = `${itemAt}${pointer(key)}`
      if (METHODS.includes(key)) methods[key.toUpperCase()] = importOperation(doc, item[key], shared, apiType, at, ctx)
      else if (key === 'x-amazon-apigateway-any-method') methods.ANY = importOperation(doc, item[key], shared, apiType, at, ctx)
      else if (key.startsWith('x-amazon-apigateway-'))
        warn({ code: 'UNSUPPORTED_EXTENSION', message: `${key} is not implemented yet`, pointer: at })
    }
    if (Object.keys(methods).length > 0) api.resources[resourcePath] = methods
  }
  return api
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
    if (!key.startsWith('x-amazon-apigateway-') || key === 'x-amazon-apigateway-integration') continue
    if (FEATURE_OPERATION_EXTENSIONS.has(key)) continue
    warn({ code: 'UNSUPPORTED_EXTENSION', message: `${key} is not implemented yet`, pointer: `${at}${pointer(key)}` })
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

  const integration = op['x-amazon-apigateway-integration']
  if (integration === undefined) {
    warn({ code: 'NO_INTEGRATION', message: 'operation has no x-amazon-apigateway-integration: requests to it answer 500', pointer: at })
  } else {
    method.integration = importIntegration(integration, apiType, `${at}${pointer('x-amazon-apigateway-integration')}`)
  }
  for (const feature of FEATURES) feature.importOperation?.(op, method, at, ctx)
  return method
}

function stringMap(value: unknown, at: string): Record<string, string> | undefined {
  if (value === undefined) return undefined
  if (!isObject(value)) invalid('must be an object of strings', at)
  for (const [k, v] of Object.entries(value)) if (typeof v !== 'string') invalid('must be a string', `${at}${pointer(k)}`)
  return value as Record<string, string>
}

function importIntegration(raw: unknown, apiType: ApiType, at: string): IntegrationDefinition {
  if (!isObject(raw)) invalid('integration must be an object', at)
  const type = toText(raw.type ?? '').toUpperCase() as IntegrationType
  if (!INTEGRATION_TYPES.includes(type)) invalid(`unknown integration type "${toText(raw.type)}"`, `${at}/type`)
  const out: IntegrationDefinition = { type }
  if (raw.uri !== undefined) {
    if (typeof raw.uri !== 'string') invalid('uri must be a string', `${at}/uri`)
    out.uri = raw.uri
  }
  if (out.uri === undefined && type !== 'MOCK' && type !== 'APP') invalid(`a ${type} integration needs a uri`, at)
  if (raw.httpMethod !== undefined) out.httpMethod = toText(raw.httpMethod).toUpperCase()
  if (raw.payloadFormatVersion !== undefined) {
    const v = toText(raw.payloadFormatVersion)
    if (v !== '1.0' && v !== '2.0') invalid('payloadFormatVersion must be "1.0" or "2.0"', `${at}/payloadFormatVersion`)
    if (apiType === 'REST' && v === '2.0') invalid('REST APIs support payload format 1.0 only', `${at}/payloadFormatVersion`)
    out.payloadFormatVersion = v
  }
  if (raw.timeoutInMillis !== undefined) {
    const t = Number(raw.timeoutInMillis)
    const max = apiType === 'HTTP' ? 30000 : 29000
    if (!Number.isInteger(t) || t < 50 || t > max) invalid(`timeoutInMillis must be an integer from 50 to ${max}`, `${at}/timeoutInMillis`)
    out.timeoutInMillis = t
  }
  const requestParameters = stringMap(raw.requestParameters, `${at}/requestParameters`)
  if (requestParameters) out.requestParameters = requestParameters
  const requestTemplates = stringMap(raw.requestTemplates, `${at}/requestTemplates`)
  if (requestTemplates) out.requestTemplates = requestTemplates
  if (raw.passthroughBehavior !== undefined) {
    const p = toText(raw.passthroughBehavior).toUpperCase()
    if (p !== 'WHEN_NO_MATCH' && p !== 'WHEN_NO_TEMPLATES' && p !== 'NEVER')
      invalid(`unknown passthroughBehavior "${p}"`, `${at}/passthroughBehavior`)
    out.passthroughBehavior = p
  }
  if (raw.contentHandling !== undefined) out.contentHandling = contentHandling(raw.contentHandling, `${at}/contentHandling`)
  if (raw.cacheKeyParameters !== undefined) out.cacheKeyParameters = (raw.cacheKeyParameters as unknown[]).map(String)
  if (typeof raw.cacheNamespace === 'string') out.cacheNamespace = raw.cacheNamespace
  if (raw.responses !== undefined) {
    if (!isObject(raw.responses)) invalid('responses must be an object', `${at}/responses`)
    out.responses = {}
    for (const [pattern, r] of Object.entries(raw.responses)) {
      const rAt = `${at}/responses${pointer(pattern)}`
      if (!isObject(r)) invalid('integration response must be an object', rAt)
      const response: IntegrationResponseDefinition = { statusCode: toText(r.statusCode ?? '200') }
      if (!/^[1-5]\d\d$/.test(response.statusCode)) invalid('statusCode must be a 3-digit HTTP status', `${rAt}/statusCode`)
      if (pattern !== 'default') response.selectionPattern = pattern
      const rp = stringMap(r.responseParameters, `${rAt}/responseParameters`)
      if (rp) response.responseParameters = rp
      const rt = stringMap(r.responseTemplates, `${rAt}/responseTemplates`)
      if (rt) response.responseTemplates = rt
      if (r.contentHandling !== undefined) response.contentHandling = contentHandling(r.contentHandling, `${rAt}/contentHandling`)
      out.responses[pattern] = response
    }
  }
  return out
}

function contentHandling(v: unknown, at: string): 'CONVERT_TO_TEXT' | 'CONVERT_TO_BINARY' {
  const s = toText(v).toUpperCase()
  if (s !== 'CONVERT_TO_TEXT' && s !== 'CONVERT_TO_BINARY') invalid(`unknown contentHandling "${toText(v)}"`, at)
  return s
}

function importGatewayResponses(value: unknown, at: string): Partial<Record<GatewayResponseType, GatewayResponseDefinition>> {
  if (!isObject(value)) invalid('must be an object keyed by gateway response type', at)
  const out: Partial<Record<GatewayResponseType, GatewayResponseDefinition>> = {}
  for (const [type, raw] of Object.entries(value)) {
    const tAt = `${at}${pointer(type)}`
    if (!GATEWAY_RESPONSE_TYPES.includes(type as GatewayResponseType)) invalid(`unknown gateway response type "${type}"`, tAt)
    if (!isObject(raw)) invalid('gateway response must be an object', tAt)
    const def: GatewayResponseDefinition = {}
    if (raw.statusCode !== undefined) {
      if (!/^[1-5]\d\d$/.test(toText(raw.statusCode))) invalid('statusCode must be a 3-digit HTTP status', `${tAt}/statusCode`)
      def.statusCode = Number(raw.statusCode)
    }
    const rp = stringMap(raw.responseParameters, `${tAt}/responseParameters`)
    if (rp) def.responseParameters = rp
    const rt = stringMap(raw.responseTemplates, `${tAt}/responseTemplates`)
    if (rt) def.responseTemplates = rt
    out[type as GatewayResponseType] = def
  }
  return out
}

function importCors(value: unknown, at: string): CorsConfiguration {
  if (!isObject(value)) invalid('must be an object', at)
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
  if (value.maxAge !== undefined) cors.maxAge = Number(value.maxAge)
  if (value.allowCredentials !== undefined) cors.allowCredentials = value.allowCredentials === true
  return cors
}
