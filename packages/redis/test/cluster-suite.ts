/**
 * The store suite's key behaviours (token buckets, quotas, daily usage, the stage cache, the authorizer cache) on
 * any server: a Redis Cluster through an ioredis `Cluster`, or a single Valkey. With `keyslot` (a cluster), it also
 * shows that every key of one scope hashes to one slot, which multi-key scripts and MGET need on a cluster.
 * Hash tags: https://redis.io/docs/latest/operate/oss_and_stack/reference/cluster-spec/#hash-tags
 */
import fc from 'fast-check'
import type { Cluster, Redis } from 'ioredis'
import { expect, it } from 'vitest'
import { createRedisAuthorizerCache, createRedisResponseCache, createRedisStore } from '@gatehousejs/redis'
import { createMemoryStore, createQuota, createTokenBucket, type QuotaPeriod } from '@gatehousejs/throttle'
import { hashTag } from '../src/client'

/** What the suite runs against, read when each test starts (the server is started in `beforeAll`). */
export interface SuiteTarget {
  /** A ready client. */
  client: Redis | Cluster
  /** Another ready client to the same server (a second process's). */
  second: () => Promise<Redis | Cluster>
  /** CLUSTER KEYSLOT, on a cluster. */
  keyslot?: (key: string) => Promise<number>
}

let n = 0
const newPrefix = () => `gh-suite:${process.pid}:${++n}:`

export function storeSuite(target: () => SuiteTarget): void {
  it('property: token buckets decide like the in-memory store (caller clock)', async () => {
    const { client } = target()
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 0, max: 10 }),
        fc.array(fc.record({ dt: fc.integer({ min: 0, max: 3000 }), key: fc.integer({ min: 0, max: 3 }), n: fc.nat(4) }), {
          maxLength: 30,
        }),
        async (p, q, burst, steps) => {
          let t = 1_700_000_000_000
          const a = createTokenBucket({
            rate: p / q,
            burst,
            store: createRedisStore({ client, prefix: newPrefix(), clock: 'caller' }),
            now: () => t,
          })
          const b = createTokenBucket({ rate: p / q, burst, store: createMemoryStore(), now: () => t })
          for (const s of steps) {
            t += s.dt
            expect(await a.take(`k${s.key}`, s.n)).toEqual(b.take(`k${s.key}`, s.n))
          }
        },
      ),
      { numRuns: 15 },
    )
  })

  it('property: quotas admit exactly limit per period across boundaries, like the in-memory store', async () => {
    const { client } = target()
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<QuotaPeriod>('DAY', 'WEEK', 'MONTH'),
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.record({ dt: fc.integer({ min: 0, max: 10 * 86_400_000 }), n: fc.nat(2) }), { maxLength: 20 }),
        async (period, limit, steps) => {
          let t = Date.UTC(2024, 0, 31, 12)
          const a = createQuota({ limit, period, store: createRedisStore({ client, prefix: newPrefix(), clock: 'caller' }), now: () => t })
          const b = createQuota({ limit, period, now: () => t })
          for (const s of steps) {
            t += s.dt
            expect(await a.consume('k', s.n)).toEqual(b.consume('k', s.n))
          }
        },
      ),
      { numRuns: 15 },
    )
  })

  it('Redis TIME by default, bucket and quota keys expiring on their own', async () => {
    const { client } = target()
    const prefix = newPrefix()
    const store = createRedisStore({ client, prefix })
    const bucket = createTokenBucket({ rate: 1, burst: 2, store, name: 'b', now: () => 0 })
    expect((await bucket.take('k')).allowed).toBe(true)
    expect((await bucket.take('k')).allowed).toBe(true)
    expect((await bucket.take('k')).allowed).toBe(false)
    expect(await client.pttl(`${prefix}tb:b:k`)).toBeGreaterThan(0)
    const quota = createQuota({ limit: 1, period: 'DAY', store, name: 'q', now: () => 0 })
    expect((await quota.consume('k')).allowed).toBe(true)
    expect((await quota.consume('k')).allowed).toBe(false)
    expect(await client.pttl(`${prefix}q:q:k`)).toBeGreaterThan(0)
    expect(store.failures).toBe(0)
  })

  it('daily usage: the days of one key share a slot, so one MGET reads them', async () => {
    const { client, keyslot } = target()
    const prefix = newPrefix()
    const store = createRedisStore({ client, prefix, clock: 'caller', onError: (e) => expect.fail(String(e)) })
    const day = 20_000
    for (const key of ['key-1', '', '}odd{', 'a{b}c']) {
      await store.recordUsage(key, 1, day * 86_400_000 + 5)
      await store.recordUsage(key, 2, (day + 2) * 86_400_000)
      expect(await store.readUsage(key, day - 1, day + 2)).toEqual([0, 1, 0, 2])
    }
    expect(store.failures).toBe(0)
    if (!keyslot) return
    await fc.assert(
      fc.asyncProperty(fc.string(), fc.nat(30_000), async (key, d) => {
        const slots = new Set(await Promise.all([d, d + 1, d + 91].map((x) => keyslot(`${prefix}usage:${hashTag(key)}:${x}`))))
        expect(slots.size).toBe(1)
      }),
      { numRuns: 100 },
    )
  })

  it('stage cache: shared entries, deletes and flushes; every key of a namespace in one slot', async () => {
    const { client, second, keyslot } = target()
    const prefix = newPrefix()
    const one = createRedisResponseCache({ client, prefix, namespace: 'api:prod' })
    const two = createRedisResponseCache({ client: await second(), prefix, namespace: 'api:prod' })
    const other = createRedisResponseCache({ client, prefix, namespace: '' })
    expect(await one.set('GET /pets', { statusCode: 200, headers: { 'set-cookie': ['a=1', 'b=2'] }, body: '[1]' })).toBe(true)
    expect((await two.get('GET /pets'))?.headers).toEqual({ 'set-cookie': ['a=1', 'b=2'] })
    await other.set('GET /pets', { statusCode: 200, headers: {}, body: new Uint8Array([0, 255]) })
    await one.set('GET /a', { statusCode: 200, headers: {}, body: 'a' })
    expect(await two.delete('GET /a')).toBe(true)
    expect(await one.get('GET /a')).toBeUndefined()
    await two.flush()
    expect(await one.get('GET /pets')).toBeUndefined()
    expect([...((await other.get('GET /pets'))!.body as Uint8Array)]).toEqual([0, 255])
    expect(one.stats().failures + two.stats().failures + other.stats().failures).toBe(0)
    if (!keyslot) return
    // The generation counter and the entries of every generation hash to the namespace's slot.
    await fc.assert(
      fc.asyncProperty(fc.string(), fc.nat(1000), fc.string(), async (ns, gen, key) => {
        const base = `${prefix}cache:${hashTag(ns)}:`
        expect(await keyslot(`${base}e:${gen}:${key}`)).toBe(await keyslot(`${base}gen`))
      }),
      { numRuns: 100 },
    )
  })

  it('authorizer cache: entries shared between clients, with Redis expiry', async () => {
    const { client } = target()
    const prefix = newPrefix()
    const one = createRedisAuthorizerCache({ client, prefix })
    const two = createRedisAuthorizerCache({ client, prefix })
    await one.set('abc/prod/authorizers/a#token', '{"v":1}', 60_000)
    expect(await two.get('abc/prod/authorizers/a#token')).toBe('{"v":1}')
    expect(await two.get('abc/prod/authorizers/a#other')).toBeUndefined()
    expect(two.stats()).toEqual({ hits: 1, misses: 1, failures: 0 })
  })
}
