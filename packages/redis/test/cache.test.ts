import { afterAll, describe, expect, it } from 'vitest'
import { randomBytes } from 'node:crypto'
import { createEncryptedCache } from '@gatehousejs/cache'
import { createRedisResponseCache } from '@gatehousejs/redis'
import { cleanUp, connectRedis, connectRedisReady, requireRedis, uniquePrefix } from '@gatehousejs/test-kit'

const available = await requireRedis('@gatehousejs/redis cache tests')

const a = available ? await connectRedisReady() : connectRedis()
const b = available ? await connectRedisReady() : connectRedis()

describe.skipIf(!available)('createRedisResponseCache', () => {
  afterAll(async () => {
    await cleanUp(a)
    await a.quit()
    await b.quit()
  })

  it('two gateways (two clients) share entries, deletions and flushes', async () => {
    const prefix = uniquePrefix()
    const one = createRedisResponseCache({ client: a, prefix, namespace: 'api:prod' })
    const two = createRedisResponseCache({ client: b, prefix, namespace: 'api:prod' })
    const other = createRedisResponseCache({ client: b, prefix, namespace: 'api:beta' })
    expect(await two.get('GET /pets')).toBeUndefined()
    expect(
      await one.set('GET /pets', {
        statusCode: 200,
        headers: { 'content-type': 'application/json', 'set-cookie': ['a=1', 'b=2'] },
        body: '[1]',
      }),
    ).toBe(true)
    const hit = await two.get('GET /pets')
    expect(hit).toEqual({ statusCode: 200, headers: { 'content-type': 'application/json', 'set-cookie': ['a=1', 'b=2'] }, body: '[1]' })
    expect(Object.isFrozen(hit)).toBe(true)
    expect(await other.get('GET /pets')).toBeUndefined()
    expect(two.stats()).toMatchObject({ hits: 1, misses: 1, failures: 0 })
    await one.set('GET /a', { statusCode: 200, headers: {}, body: 'a' })
    expect(await two.delete('GET /a')).toBe(true)
    expect(await one.get('GET /a')).toBeUndefined()
    await other.set('GET /pets', { statusCode: 200, headers: {}, body: 'beta' })
    await two.flush()
    expect(await one.get('GET /pets')).toBeUndefined()
    expect((await other.get('GET /pets'))?.body).toBe('beta')
  })

  it('keeps the TTL in Redis and round-trips binary bodies', async () => {
    const prefix = uniquePrefix()
    const cache = createRedisResponseCache({ client: a, prefix, ttlSeconds: 30 })
    const body = new Uint8Array([0, 255, 1, 128])
    await cache.set('bin', { statusCode: 201, headers: {}, body })
    const got = await cache.get('bin')
    expect(got?.body).toBeInstanceOf(Uint8Array)
    expect([...(got!.body as Uint8Array)]).toEqual([0, 255, 1, 128])
    const keys = await a.keys(`${prefix}*e:*bin`)
    expect(keys).toHaveLength(1)
    const ttl = await a.pttl(keys[0]!)
    expect(ttl).toBeGreaterThan(25_000)
    expect(ttl).toBeLessThanOrEqual(30_000)
    await cache.set('short', { statusCode: 200, headers: {}, body: 'x' }, 0.05)
    await new Promise((r) => setTimeout(r, 120))
    // Expiry is Redis's own: an expired entry is never served.
    expect(await cache.get('short')).toBeUndefined()
  })

  it('refuses oversized entries and TTL 0, dropping any older entry', async () => {
    const cache = createRedisResponseCache({ client: a, prefix: uniquePrefix(), maxEntryBytes: 100 })
    expect(await cache.set('k', { statusCode: 200, headers: {}, body: 'small' })).toBe(true)
    expect(await cache.set('k', { statusCode: 200, headers: {}, body: 'x'.repeat(200) })).toBe(false)
    expect(await cache.get('k')).toBeUndefined()
    await cache.set('k', { statusCode: 200, headers: {}, body: 'small' })
    expect(await cache.set('k', { statusCode: 200, headers: {}, body: 'small' }, 0)).toBe(false)
    expect(await cache.get('k')).toBeUndefined()
  })

  it('encrypted entries round-trip through Redis and are unreadable at rest', async () => {
    const prefix = uniquePrefix()
    const key = randomBytes(32)
    const one = createEncryptedCache(createRedisResponseCache({ client: a, prefix }), key)
    const two = createEncryptedCache(createRedisResponseCache({ client: b, prefix }), key)
    await one.set('GET /me', { statusCode: 200, headers: { 'x-user': 'alice' }, body: 'private' })
    expect(await two.get('GET /me')).toEqual({ statusCode: 200, headers: { 'x-user': 'alice' }, body: 'private' })
    const raw = await a.get((await a.keys(`${prefix}*e:*:GET /me`))[0]!)
    expect(raw).not.toContain('private')
    expect(raw).not.toContain('alice')
  })

  it('a Redis failure is a miss, never an exception', async () => {
    const dead = connectRedis(1)
    const cache = createRedisResponseCache({ client: dead })
    expect(await cache.get('k')).toBeUndefined()
    expect(await cache.set('k', { statusCode: 200, headers: {}, body: 'x' })).toBe(false)
    await cache.flush()
    expect(cache.stats()).toMatchObject({ misses: 1, failures: 3 })
    dead.disconnect()
  })
})
