/**
 * `HTTP`: the custom (non-proxy) HTTP integration. Only what the integration request maps reaches the backend:
 * the payload (rendered template or passthrough) as the body, and the mapped headers, query-string and path
 * parameters; the backend's status code selects the integration response.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/setup-http-integrations.html
 */
import type { IntegrationDefinition } from '../definition'
import { GatewayConfigError, toText } from '../errors'
import type { GatewayFailure } from '../gateway-responses'
import { bodyBytes, setOwn } from '../http'
import { sendHttp, traceContext } from './http-exchange'
import type { HttpBackends } from './in-process'
import { compileRequestMapping } from './integration-request'
import { compileResponseMapping, type EndpointResponse } from './integration-response'
import { expandFailure, expandUriTemplate, isGreedyParam, parseUriTemplate, withQuery, type HttpTarget } from './uri-template'
import type { RequestState } from '../state'
import type { Integrate, IntegrationBuild } from './types'

async function send(
  target: HttpTarget,
  method: string,
  headers: Record<string, string>,
  body: Buffer,
  timeoutMs: number,
  state: RequestState,
  backends: HttpBackends | undefined,
): Promise<EndpointResponse | GatewayFailure> {
  state.log?.httpRequest(target, headers, body)
  const out = await sendHttp(target, method, headers, body, timeoutMs, {
    report: (error, answer) => state.reportFailure(error, 'integration', answer.type),
    backends,
  })
  state.log?.httpResponse(out)
  return 'statusCode' in out ? { ...out, selector: toText(out.statusCode) } : out
}

/**
 * Which URI placeholders keep `/` as a separator: a `{name+}` in the URI, or a value mapped (or defaulted) from
 * the method's greedy `{proxy+}` path parameter. Decided per route, once.
 */
function greedySource(integration: IntegrationDefinition, name: string): string {
  const from = integration.requestParameters?.[`integration.request.path.${name}`]
  if (from === undefined) return name
  const m = /^method\.request\.path\.(.+)$/.exec(from)
  return m ? m[1]! : ''
}

/**
 * Compile an `HTTP` (non-proxy) integration (`uri` with stage variables substituted).
 *
 * @example
 * ```ts
 * const uri = 'https://backend.example.com/pets/{id}'
 * const run = compileHttp({ type: 'HTTP', uri, responses: { default: { statusCode: '200' } } }, uri, api, 29000, '/x')
 * ```
 */
export function compileHttp(build: IntegrationBuild): Integrate {
  const { integration, uri, api, timeoutMs, at, backends } = build
  if (api.apiType !== 'REST')
    throw new GatewayConfigError('UNSUPPORTED_FEATURE', 'HTTP (non-proxy) integrations need a REST API', `${at}/type`)
  if (uri === undefined) throw new GatewayConfigError('INVALID_DEFINITION', 'a HTTP integration needs a uri', at)
  // Parsed once; per request values are encoded into it, never re-resolved (see ./uri-template).
  const template = parseUriTemplate(uri, `${at}/uri`)
  const sources = new Map(template.names.map((name) => [name, greedySource(integration, name)]))
  const fixed = (integration.httpMethod ?? 'ANY').toUpperCase()
  const mapRequest = compileRequestMapping(integration, api, at)
  const mapResponse = compileResponseMapping(integration, api, at)
  const userAgent = `AmazonAPIGateway_${api.apiId}`
  return async (state) => {
    const req = mapRequest(state)
    if ('type' in req) return req
    const mapped = req.path
    const params = state.params
    const expanded = expandUriTemplate(template, {
      // A mapped value, else the method's own path parameter of that name.
      value: (name) => (Object.hasOwn(mapped, name) ? mapped[name] : Object.hasOwn(params, name) ? params[name] : undefined),
      greedy: (name, written) => written || isGreedyParam(state, sources.get(name) ?? ''),
      decoded: false,
    })
    if (typeof expanded === 'string') return expandFailure(expanded)
    const target = req.query.length === 0 ? expanded : withQuery(expanded, new URLSearchParams(req.query).toString())
    const body = bodyBytes(req.body)
    // AWS sends `Accept: application/json` unless a mapping says otherwise, a Content-Type only with a payload, and
    // always a Content-Length; the mapped headers (the reserved ones already dropped or refused by mapRequest, a
    // `Host` mapping included) override the defaults. Recorded: test_apigateway_integrations.snapshot.json,
    // test_apigateway_header_remapping_http[HTTP] (11-12-2024), "no-param-integration" and "full-integration".
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': userAgent,
      'x-amzn-apigateway-api-id': api.apiId,
    }
    Object.assign(headers, traceContext(state))
    if (req.contentType !== undefined && body.length > 0) headers['content-type'] = req.contentType
    for (const [name, value] of Object.entries(req.headers)) setOwn(headers, name.toLowerCase(), value)
    headers['content-length'] = String(body.length)
    const endpoint = await send(target, fixed === 'ANY' ? state.request.method : fixed, headers, body, timeoutMs, state, backends)
    if ('type' in endpoint) return endpoint
    return mapResponse(state, endpoint, req.context)
  }
}
