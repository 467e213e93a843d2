/**
 * The gateway's answer through @hono/node-server, byte by byte on the wire: each header once under its own
 * spelling, several values as several lines, and a header HTTP cannot carry reported to `onError` with the
 * adapter's 500 (never a failure inside Hono's server that the operator does not see).
 */
import { createAdaptorServer } from '@hono/node-server'
import { Hono } from 'hono'
import { connect } from 'node:net'
import type { Server } from 'node:http'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { GatewayLike, GatewayResponse, HeaderMap } from '@gatehousejs/core'
import { gateway } from '@gatehousejs/hono'
import { listenServer } from '@gatehousejs/test-kit'

const servers: { close: () => Promise<void> }[] = []
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close()
})

/** A gateway that answers every request with `headers`. */
function answering(headers: HeaderMap, statusCode = 200, body: string | Uint8Array = 'hi'): GatewayLike {
  const response: GatewayResponse = { statusCode, headers, body }
  return { handle: async () => response, dispatch: async () => response }
}

async function serve(gw: GatewayLike, onError = vi.fn()) {
  const app = new Hono()
  app.use(gateway(gw, { onError }))
  const server = await listenServer(createAdaptorServer({ fetch: app.fetch }) as Server)
  servers.push(server)
  return { url: new URL(server.url), onError }
}

/** The response head as sent: the status line and the header lines, in order. */
async function head(url: URL): Promise<string[]> {
  const socket = connect(Number(url.port), url.hostname)
  socket.write(`GET /x HTTP/1.1\r\nHost: ${url.host}\r\nConnection: close\r\n\r\n`)
  const chunks: Buffer[] = []
  for await (const chunk of socket) chunks.push(chunk as Buffer)
  const all = Buffer.concat(chunks).toString('latin1')
  return all.slice(0, all.indexOf('\r\n\r\n')).split('\r\n')
}

const withoutDate = (lines: string[]) => lines.filter((l) => !/^(date|connection|keep-alive):/i.test(l))

describe('hono adapter: response headers on @hono/node-server', () => {
  it('sends each header once, under the spelling core gave it, with the body length', async () => {
    const { url } = await serve(answering({ 'content-type': 'application/json', 'x-amzn-RequestId': 'r-1', 'X-Custom': 'a b' }))
    expect(withoutDate(await head(url))).toEqual([
      'HTTP/1.1 200 OK',
      'content-type: application/json',
      'x-amzn-RequestId: r-1',
      'X-Custom: a b',
      'Content-Length: 2',
    ])
  })

  it('several values of a header are several lines; a record cannot say so', async () => {
    const { url } = await serve(answering({ 'set-cookie': ['a=1; Path=/', 'b=2; Path=/'], 'x-one': 'v' }))
    const lines = await head(url)
    expect(lines.filter((l) => l.toLowerCase().startsWith('set-cookie:'))).toEqual(['set-cookie: a=1; Path=/', 'set-cookie: b=2; Path=/'])
    expect(lines).toContain('x-one: v')
  })

  it('names of Object.prototype are headers like any other', async () => {
    const headers: HeaderMap = JSON.parse('{"x-a":"1","__proto__":"p","constructor":"c"}')
    const { url, onError } = await serve(answering(headers))
    const lines = await head(url)
    expect(lines).toEqual(expect.arrayContaining(['x-a: 1', '__proto__: p', 'constructor: c']))
    expect(onError).not.toHaveBeenCalled()
  })

  it('an answer without a type is sent without one (the server does not guess)', async () => {
    const { url } = await serve(answering({ 'x-a': '1' }))
    expect((await head(url)).some((l) => l.toLowerCase().startsWith('content-type:'))).toBe(false)
  })

  it('the answer object is not changed by sending it', async () => {
    const headers: HeaderMap = { 'x-a': '1' }
    const { url } = await serve(answering(headers))
    await head(url)
    expect(headers).toEqual({ 'x-a': '1' })
  })

  const unsendable: [string, HeaderMap][] = [
    ['a control character in a value', { 'x-a': 'bell\x07' }],
    ['CR/LF in a value', { 'x-a': 'v\r\nx-injected: 1' }],
    ['a character above U+00FF', { 'x-a': 'ok ✓' }],
    ['a name that is not a token', { 'bad name': 'v' }],
    ['a bad value among several', { 'x-a': ['fine', 'a\nb'] }],
    ['a control character among several values', { 'x-a': ['fine', 'bell\x07'] }],
  ]
  for (const [what, headers] of unsendable) {
    it(`${what}: 500 from the adapter, reported to onError`, async () => {
      const { url, onError } = await serve(answering({ 'content-type': 'text/plain', ...headers }))
      const lines = await head(url)
      expect(lines[0]).toBe('HTTP/1.1 500 Internal Server Error')
      expect(lines.join('\n')).not.toMatch(/x-injected/i)
      expect(onError).toHaveBeenCalledTimes(1)
    })
  }
})
