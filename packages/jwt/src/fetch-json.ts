import { JWT_LIMITS } from './limits'

/** The `fetch` a key set uses (the global one by default). */
export type FetchLike = (input: string, init: { signal: AbortSignal; headers: Record<string, string> }) => Promise<Response>

/**
 * GETs a JSON document from an untrusted server with a byte budget and a deadline. Bytes are counted as they
 * stream, so neither chunked encoding nor a missing or lying `Content-Length` lets a body grow past the limit:
 * at the limit the body is cancelled and the request aborted (the connection closes). The deadline covers the
 * whole exchange and is enforced here, not only through the signal, so a `fetch` that ignores its signal or a
 * body that stalls still ends. Throws `Error` with the reason; the caller turns it into `JWKS_FETCH_FAILED`.
 */
export async function fetchJson(
  fetchImpl: FetchLike,
  url: string,
  timeoutMs: number,
  maxBytes: number = JWT_LIMITS.maxJwksBytes,
): Promise<unknown> {
  const controller = new AbortController()
  const timeout = new Error(`${url} did not answer within ${timeoutMs} ms (timed out)`)
  let timer: ReturnType<typeof setTimeout> | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(timeout)
      controller.abort(timeout)
    }, timeoutMs)
  })
  // The deadline may fire after the work is done; nobody awaits it then.
  deadline.catch(() => {})
  let res: Response | undefined
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined
  let complete = false
  try {
    res = await Promise.race([fetchImpl(url, { signal: controller.signal, headers: { accept: 'application/json' } }), deadline])
    if (!res.ok) throw new Error(`${url} answered ${res.status}`)
    // An announced oversize body is refused without reading any of it.
    const announced = Number(res.headers.get('content-length') ?? 0)
    if (announced > maxBytes) throw new Error(`${url} announced ${announced} bytes, more than ${maxBytes}`)
    if (res.body === null) throw new Error(`${url} answered no body`)
    reader = res.body.getReader()
    const chunks: Uint8Array[] = []
    let total = 0
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), deadline])
      if (done) break
      total += value.byteLength
      if (total > maxBytes) throw new Error(`${url} answered more than ${maxBytes} bytes`)
      chunks.push(value)
    }
    complete = true
    const text = Buffer.concat(chunks, total).toString('utf8')
    try {
      return JSON.parse(text)
    } catch {
      throw new Error(`${url} answered something that is not JSON`)
    }
  } finally {
    clearTimeout(timer)
    if (!complete) {
      // Stop reading and close the connection: whatever is left is never wanted.
      if (reader !== undefined) reader.cancel().catch(() => {})
      else if (res?.body && !res.body.locked) res.body.cancel().catch(() => {})
      controller.abort()
    }
  }
}
