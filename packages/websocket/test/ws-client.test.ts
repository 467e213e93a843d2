/**
 * The server with the real `ws` client (https://github.com/websockets/ws, a devDependency): echo, fragmentation,
 * ping/pong, close codes both ways (RFC 6455 §7), API Gateway's size limits and the 1009 it closes with
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html: "If a larger message (or larger frame
 * size) is received, the connection is closed with code 1009"), its idle and duration limits with 1001 "Going
 * away" (the code and reason of the $disconnect event API Gateway sends after an idle timeout; see the README),
 * and many connections at once. Protocol errors that `ws` cannot produce are sent over a raw socket.
 * No test asserts on time: timeouts are set short and only their outcome is checked.
 */
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { type Connection, type ProtocolError, WebSocketError } from '../src/index'
import { clientFrame, closeCodeOf, rawExchange, startServer, type TestServer, upgradeRequest } from './helpers'

let server: TestServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

function open(url: string, options: WebSocket.ClientOptions = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options)
    ws.once('open', () => resolve(ws))
    ws.once('error', reject)
  })
}

function nextMessage(ws: WebSocket): Promise<{ data: Buffer; isBinary: boolean }> {
  return new Promise((resolve) => ws.once('message', (data, isBinary) => resolve({ data: data as Buffer, isBinary })))
}

function closed(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })))
}

function serverClosed(c: Connection): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => c.once('close', (code, reason) => resolve({ code, reason })))
}

describe('with the ws client', () => {
  it('echoes text as text and binary as binary; no extension is negotiated', async () => {
    server = await startServer()
    const ws = await open(server.url) // ws offers permessage-deflate by default
    expect(ws.extensions).toBe('')
    ws.send('héllo ✓ 𝄞')
    const text = await nextMessage(ws)
    expect(text).toEqual({ data: Buffer.from('héllo ✓ 𝄞'), isBinary: false })
    ws.send(Buffer.from([0, 1, 2, 255]))
    const bin = await nextMessage(ws)
    expect(bin).toEqual({ data: Buffer.from([0, 1, 2, 255]), isBinary: true })
    ws.close()
    await closed(ws)
  })

  it('reassembles a fragmented message (ws `fin: false`) with a ping in the middle', async () => {
    server = await startServer()
    const ws = await open(server.url)
    const pong = new Promise<Buffer>((resolve) => ws.once('pong', resolve))
    const message = nextMessage(ws)
    ws.send('frag', { fin: false })
    ws.ping('mid')
    ws.send('men', { fin: false })
    ws.send('ted', { fin: true })
    expect((await pong).toString()).toBe('mid')
    expect((await message).data.toString()).toBe('fragmented')
    ws.terminate()
  })

  it('answers a ping with a pong carrying the same data; the server hears the pong to its own ping', async () => {
    let connection!: Connection
    server = await startServer({}, (c) => {
      connection = c
    })
    const ws = await open(server.url)
    const pong = new Promise<Buffer>((resolve) => ws.once('pong', resolve))
    ws.ping(Buffer.from('are you there'))
    expect((await pong).toString()).toBe('are you there')
    const serverPong = new Promise<Buffer>((resolve) => connection.once('pong', resolve))
    connection.ping(Buffer.from('and you?'))
    expect((await serverPong).toString()).toBe('and you?')
    expect(() => connection.ping(Buffer.alloc(126))).toThrow(WebSocketError)
    ws.terminate()
  })

  it('client close(4000, reason): the server reports it and echoes the code', async () => {
    let connection!: Connection
    server = await startServer({}, (c) => {
      connection = c
    })
    const ws = await open(server.url)
    const onServer = serverClosed(connection)
    const stateSeen = new Promise<string>((resolve) => connection.once('close', () => resolve(connection.readyState)))
    const onClient = closed(ws)
    ws.close(4000, 'bye now')
    expect(await stateSeen).toBe('closed')
    expect(await onServer).toEqual({ code: 4000, reason: 'bye now' })
    expect((await onClient).code).toBe(4000)
    expect(connection.readyState).toBe('closed')
    expect(connection.send('late')).toBe('closed')
  })

  it('client close without a code: the server reports 1005; the client sees 1005', async () => {
    let connection!: Connection
    server = await startServer({}, (c) => {
      connection = c
    })
    const ws = await open(server.url)
    const onServer = serverClosed(connection)
    const onClient = closed(ws)
    ws.close()
    expect((await onServer).code).toBe(1005)
    expect((await onClient).code).toBe(1005)
  })

  it('server close(1000, reason): the client gets it and the handshake completes', async () => {
    let connection!: Connection
    server = await startServer({}, (c) => {
      connection = c
      c.on('message', () => c.close(1000, 'done'))
    })
    const ws = await open(server.url)
    const onClient = closed(ws)
    const onServer = serverClosed(connection)
    ws.send('close please')
    expect(await onClient).toEqual({ code: 1000, reason: 'done' })
    expect(await onServer).toEqual({ code: 1000, reason: 'done' })
    expect(() => connection.close(1005)).toThrow(WebSocketError)
    expect(() => connection.close(1000, 'x'.repeat(124))).toThrow(WebSocketError)
  })

  it('a 32 KB frame and a 128 KB message pass', async () => {
    server = await startServer()
    const ws = await open(server.url)
    const big = Buffer.alloc(128 * 1024, 7)
    ws.send(big.subarray(0, 32 * 1024), { fin: false })
    ws.send(big.subarray(32 * 1024, 64 * 1024), { fin: false })
    ws.send(big.subarray(64 * 1024, 96 * 1024), { fin: false })
    ws.send(big.subarray(96 * 1024), { fin: true })
    const echoed = await nextMessage(ws)
    expect(echoed.data.equals(big)).toBe(true)
    ws.terminate()
  })

  it('the server sends a message over 32 KB as frames of at most 32 KB, unmasked', async () => {
    server = await startServer()
    const data = Buffer.alloc(70_000, 3)
    const frames = [
      clientFrame(0x2, data.subarray(0, 32_768), false),
      clientFrame(0x0, data.subarray(32_768, 65_536), false),
      clientFrame(0x0, data.subarray(65_536)),
    ]
    const r = await rawExchange(server.port, upgradeRequest(), frames, 300)
    expect(r.frames.map((f) => [f.opcode, f.fin, f.masked, f.payload.length])).toEqual([
      [0x2, false, false, 32_768],
      [0x0, false, false, 32_768],
      [0x0, true, false, 70_000 - 65_536],
    ])
    expect(Buffer.concat(r.frames.map((f) => f.payload)).equals(data)).toBe(true)
  })

  it('a frame over 32 KB closes the connection with 1009', async () => {
    const errors: ProtocolError[] = []
    server = await startServer({}, (c) => {
      c.on('protocolError', (e) => errors.push(e))
      c.on('message', (d) => c.send(d))
    })
    const ws = await open(server.url)
    const onClient = closed(ws)
    ws.send(Buffer.alloc(32 * 1024 + 1))
    expect((await onClient).code).toBe(1009)
    expect(errors.map((e) => e.code)).toEqual(['FRAME_TOO_BIG'])
  })

  it('a message over 128 KB in 32 KB frames closes the connection with 1009', async () => {
    let connection!: Connection
    server = await startServer({}, (c) => {
      connection = c
    })
    const ws = await open(server.url)
    const onClient = closed(ws)
    const onServer = serverClosed(connection)
    const part = Buffer.alloc(32 * 1024, 1)
    for (let i = 0; i < 4; i++) ws.send(part, { fin: false })
    ws.send(Buffer.from([1]), { fin: true })
    expect((await onClient).code).toBe(1009)
    expect((await onServer).code).toBe(1009)
  })

  it('configured limits replace the defaults', async () => {
    server = await startServer({ maxFrameBytes: 10, maxMessageBytes: 20 })
    const ws = await open(server.url)
    ws.send('0123456789')
    expect((await nextMessage(ws)).data.toString()).toBe('0123456789')
    const onClient = closed(ws)
    ws.send('0123456789', { fin: false })
    ws.send('0123456789', { fin: false })
    ws.send('x', { fin: true })
    expect((await onClient).code).toBe(1009)
  })

  it('send refuses a message over the limit (as @connections answers 413) and a closed connection (410)', async () => {
    let connection!: Connection
    server = await startServer({ maxMessageBytes: 100 }, (c) => {
      connection = c
    })
    const ws = await open(server.url)
    expect(connection.send('x'.repeat(101))).toBe('too-large')
    expect(connection.send('é'.repeat(51))).toBe('too-large') // 102 bytes of UTF-8
    expect(connection.send('x'.repeat(100))).toBe('sent')
    expect((await nextMessage(ws)).data.length).toBe(100)
    ws.terminate()
    await serverClosed(connection)
    expect(connection.send('x')).toBe('closed')
  })

  it('invalid UTF-8 in a text message closes with 1007', async () => {
    server = await startServer()
    const r = await rawExchange(server.port, upgradeRequest(), [clientFrame(0x1, Uint8Array.of(0x68, 0xc3, 0x28))])
    expect(closeCodeOf(r.frames.at(-1))).toBe(1007)
    expect(r.ended).toBe(true)
  })

  it.each([
    ['an unmasked frame', Buffer.from([0x81, 0x02, 0x68, 0x69])],
    ['RSV1 (permessage-deflate was not negotiated)', Buffer.from([0xc1, 0x82, 1, 2, 3, 4, 0x69, 0x6b])],
    ['a fragmented ping', clientFrame(0x9, 'x', false)],
    ['a continuation with nothing to continue', clientFrame(0x0, 'x')],
  ])('%s closes with 1002 and the server closes TCP', async (_name, bytes) => {
    server = await startServer()
    const r = await rawExchange(server.port, upgradeRequest(), [bytes])
    expect(r.head.split('\r\n')[0]).toBe('HTTP/1.1 101 Switching Protocols')
    expect(closeCodeOf(r.frames.at(-1))).toBe(1002)
    expect(r.frames.every((f) => !f.masked)).toBe(true)
    expect(r.ended).toBe(true)
  })

  it('bytes that came with the upgrade request (head) are read', async () => {
    server = await startServer()
    const r = await rawExchange(server.port, Buffer.concat([Buffer.from(upgradeRequest()), clientFrame(0x1, 'early')]), [], 300)
    expect(r.frames.map((f) => f.payload.toString())).toContain('early')
  })

  it('an idle connection closes with 1001 "Going away"; messages either way keep it open', async () => {
    let connection!: Connection
    server = await startServer({ idleTimeoutMs: 300 }, (c) => {
      connection = c
      echo(c)
    })
    const ws = await open(server.url)
    const onClient = closed(ws)
    // keep it busy for a while: each echo is activity
    for (let i = 0; i < 5; i++) {
      ws.send(`tick ${i}`)
      await nextMessage(ws)
      await new Promise((r) => setTimeout(r, 100))
    }
    expect(connection.readyState).toBe('open')
    expect(await onClient).toEqual({ code: 1001, reason: 'Going away' })
  })

  it('the connection closes with 1001 after maxDurationMs even when busy', async () => {
    server = await startServer({ maxDurationMs: 400 })
    const ws = await open(server.url)
    const onClient = closed(ws)
    const timer = setInterval(() => ws.readyState === WebSocket.OPEN && ws.send('busy'), 20)
    try {
      expect(await onClient).toEqual({ code: 1001, reason: 'Going away' })
    } finally {
      clearInterval(timer)
    }
  })

  it('a client that never answers the close frame is dropped after closeTimeoutMs', async () => {
    let connection!: Connection
    server = await startServer({ closeTimeoutMs: 200 }, (c) => {
      connection = c
    })
    const r = rawExchange(server.port, upgradeRequest(), [], 5000)
    await new Promise<void>((resolve) => {
      const wait = () => (server!.connections.length > 0 ? resolve() : setTimeout(wait, 10))
      wait()
    })
    const onServer = serverClosed(connection)
    connection.close(1000, 'bye')
    expect(await onServer).toEqual({ code: 1000, reason: 'bye' })
    const result = await r
    expect(closeCodeOf(result.frames.at(-1))).toBe(1000)
  })

  it('takes its clock from `now`: connectedAt, and lastActiveAt moved by each data message', async () => {
    let clock = 1_700_000_000_000
    let connection!: Connection
    server = await startServer({ now: () => clock }, (c) => {
      connection = c
      echo(c)
    })
    const ws = await open(server.url)
    expect(connection.connectedAt).toBe(1_700_000_000_000)
    expect(connection.lastActiveAt).toBe(1_700_000_000_000)
    clock += 5_000
    ws.send('x')
    await nextMessage(ws)
    expect(connection.lastActiveAt).toBe(1_700_000_005_000)
    clock += 5_000
    const pong = new Promise((resolve) => ws.once('pong', resolve))
    ws.ping()
    await pong
    expect(connection.lastActiveAt).toBe(1_700_000_005_000) // control frames are not activity
    ws.terminate()
  })

  it('a dropped TCP connection reports 1006', async () => {
    let connection!: Connection
    server = await startServer({}, (c) => {
      connection = c
    })
    const ws = await open(server.url)
    const onServer = serverClosed(connection)
    ws.terminate()
    expect((await onServer).code).toBe(1006)
  })

  it('serves 300 connections at once, each getting its own echo', async () => {
    server = await startServer()
    const clients = await Promise.all(Array.from({ length: 300 }, () => open(server!.url)))
    const answers = await Promise.all(
      clients.map((ws, i) => {
        const next = nextMessage(ws)
        ws.send(`client ${i}`)
        return next.then((m) => m.data.toString())
      }),
    )
    expect(answers).toEqual(clients.map((_, i) => `client ${i}`))
    expect(server.connections.length).toBe(300)
    await Promise.all(
      clients.map((ws) => {
        const c = closed(ws)
        ws.close(1000)
        return c
      }),
    )
    expect(server.connections.every((c) => c.readyState === 'closed')).toBe(true)
  })
})

function echo(c: Connection): void {
  c.on('message', (data) => c.send(data))
}
