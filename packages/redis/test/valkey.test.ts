/**
 * The store suite on Valkey (the Linux Foundation's fork of Redis 7.2, Debian's `valkey-server`), started here on
 * port 7150: the same scripts and commands, the same answers. Fails under CI when valkey-server is missing (`.ci/run`
 * installs it), skips otherwise.
 * https://valkey.io/topics/eval-intro/
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRedisStore } from '@gatehousejs/redis'
import { createQuota, createTokenBucket } from '@gatehousejs/throttle'
import { connectRedisReady } from '@gatehousejs/test-kit'
import type { Redis } from 'ioredis'
import { kill, requireTools, startServer, type ServerProcess } from './cluster-helpers'
import { storeSuite } from './cluster-suite'

const available = requireTools('@gatehousejs/redis Valkey tests', ['valkey-server'])
const PORT = 7150

describe.skipIf(!available)('@gatehousejs/redis on Valkey', () => {
  let server: ServerProcess | undefined
  let client: Redis
  const clients: Redis[] = []
  const connect = async () => {
    const c = await connectRedisReady(PORT)
    clients.push(c)
    return c
  }

  beforeAll(async () => {
    server = await startServer('valkey-server', PORT, [])
    client = await connect()
    expect(String(await client.info('server'))).toMatch(/valkey_version:/)
  })
  afterAll(async () => {
    for (const c of clients) c.disconnect()
    if (server) await kill(server)
  })

  storeSuite(() => ({ client, second: connect }))

  it('Valkey killed mid-run: fail-open admits, fail-closed refuses, every failure counted', async () => {
    const errors: unknown[] = []
    const open = createRedisStore({ client, failure: 'open', onError: (e) => errors.push(e) })
    const closed = createRedisStore({ client, failure: 'closed', onError: (e) => errors.push(e) })
    const bucket = createTokenBucket({ rate: 1, burst: 5, store: open })
    const quota = createQuota({ limit: 5, period: 'DAY', store: closed })
    expect(await bucket.take('k')).toMatchObject({ allowed: true })
    expect((await bucket.take('k')).unavailable).toBeUndefined()
    await kill(server!)
    expect(await bucket.take('k')).toMatchObject({ allowed: true, unavailable: true })
    expect(await quota.consume('k')).toMatchObject({ allowed: false, unavailable: true })
    expect([open.failures, closed.failures, errors.length]).toEqual([1, 1, 2])
  })
})
