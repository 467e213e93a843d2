/**
 * Two gateways (as two processes would) sharing one stage cache on a real redis-server through
 * `@gatehousejs/redis`: one fills the cache, the other hits it; a flush from either empties it for both;
 * `Cache-Control: max-age=0` from one replaces the entry the other reads; TTL lives in Redis.
 * Fails under CI when Redis is unreachable at 127.0.0.1:$GATEHOUSE_REDIS_PORT (default 6391), skips otherwise.
 */
import { describe, expect, it } from 'vitest'
import { createRedisResponseCache } from '@gatehousejs/redis'
import { createGateway, type StageDefinition } from '@gatehousejs/core'
import { json, req } from './helpers'
import { useRedis } from '@gatehousejs/test-kit'

const { available, prefix, client, clients } = await useRedis('core stage-cache Redis tests')

const paths = {
  '/pets': {
    get: {
      'x-amazon-apigateway-integration': {
        type: 'aws_proxy',
        httpMethod: 'POST',
        uri: 'pets',
        cacheKeyParameters: ['method.request.querystring.type'],
      },
    },
  },
}
const STAGE_WIDE = '*' + '/*'

/** One "process": its own Redis connection, backend counter and gateway, on the shared namespace. */
async function processOn(namespace: string, stage: Partial<StageDefinition> = {}) {
  let calls = 0
  const pets = async (event: any) => ({
    statusCode: 200,
    body: JSON.stringify({ call: ++calls, by: namespace, type: event.queryStringParameters?.type ?? null }),
  })
  const cache = createRedisResponseCache({ client: await client(), namespace, prefix, timeoutMs: 2000 })
  const gw = createGateway({
    api: { openapi: '3.0.1', info: { title: 'shared', version: '1' }, paths },
    stage: {
      stageName: 'prod',
      cacheClusterEnabled: true,
      methodSettings: { [STAGE_WIDE]: { requireAuthorizationForCacheControl: false } },
      ...stage,
    },
    cache,
    cacheEncryptionKey: new Uint8Array(32).fill(3),
    functions: { pets },
    onWarning: () => {},
  })
  return { gw, calls: () => calls }
}

describe.skipIf(!available)('a stage cache shared on Redis', () => {
  it('one gateway fills it, the other hits it; key parameters still split', async () => {
    const ns = 'shared-1'
    const a = await processOn(ns)
    const b = await processOn(ns)
    expect(json(await a.gw.handle(req('GET', '/pets?type=cat'))).call).toBe(1)
    expect(json(await b.gw.handle(req('GET', '/pets?type=cat'))).call).toBe(1)
    expect(b.calls()).toBe(0)
    expect(json(await b.gw.handle(req('GET', '/pets?type=dog'))).type).toBe('dog')
    expect(b.calls()).toBe(1)
    expect(a.gw.stageCacheStats()).toMatchObject({ hits: 0, misses: 1 })
    expect(b.gw.stageCacheStats()).toMatchObject({ hits: 1, misses: 1 })
  })

  it('a flush from one empties it for both; max-age=0 from one replaces what the other reads', async () => {
    const ns = 'shared-2'
    const a = await processOn(ns)
    const b = await processOn(ns)
    await a.gw.handle(req('GET', '/pets?type=cat'))
    await b.gw.flushStageCache()
    expect(json(await a.gw.handle(req('GET', '/pets?type=cat'))).call).toBe(2)
    expect(json(await b.gw.handle(req('GET', '/pets?type=cat', { headers: { 'cache-control': 'max-age=0' } }))).by).toBe(ns)
    expect(b.calls()).toBe(1)
    expect(json(await a.gw.handle(req('GET', '/pets?type=cat'))).call).toBe(1)
    expect(a.calls()).toBe(2)
  })

  it('entries carry their TTL in Redis and are stored encrypted when the method says so', async () => {
    const ns = 'shared-3'
    const a = await processOn(ns, { methodSettings: { [STAGE_WIDE]: { cacheTtlInSeconds: 30, cacheDataEncrypted: true } } })
    await a.gw.handle(req('GET', '/pets?type=cat'))
    const c = clients[clients.length - 1]!
    const keys = (await c.keys(`${prefix}cache:{${ns}}:e:*`)).filter((k) => !k.endsWith(':gen'))
    expect(keys.length).toBe(1)
    const ttl = await c.pttl(keys[0]!)
    expect(ttl).toBeGreaterThan(0)
    expect(ttl).toBeLessThanOrEqual(30_000)
    expect(await c.get(keys[0]!)).not.toContain('"type":"cat"')
    const b = await processOn(ns, { methodSettings: { [STAGE_WIDE]: { cacheTtlInSeconds: 30, cacheDataEncrypted: true } } })
    expect(json(await b.gw.handle(req('GET', '/pets?type=cat'))).type).toBe('cat')
    expect(b.calls()).toBe(0)
  })
})
