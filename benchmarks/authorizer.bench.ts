/**
 * The cost of a cached Lambda authorizer: a route behind it beside the same route without one, both through
 * `createGateway(...).handle()`, in requests/s.
 *
 * handle() is asynchronous, so the harness's synchronous `compare` would time only promise creation. This file
 * keeps the harness's rules (outputs checked equal first, median of rounds, alternating peer/ours rounds) with a
 * loop that awaits every call.
 */
import { isDeepStrictEqual } from 'node:util'
import { createGateway, type GatewayRequest } from '@gatehouse/core'
import type { Row, Section } from './harness.js'

const quick = process.env.BENCH_QUICK === '1'
const rounds = quick ? 3 : 41
const roundMs = quick ? 40 : 50

async function calibrate(fn: () => Promise<unknown>): Promise<number> {
  let batch = 1
  for (;;) {
    const t0 = process.hrtime.bigint()
    for (let i = 0; i < batch; i++) await fn()
    const ms = Number(process.hrtime.bigint() - t0) / 1e6
    if (ms >= 10 || batch >= 1 << 20) return batch
    batch *= 2
  }
}

async function round(fn: () => Promise<unknown>, batch: number): Promise<number> {
  let ops = 0
  const t0 = process.hrtime.bigint()
  let elapsed = 0
  while (elapsed < roundMs) {
    for (let i = 0; i < batch; i++) await fn()
    ops += batch
    elapsed = Number(process.hrtime.bigint() - t0) / 1e6
  }
  return (ops * 1000) / elapsed
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

interface AsyncCase {
  name: string
  ours: () => Promise<unknown>
  peer: () => Promise<unknown>
}

async function compareAsync(cases: AsyncCase[], goal: number): Promise<Row[]> {
  const rows: Row[] = []
  for (const c of cases) {
    const a = await c.ours()
    const b = await c.peer()
    if (!isDeepStrictEqual(a, b)) throw new Error(`benchmark case "${c.name}": outputs disagree: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`)
    const peerBatch = await calibrate(c.peer)
    const oursBatch = await calibrate(c.ours)
    const peerRates: number[] = []
    const oursRates: number[] = []
    for (let r = 0; r < rounds; r++) {
      peerRates.push(await round(c.peer, peerBatch))
      oursRates.push(await round(c.ours, oursBatch))
    }
    const ours = median(oursRates)
    const peer = median(peerRates)
    rows.push({ name: c.name, ours, peer, ratio: ours / peer, goal })
  }
  return rows
}

const ok = async () => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' })
const policy = (arn: string) => ({
  principalId: 'user-1',
  policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: arn }] },
  context: { tenant: 't1', tier: 3 },
})

function restGateway() {
  const integration = { type: 'AWS_PROXY' as const, uri: 'ok' }
  return createGateway({
    apiId: 'bench1',
    api: {
      authorizers: {
        token: { type: 'TOKEN', authorizerUri: 'auth', identitySource: 'method.request.header.Authorization' },
        request: { type: 'REQUEST', authorizerUri: 'auth', identitySource: 'method.request.header.X-User, method.request.querystring.tenant' },
      },
      resources: {
        '/pets/{id}': { GET: { authorizationType: 'CUSTOM', authorizer: 'token', integration } },
        '/req/{id}': { GET: { authorizationType: 'CUSTOM', authorizer: 'request', integration } },
        '/open/{id}': { GET: { integration } },
      },
    },
    functions: { ok, auth: async (e: { methodArn: string }) => policy(e.methodArn.replace(/\/GET\/.*$/, '/*')) },
  })
}

function httpGateway() {
  const integration = { type: 'AWS_PROXY' as const, uri: 'ok', payloadFormatVersion: '2.0' as const }
  return createGateway({
    apiType: 'HTTP',
    apiId: 'bench2',
    api: {
      authorizers: {
        simple: {
          type: 'REQUEST',
          authorizerUri: 'auth',
          identitySource: '$request.header.Authorization',
          authorizerPayloadFormatVersion: '2.0',
          enableSimpleResponses: true,
        },
      },
      resources: {
        '/pets/{id}': { GET: { authorizationType: 'CUSTOM', authorizer: 'simple', integration } },
        '/open/{id}': { GET: { integration } },
      },
    },
    functions: { ok, auth: async () => ({ isAuthorized: true, context: { tenant: 't1' } }) },
  })
}

const base = { headers: { host: 'api.example.com', 'user-agent': 'bench', authorization: 'Bearer abc', 'x-user': 'ann' }, sourceIp: '203.0.113.7' }
const request = (path: string, query?: string): GatewayRequest => ({ method: 'GET', path, ...(query ? { query } : {}), ...base })
const shape = (r: { statusCode: number; body: unknown }) => ({ statusCode: r.statusCode, body: r.body })

export default async function (): Promise<Section> {
  const rest = restGateway()
  const http = httpGateway()
  const cases: AsyncCase[] = [
    {
      name: 'REST, TOKEN authorizer (cached) vs no authorizer',
      ours: async () => shape(await rest.handle(request('/pets/1'))),
      peer: async () => shape(await rest.handle(request('/open/1'))),
    },
    {
      name: 'REST, REQUEST authorizer, 2 identity sources (cached) vs no authorizer',
      ours: async () => shape(await rest.handle(request('/req/1', 'tenant=t1'))),
      peer: async () => shape(await rest.handle(request('/open/1', 'tenant=t1'))),
    },
    {
      name: 'HTTP API, simple-response authorizer (cached) vs no authorizer',
      ours: async () => shape(await http.handle(request('/pets/1'))),
      peer: async () => shape(await http.handle(request('/open/1'))),
    },
  ]
  return {
    title: '@gatehouse/core: route behind a cached Lambda authorizer vs the same route without one',
    unit: 'requests/s',
    peers: { '@gatehouse/core without an authorizer': 'same build' },
    peerName: 'no authorizer',
    rows: await compareAsync(cases, 0.8),
    notes: [
      `Both columns run through the same gateway's handle() with the same Lambda proxy integration; the authorizer answer is cached, so "ours" pays the identity-source read, the cache lookup, the policy evaluation against the method ARN (REST) and the context copy. Every call awaited, one at a time; rounds alternate, medians of ${rounds}.`,
      'There is no third-party peer: no other in-process library runs API Gateway Lambda authorizers; the goal is to stay within 20% of an unauthenticated route.',
    ],
  }
}
