/**
 * One call of an `HTTP` / `HTTP_PROXY` integration's endpoint, made by core's HTTP exchange (the REST and HTTP
 * APIs' own): the integration timeout, the answer read up to API Gateway's 10 MB payload quota, and the gateway's
 * in-process backends (`httpBackends`) answering their origins without a socket.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html
 */
import { urlToHttpOptions } from 'node:url'
import { REST_ANSWERS, sendHttp, type HttpBackends, type HttpTarget } from '@gatehousejs/core/http-exchange'
import { setOwn } from '@gatehousejs/core/node'
import type { EndpointAnswer } from './mapping'

export type HttpOutcome = { ok: true; answer: EndpointAnswer } | { ok: false; timeout: boolean; error: unknown }

/**
 * Send one request and read the whole answer: headers by lower-case name (repeated ones joined with `, `), the
 * body as UTF-8 text.
 *
 * @example
 * ```ts
 * const out = await callHttp({ method: 'POST', url: new URL('http://127.0.0.1:3000/echo'), headers: {}, body: 'hi', timeoutMs: 29_000 })
 * if (out.ok) console.log(out.answer.status, out.answer.body)
 * ```
 */
export async function callHttp(request: {
  method: string
  url: URL
  headers: Record<string, string>
  body: string
  timeoutMs: number
  backends?: HttpBackends
}): Promise<HttpOutcome> {
  const { method, url, headers, timeoutMs, backends } = request
  const o = urlToHttpOptions(url)
  const target: HttpTarget = {
    protocol: url.protocol as HttpTarget['protocol'],
    hostname: o.hostname ?? url.hostname,
    port: o.port ?? undefined,
    path: o.path ?? '/',
    ...(o.auth ? { auth: o.auth } : {}),
  }
  const body = method !== 'GET' && method !== 'HEAD' ? Buffer.from(request.body, 'utf8') : undefined
  let error: unknown
  const out = await sendHttp(target, method, headers, body, timeoutMs, { backends, report: (e) => (error = e) })
  if (!('statusCode' in out)) return { ok: false, timeout: out === REST_ANSWERS.timeout, error }
  const answerHeaders: Record<string, string> = {}
  for (const name in out.headers) {
    const value = out.headers[name]!
    setOwn(answerHeaders, name.toLowerCase(), typeof value === 'string' ? value : value.join(', '))
  }
  const text =
    typeof out.body === 'string' ? out.body : Buffer.from(out.body.buffer, out.body.byteOffset, out.body.byteLength).toString('utf8')
  return { ok: true, answer: { status: out.statusCode, headers: answerHeaders, body: text } }
}
