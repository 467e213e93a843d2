/**
 * A gateway served on a real loopback socket through core's node:http flow (`serveNode`), for the compression
 * tests: clients are Node's `fetch` (undici, which decodes gzip and deflate) and raw `node:http` requests.
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Gateway } from '@gatehousejs/core'
import { serveNode } from '@gatehousejs/core/node'

export interface Served {
  url: string
  close: () => Promise<void>
}

/** Serve `gw` on 127.0.0.1 with a read limit of `limit` bytes (the adapters' default 10 MB). */
export async function serve(gw: Gateway, limit = 10 * 1024 * 1024): Promise<Served> {
  const server = createServer((req, res) =>
    serveNode(
      (r) => gw.dispatch(r),
      req,
      res,
      req.url,
      {},
      limit,
      () => res.end(),
    ),
  )
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

export interface RawResponse {
  status: number
  headers: IncomingHttpHeaders
  /** The bytes as they came over the wire (not decoded). */
  body: Buffer
}

/** A request without any header the caller did not give (fetch adds `Accept-Encoding`), body bytes as sent back. */
export function raw(url: string, method: string, headers: Record<string, string> = {}, body?: Uint8Array): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const r = httpRequest(url, { method, headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }))
      res.on('error', reject)
    })
    r.on('error', reject)
    r.end(body)
  })
}
