/**
 * The real redis-server the Redis-backed core tests share: 127.0.0.1:$GATEHOUSE_REDIS_PORT (default 6391, which
 * `.ci/run` starts). Unreachable, the tests fail under CI and are skipped with a message otherwise.
 */
import { Redis } from 'ioredis'
import { afterAll } from 'vitest'

export const port = Number(process.env.GATEHOUSE_REDIS_PORT ?? 6391)

async function reachable(): Promise<boolean> {
  const c = new Redis({ host: '127.0.0.1', port, lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null })
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

/**
 * Check the server once for a test file: returns whether its tests can run, a key prefix of its own, and a
 * factory of ready clients whose keys and connections are cleaned up after the file.
 */
export async function useRedis(what: string): Promise<{ available: boolean; prefix: string; client: () => Promise<Redis>; clients: Redis[] }> {
  const available = await reachable()
  const unreachable = `Redis is not reachable on 127.0.0.1:${port} (set GATEHOUSE_REDIS_PORT, or start redis-server --port ${port})`
  if (!available) {
    // Under CI a missing server is a failure, never a skip.
    if (process.env.CI) throw new Error(unreachable)
    console.warn(`SKIPPED ${what}: ${unreachable}`)
  }
  const prefix = `gh-test:${process.pid}:${Math.random().toString(36).slice(2)}:`
  const clients: Redis[] = []
  afterAll(async () => {
    if (clients[0]) {
      const keys = await clients[0].keys(`${prefix}*`)
      if (keys.length > 0) await clients[0].del(...keys)
    }
    for (const c of clients) c.disconnect()
  })
  const client = async () => {
    const c = new Redis({ host: '127.0.0.1', port, enableOfflineQueue: false, maxRetriesPerRequest: 0 })
    c.on('error', () => {})
    // Decisions fail open while a client connects: hand it out ready.
    if (c.status !== 'ready') await new Promise((resolve) => c.once('ready', resolve))
    clients.push(c)
    return c
  }
  return { available, prefix, client, clients }
}
