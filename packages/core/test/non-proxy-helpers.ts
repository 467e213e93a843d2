// Shared pieces of the non-proxy integration tests: a real HTTP backend on 127.0.0.1 and OpenAPI builders.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/** Lambda invocation URI of an in-process function, as API Gateway's OpenAPI exports write it. */
export const FN = (name: string) =>
  `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:${name}/invocations`

/** An OpenAPI 3 document. */
export const doc = (paths: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  openapi: '3.0.1',
  info: { title: 'non-proxy', version: '1' },
  paths,
  ...extra,
})

/** One operation with its integration. */
export const op = (integration: Record<string, unknown>, parameters?: unknown[]) => ({
  ...(parameters ? { parameters } : {}),
  'x-amazon-apigateway-integration': integration,
})

export interface Backend {
  url: string
  close(): Promise<void>
}

/**
 * A backend that answers:
 * - `/echo…`: 200 JSON of what it got (method, url, headers, body as UTF-8 and base64), with `x-backend: yes`;
 * - `/status/NNN`: status NNN with `{"code":NNN}`;
 * - `/png`: 200 `image/png` bytes 89 50 4E 47;
 * - `/b64`: 200 `text/plain` "AQID" (base64 of the bytes 1 2 3);
 * - `/slow`: never in time.
 */
export async function startBackend(): Promise<Backend> {
  const server: Server = createServer((r, w) => {
    const chunks: Buffer[] = []
    r.on('data', (c: Buffer) => chunks.push(c))
    r.on('end', () => {
      const url = r.url ?? '/'
      const body = Buffer.concat(chunks)
      if (url.startsWith('/slow')) return void setTimeout(() => w.end('late'), 3000).unref()
      if (url.startsWith('/png')) {
        w.setHeader('content-type', 'image/png')
        return void w.end(Buffer.from([0x89, 0x50, 0x4e, 0x47]))
      }
      if (url.startsWith('/b64')) {
        w.setHeader('content-type', 'text/plain')
        return void w.end('AQID')
      }
      w.setHeader('content-type', 'application/json')
      w.setHeader('x-backend', 'yes')
      if (url.startsWith('/status/')) {
        w.statusCode = Number(url.slice(8, 11))
        return void w.end(JSON.stringify({ code: w.statusCode }))
      }
      w.end(JSON.stringify({ method: r.method, url, headers: r.headers, body: body.toString('utf8'), base64: body.toString('base64') }))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
