/**
 * The Redis stores on a real Redis Cluster (3 masters, 3 replicas, started here on ports 7101-7106): the store
 * suite's behaviours through an ioredis `Cluster`, every key of one scope in one slot, and gateways serving
 * requests while a master fails over (a coordinated `CLUSTER FAILOVER`, and a master killed with SIGKILL).
 * Fails under CI when redis-server or redis-cli is missing, skips otherwise.
 * Hash tags: https://redis.io/docs/latest/operate/oss_and_stack/reference/cluster-spec/#hash-tags
 * CLUSTER FAILOVER: https://redis.io/docs/latest/commands/cluster-failover/
 * Usage plan quotas: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html
 */
import type { Cluster } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createGateway, createUsagePlanRegistry } from '@gatehousejs/core'
import { createRedisStore, type FailureMode, type RedisClient } from '@gatehousejs/redis'
import type { Store } from '@gatehousejs/throttle'
import { hashTag } from '../src/client'
import { clusterReady, kill, nodeClient, requireTools, sleep, startCluster, until, type TestCluster } from './cluster-helpers'
import { storeSuite } from './cluster-suite'

const available = requireTools('@gatehousejs/redis Redis Cluster tests', ['redis-server', 'redis-cli'])
const PORTS = [7101, 7102, 7103, 7104, 7105, 7106]
let n = 0
const newPrefix = () => `gh-cluster:${process.pid}:${++n}:`

describe.skipIf(!available)('@gatehousejs/redis on a Redis Cluster', () => {
  let cluster: TestCluster
  let client: Cluster
  const unhandled: unknown[] = []
  const onUnhandled = (reason: unknown) => unhandled.push(reason)

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled)
    cluster = await startCluster(PORTS)
    client = await clusterReady(cluster.client())
  }, 90_000)
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled)
    await cluster?.stop()
  })

  it('an ioredis Cluster is accepted wherever a client is (the RedisClient type)', () => {
    const asClient: RedisClient = client
    expect(typeof asClient.evalsha).toBe('function')
  })

  storeSuite(() => ({ client, second: () => clusterReady(cluster.client()), keyslot: cluster.keyslot }))

  it('the scopes spread over all three masters (the tests above ran on more than one node)', async () => {
    const masters = new Set<number>()
    for (let i = 0; i < 30; i++) masters.add((await cluster.shardOf(await cluster.keyslot(`x:usage:${hashTag(`key-${i}`)}:1`))).master.port)
    expect(masters.size).toBe(3)
  })

  describe('failover while a gateway serves requests', () => {
    const KEY = 'gold-key-0123456789abcdef'
    const mock = {
      type: 'MOCK',
      requestTemplates: { 'application/json': '{"statusCode":200}' },
      responses: { default: { statusCode: '200' } },
    }
    const api = { resources: { '/keyed': { GET: { apiKeyRequired: true, integration: mock } } } }
    const request = { method: 'GET', path: '/keyed', headers: { host: 'api.example.com', 'x-api-key': KEY } }
    const CONCURRENCY = 4

    /** A prefix whose quota key lives on a master that still has a replica to fail over to. */
    async function prefixWithReplica() {
      for (;;) {
        const prefix = newPrefix()
        const quotaKey = `${prefix}q:gh:default:quota:gold:a`
        const slot = await cluster.keyslot(quotaKey)
        const { master, replicas } = await cluster.shardOf(slot)
        if (replicas.length > 0) return { prefix, quotaKey, slot, master, replica: replicas[0]! }
      }
    }

    async function serveThroughFailover(
      failure: FailureMode,
      timeoutMs: number,
      switchOver: (masterPort: number, replicaPort: number) => Promise<void>,
    ) {
      const { prefix, quotaKey, slot, master, replica } = await prefixWithReplica()
      const storeErrors: unknown[] = []
      const gatewayErrors: unknown[] = []
      const redis = createRedisStore({ client, prefix, failure, timeoutMs, onError: (e) => storeErrors.push(e) })
      let unavailableTakes = 0
      let unavailableQuota = 0
      // The store as the gateway sees it, counting the decisions Redis could not make.
      const store: Store = {
        take: async (k, p, n, now) => {
          const r = await redis.take(k, p, n, now)
          if (r.unavailable) unavailableTakes++
          return r
        },
        consume: async (k, p, n, now) => {
          const r = await redis.consume(k, p, n, now)
          if (r.unavailable) unavailableQuota++
          return r
        },
        recordUsage: redis.recordUsage,
        readUsage: redis.readUsage,
      }
      const registry = createUsagePlanRegistry({
        store,
        apiKeys: [{ id: 'a', value: KEY }],
        usagePlans: [
          {
            id: 'gold',
            throttle: { rateLimit: 100_000, burstLimit: 100_000 },
            quota: { limit: 1_000_000, period: 'DAY' },
            apiStages: [{ stage: 'prod' }],
            keys: ['a'],
          },
        ],
      })
      const gw = createGateway({ api, usagePlans: registry, store, onError: (e) => gatewayErrors.push(e) })
      const statuses: number[] = []
      const bodies = new Set<string>()
      let stop = false
      const workers = Array.from({ length: CONCURRENCY }, async () => {
        while (!stop) {
          const res = await gw.handle(request)
          statuses.push(res.statusCode)
          if (res.statusCode !== 200) bodies.add(String(res.body))
          await sleep(2)
        }
      })
      await until('requests flowing', () => statuses.length >= 40)
      await switchOver(master.port, replica.port)
      const promoted = nodeClient(replica.port)
      await until('the replica promoted', async () => String(await promoted.info('replication')).includes('role:master'))
      promoted.disconnect()
      await cluster.waitOk()
      // Requests go on until 40 in a row were decided by Redis again.
      let mark = { failures: redis.failures, at: statuses.length }
      await until('decisions made by Redis again', () => {
        if (redis.failures !== mark.failures) mark = { failures: redis.failures, at: statuses.length }
        return statuses.length - mark.at >= 40
      })
      stop = true
      await Promise.all(workers)
      const count = (s: number) => statuses.filter((x) => x === s).length
      return {
        statuses,
        bodies,
        ok: count(200),
        refused: count(503),
        used: Number(await client.hget(quotaKey, 'u')),
        failures: redis.failures,
        unavailableTakes,
        unavailableQuota,
        storeErrors,
        gatewayErrors,
        servedBy: (await cluster.shardOf(slot)).master.port,
        replicaPort: replica.port,
      }
    }

    const sendTo = async (port: number, ...args: string[]) => {
      const c = nodeClient(port)
      try {
        await until(`node ${port}`, async () => (await c.ping()) === 'PONG')
        return await c.call(args[0]!, ...args.slice(1))
      } finally {
        c.disconnect()
      }
    }

    it('CLUSTER FAILOVER (coordinated), fail-closed: nothing refused, the count exact', async () => {
      // The old master holds writes until its replica has them all, then answers MOVED; the client follows. With a
      // timeout longer than that pause (Redis bounds it by its 5 s manual-failover timeout), no decision fails.
      const r = await serveThroughFailover('closed', 10_000, async (_master, replica) => {
        expect(await sendTo(replica, 'CLUSTER', 'FAILOVER')).toBe('OK')
      })
      expect(r.servedBy).toBe(r.replicaPort)
      expect([r.refused, r.failures, r.storeErrors.length]).toEqual([0, 0, 0])
      expect(r.ok).toBe(r.statuses.length)
      expect(r.used).toBe(r.ok)
      expect(r.gatewayErrors).toEqual([])
      expect(unhandled).toEqual([])
    }, 60_000)

    it.each<FailureMode>(['closed', 'open'])(
      'the master holding the quota killed (SIGKILL), fail-%s',
      async (failure) => {
        const r = await serveThroughFailover(failure, 250, async (master) => {
          await kill(cluster.servers.find((s) => s.port === master)!)
        })
        expect(r.servedBy).toBe(r.replicaPort)
        // The quota's master was gone for the cluster's failure detection and election: decisions failed meanwhile
        // (fail-closed, a refused throttle decision ends the request before the quota when both keys were there).
        expect(r.unavailableTakes + r.unavailableQuota).toBeGreaterThan(0)
        expect(r.storeErrors).toHaveLength(r.failures)
        for (const e of r.storeErrors) expect(e).toBeInstanceOf(Error)
        if (failure === 'closed') {
          expect(r.refused).toBe(r.unavailableTakes + r.unavailableQuota)
          expect(r.ok + r.refused).toBe(r.statuses.length)
          for (const body of r.bodies) expect(JSON.parse(body)).toEqual({ message: 'Service Unavailable' })
          // Admitted requests are counted, less any the dead master had not yet sent to its replica (at most one per
          // request in flight); a refused one may be counted when Redis ran it after the store gave up on it.
          expect(r.used).toBeGreaterThanOrEqual(r.ok - CONCURRENCY)
          expect(r.used).toBeLessThanOrEqual(r.ok + r.unavailableQuota)
        } else {
          expect(r.ok).toBe(r.statuses.length)
          expect(r.unavailableQuota).toBeGreaterThan(0)
          // Fail-open admits without counting the decisions Redis could not make (unless it ran them later).
          const counted = r.ok - r.unavailableQuota
          expect(r.used).toBeGreaterThanOrEqual(counted - CONCURRENCY)
          expect(r.used).toBeLessThanOrEqual(r.ok)
        }
        expect(r.gatewayErrors).toEqual([])
        expect(unhandled).toEqual([])
      },
      60_000,
    )
  })
})
