// The usage-plan registry shared through Redis: two registries (as two processes would hold them) on one real
// redis-server; what one creates, enables, disables or deletes applies in the other, a notice missed while
// disconnected is caught up by the reload on reconnect, and hostile hashes and notices reach onError only.
// API keys and usage plans: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html
// Default quotas (10,000 API keys, 300 usage plans per Region): https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html
import { afterAll, describe, expect, it } from 'vitest'
import { createGateway, createUsagePlanRegistry, type UsagePlanRegistry } from '@gatehousejs/core'
import { createRedisRegistrySync, type RedisRegistrySync } from '@gatehousejs/redis'
import { connectRedis, connectRedisReady, requireRedis, uniquePrefix } from '@gatehousejs/test-kit'
import type { Redis } from 'ioredis'

const available = await requireRedis('@gatehousejs/redis registry sync tests')
const prefix = uniquePrefix()
const opened: { sync: RedisRegistrySync; client: Redis }[] = []
let admin: Redis | undefined

afterAll(async () => {
  for (const { sync, client } of opened) {
    sync.close()
    client.disconnect()
  }
  if (admin) {
    const keys = await admin.keys(`${prefix}*`)
    if (keys.length > 0) await admin.del(...keys)
    admin.disconnect()
  }
})

const K1 = 'alice-key-0123456789abcdef'
const K2 = 'bob-key-0123456789abcdefgh'
const mock = { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode":200}' }, responses: { default: { statusCode: '200' } } }
const api = { resources: { '/keyed': { GET: { apiKeyRequired: true, integration: mock } } } }

async function node(namespace: string, seed = true, errors: Error[] = [], subscriberName?: string) {
  const client = await connectRedisReady()
  // A named subscriber of our own, so the reconnect test can kill exactly it (other tests share the server).
  const subscriber = subscriberName ? connectRedis(undefined, { connectionName: subscriberName }) : undefined
  const sync = createRedisRegistrySync({
    client,
    prefix,
    namespace,
    onError: (e) => errors.push(e),
    retryMs: 50,
    ...(subscriber ? { subscriber } : {}),
  })
  opened.push({ sync, client })
  if (subscriber) opened.push({ sync, client: subscriber })
  const registry = createUsagePlanRegistry({
    namespace,
    sync,
    ...(seed
      ? {
          apiKeys: [{ id: 'k1', value: K1 }],
          usagePlans: [{ id: 'gold', apiStages: [{ stage: 'prod' }], keys: ['k1'] }],
        }
      : {}),
  })
  await sync.ready()
  const gw = createGateway({ api, usagePlans: registry })
  const call = async (key: string) => (await gw.handle({ method: 'GET', path: '/keyed', headers: { 'x-api-key': key } })).statusCode
  return { registry, sync, call, errors, client }
}

/** Waits (bounded) for a condition another process's change makes true. */
async function until(cond: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await cond()) return
    await new Promise((r) => setTimeout(r, 10))
  }
  throw new Error(`never: ${what}`)
}

const keyIds = (r: UsagePlanRegistry) =>
  r
    .getApiKeys()
    .map((k) => k.id)
    .sort()

describe.skipIf(!available)('createRedisRegistrySync', () => {
  it('keys and plans created, disabled, enabled and deleted in one registry apply in the other', async () => {
    const a = await node('ns1')
    const b = await node('ns1')
    expect(await b.call(K1)).toBe(200)

    a.registry.createApiKey({ id: 'k2', value: K2, name: 'bob' })
    a.registry.createUsagePlanKey('gold', 'k2')
    await until(() => b.registry.getUsagePlan('gold')?.keys.includes('k2') === true, 'k2 in gold on b')
    expect(b.registry.getApiKey('k2')).toMatchObject({ id: 'k2', name: 'bob', enabled: true, value: K2 })
    expect(await b.call(K2)).toBe(200)

    a.registry.disableApiKey('k2')
    await until(async () => (await b.call(K2)) === 403, 'k2 refused on b')
    b.registry.enableApiKey('k2')
    await until(async () => (await a.call(K2)) === 200, 'k2 admitted on a again')

    b.registry.createUsagePlan({ id: 'silver', throttle: { rateLimit: 5, burstLimit: 10 }, apiStages: [{ stage: 'beta' }] })
    await until(() => a.registry.getUsagePlan('silver') !== undefined, 'silver on a')
    expect(a.registry.getUsagePlan('silver')?.throttle).toEqual({ rateLimit: 5, burstLimit: 10 })

    a.registry.deleteApiKey('k2')
    a.registry.deleteUsagePlan('silver')
    await until(() => b.registry.getApiKey('k2') === undefined && b.registry.getUsagePlan('silver') === undefined, 'deletes on b')
    expect(b.registry.getUsagePlan('gold')?.keys).toEqual(['k1'])
    expect(await b.call(K2)).toBe(403)
    expect([...a.errors, ...b.errors]).toEqual([])
    expect(b.sync.stats().applied).toBeGreaterThan(0)
  })

  it('a process started later loads the shared state; a seed deleted at run time is not created again', async () => {
    const a = await node('ns2')
    a.registry.deleteApiKey('k1')
    a.registry.createApiKey({ id: 'k3', value: 'carol-key-0123456789abcd' })
    await a.sync.flush()
    // Seeded with k1 again, as every process of a deployment is: Redis remembers the deletion.
    const c = await node('ns2')
    expect(keyIds(c.registry)).toEqual(['k3'])
    expect(await c.call(K1)).toBe(403)
    // And a process without seeds gets everything.
    const d = await node('ns2', false)
    expect(keyIds(d.registry)).toEqual(['k3'])
    expect(d.registry.getUsagePlan('gold')?.keys).toEqual([])
  })

  it('reloads everything when its subscriber reconnects (a notice missed while away is not a change missed)', async () => {
    admin ??= await connectRedisReady()
    const name = `gh-test-sub-${process.pid}-${Math.random().toString(36).slice(2)}`
    const b = await node('ns3', true, [], name)
    const before = b.sync.stats().reloads
    // A change written without a notice, as one made while b was disconnected would look to b.
    const record = { id: 'k9', name: 'late', value: 'late-key-0123456789abcdefg', enabled: true, createdDate: 1 }
    await admin.hset(`${prefix}registry:{ns3}:keys`, 'k9', JSON.stringify(record))
    expect(b.registry.getApiKey('k9')).toBeUndefined()
    // Kill b's subscriber connection on the server side: ioredis reconnects, the sync reloads.
    const list = (await admin.client('LIST')) as string
    const ids = list
      .split('\n')
      .filter((l) => l.includes(` name=${name} `))
      .map((l) => /id=(\d+)/.exec(l)?.[1])
    expect(ids.length).toBe(1)
    for (const id of ids) await admin.client('KILL', 'ID', id!)
    await until(() => b.registry.getApiKey('k9') !== undefined, 'k9 after reconnect')
    expect(b.sync.stats().reloads).toBeGreaterThan(before)
  })

  it('hostile records and notices reach onError; the valid records still load and nothing throws', async () => {
    admin ??= await connectRedisReady()
    const h = `${prefix}registry:{ns4}:`
    const good = { id: 'ok', name: 'ok', value: 'fine-key-0123456789abcdefgh', enabled: true, createdDate: 0 }
    await admin.hset(`${h}keys`, {
      ok: JSON.stringify(good),
      notjson: '{"id":',
      other: JSON.stringify({ ...good, id: 'someone-else' }),
      short: JSON.stringify({ ...good, id: 'short', value: 'x' }),
      enabled: JSON.stringify({ ...good, id: 'enabled', value: 'other-key-0123456789abcdef', enabled: 'yes' }),
      big: JSON.stringify({ ...good, id: 'big', description: 'x'.repeat(2_000_000) }),
      proto: '{"__proto__":{"id":"proto"},"id":"proto"}',
      nums: '[1,2,3]',
    })
    await admin.hset(`${h}plans`, {
      p1: JSON.stringify({ id: 'p1', name: 'p1', apiStages: 'prod', keys: [], createdDate: 0 }),
      p2: JSON.stringify({ id: 'p2', name: 'p2', apiStages: [{ stage: 'prod' }], keys: ['../x'], createdDate: 0 }),
      p3: JSON.stringify({ id: 'p3', name: 'p3', throttle: { rateLimit: -1, burstLimit: 1 }, createdDate: 0 }),
      p4: JSON.stringify({ id: 'p4', name: 'p4', quota: { limit: 'many', period: 'DAY' }, createdDate: 0 }),
      p5: JSON.stringify({ id: 'p5', name: 'p5', apiStages: [{ stage: 'prod', throttle: [1] }], createdDate: 'x' }),
      good: JSON.stringify({ id: 'good', name: 'g', apiStages: [{ stage: 'prod' }], keys: ['ok'], createdDate: 0 }),
    })
    const errors: Error[] = []
    const n = await node('ns4', false, errors)
    expect(keyIds(n.registry)).toEqual(['ok'])
    expect(n.registry.getUsagePlans().map((p) => p.id)).toEqual(['good'])
    expect(await n.call(good.value)).toBe(200)
    expect(errors.length).toBe(7 + 5)
    for (const e of errors) expect(e).toBeInstanceOf(Error)

    // Notices: garbage, oversized, unknown types and ids; then a real one naming a malformed record.
    const channel = `${prefix}registry:ns4`
    for (const m of ['', 'null', '{}', '[]', 'x'.repeat(10_000), '{"t":"k","id":"../../x"}', '{"t":"z","id":"ok"}', '{"t":"k"}']) {
      await admin.publish(channel, m)
    }
    await admin.hset(`${h}keys`, 'ok', '{"id":"ok"}')
    await admin.publish(channel, '{"o":"elsewhere","t":"k","id":"ok"}')
    await until(() => n.sync.stats().rejected >= 12 + 9, 'notices refused')
    // The malformed update was refused: the key it named is kept as it was.
    expect(n.registry.getApiKey('ok')?.value).toBe(good.value)
    expect(await n.call(good.value)).toBe(200)
  })

  it('too many records in Redis are refused as a whole, reported, and the registry keeps what it had', async () => {
    admin ??= await connectRedisReady()
    const h = `${prefix}registry:{ns5}:keys`
    const many: Record<string, string> = {}
    for (let i = 0; i < 20; i++)
      many[`k${i}`] = JSON.stringify({ id: `k${i}`, name: 'n', value: `value-${i}-0123456789abcdefgh`, enabled: true, createdDate: 0 })
    await admin.hset(h, many)
    const errors: Error[] = []
    const client = connectRedis()
    await new Promise((r) => client.once('ready', r))
    const sync = createRedisRegistrySync({
      client,
      prefix,
      namespace: 'ns5',
      maxApiKeys: 10,
      retryMs: 10_000,
      onError: (e) => errors.push(e),
    })
    opened.push({ sync, client })
    const registry = createUsagePlanRegistry({ namespace: 'ns5', sync, apiKeys: [{ id: 'mine', value: K1 }] })
    await until(() => errors.length > 0, 'the refusal reported')
    expect(errors[0]?.message).toMatch(/too many records/)
    expect(keyIds(registry)).toEqual(['mine'])
    expect(sync.stats().failures).toBeGreaterThan(0)
  })
})
