/**
 * The real redis-server the Redis-backed tests share: 127.0.0.1:$GATEHOUSE_REDIS_PORT (default 6391, which
 * `.ci/run` starts). Unreachable, the tests fail under CI and are skipped with a printed reason otherwise.
 */
import { Redis, type RedisOptions } from 'ioredis'
import { afterAll } from 'vitest'
import { reportMissingTool } from './missing-tool'

/** The shared test server's port; tests that stop a server start their own on another port. */
export const redisPort = Number(process.env.GATEHOUSE_REDIS_PORT ?? 6391)

/** Client options that fail a command at once rather than queue it while the server is away. */
export const fastFail: RedisOptions = {
  host: '127.0.0.1',
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
}

export function connectRedis(port = redisPort, extra: RedisOptions = {}): Redis {
  const client = new Redis({ ...fastFail, port, ...extra })
  // ioredis reports connection trouble as 'error' events; the stores count failures themselves.
  client.on('error', () => {})
  return client
}

/** A connected client (with the offline queue off, commands sent before `ready` would fail). */
export async function connectRedisReady(port = redisPort, extra: RedisOptions = {}): Promise<Redis> {
  const client = connectRedis(port, extra)
  if (client.status !== 'ready') await new Promise((resolve) => client.once('ready', resolve))
  return client
}

async function reachable(): Promise<boolean> {
  const c = new Redis({ ...fastFail, port: redisPort, lazyConnect: true, retryStrategy: () => null })
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
 * Whether the tests `what` can run on the shared server: false (and a printed reason) when it is unreachable,
 * which under CI throws instead, failing the test file.
 *
 * @example
 * ```ts
 * const available = await requireRedis('@gatehousejs/redis store tests')
 * describe.skipIf(!available)('createRedisStore', () => { … })
 * ```
 */
export async function requireRedis(what: string): Promise<boolean> {
  if (await reachable()) return true
  reportMissingTool(
    what,
    `Redis is not reachable on 127.0.0.1:${redisPort} (set GATEHOUSE_REDIS_PORT, or start redis-server --port ${redisPort})`,
  )
  return false
}

/** A fresh key prefix, so runs and tests never see each other's keys. */
export function uniquePrefix(): string {
  return `gh-test:${process.pid}:${Math.random().toString(36).slice(2)}:`
}

/** Deletes every key this test process wrote (they would expire on their own, some only after days). */
export async function cleanUp(client: Redis): Promise<void> {
  const keys = await client.keys(`gh-test:${process.pid}:*`)
  for (let i = 0; i < keys.length; i += 500) await client.del(...keys.slice(i, i + 500))
}

/**
 * Check the server once for a test file: returns whether its tests can run, a key prefix of its own, and a
 * factory of ready clients whose keys and connections are cleaned up after the file.
 *
 * @example
 * ```ts
 * const { available, prefix, client } = await useRedis('core usage-plan Redis tests')
 * describe.skipIf(!available)('usage plans on Redis', () => { … createRedisStore({ client: await client(), prefix }) … })
 * ```
 */
export async function useRedis(
  what: string,
): Promise<{ available: boolean; prefix: string; client: () => Promise<Redis>; clients: Redis[] }> {
  const available = await requireRedis(what)
  const prefix = uniquePrefix()
  const clients: Redis[] = []
  afterAll(async () => {
    if (clients[0]) {
      const keys = await clients[0].keys(`${prefix}*`)
      if (keys.length > 0) await clients[0].del(...keys)
    }
    for (const c of clients) c.disconnect()
  })
  const client = async () => {
    // Decisions fail open while a client connects: hand it out ready.
    const c = await connectRedisReady()
    clients.push(c)
    return c
  }
  return { available, prefix, client, clients }
}
