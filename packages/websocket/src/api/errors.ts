/**
 * Errors of the WebSocket API layer: a definition that cannot run ({@link WebSocketApiError}, thrown by
 * `createWebSocketApi`) and the `@connections` API's refusals, named as the AWS SDK names them.
 */

/**
 * Stable codes of {@link WebSocketApiError}.
 *
 * @example
 * ```ts
 * import type { WebSocketApiErrorCode } from '@gatehousejs/websocket'
 * const code: WebSocketApiErrorCode = 'INVALID_SELECTION_EXPRESSION'
 * ```
 */
export type WebSocketApiErrorCode = 'INVALID_DEFINITION' | 'INVALID_SELECTION_EXPRESSION' | 'UNKNOWN_FUNCTION' | 'UNKNOWN_AUTHORIZER'

/**
 * Thrown by `createWebSocketApi` for a definition that cannot run.
 *
 * @example
 * ```ts
 * import { createWebSocketApi, WebSocketApiError } from '@gatehousejs/websocket'
 * try {
 *   createWebSocketApi({ api: { name: 'x', routeSelectionExpression: '$request.body.[', routes: {} } })
 * } catch (err) {
 *   if (err instanceof WebSocketApiError) console.error(err.code)
 * }
 * ```
 */
export class WebSocketApiError extends Error {
  readonly code: WebSocketApiErrorCode
  constructor(code: WebSocketApiErrorCode, message: string) {
    super(message)
    this.name = 'WebSocketApiError'
    this.code = code
  }
}

/**
 * A refusal of the `@connections` API, with the name and status the AWS SDK gives it: `GoneException` (410, the
 * connection is closed or unknown), `PayloadTooLargeException` (413), `ForbiddenException` (403).
 *
 * @example
 * ```ts
 * try {
 *   await api.connections.post(id, 'hi')
 * } catch (err) {
 *   if (err instanceof ConnectionsApiError && err.name === 'GoneException') forget(id)
 * }
 * ```
 */
export class ConnectionsApiError extends Error {
  readonly statusCode: number
  /** As the AWS SDK's exceptions have it, so code written for the SDK reads the status the same way. */
  readonly $metadata: { httpStatusCode: number }
  constructor(name: 'GoneException' | 'PayloadTooLargeException' | 'ForbiddenException', statusCode: number, message: string) {
    super(message)
    this.name = name
    this.statusCode = statusCode
    this.$metadata = { httpStatusCode: statusCode }
  }
}
