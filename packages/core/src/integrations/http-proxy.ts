/**
 * `HTTP_PROXY`: the client's request forwarded to the URI (path parameters spliced in) and the backend's answer
 * returned, with API Gateway's reserved-header rules both ways (../http/reserved-headers): the client's
 * `Connection`, `Content-Encoding`, `Content-MD5`, `Expect`, `Max-Forwards`, `Server`, `Via`, `WWW-Authenticate`, …
 * are not forwarded, `x-amzn-apigateway-api-id` is added, and the backend's `Connection`, `Content-Length`, `Date`,
 * `Server` and `x-amzn-RequestId` come back as `x-amzn-Remapped-*`. On REST APIs `requestParameters` apply:
 * mapped headers replace the client's, mapped query parameters follow the URI's and the client's, and mapped path
 * values fill `{name}` anywhere in the URI (its query string included).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-known-issues.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/request-response-data-mappings.html
 */
import { GatewayConfigError } from '../errors'
import { compileMappings } from '../features/parameter-mapping'
import { failure, type GatewayFailure } from '../gateway-responses'
import { bodyBytes, headerFate, headerValues, isHopByHop, reserveResponseHeaders, setOwn, withoutHopByHop } from '../http'
import type { RequestState } from '../state'
import { HTTP_API_ANSWERS, sendHttp, traceContext } from './http-exchange'
import { mappedHeadersAllowed, REQUEST_TARGETS } from './integration-request'
import {
  type ExpandRefusal,
  expandFailure,
  expandUriTemplate,
  forwardableQuery,
  isGreedyParam,
  parseUriTemplate,
  withQuery,
} from './uri-template'
import {
  applyHeaderMappings,
  applyQueryMappings,
  applyResponseMappings,
  compileHttpApiRequestParameters,
  compileHttpApiResponseParameters,
  encodePairs,
  headerList,
  type HttpApiMappingInput,
  mappedPath,
} from '../features/parameter-mapping/http-api'
import type { Integrate, IntegrationBuild } from './types'

/**
 * HTTP APIs' answers, in their casing, when the URI cannot be built: a path value that would climb out of the URI
 * (`..`) is the client's bad request, a `{name}` nothing fills is the integration's error.
 */
const HTTP_API_EXPAND: Record<ExpandRefusal, GatewayFailure> = {
  refused: failure('BAD_REQUEST_PARAMETERS', 'Bad Request', { status: 400 }),
  missing: failure('API_CONFIGURATION_ERROR', 'Internal Server Error', { status: 500 }),
}

interface Mapped {
  headers: Record<string, string>
  query: [string, string][]
  path: Record<string, string>
}

/**
 * Compile an HTTP_PROXY integration once: the URI template parsed (a bad one is a `GatewayConfigError` naming
 * `at`, as API Gateway refuses it at deployment), then per request the path parameters spliced in and the call made.
 *
 * @example
 * ```ts
 * const uri = 'https://backend.example.com/{proxy}'
 * const run = compileHttpProxy({ type: 'HTTP_PROXY', uri, httpMethod: 'ANY' }, uri, api, 29000, '/resources/~1{proxy+}/ANY/integration')
 * ```
 */
export function compileHttpProxy(build: IntegrationBuild): Integrate {
  const { integration, uri, api, timeoutMs, at, backends } = build
  // The reserved-header table and `requestParameters` are REST's; HTTP APIs forward as before (and warn).
  const rest = api.apiType === 'REST'
  // HTTP APIs: their own parameter mapping (append/overwrite/remove), requests and responses by status code.
  const httpRequestMappings = rest ? [] : compileHttpApiRequestParameters(integration.requestParameters, `${at}/requestParameters`)
  const httpResponseMappings = rest
    ? undefined
    : compileHttpApiResponseParameters(integration.responseParameters, `${at}/responseParameters`)
  if (uri === undefined) throw new GatewayConfigError('INVALID_DEFINITION', 'an HTTP_PROXY integration needs a `uri`', `${at}/uri`)
  const template = parseUriTemplate(uri, `${at}/uri`)
  // HTTP APIs hand decoded path parameters over; REST keeps them as sent.
  const decoded = api.apiType === 'HTTP'
  const fixed = (integration.httpMethod ?? 'ANY').toUpperCase()
  const mappings = rest
    ? compileMappings(integration.requestParameters, REQUEST_TARGETS, 'integration-request', `${at}/requestParameters`)
    : []

  function mapRequest(state: RequestState): Mapped {
    const out: Mapped = { headers: {}, query: [], path: {} }
    let ctx: Record<string, unknown> | undefined
    const input = { state, context: () => (ctx ??= state.context()) }
    for (const m of mappings) {
      const value = m.read(input)
      if (value === undefined) continue
      if (m.kind === 'integration.request.path.') setOwn(out.path, m.name, value)
      else if (m.kind === 'integration.request.querystring.') out.query.push([m.name, value])
      else if (m.kind === 'integration.request.multivaluequerystring.') for (const v of value.split(',')) out.query.push([m.name, v])
      else setOwn(out.headers, m.name, value)
    }
    return out
  }

  return (state) => {
    const mapped = mappings.length > 0 ? mapRequest(state) : undefined
    // A mapped reserved header API Gateway refuses (Content-Length, Transfer-Encoding): 500.
    if (mapped && !mappedHeadersAllowed('HTTP_PROXY', mapped.headers)) return Promise.resolve(failure('API_CONFIGURATION_ERROR'))
    const params = state.params
    const target = expandUriTemplate(template, {
      value: (name) =>
        mapped && Object.hasOwn(mapped.path, name) ? mapped.path[name] : Object.hasOwn(params, name) ? params[name] : undefined,
      greedy: (name, written) => written || isGreedyParam(state, name),
      decoded,
    })
    if (typeof target === 'string') return Promise.resolve(rest ? expandFailure(target) : HTTP_API_EXPAND[target])
    const query = state.request.query
    const headers: Record<string, string | string[]> = {}
    for (const name of Object.keys(state.request.headers)) {
      if (rest ? headerFate('request', 'HTTP_PROXY', name) === 'dropped' : isHopByHop(name) || name === 'host' || name === 'content-length')
        continue
      setOwn(headers, name, headerValues(state.request.headers, name))
    }
    headers['x-forwarded-for'] = [...headerValues(state.request.headers, 'x-forwarded-for'), state.identity.sourceIp].join(', ')
    // The request's trace (recorded: backends get X-Amzn-Trace-Id); a client's W3C trace context only when it parses.
    delete headers.traceparent
    delete headers.tracestate
    Object.assign(headers, traceContext(state))
    if (rest) headers['x-amzn-apigateway-api-id'] = api.apiId
    // A mapped header replaces the client's of the same name (recorded: `headerVar` mapped over the client's).
    if (mapped) for (const [name, value] of Object.entries(mapped.headers)) setOwn(headers, name.toLowerCase(), value)
    const body = state.request.body === undefined ? undefined : bodyBytes(state.request.body)
    if (body && body.length > 0) headers['content-length'] = String(body.length)
    let to = query ? withQuery(target, forwardableQuery(query)) : target
    if (mapped && mapped.query.length > 0) to = withQuery(to, new URLSearchParams(mapped.query).toString())
    let input: HttpApiMappingInput | undefined
    if (httpRequestMappings.length > 0) {
      input = { state, context: () => state.context() }
      const list = headerList(headers)
      applyHeaderMappings(httpRequestMappings, list, input)
      for (const name of Object.keys(headers)) delete headers[name]
      for (const [name, values] of list) setOwn(headers, name, values.length === 1 ? values[0]! : values)
      const path = mappedPath(httpRequestMappings, input)
      const queryMapped = httpRequestMappings.some((m) => m.where === 'querystring')
      if (path !== undefined || queryMapped) {
        const q = target.path.indexOf('?')
        const base = { ...target, path: path ?? (q === -1 ? target.path : target.path.slice(0, q)) }
        const uriQuery = q === -1 ? '' : target.path.slice(q + 1)
        to = withQuery(
          withQuery(base, uriQuery),
          queryMapped ? encodePairs(applyQueryMappings(httpRequestMappings, state.query, input)) : query ? forwardableQuery(query) : '',
        )
      }
    }
    state.log?.httpRequest(to, headers, body)
    const sent = sendHttp(to, fixed === 'ANY' ? state.request.method : fixed, headers, body, timeoutMs, {
      report: (error, answer) => state.reportFailure(error, 'integration', answer.type),
      answers: rest ? undefined : HTTP_API_ANSWERS,
      backends,
    })
    return sent.then((out) => {
      state.log?.httpResponse(out)
      if (!('statusCode' in out)) return out
      if (rest) return { ...out, headers: reserveResponseHeaders('HTTP_PROXY', out.headers) }
      const byStatus = httpResponseMappings?.get(out.statusCode)
      const answer = byStatus ? applyResponseMappings(out, byStatus, input ?? { state, context: () => state.context() }) : out
      return { ...answer, headers: withoutHopByHop(answer.headers) }
    })
  }
}
