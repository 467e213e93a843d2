/**
 * The suite every adapter runs against its real framework over a real socket (Hono's common.case.test idea).
 *
 * `makeServer(input)` must start a server on 127.0.0.1 (port 0) whose app mounts the adapter with `input` and
 * has two routes of its own, answered by the framework with its own body parser:
 *
 * - `POST /app/echo`: parse the JSON body with the framework's parser; answer 200 JSON
 *   `{ body: <parsed>, requestContext: <the gateway's requestContext or null> }`.
 * - `GET /app/only`: answer 200 JSON `{ app: true, requestContext: <…or null> }`.
 */
import { connect } from 'node:net'
import fc from 'fast-check'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { Gateway, GatewayInput } from '@gatehousejs/core'
import { fuzzParams } from './fuzz'
import { hostileRequest, lowerKeys } from './hostile-request'
import type { AdapterServer } from './listen'
import { send, sendChunked } from './send'
import { suiteInput } from './suite-api'

export type MakeServer = (input: GatewayInput | Gateway) => Promise<AdapterServer>

/**
 * Run the shared adapter cases against `makeServer`.
 *
 * @example
 * ```ts
 * runAdapterSuite('express 5', async (input) => { ... return { url, close } })
 * ```
 */
export function runAdapterSuite(name: string, makeServer: MakeServer): void {
  const test = it // every adapter runs every case

  describe(`adapter suite: ${name}`, () => {
    let server: AdapterServer
    let fallThrough: AdapterServer
    beforeAll(async () => {
      server = await makeServer(suiteInput())
      fallThrough = await makeServer(suiteInput({ unmatched: 'passthrough' }))
    })
    afterAll(async () => {
      await server?.close()
      await fallThrough?.close()
    })
    afterEach(() => {
      vi.restoreAllMocks()
    })

    test('Lambda-proxy route: path, path and query parameters, source IP', async () => {
      const res = await send(server.url, '/pets/42?kind=cat&q=a%20b', {
        headers: [
          ['x-test', 'yes'],
          ['x-forwarded-for', '198.51.100.7'], // not trusted by default: the socket's address is the source IP
        ],
      })
      expect(res.status).toBe(200)
      expect(res.headers['content-type']).toEqual(['application/json'])
      const event = res.json()
      expect(event.httpMethod).toBe('GET')
      expect(event.path).toBe('/pets/42')
      expect(event.resource).toBe('/pets/{id}')
      expect(event.pathParameters).toEqual({ id: '42' })
      expect(event.queryStringParameters).toEqual({ kind: 'cat', q: 'a b' })
      expect(event.body).toBeNull()
      expect(event.sourceIp).toBe('127.0.0.1')
      expect(res.headers['x-amzn-requestid']?.length).toBe(1)
    })

    test('path is passed as on the wire (percent-escapes kept)', async () => {
      const res = await send(server.url, '/pets/a%2Fb%20c')
      expect(res.status).toBe(200)
      expect(res.json().path).toBe('/pets/a%2Fb%20c')
    })

    test('mock route', async () => {
      const res = await send(server.url, '/mock', { headers: [['content-type', 'application/json']] })
      expect(res.status).toBe(200)
      expect(res.json()).toEqual({ mocked: true })
    })

    test('unknown route: 403 Missing Authentication Token', async () => {
      const res = await send(server.url, '/nope')
      expect(res.status).toBe(403)
      expect(res.json()).toEqual({ message: 'Missing Authentication Token' })
    })

    test('unknown route falls through to the app when configured', async () => {
      const res = await send(fallThrough.url, '/app/only')
      expect(res.status).toBe(200)
      const out = res.json()
      expect(out.app).toBe(true)
      expect(out.requestContext).not.toBeNull()
      // The gateway still answers its own routes.
      expect((await send(fallThrough.url, '/pets/1')).json().pathParameters).toEqual({ id: '1' })
    })

    test('passthrough to an app route: the app parses the JSON body itself', async () => {
      const payload = { order: 7, items: ['a', 'b'], note: 'é' }
      const res = await send(server.url, '/app/echo', {
        method: 'POST',
        headers: [['content-type', 'application/json']],
        body: JSON.stringify(payload),
      })
      expect(res.status).toBe(200)
      const out = res.json()
      expect(out.body).toEqual(payload)
      expect(out.requestContext.stage).toBe('prod')
      expect(typeof out.requestContext.requestId).toBe('string')
      expect(res.headers['x-amzn-requestid']).toEqual([out.requestContext.requestId])
    })

    test('passthrough: a large chunked JSON body still reaches the app parser', async () => {
      const payload = { s: 'x'.repeat(300_000) }
      const res = await sendChunked(server.url, '/app/echo', JSON.stringify(payload))
      expect(res.status).toBe(200)
      expect(res.json().body.s.length).toBe(300_000)
    })

    test('JSON POST to a Lambda-proxy route', async () => {
      const body = JSON.stringify({ name: 'Rex', tags: ['good'] })
      const res = await send(server.url, '/upload', { method: 'POST', headers: [['content-type', 'application/json']], body })
      expect(res.status).toBe(200)
      const event = res.json()
      expect(event.httpMethod).toBe('POST')
      expect(event.body).toBe(body)
      expect(event.isBase64Encoded).toBe(false)
    })

    test('binary POST: base64 in the event, bytes back out', async () => {
      const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i))
      const res = await send(server.url, '/upload', {
        method: 'POST',
        headers: [['content-type', 'application/octet-stream']],
        body: bytes,
      })
      const event = res.json()
      expect(event.isBase64Encoded).toBe(true)
      expect(Buffer.from(event.body, 'base64').equals(bytes)).toBe(true)

      const back = await send(server.url, '/binary', {
        method: 'POST',
        headers: [
          ['content-type', 'image/png'],
          ['accept', 'image/png'],
        ],
        body: bytes,
      })
      expect(back.status).toBe(200)
      expect(back.body.equals(bytes)).toBe(true)
    })

    test('repeated headers and repeated query keys', async () => {
      const res = await send(server.url, '/pets/1?tag=a&tag=b&one=1', {
        headers: [
          ['x-multi', 'first'],
          ['x-multi', 'second'],
        ],
      })
      const event = res.json()
      const mvh = lowerKeys(event.multiValueHeaders)
      expect(mvh['x-multi']).toEqual(['first', 'second'])
      expect(lowerKeys(event.headers)['x-multi']).toBe('second')
      expect(event.multiValueQueryStringParameters).toEqual({ tag: ['a', 'b'], one: ['1'] })
      expect(event.queryStringParameters).toEqual({ tag: 'b', one: '1' })
    })

    test('cookies: request Cookie headers in, several Set-Cookie lines out', async () => {
      const res = await send(server.url, '/cookies', {
        headers: [
          ['cookie', 'a=1; b=2'],
          ['cookie', 'c=3'],
        ],
      })
      expect(res.status).toBe(200)
      expect(res.json().cookie).toEqual(['a=1; b=2', 'c=3'])
      expect(res.headers['set-cookie']).toEqual(['session=abc; Path=/; HttpOnly', 'theme=dark; Path=/'])
    })

    test('throwing handler: 502 Internal server error', async () => {
      const res = await send(server.url, '/boom')
      expect(res.status).toBe(502)
      expect(res.json()).toEqual({ message: 'Internal server error' })
    })

    test('body over the limit: 413', async () => {
      const small = await makeServer(suiteInput({ maxBodyBytes: 1000 }))
      try {
        const res = await send(small.url, '/upload', {
          method: 'POST',
          headers: [['content-type', 'text/plain']],
          body: 'x'.repeat(50_000),
        })
        expect(res.status).toBe(413)
        expect(res.json()).toEqual({ message: 'Request Too Long' })
        const chunked = await sendChunked(small.url, '/upload', 'y'.repeat(50_000))
        expect(chunked.status).toBe(413)
      } finally {
        await small.close()
      }
    })

    test('an error inside the adapter: 500 without details', async () => {
      vi.spyOn(console, 'error').mockImplementation(() => {})
      const broken = {
        handle: () => Promise.reject(new Error('secret detail')),
        dispatch: () => Promise.reject(new Error('secret detail')),
      } as unknown as Gateway
      const bad = await makeServer(broken)
      try {
        const res = await send(bad.url, '/pets/1')
        expect(res.status).toBe(500)
        expect(res.json()).toEqual({ message: 'Internal server error' })
        expect(res.text()).not.toContain('secret')
      } finally {
        await bad.close()
      }
    })

    test('HTTP API: unknown route is 404 Not Found', async () => {
      const http = await makeServer(suiteInput({ apiType: 'HTTP' }))
      try {
        const res = await send(http.url, '/nope')
        expect(res.status).toBe(404)
        expect(res.json()).toEqual({ message: 'Not Found' })
      } finally {
        await http.close()
      }
    })

    test('a client leaving mid-body does not hurt the server', async () => {
      vi.spyOn(console, 'error').mockImplementation(() => {})
      const url = new URL(server.url)
      await new Promise<void>((resolve) => {
        const socket = connect(Number(url.port), url.hostname, () => {
          socket.write(`POST /upload HTTP/1.1\r\nhost: ${url.host}\r\ncontent-type: text/plain\r\ncontent-length: 1000\r\n\r\nonly a part`)
          setTimeout(() => {
            socket.destroy()
            resolve()
          }, 50)
        })
        socket.on('error', () => resolve())
      })
      expect(console.error).not.toHaveBeenCalled()
      const res = await send(server.url, '/pets/9')
      expect(res.status).toBe(200)
    })

    // Issue #12, finding 3: names are data. Every adapter over a real socket, REST (1.0) and HTTP API (2.0).
    test('hostile query, header and cookie names reach the Lambda as plain data, never a 500', async () => {
      const errors = vi.spyOn(console, 'error').mockImplementation(() => {})
      const http = await makeServer(suiteInput({ apiType: 'HTTP' }))
      try {
        await fc.assert(
          fc.asyncProperty(hostileRequest, fc.boolean(), async ({ query, headers, cookies }, v2) => {
            const q = query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')
            const sent: [string, string][] = [...headers]
            if (cookies.length > 0) sent.push(['cookie', cookies.map(([k, v]) => `${k}=${v}`).join('; ')])
            const res = await send(v2 ? http.url : server.url, `/pets/${encodeURIComponent(query[0]?.[0] ?? 'x')}?${q}`, { headers: sent })
            expect(res.status).toBe(200)
            const event = res.json()
            const want = new Map<string, string[]>()
            for (const [k, v] of query) want.set(k, [...(want.get(k) ?? []), v])
            if (v2) {
              expect(new Map(Object.entries(event.queryStringParameters ?? {}))).toEqual(
                new Map([...want].map(([k, v]) => [k, v.join(',')])),
              )
            } else {
              expect(new Map(Object.entries(event.multiValueQueryStringParameters ?? {}))).toEqual(want)
            }
            const got = lowerKeys(v2 ? event.headers : event.multiValueHeaders)
            for (const [name, value] of headers) expect(got[name.toLowerCase()]).toEqual(v2 ? value : [value])
            if (cookies.length > 0 && !v2) expect(got.cookie).toEqual([cookies.map(([k, v]) => `${k}=${v}`).join('; ')])
          }),
          fuzzParams(30),
        )
        expect(errors).not.toHaveBeenCalled()
        expect(({} as Record<string, unknown>).polluted).toBeUndefined()
        expect(Object.getPrototypeOf(Object.prototype)).toBeNull()
      } finally {
        await http.close()
      }
    })

    // Issue #12, finding 7b: refused from the head alone, nothing of the body read or waited for.
    test('Content-Length over the limit: 413 at once, before a byte of body', async () => {
      const small = await makeServer(suiteInput({ maxBodyBytes: 1000 }))
      try {
        const url = new URL(small.url)
        const answer = await new Promise<string>((resolve, reject) => {
          let got = ''
          const socket = connect(Number(url.port), url.hostname, () =>
            socket.write(`POST /upload HTTP/1.1\r\nhost: ${url.host}\r\ncontent-type: text/plain\r\ncontent-length: 100000000\r\n\r\n`),
          )
          socket.setEncoding('latin1')
          socket.on('data', (d: string) => {
            got += d
            if (got.includes('{"message":"Request Too Long"}')) socket.destroy()
          })
          socket.on('close', () => resolve(got))
          socket.on('error', reject)
        })
        expect(answer).toMatch(/^HTTP\/1\.1 413 /)
        expect(answer).toContain('{"message":"Request Too Long"}')
      } finally {
        await small.close()
      }
    })

    test('HEAD gets headers and no body', async () => {
      const res = await send(server.url, '/pets/1', { method: 'HEAD' })
      expect(res.body.length).toBe(0)
    })
  })
}
