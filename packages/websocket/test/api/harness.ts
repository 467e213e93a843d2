/**
 * A WebSocket API on a real node:http server (upgrade → handleUpgrade, requests → managementHandler), and `ws`
 * client helpers.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import WebSocket from 'ws'
import { type CreateWebSocketApiInput, createWebSocketApi, type WebSocketApi } from '../../src/index'

export interface ApiServer {
  api: WebSocketApi
  port: number
  url: string
  close(): Promise<void>
}

export async function startApi(input: CreateWebSocketApiInput): Promise<ApiServer> {
  const api = createWebSocketApi(input)
  const sockets = new Set<Duplex>()
  const server: Server = createServer(api.managementHandler)
  server.on('upgrade', (req, socket, head) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    api.handleUpgrade(req, socket, head)
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    api,
    port,
    url: `ws://127.0.0.1:${port}`,
    close: async () => {
      await api.close()
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** Opens a client; resolves when open, rejects with the HTTP status and body when the upgrade is refused. */
export function open(url: string, options: WebSocket.ClientOptions = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options)
    ws.once('open', () => resolve(ws))
    ws.once('unexpected-response', (_req, res) => {
      let body = ''
      res.on('data', (c: Buffer) => {
        body += c.toString()
      })
      res.on('end', () => reject(Object.assign(new Error(`refused ${res.statusCode}`), { status: res.statusCode, body })))
    })
    ws.once('error', reject)
  })
}

/** Collects every message a client receives, as text. */
export function inbox(ws: WebSocket): { messages: string[]; next(): Promise<string> } {
  const messages: string[] = []
  const waiters: ((m: string) => void)[] = []
  let read = 0
  ws.on('message', (data) => {
    const text = (data as Buffer).toString()
    messages.push(text)
    const w = waiters.shift()
    if (w) {
      read++
      w(text)
    }
  })
  return {
    messages,
    next: () =>
      new Promise((resolve) => {
        if (read < messages.length) resolve(messages[read++]!)
        else waiters.push(resolve)
      }),
  }
}

export function closed(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })))
}

/** Resolves once `predicate` holds, checking on each event-loop turn (no time assertions). */
export async function until(predicate: () => boolean): Promise<void> {
  for (let i = 0; i < 10_000 && !predicate(); i++) await new Promise((r) => setImmediate(r))
  if (!predicate()) throw new Error('condition never held')
}
