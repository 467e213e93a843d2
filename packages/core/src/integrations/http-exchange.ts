/**
 * One HTTP exchange with a backend, as both HTTP integrations (`HTTP_PROXY` and `HTTP`) make it: the request sent
 * to a target already expanded from the URI template, the whole response read with the backend's headers as sent
 * (the caller applies ../http/reserved-headers: HTTP_PROXY remaps `Connection`, `Date`, … to `x-amzn-Remapped-*`);
 * a timeout is INTEGRATION_TIMEOUT (504), a connection or stream failure INTEGRATION_FAILURE (502); either is told
 * to `report` (the caller's `onError`) with the socket's own error.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { failure, type GatewayFailure } from '../gateway-responses'
import { setOwn } from '../http'
import type { GatewayResponse, HeaderMap } from '../types'
import type { HttpTarget } from './uri-template'

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
  report?: (error: unknown, answer: GatewayFailure) => void,
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
    const fail = (error: unknown, answer: GatewayFailure) => {
      if (done) return
      report?.(error, answer)
      finish(answer)
    }
    const timer = setTimeout(() => {
      const where = `${target.protocol}//${target.hostname}${target.port ? `:${target.port}` : ''}`
      fail(new Error(`the HTTP integration (${method} ${where}) timed out after ${timeoutMs} ms`), failure('INTEGRATION_TIMEOUT'))
      req?.destroy()
    }, timeoutMs)
    timer.unref?.()
    let req: ReturnType<typeof httpRequest> | undefined
    try {
      req = send({ ...target, method, headers }, (res: IncomingMessage) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('error', (error) => fail(error, failure('INTEGRATION_FAILURE', undefined, { status: 502 })))
        res.on('end', () => {
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
      fail(error, failure('INTEGRATION_FAILURE', undefined, { status: 502 }))
      return
    }
    req.on('error', (error) => fail(error, failure('INTEGRATION_FAILURE', undefined, { status: 502 })))
    req.end(body && body.length > 0 ? body : undefined)
  })
}
