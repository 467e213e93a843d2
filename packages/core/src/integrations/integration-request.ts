/**
 * The integration request of a non-proxy integration (AWS, HTTP, MOCK): the request template chosen by
 * Content-Type with the passthrough behaviour, payload conversion (`contentHandling`), `requestParameters`
 * mappings and the template's `$context.requestOverride`.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/integration-passthrough-behaviors.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-payload-encodings-workflow.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-override-request-response-parameters.html
 */
import { VtlError } from '@gatehousejs/vtl'
import type { IntegrationDefinition } from '../definition'
import { failure, type GatewayFailure } from '../gateway-responses'
import { bodyBytes, headerFate, type HeaderIntegrationType, lastHeaderValue, mediaType } from '../http'
import type { CompiledApi } from '../model'
import { compileMappings } from '../features/parameter-mapping'
import type { RequestState } from '../state'
import { inputParams } from '../templates/input-params'
import { compileTemplateSet } from '../templates/mapping-templates'
import { overrideText } from '../templates/overrides'

/** What a non-proxy integration sends to its backend. */
export interface IntegrationRequest {
  /** The payload: the rendered template, or the method request's body passed through (possibly converted). */
  body: string | Uint8Array
  /** Content-Type of the payload: the matched template's type, or the method request's on passthrough. */
  contentType: string | undefined
  /** `integration.request.header.*` (names as mapped). */
  headers: Record<string, string>
  /** `integration.request.querystring.*`, in order. */
  query: [string, string][]
  /** `integration.request.path.*`: values for `{name}` in the integration URI. */
  path: Record<string, string>
  /** `$context` of this request, built on first use and shared with the response side. */
  context: () => Record<string, unknown>
}

export type MapRequest = (state: RequestState) => IntegrationRequest | GatewayFailure

/** The targets an integration request's `requestParameters` may set (REST). */
export const REQUEST_TARGETS = [
  'integration.request.header.',
  'integration.request.multivalueheader.',
  'integration.request.querystring.',
  'integration.request.multivaluequerystring.',
  'integration.request.path.',
] as const

/**
 * Apply the reserved-header table to mapped integration request headers (names as mapped, any case): drop what
 * API Gateway drops; `false` when one is refused, which API Gateway answers with 500 ("Execution failed due to
 * configuration error") — recorded for `Content-Length` and `Transfer-Encoding` on every integration type and
 * `Authorization`, `Connection`, `Expect`, `Proxy-Authenticate`, `TE` on AWS and AWS_PROXY (see ../http/reserved-headers).
 *
 * @example
 * ```ts
 * const headers = { Via: 'x', 'X-Id': '1' }
 * mappedHeadersAllowed('HTTP', headers) // true; headers is now { 'X-Id': '1' }
 * mappedHeadersAllowed('HTTP', { 'Content-Length': '0' }) // false
 * ```
 */
export function mappedHeadersAllowed(type: HeaderIntegrationType, headers: Record<string, unknown>): boolean {
  for (const name of Object.keys(headers)) {
    const fate = headerFate('mapped', type, name)
    if (fate === 'refused') return false
    if (fate === 'dropped') delete headers[name]
  }
  return true
}

/** Base64 text → bytes, as CONVERT_TO_BINARY does. */
function base64Bytes(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'base64'))
}

/**
 * Compile the request side of a non-proxy integration. `at` is the integration's JSON pointer.
 *
 * @example
 * ```ts
 * const map = compileRequestMapping({ type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }, api, '/x')
 * ```
 */
export function compileRequestMapping(integration: IntegrationDefinition, api: CompiledApi, at: string): MapRequest {
  const templates = compileTemplateSet(integration.requestTemplates, `${at}/requestTemplates`, api.templateLimits)
  const behavior = integration.passthroughBehavior ?? 'WHEN_NO_MATCH'
  // Decided once: whether a request whose Content-Type has no template passes through or is refused with 415.
  const passUnmatched = behavior === 'WHEN_NO_MATCH' || (behavior === 'WHEN_NO_TEMPLATES' && templates.size === 0)
  const mappings = compileMappings(integration.requestParameters, REQUEST_TARGETS, 'integration-request', `${at}/requestParameters`)
  const handling = integration.contentHandling
  const isBinary = api.isBinaryType
  const unsupported = failure('UNSUPPORTED_MEDIA_TYPE')
  const integrationType = integration.type.toUpperCase() as HeaderIntegrationType

  return (state) => {
    const headerType = lastHeaderValue(state.request.headers, 'content-type')
    // API Gateway reads a request without Content-Type as application/json.
    const type = mediaType(headerType) || 'application/json'
    const template = templates.byType.get(type)
    if (!template && !passUnmatched) return unsupported

    // Binary means: the API lists binary media types and the Content-Type is one of them.
    const raw = state.request.body
    const binaryIn = raw !== undefined && isBinary?.(type) === true
    let payload: string | Uint8Array
    if (binaryIn) payload = handling === 'CONVERT_TO_TEXT' ? bodyBytes(raw).toString('base64') : new Uint8Array(bodyBytes(raw))
    else payload = state.bodyText

    let ctx: Record<string, unknown> | undefined
    const context = () => (ctx ??= state.context())
    let override: { header: Record<string, unknown>; querystring: Record<string, unknown>; path: Record<string, unknown> } | undefined
    if (template) {
      try {
        const out = template.render({
          body: typeof payload === 'string' ? payload : bodyBytes(payload).toString('utf8'),
          params: inputParams(state),
          context: context(),
          stageVariables: state.api.stageVariables ?? {},
        })
        payload = out.body
        override = out.requestOverride
        state.templateOverrides = out
      } catch (e) {
        if (!(e instanceof VtlError)) throw e
        // A body that looks like JSON but does not parse: API Gateway answers 400 "Could not process payload".
        if (e.code === 'VTL_INVALID_PAYLOAD') return failure('DEFAULT_4XX', e.message, { status: 400 })
        state.reportFailure(e, 'integration-request', 'API_CONFIGURATION_ERROR')
        return failure('API_CONFIGURATION_ERROR')
      }
    }
    // CONVERT_TO_BINARY reads the (rendered or passed-through) text as base64.
    if (handling === 'CONVERT_TO_BINARY' && typeof payload === 'string') payload = base64Bytes(payload)

    const headers: Record<string, string> = {}
    const query: [string, string][] = []
    const path: Record<string, string> = {}
    if (mappings.length > 0) {
      const input = { state, context }
      for (const m of mappings) {
        const value = m.read(input)
        if (value === undefined) continue
        switch (m.kind) {
          case 'integration.request.header.':
          case 'integration.request.multivalueheader.':
            headers[m.name] = value
            break
          case 'integration.request.querystring.':
            query.push([m.name, value])
            break
          case 'integration.request.multivaluequerystring.':
            for (const v of value.split(',')) query.push([m.name, v])
            break
          default:
            path[m.name] = value
        }
      }
    }
    if (override) {
      for (const [name, v] of Object.entries(override.header)) {
        const s = overrideText(v)
        if (s !== undefined) headers[name] = s
      }
      const names = Object.keys(override.querystring)
      if (names.length > 0) {
        const replaced = new Set(names)
        const kept = query.filter(([k]) => !replaced.has(k))
        query.length = 0
        query.push(...kept)
        for (const name of names) {
          const s = overrideText(override.querystring[name])
          if (s !== undefined) query.push([name, s])
        }
      }
      for (const [name, v] of Object.entries(override.path)) {
        const s = overrideText(v)
        if (s !== undefined) path[name] = s
      }
    }
    if (!mappedHeadersAllowed(integrationType, headers)) return failure('API_CONFIGURATION_ERROR')
    return { body: payload, contentType: template ? template.type : headerType, headers, query, path, context }
  }
}
