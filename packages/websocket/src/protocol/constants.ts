/** Frame opcodes (RFC 6455 §5.2). */
export const OPCODE = {
  continuation: 0x0,
  text: 0x1,
  binary: 0x2,
  close: 0x8,
  ping: 0x9,
  pong: 0xa,
} as const

/**
 * Close status codes (RFC 6455 §7.4.1).
 *
 * @example
 * ```ts
 * import { CLOSE_CODE } from '@gatehousejs/websocket'
 * connection.close(CLOSE_CODE.normal, 'bye')
 * ```
 */
export const CLOSE_CODE = {
  normal: 1000,
  goingAway: 1001,
  protocolError: 1002,
  unsupportedData: 1003,
  /** Reported locally when the peer's close frame carried no code; never sent. */
  noStatus: 1005,
  /** Reported locally when the connection dropped without a close frame; never sent. */
  abnormal: 1006,
  invalidPayload: 1007,
  policyViolation: 1008,
  messageTooBig: 1009,
  mandatoryExtension: 1010,
  internalError: 1011,
} as const

/** The GUID RFC 6455 §1.3 appends to Sec-WebSocket-Key before hashing. */
export const HANDSHAKE_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11'

/** Control frames carry at most 125 bytes of payload (RFC 6455 §5.5). */
export const MAX_CONTROL_PAYLOAD = 125

/**
 * Whether `code` may appear in a close frame on the wire (RFC 6455 §7.4.1, §7.4.2, and the IANA registry's
 * 1012–1014): 1000–1003, 1007–1014 and the application range 3000–4999. 1004, 1005, 1006 and 1015 are reserved and
 * never sent.
 *
 * @example
 * ```ts
 * import { isValidCloseCode } from '@gatehousejs/websocket'
 * isValidCloseCode(4000) // true
 * isValidCloseCode(1005) // false
 * ```
 */
export function isValidCloseCode(code: number): boolean {
  if (!Number.isInteger(code)) return false
  if (code >= 1000 && code <= 1003) return true
  if (code >= 1007 && code <= 1014) return true
  return code >= 3000 && code <= 4999
}
