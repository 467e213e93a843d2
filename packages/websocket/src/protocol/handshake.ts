import { createHash } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketError } from '../errors'
import { HANDSHAKE_GUID } from './constants'

/**
 * The part of node:http's `IncomingMessage` the handshake reads.
 *
 * @example
 * ```ts
 * import type { HandshakeRequest } from '@gatehousejs/websocket'
 * const req: HandshakeRequest = { method: 'GET', httpVersion: '1.1', headers: { host: 'example.com' } }
 * ```
 */
export interface HandshakeRequest {
  method?: string | undefined
  httpVersion?: string | undefined
  headers: IncomingHttpHeaders
}

/**
 * The outcome of {@link checkHandshake}: the values of the `101` answer, or the HTTP refusal RFC 6455 §4.2.1/§4.2.2
 * prescribes.
 *
 * @example
 * ```ts
 * import { checkHandshake, type HandshakeResult } from '@gatehousejs/websocket'
 * const result: HandshakeResult = checkHandshake({ method: 'POST', httpVersion: '1.1', headers: {} })
 * if (!result.ok) console.log(result.status, result.reason) // 405 …
 * ```
 */
export type HandshakeResult =
  | {
      ok: true
      /** The client's Sec-WebSocket-Key. */
      key: string
      /** The Sec-WebSocket-Accept value answering it. */
      accept: string
      /** Subprotocols the client offered in Sec-WebSocket-Protocol, in its order. */
      protocols: string[]
    }
  | {
      ok: false
      /** 400, 405 or 426. */
      status: 400 | 405 | 426
      reason: string
      /** Headers the refusal must carry (`Sec-WebSocket-Version: 13` on 426, `Allow: GET` on 405). */
      headers: Record<string, string>
    }

const KEY = /^[A-Za-z0-9+/]{21}[AQgw]==$/ // base64 of exactly 16 bytes (the last char holds 2 bits, the rest zero)

function tokens(value: string | string[] | undefined): string[] {
  if (value === undefined) return []
  const joined = Array.isArray(value) ? value.join(',') : value
  return joined
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter((t) => t !== '')
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? (value.length === 1 ? value[0] : undefined) : value
}

/**
 * Checks an upgrade request against the opening handshake's rules (RFC 6455 §4.2.1): an HTTP/1.1 (or later) GET
 * with a Host, `Upgrade: websocket` and `Connection: Upgrade` (case-insensitive tokens), a Sec-WebSocket-Key that
 * is the base64 of 16 bytes, and Sec-WebSocket-Version 13 — any other version is refused with 426 and
 * `Sec-WebSocket-Version: 13` (§4.2.2). Origin is not checked (a server that wants to may, §10.2).
 *
 * @example
 * ```ts
 * import { checkHandshake } from '@gatehousejs/websocket'
 * const r = checkHandshake({
 *   method: 'GET',
 *   httpVersion: '1.1',
 *   headers: { host: 'server.example.com', upgrade: 'websocket', connection: 'Upgrade',
 *     'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'sec-websocket-version': '13' },
 * })
 * if (r.ok) r.accept // 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=' (RFC 6455 §1.3)
 * ```
 */
export function checkHandshake(req: HandshakeRequest): HandshakeResult {
  const refuse = (status: 400 | 405 | 426, reason: string, headers: Record<string, string> = {}): HandshakeResult => ({
    ok: false,
    status,
    reason,
    headers,
  })
  if (req.method !== 'GET') return refuse(405, 'the opening handshake must be a GET request', { Allow: 'GET' })
  const version = /^(\d+)\.(\d+)$/.exec(req.httpVersion ?? '')
  const major = version ? Number(version[1]) : 0
  const minor = version ? Number(version[2]) : 0
  if (major < 1 || (major === 1 && minor < 1)) return refuse(400, 'the opening handshake needs HTTP/1.1 or later')
  const h = req.headers
  if (single(h.host) === undefined || single(h.host) === '') return refuse(400, 'missing Host header')
  if (!tokens(h.upgrade).includes('websocket')) return refuse(400, 'the Upgrade header must include "websocket"')
  if (!tokens(h.connection).includes('upgrade')) return refuse(400, 'the Connection header must include "Upgrade"')
  const key = single(h['sec-websocket-key'])?.trim()
  if (key === undefined || !KEY.test(key)) return refuse(400, 'Sec-WebSocket-Key must be the base64 of 16 bytes')
  if (single(h['sec-websocket-version'])?.trim() !== '13') {
    return refuse(426, 'unsupported Sec-WebSocket-Version', { 'Sec-WebSocket-Version': '13' })
  }
  const protocols = tokens(h['sec-websocket-protocol']).length === 0 ? [] : protocolList(h['sec-websocket-protocol'])
  return { ok: true, key, accept: acceptKey(key), protocols }
}

function protocolList(value: string | string[] | undefined): string[] {
  const joined = Array.isArray(value) ? value.join(',') : (value ?? '')
  return joined
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '')
}

/**
 * The Sec-WebSocket-Accept for a Sec-WebSocket-Key: base64(SHA-1(key + GUID)) (RFC 6455 §4.2.2).
 *
 * @example
 * ```ts
 * import { acceptKey } from '@gatehousejs/websocket'
 * acceptKey('dGhlIHNhbXBsZSBub25jZQ==') // 's3pPLMBiTxaQ9kYGzzhZRbK+xOo='
 * ```
 */
export function acceptKey(key: string): string {
  return createHash('sha1')
    .update(key + HANDSHAKE_GUID)
    .digest('base64')
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  426: 'Upgrade Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
}

/**
 * Answers an upgrade request with an HTTP error instead of a WebSocket, and closes the socket. A header name or
 * value with CR or LF throws {@link WebSocketError} (`INVALID_OPTION`) before anything is written.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http'
 * import { checkHandshake, refuseHandshake } from '@gatehousejs/websocket'
 * createServer().on('upgrade', (req, socket) => {
 *   const r = checkHandshake(req)
 *   if (!r.ok) refuseHandshake(socket, r.status, r.reason, r.headers)
 * })
 * ```
 */
export function refuseHandshake(socket: Duplex, status: number, body = '', headers: Record<string, string> = {}): void {
  if (!socket.writable) {
    socket.destroy()
    return
  }
  const bytes = Buffer.byteLength(body)
  let head = `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${bytes}\r\n`
  for (const [name, value] of Object.entries(headers)) {
    if (/[\r\n:]/.test(name) || /[\r\n]/.test(value)) throw new WebSocketError('INVALID_OPTION', `invalid header ${JSON.stringify(name)}`)
    head += `${name}: ${value}\r\n`
  }
  socket.end(`${head}\r\n${body}`)
}
