import { WebSocketError } from '../errors'
import { isValidCloseCode, MAX_CONTROL_PAYLOAD, OPCODE } from './constants'

/**
 * Options of {@link encodeFrame}.
 *
 * @example
 * ```ts
 * import { encodeFrame, type EncodeFrameOptions } from '@gatehousejs/websocket'
 * const first: EncodeFrameOptions = { fin: false }
 * encodeFrame(0x1, Buffer.from('hel'), first)
 * ```
 */
export interface EncodeFrameOptions {
  /** Whether this frame ends its message. Default true. */
  fin?: boolean
  /**
   * A 4-byte masking key. Servers never mask (RFC 6455 §5.1); this exists for clients and tests.
   */
  mask?: Uint8Array
}

/**
 * Encodes one frame: header (with the shortest length encoding, §5.2) and payload, masked only when a key is
 * given. Server frames go out unmasked.
 *
 * @example
 * ```ts
 * import { encodeFrame } from '@gatehousejs/websocket'
 * encodeFrame(0x1, Buffer.from('Hello')) // <Buffer 81 05 48 65 6c 6c 6f>, RFC 6455 §5.7
 * ```
 */
export function encodeFrame(opcode: number, payload: Uint8Array, options: EncodeFrameOptions = {}): Buffer {
  const length = payload.length
  const mask = options.mask
  const extended = length < 126 ? 0 : length < 0x10000 ? 2 : 8
  const headerLength = 2 + extended + (mask ? 4 : 0)
  const frame = Buffer.allocUnsafe(headerLength + length)
  frame[0] = (options.fin === false ? 0 : 0x80) | (opcode & 0x0f)
  const maskBit = mask ? 0x80 : 0
  if (extended === 0) frame[1] = maskBit | length
  else if (extended === 2) {
    frame[1] = maskBit | 126
    frame.writeUInt16BE(length, 2)
  } else {
    frame[1] = maskBit | 127
    frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2)
    frame.writeUInt32BE(length >>> 0, 6)
  }
  if (mask) {
    frame.set(mask.subarray(0, 4), headerLength - 4)
    for (let i = 0; i < length; i++) frame[headerLength + i] = payload[i]! ^ mask[i & 3]!
  } else {
    frame.set(payload, headerLength)
  }
  return frame
}

/**
 * @internal One unmasked, final text frame of `text`, whose UTF-8 length the caller has (`byteLength`): the header
 * and the text written into one buffer, without encoding the text to a buffer of its own first.
 */
export function encodeTextFrame(text: string, byteLength: number): Buffer {
  const headerLength = byteLength < 126 ? 2 : byteLength < 0x10000 ? 4 : 10
  const frame = Buffer.allocUnsafe(headerLength + byteLength)
  frame[0] = 0x80 | OPCODE.text
  if (headerLength === 2) frame[1] = byteLength
  else if (headerLength === 4) {
    frame[1] = 126
    frame.writeUInt16BE(byteLength, 2)
  } else {
    frame[1] = 127
    frame.writeUInt32BE(Math.floor(byteLength / 2 ** 32), 2)
    frame.writeUInt32BE(byteLength >>> 0, 6)
  }
  frame.write(text, headerLength, 'utf8')
  return frame
}

/**
 * Encodes a whole message as frames of at most `maxFrameBytes` payload each (a first text/binary frame, then
 * continuations), as API Gateway splits a message over its 32 KB frame size.
 *
 * @example
 * ```ts
 * import { encodeMessage } from '@gatehousejs/websocket'
 * encodeMessage('x'.repeat(70_000), 32 * 1024).length // 3 frames
 * ```
 */
export function encodeMessage(data: string | Uint8Array, maxFrameBytes: number, mask?: () => Uint8Array): Buffer[] {
  const isText = typeof data === 'string'
  const payload = isText ? Buffer.from(data, 'utf8') : data
  const frames: Buffer[] = []
  let offset = 0
  do {
    const end = Math.min(offset + maxFrameBytes, payload.length)
    const opcode = offset === 0 ? (isText ? OPCODE.text : OPCODE.binary) : OPCODE.continuation
    frames.push(encodeFrame(opcode, payload.subarray(offset, end), { fin: end === payload.length, ...(mask ? { mask: mask() } : {}) }))
    offset = end
  } while (offset < payload.length)
  return frames
}

/**
 * The payload of a close frame: the code in network byte order and the UTF-8 reason (§5.5.1). Throws a
 * {@link WebSocketError} for a code that may not be sent or a reason over 123 bytes.
 *
 * @example
 * ```ts
 * import { closePayload } from '@gatehousejs/websocket'
 * closePayload(1000, 'bye') // <Buffer 03 e8 62 79 65>
 * ```
 */
export function closePayload(code: number | undefined, reason = ''): Buffer {
  if (code === undefined) {
    if (reason !== '') throw new WebSocketError('INVALID_CLOSE_CODE', 'a close reason needs a close code')
    return Buffer.alloc(0)
  }
  if (!isValidCloseCode(code)) throw new WebSocketError('INVALID_CLOSE_CODE', `close code ${code} may not be sent`)
  const reasonBytes = Buffer.from(reason, 'utf8')
  if (reasonBytes.length > MAX_CONTROL_PAYLOAD - 2) {
    throw new WebSocketError('CLOSE_REASON_TOO_LONG', `a close reason is at most 123 UTF-8 bytes, got ${reasonBytes.length}`)
  }
  const payload = Buffer.allocUnsafe(2 + reasonBytes.length)
  payload.writeUInt16BE(code, 0)
  reasonBytes.copy(payload, 2)
  return payload
}
