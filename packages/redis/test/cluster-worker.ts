/**
 * One worker of the four-worker test (node's `cluster` module): a gateway whose throttles, quotas, Lambda
 * authorizer cache and usage-plan registry live in one Redis, driven phase by phase by the primary. Each phase
 * answers with what this worker saw; the primary adds the counts up.
 */
import cluster from 'node:cluster'
import { Redis } from 'ioredis'
import { createGateway, createUsagePlanRegistry } from '@gatehousejs/core'
import { createRedisAuthorizerCache, createRedisRegistrySync, createRedisStore } from '@gatehousejs/redis'

interface Job {
  port: number
  prefix: string
  exact: { burst: number }
  rated: { rate: number; burst: number; durationMs: number; concurrency: number }
  quota: { limit: number; requests: number }
}

export const KEYS = {
  exact: 'exact-key-0123456789abcdef',
  rated: 'rated-key-0123456789abcdef',
  quota: 'quota-key-0123456789abcdef',
  reg: 'registry-key-0123456789abcd',
  late: 'late-key-0123456789abcdefgh',
}

const mock = { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode":200}' }, responses: { default: { statusCode: '200' } } }
const keyed = { GET: { apiKeyRequired: true, integration: mock } }

async function start(job: Job) {
  const client = new Redis({ port: job.port, host: '127.0.0.1', enableOfflineQueue: false, maxRetriesPerRequest: 0 })
  client.on('error', () => {})
  await new Promise((r) => client.once('ready', r))
  const errors: string[] = []
  const onError = (e: unknown) => errors.push(String(e))
  const store = createRedisStore({ client, prefix: job.prefix, failure: 'closed', timeoutMs: 5000, onError })
  const sync = createRedisRegistrySync({ client, prefix: job.prefix, namespace: 'four', onError })
  const registry = createUsagePlanRegistry({
    namespace: 'four',
    store,
    sync,
    apiKeys: [
      { id: 'exact', value: KEYS.exact },
      { id: 'rated', value: KEYS.rated },
      { id: 'quota', value: KEYS.quota },
      { id: 'reg', value: KEYS.reg },
    ],
    usagePlans: [
      { id: 'exact', throttle: { rateLimit: 0, burstLimit: job.exact.burst }, apiStages: [{ stage: 'prod' }], keys: ['exact'] },
      {
        id: 'rated',
        throttle: { rateLimit: job.rated.rate, burstLimit: job.rated.burst },
        apiStages: [{ stage: 'prod' }],
        keys: ['rated'],
      },
      { id: 'quota', quota: { limit: job.quota.limit, period: 'DAY' }, apiStages: [{ stage: 'prod' }], keys: ['quota'] },
      { id: 'open', apiStages: [{ stage: 'prod' }], keys: ['reg'] },
    ],
  })
  await sync.ready()
  let authorizerCalls = 0
  const arn = 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod'
  const gw = createGateway({
    apiId: 'abc123',
    accountId: '123456789012',
    stage: { stageName: 'prod' },
    api: {
      authorizers: { auth: { type: 'TOKEN', authorizerUri: 'auth', authorizerResultTtlInSeconds: 300 } },
      resources: {
        '/exact': keyed,
        '/rated': keyed,
        '/quota': keyed,
        '/reg': keyed,
        '/authz': { GET: { authorizationType: 'CUSTOM', authorizer: 'auth', integration: { type: 'AWS_PROXY', uri: 'pets' } } },
      },
    },
    functions: {
      auth: async () => {
        authorizerCalls++
        const statement = [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: `${arn}/*` }]
        return { principalId: 'alice', policyDocument: { Version: '2012-10-17', Statement: statement } }
      },
      pets: async () => ({ statusCode: 200, body: '[]' }),
    },
    usagePlans: registry,
    store,
    authorization: { cacheStore: createRedisAuthorizerCache({ client, prefix: job.prefix, timeoutMs: 5000 }) },
    onError,
  })
  const get = async (path: string, headers: Record<string, string> = {}) => (await gw.handle({ method: 'GET', path, headers })).statusCode
  const tally = (codes: number[]) => {
    const out: Record<number, number> = {}
    for (const c of codes) out[c] = (out[c] ?? 0) + 1
    return out
  }
  /** Polls until `path` with `key` answers `status`; how many polls it took, or -1 past the bound (10 s). */
  const until = async (path: string, key: string, status: number) => {
    for (let i = 1; i <= 1000; i++) {
      if ((await get(path, { 'x-api-key': key })) === status) return i
      await new Promise((r) => setTimeout(r, 10))
    }
    return -1
  }

  const phases: Record<string, (arg?: unknown) => Promise<unknown>> = {
    exact: async () => tally(await Promise.all(Array.from({ length: job.exact.burst }, () => get('/exact', { 'x-api-key': KEYS.exact })))),
    rated: async () => {
      const codes: number[] = []
      const first = Date.now()
      const end = first + job.rated.durationMs
      const hammer = async () => {
        while (Date.now() < end) codes.push(await get('/rated', { 'x-api-key': KEYS.rated }))
      }
      await Promise.all(Array.from({ length: job.rated.concurrency }, hammer))
      return { ...tally(codes), first, last: Date.now() }
    },
    quota: async () => {
      const codes: number[] = []
      for (let i = 0; i < job.quota.requests; i++) codes.push(await get('/quota', { 'x-api-key': KEYS.quota }))
      return tally(codes)
    },
    authz: async () => {
      const codes = await Promise.all([0, 1, 2, 3, 4].map(() => get('/authz', { authorization: 'allow-alice' })))
      return { ...tally(codes), calls: authorizerCalls }
    },
    regBefore: async () => ({ reg: await get('/reg', { 'x-api-key': KEYS.reg }), late: await get('/reg', { 'x-api-key': KEYS.late }) }),
    disable: async () => {
      registry.disableApiKey('reg')
      registry.createApiKey({ id: 'late', value: KEYS.late })
      registry.createUsagePlanKey('open', 'late')
      await sync.flush()
      return { ok: true }
    },
    regAfter: async () => ({ disabledAfter: await until('/reg', KEYS.reg, 403), lateAfter: await until('/reg', KEYS.late, 200) }),
    errors: async () => ({ errors }),
    stop: async () => {
      sync.close()
      client.disconnect()
      return {}
    },
  }
  process.on('message', async (m: { phase: string }) => {
    const result = await phases[m.phase]!()
    process.send!({ phase: m.phase, result })
    if (m.phase === 'stop') process.disconnect()
  })
  process.send!({ phase: 'ready', result: {} })
}

// Messages sent before a listener exists are lost: ask for the job once listening.
if (cluster.isWorker) {
  process.once('message', (job: Job) => void start(job))
  process.send!({ phase: 'hello', result: {} })
}
