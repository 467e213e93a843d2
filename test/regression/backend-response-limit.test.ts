// A backend's answer is read up to API Gateway's 10 MB payload limit and no further: a backend that streams more
// (hostile, or broken) fails the request as an unreachable one does (REST 502) and reaches onError, instead of
// growing the gateway's memory without bound. Found reviewing the AWS-service integrations (issue #15).
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createGateway } from '@gatehousejs/core'
import { afterEach, describe, expect, it } from 'vitest'

let server: Server | undefined
afterEach(() => server?.close())

async function backend(bytes: number): Promise<string> {
  server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream' })
    const chunk = Buffer.alloc(64 * 1024, 97)
    let sent = 0
    const pump = () => {
      while (sent < bytes) {
        sent += chunk.length
        if (!res.write(chunk)) return void res.once('drain', pump)
      }
      res.end()
    }
    res.on('error', () => {})
    pump()
  })
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

function gateway(url: string, errors: unknown[]) {
  return createGateway({
    api: {
      openapi: '3.0.1',
      info: { title: 'big', version: '1' },
      paths: { '/big': { get: { 'x-amazon-apigateway-integration': { type: 'http_proxy', httpMethod: 'GET', uri: `${url}/big` } } } },
    },
    onError: (e) => errors.push(e),
    onWarning: () => {},
  })
}

describe('the backend response limit', () => {
  it('cuts off an answer over 10 MB: 502 for the client, the reason for the operator', async () => {
    const errors: unknown[] = []
    const res = await gateway(await backend(11 * 1024 * 1024), errors).handle({ method: 'GET', path: '/big', headers: {} })
    expect(res.statusCode).toBe(502)
    expect(String(errors[0])).toMatch(/payload limit/)
  })

  it('passes an answer under the limit whole', async () => {
    const errors: unknown[] = []
    const res = await gateway(await backend(2 * 1024 * 1024), errors).handle({ method: 'GET', path: '/big', headers: {} })
    expect(res.statusCode).toBe(200)
    expect((res.body as Uint8Array).byteLength).toBe(2 * 1024 * 1024)
    expect(errors).toEqual([])
  })
})
