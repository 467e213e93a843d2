/**
 * HTTP APIs' parameter mapping on a Lambda proxy integration: `requestParameters` change the event the function
 * gets (headers, query string, path), `responseParameters` the answer it gave (headers, status code), both as
 * compiled by features/parameter-mapping/http-api.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-parameter-mapping.html
 */
import {
  applyHeaderMappings,
  encodePairs,
  headerList,
  applyQueryMappings,
  type HttpApiMapping,
  type HttpApiMappingInput,
  mappedPath,
} from '../../features/parameter-mapping/http-api'
import { setOwn } from '../../http'

/**
 * Apply request mappings to a Lambda proxy event (payload 2.0, or 1.0 on an HTTP API). Values read the original
 * request; the event is changed in place.
 *
 * @example
 * ```ts
 * mapProxyEvent(event, mappings, { state, context: () => state.context() }, true)
 * ```
 */
export function mapProxyEvent(
  event: Record<string, unknown>,
  mappings: readonly HttpApiMapping[],
  input: HttpApiMappingInput,
  v2: boolean,
): void {
  const headers = headerList(event.headers as Record<string, string> | null)
  applyHeaderMappings(mappings, headers, input)
  const single: Record<string, string> = {}
  const multi: Record<string, string[]> = {}
  for (const [name, values] of headers) {
    setOwn(single, name, v2 ? values.join(',') : values[values.length - 1]!)
    setOwn(multi, name, values)
  }
  event.headers = single
  if (!v2) event.multiValueHeaders = multi

  if (mappings.some((m) => m.where === 'querystring')) {
    const pairs = applyQueryMappings(mappings, input.state.query, input)
    const joined: Record<string, string> = {}
    const last: Record<string, string> = {}
    const lists: Record<string, string[]> = {}
    for (const [k, v] of pairs) {
      const prev = Object.hasOwn(joined, k) ? joined[k] : undefined
      setOwn(joined, k, prev === undefined ? v : `${prev},${v}`)
      setOwn(last, k, v)
      const list = Object.hasOwn(lists, k) ? lists[k] : undefined
      if (list) list.push(v)
      else setOwn(lists, k, [v])
    }
    const empty = pairs.length === 0
    if (v2) {
      event.rawQueryString = encodePairs(pairs)
      if (empty) delete event.queryStringParameters
      else event.queryStringParameters = joined
    } else {
      event.queryStringParameters = empty ? null : last
      event.multiValueQueryStringParameters = empty ? null : lists
    }
  }

  const path = mappedPath(mappings, input)
  if (path !== undefined) {
    if (v2) {
      event.rawPath = path
      const http = (event.requestContext as { http?: { path?: string } } | undefined)?.http
      if (http) http.path = path
    } else event.path = path
  }
}
