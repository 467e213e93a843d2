/**
 * The connection bus in process: two APIs on one `createMemoryConnectionBus()` reach each other's connections
 * through `@connections` (POST, GET, DELETE, 410 once closed), as processes do through `@gatehousejs/redis`'s bus
 * (packages/websocket/test/multiprocess.test.ts). A bus that cannot be reached fails the call (500 over HTTP),
 * never as 410, and tells `onError`.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { type ConnectionBus, createMemoryConnectionBus, type CreateWebSocketApiInput, type WebSocketEvent } from '../../src/index'
import { type ApiServer, closed, inbox, open, startApi } from './harness'

const servers: ApiServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

function input(extra: Partial<CreateWebSocketApiInput>): CreateWebSocketApiInput {
  return {
    api: {
      name: 'bus',
      routeSelectionExpression: '$request.body.action',
      routes: { whoami: { integration: { type: 'AWS_PROXY', uri: 'whoami' }, routeResponseSelectionExpression: '$default' } },
    },
    functions: { whoami: async (event: WebSocketEvent) => ({ statusCode: 200, body: event.requestContext.connectionId }) },
    ...extra,
  }
}

async function idOf(server: ApiServer) {
  const ws = await open(server.url, { headers: { 'User-Agent': 'bus-test' } })
  const box = inbox(ws)
  ws.send('{"action":"whoami"}')
  return { ws, box, id: await box.next() }
}

describe('createMemoryConnectionBus', () => {
  it('APIs on one bus post to, read and delete each other’s connections; ids() stays per API', async () => {
    const connectionBus = createMemoryConnectionBus()
    const a = await startApi(input({ connectionBus }))
    const b = await startApi(input({ connectionBus }))
    servers.push(a, b)
    const onA = await idOf(a)
    const onB = await idOf(b)
    await a.api.connections.post(onB.id, 'to B from A')
    expect(await onB.box.next()).toBe('to B from A')
    await b.api.connections.post(onA.id, new TextEncoder().encode('to A from B'))
    expect(await onA.box.next()).toBe('to A from B')
    const info = await a.api.connections.get(onB.id)
    expect(info.identity).toEqual({ sourceIp: '127.0.0.1', userAgent: 'bus-test' })
    expect(info.connectedAt).toBeInstanceOf(Date)
    expect(a.api.connections.ids()).toEqual([onA.id])
    const bye = closed(onB.ws)
    await a.api.connections.delete(onB.id)
    expect((await bye).code).toBe(1000)
    await expect(a.api.connections.post(onB.id, 'late')).rejects.toMatchObject({ name: 'GoneException', statusCode: 410 })
    await expect(b.api.connections.get(onB.id)).rejects.toMatchObject({ name: 'GoneException' })
    await expect(a.api.connections.delete('unknown')).rejects.toMatchObject({ name: 'GoneException' })
    // Too large is refused before the bus is asked.
    await expect(b.api.connections.post(onA.id, 'x'.repeat(128 * 1024 + 1))).rejects.toMatchObject({ statusCode: 413 })
    // An API that closed has left the bus.
    await b.close()
    servers.splice(servers.indexOf(b), 1)
    await expect(a.api.connections.post(onB.id, 'x')).rejects.toMatchObject({ name: 'GoneException' })
  })

  it('an API without a bus sees its own connections only', async () => {
    const a = await startApi(input({}))
    const b = await startApi(input({}))
    servers.push(a, b)
    const onB = await idOf(b)
    await expect(a.api.connections.post(onB.id, 'x')).rejects.toMatchObject({ name: 'GoneException' })
  })

  it('a bus that fails rejects with an Error (not 410), and onError is told by the bus', async () => {
    const errors: unknown[] = []
    const failing: ConnectionBus = {
      join: (_local, onError) => ({
        opened: () => undefined,
        closed: () => undefined,
        post: async () => {
          const error = new Error('bus down')
          onError(error)
          throw error
        },
        get: async () => undefined,
        delete: async () => 'gone',
        close: async () => undefined,
      }),
    }
    const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }
    const a = await startApi(input({ connectionBus: failing, onError: (e, info) => errors.push([String(e), info.routeKey]), credentials }))
    servers.push(a)
    const err = await a.api.connections.post('elsewhere', 'x').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(Error)
    expect((err as Error).name).toBe('Error')
    expect(errors).toEqual([['Error: bus down', '@connections']])
  })
})
