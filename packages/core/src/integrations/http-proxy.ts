/**
 * HTTP integrations' exchange. HTTP_PROXY: the request goes to the URL its template gives (path parameters and
 * stage variables substituted, see ./uri-template), the response comes back as it is. Hop-by-hop headers are
 * dropped both ways.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { failure, type GatewayFailure } from '../gateway-responses'
import { bodyBytes, headerValues, isHopByHop, setOwn } from '../http'
import type { ApiType } from '../definition'
import type { RequestState } from '../state'
import type { GatewayResponse, HeaderMap } from '../types'
import { expandFailure, expandUriTemplate, forwardableQuery, isGreedyParam, parseUriTemplate, withQuery, type HttpTarget } from './uri-template'

/**
 * Compile an HTTP_PROXY integration once: the URI template parsed (a bad one is a `GatewayConfigError` naming
 * `at`, as API Gateway refuses it at deployment), then per request the path parameters spliced in and the call made.
 *
 * @example
 * ```ts
 * const run = compileHttpProxy('https://backend.example.com/{proxy}', 'ANY', 29000, 'HTTP', '/resources/~1{proxy+}/ANY/integration')
 * ```
 */
export function compileHttpProxy(
  uri: string,
  method: string,
  timeoutMs: number,
  apiType: ApiType,
  at: string,
): (state: RequestState) => Promise<GatewayResponse | GatewayFailure> {
  const template = parseUriTemplate(uri, `${at}/uri`)
  // HTTP APIs hand decoded path parameters over; REST keeps them as sent.
  const decoded = apiType === 'HTTP'
  const fixed = method.toUpperCase()
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
    return sendHttp(query ? withQuery(target, forwardableQuery(query)) : target, fixed === 'ANY' ? state.request.method : fixed, headers, body, timeoutMs)
  }
}

/**
 * One HTTP exchange with a backend, as both HTTP integrations make it: the whole response read, hop-by-hop headers
 * dropped; a timeout is INTEGRATION_TIMEOUT (504), a connection or stream failure INTEGRATION_FAILURE (502).
 */
export function sendHttp(
  target: HttpTarget,
  method: string,
  headers: Record<string, string | string[]>,
  body: Buffer | undefined,
  timeoutMs: number,
): Promise<GatewayResponse | GatewayFailure> {
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest
  return new Promise((resolve) => {
    let done = false
    const finish = (r: GatewayResponse | GatewayFailure) => {
      if (done) return
      done = true
      clearTimeout(timer)
      resolve(r)
    }
    const timer = setTimeout(() => {
      finish(failure('INTEGRATION_TIMEOUT'))
      req?.destroy()
    }, timeoutMs)
    timer.unref?.()
    let req: ReturnType<typeof httpRequest> | undefined
    try {
      req = send({ ...target, method, headers }, (res: IncomingMessage) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('error', () => finish(failure('INTEGRATION_FAILURE', undefined, { status: 502 })))
        res.on('end', () => {
          const out: HeaderMap = {}
          for (const [name, value] of Object.entries(res.headersDistinct)) {
            if (isHopByHop(name) || value === undefined) continue
            setOwn(out, name, value.length === 1 ? value[0]! : value)
          }
          finish({ statusCode: res.statusCode ?? 502, headers: out, body: new Uint8Array(Buffer.concat(chunks)) })
        })
      })
    } catch {
      // A header value Node refuses to send (a mapped value with a control character): the integration fails.
      finish(failure('INTEGRATION_FAILURE', undefined, { status: 502 }))
      return
    }
    req.on('error', () => finish(failure('INTEGRATION_FAILURE', undefined, { status: 502 })))
    req.end(body && body.length > 0 ? body : undefined)
  })
}
