/**
 * HTTP_PROXY: the request goes to a URL as it came (path parameters and stage variables substituted), the
 * response comes back as it is. Hop-by-hop headers are dropped both ways.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { failure, type GatewayFailure } from '../gateway-responses'
import { bodyBytes, headerValues, isHopByHop } from '../http'
import type { RequestState } from '../state'
import type { GatewayResponse, HeaderMap } from '../types'

/** Substitute `{name}` placeholders in a URL template with the request's path parameters (as on the wire). */
export function expandUrl(template: string, params: Record<string, string>): string {
  return template.replace(/\{([^{}]+?)\+?\}/g, (whole, name: string) => {
    const bare = name.endsWith('+') ? name.slice(0, -1) : name
    const value = params[bare]
    return value === undefined ? whole : value
  })
}

export async function callHttpProxy(
  state: RequestState,
  urlTemplate: string,
  method: string,
  timeoutMs: number,
): Promise<GatewayResponse | GatewayFailure> {
  let url: URL
  try {
    url = new URL(expandUrl(urlTemplate, state.params))
  } catch {
    return failure('API_CONFIGURATION_ERROR')
  }
  const query = state.request.query
  if (query) url.search = url.search ? `${url.search}&${query}` : `?${query}`
  const headers: Record<string, string | string[]> = {}
  for (const name of Object.keys(state.request.headers)) {
    if (isHopByHop(name) || name === 'host' || name === 'content-length') continue
    headers[name] = headerValues(state.request.headers, name)
  }
  headers['x-forwarded-for'] = [...headerValues(state.request.headers, 'x-forwarded-for'), state.identity.sourceIp].join(', ')
  const body = state.request.body === undefined ? undefined : bodyBytes(state.request.body)
  if (body && body.length > 0) headers['content-length'] = String(body.length)
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return failure('API_CONFIGURATION_ERROR')

  return sendHttp(url, method, headers, body, timeoutMs)
}

/**
 * One HTTP exchange with a backend, as both HTTP integrations make it: the whole response read, hop-by-hop headers
 * dropped; a timeout is INTEGRATION_TIMEOUT (504), a connection or stream failure INTEGRATION_FAILURE (502).
 */
export function sendHttp(
  url: URL,
  method: string,
  headers: Record<string, string | string[]>,
  body: Buffer | undefined,
  timeoutMs: number,
): Promise<GatewayResponse | GatewayFailure> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest
  return new Promise((resolve) => {
    let done = false
    const finish = (r: GatewayResponse | GatewayFailure) => {
      if (done) return
      done = true
      clearTimeout(timer)
      resolve(r)
    }
    const req = send(url, { method, headers }, (res: IncomingMessage) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('error', () => finish(failure('INTEGRATION_FAILURE', undefined, { status: 502 })))
      res.on('end', () => {
        const out: HeaderMap = {}
        for (const [name, value] of Object.entries(res.headersDistinct)) {
          if (isHopByHop(name) || value === undefined) continue
          out[name] = value.length === 1 ? value[0]! : value
        }
        finish({ statusCode: res.statusCode ?? 502, headers: out, body: new Uint8Array(Buffer.concat(chunks)) })
      })
    })
    const timer = setTimeout(() => {
      finish(failure('INTEGRATION_TIMEOUT'))
      req.destroy()
    }, timeoutMs)
    timer.unref?.()
    req.on('error', () => finish(failure('INTEGRATION_FAILURE', undefined, { status: 502 })))
    req.end(body && body.length > 0 ? body : undefined)
  })
}
