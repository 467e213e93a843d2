/**
 * Stable codes of {@link ProtocolError}: why a peer's bytes broke RFC 6455 or a limit, so callers can
 * `switch (err.code)`. Each maps to the close code sent (`closeCode`).
 *
 * - `UNMASKED_FRAME`, `RESERVED_BITS`, `RESERVED_OPCODE`, `CONTROL_FRAGMENTED`, `CONTROL_TOO_LONG`,
 *   `UNEXPECTED_CONTINUATION`, `EXPECTED_CONTINUATION`, `LENGTH_OVERFLOW`, `BAD_CLOSE_PAYLOAD`,
 *   `INVALID_CLOSE_CODE`: 1002 (protocol error).
 * - `INVALID_UTF8`: 1007 (text message or close reason that is not UTF-8).
 * - `FRAME_TOO_BIG`, `MESSAGE_TOO_BIG`: 1009 (API Gateway's frame and message limits).
 *
 * @example
 * ```ts
 * import type { ProtocolErrorCode } from '@gatehousejs/websocket'
 * const isLimit = (code: ProtocolErrorCode) => code === 'FRAME_TOO_BIG' || code === 'MESSAGE_TOO_BIG'
 * ```
 */
export type ProtocolErrorCode =
  | 'UNMASKED_FRAME'
  | 'RESERVED_BITS'
  | 'RESERVED_OPCODE'
  | 'CONTROL_FRAGMENTED'
  | 'CONTROL_TOO_LONG'
  | 'UNEXPECTED_CONTINUATION'
  | 'EXPECTED_CONTINUATION'
  | 'LENGTH_OVERFLOW'
  | 'BAD_CLOSE_PAYLOAD'
  | 'INVALID_CLOSE_CODE'
  | 'INVALID_UTF8'
  | 'FRAME_TOO_BIG'
  | 'MESSAGE_TOO_BIG'

const CLOSE_CODE_OF: Record<ProtocolErrorCode, 1002 | 1007 | 1009> = {
  UNMASKED_FRAME: 1002,
  RESERVED_BITS: 1002,
  RESERVED_OPCODE: 1002,
  CONTROL_FRAGMENTED: 1002,
  CONTROL_TOO_LONG: 1002,
  UNEXPECTED_CONTINUATION: 1002,
  EXPECTED_CONTINUATION: 1002,
  LENGTH_OVERFLOW: 1002,
  BAD_CLOSE_PAYLOAD: 1002,
  INVALID_CLOSE_CODE: 1002,
  INVALID_UTF8: 1007,
  FRAME_TOO_BIG: 1009,
  MESSAGE_TOO_BIG: 1009,
}

/**
 * What the frame parser reports when the peer's bytes must fail the connection (RFC 6455 §7.1.7). It is a value
 * the parser returns, never throws; `closeCode` is the status the server sends in its close frame.
 *
 * @example
 * ```ts
 * import { createFrameParser } from '@gatehousejs/websocket'
 * const parser = createFrameParser()
 * for (const event of parser.push(Buffer.from([0x81, 0x05, 0x68]))) {
 *   if (event.type === 'error') console.log(event.error.code, event.error.closeCode) // UNMASKED_FRAME 1002
 * }
 * ```
 */
export class ProtocolError extends Error {
  /** Stable, machine-readable reason. */
  readonly code: ProtocolErrorCode
  /** The close code RFC 6455 prescribes for it: 1002, 1007 or 1009. */
  readonly closeCode: 1002 | 1007 | 1009

  constructor(code: ProtocolErrorCode, message: string) {
    super(message)
    this.name = 'ProtocolError'
    this.code = code
    this.closeCode = CLOSE_CODE_OF[code]
  }
}

/**
 * Stable codes of {@link WebSocketError}, thrown for misuse by the caller (never for a peer's bytes).
 *
 * - `INVALID_OPTION`: a limit or timeout that is not a positive integer (or `Infinity` where allowed).
 * - `INVALID_CLOSE_CODE`: `close(code)` with a code that may not be sent.
 * - `CLOSE_REASON_TOO_LONG`: a close reason over 123 UTF-8 bytes.
 * - `CONTROL_TOO_LONG`: a ping payload over 125 bytes.
 *
 * @example
 * ```ts
 * import type { WebSocketErrorCode } from '@gatehousejs/websocket'
 * const code: WebSocketErrorCode = 'INVALID_OPTION'
 * ```
 */
export type WebSocketErrorCode = 'INVALID_OPTION' | 'INVALID_CLOSE_CODE' | 'CLOSE_REASON_TOO_LONG' | 'CONTROL_TOO_LONG'

/**
 * Thrown when the server side is configured or called wrongly (bad limits, a close code that may not be sent).
 *
 * @example
 * ```ts
 * import { WebSocketError } from '@gatehousejs/websocket'
 * try {
 *   connection.close(1005)
 * } catch (err) {
 *   if (err instanceof WebSocketError && err.code === 'INVALID_CLOSE_CODE') console.error(err.message)
 * }
 * ```
 */
export class WebSocketError extends Error {
  /** Stable, machine-readable reason. */
  readonly code: WebSocketErrorCode

  constructor(code: WebSocketErrorCode, message: string) {
    super(message)
    this.name = 'WebSocketError'
    this.code = code
  }
}
