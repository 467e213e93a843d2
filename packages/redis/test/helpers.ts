import { Redis, type RedisOptions } from 'ioredis'

/** The shared test server (.ci/run starts it); tests that stop a server start their own on another port. */
export const port = Number(process.env.GATEHOUSE_REDIS_PORT ?? 6391)

export const fastFail: RedisOptions = {
  host: '127.0.0.1',
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
}

export function connect(p = port, extra: RedisOptions = {}): Redis {
  const client = new Redis({ ...fastFail, port: p, ...extra })
  // ioredis reports connection trouble as 'error' events; the stores count failures themselves.
  client.on('error', () => {})
  return client
}

/** A connected client (with the offline queue off, commands sent before `ready` would fail). */
export async function connectReady(p = port, extra: RedisOptions = {}): Promise<Redis> {
  const client = connect(p, extra)
  if (client.status !== 'ready') await new Promise((resolve) => client.once('ready', resolve))
  return client
}

async function reachable(): Promise<boolean> {
  const c = new Redis({ ...fastFail, port, lazyConnect: true, retryStrategy: () => null })
  c.on('error', () => {})
  try {
    await c.connect()
    return (await c.ping()) === 'PONG'
  } catch {
    return false
  } finally {
    c.disconnect()
  }
}

export const available = await reachable()
if (!available) {
  const msg = `Redis is not reachable on 127.0.0.1:${port} (set GATEHOUSE_REDIS_PORT, or start redis-server --port ${port})`
  // Under CI a missing server is a failure, never a skip.
  if (process.env.CI) throw new Error(msg)
  console.warn(`SKIPPED @gatehousejs/redis tests: ${msg}`)
}

/** A fresh prefix per test so runs never see each other's keys. */
export function uniquePrefix(): string {
  return `gh-test:${process.pid}:${Math.random().toString(36).slice(2)}:`
}

/** Deletes every key this test process wrote (they would expire on their own, some only after days). */
export async function cleanUp(client: Redis): Promise<void> {
  const keys = await client.keys(`gh-test:${process.pid}:*`)
  for (let i = 0; i < keys.length; i += 500) await client.del(...keys.slice(i, i + 500))
}
