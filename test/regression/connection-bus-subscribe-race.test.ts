/**
 * Found by packages/websocket/test/multiprocess.test.ts under load: a process wrote its connections' records to Redis
 * before its SUBSCRIBE had completed. Another process that found such a record published to a channel nobody
 * listened on yet, took the connection for gone (410) and deleted its record; and as the record was written after
 * the handshake, a client could see its connection open before other processes could reach it. A member now writes
 * a record only once it listens (a connection closed before that is never written), and the API completes the
 * handshake only once `opened` has resolved.
 */
import { EventEmitter } from 'node:events'
import { createRedisConnectionBus } from '@gatehousejs/redis'
import { describe, expect, it } from 'vitest'

function fakes() {
  const keys = new Map<string, string>()
  let release!: () => void
  const listening = new Promise<number>((resolve) => {
    release = () => resolve(1)
  })
  const client = {
    keys,
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
    async publish() {
      return 1
    },
  }
  const subscriber = Object.assign(new EventEmitter(), {
    subscribe: () => listening,
    async unsubscribe() {
      return 0
    },
  })
  return { client, subscriber, keys, release }
}

const local = { post: () => 'sent' as const, get: () => undefined, delete: () => 'gone' as const }
const record = { connectedAt: 1, lastActiveAt: 1, identity: { sourceIp: '1.2.3.4', userAgent: null } }
const settle = () => new Promise((resolve) => setTimeout(resolve, 5))

describe('connection bus: records only once the member listens', () => {
  it('a connection opened before SUBSCRIBE completes is written after it, not before', async () => {
    const { client, subscriber, keys, release } = fakes()
    const member = createRedisConnectionBus({ client, subscriber, prefix: 'p:' }).join(local, () => undefined)
    const written = member.opened('early', record)
    void member.opened('closed-early', record)
    member.closed('closed-early')
    await settle()
    expect([...keys.keys()]).toEqual([])
    release()
    await written
    expect([...keys.keys()]).toEqual(['p:c:early'])
    expect(JSON.parse(keys.get('p:c:early')!)).toMatchObject({ c: 1, ip: '1.2.3.4' })
    await member.close()
  })
})
