/**
 * `$input.params()` of a request, as every mapping template (integration request, integration response, gateway
 * response) reads it: the path, query-string and header maps, built lazily and once per request.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html#input-variable-reference
 */
import type { MappingTemplateParams } from '@gatehousejs/vtl'
import { droppedFromRequest, lastHeaderValue, setOwn } from '../http'
import type { RequestState } from '../state'

/**
 * `$input.params()` of a request: the path, query-string and header maps, each computed only when a template
 * reads it (and once per request).
 *
 * @example
 * ```ts
 * template.render({ body, params: inputParams(state), context: state.context() })
 * ```
 */
export function inputParams(state: RequestState): MappingTemplateParams {
  let params = state.mappingParams
  if (params) return params
  let path: Record<string, string> | undefined
  let querystring: Record<string, string> | undefined
  let header: Record<string, string> | undefined
  params = {
    get path() {
      return (path ??= { ...state.params })
    },
    get querystring() {
      if (!querystring) {
        querystring = {}
        // A repeated name keeps its last value, as API Gateway's single-value maps do. Names are the client's:
        // `__proto__` must become a key, not a prototype.
        for (const [k, v] of state.query) setOwn(querystring, k, v)
      }
      return querystring
    },
    get header() {
      if (!header) {
        header = {}
        for (const name of Object.keys(state.request.headers)) {
          // Reserved headers API Gateway drops never reach a template (see ../http/reserved-headers).
          if (droppedFromRequest(name)) continue
          const v = lastHeaderValue(state.request.headers, name)
          if (v !== undefined) setOwn(header, name, v)
        }
      }
      return header
    },
  }
  state.mappingParams = params
  return params
}
