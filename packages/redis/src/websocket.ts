/**
 * A connection bus for `@gatehousejs/websocket` on Redis: connections held by different processes reach each other
 * through the `@connections` API, as on API Gateway where any backend can post to any connection.
 * - Each open connection has a key `{prefix}c:{connectionId}` naming the process that holds it (with `connectedAt`,
 *   `lastActiveAt`, `identity`), written with a TTL the holder refreshes while the connection is open, so a process
 *   that dies leaves nothing behind for longer than `ttlMs`.
 * - Each process subscribes to its own channel `{prefix}n:{nodeId}`. `POST`, `GET` and `DELETE` for a connection
 *   held elsewhere are published to the holder's channel and answered on the asker's, within `timeoutMs`. A publish
 *   that reaches no subscriber means the holder is gone: the connection is 410 and its stale key is deleted.
 * Everything read from Redis is treated as hostile: sizes are bounded before parsing, every field is checked, and a
 * malformed message is dropped and reported to `onError`, never thrown.
 * The types below match `@gatehousejs/websocket`'s `ConnectionBus` structurally (this package does not import it).
 */
import { randomBytes } from 'node:crypto'
import { Deadlines } from './client'

/** The commands the bus uses on a normal ioredis client (`Redis`). */
export interface RedisBusClient {
  set(key: string, value: string, px: 'PX', milliseconds: number): Promise<unknown>
  get(key: string): Promise<string | null>
  del(key: string): Promise<unknown>
  publish(channel: string, message: string): Promise<number>
}

/** A second ioredis client, used only to subscribe (a subscribed connection cannot run other commands). */
export interface RedisBusSubscriber {
  subscribe(channel: string): Promise<unknown>
  unsubscribe(channel: string): Promise<unknown>
  on(event: 'message', listener: (channel: string, message: string) => void): unknown
  off(event: 'message', listener: (channel: string, message: string) => void): unknown
}

export interface RedisConnectionRecord {
  connectedAt: number
  lastActiveAt: number
  identity: { sourceIp: string; userAgent: string | null }
}

export interface RedisLocalConnections {
  post(connectionId: string, data: string | Uint8Array): 'sent' | 'gone' | 'too-large'
  get(connectionId: string): RedisConnectionRecord | undefined
  delete(connectionId: string): 'deleted' | 'gone'
}

export interface RedisConnectionBusMember {
  /** Resolves once the connection's record is written (or its write failed and was reported); never rejects. */
  opened(connectionId: string, record: RedisConnectionRecord): Promise<void>
  closed(connectionId: string): void
  post(connectionId: string, data: string | Uint8Array): Promise<'sent' | 'gone' | 'too-large'>
  get(connectionId: string): Promise<RedisConnectionRecord | undefined>
  delete(connectionId: string): Promise<'deleted' | 'gone'>
  close(): Promise<void>
}

/** `@gatehousejs/websocket`'s `ConnectionBus`, on Redis. */
export interface RedisConnectionBus {
  join(local: RedisLocalConnections, onError: (error: unknown) => void): RedisConnectionBusMember
}

export interface RedisConnectionBusOptions {
  client: RedisBusClient
  /** A separate client for SUBSCRIBE (it may be shared by several buses: each listens to its own channel). */
  subscriber: RedisBusSubscriber
  /** Key and channel prefix (default `gatehouse:ws:`): one per API and stage sharing a Redis. */
  prefix?: string
  /** Lifetime of a connection's key without refresh, ms (default 60 000). */
  ttlMs?: number
  /** How often the holder rewrites its connections' keys (and their `lastActiveAt`), ms (default `ttlMs / 3`). */
  refreshMs?: number
  /** Longest wait for Redis or for the holding process's answer, ms (default 2000); then the call fails (500). */
  timeoutMs?: number
  /** Most requests awaiting an answer at once (default 10 000); further ones fail at once. */
  maxPending?: number
  /** Largest message carried, bytes (default 128 KB, API Gateway's message quota); larger envelopes are dropped. */
  maxMessageBytes?: number
  /** Told of every failure (Redis errors, timeouts, malformed messages); default: the API's `onError`. */
  onError?: (error: unknown) => void
}

const ID = /^[A-Za-z0-9_-]{1,64}$/
const MAX_CONNECTION_ID = 256
const MAX_IP = 256
const MAX_UA = 8192

const recordJson = (r: RedisConnectionRecord) => ({
  c: r.connectedAt,
  l: r.lastActiveAt,
  ip: r.identity.sourceIp,
  ua: r.identity.userAgent,
})

type Reply = { r: string; rec?: RedisConnectionRecord }
type Wire = { r: string; rec?: ReturnType<typeof recordJson> }
interface Pending {
  resolve: (reply: Reply) => void
  reject: (error: Error) => void
  timer: ReturnType<typeof setTimeout>
}

function positive(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback
  if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) throw new TypeError(`${name} must be a positive number`)
  return v
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)

/** A record read from Redis or a reply, or `undefined` when any field is not what it must be. */
export function parseRecord(v: unknown): RedisConnectionRecord | undefined {
  if (!isObject(v)) return undefined
  const { c, l, ip, ua } = v
  if (typeof c !== 'number' || !Number.isFinite(c) || typeof l !== 'number' || !Number.isFinite(l)) return undefined
  if (typeof ip !== 'string' || ip.length > MAX_IP) return undefined
  if (ua !== null && (typeof ua !== 'string' || ua.length > MAX_UA)) return undefined
  return { connectedAt: c, lastActiveAt: l, identity: { sourceIp: ip, userAgent: ua } }
}

/** JSON text of at most `max` characters parsed to an object, else `undefined` (never throws). */
export function parseBounded(text: unknown, max: number): Record<string, unknown> | undefined {
  if (typeof text !== 'string' || text.length > max) return undefined
  try {
    const v: unknown = JSON.parse(text)
    return isObject(v) ? v : undefined
  } catch {
    return undefined
  }
}

/**
 * A connection bus on Redis for `createWebSocketApi({ connectionBus })`.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis'
 * import { createRedisConnectionBus } from '@gatehousejs/redis'
 * import { createWebSocketApi } from '@gatehousejs/websocket'
 * const connectionBus = createRedisConnectionBus({ client: new Redis(), subscriber: new Redis(), prefix: 'chat:prod:' })
 * const api = createWebSocketApi({ api: definition, stage: 'prod', functions, connectionBus })
 * // in any process: await api.connections.post(idHeldByAnotherProcess, 'hello')
 * ```
 */
export function createRedisConnectionBus(options: RedisConnectionBusOptions): RedisConnectionBus {
  const { client, subscriber } = options
  if (client === null || typeof client !== 'object' || subscriber === null || typeof subscriber !== 'object')
    throw new TypeError('client and subscriber are ioredis clients')
  const prefix = options.prefix ?? 'gatehouse:ws:'
  if (typeof prefix !== 'string' || prefix.length > 200) throw new TypeError('prefix must be a string of at most 200 characters')
  const ttlMs = Math.ceil(positive('ttlMs', options.ttlMs, 60_000))
  const refreshMs = positive('refreshMs', options.refreshMs, Math.max(1, Math.floor(ttlMs / 3)))
  const timeoutMs = positive('timeoutMs', options.timeoutMs, 2000)
  const maxPending = positive('maxPending', options.maxPending, 10_000)
  const maxMessageBytes = positive('maxMessageBytes', options.maxMessageBytes, 128 * 1024)
  // base64 of the largest message, plus the ids and field names around it.
  const maxEnvelope = Math.ceil(maxMessageBytes / 3) * 4 + 2048
  // Redis calls fail after `timeoutMs` (SUBSCRIBE, once per join, after 5 × that), with the stores' one sweeper.
  const calls = new Deadlines(timeoutMs)
  const subscribing = new Deadlines(timeoutMs * 5)
  const keyOf = (id: string) => `${prefix}c:${id}`
  const channelOf = (node: string) => `${prefix}n:${node}`

  return {
    join(local, apiOnError) {
      const report = (error: unknown) => {
        try {
          ;(options.onError ?? apiOnError)(error)
        } catch {
          // a failing reporter must not break the bus
        }
      }
      const nodeId = randomBytes(9).toString('base64url')
      const mine = channelOf(nodeId)
      const held = new Set<string>()
      const pending = new Map<string, Pending>()
      let closed = false

      // A record names this member as the holder only once it listens on its channel: written earlier, a publish
      // to it would reach nobody, and the asker would take the connection for gone and delete its record.
      const write = (id: string, record: RedisConnectionRecord): Promise<void> => {
        const text = JSON.stringify({ o: nodeId, ...recordJson(record) })
        return subscribed.then(
          async () => {
            if (closed || !held.has(id)) return
            await calls.guard(client.set(keyOf(id), text, 'PX', ttlMs)).catch(report)
          },
          () => undefined, // the failed SUBSCRIBE was reported: the connection stays reachable in this process only
        )
      }

      const reply = (to: string, id: string, body: Wire) => {
        const text = JSON.stringify({ t: 'res', id, ...body })
        client.publish(channelOf(to), text).catch(report)
      }

      const onRequest = (m: Record<string, unknown>) => {
        const { id, from, op, c } = m
        if (typeof id !== 'string' || !ID.test(id) || typeof from !== 'string' || !ID.test(from)) return false
        if (typeof c !== 'string' || c.length === 0 || c.length > MAX_CONNECTION_ID) return false
        if (op === 'post') {
          const { d, b } = m
          if (typeof d !== 'string' || typeof b !== 'boolean') return false
          const data = b ? new Uint8Array(Buffer.from(d, 'base64')) : d
          reply(from, id, { r: local.post(c, data) })
        } else if (op === 'get') {
          const record = local.get(c)
          reply(from, id, record === undefined ? { r: 'gone' } : { r: 'ok', rec: recordJson(record) })
        } else if (op === 'delete') reply(from, id, { r: local.delete(c) })
        else return false
        return true
      }

      const onReply = (m: Record<string, unknown>) => {
        const { id, r } = m
        if (typeof id !== 'string' || typeof r !== 'string') return false
        const waiting = pending.get(id)
        if (waiting === undefined) return true // answered after its deadline: nothing waits for it any more
        pending.delete(id)
        clearTimeout(waiting.timer)
        if (r === 'ok') {
          const rec = parseRecord(m.rec)
          if (rec === undefined) return false
          waiting.resolve({ r, rec })
        } else waiting.resolve({ r })
        return true
      }

      const listener = (channel: string, message: string) => {
        if (channel !== mine) return
        try {
          const m = parseBounded(message, maxEnvelope)
          const ok = m !== undefined && (m.t === 'req' ? onRequest(m) : m.t === 'res' ? onReply(m) : false)
          if (!ok) report(new Error(`connection bus: malformed message dropped on ${channel} (${String(message).length} characters)`))
        } catch (error) {
          report(error)
        }
      }
      subscriber.on('message', listener)
      const subscribed = subscribing.guard(subscriber.subscribe(mine))
      subscribed.catch(report)

      const timer = setInterval(() => {
        for (const id of held) {
          const record = local.get(id)
          if (record !== undefined) void write(id, record) // never rejects: failures are reported
        }
      }, refreshMs)
      timer.unref?.()

      /** The holder of `id` from its key, or `undefined` (unknown, expired or unreadable). */
      const holderOf = async (id: string): Promise<string | undefined> => {
        const text = await calls.guard(client.get(keyOf(id)))
        if (text === null) return undefined
        const m = parseBounded(text, 2 * MAX_UA)
        const owner = m?.o
        if (typeof owner !== 'string' || !ID.test(owner)) {
          report(new Error(`connection bus: unreadable record for a connection id in ${keyOf('')}`))
          return undefined
        }
        return owner
      }

      /** Asks the holder; `'gone'` when no process holds `id`. Rejects when Redis or the holder does not answer. */
      const ask = async (connectionId: string, request: Record<string, unknown>): Promise<Reply> => {
        if (closed) throw new Error('connection bus: closed')
        if (typeof connectionId !== 'string' || connectionId.length === 0 || connectionId.length > MAX_CONNECTION_ID) return { r: 'gone' }
        const owner = await holderOf(connectionId)
        if (owner === undefined) return { r: 'gone' }
        if (owner === nodeId) return { r: 'local' }
        if (pending.size >= maxPending) throw new Error(`connection bus: ${maxPending} requests already await an answer`)
        await subscribed
        const id = randomBytes(12).toString('base64url')
        const answer = new Promise<Reply>((resolve, reject) => {
          const t = setTimeout(() => {
            pending.delete(id)
            reject(new Error(`connection bus: the process holding the connection did not answer within ${timeoutMs} ms`))
          }, timeoutMs)
          pending.set(id, { resolve, reject, timer: t })
        })
        answer.catch(() => undefined)
        let receivers: number
        try {
          receivers = await calls.guard(
            client.publish(channelOf(owner), JSON.stringify({ t: 'req', id, from: nodeId, c: connectionId, ...request })),
          )
        } catch (error) {
          const waiting = pending.get(id)
          if (waiting) clearTimeout(waiting.timer)
          pending.delete(id)
          throw error
        }
        if (receivers === 0) {
          // Nobody listens on the holder's channel: the process is gone, and so is the connection.
          const waiting = pending.get(id)
          if (waiting) clearTimeout(waiting.timer)
          pending.delete(id)
          client.del(keyOf(connectionId)).catch(report)
          return { r: 'gone' }
        }
        return answer
      }

      const failing = <T>(p: Promise<T>): Promise<T> =>
        p.catch((error: unknown) => {
          report(error)
          throw error
        })

      return {
        opened(id, record) {
          held.add(id)
          return write(id, record)
        },
        closed(id) {
          if (!held.delete(id)) return
          client.del(keyOf(id)).catch(report)
        },
        post(id, data) {
          return failing(
            (async () => {
              const bytes = typeof data !== 'string'
              const d = bytes ? Buffer.from(data).toString('base64') : data
              const { r } = await ask(id, { op: 'post', d, b: bytes })
              if (r === 'local') return local.post(id, data)
              return r === 'sent' || r === 'too-large' ? r : 'gone'
            })(),
          )
        },
        get(id) {
          return failing(
            (async () => {
              const answer = await ask(id, { op: 'get' })
              if (answer.r === 'local') return local.get(id)
              return answer.r === 'ok' ? answer.rec : undefined
            })(),
          )
        },
        delete(id) {
          return failing(
            (async () => {
              const { r } = await ask(id, { op: 'delete' })
              if (r === 'local') return local.delete(id)
              return r === 'deleted' ? 'deleted' : 'gone'
            })(),
          )
        },
        async close() {
          if (closed) return
          closed = true
          clearInterval(timer)
          for (const [id, waiting] of pending) {
            clearTimeout(waiting.timer)
            waiting.reject(new Error('connection bus: closed'))
            pending.delete(id)
          }
          await Promise.allSettled([...held].map((id) => client.del(keyOf(id))))
          held.clear()
          subscriber.off('message', listener)
          await subscribed.then(
            () => calls.guard(subscriber.unsubscribe(mine)).catch(report),
            () => undefined,
          )
        },
      }
    },
  }
}
