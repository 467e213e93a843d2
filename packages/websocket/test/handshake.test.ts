/**
 * The opening handshake, one case per rule of RFC 6455 §4.2.1 (client's handshake as the server reads it) and
 * §4.2.2 (the server's answer): https://www.rfc-editor.org/rfc/rfc6455#section-4.2 . The accept value of §1.3's
 * example ('dGhlIHNhbXBsZSBub25jZQ==' → 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=') is the RFC's own.
 * permessage-deflate is never negotiated: API Gateway does not offer it (see the README).
 */
import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { acceptKey, acceptWebSocket, checkHandshake, type HandshakeRequest, refuseHandshake, WebSocketError } from '../src/index'
import { KEY, rawExchange, startServer, type TestServer, upgradeRequest } from './helpers'

const good = (): HandshakeRequest => ({
  method: 'GET',
  httpVersion: '1.1',
  headers: {
    host: 'server.example.com',
    upgrade: 'websocket',
    connection: 'Upgrade',
    'sec-websocket-key': KEY,
    'sec-websocket-version': '13',
    origin: 'http://example.com',
  },
})

function withHeaders(headers: Record<string, string | string[] | undefined>, patch: Partial<HandshakeRequest> = {}): HandshakeRequest {
  const req = good()
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) delete req.headers[name]
    else req.headers[name] = value
  }
  return { ...req, ...patch }
}

describe('checkHandshake: RFC 6455 §4.2.1', () => {
  it('accepts the RFC example and computes §1.3 accept value', () => {
    const r = checkHandshake(good())
    expect(r).toEqual({ ok: true, key: KEY, accept: 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=', protocols: [] })
  })

  const refused: Array<[string, HandshakeRequest, number]> = [
    ['1. method POST', withHeaders({}, { method: 'POST' }), 405],
    ['1. method get (methods are case-sensitive)', withHeaders({}, { method: 'get' }), 405],
    ['1. HTTP/1.0', withHeaders({}, { httpVersion: '1.0' }), 400],
    ['1. HTTP/0.9', withHeaders({}, { httpVersion: '0.9' }), 400],
    ['2. no Host', withHeaders({ host: undefined }), 400],
    ['2. empty Host', withHeaders({ host: '' }), 400],
    ['3. no Upgrade', withHeaders({ upgrade: undefined }), 400],
    ['3. Upgrade: h2c', withHeaders({ upgrade: 'h2c' }), 400],
    ['3. Upgrade: websockets (not the token)', withHeaders({ upgrade: 'websockets' }), 400],
    ['4. no Connection', withHeaders({ connection: undefined }), 400],
    ['4. Connection: keep-alive only', withHeaders({ connection: 'keep-alive' }), 400],
    ['4. Connection: upgraded (not the token)', withHeaders({ connection: 'upgraded' }), 400],
    ['5. no key', withHeaders({ 'sec-websocket-key': undefined }), 400],
    ['5. key of 15 bytes', withHeaders({ 'sec-websocket-key': Buffer.alloc(15, 1).toString('base64') }), 400],
    ['5. key of 17 bytes', withHeaders({ 'sec-websocket-key': Buffer.alloc(17, 1).toString('base64') }), 400],
    ['5. key not base64', withHeaders({ 'sec-websocket-key': 'not base64 at all!!!!!==' }), 400],
    ['5. key with non-canonical padding bits', withHeaders({ 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZR==' }), 400],
    ['5. two keys', withHeaders({ 'sec-websocket-key': [KEY, KEY] }), 400],
    ['6. no version', withHeaders({ 'sec-websocket-version': undefined }), 426],
    ['6. version 8', withHeaders({ 'sec-websocket-version': '8' }), 426],
    ['6. version 14', withHeaders({ 'sec-websocket-version': '14' }), 426],
  ]
  it.each(refused)('refuses %s', (_name, req, status) => {
    const r = checkHandshake(req)
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.status).toBe(status)
    if (status === 426) expect(r.headers).toEqual({ 'Sec-WebSocket-Version': '13' }) // §4.2.2
    if (status === 405) expect(r.headers).toEqual({ Allow: 'GET' })
  })

  const accepted: Array<[string, HandshakeRequest]> = [
    ['3. Upgrade is case-insensitive', withHeaders({ upgrade: 'WebSocket' })],
    ['3. Upgrade in a list', withHeaders({ upgrade: 'foo, websocket' })],
    ['4. Connection in a list, any case', withHeaders({ connection: 'keep-alive, upgrade' })],
    ['4. Connection split over two header lines', withHeaders({ connection: ['keep-alive', 'Upgrade'] })],
    ['7. no Origin (optional for non-browser clients)', withHeaders({ origin: undefined })],
    ['HTTP/2.0 in the request line', withHeaders({}, { httpVersion: '2.0' })],
  ]
  it.each(accepted)('accepts: %s', (_name, req) => {
    expect(checkHandshake(req).ok).toBe(true)
  })

  it('8. lists the offered subprotocols in order', () => {
    const r = checkHandshake(withHeaders({ 'sec-websocket-protocol': 'chat, superchat ,graphql-ws' }))
    expect(r.ok && r.protocols).toEqual(['chat', 'superchat', 'graphql-ws'])
  })

  it('Sec-WebSocket-Accept is base64(SHA-1(key + GUID)) for any 16-byte key', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (bytes) => {
        const key = Buffer.from(bytes).toString('base64')
        const r = checkHandshake(withHeaders({ 'sec-websocket-key': key }))
        const expected = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64')
        expect(r.ok && r.accept).toBe(expected)
        expect(acceptKey(key)).toBe(expected)
      }),
    )
  })
})

describe('acceptWebSocket over a real socket', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startServer()
  })
  afterAll(() => server.close())

  it('answers 101 with Upgrade, Connection and Sec-WebSocket-Accept, and no extension even when offered', async () => {
    const r = await rawExchange(
      server.port,
      upgradeRequest({ 'Sec-WebSocket-Extensions': 'permessage-deflate; client_max_window_bits' }),
      [],
      200,
    )
    const lines = r.head.split('\r\n')
    expect(lines[0]).toBe('HTTP/1.1 101 Switching Protocols')
    expect(lines).toContain('Upgrade: websocket')
    expect(lines).toContain('Connection: Upgrade')
    expect(lines).toContain('Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=')
    expect(r.head.toLowerCase()).not.toContain('sec-websocket-extensions')
  })

  it('426 with Sec-WebSocket-Version: 13 for another version, then closes', async () => {
    const r = await rawExchange(server.port, upgradeRequest({ 'Sec-WebSocket-Version': '8' }))
    expect(r.head.split('\r\n')[0]).toBe('HTTP/1.1 426 Upgrade Required')
    expect(r.head).toContain('Sec-WebSocket-Version: 13')
    expect(r.ended).toBe(true)
  })

  it('405 for a POST upgrade, 400 for a bad key', async () => {
    const post = await rawExchange(server.port, upgradeRequest({ 'Content-Length': '0' }, 'POST'))
    expect(post.head.split('\r\n')[0]).toBe('HTTP/1.1 405 Method Not Allowed')
    const bad = await rawExchange(server.port, upgradeRequest({ 'Sec-WebSocket-Key': 'abc' }))
    expect(bad.head.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request')
    expect(bad.ended).toBe(true)
  })

  it('answers the subprotocol the server picked, and refuses when the client did not offer it', async () => {
    const picky = await startServer({ protocol: 'graphql-ws' })
    try {
      const ok = await rawExchange(picky.port, upgradeRequest({ 'Sec-WebSocket-Protocol': 'chat, graphql-ws' }), [], 200)
      expect(ok.head).toContain('Sec-WebSocket-Protocol: graphql-ws')
      const refused = await rawExchange(picky.port, upgradeRequest({ 'Sec-WebSocket-Protocol': 'chat' }))
      expect(refused.head.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request')
    } finally {
      await picky.close()
    }
  })

  it('refuseHandshake refuses header injection before writing', () => {
    let written = ''
    const socket = { writable: true, end: (s: string) => (written += s), destroy: () => undefined } as never
    expect(() => refuseHandshake(socket, 403, 'no', { 'X-A': 'a\r\nSet-Cookie: x' })).toThrow(WebSocketError)
    expect(written).toBe('')
    refuseHandshake(socket, 403, 'no', { 'X-A': 'a' })
    expect(written).toBe(
      'HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 2\r\nX-A: a\r\n\r\nno',
    )
  })

  it('refuses bad options with a typed error before touching the socket', () => {
    const req = { ...good() } as never
    expect(() => acceptWebSocket(req, null as never, Buffer.alloc(0), { maxFrameBytes: 0 })).toThrow(WebSocketError)
    expect(() => acceptWebSocket(req, null as never, Buffer.alloc(0), { idleTimeoutMs: -1 })).toThrow(WebSocketError)
    expect(() => acceptWebSocket(req, null as never, Buffer.alloc(0), { headers: { 'X-A': 'a\r\nSet-Cookie: x' } })).toThrow(WebSocketError)
  })
})
