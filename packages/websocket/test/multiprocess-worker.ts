/**
 * One process of the multi-process test: the same WebSocket API (and its `@connections` endpoint) on a node:http
 * server of its own, joined to the others through a Redis connection bus. Routes drive the `@connections` API from
 * inside a function, as a backend does: `whoami`, `sendto` (POST), `info` (GET), `kick` (DELETE).
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Redis } from 'ioredis'
import { createRedisConnectionBus } from '@gatehousejs/redis'
import { ConnectionsApiError, createWebSocketApi, type WebSocketApi, type WebSocketEvent } from '../src/index'

interface Job {
  name: string
  port: number
  prefix: string
  credentials: { accessKeyId: string; secretAccessKey: string }
}

const redis = (port: number) => {
  const c = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 1 })
  c.on('error', () => {})
  return c
}

process.once('message', async (raw) => {
  const job = raw as Job
  const client = redis(job.port)
  const subscriber = redis(job.port)
  const errors: string[] = []
  const connectionBus = createRedisConnectionBus({ client, subscriber, prefix: job.prefix, timeoutMs: 5000 })
  let api!: WebSocketApi
  const tryCall = async (call: () => Promise<unknown>) => {
    try {
      return { ok: true, value: await call() }
    } catch (error) {
      if (error instanceof ConnectionsApiError) return { ok: false, name: error.name, status: error.statusCode }
      return { ok: false, name: 'Error', message: String(error) }
    }
  }
  const answer = (value: unknown) => ({ statusCode: 200, body: JSON.stringify(value) })
  const body = (event: WebSocketEvent) => JSON.parse(event.body ?? '{}') as { to: string; text?: string }
  api = createWebSocketApi({
    api: {
      name: 'multiprocess',
      routeSelectionExpression: '$request.body.action',
      routes: {
        whoami: { integration: { type: 'AWS_PROXY', uri: 'whoami' }, routeResponseSelectionExpression: '$default' },
        sendto: { integration: { type: 'AWS_PROXY', uri: 'sendto' }, routeResponseSelectionExpression: '$default' },
        info: { integration: { type: 'AWS_PROXY', uri: 'info' }, routeResponseSelectionExpression: '$default' },
        kick: { integration: { type: 'AWS_PROXY', uri: 'kick' }, routeResponseSelectionExpression: '$default' },
      },
    },
    stage: 'prod',
    region: 'us-east-1',
    credentials: job.credentials,
    connectionBus,
    onError: (error) => errors.push(String(error)),
    functions: {
      whoami: async (event: WebSocketEvent) => answer({ id: event.requestContext.connectionId, process: job.name }),
      sendto: async (event: WebSocketEvent) => {
        const { to, text } = body(event)
        return answer(await tryCall(() => api.connections.post(to, `${text} (via ${job.name})`)))
      },
      info: async (event: WebSocketEvent) => {
        const r = await tryCall(() => api.connections.get(body(event).to))
        return answer(r)
      },
      kick: async (event: WebSocketEvent) => answer(await tryCall(() => api.connections.delete(body(event).to))),
    },
  })
  const server = createServer(api.managementHandler)
  server.on('upgrade', api.handleUpgrade)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  process.send!({ type: 'ready', port: (server.address() as AddressInfo).port })
  process.on('message', async (m) => {
    if (m === 'errors') process.send!({ type: 'errors', errors })
    if (m !== 'stop') return
    await api.close()
    server.closeAllConnections?.()
    server.close()
    client.disconnect()
    subscriber.disconnect()
    process.send!({ type: 'stopped' }, () => process.exit(0))
  })
})
