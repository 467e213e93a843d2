/**
 * One call of an `HTTP` / `HTTP_PROXY` integration's endpoint with node's fetch: the integration timeout, and the
 * answer's body read up to a bound (API Gateway's 10 MB payload quota) so a backend cannot make the gateway
 * buffer without limit. https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html
 */

/** API Gateway's payload quota for an integration's answer. */
export const MAX_INTEGRATION_RESPONSE_BYTES = 10 * 1024 * 1024

export interface HttpAnswer {
  status: number
  /** Lower-case names; repeated headers joined with `, ` (as fetch's Headers do). */
  headers: Record<string, string>
  body: string
}

export type HttpOutcome = { ok: true; answer: HttpAnswer } | { ok: false; timeout: boolean; error: unknown }

/**
 * Sends one request and reads the whole answer as UTF-8 text.
 *
 * @example
 * ```ts
 * const out = await callHttp({ method: 'POST', url: 'http://127.0.0.1:3000/echo', headers: {}, body: 'hi', timeoutMs: 29_000 })
 * if (out.ok) console.log(out.answer.status, out.answer.body)
 * ```
 */
export async function callHttp(request: {
  method: string
  url: string
  headers: Record<string, string>
  body: string
  timeoutMs: number
  maxBytes?: number
}): Promise<HttpOutcome> {
  const maxBytes = request.maxBytes ?? MAX_INTEGRATION_RESPONSE_BYTES
  const controller = new AbortController()
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    controller.abort()
  }, request.timeoutMs)
  try {
    const hasBody = request.method !== 'GET' && request.method !== 'HEAD'
    const res = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      // Bytes, so fetch adds no `text/plain` Content-Type of its own.
      ...(hasBody ? { body: Buffer.from(request.body, 'utf8') } : {}),
      redirect: 'manual',
      signal: controller.signal,
    })
    const chunks: Uint8Array[] = []
    let size = 0
    if (res.body !== null) {
      const reader = res.body.getReader()
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        size += value.byteLength
        if (size > maxBytes) {
          controller.abort()
          return { ok: false, timeout: false, error: new Error(`the integration's answer is over ${maxBytes} bytes`) }
        }
        chunks.push(value)
      }
    }
    const headers: Record<string, string> = {}
    res.headers.forEach((value, name) => {
      headers[name] = value
    })
    return { ok: true, answer: { status: res.status, headers, body: Buffer.concat(chunks).toString('utf8') } }
  } catch (error) {
    return { ok: false, timeout: timedOut, error }
  } finally {
    clearTimeout(timer)
  }
}
