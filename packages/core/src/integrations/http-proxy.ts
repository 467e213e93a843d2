import { GatewayConfigError } from '../errors'
import { bodyBytes, headerValues, isHopByHop, setOwn } from '../http'
import { sendHttp } from './http-exchange'
import { expandFailure, expandUriTemplate, forwardableQuery, isGreedyParam, parseUriTemplate, withQuery } from './uri-template'
import { type Integrate, type IntegrationBuild, warnUnmappedParameters } from './types'

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
  const { integration, uri, api, timeoutMs, at } = build
  warnUnmappedParameters(build, 'HTTP_PROXY')
  if (uri === undefined) throw new GatewayConfigError('INVALID_DEFINITION', 'an HTTP_PROXY integration needs a `uri`', `${at}/uri`)
  const template = parseUriTemplate(uri, `${at}/uri`)
  // HTTP APIs hand decoded path parameters over; REST keeps them as sent.
  const decoded = api.apiType === 'HTTP'
  const fixed = (integration.httpMethod ?? 'ANY').toUpperCase()
  return (state) => {
    const params = state.params
    const target = expandUriTemplate(template, {
      value: (name) => (Object.hasOwn(params, name) ? params[name] : undefined),
      greedy: (name, written) => written || isGreedyParam(state, name),
      decoded,
    })
    if (typeof target === 'string') return Promise.resolve(expandFailure(target))
    const query = state.request.query
    const headers: Record<string, string | string[]> = {}
    for (const name of Object.keys(state.request.headers)) {
      if (isHopByHop(name) || name === 'host' || name === 'content-length') continue
      setOwn(headers, name, headerValues(state.request.headers, name))
    }
    headers['x-forwarded-for'] = [...headerValues(state.request.headers, 'x-forwarded-for'), state.identity.sourceIp].join(', ')
    const body = state.request.body === undefined ? undefined : bodyBytes(state.request.body)
    if (body && body.length > 0) headers['content-length'] = String(body.length)
    return sendHttp(
      query ? withQuery(target, forwardableQuery(query)) : target,
      fixed === 'ANY' ? state.request.method : fixed,
      headers,
      body,
      timeoutMs,
    )
  }
}
