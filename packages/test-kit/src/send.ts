/** Requests over a real socket with node:http, for the adapter tests: header lines as they are, or a chunked body. */
import { request as httpRequest } from 'node:http'

export interface RawResponse {
  status: number
  /** Lower-case names, every header line kept. */
  headers: Record<string, string[]>
  body: Buffer
  text(): string
  json(): any
}

/** A request over a real socket with node:http, so repeated header lines go out (and come back) as they are. */
export function send(
  base: string,
  path: string,
  init: { method?: string; headers?: [string, string][]; body?: string | Buffer } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const url = new URL(base)
    // A raw header list gets no defaults from node:http: Host is ours to send.
    const flat: string[] = ['host', url.host]
    for (const [k, v] of init.headers ?? []) flat.push(k, v)
    if (init.body !== undefined) flat.push('content-length', String(Buffer.byteLength(init.body)))
    const req = httpRequest(
      { host: url.hostname, port: url.port, method: init.method ?? 'GET', path, headers: flat, agent: false },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          const headers: Record<string, string[]> = {}
          for (let i = 0; i < res.rawHeaders.length; i += 2) (headers[res.rawHeaders[i]!.toLowerCase()] ??= []).push(res.rawHeaders[i + 1]!)
          const body = Buffer.concat(chunks)
          resolve({
            status: res.statusCode!,
            headers,
            body,
            text: () => body.toString('utf8'),
            json: () => JSON.parse(body.toString('utf8')),
          })
        })
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.end(init.body)
  })
}

/** POST with `Transfer-Encoding: chunked` (no Content-Length), in several writes. */
export function sendChunked(base: string, path: string, body: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const url = new URL(base)
    const req = httpRequest(
      { host: url.hostname, port: url.port, method: 'POST', path, headers: { 'content-type': 'application/json' }, agent: false },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          const b = Buffer.concat(chunks)
          resolve({ status: res.statusCode!, headers: {}, body: b, text: () => b.toString(), json: () => JSON.parse(b.toString()) })
        })
      },
    )
    // The server may answer (413) and close before every chunk is written.
    req.on('error', (e: NodeJS.ErrnoException) => (e.code === 'EPIPE' || e.code === 'ECONNRESET' ? undefined : reject(e)))
    const step = 64 * 1024
    for (let i = 0; i < body.length; i += step) req.write(body.slice(i, i + step))
    req.end()
  })
}
