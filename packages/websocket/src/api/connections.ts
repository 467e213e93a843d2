/**
 * The `@connections` API in process: the connections this process holds, and `post`/`get`/`delete` on them with
 * API Gateway's refusals (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-how-to-call-websocket-api-connections.html):
 * a closed or unknown connection is 410 `GoneException`, a message over the limit 413 `PayloadTooLargeException`.
 */
import type { Connection } from '../connection'
import type { ConnectionInfo } from './definition'
import { ConnectionsApiError } from './errors'

export interface LiveConnection {
  connection: Connection
  /** When `$connect` began (epoch ms): `connectedAt` in every event and in GetConnection. */
  connectedAt: number
  identity: { sourceIp: string; userAgent: string | null }
  /** The authorizer's context (strings, `principalId`, `integrationLatency`), in every later event. */
  authorizer: Record<string, string | number> | undefined
}

/**
 * The `@connections` API of a WebSocket API, in process (the HTTP endpoint calls the same methods).
 *
 * @example
 * ```ts
 * await api.connections.post(connectionId, JSON.stringify({ hello: 'world' }))
 * const { connectedAt, lastActiveAt, identity } = await api.connections.get(connectionId)
 * await api.connections.delete(connectionId)
 * ```
 */
export interface ConnectionsApi {
  /** Sends a message (`PostToConnection`). Bytes that are UTF-8 go as a text message, others as binary. */
  post(connectionId: string, data: string | Uint8Array): Promise<void>
  /** `GetConnection`: `connectedAt`, `lastActiveAt`, `identity { sourceIp, userAgent }`. */
  get(connectionId: string): Promise<ConnectionInfo>
  /** `DeleteConnection`: closes the connection (close code 1000); `$disconnect` follows. */
  delete(connectionId: string): Promise<void>
  /** The ids of the open connections this process holds. */
  ids(): string[]
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

function gone(): ConnectionsApiError {
  return new ConnectionsApiError('GoneException', 410, 'Gone')
}

/** The registry and its API. */
export function createConnections(): { live: Map<string, LiveConnection>; api: ConnectionsApi } {
  const live = new Map<string, LiveConnection>()
  const open = (id: string): LiveConnection => {
    const c = typeof id === 'string' ? live.get(id) : undefined
    if (c === undefined || c.connection.readyState !== 'open') throw gone()
    return c
  }
  const api: ConnectionsApi = {
    async post(connectionId, data) {
      const c = open(connectionId)
      let message: string | Uint8Array = data
      if (typeof data !== 'string') {
        try {
          message = utf8.decode(data)
        } catch {
          message = data
        }
      }
      const result = c.connection.send(message)
      if (result === 'closed') throw gone()
      if (result === 'too-large') throw new ConnectionsApiError('PayloadTooLargeException', 413, 'Payload too large')
    },
    async get(connectionId) {
      const c = open(connectionId)
      return {
        connectedAt: new Date(c.connectedAt),
        lastActiveAt: new Date(c.connection.lastActiveAt),
        identity: { ...c.identity },
      }
    },
    async delete(connectionId) {
      open(connectionId).connection.close(1000)
    },
    ids() {
      return [...live.keys()].filter((id) => live.get(id)?.connection.readyState === 'open')
    },
  }
  return { live, api }
}
