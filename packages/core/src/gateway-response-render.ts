/**
 * Turning a {@link GatewayFailure} into the HTTP response, with the API's customisations applied: the type's own
 * definition, else DEFAULT_4XX / DEFAULT_5XX, else API Gateway's default.
 */
import type { CompiledApi } from './compile'
import {
  defaultMessage,
  defaultStatus,
  errorTypeHeader,
  type GatewayFailure,
  type GatewayResponseDefinition,
  type GatewayResponseType,
} from './gateway-responses'
import type { RequestState } from './state'
import { parameterSource, renderTemplate } from './templates'
import type { GatewayResponse, HeaderMap } from './types'

export type RenderFailure = (state: RequestState, f: GatewayFailure) => GatewayResponse

export function compileGatewayResponses(
  api: CompiledApi,
  defs: Partial<Record<GatewayResponseType, GatewayResponseDefinition>> | undefined,
): RenderFailure {
  const custom = api.apiType === 'REST' ? defs ?? {} : {}
  return (state, f) => {
    const status = defaultStatus(f)
    const message = defaultMessage(f)
    // REQUEST_TOO_LARGE cannot be customised on API Gateway.
    const own = f.type === 'REQUEST_TOO_LARGE' ? undefined : custom[f.type]
    const fallback = f.type === 'REQUEST_TOO_LARGE' ? undefined : status >= 500 ? custom.DEFAULT_5XX : custom.DEFAULT_4XX
    const def = own ?? fallback
    const statusCode = Number(own?.statusCode ?? fallback?.statusCode ?? status)
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
      for (const [target, source] of Object.entries(def.responseParameters ?? {})) {
        if (!target.startsWith('gatewayresponse.header.')) continue
        const value = parameterSource(state, source, context)
        if (value !== undefined) headers[target.slice(23)] = value
      }
      const templates = def.responseTemplates
      if (templates) {
        const type = Object.keys(templates).find((t) => t.toLowerCase() === 'application/json') ?? Object.keys(templates)[0]
        if (type !== undefined) {
          body = renderTemplate(templates[type]!, state, context())
          headers['content-type'] = type
        }
      }
    }
    return { statusCode, headers, body }
  }
}
