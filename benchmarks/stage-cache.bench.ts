/**
 * The stage cache: a cached route beside the same route uncached, behind a Lambda proxy backend that takes 5 ms,
 * through `createGateway(...).handle()`, in requests/s with 64 requests in flight.
 *
 * handle() is asynchronous and the backend waits, so the harness's synchronous `compare` does not apply. This file
 * keeps its rules: outputs checked equal first, peer and ours rounds alternate, the median of the rounds is kept.
 */
import { Redis } from 'ioredis'
import { createGateway, type GatewayRequest } from '@gatehousejs/core'
import { createRedisResponseCache } from '@gatehousejs/redis'
import { compareAsync, versionOf, type AsyncCase, type Section } from './harness.js'

const quick = process.env.BENCH_QUICK === '1'
const rounds = quick ? 3 : 9
const roundMs = quick ? 150 : 400
const inFlight = 64
const BACKEND_MS = 5

const backend = async (event: { queryStringParameters: Record<string, string> | null }) => {
  await new Promise((resolve) => setTimeout(resolve, BACKEND_MS))
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ok: true, type: event.queryStringParameters?.type ?? null }),
  }
}

const integration = (keys: string[] = []) => ({ type: 'AWS_PROXY' as const, uri: 'backend', cacheKeyParameters: keys })

function gateway(extra: { cache?: ReturnType<typeof createRedisResponseCache> } = {}) {
  return createGateway({
    apiId: 'benchcache',
    api: {
      resources: {
        '/cached': { GET: { integration: integration() } },
        '/keyed': { GET: { integration: integration(['method.request.querystring.type', 'method.request.header.accept-language']) } },
        '/secret': { GET: { integration: integration() } },
        '/uncached': { GET: { integration: integration() } },
      },
    },
    stage: {
      stageName: 'prod',
      cacheClusterEnabled: true,
      methodSettings: { '/uncached/GET': { cachingEnabled: false }, '/secret/GET': { cacheDataEncrypted: true } },
    },
    functions: { backend },
    cacheEncryptionKey: new Uint8Array(32).fill(1),
    ...extra,
  })
}

const base = { headers: { host: 'api.example.com', 'user-agent': 'bench', 'accept-language': 'en' }, sourceIp: '203.0.113.7' }
const request = (path: string, query?: string): GatewayRequest => ({ method: 'GET', path, ...(query ? { query } : {}), ...base })
const shape = (r: { statusCode: number; body: unknown }) => ({ statusCode: r.statusCode, body: r.body })

async function redisClient(): Promise<Redis | null> {
  const c = new Redis({
    host: '127.0.0.1',
    port: Number(process.env.GATEHOUSE_REDIS_PORT ?? 6391),
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    lazyConnect: true,
    retryStrategy: () => null,
  })
  c.on('error', () => {})
  try {
    await c.connect()
    return c
  } catch {
    return null
  }
}

export default async function (): Promise<Section> {
  const gw = gateway()
  let i = 0
  let j = 0
  const types = Array.from({ length: 100 }, (_, k) => `t${k}`)
  const cases: AsyncCase[] = [
    {
      name: 'GET, one entry, in memory vs uncached',
      ours: async () => shape(await gw.handle(request('/cached'))),
      peer: async () => shape(await gw.handle(request('/uncached'))),
    },
    {
      name: 'GET, 2 key parameters over 100 entries vs uncached',
      ours: async () => shape(await gw.handle(request('/keyed', `type=${types[(i = (i + 1) % 100)]}`))),
      peer: async () => shape(await gw.handle(request('/uncached', `type=${types[(j = (j + 1) % 100)]}`))),
    },
    {
      name: 'GET, encrypted entry (AES-256-GCM) vs uncached',
      ours: async () => shape(await gw.handle(request('/secret'))),
      peer: async () => shape(await gw.handle(request('/uncached'))),
    },
  ]
  const notes = [
    `Same gateway, same Lambda proxy integration (a ${BACKEND_MS} ms setTimeout), ${inFlight} requests in flight; the uncached route has \`cachingEnabled: false\`. Rounds of ${roundMs} ms alternate; medians of ${rounds}. After a warm-up round every "ours" request is a hit, so the ratio is the backend time saved.`,
  ]
  const redis = await redisClient()
  let shared: ReturnType<typeof gateway> | null = null
  if (redis) {
    shared = gateway({ cache: createRedisResponseCache({ client: redis, namespace: `bench-${process.pid}`, timeoutMs: 1000 }) })
    cases.push({
      name: 'GET, one entry on Redis (local redis-server) vs uncached',
      ours: async () => shape(await shared!.handle(request('/cached'))),
      peer: async () => shape(await shared!.handle(request('/uncached'))),
    })
  } else {
    notes.push('The Redis row is missing: no redis-server at 127.0.0.1:$GATEHOUSE_REDIS_PORT (default 6391).')
  }
  const rows = await compareAsync(cases, { rounds, roundMs, concurrency: inFlight })
  if (redis) {
    await shared!.flushStageCache()
    redis.disconnect()
  }
  return {
    title: '@gatehousejs/core: stage cache hit vs the same route uncached (5 ms backend)',
    unit: 'requests/s',
    peers: { '@gatehousejs/core, caching disabled on the route': 'same build', ioredis: versionOf('ioredis') },
    peerName: 'uncached',
    rows,
    notes,
  }
}
