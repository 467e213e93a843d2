/**
 * A native definition back to an OpenAPI 3.0 / Swagger 2.0 document with `x-amazon-apigateway-*` extensions, as
 * API Gateway's GetExport writes it (REST: `oas30` or `swagger`, extensions `integrations`, `authorizers`,
 * `apigateway`; HTTP APIs: OpenAPI 3.0 with `x-amazon-apigateway-importexport-version`). Pure functions.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-export-api.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-export.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions.html
 */
import type { ApiDefinition, ApiType } from '@gatehousejs/core'
import { exportSchema } from './models'
import { exportOperation, type ExportSettings } from './operation'
import { securitySchemes } from './security'

type Json = Record<string, unknown>

/** GetExport's `extensions` values this exporter writes. */
export type ExportExtension = 'integrations' | 'authorizers' | 'apigateway'

/** How to export. */
export interface ExportOptions {
  format: 'oas30' | 'swagger'
  /** REST or HTTP API (HTTP APIs export as OpenAPI 3.0 only). */
  apiType: ApiType
  /** Default `['apigateway']`: every extension (integrations, authorizers and the API-level ones). */
  extensions?: readonly ExportExtension[]
  /** `info.version` (default `1.0`). */
  version?: string
  /** The stage, for `servers` / `basePath` (as GetExport names the stage it exports). */
  stage?: string
  /** The API id and region in the server URL (default `local`, `us-east-1`). */
  apiId?: string
  region?: string
}

function define(target: Json, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
}

/** The API-level `x-amazon-apigateway-*` extensions (`apigateway`). */
function apiExtensions(api: ApiDefinition, apiType: ApiType, doc: Json): void {
  if (api.binaryMediaTypes !== undefined) doc['x-amazon-apigateway-binary-media-types'] = [...api.binaryMediaTypes]
  if (api.apiKeySource !== undefined) doc['x-amazon-apigateway-api-key-source'] = api.apiKeySource
  if (api.policy !== undefined) doc['x-amazon-apigateway-policy'] = api.policy
  if (api.cors !== undefined && apiType === 'HTTP') doc['x-amazon-apigateway-cors'] = { ...api.cors }
  if (api.endpointConfiguration !== undefined) {
    const e = api.endpointConfiguration
    const out: Json = {}
    if (e.types !== undefined) out.types = [...e.types]
    if (e.vpcEndpointIds !== undefined) out.vpcEndpointIds = [...e.vpcEndpointIds]
    if (e.disableExecuteApiEndpoint !== undefined) out.disableExecuteApiEndpoint = e.disableExecuteApiEndpoint
    if (e.ipAddressType !== undefined) out.ipAddressType = e.ipAddressType
    doc['x-amazon-apigateway-endpoint-configuration'] = out
  }
  if (apiType === 'REST') {
    if (api.gatewayResponses !== undefined) {
      const responses: Json = {}
      for (const [type, r] of Object.entries(api.gatewayResponses)) {
        if (!r) continue
        const out: Json = {}
        if (r.statusCode !== undefined) out.statusCode = r.statusCode
        if (r.responseParameters !== undefined) out.responseParameters = { ...r.responseParameters }
        if (r.responseTemplates !== undefined) out.responseTemplates = { ...r.responseTemplates }
        responses[type] = out
      }
      doc['x-amazon-apigateway-gateway-responses'] = responses
    }
    if (api.requestValidators !== undefined) {
      const validators: Json = {}
      for (const [name, v] of Object.entries(api.requestValidators)) define(validators, name, { ...v })
      doc['x-amazon-apigateway-request-validators'] = validators
    }
    if (api.requestValidator !== undefined) doc['x-amazon-apigateway-request-validator'] = api.requestValidator
    if (api.minimumCompressionSize !== undefined) doc['x-amazon-apigateway-minimum-compression-size'] = api.minimumCompressionSize
  }
}

/**
 * Export a native definition as an OpenAPI 3.0 or Swagger 2.0 document.
 *
 * @example
 * ```ts
 * exportApi({ name: 'pets', resources: { '/pets': { GET: { integration: { type: 'MOCK' } } } } }, { format: 'oas30', apiType: 'REST' })
 * // { openapi: '3.0.1', info: { title: 'pets', version: '1.0' }, paths: { '/pets': { get: { … } } }, … }
 * ```
 */
export function exportApi(api: ApiDefinition, options: ExportOptions): Json {
  const { format, apiType } = options
  if (apiType === 'HTTP' && format !== 'oas30') throw new Error('HTTP APIs export as OpenAPI 3.0 only (--format oas30)')
  const extensions = new Set(options.extensions ?? ['apigateway'])
  const all = extensions.has('apigateway')
  const settings: ExportSettings = {
    format,
    apiType,
    integrations: all || extensions.has('integrations'),
    authorizers: all || extensions.has('authorizers'),
    apigateway: all,
  }
  const doc: Json = format === 'oas30' ? { openapi: '3.0.1' } : { swagger: '2.0' }
  doc.info = { title: api.name ?? 'api', version: options.version ?? '1.0' }
  // HTTP APIs: the mark that makes the document one (and the export format version).
  if (apiType === 'HTTP') doc['x-amazon-apigateway-importexport-version'] = '1.0'
  const stage = options.stage ?? (apiType === 'HTTP' ? '$default' : undefined)
  const host = `${options.apiId ?? 'local'}.execute-api.${options.region ?? 'us-east-1'}.amazonaws.com`
  const basePath = stage && stage !== '$default' ? `/${stage}` : ''
  if (format === 'oas30') {
    doc.servers = [{ url: `https://${host}/{basePath}`, variables: { basePath: { default: basePath.slice(1) } } }]
  } else {
    doc.host = host
    if (basePath) doc.basePath = basePath
    doc.schemes = ['https']
  }
  const paths: Json = {}
  for (const [path, methods] of Object.entries(api.resources)) {
    const item: Json = {}
    for (const [rawMethod, method] of Object.entries(methods)) {
      const upper = rawMethod.toUpperCase()
      const key = upper === 'ANY' ? 'x-amazon-apigateway-any-method' : upper.toLowerCase()
      define(item, key, exportOperation(method, path === '$default' ? '$default' : `${upper} ${path}`, settings))
    }
    define(paths, path === '$default' ? '/$default' : path, item)
  }
  doc.paths = paths
  const schemes = securitySchemes(api, settings)
  const prefix = format === 'oas30' ? '#/components/schemas/' : '#/definitions/'
  const models: Json = {}
  if (apiType === 'REST') for (const [name, schema] of Object.entries(api.models ?? {})) define(models, name, exportSchema(schema, prefix))
  if (format === 'oas30') {
    const components: Json = {}
    if (Object.keys(models).length > 0) components.schemas = models
    if (Object.keys(schemes).length > 0) components.securitySchemes = schemes
    if (Object.keys(components).length > 0) doc.components = components
  } else {
    if (Object.keys(models).length > 0) doc.definitions = models
    if (Object.keys(schemes).length > 0) doc.securityDefinitions = schemes
  }
  if (all) apiExtensions(api, apiType, doc)
  return doc
}
