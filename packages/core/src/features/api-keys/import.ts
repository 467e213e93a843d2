/**
 * OpenAPI import for API keys: `x-amazon-apigateway-api-key-source` (`HEADER` | `AUTHORIZER`) on the document,
 * and a `security` requirement naming an API-key scheme (`type: apiKey`, `name: x-api-key`, `in: header`) on an
 * operation, or on the document for every operation without its own `security`, which sets `apiKeyRequired`.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-api-key-source.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-key-usage-plan-oas.html
 */
import type { ApiDefinition, MethodDefinition } from '../../definition'
import { GatewayConfigError, pointer, toText } from '../../errors'
import type { ImportContext, Json } from '../types'
import { isObject } from '../../json'

/**
 * `importApi` hook: the API key source.
 *
 * @example
 * ```ts
 * importApiKeySource({ 'x-amazon-apigateway-api-key-source': 'AUTHORIZER' }, api, ctx) // api.apiKeySource = 'AUTHORIZER'
 * ```
 */
export function importApiKeySource(doc: Json, api: ApiDefinition): void {
  const raw = doc['x-amazon-apigateway-api-key-source']
  if (raw === undefined) return
  const source = typeof raw === 'string' ? raw.toUpperCase() : ''
  if (source !== 'HEADER' && source !== 'AUTHORIZER') {
    throw new GatewayConfigError(
      'INVALID_DEFINITION',
      'x-amazon-apigateway-api-key-source must be "HEADER" or "AUTHORIZER"',
      pointer('x-amazon-apigateway-api-key-source'),
    )
  }
  api.apiKeySource = source
}

/** Whether a security scheme is API Gateway's API key (`x-api-key` in a header). */
export function isApiKeyScheme(scheme: unknown): boolean {
  return isObject(scheme) && scheme.type === 'apiKey' && scheme.in === 'header' && toText(scheme.name ?? '').toLowerCase() === 'x-api-key'
}

/**
 * `importOperation` hook: `apiKeyRequired` from the operation's (or the document's) `security`.
 *
 * @example
 * ```ts
 * importApiKeyRequired({ security: [{ api_key: [] }] }, method, '/paths/~1pets/get', ctx) // method.apiKeyRequired = true
 * ```
 */
export function importApiKeyRequired(op: Json, method: MethodDefinition, _at: string, ctx: ImportContext): void {
  const security = op.security !== undefined ? op.security : ctx.doc.security
  if (!Array.isArray(security)) return
  const components = isObject(ctx.doc.components) ? ctx.doc.components : {}
  const schemes = isObject(components.securitySchemes)
    ? components.securitySchemes
    : isObject(ctx.doc.securityDefinitions)
      ? ctx.doc.securityDefinitions
      : {}
  for (const requirement of security) {
    if (!isObject(requirement)) continue
    for (const name of Object.keys(requirement)) {
      if (!Object.hasOwn(schemes, name)) continue
      if (isApiKeyScheme(ctx.deref(schemes[name], `/components/securitySchemes${pointer(name)}`))) method.apiKeyRequired = true
    }
  }
}
