/**
 * What kind of document `api` is, as API Gateway's importer sees it: OpenAPI 3.x or Swagger 2.0 (a YAML
 * `swagger: 2.0` or `openapi: 3.0` arrives as a number), and whether it describes an HTTP API or a REST API.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-open-api.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-import-api.html
 */
import type { ApiType } from '../definition'
import { GatewayConfigError, pointer, toText } from '../errors'
import { isObject } from '../json'

type Json = Record<string, unknown>

/** `openapi: 3` / `3.0` / `3.1` written unquoted in YAML arrive as numbers: the version string they stand for. */
function versionText(v: unknown): string | undefined {
  if (typeof v === 'string') return v
  if (typeof v === 'number' && Number.isFinite(v)) return Number.isInteger(v) ? `${v}.0` : String(v)
  return undefined
}

/** Whether `api` is an OpenAPI 3 or Swagger 2 document (else it must be the native definition). */
export function isOpenApiDocument(api: unknown): api is Json {
  if (!isObject(api)) return false
  const openapi = versionText(api.openapi)
  if (openapi !== undefined) return typeof api.openapi === 'string' || openapi.startsWith('3.')
  return versionText(api.swagger) === '2.0'
}

/**
 * The document with `openapi` / `swagger` as strings (a shallow copy when a number stood for one), so that
 * every importer can read `typeof doc.openapi === 'string'`.
 */
export function withVersionStrings(doc: Json): Json {
  if (typeof doc.openapi === 'number') return copyWith(doc, 'openapi', versionText(doc.openapi))
  if (typeof doc.swagger === 'number') return copyWith(doc, 'swagger', versionText(doc.swagger))
  return doc
}

function copyWith(doc: Json, key: string, value: unknown): Json {
  const out: Json = {}
  // defineProperty: a key named `__proto__` stays a key.
  for (const [k, v] of Object.entries(doc)) {
    Object.defineProperty(out, k, { value: k === key ? value : v, enumerable: true, writable: true, configurable: true })
  }
  return out
}

/**
 * The error for an `api` that is neither an OpenAPI / Swagger document nor the native definition, saying what
 * was expected.
 */
export function unrecognisedDocument(api: Json): GatewayConfigError {
  const expected =
    'expected an OpenAPI 3.x (`openapi: "3.0.1"`) or Swagger 2.0 (`swagger: "2.0"`) document with `paths`, ' +
    'or the native definition with `resources`'
  if (api.openapi !== undefined)
    return new GatewayConfigError('INVALID_DEFINITION', `unsupported openapi version "${toText(api.openapi)}": ${expected}`, '/openapi')
  if (api.swagger !== undefined)
    return new GatewayConfigError('INVALID_DEFINITION', `unsupported swagger version "${toText(api.swagger)}": ${expected}`, '/swagger')
  const seen = Object.keys(api)
    .slice(0, 5)
    .map((k) => `"${k}"`)
  const has = seen.length > 0 ? ` (it has ${seen.join(', ')}${Object.keys(api).length > 5 ? ', …' : ''})` : ' (it is empty)'
  return new GatewayConfigError('INVALID_DEFINITION', `the API definition is not recognised${has}: ${expected}`, '')
}

/** A field of the document that makes it one kind of API: its pointer and what it says. */
export interface ApiTypeMarker {
  apiType: ApiType
  at: string
  /**
   * Whether the field alone makes an `apiType`-less document that type. A JWT authorizer or payload format 2.0 do
   * not (such a document is read as REST and refused naming the field, as before); they still contradict an
   * explicit `apiType: 'REST'`. A request validator contradicts nothing: HTTP APIs ignore it with a warning.
   */
  decides: boolean
}

/**
 * REST-only extensions that make an HTTP API a mistake. Request validators are not among them: HTTP APIs ignore
 * them with a warning (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-vs-rest.html).
 */
const REST_ONLY = ['x-amazon-apigateway-api-key-source', 'x-amazon-apigateway-gateway-responses'] as const

const OPERATION_KEYS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'x-amazon-apigateway-any-method']

/** The security schemes of either version, with their container's pointer. */
function securitySchemes(doc: Json): [Json, string] | null {
  if (isObject(doc.components) && isObject(doc.components.securitySchemes))
    return [doc.components.securitySchemes, '/components/securitySchemes']
  if (isObject(doc.securityDefinitions)) return [doc.securityDefinitions, '/securityDefinitions']
  return null
}

/** `payloadFormatVersion` as written (`2.0`, `"2.0"`, YAML's `2`). */
function payloadVersion(v: unknown): string | undefined {
  return versionText(v)
}

/**
 * The fields of the document that only one kind of API has (first HTTP markers, then REST markers), each once.
 * HTTP: `x-amazon-apigateway-importexport-version`, `x-amazon-apigateway-cors`, a `$default` path, a JWT
 * authorizer, an integration with `payloadFormatVersion` 2.0. REST: API key source, gateway responses.
 *
 * @example
 * ```ts
 * apiTypeMarkers({ openapi: '3.0.1', 'x-amazon-apigateway-cors': {}, paths: {} })
 * // [{ apiType: 'HTTP', at: '/x-amazon-apigateway-cors', decides: true }]
 * ```
 */
export function apiTypeMarkers(doc: Json): ApiTypeMarker[] {
  const out: ApiTypeMarker[] = []
  for (const key of ['x-amazon-apigateway-importexport-version', 'x-amazon-apigateway-cors']) {
    if (doc[key] !== undefined) out.push({ apiType: 'HTTP', at: pointer(key), decides: true })
  }
  const paths = isObject(doc.paths) ? doc.paths : {}
  for (const path of ['$default', '/$default'])
    if (Object.hasOwn(paths, path)) out.push({ apiType: 'HTTP', at: pointer('paths', path), decides: true })
  const schemes = securitySchemes(doc)
  if (schemes) {
    for (const [name, scheme] of Object.entries(schemes[0])) {
      const authorizer = isObject(scheme) ? scheme['x-amazon-apigateway-authorizer'] : undefined
      if (isObject(authorizer) && toText(authorizer.type ?? '').toLowerCase() === 'jwt')
        out.push({ apiType: 'HTTP', at: `${schemes[1]}${pointer(name, 'x-amazon-apigateway-authorizer', 'type')}`, decides: false })
    }
  }
  for (const [path, item] of Object.entries(paths)) {
    if (!isObject(item)) continue
    for (const method of OPERATION_KEYS) {
      const op = item[method]
      const integration = isObject(op) ? op['x-amazon-apigateway-integration'] : undefined
      if (isObject(integration) && payloadVersion(integration.payloadFormatVersion) === '2.0') {
        out.push({
          apiType: 'HTTP',
          at: pointer('paths', path, method, 'x-amazon-apigateway-integration', 'payloadFormatVersion'),
          decides: false,
        })
      }
    }
  }
  for (const key of REST_ONLY) if (doc[key] !== undefined) out.push({ apiType: 'REST', at: pointer(key), decides: true })
  return out
}

/**
 * The API type of an imported document: the explicit `apiType` when given, else what its fields say (HTTP when
 * `x-amazon-apigateway-importexport-version`, `x-amazon-apigateway-cors` or a `$default` path is there, else
 * REST). A field that points the other way from an explicit `apiType`, or fields that point both ways, are a
 * configuration error naming the field.
 *
 * @example
 * ```ts
 * detectApiType({ openapi: '3.0.1', paths: { $default: {} } }, undefined) // 'HTTP'
 * detectApiType({ swagger: '2.0', paths: {} }, undefined) // 'REST'
 * ```
 */
export function detectApiType(doc: Json, explicit: ApiType | undefined): ApiType {
  const markers = apiTypeMarkers(doc)
  const http = markers.find((m) => m.apiType === 'HTTP')
  const rest = markers.find((m) => m.apiType === 'REST')
  const decidingHttp = markers.find((m) => m.apiType === 'HTTP' && m.decides)
  const against = (m: ApiTypeMarker, why: string) =>
    new GatewayConfigError('INVALID_DEFINITION', `this field makes it ${m.apiType === 'HTTP' ? 'an HTTP' : 'a REST'} API, ${why}`, m.at)
  if (explicit === 'REST' && http) throw against(http, 'but `apiType` is "REST"')
  if (explicit === 'HTTP' && rest) throw against(rest, 'but `apiType` is "HTTP"')
  if (explicit) return explicit
  if (decidingHttp && rest) throw against(rest, `but ${decidingHttp.at} makes it an HTTP API: pass \`apiType\``)
  return decidingHttp ? 'HTTP' : 'REST'
}
