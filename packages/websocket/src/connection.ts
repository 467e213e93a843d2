import { EventEmitter } from 'node:events'
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketError } from './errors'
import { CLOSE_CODE, MAX_CONTROL_PAYLOAD, OPCODE } from './protocol/constants'
import { checkHandshake, refuseHandshake } from './protocol/handshake'
import { API_GATEWAY_LIMITS, limitOption } from './protocol/limits'
import { createFrameParser, type FrameEvent, type FrameParser } from './protocol/parser'
import { closePayload, encodeFrame, encodeMessage, encodeTextFrame } from './protocol/writer'
import { cancel, DUE, type Deadline, EXPIRE, monotonicNow, SLOT, schedule } from './deadlines'
import type { ProtocolError } from './errors'

/**
 * Options of {@link acceptWebSocket}. Every limit defaults to API Gateway's
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html).
 *
 * @example
 * ```ts
 * import type { AcceptOptions } from '@gatehousejs/websocket'
 * const options: AcceptOptions = { maxMessageBytes: 64 * 1024, idleTimeoutMs: 60_000 }
 * ```
 */
export interface AcceptOptions {
  /** Largest frame payload accepted from the client; over it the connection closes with 1009. Default 32 KB. */
  maxFrameBytes?: number
  /** Largest message accepted from the client (and sent by `send`); over it, 1009. Default 128 KB. */
  maxMessageBytes?: number
  /** No data message either way for this long closes the connection with 1001. Default 10 minutes. */
  idleTimeoutMs?: number
  /** The connection closes with 1001 this long after it opened. Default 2 hours. `Infinity` for never. */
  maxDurationMs?: number
  /** How long to wait for the client's close frame (or TCP close) after ours before dropping the socket. Default 5 s. */
  closeTimeoutMs?: number
  /** The subprotocol to answer in Sec-WebSocket-Protocol; it must be one the client offered. */
  protocol?: string
  /** Extra headers of the 101 response. */
  headers?: Record<string, string>
  /** The clock (epoch milliseconds) used for idle accounting and `connectedAt`. Default `Date.now`. */
  now?: () => number
}

/**
 * The events a {@link Connection} emits, with their arguments.
 *
 * @example
 * ```ts
 * import type { ConnectionEvents } from '@gatehousejs/websocket'
 * const onClose = (...[code, reason]: ConnectionEvents['close']) => console.log(code, reason)
 * connection.on('close', onClose)
 * ```
 */
export interface ConnectionEvents {
  /** A whole message: a string for a text message, a Buffer for a binary one. */
  message: [data: string | Buffer]
  /** A ping from the client (already answered with a pong). */
  ping: [data: Buffer]
  /** A pong from the client. */
  pong: [data: Buffer]
  /** The client broke the protocol or a limit; the close with `error.closeCode` follows. */
  protocolError: [error: ProtocolError]
  /** Once, when the connection is over: the code of the closing handshake, 1005 for none, 1006 if it dropped. */
  close: [code: number, reason: string]
}

/**
 * The states of a {@link Connection}.
 *
 * @example
 * ```ts
 * import type { ConnectionState } from '@gatehousejs/websocket'
 * const canSend = (state: ConnectionState) => state === 'open'
 * canSend(connection.readyState)
 * ```
 */
export type ConnectionState = 'open' | 'closing' | 'closed'

/**
 * Outcome of {@link Connection.send}: `sent`, `closed` (the connection is no longer open, as API Gateway's 410
 * GoneException) or `too-large` (over `maxMessageBytes`, as its 413 PayloadTooLargeException).
 *
 * @example
 * ```ts
 * import type { SendResult } from '@gatehousejs/websocket'
 * const status: Record<SendResult, number> = { sent: 200, closed: 410, 'too-large': 413 }
 * status[connection.send('hi')]
 * ```
 */
export type SendResult = 'sent' | 'closed' | 'too-large'

/** The key of the layer's value on a {@link Connection} (the WebSocket API's entry). */
export const OWNER: unique symbol = Symbol('gatehouse.websocket.owner')
const SOCKET_OWNER: unique symbol = Symbol('gatehouse.websocket.connection')
type OwnedSocket = Duplex & { [SOCKET_OWNER]: Connection }

/**
 * One server-side WebSocket connection, made by {@link acceptWebSocket}.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http'
 * import { acceptWebSocket } from '@gatehousejs/websocket'
 * createServer().on('upgrade', (req, socket, head) => {
 *   const ws = acceptWebSocket(req, socket, head)
 *   ws?.on('message', (data) => ws.send(data))
 *   ws?.on('close', (code, reason) => console.log('closed', code, reason))
 * })
 * ```
 */
export class Connection extends EventEmitter<ConnectionEvents> implements Deadline {
  /** When the connection opened (epoch ms, from the `now` option). */
  readonly connectedAt: number
  /** The subprotocol agreed in the handshake, or ''. */
  readonly protocol: string;
  /** @internal What the layer that accepted the connection keeps with it (the WebSocket API's entry). */
  [OWNER]: unknown = undefined;
  /** @internal The idle/duration deadline queue's fields (see deadlines.ts). */
  [DUE] = 0;
  [SLOT] = -1
  private stateValue: ConnectionState = 'open'
  private lastActive: number
  private readonly parser: FrameParser
  // When maxDurationMs runs out, on the monotonic clock (Infinity for never).
  private readonly endsAt: number
  private closeTimer: NodeJS.Timeout | undefined
  private sentClose: { code: number | undefined; reason: string } | undefined
  private emittedClose = false

  /** @internal Use {@link acceptWebSocket}. */
  constructor(
    private readonly socket: Duplex,
    head: Uint8Array,
    private readonly settings: Settings,
    protocol: string,
  ) {
    super()
    this.protocol = protocol
    this.connectedAt = settings.now()
    this.lastActive = this.connectedAt
    this.parser = createFrameParser({ maxFrameBytes: settings.maxFrameBytes, maxMessageBytes: settings.maxMessageBytes })
    // Shared listeners that find the connection on the socket: no closure per connection (memory per idle one).
    ;(socket as OwnedSocket)[SOCKET_OWNER] = this
    socket.on('data', Connection.onSocketData)
    socket.on('close', Connection.onSocketClose)
    socket.on('error', destroySocket) // 'close' follows and reports 1006
    socket.on('end', endSocket) // the client is gone (with or without a close frame): close our side too
    const start = monotonicNow() // Infinity (never) stays Infinity
    this.endsAt = start + settings.maxDurationMs
    const due = Math.min(start + settings.idleTimeoutMs, this.endsAt)
    if (due !== Number.POSITIVE_INFINITY) schedule(this, due)
    if (head.length > 0) {
      const early = Buffer.from(head.buffer, head.byteOffset, head.length)
      queueMicrotask(() => this.onData(early))
    }
  }

  /** @internal The deadline queue's callback: the duration has run out, or the idle time may have. */
  [EXPIRE](now: number): void {
    if (now >= this.endsAt) return this.close(CLOSE_CODE.goingAway, 'Going away')
    // Idle: re-queued from the last activity (read on the `now` clock, as `lastActiveAt` is) until it has passed.
    const left = this.lastActive + this.settings.idleTimeoutMs - this.settings.now()
    if (left > 0) schedule(this, Math.min(now + left, this.endsAt))
    else this.close(CLOSE_CODE.goingAway, 'Going away')
  }

  /** `open`, `closing` (close frame sent, waiting for the client's) or `closed`. */
  get readyState(): ConnectionState {
    return this.stateValue
  }

  /** When a data message last went either way (epoch ms). */
  get lastActiveAt(): number {
    return this.lastActive
  }

  /** Bytes queued in the socket, not yet handed to the kernel. */
  get bufferedAmount(): number {
    return this.socket.writableLength
  }

  /**
   * Sends a message: a string as text, bytes as binary, in frames of at most `maxFrameBytes`.
   *
   * @example
   * ```ts
   * if (connection.send(JSON.stringify({ hello: 'world' })) === 'closed') forget(connection)
   * ```
   */
  send(data: string | Uint8Array): SendResult {
    if (this.stateValue !== 'open') return 'closed'
    const bytes = typeof data === 'string' ? Buffer.byteLength(data) : data.length
    if (bytes > this.settings.maxMessageBytes) return 'too-large'
    this.lastActive = this.settings.now()
    if (typeof data === 'string' && bytes <= this.settings.maxFrameBytes) this.socket.write(encodeTextFrame(data, bytes))
    else for (const frame of encodeMessage(data, this.settings.maxFrameBytes)) this.socket.write(frame)
    return 'sent'
  }

  /**
   * Sends a ping (at most 125 bytes of payload); the client's pong arrives as a `pong` event.
   *
   * @example
   * ```ts
   * connection.on('pong', () => console.log('alive'))
   * connection.ping()
   * ```
   */
  ping(data: Uint8Array = new Uint8Array(0)): boolean {
    if (data.length > MAX_CONTROL_PAYLOAD) throw new WebSocketError('CONTROL_TOO_LONG', 'a ping carries at most 125 bytes')
    if (this.stateValue !== 'open') return false
    this.socket.write(encodeFrame(OPCODE.ping, data))
    return true
  }

  /**
   * Starts the closing handshake (RFC 6455 §7.1.2): sends a close frame, then waits up to `closeTimeoutMs` for the
   * client's before dropping the socket. Throws {@link WebSocketError} for a code that may not be sent.
   *
   * @example
   * ```ts
   * connection.close(1000, 'done')
   * ```
   */
  close(code: number = CLOSE_CODE.normal, reason = ''): void {
    const payload = closePayload(code, reason)
    if (this.stateValue !== 'open') return
    this.sendClose(payload, code, reason)
    this.stateValue = 'closing'
    this.closeTimer = setTimeout(() => this.socket.destroy(), this.settings.closeTimeoutMs)
    this.closeTimer.unref()
  }

  /**
   * Drops the TCP connection at once, without a closing handshake (the `close` event reports 1006).
   *
   * @example
   * ```ts
   * connection.terminate()
   * ```
   */
  terminate(): void {
    this.socket.destroy()
  }

  private sendClose(payload: Buffer, code: number | undefined, reason: string): void {
    this.sentClose = { code, reason }
    cancel(this) // neither the idle time nor the duration matters once closing
    if (this.socket.writable) this.socket.write(encodeFrame(OPCODE.close, payload))
  }

  private onData(chunk: Uint8Array): void {
    if (this.parser.done) return
    for (const event of this.parser.push(chunk)) this.onFrame(event)
  }

  private onFrame(event: FrameEvent): void {
    switch (event.type) {
      case 'message':
        if (this.stateValue !== 'open') return // the server has closed: data after our close frame is dropped
        this.lastActive = this.settings.now()
        this.emit('message', event.data)
        return
      case 'ping':
        if (this.stateValue === 'open' && this.socket.writable) this.socket.write(encodeFrame(OPCODE.pong, event.data))
        this.emit('ping', event.data)
        return
      case 'pong':
        this.emit('pong', event.data)
        return
      case 'close': {
        const initiated = this.stateValue !== 'open'
        // Echo the code (§5.5.1), then the server closes TCP first (§7.1.1).
        if (!initiated) this.sendClose(event.code === undefined ? Buffer.alloc(0) : closePayload(event.code), event.code, '')
        this.stateValue = 'closed'
        if (initiated) this.finish(this.sentClose?.code ?? CLOSE_CODE.noStatus, this.sentClose?.reason ?? '')
        else this.finish(event.code ?? CLOSE_CODE.noStatus, event.reason)
        this.socket.end()
        this.closeTimer ??= setTimeout(() => this.socket.destroy(), this.settings.closeTimeoutMs)
        this.closeTimer.unref()
        return
      }
      case 'error': {
        this.emit('protocolError', event.error)
        const reason = event.error.closeCode === CLOSE_CODE.messageTooBig ? 'Message too big' : ''
        if (this.stateValue === 'open') this.sendClose(closePayload(event.error.closeCode, reason), event.error.closeCode, reason)
        this.stateValue = 'closed'
        this.finish(this.sentClose?.code ?? event.error.closeCode, this.sentClose?.reason ?? reason)
        this.socket.end() // §7.1.7: fail the connection; nothing more is read
        this.closeTimer ??= setTimeout(() => this.socket.destroy(), this.settings.closeTimeoutMs)
        this.closeTimer.unref()
        return
      }
    }
  }

  private onSocketClose(): void {
    this.stateValue = 'closed'
    clearTimeout(this.closeTimer)
    this.finish(this.sentClose?.code ?? CLOSE_CODE.abnormal, this.sentClose?.reason ?? '')
  }

  private finish(code: number, reason: string): void {
    cancel(this)
    if (this.emittedClose) return
    this.emittedClose = true
    this.emit('close', code, reason)
  }

  // Shared socket listeners (`this` is the socket); static, so they may call the connection's private methods.
  private static onSocketData(this: Duplex, chunk: Buffer): void {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the socket (a listener's receiver), not the class
    ;(this as OwnedSocket)[SOCKET_OWNER].onData(chunk)
  }

  private static onSocketClose(this: Duplex): void {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the socket (a listener's receiver), not the class
    ;(this as OwnedSocket)[SOCKET_OWNER].onSocketClose()
  }
}

function destroySocket(this: Duplex): void {
  this.destroy()
}
function endSocket(this: Duplex): void {
  this.end()
}

interface Settings {
  maxFrameBytes: number
  maxMessageBytes: number
  idleTimeoutMs: number
  maxDurationMs: number
  closeTimeoutMs: number
  now: () => number
}

function settingsOf(options: AcceptOptions): Settings {
  return {
    maxFrameBytes: limitOption('maxFrameBytes', options.maxFrameBytes, API_GATEWAY_LIMITS.maxFrameBytes),
    maxMessageBytes: limitOption('maxMessageBytes', options.maxMessageBytes, API_GATEWAY_LIMITS.maxMessageBytes),
    idleTimeoutMs: limitOption('idleTimeoutMs', options.idleTimeoutMs, API_GATEWAY_LIMITS.idleTimeoutMs, true),
    maxDurationMs: limitOption('maxDurationMs', options.maxDurationMs, API_GATEWAY_LIMITS.maxDurationMs, true),
    closeTimeoutMs: limitOption('closeTimeoutMs', options.closeTimeoutMs, 5000),
    now: options.now ?? Date.now,
  }
}

const HEADER_VALUE = /^[^\r\n]*$/

/**
 * Completes a WebSocket opening handshake on node:http's `upgrade` event: checks the request (RFC 6455 §4.2.1),
 * answers `101 Switching Protocols` with Sec-WebSocket-Accept, and returns the {@link Connection}. A request that
 * breaks the rules is answered with 400, 405 or 426 and the socket closed; then it returns `null`. No extension
 * (permessage-deflate included) is ever negotiated, as on API Gateway. Options are checked first and throw
 * {@link WebSocketError} when wrong.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http'
 * import { acceptWebSocket } from '@gatehousejs/websocket'
 * const server = createServer((req, res) => res.end('plain HTTP'))
 * server.on('upgrade', (req, socket, head) => {
 *   const ws = acceptWebSocket(req, socket, head, { idleTimeoutMs: 60_000 })
 *   if (!ws) return // refused with an HTTP error
 *   ws.on('message', (data) => ws.send(typeof data === 'string' ? data.toUpperCase() : data))
 * })
 * server.listen(8080)
 * ```
 */
export function acceptWebSocket(req: IncomingMessage, socket: Duplex, head: Uint8Array, options: AcceptOptions = {}): Connection | null {
  const settings = settingsOf(options)
  const extra = options.headers ?? {}
  for (const [name, value] of Object.entries(extra)) {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name) || !HEADER_VALUE.test(value)) {
      throw new WebSocketError('INVALID_OPTION', `invalid response header ${JSON.stringify(name)}`)
    }
  }
  const result = checkHandshake(req)
  if (!result.ok) {
    refuseHandshake(socket, result.status, result.reason, result.headers)
    return null
  }
  const protocol = options.protocol ?? ''
  if (protocol !== '' && (!result.protocols.includes(protocol) || !HEADER_VALUE.test(protocol))) {
    refuseHandshake(socket, 400, 'the client did not offer the subprotocol the server requires')
    return null
  }
  if (!socket.writable) {
    socket.destroy()
    return null
  }
  let response = `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${result.accept}\r\n`
  if (protocol !== '') response += `Sec-WebSocket-Protocol: ${protocol}\r\n`
  for (const [name, value] of Object.entries(extra)) response += `${name}: ${value}\r\n`
  socket.write(`${response}\r\n`)
  const s = socket as Duplex & { setNoDelay?: (noDelay: boolean) => void; setTimeout?: (ms: number) => void }
  s.setNoDelay?.(true)
  s.setTimeout?.(0)
  return new Connection(socket, head, settings, protocol)
}
