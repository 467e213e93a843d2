/**
 * REST APIs' `AWS` integrations with a service other than Lambda: API Gateway builds the service request from the
 * URI (`action/{Action}`: the query protocol's `Action`/`Version` or a JSON protocol's `X-Amz-Target`; `path/…`:
 * the path with mapped `{name}` values, each percent-encoded as one segment), the integration's `httpMethod`, the
 * mapped headers and query string and the request template's body; signs it for the integration's role; and maps
 * the service's answer through the integration responses, `selectionPattern` matching the status code.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/integrating-api-with-aws-services-s3.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/integrating-api-with-aws-services-kinesis.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-integration-settings-integration-response.html
 */
import type { IntegrationDefinition } from '../../definition'
import { failure } from '../../gateway-responses'
import { bodyBytes, setOwn } from '../../http'
import type { RequestState } from '../../state'
import { compileRequestMapping } from '../integration-request'
import { compileResponseMapping } from '../integration-response'
import type { Integrate, IntegrationBuild } from '../types'
import { expandFailure, expandUriTemplate, isGreedyParam, parseUriTemplate } from '../uri-template'
import { createServiceCaller, type FailureAnswers } from './exchange'
import type { AwsOptions } from './options'
import { encodeForm } from './encode'
import { serviceProtocol } from './services'
import { serviceBase, type ServiceUri } from './uri'

/** The integration as API Gateway stores it: `credentials` is the role API Gateway assumes. */
/** REST's answers: 500 for a configuration error, 504 on timeout, the HTTP integrations' 502 when unreachable. */
const REST_ANSWERS: FailureAnswers = {
  config: failure('API_CONFIGURATION_ERROR'),
  timeout: failure('INTEGRATION_TIMEOUT'),
  unreachable: failure('INTEGRATION_FAILURE', undefined, { status: 502 }),
}

/** Which `{name}` of the path keeps `/`: a `{name+}`, or a value mapped from the route's greedy parameter. */
function greedySource(integration: IntegrationDefinition, name: string): string {
  const from = integration.requestParameters?.[`integration.request.path.${name}`]
  if (from === undefined) return name
  const m = /^method\.request\.path\.(.+)$/.exec(from)
  return m ? m[1]! : ''
}

/**
 * The role ARN API Gateway would assume for the integration (`arn:aws:iam::*:user/*`, the caller's own
 * credentials, is none).
 *
 * @example
 * ```ts
 * roleOf({ type: 'AWS', credentials: 'arn:aws:iam::123456789012:role/apigw' } as IntegrationDefinition) // 'arn:aws:iam::123456789012:role/apigw'
 * ```
 */
export function roleOf(integration: IntegrationDefinition): string | undefined {
  const c: unknown = integration.credentials
  return typeof c === 'string' && c !== '' && !c.includes(':user/*') ? c : undefined
}

/**
 * Compile a REST `AWS` integration whose URI names a service (parsed by `parseServiceUri`).
 *
 * @example
 * ```ts
 * const uri = parseServiceUri('arn:aws:apigateway:us-east-1:dynamodb:action/PutItem', api, '/x/uri')!
 * const run = compileAwsService(build, uri, { endpoints: { dynamodb: 'http://127.0.0.1:8000' } })
 * ```
 */
export function compileAwsService(build: IntegrationBuild, parsed: ServiceUri, aws: AwsOptions | undefined): Integrate {
  const { integration, api, timeoutMs, at } = build
  const { service, region, style, rest } = parsed
  const base = serviceBase(aws, service, region, parsed.subdomain)
  const protocol = serviceProtocol(service)
  const fixed = (integration.httpMethod ?? 'POST').toUpperCase()
  const mapRequest = compileRequestMapping(integration, api, at)
  const mapResponse = compileResponseMapping(integration, api, at)
  const call = createServiceCaller(aws, REST_ANSWERS)
  const role = roleOf(integration)
  // The path is expanded against a placeholder origin: only its path and query are kept, so no value can name a host.
  const template = style === 'path' ? parseUriTemplate(`https://aws.invalid/${rest}`, `${at}/uri`) : null
  const sources = new Map((template?.names ?? []).map((name) => [name, greedySource(integration, name)]))
  const actionQuery: [string, string][] =
    style === 'action' && protocol.kind === 'query'
      ? [
          ['Action', rest],
          ['Version', protocol.version],
        ]
      : style === 'action' && protocol.kind === 'rest'
        ? [['Action', rest]]
        : []

  const target = (state: RequestState, mapped: Record<string, string>): { path: string; query: string } | 'missing' | 'refused' => {
    if (template === null) return { path: '/', query: '' }
    const params = state.params
    const expanded = expandUriTemplate(template, {
      value: (name) => (Object.hasOwn(mapped, name) ? mapped[name] : Object.hasOwn(params, name) ? params[name] : undefined),
      greedy: (name, written) => written || isGreedyParam(state, sources.get(name) ?? ''),
      decoded: false,
    })
    if (typeof expanded === 'string') return expanded
    const q = expanded.path.indexOf('?')
    return q === -1 ? { path: expanded.path, query: '' } : { path: expanded.path.slice(0, q), query: expanded.path.slice(q + 1) }
  }

  return async (state) => {
    const req = mapRequest(state)
    if ('type' in req) return req
    const where = target(state, req.path)
    if (typeof where === 'string') return expandFailure(where)
    // A mapped `Version` wins over the default one.
    const ownVersion = req.query.some(([n]) => n === 'Version')
    const pairs = [...(ownVersion ? actionQuery.filter(([k]) => k !== 'Version') : actionQuery), ...req.query]
    const query = [where.query, encodeForm(pairs)].filter((s) => s !== '').join('&')
    const body = new Uint8Array(bodyBytes(req.body))
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(req.headers)) setOwn(headers, name.toLowerCase(), value)
    if (style === 'action' && protocol.kind === 'json') {
      headers['x-amz-target'] ??= `${protocol.target}.${rest}`
      headers['content-type'] ??= protocol.contentType
    }
    if (headers['content-type'] === undefined && req.contentType !== undefined && body.length > 0) headers['content-type'] = req.contentType
    const method = fixed === 'ANY' ? state.request.method : fixed
    const answer = await call(state, { service, region, base, method, path: where.path, query, headers, body }, role, timeoutMs)
    if ('type' in answer) return answer
    return mapResponse(state, { ...answer, selector: String(answer.statusCode) }, req.context)
  }
}
