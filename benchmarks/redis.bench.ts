/**
 * @gatehousejs/redis against a local redis-server (GATEHOUSE_REDIS_PORT, default 6391), 50 concurrent callers.
 *
 * - Throttle: `take()` through the Redis Store (one Lua script per decision, Redis TIME) beside rate-limiter-flexible's
 *   RateLimiterRedis `consume()` (also one Lua script per decision), both on ioredis.
 * - Shared cache: `get()` hits through the Redis response cache (one Lua script: generation + entry) beside a bare
 *   ioredis `GET` + `JSON.parse` of the same bytes, the floor any shared cache pays.
 *
 * The harness's `compare` times synchronous calls; these are async, so each side runs 50 callers looping on
 * `await` for a fixed time and the completed decisions are counted. Outputs are compared before timing.
 */
import { Redis } from 'ioredis'
import { RateLimiterRedis } from 'rate-limiter-flexible'
import { createTokenBucket } from '@gatehousejs/throttle'
import { createRedisResponseCache, createRedisStore } from '@gatehousejs/redis'
import { versionOf, type Row, type Section } from './harness.js'

const port = Number(process.env.GATEHOUSE_REDIS_PORT ?? 6391)
const quick = process.env.BENCH_QUICK === '1'
const CALLERS = 50

async function perSecond(fn: () => Promise<unknown>, ms: number): Promise<number> {
  let done = 0
  const end = performance.now() + ms
  await Promise.all(
    Array.from({ length: CALLERS }, async () => {
      while (performance.now() < end) {
        await fn()
        done++
      }
    }),
  )
  return (done * 1000) / ms
}

async function row(name: string, ours: () => Promise<unknown>, peer: () => Promise<unknown>): Promise<Row> {
  const ms = quick ? 500 : 2000
  await perSecond(ours, 200)
  await perSecond(peer, 200)
  const p = await perSecond(peer, ms)
  const o = await perSecond(ours, ms)
  return { name, ours: o, peer: p, ratio: o / p }
}

export default async (): Promise<Section[]> => {
  const client = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 1 })
  await client.ping()
  const prefix = `gh-bench:${process.pid}:`
  try {
    const big = 1e9
    const bucket = createTokenBucket({ rate: big, burst: big, store: createRedisStore({ client, prefix }), name: 'bench' })
    const limiter = new RateLimiterRedis({ storeClient: client, points: big, duration: 1, keyPrefix: `${prefix}rlf` })
    const a = await bucket.take('hot')
    const b = await limiter.consume('hot').then(
      () => true,
      () => false,
    )
    if (a.allowed !== b || a.unavailable) throw new Error(`redis bench: ours ${JSON.stringify(a)} vs peer ${b}`)
    let i = 0
    let j = 0
    const throttleRows = [
      await row(
        'take(), one hot key',
        () => bucket.take('hot'),
        () => limiter.consume('hot'),
      ),
      await row(
        'take(), 10 k keys',
        () => bucket.take(`k${(i = (i + 1) % 10_000)}`),
        () => limiter.consume(`k${(j = (j + 1) % 10_000)}`),
      ),
    ]

    const cache = createRedisResponseCache({ client, prefix, namespace: 'bench' })
    const value = {
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 1, name: 'pet', tags: ['a', 'b'] }),
    }
    await cache.set('GET /pets/1', value)
    const raw = JSON.stringify({ s: 200, h: value.headers, d: value.body })
    await client.set(`${prefix}raw`, raw, 'PX', 300_000)
    const got = await cache.get('GET /pets/1')
    const plain = JSON.parse((await client.get(`${prefix}raw`))!) as { d: string }
    if (got?.body !== plain.d) throw new Error('redis bench: cache hit disagrees with the raw entry')
    const cacheRows = [
      await row(
        'get() hit, one key',
        () => cache.get('GET /pets/1'),
        async () => JSON.parse((await client.get(`${prefix}raw`))!),
      ),
    ]
    return [
      {
        title: 'redis: token-bucket decisions on local Redis, 50 concurrent callers',
        unit: 'decisions/s',
        peers: { 'rate-limiter-flexible': versionOf('rate-limiter-flexible'), ioredis: versionOf('ioredis') },
        peerName: 'RateLimiterRedis',
        rows: throttleRows,
        notes: ['One Lua script per decision on both sides; ours takes time from Redis TIME.'],
      },
      {
        title: 'redis: shared response cache on local Redis, 50 concurrent callers',
        unit: 'ops/s',
        peers: { ioredis: versionOf('ioredis') },
        peerName: 'ioredis GET + JSON.parse',
        rows: cacheRows,
        notes: ['The peer is the floor (one GET, no flush generation, no freezing); ours adds O(1) flush via a generation key.'],
      },
    ]
  } finally {
    const keys = await client.keys(`${prefix}*`)
    if (keys.length) await client.del(...keys)
    client.disconnect()
  }
}
