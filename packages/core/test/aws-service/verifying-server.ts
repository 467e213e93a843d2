/**
 * A local stand-in for an AWS service endpoint: a node:http server on loopback that verifies each request's SigV4
 * signature with @gatehousejs/sigv4's verifier (the key, the region, the service, the body's hash) and answers as
 * the test says the service would. A request whose signature does not verify is answered as AWS does (403,
 * `InvalidSignatureException`) and recorded with `verified: false`.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
 */
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { verifyRequest } from '@gatehousejs/sigv4'

export const ACCESS_KEY = 'AKIDEXAMPLE'
export const SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY'

export interface Received {
  verified: boolean
  reason?: string
  service?: string
  region?: string
  method: string
  path: string
  query: URLSearchParams
  headers: Record<string, string>
  body: string
  /** The query string and a form body's fields, as the query protocol reads them. */
  params: URLSearchParams
}

export type Answer = { status: number; headers?: Record<string, string>; body?: string } | 'hang'

export interface VerifyingServer {
  url: string
  received: Received[]
  close: () => Promise<void>
}

function read(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

/** Start a server verifying signatures for `service` in `region` and answering with `answer`. */
export async function startVerifyingServer(
  service: string,
  answer: (r: Received) => Answer,
  region = 'us-east-1',
): Promise<VerifyingServer> {
  const received: Received[] = []
  const hanging: import('node:http').ServerResponse[] = []
  const server: Server = createServer(async (req, res) => {
    const raw = await read(req)
    const target = req.url ?? '/'
    const q = target.indexOf('?')
    const path = q === -1 ? target : target.slice(0, q)
    const query = q === -1 ? '' : target.slice(q + 1)
    const headers: Record<string, string> = {}
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(',') : v
    const result = await verifyRequest(
      { method: req.method ?? 'GET', path, query, headers, body: new Uint8Array(raw) },
      { lookupSecret: (id) => (id === ACCESS_KEY ? SECRET_KEY : undefined), service, region },
    )
    const body = raw.toString('utf8')
    const params = new URLSearchParams(query)
    if ((headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded'))
      for (const [k, v] of new URLSearchParams(body)) params.append(k, v)
    const r: Received = {
      verified: result.ok,
      ...(result.ok ? { service: result.service, region: result.region } : { reason: result.reason }),
      method: req.method ?? '',
      path,
      query: new URLSearchParams(query),
      headers,
      body,
      params,
    }
    received.push(r)
    if (!result.ok) {
      res.writeHead(403, { 'content-type': 'application/x-amz-json-1.0' })
      res.end(JSON.stringify({ __type: 'InvalidSignatureException', message: result.reason }))
      return
    }
    const a = answer(r)
    if (a === 'hang') {
      hanging.push(res)
      return
    }
    res.writeHead(a.status, a.headers ?? {})
    res.end(a.body ?? '')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy()
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
