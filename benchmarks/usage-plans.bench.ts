/**
 * API key + usage plan over HTTP with autocannon (10 connections, pipelining 1): node:http + the gateway (an
 * `apiKeyRequired` Lambda-proxy route, the key checked against the usage plan, per-key token bucket and daily
 * quota, RateLimit headers on) beside Express + express-rate-limit doing the same job (the key checked against a
 * set, 403 without one; a per-key limiter keyed by `x-api-key`, draft-8 RateLimit headers). Limits are set high
 * enough that neither refuses during the run. Each server runs in its own child process (this file, started
 * with `GATEHOUSE_USAGE_BENCH_STACK=<stack>`); responses are checked to agree (status, content type, body) and
 * both refuse a missing key with 403 before anything is timed.
 */
import type { ChildProcess } from 'node:child_process'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { cpus, loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import { autocannonRps, median, startServerChild, versionOf, type Row, type Section } from './harness'

const STACK_ENV = 'GATEHOUSE_USAGE_BENCH_STACK'
const BODY = JSON.stringify({ id: 1, name: 'Rex', type: 'dog', price: 249.99 })
const PATH = '/pets/1'
const KEYS = Array.from({ length: 100 }, (_, i) => `bench-api-key-${String(i).padStart(8, '0')}-abcdef`)
const KEY = KEYS[42]!
const BIG = 1_000_000_000

const api = {
  openapi: '3.0.1',
  info: { title: 'usage-plans-bench', version: '1' },
  components: { securitySchemes: { api_key: { type: 'apiKey', name: 'x-api-key', in: 'header' } } },
  paths: {
    '/pets/{id}': {
      get: {
        security: [{ api_key: [] }],
        'x-amazon-apigateway-integration': {
          type: 'aws_proxy',
          httpMethod: 'POST',
          uri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:getPet/invocations',
        },
      },
    },
  },
}
const getPet = async () => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: BODY })

const STACKS = ['Express + express-rate-limit', 'node:http + gateway (API key + usage plan)'] as const
type Stack = (typeof STACKS)[number]

async function serve(stack: Stack): Promise<void> {
  let server: Server
  if (stack === 'node:http + gateway (API key + usage plan)') {
    const { createHandler } = await import('@gatehousejs/node')
    server = createServer(
      createHandler({
        api,
        functions: { getPet },
        onWarning: () => {},
        apiKeys: KEYS.map((value, i) => ({ id: `k${i}`, value })),
        usagePlans: [
          {
            id: 'bench',
            throttle: { rateLimit: BIG, burstLimit: BIG },
            quota: { limit: BIG, period: 'DAY' },
            apiStages: [{ stage: 'prod' }],
            keys: KEYS.map((_, i) => `k${i}`),
          },
        ],
        rateLimitHeaders: true,
      }),
    )
  } else {
    const { default: express } = await import('express')
    const { rateLimit } = await import('express-rate-limit')
    const keys = new Set(KEYS)
    const app = express()
    app.use((req, res, next) => {
      const key = req.get('x-api-key')
      if (key === undefined || !keys.has(key)) {
        res.status(403).type('application/json').send('{"message":"Forbidden"}')
        return
      }
      next()
    })
    app.use(
      rateLimit({
        windowMs: 86_400_000,
        limit: BIG,
        keyGenerator: (req) => req.get('x-api-key')!,
        standardHeaders: 'draft-8',
        legacyHeaders: false,
        validate: false,
      }),
    )
    app.get('/pets/:id', (_req, res) => {
      res.setHeader('content-type', 'application/json')
      res.end(BODY)
    })
    server = createServer(app)
  }
  server.listen(0, '127.0.0.1', () => {
    process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`)
  })
}

const childStack = process.env[STACK_ENV]
if (childStack) void serve(childStack as Stack)

const start = (stack: Stack) => startServerChild(fileURLToPath(import.meta.url), { [STACK_ENV]: stack }, stack)

async function probe(url: string, key?: string): Promise<string> {
  const res = await fetch(`${url}${PATH}`, { headers: key ? { 'x-api-key': key } : {} })
  const limited = res.headers.get('ratelimit') !== null
  return `${res.status} ${res.headers.get('content-type')?.split(';')[0]} ${await res.text()} ratelimit:${limited && res.status === 200}`
}

const measure = (url: string, seconds: number) => autocannonRps(`${url}${PATH}`, seconds, { 'x-api-key': KEY })

export default async function run(): Promise<Section> {
  const quick = process.env.BENCH_QUICK === '1'
  const load = loadavg()[0]!.toFixed(1)
  const warmup = quick ? 1 : 2
  const seconds = quick ? 1 : 3
  const rounds = quick ? 2 : 5
  const servers = new Map<Stack, { url: string; child: ChildProcess }>()
  const ours: number[] = []
  const peer: number[] = []
  const ratios: number[] = []
  try {
    for (const stack of STACKS) servers.set(stack, await start(stack))
    const peerUrl = servers.get(STACKS[0])!.url
    const oursUrl = servers.get(STACKS[1])!.url
    for (const key of [KEY, undefined]) {
      const [a, b] = [await probe(oursUrl, key), await probe(peerUrl, key)]
      if (a !== b) throw new Error(`gateway answers ${a}, Express + express-rate-limit answers ${b}`)
    }
    await measure(peerUrl, warmup)
    await measure(oursUrl, warmup)
    // Paired runs: the load on a shared machine drifts, so each ratio compares runs made back to back.
    for (let r = 0; r < rounds; r++) {
      const p = await measure(peerUrl, seconds)
      const o = await measure(oursUrl, seconds)
      peer.push(p)
      ours.push(o)
      ratios.push(o / p)
    }
  } finally {
    for (const { child } of servers.values()) child.kill()
  }
  const rows: Row[] = [
    {
      name: 'GET with a valid x-api-key (key check, per-key throttle and quota, RateLimit headers)',
      ours: median(ours),
      peer: median(peer),
      ratio: median(ratios),
      goal: 2,
    },
  ]
  return {
    title: 'API key + usage plan over HTTP: node:http + gateway vs Express + express-rate-limit',
    unit: 'req/s',
    peers: {
      node: process.version,
      express: versionOf('express'),
      'express-rate-limit': versionOf('express-rate-limit'),
      autocannon: versionOf('autocannon'),
    },
    peerName: 'Express + express-rate-limit',
    rows,
    notes: [
      `autocannon, 10 connections, pipelining 1, one key of 100; ${warmup} s warm-up each, then ${rounds} rounds of ${seconds} s, peer then ours. req/s: medians of the runs' means; ratio: median of the paired ratios.`,
      `1-minute load average when the run started: ${load} on ${cpus().length} cores (absolute figures move with it; read the ratio).`,
      'The gateway also builds the Lambda proxy event and calls the in-process function; the Express route answers directly. Both answer 403 {"message":"Forbidden"} without a key (checked first).',
    ],
  }
}
