/**
 * Reading what an integration answered (status, body, headers) and the error frame API Gateway sends on a
 * connection.
 */

/** The error frame API Gateway sends on the connection, spelled as captured from it. */
export function errorFrame(message: string, connectionId: string, requestId: string): string {
  return `{"message": ${JSON.stringify(message)}, "connectionId":${JSON.stringify(connectionId)}, "requestId":${JSON.stringify(requestId)}}`
}

export function statusOf(value: unknown): number {
  if (value !== null && typeof value === 'object' && 'statusCode' in value) {
    const code = Number((value as { statusCode: unknown }).statusCode)
    if (Number.isInteger(code) && code >= 100 && code <= 599) return code
    return 502
  }
  return 200
}

export function bodyOf(value: unknown): string | undefined {
  if (value !== null && typeof value === 'object' && 'body' in value) {
    const body = (value as { body: unknown }).body
    if (typeof body === 'string') return body
    if (body !== undefined && body !== null) return JSON.stringify(body)
  }
  return undefined
}

/**
 * An `AWS_PROXY` answer's string headers, lower-cased; `undefined` when it has none.
 *
 * @example
 * ```ts
 * headersOf({ statusCode: 200, headers: { 'Sec-WebSocket-Protocol': 'chat' } }) // { 'sec-websocket-protocol': 'chat' }
 * ```
 */
export function headersOf(value: unknown): Record<string, string> | undefined {
  if (value === null || typeof value !== 'object' || !('headers' in value)) return undefined
  const headers = (value as { headers: unknown }).headers
  if (headers === null || typeof headers !== 'object') return undefined
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(headers)) if (typeof v === 'string') out[k.toLowerCase()] = v
  return out
}
