/**
 * One HTTP exchange with a backend, as both HTTP integrations (`HTTP_PROXY` and `HTTP`) make it: the request sent
 * to a target already expanded from the URI template, the whole response read with the backend's headers as sent
 * (the caller applies ../http/reserved-headers: HTTP_PROXY remaps `Connection`, `Date`, … to `x-amzn-Remapped-*`);
 * a timeout is INTEGRATION_TIMEOUT (504), a connection or stream failure INTEGRATION_FAILURE (502) — REST's answers;
 * HTTP APIs pass their own (`HTTP_API_ANSWERS`); either is told to `report` (the caller's `onError`) with the
 * socket's own error. Published as `@gatehousejs/core/http-exchange` (the WebSocket package's HTTP integrations).
 */
import { request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { failure, type GatewayFailure } from '../gateway-responses'
import { lastHeaderValue, setOwn } from '../http'
import { traceparent, tracestate } from '../http/trace-id'
import type { RequestState } from '../state'
import type { GatewayResponse, HeaderMap } from '../types'
import { callInProcess, type HttpBackendHandler, type HttpBackends, originOf } from './in-process'
import type { HttpTarget } from './uri-template'

export { compileHttpBackends, type HttpBackendHandler, type HttpBackends } from './in-process'
export type { HttpTarget } from './uri-template'

/**
 * The most a backend's answer may hold: API Gateway's 10 MB payload limit. A backend (or an AWS service endpoint)
 * that sends more is cut off and the request fails as an unreachable one does, so no answer costs unbounded memory.
 */
export const MAX_RESPONSE_BYTES = 10 * 1024 * 1024

/**
 * The trace headers an HTTP integration's request carries: the request's `X-Amzn-Trace-Id` (recorded: AWS sends one
 * to every HTTP backend) and the client's W3C `traceparent` / `tracestate` when they parse (../http/trace-id.ts).
 *
 * @example
 * ```ts
 * Object.assign(headers, traceContext(state)) // { 'x-amzn-trace-id': 'Root=1-…;Parent=…;Sampled=0', traceparent?: … }
 * ```
 */
export function traceContext(state: RequestState): Record<string, string> {
  const out: Record<string, string> = { 'x-amzn-trace-id': state.traceHeader }
  const parent = traceparent(lastHeaderValue(state.request.headers, 'traceparent'))
  if (parent !== undefined) {
    out.traceparent = parent
    const list = tracestate(lastHeaderValue(state.request.headers, 'tracestate'))
    if (list !== undefined) out.tracestate = list
  }
  return out
}

/** What a failed exchange answers: the timeout's and the connection's (or stream's) failure. */
export interface ExchangeAnswers {
  timeout: GatewayFailure
  unreachable: GatewayFailure
}

/** REST APIs: 504 `Endpoint request timed out`, 502 `Internal server error`. */
export const REST_ANSWERS: ExchangeAnswers = {
  timeout: failure('INTEGRATION_TIMEOUT'),
  unreachable: failure('INTEGRATION_FAILURE', undefined, { status: 502 }),
}

/**
 * HTTP APIs, in their casing: a backend that cannot be reached is 500 `{"message":"Internal Server Error"}` (the
 * answer of every HTTP API integration error), one that does not answer in time 504 `{"message":"Gateway
 * Timeout"}` (HTTP APIs answer 504 when the integration passes its timeout).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-troubleshooting-lambda.html
 * https://repost.aws/knowledge-center/api-gateway-504-errors
 */
export const HTTP_API_ANSWERS: ExchangeAnswers = {
  timeout: failure('INTEGRATION_TIMEOUT', 'Gateway Timeout', { status: 504 }),
  unreachable: failure('INTEGRATION_FAILURE', 'Internal Server Error', { status: 500 }),
}

/** How {@link sendHttp} reports and answers failures, and where in-process backends are. */
export interface SendOptions {
  /** Told each failure with the original error (the caller's `onError`). */
  report?: (error: unknown, answer: GatewayFailure) => void
  /** The API type's failure answers (REST's by default). */
  answers?: ExchangeAnswers
  /** The gateway's `httpBackends`: a target whose origin has one is answered in process, never over a socket. */
  backends?: HttpBackends
}

/**
 * Send one request to `target` and read the whole response, or the failure API Gateway answers with.
 *
 * @example
 * ```ts
 * const out = await sendHttp(target, 'GET', { accept: 'application/json' }, undefined, 29000)
 * if ('statusCode' in out) console.log(out.statusCode)
 * ```
 */
export function sendHttp(
  target: HttpTarget,
  method: string,
  headers: Record<string, string | string[]>,
  body: Buffer | undefined,
  timeoutMs: number,
  options: SendOptions = {},
): Promise<GatewayResponse | GatewayFailure> {
  const { report, answers = REST_ANSWERS, backends } = options
  if (backends !== undefined) {
    const origin = originOf(target)
    const handler = backends.get(origin)
    if (handler) return sendInProcess(handler, origin, target, method, headers, body, timeoutMs, report, answers)
  }
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest
  return new Promise((resolve) => {
    let done = false
    const finish = (r: GatewayResponse | GatewayFailure) => {
      if (done) return
      done = true
      clearTimeout(timer)
      resolve(r)
    }
    const fail = (error: unknown, answer: GatewayFailure) => {
      if (done) return
      report?.(error, answer)
      finish(answer)
    }
    const timer = setTimeout(() => {
      const where = `${target.protocol}//${target.hostname}${target.port ? `:${target.port}` : ''}`
      fail(new Error(`the HTTP integration (${method} ${where}) timed out after ${timeoutMs} ms`), answers.timeout)
      req?.destroy()
    }, timeoutMs)
    timer.unref?.()
    let req: ReturnType<typeof httpRequest> | undefined
    try {
      req = send({ ...target, method, headers }, (res: IncomingMessage) => {
        const chunks: Buffer[] = []
        let size = 0
        res.on('data', (c: Buffer) => {
          size += c.length
          if (size <= MAX_RESPONSE_BYTES) return void chunks.push(c)
          chunks.length = 0
          fail(new Error(`the backend's response is over API Gateway's ${MAX_RESPONSE_BYTES}-byte payload limit`), answers.unreachable)
          res.destroy()
          req?.destroy()
        })
        res.on('error', (error) => fail(error, answers.unreachable))
        res.on('end', () => {
          if (done) return
          const out: HeaderMap = {}
          for (const [name, value] of Object.entries(res.headersDistinct)) {
            // The body is read whole: how it was framed is no header of the answer.
            if (name === 'transfer-encoding' || value === undefined) continue
            setOwn(out, name, value.length === 1 ? value[0]! : value)
          }
          finish({ statusCode: res.statusCode ?? 502, headers: out, body: new Uint8Array(Buffer.concat(chunks)) })
        })
      })
    } catch (error) {
      // A header value Node refuses to send (a mapped value with a control character): the integration fails.
      fail(error, answers.unreachable)
      return
    }
    req.on('error', (error) => fail(error, answers.unreachable))
    req.end(body && body.length > 0 ? body : undefined)
  })
}

/** {@link sendHttp} to an in-process backend: the request as the socket would carry it, the answer as read from one. */
async function sendInProcess(
  handler: HttpBackendHandler,
  origin: string,
  target: HttpTarget,
  method: string,
  headers: Record<string, string | string[]>,
  body: Buffer | undefined,
  timeoutMs: number,
  report: SendOptions['report'],
  answers: ExchangeAnswers,
): Promise<GatewayResponse | GatewayFailure> {
  const q = target.path.indexOf('?')
  const sent: Record<string, string | string[]> = { host: origin.slice(origin.indexOf('//') + 2) }
  // One line per value, as on the wire: a header of one value is a string.
  for (const [name, value] of Object.entries(headers))
    setOwn(sent, name.toLowerCase(), Array.isArray(value) && value.length === 1 ? value[0]! : value)
  if (body && body.length > 0 && sent['content-length'] === undefined) sent['content-length'] = String(body.length)
  const out = await callInProcess(
    handler,
    {
      method,
      url: `${origin}${target.path}`,
      path: q === -1 ? target.path : target.path.slice(0, q),
      query: q === -1 ? '' : target.path.slice(q + 1),
      headers: sent,
      body: body ? new Uint8Array(body) : new Uint8Array(),
    },
    timeoutMs,
    `the in-process backend ${origin} (${method})`,
  )
  if (out.ok) return out.answer
  const answer = out.timeout ? answers.timeout : answers.unreachable
  report?.(out.error, answer)
  return answer
}
