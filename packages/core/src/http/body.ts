/**
 * Request and response bodies as bytes.
 */

/** Bytes of a body. */
export function bodyBytes(body: string | Uint8Array | undefined): Buffer {
  if (body === undefined) return Buffer.alloc(0)
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body.buffer, body.byteOffset, body.byteLength)
}

/** Bytes in a body (UTF-8 for text). */
export function bodyLength(body: string | Uint8Array | undefined): number {
  if (body === undefined) return 0
  return typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.byteLength
}
