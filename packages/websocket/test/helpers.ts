/**
 * Shared fixtures of the websocket tests: a server that accepts on node:http's `upgrade` event, a raw TCP client
 * that speaks the handshake and writes arbitrary bytes, and a reader of server frames written independently of
 * the package's parser (servers do not mask, the package's parser refuses unmasked frames).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http'
import { type AddressInfo, connect, type Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import { type AcceptOptions, acceptWebSocket, type Connection, encodeFrame } from '../src/index'

export const KEY = 'dGhlIHNhbXBsZSBub25jZQ=='

export interface TestServer {
  port: number
  url: string
  connections: Connection[]
  close(): Promise<void>
}

/** Starts a server; `onConnection` defaults to an echo. */
export async function startServer(
  options: AcceptOptions = {},
  onConnection: (c: Connection, req: IncomingMessage) => void = echo,
): Promise<TestServer> {
  const sockets = new Set<Duplex>()
  const connections: Connection[] = []
  const server: Server = createServer((_req, res) => res.end('plain'))
  server.on('upgrade', (req, socket, head) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    const c = acceptWebSocket(req, socket, head, options)
    if (c === null) return
    connections.push(c)
    onConnection(c, req)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    port,
    url: `ws://127.0.0.1:${port}`,
    connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
}

export function echo(c: Connection): void {
  c.on('message', (data) => c.send(data))
}

/** A masked client frame. */
export function clientFrame(opcode: number, payload: Uint8Array | string, fin = true): Buffer {
  const bytes = typeof payload === 'string' ? Buffer.from(payload) : payload
  return encodeFrame(opcode, bytes, { fin, mask: Uint8Array.of(0x37, 0xfa, 0x21, 0x3d) })
}

export interface ServerFrame {
  fin: boolean
  opcode: number
  masked: boolean
  payload: Buffer
}

/** Reads the unmasked frames a server sent; stops at an incomplete frame. */
export function readServerFrames(bytes: Buffer): ServerFrame[] {
  const frames: ServerFrame[] = []
  let i = 0
  while (i + 2 <= bytes.length) {
    const b0 = bytes[i]!
    const b1 = bytes[i + 1]!
    let length = b1 & 0x7f
    let at = i + 2
    if (length === 126) {
      if (at + 2 > bytes.length) break
      length = bytes.readUInt16BE(at)
      at += 2
    } else if (length === 127) {
      if (at + 8 > bytes.length) break
      length = Number(bytes.readBigUInt64BE(at))
      at += 8
    }
    if (at + length > bytes.length) break
    frames.push({ fin: (b0 & 0x80) !== 0, opcode: b0 & 0x0f, masked: (b1 & 0x80) !== 0, payload: bytes.subarray(at, at + length) })
    i = at + length
  }
  return frames
}

export function upgradeRequest(headers: Record<string, string> = {}, method = 'GET', version = '1.1'): string {
  const all: Record<string, string> = {
    Host: '127.0.0.1',
    Upgrade: 'websocket',
    Connection: 'Upgrade',
    'Sec-WebSocket-Key': KEY,
    'Sec-WebSocket-Version': '13',
    ...headers,
  }
  let head = `${method} /chat HTTP/${version}\r\n`
  for (const [name, value] of Object.entries(all)) if (value !== '') head += `${name}: ${value}\r\n`
  return `${head}\r\n`
}

export interface RawResult {
  /** The HTTP response head. */
  head: string
  /** The frames the server sent after the 101. */
  frames: ServerFrame[]
  /** Whether the server closed the TCP connection. */
  ended: boolean
}

/**
 * Opens a TCP connection, sends the upgrade request (and `after` once the 101 is in, each chunk in its own write),
 * and collects everything until the server closes or `waitMs` passes without news.
 */
export function rawExchange(port: number, request: string | Buffer, after: Uint8Array[] = [], waitMs = 1500): Promise<RawResult> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, '127.0.0.1')
    let received = Buffer.alloc(0)
    let sentAfter = false
    let timer: NodeJS.Timeout | undefined
    const done = (ended: boolean) => {
      clearTimeout(timer)
      socket.destroy()
      const split = received.indexOf('\r\n\r\n')
      const head = split < 0 ? received.toString('latin1') : received.subarray(0, split).toString('latin1')
      resolve({ head, frames: split < 0 ? [] : readServerFrames(received.subarray(split + 4)), ended })
    }
    const quiet = () => {
      clearTimeout(timer)
      timer = setTimeout(() => done(false), waitMs)
    }
    socket.on('connect', () => {
      socket.write(request)
      quiet()
    })
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk])
      if (!sentAfter && received.indexOf('\r\n\r\n') >= 0) {
        sentAfter = true
        for (const part of after) socket.write(part)
      }
      quiet()
    })
    socket.on('end', () => done(true))
    socket.on('error', reject)
  })
}

export function closeCodeOf(frame: ServerFrame | undefined): number | undefined {
  if (frame === undefined || frame.opcode !== 0x8 || frame.payload.length < 2) return undefined
  return frame.payload.readUInt16BE(0)
}
