/**
 * The integration response of a non-proxy integration (AWS, HTTP, MOCK): `selectionPattern` picks the integration
 * response (a Java-style full match on the backend's status code, or on a Lambda function's `errorMessage`; the
 * response without a pattern is the default), then payload conversion (`contentHandling` with the API's binary media
 * types), `responseParameters`, the response template chosen by the request's `Accept`, and the template's
 * `$context.responseOverride`.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-integration-settings-integration-response.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-payload-encodings-workflow.html
 */
import type { Regex } from '@gatehousejs/regex'
import { VtlError } from '@gatehousejs/vtl'
import type { IntegrationDefinition, IntegrationResponseDefinition } from '../definition'
import { GatewayConfigError, pointerToken } from '../errors'
import { failure, type GatewayFailure } from '../gateway-responses'
import { bodyBytes, type HeaderIntegrationType, lastHeaderValue, mediaType, reserveResponseHeaders, spellingOf } from '../http'
import type { CompiledApi } from '../model'
import { compileMappings, type CompiledMapping } from '../features/parameter-mapping'
import type { RequestState } from '../state'
import { inputParams } from '../templates/input-params'
import { compileTemplateSet, type CompiledTemplateEntry, type TemplateSet } from '../templates/mapping-templates'
import { overrideStatus, overrideText } from '../templates/overrides'
import type { GatewayResponse, HeaderMap } from '../types'
import { compileSelectionPattern } from './selection-pattern'

/** What the backend answered, before the integration response maps it. */
export interface EndpointResponse {
  statusCode: number
  /** Header names lower-case. */
  headers: HeaderMap
  body: string | Uint8Array
  /** What selection patterns match: the status code (HTTP, MOCK) or the Lambda `errorMessage` (empty on success). */
  selector: string
}

export type MapResponse = (
  state: RequestState,
  endpoint: EndpointResponse,
  context: () => Record<string, unknown>,
) => GatewayResponse | GatewayFailure

interface CompiledIntegrationResponse {
  pattern: Regex | null
  statusCode: number
  headers: CompiledMapping[]
  templates: TemplateSet
  contentHandling: IntegrationResponseDefinition['contentHandling']
}

function pickTemplate(templates: TemplateSet, accept: string): CompiledTemplateEntry | undefined {
  if (templates.size === 0) return undefined
  return templates.byType.get(accept) ?? templates.byType.get('application/json') ?? templates.byType.values().next().value
}

/**
 * Compile the response side of a non-proxy integration. `at` is the integration's JSON pointer.
 *
 * @example
 * ```ts
 * const map = compileResponseMapping({ type: 'HTTP', uri: 'http://x', responses: { default: { statusCode: '200' } } }, api, '/x')
 * ```
 */
export function compileResponseMapping(integration: IntegrationDefinition, api: CompiledApi, at: string): MapResponse {
  const patterned: CompiledIntegrationResponse[] = []
  let fallback: CompiledIntegrationResponse | undefined
  for (const [key, r] of Object.entries(integration.responses ?? {})) {
    const rAt = `${at}/responses/${pointerToken(key)}`
    const status = Number(r.statusCode)
    if (!Number.isInteger(status) || status < 100 || status > 599) {
      throw new GatewayConfigError('INVALID_DEFINITION', 'statusCode must be a 3-digit HTTP status', `${rAt}/statusCode`)
    }
    // The native model keys responses by selection pattern, as OpenAPI does (`default` for the default one).
    const source = r.selectionPattern ?? (key === 'default' ? undefined : key)
    // Where the pattern is written: its own field, or the response's key (OpenAPI's `responses` map).
    const patternAt = r.selectionPattern === undefined ? rAt : `${rAt}/selectionPattern`
    const compiled: CompiledIntegrationResponse = {
      pattern: source === undefined || source === '' ? null : compileSelectionPattern(source, api, patternAt),
      statusCode: status,
      headers: compileMappings(r.responseParameters, ['method.response.header.'], 'integration-response', `${rAt}/responseParameters`),
      templates: compileTemplateSet(r.responseTemplates, `${rAt}/responseTemplates`, api.templateLimits),
      contentHandling: r.contentHandling,
    }
    if (compiled.pattern === null) fallback ??= compiled
    else patterned.push(compiled)
  }
  const isBinary = api.isBinaryType
  const type = integration.type.toUpperCase() as HeaderIntegrationType

  return (state, endpoint, context) => {
    let chosen: CompiledIntegrationResponse | undefined
    for (const r of patterned) {
      if (r.pattern!.matchesWhole(endpoint.selector)) {
        chosen = r
        break
      }
    }
    chosen ??= fallback
    // No match and no default: API Gateway's "No match for output mapping and no default output mapping".
    if (!chosen) return failure('API_CONFIGURATION_ERROR')

    const accept = mediaType(lastHeaderValue(state.request.headers, 'accept')?.split(',')[0])
    const binaryAccept = isBinary?.(accept) === true
    const binaryPayload =
      isBinary !== null && typeof endpoint.body !== 'string' && isBinary(mediaType(lastHeaderValue(endpoint.headers, 'content-type')))
    const handling = chosen.contentHandling
    const asText = handling === 'CONVERT_TO_TEXT' || (handling === undefined && !binaryAccept)
    let body: string | Uint8Array
    if (binaryPayload) body = asText ? bodyBytes(endpoint.body).toString('base64') : new Uint8Array(bodyBytes(endpoint.body))
    else {
      const text = typeof endpoint.body === 'string' ? endpoint.body : bodyBytes(endpoint.body).toString('utf8')
      body = asText ? text : new Uint8Array(Buffer.from(text, 'base64'))
    }

    const headers: HeaderMap = {}
    if (chosen.headers.length > 0) {
      let text: string | undefined
      const input = {
        state,
        context,
        response: {
          headers: endpoint.headers,
          body: () => (text ??= typeof endpoint.body === 'string' ? endpoint.body : bodyBytes(endpoint.body).toString('utf8')),
        },
      }
      for (const m of chosen.headers) {
        const value = m.read(input)
        if (value !== undefined) headers[m.name] = value
      }
    }
    let statusCode = chosen.statusCode
    // Templates transform text payloads; a binary payload passes through.
    const template = typeof body === 'string' ? pickTemplate(chosen.templates, accept) : undefined
    // The request template's overrides hold unless the response template (which reads them) is rendered.
    let responseOverride = state.templateOverrides?.responseOverride
    if (template) {
      try {
        const out = template.render({
          body: body as string,
          params: inputParams(state),
          context: context(),
          stageVariables: state.api.stageVariables ?? {},
          overrides: state.templateOverrides,
        })
        body = out.body
        responseOverride = out.responseOverride
      } catch (e) {
        if (!(e instanceof VtlError)) throw e
        // "Execution failed due to configuration error: Unable to transform response".
        state.reportFailure(e, 'integration-response', 'API_CONFIGURATION_ERROR')
        return failure('API_CONFIGURATION_ERROR')
      }
    }
    if (responseOverride !== undefined) {
      const status = overrideStatus(responseOverride.status)
      if (status !== undefined) statusCode = status
      for (const [name, v] of Object.entries(responseOverride.header)) {
        const value = overrideText(v)
        if (value !== undefined) headers[name] = value
      }
    }
    if (spellingOf(headers, 'content-type') === undefined) headers['Content-Type'] = template?.type ?? 'application/json'
    return { statusCode, headers: reserveResponseHeaders(type, headers), body }
  }
}
