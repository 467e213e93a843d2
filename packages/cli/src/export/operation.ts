/**
 * One method back into an operation: `operationId`, parameters, the request body's models, security, the request
 * validator and `x-amazon-apigateway-integration` (with its integration responses keyed by selection pattern), and
 * method responses for the status codes the integration answers with.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-integration.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-integration-response.html
 */
import type { ApiType, IntegrationDefinition, MethodDefinition } from '@gatehousejs/core'
import { modelRef } from './models'
import { methodSecurity } from './security'

type Json = Record<string, unknown>

/** What the exporter writes. */
export interface ExportSettings {
  format: 'oas30' | 'swagger'
  apiType: ApiType
  integrations: boolean
  authorizers: boolean
  apigateway: boolean
}

function define(target: Json, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
}

function copyMap<T>(map: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {}
  for (const [k, v] of Object.entries(map)) define(out, k, v)
  return out
}

/**
 * `x-amazon-apigateway-integration` for a native integration (type and enum values lower-case, as GetExport writes them).
 *
 * @example
 * ```ts
 * integrationExtension({ type: 'AWS_PROXY', uri: 'arn:…', httpMethod: 'POST' })
 * // { type: 'aws_proxy', uri: 'arn:…', httpMethod: 'POST' }
 * ```
 */
export function integrationExtension(integration: IntegrationDefinition): Json {
  const out: Json = { type: integration.type.toLowerCase() }
  if (integration.integrationSubtype !== undefined) out.integrationSubtype = integration.integrationSubtype
  if (integration.credentials !== undefined) out.credentials = integration.credentials
  if (integration.uri !== undefined) out.uri = integration.uri
  if (integration.httpMethod !== undefined) out.httpMethod = integration.httpMethod
  if (integration.payloadFormatVersion !== undefined) out.payloadFormatVersion = integration.payloadFormatVersion
  if (integration.timeoutInMillis !== undefined) out.timeoutInMillis = integration.timeoutInMillis
  if (integration.requestParameters !== undefined) out.requestParameters = copyMap(integration.requestParameters)
  if (integration.requestTemplates !== undefined) out.requestTemplates = copyMap(integration.requestTemplates)
  if (integration.responseParameters !== undefined) {
    const rp: Json = {}
    for (const [status, mappings] of Object.entries(integration.responseParameters)) define(rp, status, copyMap(mappings))
    out.responseParameters = rp
  }
  if (integration.passthroughBehavior !== undefined) out.passthroughBehavior = integration.passthroughBehavior.toLowerCase()
  if (integration.contentHandling !== undefined) out.contentHandling = integration.contentHandling
  if (integration.cacheKeyParameters !== undefined) out.cacheKeyParameters = [...integration.cacheKeyParameters]
  if (integration.cacheNamespace !== undefined) out.cacheNamespace = integration.cacheNamespace
  if (integration.responses !== undefined) {
    const responses: Json = {}
    for (const [key, r] of Object.entries(integration.responses)) {
      const response: Json = { statusCode: r.statusCode }
      if (r.responseParameters !== undefined) response.responseParameters = copyMap(r.responseParameters)
      if (r.responseTemplates !== undefined) response.responseTemplates = copyMap(r.responseTemplates)
      if (r.contentHandling !== undefined) response.contentHandling = r.contentHandling
      define(responses, r.selectionPattern ?? (key === 'default' ? 'default' : key), response)
    }
    out.responses = responses
  }
  return out
}

const LOCATIONS: Record<string, string> = { path: 'path', querystring: 'query', header: 'header' }

function parameters(method: MethodDefinition, settings: ExportSettings): Json[] {
  const out: Json[] = []
  for (const [key, required] of Object.entries(method.requestParameters ?? {})) {
    const m = /^method\.request\.(path|querystring|header)\.(.+)$/.exec(key)
    if (!m) continue
    const p: Json = { name: m[2], in: LOCATIONS[m[1] as string], required }
    if (settings.format === 'oas30') p.schema = { type: 'string' }
    else p.type = 'string'
    out.push(p)
  }
  return out
}

/** Method responses: one per status code the integration answers with (headers its mappings set), else `default`. */
function methodResponses(method: MethodDefinition, routeKey: string, settings: ExportSettings): Json {
  const out: Json = {}
  for (const r of Object.values(method.integration?.responses ?? {})) {
    const headers: Json = {}
    for (const target of Object.keys(r.responseParameters ?? {})) {
      const h = /^method\.response\.header\.(.+)$/.exec(target)?.[1]
      if (h) define(headers, h, settings.format === 'oas30' ? { schema: { type: 'string' } } : { type: 'string' })
    }
    const response: Json = { description: `${r.statusCode} response` }
    if (Object.keys(headers).length > 0) response.headers = headers
    define(out, r.statusCode, response)
  }
  if (Object.keys(out).length === 0) out.default = { description: `Default response for ${routeKey}` }
  return out
}

/**
 * The operation for one method.
 *
 * @example
 * ```ts
 * exportOperation({ operationName: 'getPet', integration: { type: 'MOCK' } }, 'GET /pets/{id}', settings)
 * // { operationId: 'getPet', responses: { default: … }, 'x-amazon-apigateway-integration': { type: 'mock' } }
 * ```
 */
export function exportOperation(method: MethodDefinition, routeKey: string, settings: ExportSettings): Json {
  const op: Json = {}
  if (method.operationName !== undefined) op.operationId = method.operationName
  const params = parameters(method, settings)
  const models = method.requestModels && settings.apiType === 'REST' ? Object.entries(method.requestModels) : []
  if (models.length > 0) {
    if (settings.format === 'oas30') {
      const content: Json = {}
      for (const [type, model] of models) define(content, type, { schema: { $ref: modelRef(model, 'oas30') } })
      op.requestBody = { content, required: true }
    } else {
      // Swagger 2 has one body schema for every media type it consumes: the first model's.
      op.consumes = models.map(([type]) => type)
      params.push({ in: 'body', name: 'body', required: true, schema: { $ref: modelRef(models[0]?.[1] as string, 'swagger') } })
    }
  }
  if (params.length > 0) op.parameters = params
  op.responses = methodResponses(method, routeKey, settings)
  Object.assign(op, methodSecurity(method, settings))
  if (settings.apigateway && method.requestValidator !== undefined && settings.apiType === 'REST') {
    op['x-amazon-apigateway-request-validator'] = method.requestValidator
  }
  if (settings.integrations && method.integration) op['x-amazon-apigateway-integration'] = integrationExtension(method.integration)
  return op
}
