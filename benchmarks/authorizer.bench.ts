/**
 * The cost of a cached Lambda authorizer: a route behind it beside the same route without one, both through
 * `createGateway(...).handle()`, in requests/s.
 *
 * handle() is asynchronous, so the harness's synchronous `compare` would time only promise creation. This file
 * keeps the harness's rules (outputs checked equal first, median of rounds, alternating peer/ours rounds) with a
 * loop that awaits every call.
 */
import { createGateway, type GatewayRequest } from '@gatehousejs/core'
import { compareAsync, type AsyncCase, type Section } from './harness.js'

const quick = process.env.BENCH_QUICK === '1'
const rounds = quick ? 3 : 41
const roundMs = quick ? 40 : 50

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
        request: {
          type: 'REQUEST',
          authorizerUri: 'auth',
          identitySource: 'method.request.header.X-User, method.request.querystring.tenant',
        },
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

const base = {
  headers: { host: 'api.example.com', 'user-agent': 'bench', authorization: 'Bearer abc', 'x-user': 'ann' },
  sourceIp: '203.0.113.7',
}
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
    title: '@gatehousejs/core: route behind a cached Lambda authorizer vs the same route without one',
    unit: 'requests/s',
    peers: { '@gatehousejs/core without an authorizer': 'same build' },
    peerName: 'no authorizer',
    rows: await compareAsync(cases, { goal: 0.8, rounds, roundMs }),
    notes: [
      `Both columns run through the same gateway's handle() with the same Lambda proxy integration; the authorizer answer is cached, so "ours" pays the identity-source read, the cache lookup, the policy evaluation against the method ARN (REST) and the context copy. Every call awaited, one at a time; rounds alternate, medians of ${rounds}.`,
      'There is no third-party peer: no other in-process library runs API Gateway Lambda authorizers; the goal is to stay within 20% of an unauthenticated route.',
    ],
  }
}
