/**
 * What a compiled route integration receives and answers. A leaf: types only.
 */
import type { WebSocketEvent } from '../definition'
import type { HandshakeData } from '../events'

/** One invocation of a route's integration. */
export interface RouteRequest {
  /** The `AWS_PROXY` event; its `requestContext` is `$context` in mapping templates. */
  event: WebSocketEvent
  /** The message (`""` on `$connect` and `$disconnect`). */
  body: string
  /** The upgrade request's headers and query (`$connect` only). */
  handshake?: HandshakeData
}

/**
 * The integration's answer: a status (what refuses a `$connect`), the payload to send back on a two-way route,
 * headers (a `$connect` proxy answer's `Sec-WebSocket-Protocol`); or why there is none. `client` failures are the
 * client's doing (a payload a template cannot read) and are not reported to `onError`.
 */
export type RouteOutcome =
  | { ok: true; status: number; body: string | undefined; headers?: Record<string, string> }
  | { ok: false; kind: 'timeout' | 'error'; error: unknown }
  | { ok: false; kind: 'client'; message: string }

export type RouteRunner = (request: RouteRequest) => Promise<RouteOutcome>
