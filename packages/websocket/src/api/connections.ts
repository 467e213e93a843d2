/**
 * The `@connections` API in process: the connections this process holds, and `post`/`get`/`delete` on them with
 * API Gateway's refusals (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-how-to-call-websocket-api-connections.html):
 * a closed or unknown connection is 410 `GoneException`, a message over the limit 413 `PayloadTooLargeException`.
 * A connection this process does not hold is asked of the connection bus (another process may hold it).
 */
import type { Connection } from '../connection'
import type { ConnectionBusMember, ConnectionRecord, LocalConnections } from './bus'
import type { ConnectionInfo } from './definition'
import { ConnectionsApiError } from './errors'

export interface LiveConnection {
  connection: Connection
  /** When `$connect` began (epoch ms): `connectedAt` in every event and in GetConnection. */
  connectedAt: number
  identity: { sourceIp: string; userAgent: string | null }
  /** The authorizer's context (strings, `principalId`, `integrationLatency`), in every later event. */
  authorizer: Record<string, string | number> | undefined
  /** The connection's id and the domain name of its events (kept here for the listeners shared by all). */
  id: string
  domainName: string
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
  /** The ids of the open connections this process holds (not those of other processes on the bus). */
  ids(): string[]
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

function gone(): ConnectionsApiError {
  return new ConnectionsApiError('GoneException', 410, 'Gone')
}

function tooLarge(): ConnectionsApiError {
  return new ConnectionsApiError('PayloadTooLargeException', 413, 'Payload too large')
}

/** Bytes that are UTF-8 become text, as a string posted would go. */
function asMessage(data: string | Uint8Array): string | Uint8Array {
  if (typeof data === 'string') return data
  try {
    return utf8.decode(data)
  } catch {
    return data
  }
}

const byteLength = (m: string | Uint8Array) => (typeof m === 'string' ? Buffer.byteLength(m) : m.byteLength)

export interface ConnectionsOptions {
  maxMessageBytes: number
  /** Told of each message sent through `post` to a connection held here (the `MessageCount` metric). */
  onSent?: () => void
}

/** The registry, its API, and the view of it the connection bus gets. */
export function createConnections(options: ConnectionsOptions): {
  live: Map<string, LiveConnection>
  api: ConnectionsApi
  local: LocalConnections
  attach(member: ConnectionBusMember): void
} {
  const live = new Map<string, LiveConnection>()
  let bus: ConnectionBusMember | undefined
  const held = (id: string): LiveConnection | undefined => (typeof id === 'string' ? live.get(id) : undefined)
  const local: LocalConnections = {
    post(id, data) {
      const c = held(id)
      if (c === undefined || c.connection.readyState !== 'open') return 'gone'
      const result = c.connection.send(asMessage(data))
      if (result === 'sent') options.onSent?.()
      return result === 'closed' ? 'gone' : result
    },
    get(id): ConnectionRecord | undefined {
      const c = held(id)
      if (c === undefined || c.connection.readyState !== 'open') return undefined
      return { connectedAt: c.connectedAt, lastActiveAt: c.connection.lastActiveAt, identity: { ...c.identity } }
    },
    delete(id) {
      const c = held(id)
      if (c === undefined || c.connection.readyState !== 'open') return 'gone'
      c.connection.close(1000)
      return 'deleted'
    },
  }
  const api: ConnectionsApi = {
    async post(connectionId, data) {
      if (typeof connectionId !== 'string') throw gone()
      const message = asMessage(data)
      if (byteLength(message) > options.maxMessageBytes) throw tooLarge()
      const result =
        held(connectionId) !== undefined || bus === undefined ? local.post(connectionId, message) : await bus.post(connectionId, message)
      if (result === 'gone') throw gone()
      if (result === 'too-large') throw tooLarge()
    },
    async get(connectionId) {
      if (typeof connectionId !== 'string') throw gone()
      const record = held(connectionId) !== undefined || bus === undefined ? local.get(connectionId) : await bus.get(connectionId)
      if (record === undefined) throw gone()
      return { connectedAt: new Date(record.connectedAt), lastActiveAt: new Date(record.lastActiveAt), identity: { ...record.identity } }
    },
    async delete(connectionId) {
      if (typeof connectionId !== 'string') throw gone()
      const result = held(connectionId) !== undefined || bus === undefined ? local.delete(connectionId) : await bus.delete(connectionId)
      if (result === 'gone') throw gone()
    },
    ids() {
      return [...live.keys()].filter((id) => live.get(id)?.connection.readyState === 'open')
    },
  }
  return {
    live,
    api,
    local,
    attach(member) {
      bus = member
    },
  }
}
