/**
 * Connections held by different processes, reachable through one Redis: three child processes serve the same
 * WebSocket API, `ws` clients connect to different ones, and the `@connections` API (from a route's function, and
 * over HTTP with the AWS SDK client) posts to, reads and deletes a connection another process holds; a closed
 * connection, an unknown one and one whose process died are 410 `GoneException`.
 * On API Gateway any backend can call `@connections` for any connection of the API
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-how-to-call-websocket-api-connections.html;
 * 410 for a connection that "has been terminated, or doesn't exist anymore":
 * https://repost.aws/knowledge-center/410-gone-api-gateway).
 */
import { type ChildProcess, fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import {
  ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
  GetConnectionCommand,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi'
import { cleanUp, connectRedisReady, redisPort, requireRedis, uniquePrefix } from '@gatehousejs/test-kit'
import { afterAll, describe, expect, it } from 'vitest'
import { closed, inbox, open } from './api/harness'

const available = await requireRedis('@gatehousejs/websocket multi-process tests')
const workerPath = fileURLToPath(new URL('./multiprocess-worker.ts', import.meta.url))
const root = fileURLToPath(new URL('../../../', import.meta.url))
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }
const prefix = uniquePrefix()

interface Worker {
  child: ChildProcess
  port: number
  url: string
}

const workers: Worker[] = []

async function startWorker(name: string): Promise<Worker> {
  const child = fork(workerPath, [], { execArgv: ['--import', 'tsx'], cwd: root, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  child.send({ name, port: redisPort, prefix, credentials })
  const port = await new Promise<number>((resolve, reject) => {
    child.on('message', (m: { type: string; port?: number }) => m.type === 'ready' && resolve(m.port!))
    child.once('exit', (code) => reject(new Error(`worker ${name} exited with ${code}`)))
    child.once('error', reject)
  })
  const worker = { child, port, url: `ws://127.0.0.1:${port}` }
  workers.push(worker)
  return worker
}

function stop(w: Worker): Promise<void> {
  if (w.child.exitCode !== null || w.child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    w.child.once('exit', () => resolve())
    w.child.send('stop')
  })
}

/** What a worker's `onError` was told. */
function errorsOf(w: Worker): Promise<string[]> {
  return new Promise((resolve) => {
    const on = (m: { type: string; errors?: string[] }) => {
      if (m.type !== 'errors') return
      w.child.off('message', on)
      resolve(m.errors!)
    }
    w.child.on('message', on)
    w.child.send('errors')
  })
}

const sdk = (w: Worker) =>
  new ApiGatewayManagementApiClient({ endpoint: `http://127.0.0.1:${w.port}/prod`, region: 'us-east-1', credentials })

afterAll(async () => {
  await Promise.all(workers.map(stop))
  if (available) {
    const c = await connectRedisReady()
    await cleanUp(c)
    c.disconnect()
  }
})

describe.skipIf(!available)('connections held by several processes on one Redis', () => {
  it('POST, GET and DELETE reach a connection another process holds; closed, unknown and orphaned ones are 410', async () => {
    const [a, b, c] = await Promise.all(['A', 'B', 'C'].map((name) => startWorker(name)))
    const [wa, wb, wc] = await Promise.all([a!, b!, c!].map((w) => open(w.url, { headers: { 'User-Agent': `agent-${w.port}` } })))
    const [boxA, boxB, boxC] = [wa!, wb!, wc!].map(inbox)
    const ask = async (ws: typeof wa, box: typeof boxA, message: object) => {
      ws!.send(JSON.stringify(message))
      return JSON.parse(await box!.next())
    }
    const who = await Promise.all([
      ask(wa, boxA, { action: 'whoami' }),
      ask(wb, boxB, { action: 'whoami' }),
      ask(wc, boxC, { action: 'whoami' }),
    ])
    expect(who.map((w) => w.process)).toEqual(['A', 'B', 'C'])
    const [idA, idB, idC] = who.map((w) => w.id as string)

    // A message to process A posts, from A's function, to the connection process B holds.
    expect(await ask(wa, boxA, { action: 'sendto', to: idB, text: 'hello B' })).toEqual({ ok: true })
    expect(await boxB!.next()).toBe('hello B (via A)')
    // And back, from B to A.
    expect(await ask(wb, boxB, { action: 'sendto', to: idA, text: 'hello A' })).toEqual({ ok: true })
    expect(await boxA!.next()).toBe('hello A (via B)')

    // GET across processes: C reads B's connection.
    const info = await ask(wc, boxC, { action: 'info', to: idB })
    expect(info.ok).toBe(true)
    expect(info.value.identity).toEqual({ sourceIp: '127.0.0.1', userAgent: `agent-${b!.port}` })
    expect(typeof info.value.connectedAt).toBe('string')

    // Over HTTP with the AWS SDK client, on A's endpoint, for connections B and C hold.
    const client = sdk(a!)
    await client.send(new PostToConnectionCommand({ ConnectionId: idC, Data: 'from the SDK' }))
    expect(await boxC!.next()).toBe('from the SDK')
    const got = await client.send(new GetConnectionCommand({ ConnectionId: idB }))
    expect(got.Identity).toEqual({ SourceIp: '127.0.0.1', UserAgent: `agent-${b!.port}` })
    expect(got.ConnectedAt).toBeInstanceOf(Date)
    expect(got.LastActiveAt).toBeInstanceOf(Date)

    // DELETE across processes: A disconnects C's connection (close 1000), after which it is 410 from everywhere.
    const cClosed = closed(wc!)
    expect(await ask(wa, boxA, { action: 'kick', to: idC })).toEqual({ ok: true })
    expect((await cClosed).code).toBe(1000)
    expect(await ask(wb, boxB, { action: 'sendto', to: idC, text: 'late' })).toEqual({ ok: false, name: 'GoneException', status: 410 })
    await expect(client.send(new GetConnectionCommand({ ConnectionId: idC }))).rejects.toBeInstanceOf(GoneException)
    await expect(sdk(b!).send(new DeleteConnectionCommand({ ConnectionId: idC }))).rejects.toBeInstanceOf(GoneException)
    // The SDK's DELETE across processes too: B's endpoint disconnects A's client.
    const aClosed = closed(wa!)
    await sdk(b!).send(new DeleteConnectionCommand({ ConnectionId: idA }))
    expect((await aClosed).code).toBe(1000)

    // A client that closes itself is gone as soon as its process has said so.
    const bClosed = closed(wb!)
    wb!.close(1000)
    await bClosed
    let afterClose: unknown
    for (let i = 0; i < 200; i++) {
      afterClose = await client.send(new PostToConnectionCommand({ ConnectionId: idB, Data: 'x' })).catch((e: unknown) => e)
      if (afterClose instanceof GoneException) break
      await new Promise((r) => setTimeout(r, 10))
    }
    expect(afterClose).toBeInstanceOf(GoneException)

    // An id no process ever held.
    await expect(client.send(new PostToConnectionCommand({ ConnectionId: 'AAAAAAAAAAAAAAA=', Data: 'x' }))).rejects.toBeInstanceOf(
      GoneException,
    )
    // None of it was a failure worth an operator's attention.
    expect(await Promise.all([a!, b!, c!].map(errorsOf))).toEqual([[], [], []])
  })

  it('a connection whose process died is 410, without waiting for its key to expire', async () => {
    const [a, b] = await Promise.all(['D', 'E'].map((name) => startWorker(name)))
    const wb = await open(b!.url)
    const boxB = inbox(wb)
    wb.send(JSON.stringify({ action: 'whoami' }))
    const { id } = JSON.parse(await boxB.next()) as { id: string }
    const client = sdk(a!)
    await client.send(new PostToConnectionCommand({ ConnectionId: id, Data: 'alive' }))
    expect(await boxB.next()).toBe('alive')
    const died = new Promise((r) => b!.child.once('exit', r))
    b!.child.kill('SIGKILL')
    await died
    // Redis drops the dead process's subscription when it sees its TCP connection close: poll until it has.
    let outcome: unknown
    for (let i = 0; i < 500; i++) {
      outcome = await client.send(new PostToConnectionCommand({ ConnectionId: id, Data: 'x' })).catch((e: unknown) => e)
      if (outcome instanceof GoneException) break
      await new Promise((r) => setTimeout(r, 10))
    }
    expect(outcome).toBeInstanceOf(GoneException)
    wb.terminate()
  })
})
