/**
 * The connection bus: how the `@connections` API reaches a connection another process (or another API instance)
 * holds. On API Gateway any backend can post to any connection whatever server holds its socket; here each
 * process holds its own sockets, and a bus carries `POST`/`DELETE` to the holder and connection metadata for `GET`.
 * The default is in process ({@link createMemoryConnectionBus}); `@gatehousejs/redis`'s `createRedisConnectionBus`
 * spans processes. This file only defines types and the in-process bus: an implementation elsewhere can match
 * these types structurally without importing this package.
 */

/** What `GET @connections/{id}` answers, in epoch ms (the API turns it into Dates). */
export interface ConnectionRecord {
  connectedAt: number
  lastActiveAt: number
  identity: { sourceIp: string; userAgent: string | null }
}

/** A delivery's result as the holder saw it. */
export type BusPostResult = 'sent' | 'gone' | 'too-large'
export type BusDeleteResult = 'deleted' | 'gone'

/** The connections one member holds, as the bus asks about them on another member's behalf. */
export interface LocalConnections {
  post(connectionId: string, data: string | Uint8Array): BusPostResult
  get(connectionId: string): ConnectionRecord | undefined
  delete(connectionId: string): BusDeleteResult
}

/**
 * One API's membership of a bus. `opened`/`closed` keep the shared registry current; `post`/`get`/`delete` are
 * asked only for connections this member does not hold. A failure to reach the bus rejects with an `Error` (the
 * API answers 500), an unknown connection is `'gone'` / `undefined` (410). The API waits for `opened` (when it
 * returns a promise, which must not reject) before the client's handshake completes: a connection its client sees
 * open is reachable from every process, as on AWS.
 */
export interface ConnectionBusMember {
  opened(connectionId: string, record: ConnectionRecord): void | Promise<void>
  closed(connectionId: string): void
  post(connectionId: string, data: string | Uint8Array): Promise<BusPostResult>
  get(connectionId: string): Promise<ConnectionRecord | undefined>
  delete(connectionId: string): Promise<BusDeleteResult>
  /** Leaves the bus (the API's `close()` calls it after its connections closed). */
  close(): Promise<void>
}

/**
 * A bus several APIs (processes) join: `createWebSocketApi({ connectionBus })` calls `join` once.
 *
 * @example
 * ```ts
 * import { createMemoryConnectionBus, createWebSocketApi } from '@gatehousejs/websocket'
 * const connectionBus = createMemoryConnectionBus()
 * const a = createWebSocketApi({ api, functions, connectionBus })
 * const b = createWebSocketApi({ api, functions, connectionBus })
 * // a.connections.post(idHeldByB, 'hi') reaches b's client
 * ```
 */
export interface ConnectionBus {
  /** `onError` is the API's reporter, for failures the bus meets on the member's behalf. */
  join(local: LocalConnections, onError: (error: unknown) => void): ConnectionBusMember
}

/**
 * The in-process bus: the APIs that join it in one process reach each other's connections (several API instances
 * behind one `@connections` endpoint, or tests of the bus contract without Redis). An API given no bus joins one
 * of its own, so its `@connections` API sees its own connections only.
 *
 * @example
 * ```ts
 * const bus = createMemoryConnectionBus()
 * const one = createWebSocketApi({ api, functions, connectionBus: bus })
 * const two = createWebSocketApi({ api, functions, connectionBus: bus })
 * ```
 */
export function createMemoryConnectionBus(): ConnectionBus {
  const owners = new Map<string, LocalConnections>()
  return {
    join(local) {
      const mine = new Set<string>()
      const owner = (id: string) => owners.get(id)
      return {
        opened(id) {
          owners.set(id, local)
          mine.add(id)
        },
        closed(id) {
          if (owners.get(id) === local) owners.delete(id)
          mine.delete(id)
        },
        async post(id, data) {
          return owner(id)?.post(id, data) ?? 'gone'
        },
        async get(id) {
          return owner(id)?.get(id)
        },
        async delete(id) {
          return owner(id)?.delete(id) ?? 'gone'
        },
        async close() {
          for (const id of mine) if (owners.get(id) === local) owners.delete(id)
          mine.clear()
        },
      }
    },
  }
}
