/**
 * Turning a {@link GatewayFailure} into the HTTP response, with the API's customisations applied: the type's own
 * definition, else DEFAULT_4XX / DEFAULT_5XX, else API Gateway's default. Customised templates are VTL, compiled
 * once when the gateway is built; `$context.error.*` is filled per failure.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-gatewayResponse-definition.html
 */
import { VtlError } from '@gatehousejs/vtl'
import type { CompiledApi } from './model'
import { pointer } from './errors'
import {
  defaultMessage,
  defaultStatus,
  errorTypeHeader,
  type GatewayFailure,
  type GatewayResponseDefinition,
  type GatewayResponseType,
} from './gateway-responses'
import type { RequestState } from './state'
import { compileMappings } from './features/parameter-mapping'
import { inputParams } from './templates/input-params'
import { compileTemplateSet, type CompiledTemplateEntry } from './templates/mapping-templates'
import type { GatewayResponse, HeaderMap } from './types'

export type RenderFailure = (state: RequestState, f: GatewayFailure) => GatewayResponse

interface CompiledDefinition {
  statusCode: number | undefined
  headers: ReturnType<typeof compileMappings>
  /** The template used: `application/json`'s when there is one, else the first. */
  template: CompiledTemplateEntry | undefined
}

function compileDefinition(def: GatewayResponseDefinition, at: string, api: CompiledApi): CompiledDefinition {
  const templates = compileTemplateSet(def.responseTemplates, `${at}/responseTemplates`, api.templateLimits)
  return {
    statusCode: def.statusCode === undefined ? undefined : Number(def.statusCode),
    headers: compileMappings(def.responseParameters, ['gatewayresponse.header.'], 'gateway-response', `${at}/responseParameters`),
    template: templates.byType.get('application/json') ?? templates.byType.values().next().value,
  }
}

/**
 * Compile the API's gateway-response customisations (throws `GatewayConfigError` for a template that does not
 * parse or a mapping it cannot read) into the function that renders a failure.
 *
 * @example
 * ```ts
 * const render = compileGatewayResponses(api, { UNAUTHORIZED: { statusCode: 401, responseTemplates: { 'application/json': '{"error":$context.error.messageString}' } } })
 * ```
 */
export function compileGatewayResponses(
  api: CompiledApi,
  defs: Partial<Record<GatewayResponseType, GatewayResponseDefinition>> | undefined,
): RenderFailure {
  const custom: Partial<Record<GatewayResponseType, CompiledDefinition>> = {}
  // HTTP APIs have no gateway-response customisation.
  if (api.apiType === 'REST') {
    for (const [type, def] of Object.entries(defs ?? {})) {
      if (def) custom[type as GatewayResponseType] = compileDefinition(def, pointer('gatewayResponses', type), api)
    }
  }
  return (state, f) => {
    const status = defaultStatus(f)
    const message = defaultMessage(f)
    // REQUEST_TOO_LARGE cannot be customised on API Gateway.
    const own = f.type === 'REQUEST_TOO_LARGE' ? undefined : custom[f.type]
    const fallback = f.type === 'REQUEST_TOO_LARGE' ? undefined : status >= 500 ? custom.DEFAULT_5XX : custom.DEFAULT_4XX
    const def = own ?? fallback
    const statusCode = own?.statusCode ?? fallback?.statusCode ?? status
    const headers: HeaderMap = { 'content-type': 'application/json' }
    if (api.apiType === 'REST') headers['x-amzn-ErrorType'] = errorTypeHeader(f)
    if (f.headers) Object.assign(headers, f.headers)
    let body = f.body ?? JSON.stringify({ message })
    if (def) {
      let ctx: Record<string, unknown> | undefined
      const context = () =>
        (ctx ??= {
          ...state.context(),
          error: {
            message,
            messageString: JSON.stringify(message),
            responseType: f.type,
            validationErrorString: f.validationErrorString ?? '',
          },
        })
      for (const m of def.headers) {
        const value = m.read({ state, context })
        if (value !== undefined) headers[m.name] = value
      }
      if (def.template) {
        try {
          body = def.template.render({
            body: '',
            params: inputParams(state),
            context: context(),
            stageVariables: state.api.stageVariables ?? {},
          }).body
          headers['content-type'] = def.template.type
        } catch (e) {
          // A template that fails at run time keeps the default body: a refusal must still answer.
          if (!(e instanceof VtlError)) throw e
          state.reportFailure(e, 'gateway-response', f.type)
        }
      }
    }
    return { statusCode, headers, body }
  }
}
