import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { createMemoryStore, createQuota, createTokenBucket, periodBounds, periodIndex, type QuotaPeriod } from '@gatehousejs/throttle'
import { createRedisStore } from '@gatehousejs/redis'
import { cleanUp, connectRedis, connectRedisReady, requireRedis, uniquePrefix } from '@gatehousejs/test-kit'

const available = await requireRedis('@gatehousejs/redis store tests')

const client = available ? await connectRedisReady() : connectRedis()

describe.skipIf(!available)('createRedisStore', () => {
  afterAll(async () => {
    await cleanUp(client)
    await client.quit()
  })

  it('property: bucket decisions equal the in-memory store on any schedule (caller clock)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 0, max: 10 }),
        fc.array(
          fc.record({ dt: fc.integer({ min: 0, max: 3000 }), key: fc.integer({ min: 0, max: 3 }), n: fc.integer({ min: 0, max: 4 }) }),
          {
            maxLength: 40,
          },
        ),
        async (p, q, burst, steps) => {
          let t = 1_700_000_000_000
          const redis = createRedisStore({ client, prefix: uniquePrefix(), clock: 'caller' })
          const a = createTokenBucket({ rate: p / q, burst, store: redis, now: () => t })
          const b = createTokenBucket({ rate: p / q, burst, store: createMemoryStore(), now: () => t })
          for (const s of steps) {
            t += s.dt
            const got = await a.take(`k${s.key}`, s.n)
            expect(got).toEqual(b.take(`k${s.key}`, s.n))
          }
        },
      ),
      { numRuns: 30 },
    )
  })

  it('property: quota periods computed in Lua match the library (DAY, WEEK, MONTH, any week start)', async () => {
    const redis = createRedisStore({ client, prefix: uniquePrefix(), clock: 'caller' })
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<QuotaPeriod>('DAY', 'WEEK', 'MONTH'),
        fc.integer({ min: Date.UTC(1971, 0, 1), max: Date.UTC(2200, 0, 1) }),
        fc.integer({ min: 0, max: 6 }),
        async (period, t, ws) => {
          const quota = createQuota({ limit: 5, offset: 2, period, weekStartsOn: ws, startedAt: t, store: redis, now: () => t })
          const r = await quota.consume('k', 0)
          expect(r.resetAt).toBe(periodBounds(period, periodIndex(period, t, ws), ws)[1])
          expect(r.limit).toBe(3)
        },
      ),
      { numRuns: 200 },
    )
  })

  it('property: quotas admit exactly limit per period across boundaries, like the memory store', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<QuotaPeriod>('DAY', 'WEEK', 'MONTH'),
        fc.integer({ min: 1, max: 5 }),
        fc.nat(4),
        fc.array(fc.record({ dt: fc.integer({ min: 0, max: 10 * 86_400_000 }), n: fc.integer({ min: 0, max: 2 }) }), { maxLength: 30 }),
        async (period, limit, off, steps) => {
          let t = Date.UTC(2024, 0, 31, 12)
          const offset = off % limit
          const a = createQuota({
            limit,
            offset,
            period,
            store: createRedisStore({ client, prefix: uniquePrefix(), clock: 'caller' }),
            now: () => t,
          })
          const b = createQuota({ limit, offset, period, now: () => t })
          for (const s of steps) {
            t += s.dt
            expect(await a.consume('k', s.n)).toEqual(b.consume('k', s.n))
          }
        },
      ),
      { numRuns: 30 },
    )
  })

  it('uses Redis TIME by default, and keys expire on their own', async () => {
    const prefix = uniquePrefix()
    const store = createRedisStore({ client, prefix })
    const bucket = createTokenBucket({ rate: 1, burst: 2, store, name: 'b', now: () => 0 })
    expect((await bucket.take('k')).allowed).toBe(true)
    expect((await bucket.take('k')).allowed).toBe(true)
    const refused = await bucket.take('k')
    expect(refused.allowed).toBe(false)
    expect(refused.retryAfterMs).toBeGreaterThan(0)
    expect(refused.retryAfterMs).toBeLessThanOrEqual(1000)
    const ttl = await client.pttl(`${prefix}tb:b:k`)
    expect(ttl).toBeGreaterThan(0)
    expect(ttl).toBeLessThanOrEqual(2000 + 1000)
    // A take of 0 on a new key leaves nothing behind: a full bucket is no state.
    await bucket.take('fresh', 0)
    expect(await client.exists(`${prefix}tb:b:fresh`)).toBe(0)
    const quota = createQuota({ limit: 1, period: 'DAY', store, name: 'q', now: () => 0 })
    expect((await quota.consume('k')).allowed).toBe(true)
    expect((await quota.consume('k')).allowed).toBe(false)
    const qttl = await client.pttl(`${prefix}q:q:k`)
    expect(qttl).toBeGreaterThan(0)
    expect(qttl).toBeLessThanOrEqual(86_400_000 + 60_000)
  })

  it('fails open or closed as configured when Redis is unreachable, counting every failure', async () => {
    const dead = connectRedis(1) // nothing listens on port 1
    const errors: unknown[] = []
    const open = createRedisStore({ client: dead, failure: 'open', onError: (e) => errors.push(e) })
    const closed = createRedisStore({ client: dead, failure: 'closed' })
    const bucketOpen = createTokenBucket({ rate: 1, burst: 1, store: open })
    const bucketClosed = createTokenBucket({ rate: 1, burst: 1, store: closed })
    for (let i = 0; i < 3; i++) {
      expect(await bucketOpen.take('k')).toMatchObject({ allowed: true, unavailable: true })
      expect(await bucketClosed.take('k')).toMatchObject({ allowed: false, unavailable: true })
    }
    const quotaClosed = createQuota({ limit: 5, period: 'DAY', store: closed })
    expect(await quotaClosed.consume('k')).toMatchObject({ allowed: false, unavailable: true })
    expect(open.failures).toBe(3)
    expect(closed.failures).toBe(4)
    expect(errors).toHaveLength(3)
    dead.disconnect()
  })

  it('records daily usage per key with an expiry, and reads ranges', async () => {
    const prefix = uniquePrefix()
    const store = createRedisStore({ client, prefix, clock: 'caller' })
    const day = 20_000
    await store.recordUsage('key-1', 1, day * 86_400_000 + 5)
    await store.recordUsage('key-1', 2, day * 86_400_000 + 86_399_999)
    await store.recordUsage('key-1', 1, (day + 2) * 86_400_000)
    expect(await store.readUsage('key-1', day - 1, day + 2)).toEqual([0, 3, 0, 1])
    expect(await store.readUsage('key-1', day, day - 1)).toEqual([])
    const ttl = await client.pttl(`${prefix}usage:{key-1}:${day}`)
    expect(ttl).toBeGreaterThan(91 * 86_400_000)
  })

  it('a timeout counts as a failure', async () => {
    const never = { evalsha: () => new Promise<unknown>(() => {}), eval: () => new Promise<unknown>(() => {}) }
    const store = createRedisStore({ client: never, failure: 'closed', timeoutMs: 20 })
    const r = await createTokenBucket({ rate: 1, burst: 1, store }).take('k')
    expect(r).toMatchObject({ allowed: false, unavailable: true })
    expect(store.failures).toBe(1)
  })
})
