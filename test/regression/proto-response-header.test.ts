// A function's response header named `__proto__` (a valid HTTP token) reaches the client like any other name: the
// node adapter copies the header map to add Content-Length, and a plain assignment would have set the copy's
// prototype instead (found reviewing the adapter's writeHead change, issue #17).
import { createServer, request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createHandler } from '@gatehousejs/node'
import { afterEach, describe, expect, it } from 'vitest'

let server: Server | undefined
afterEach(() => server?.close())

function rawHeaders(port: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    request({ port, host: '127.0.0.1', path: '/x' }, (res) => {
      res.resume()
      resolve(res.rawHeaders)
    })
      .on('error', reject)
      .end()
  })
}

describe('a response header named __proto__', () => {
  it.each([
    ['one value', 'p1'],
    ['several values', ['p1', 'p2']],
  ])('is written on the wire (%s)', async (_, value) => {
    const headers: Record<string, unknown> = {}
    Object.defineProperty(headers, '__proto__', { value, enumerable: true, writable: true, configurable: true })
    const handler = createHandler({
      api: { resources: { '/x': { GET: { integration: { type: 'AWS_PROXY', uri: 'f' } } } } },
      functions: {
        f: async () =>
          Array.isArray(value) ? { statusCode: 200, multiValueHeaders: headers, body: 'ok' } : { statusCode: 200, headers, body: 'ok' },
      },
    })
    server = createServer(handler)
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
    const raw = await rawHeaders((server.address() as AddressInfo).port)
    const values = raw.filter((_, i) => i % 2 === 1 && raw[i - 1] === '__proto__')
    expect(values).toEqual(Array.isArray(value) ? value : [value])
    expect(raw).toContain('content-length')
  })
})
