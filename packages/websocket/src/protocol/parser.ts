import { ProtocolError } from '../errors'
import { isValidCloseCode, MAX_CONTROL_PAYLOAD, OPCODE } from './constants'
import { API_GATEWAY_LIMITS, type FrameLimits, limitOption } from './limits'
import { createUtf8Validator, Utf8Stream } from './utf8'

/**
 * What the parser found in the client's bytes, in order. A `close` or an `error` is the last event: the parser
 * reads nothing after it (RFC 6455 §5.5.1: no data frames follow a close frame; §7.1.7: a failed connection
 * processes no more data).
 *
 * @example
 * ```ts
 * import type { FrameEvent } from '@gatehousejs/websocket'
 * function describe(event: FrameEvent): string {
 *   switch (event.type) {
 *     case 'message': return typeof event.data === 'string' ? `text ${event.data}` : `binary ${event.data.length} B`
 *     case 'ping': case 'pong': return event.type
 *     case 'close': return `close ${event.code ?? 'without code'} ${event.reason}`
 *     case 'error': return `${event.error.code} → ${event.error.closeCode}`
 *   }
 * }
 * ```
 */
export type FrameEvent =
  | { type: 'message'; data: string | Buffer }
  | { type: 'ping'; data: Buffer }
  | { type: 'pong'; data: Buffer }
  | { type: 'close'; code: number | undefined; reason: string }
  | { type: 'error'; error: ProtocolError }

/**
 * An incremental parser of client-to-server frames: push bytes as they come, split anywhere; get whole messages
 * (reassembled from fragments, text decoded and UTF-8-checked), control frames (also between the fragments of a
 * message), the close frame, or the first protocol error. It never throws on input and holds at most one
 * message's payload (≤ `maxMessageBytes`) plus a frame header and one control payload.
 *
 * @example
 * ```ts
 * import { createFrameParser, encodeFrame } from '@gatehousejs/websocket'
 * const parser = createFrameParser()
 * const frame = encodeFrame(0x1, Buffer.from('hi'), { mask: Uint8Array.of(1, 2, 3, 4) })
 * parser.push(frame.subarray(0, 3)) // []
 * parser.push(frame.subarray(3)) // [{ type: 'message', data: 'hi' }]
 * ```
 */
export interface FrameParser {
  /** Parses the next bytes; returns the events they complete (often none). */
  push(chunk: Uint8Array): FrameEvent[]
  /** Bytes held between calls: the partial header, the message being reassembled, a partial control payload. */
  bufferedBytes(): number
  /** True once a close frame or an error was returned; further input is ignored. */
  readonly done: boolean
}

/**
 * Makes a {@link FrameParser} with API Gateway's limits unless others are given.
 *
 * @example
 * ```ts
 * import { createFrameParser } from '@gatehousejs/websocket'
 * const parser = createFrameParser({ maxFrameBytes: 16 * 1024 })
 * ```
 */
export function createFrameParser(limits: FrameLimits = {}): FrameParser {
  const maxFrame = limitOption('maxFrameBytes', limits.maxFrameBytes, API_GATEWAY_LIMITS.maxFrameBytes)
  const maxMessage = limitOption('maxMessageBytes', limits.maxMessageBytes, API_GATEWAY_LIMITS.maxMessageBytes)
  return new Parser(maxFrame, maxMessage)
}

const HEADER = 0
const PAYLOAD = 1
const DONE = 2

// A header that arrives whole in one chunk is read in this scratch array (push runs to completion, so parsers
// never share it at once); a parser gets a 14-byte array of its own only when a header is split across chunks.
const SCRATCH = new Uint8Array(14)
const MASK = new Uint8Array(4)

class Parser implements FrameParser {
  private state = HEADER
  private header: Uint8Array = SCRATCH
  private ownHeader: Uint8Array | null = null
  private headerLength = 0
  private headerNeed = 2
  // the frame being read
  private fin = false
  private opcode = 0
  private payloadLength = 0
  private payloadRead = 0
  // the masking key's bytes (small integers: no typed array per connection)
  private mask0 = 0
  private mask1 = 0
  private mask2 = 0
  private mask3 = 0
  // the message being reassembled (opcode 0 when none)
  private messageOpcode = 0
  private messageParts: Buffer[] = []
  private messageBytes = 0
  private readonly utf8 = new Utf8Stream()
  // the control frame being read
  private control: Buffer | null = null

  constructor(
    private readonly maxFrame: number,
    private readonly maxMessage: number,
  ) {}

  get done(): boolean {
    return this.state === DONE
  }

  bufferedBytes(): number {
    return this.headerLength + this.messageBytes + (this.control === null ? 0 : this.payloadRead)
  }

  push(chunk: Uint8Array): FrameEvent[] {
    const events: FrameEvent[] = []
    let i = 0
    while (i < chunk.length && this.state !== DONE) {
      if (this.state === HEADER) {
        if (this.headerLength === 0) this.header = SCRATCH
        const take = Math.min(this.headerNeed - this.headerLength, chunk.length - i)
        const h = this.header
        for (let k = 0; k < take; k++) h[this.headerLength + k] = chunk[i + k]!
        this.headerLength += take
        i += take
        if (this.headerLength < this.headerNeed) {
          this.keepHeader()
          break
        }
        const error = this.readHeader()
        if (error !== null) {
          this.fail(events, error)
          break
        }
        if (this.headerLength < this.headerNeed) {
          if (i === chunk.length) this.keepHeader()
          continue // the extended length or the mask is still to come
        }
        this.startPayload(events)
      } else {
        const take = Math.min(this.payloadLength - this.payloadRead, chunk.length - i)
        this.readPayload(chunk, i, take, events)
        i += take
      }
    }
    return events
  }

  /** The chunk ends inside a header: its bytes so far move from the scratch array to the parser's own. */
  private keepHeader(): void {
    if (this.header !== SCRATCH) return
    this.ownHeader ??= new Uint8Array(14)
    this.ownHeader.set(SCRATCH.subarray(0, this.headerLength))
    this.header = this.ownHeader
  }

  /** Validates what of the header has arrived; may raise `headerNeed`. Returns an error or null. */
  private readHeader(): ProtocolError | null {
    const h = this.header
    if (this.headerLength === 2) {
      const b0 = h[0]!
      const b1 = h[1]!
      this.fin = (b0 & 0x80) !== 0
      this.opcode = b0 & 0x0f
      if ((b0 & 0x70) !== 0) return new ProtocolError('RESERVED_BITS', 'RSV1-3 set but no extension was negotiated')
      const op = this.opcode
      const isControl = op >= 0x8
      if (
        op !== OPCODE.continuation &&
        op !== OPCODE.text &&
        op !== OPCODE.binary &&
        op !== OPCODE.close &&
        op !== OPCODE.ping &&
        op !== OPCODE.pong
      ) {
        return new ProtocolError('RESERVED_OPCODE', `reserved opcode 0x${op.toString(16)}`)
      }
      if ((b1 & 0x80) === 0) return new ProtocolError('UNMASKED_FRAME', 'a client frame must be masked')
      const len7 = b1 & 0x7f
      if (isControl && !this.fin) return new ProtocolError('CONTROL_FRAGMENTED', 'a control frame must not be fragmented')
      if (isControl && len7 > MAX_CONTROL_PAYLOAD) return new ProtocolError('CONTROL_TOO_LONG', 'a control frame carries at most 125 bytes')
      if (op === OPCODE.continuation && this.messageOpcode === 0) {
        return new ProtocolError('UNEXPECTED_CONTINUATION', 'continuation frame without a message to continue')
      }
      if ((op === OPCODE.text || op === OPCODE.binary) && this.messageOpcode !== 0) {
        return new ProtocolError('EXPECTED_CONTINUATION', 'a new data frame while a fragmented message is unfinished')
      }
      this.headerNeed = 2 + (len7 === 126 ? 2 : len7 === 127 ? 8 : 0) + 4
      if (len7 < 126) return this.checkLength(len7)
      return null
    }
    // the whole header is here: extended length (if any) and the masking key
    const len7 = h[1]! & 0x7f
    if (len7 === 126) {
      const error = this.checkLength((h[2]! << 8) | h[3]!)
      if (error !== null) return error
    } else if (len7 === 127) {
      if ((h[2]! & 0x80) !== 0) return new ProtocolError('LENGTH_OVERFLOW', 'the most significant bit of a 64-bit length must be 0')
      const high = ((h[2]! << 24) >>> 0) + (h[3]! << 16) + (h[4]! << 8) + h[5]!
      const low = ((h[6]! << 24) >>> 0) + (h[7]! << 16) + (h[8]! << 8) + h[9]!
      const error = this.checkLength(high * 2 ** 32 + low)
      if (error !== null) return error
    }
    const m = this.headerNeed - 4
    this.mask0 = h[m]!
    this.mask1 = h[m + 1]!
    this.mask2 = h[m + 2]!
    this.mask3 = h[m + 3]!
    return null
  }

  private checkLength(length: number): ProtocolError | null {
    this.payloadLength = length
    if (this.opcode >= 0x8) return null // ≤ 125, checked above
    if (length > this.maxFrame) return new ProtocolError('FRAME_TOO_BIG', `frame of ${length} bytes over the limit of ${this.maxFrame}`)
    if (this.messageBytes + length > this.maxMessage) {
      return new ProtocolError('MESSAGE_TOO_BIG', `message of more than ${this.maxMessage} bytes`)
    }
    return null
  }

  private startPayload(events: FrameEvent[]): void {
    this.headerLength = 0
    this.headerNeed = 2
    this.payloadRead = 0
    this.state = PAYLOAD
    if (this.opcode >= 0x8) this.control = Buffer.allocUnsafe(this.payloadLength)
    else if (this.opcode !== OPCODE.continuation) {
      this.messageOpcode = this.opcode
      this.utf8.reset()
    }
    if (this.payloadLength === 0) this.endFrame(events)
  }

  private readPayload(chunk: Uint8Array, start: number, length: number, events: FrameEvent[]): void {
    const isControl = this.opcode >= 0x8
    const target = isControl ? this.control! : Buffer.allocUnsafe(length)
    const offset = isControl ? this.payloadRead : 0
    const mask = MASK
    mask[0] = this.mask0
    mask[1] = this.mask1
    mask[2] = this.mask2
    mask[3] = this.mask3
    const shift = this.payloadRead
    for (let k = 0; k < length; k++) target[offset + k] = chunk[start + k]! ^ mask[(shift + k) & 3]!
    this.payloadRead += length
    if (!isControl) {
      this.messageParts.push(target)
      this.messageBytes += length
      if (this.messageOpcode === OPCODE.text && !this.utf8.write(target)) {
        this.fail(events, new ProtocolError('INVALID_UTF8', 'a text message that is not valid UTF-8'))
        return
      }
    }
    if (this.payloadRead === this.payloadLength) this.endFrame(events)
  }

  private endFrame(events: FrameEvent[]): void {
    this.state = HEADER
    const op = this.opcode
    if (op >= 0x8) {
      const data = this.control!
      this.control = null
      this.payloadRead = 0
      if (op === OPCODE.ping) events.push({ type: 'ping', data })
      else if (op === OPCODE.pong) events.push({ type: 'pong', data })
      else this.endClose(data, events)
      return
    }
    if (!this.fin) return
    const parts = this.messageParts
    const data = parts.length === 1 ? parts[0]! : Buffer.concat(parts, this.messageBytes)
    const isText = this.messageOpcode === OPCODE.text
    this.messageParts = []
    this.messageBytes = 0
    this.messageOpcode = 0
    if (isText && !this.utf8.complete()) {
      this.fail(events, new ProtocolError('INVALID_UTF8', 'a text message ends inside a UTF-8 sequence'))
      return
    }
    events.push({ type: 'message', data: isText ? data.toString('utf8') : data })
  }

  private endClose(data: Buffer, events: FrameEvent[]): void {
    if (data.length === 0) {
      this.state = DONE
      events.push({ type: 'close', code: undefined, reason: '' })
      return
    }
    if (data.length === 1) return this.fail(events, new ProtocolError('BAD_CLOSE_PAYLOAD', 'a close payload of one byte'))
    const code = data.readUInt16BE(0)
    if (!isValidCloseCode(code)) return this.fail(events, new ProtocolError('INVALID_CLOSE_CODE', `close code ${code} may not be sent`))
    const reason = createUtf8Validator()
    if (!reason.write(data, 2) || !reason.complete()) {
      return this.fail(events, new ProtocolError('INVALID_UTF8', 'a close reason that is not valid UTF-8'))
    }
    this.state = DONE
    events.push({ type: 'close', code, reason: data.toString('utf8', 2) })
  }

  private fail(events: FrameEvent[], error: ProtocolError): void {
    this.state = DONE
    this.header = SCRATCH
    this.ownHeader = null
    this.messageParts = []
    this.messageBytes = 0
    this.control = null
    this.headerLength = 0
    events.push({ type: 'error', error })
  }
}
