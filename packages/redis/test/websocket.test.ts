/**
 * `createRedisConnectionBus`: the bus `@gatehousejs/websocket` uses to reach connections other processes hold.
 * With in-memory fakes of the two clients: everything arriving on the bus's channel or read from a connection's key
 * is hostile (fuzzed: never a throw, only validated calls reach the connections, failures reach `onError`), the wait
 * for a holder's answer is bounded, and so is the number of waits. On the real Redis: two members reach each
 * other's connections, keys carry their TTL, and a key whose holder no longer listens is 410 and deleted.
 */
import { EventEmitter } from 'node:events'
import { createRedisConnectionBus } from '@gatehousejs/redis'
import { cleanUp, connectRedisReady, fuzzParams, requireRedis, uniquePrefix } from '@gatehousejs/test-kit'
import fc from 'fast-check'
import type { Redis } from 'ioredis'
import { afterAll, describe, expect, it } from 'vitest'

type Local = Parameters<ReturnType<typeof createRedisConnectionBus>['join']>[0]

function fakeRedis(publish: (channel: string, message: string) => number = () => 1) {
  const keys = new Map<string, string>()
  const published: [string, string][] = []
  const client = {
    keys,
    published,
    async set(key: string, value: string) {
      keys.set(key, value)
      return 'OK'
    },
    async get(key: string) {
      return keys.get(key) ?? null
    },
    async del(key: string) {
      return keys.delete(key) ? 1 : 0
    },
    async publish(channel: string, message: string) {
      published.push([channel, message])
      return publish(channel, message)
    },
  }
  const subscriber = Object.assign(new EventEmitter(), {
    channels: [] as string[],
    async subscribe(channel: string) {
      subscriber.channels.push(channel)
      return 1
    },
    async unsubscribe() {
      return 0
    },
  })
  return { client, subscriber }
}

function recordingLocal() {
  const calls: [string, string, unknown][] = []
  const local: Local = {
    post(id, data) {
      calls.push(['post', id, data])
      return 'sent'
    },
    get(id) {
      calls.push(['get', id, undefined])
      return undefined
    },
    delete(id) {
      calls.push(['delete', id, undefined])
      return 'gone'
    },
  }
  return { calls, local }
}

const tick = () => new Promise((r) => setImmediate(r))

describe('createRedisConnectionBus, hostile input (fakes)', () => {
  it('anything published on its channel never throws; only well-formed requests reach the connections', async () => {
    const { client, subscriber } = fakeRedis()
    const errors: unknown[] = []
    const { calls, local } = recordingLocal()
    const member = createRedisConnectionBus({ client, subscriber, prefix: 'p:', maxMessageBytes: 1024 }).join(local, (e) => errors.push(e))
    await tick()
    const channel = subscriber.channels[0]!
    const id = fc.string({ maxLength: 70 })
    const envelope = fc.record(
      {
        t: fc.oneof(fc.constantFrom('req', 'res'), fc.anything()),
        id: fc.oneof(id, fc.anything()),
        from: fc.oneof(id, fc.anything()),
        op: fc.oneof(fc.constantFrom('post', 'get', 'delete', 'other'), fc.anything()),
        c: fc.oneof(fc.string({ maxLength: 300 }), fc.anything()),
        d: fc.oneof(fc.string({ maxLength: 2000 }), fc.anything()),
        b: fc.oneof(fc.boolean(), fc.anything()),
        r: fc.oneof(fc.constantFrom('sent', 'gone', 'ok', 'deleted'), fc.anything()),
        rec: fc.anything(),
      },
      { requiredKeys: [] },
    )
    const message = fc.oneof(
      fc.string({ maxLength: 3000 }),
      envelope.map((e) => JSON.stringify(e) ?? 'null'),
      fc.json(),
    )
    fc.assert(
      fc.property(message, (text) => {
        const before = calls.length
        subscriber.emit('message', channel, text)
        subscriber.emit('message', 'p:n:someone-else', text) // another member's channel: ignored
        for (const [op, cid, data] of calls.slice(before)) {
          expect(['post', 'get', 'delete']).toContain(op)
          expect(typeof cid === 'string' && cid.length > 0 && cid.length <= 256).toBe(true)
          if (op === 'post') expect(typeof data === 'string' || data instanceof Uint8Array).toBe(true)
        }
      }),
      fuzzParams(500),
    )
    // Replies go only to a channel of a well-formed member id under the prefix.
    for (const [to] of client.published) expect(to).toMatch(/^p:n:[A-Za-z0-9_-]{1,64}$/)
    expect(errors.length).toBeGreaterThan(0)
    expect(errors.every((e) => e instanceof Error)).toBe(true)
    await member.close()
  })

  it('an envelope over the size bound is dropped unread; a well-formed request is answered', async () => {
    const { client, subscriber } = fakeRedis()
    const errors: unknown[] = []
    const { calls, local } = recordingLocal()
    const member = createRedisConnectionBus({ client, subscriber, prefix: 'p:', maxMessageBytes: 100 }).join(local, (e) => errors.push(e))
    await tick()
    const channel = subscriber.channels[0]!
    const big = JSON.stringify({ t: 'req', id: 'r1', from: 'asker', op: 'post', c: 'conn', d: 'x'.repeat(5000), b: false })
    subscriber.emit('message', channel, big)
    expect(calls).toEqual([])
    expect(String(errors[0])).toMatch(/malformed message dropped/)
    subscriber.emit('message', channel, JSON.stringify({ t: 'req', id: 'r2', from: 'asker', op: 'post', c: 'conn', d: 'aGk=', b: true }))
    expect(calls).toEqual([['post', 'conn', new Uint8Array([104, 105])]])
    await tick()
    expect(client.published.at(-1)).toEqual(['p:n:asker', JSON.stringify({ t: 'res', id: 'r2', r: 'sent' })])
    await member.close()
  })

  it('an unreadable key is 410 (and reported); a holder that does not answer fails the call after timeoutMs', async () => {
    const { client, subscriber } = fakeRedis(() => 1) // someone listens, nobody answers
    const errors: unknown[] = []
    const { local } = recordingLocal()
    const member = createRedisConnectionBus({ client, subscriber, prefix: 'p:', timeoutMs: 20, maxPending: 2 }).join(local, (e) =>
      errors.push(e),
    )
    client.keys.set('p:c:junk', '{"o": "../../etc", "c": 1}')
    expect(await member.post('junk', 'x')).toBe('gone')
    client.keys.set('p:c:huge', `{"o":"${'a'.repeat(100_000)}"}`)
    expect(await member.get('huge')).toBeUndefined()
    expect(errors.map(String).join('\n')).toMatch(/unreadable record/)
    client.keys.set('p:c:held', JSON.stringify({ o: 'silent', c: 1, l: 1, ip: '1.2.3.4', ua: null }))
    const slow = [member.post('held', 'a'), member.delete('held')]
    // A third wait beyond maxPending is refused at once rather than queued.
    await tick()
    await tick()
    await expect(member.get('held')).rejects.toThrow(/already await an answer/)
    for (const p of slow) await expect(p).rejects.toThrow(/did not answer within 20 ms/)
    // Ids over 256 characters never reach Redis.
    expect(await member.post('x'.repeat(300), 'a')).toBe('gone')
    await member.close()
  })

  it('a publish nobody receives means the holder is gone: 410, and its key is deleted', async () => {
    const { client, subscriber } = fakeRedis(() => 0)
    const { local } = recordingLocal()
    const member = createRedisConnectionBus({ client, subscriber, prefix: 'p:' }).join(local, () => undefined)
    client.keys.set('p:c:orphan', JSON.stringify({ o: 'dead', c: 1, l: 1, ip: '1.2.3.4', ua: null }))
    expect(await member.delete('orphan')).toBe('gone')
    await tick()
    expect(client.keys.has('p:c:orphan')).toBe(false)
    await member.close()
  })

  it('refuses bad options', () => {
    const { client, subscriber } = fakeRedis()
    expect(() => createRedisConnectionBus({ client, subscriber, ttlMs: 0 })).toThrow(TypeError)
    expect(() => createRedisConnectionBus({ client, subscriber, timeoutMs: Number.NaN })).toThrow(TypeError)
    expect(() => createRedisConnectionBus({ client: null as never, subscriber })).toThrow(TypeError)
  })
})

const available = await requireRedis('@gatehousejs/redis connection bus tests')
const clients: Redis[] = []
const ready = async () => {
  const c = await connectRedisReady()
  clients.push(c)
  return c
}

describe.skipIf(!available)('createRedisConnectionBus on Redis', () => {
  afterAll(async () => {
    if (clients[0]) await cleanUp(clients[0])
    for (const c of clients) c.disconnect()
  })

  it('two members reach each other’s connections; keys carry the TTL and go when the connection closes', async () => {
    const prefix = uniquePrefix()
    const errors: unknown[] = []
    const options = { prefix, ttlMs: 30_000, timeoutMs: 5000 }
    const a = createRedisConnectionBus({ client: await ready(), subscriber: await ready(), ...options })
    const b = createRedisConnectionBus({ client: await ready(), subscriber: await ready(), ...options })
    const got: unknown[] = []
    const record = { connectedAt: 1000, lastActiveAt: 2000, identity: { sourceIp: '10.0.0.1', userAgent: 'ua' } }
    const open = new Set(['conn-b'])
    const memberA = a.join(recordingLocal().local, (e) => errors.push(e))
    const memberB = b.join(
      {
        post: (id, data) => (open.has(id) ? (got.push(data), 'sent') : 'gone'),
        get: (id) => (open.has(id) ? record : undefined),
        delete: (id) => (open.delete(id) ? 'deleted' : 'gone'),
      },
      (e) => errors.push(e),
    )
    await memberB.opened('conn-b', record)
    const redis = await ready()
    for (let i = 0; i < 100 && (await redis.exists(`${prefix}c:conn-b`)) === 0; i++) await tick()
    const ttl = await redis.pttl(`${prefix}c:conn-b`)
    expect(ttl).toBeGreaterThan(0)
    expect(ttl).toBeLessThanOrEqual(30_000)

    expect(await memberA.post('conn-b', 'text')).toBe('sent')
    expect(await memberA.post('conn-b', new Uint8Array([0, 255]))).toBe('sent')
    expect(got).toEqual(['text', new Uint8Array([0, 255])])
    expect(await memberA.get('conn-b')).toEqual(record)
    expect(await memberA.delete('conn-b')).toBe('deleted')
    expect(await memberA.delete('conn-b')).toBe('gone')
    memberB.closed('conn-b')
    for (let i = 0; i < 100 && (await redis.exists(`${prefix}c:conn-b`)) === 1; i++) await tick()
    expect(await memberA.post('conn-b', 'late')).toBe('gone')
    expect(await memberA.get('never-seen')).toBeUndefined()

    // A key left by a process that died (nobody on its channel) is 410 and removed.
    await redis.set(`${prefix}c:orphan`, JSON.stringify({ o: 'deadnode', c: 1, l: 1, ip: '1.1.1.1', ua: null }))
    expect(await memberA.post('orphan', 'x')).toBe('gone')
    for (let i = 0; i < 100 && (await redis.exists(`${prefix}c:orphan`)) === 1; i++) await tick()
    expect(await redis.exists(`${prefix}c:orphan`)).toBe(0)

    await memberA.close()
    await memberB.close()
    expect(errors).toEqual([])
  })

  it('the holder rewrites its connections’ keys every refreshMs, with their lastActiveAt', async () => {
    const prefix = uniquePrefix()
    const bus = createRedisConnectionBus({ client: await ready(), subscriber: await ready(), prefix, ttlMs: 60_000, refreshMs: 10 })
    let lastActiveAt = 1
    const member = bus.join(
      {
        post: () => 'gone',
        get: () => ({ connectedAt: 1, lastActiveAt: ++lastActiveAt, identity: { sourceIp: '::1', userAgent: null } }),
        delete: () => 'gone',
      },
      () => undefined,
    )
    await member.opened('conn', { connectedAt: 1, lastActiveAt: 1, identity: { sourceIp: '::1', userAgent: null } })
    const redis = await ready()
    let seen: { l?: number; o?: string } = {}
    for (let i = 0; i < 500 && !((seen.l ?? 0) > 2); i++) {
      seen = JSON.parse((await redis.get(`${prefix}c:conn`)) ?? '{}')
      await new Promise((r) => setTimeout(r, 5))
    }
    expect(seen.l).toBeGreaterThan(2)
    expect(seen.o).toMatch(/^[A-Za-z0-9_-]+$/)
    await member.close()
    expect(await redis.exists(`${prefix}c:conn`)).toBe(0)
  })
})
