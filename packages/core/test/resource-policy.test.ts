/**
 * Resource policies (`x-amazon-apigateway-policy`) end to end through `handle()`, for methods without
 * authorization, with Cognito, and the Lambda-authorizer hooks (`resourcePolicyDecision`).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createGateway, GatewayConfigError, type GatewayInput, type GatewayWarning, type PolicyDocument } from '@gatehousejs/core'
import type { CompiledApi } from '../src/model'
import type { CompiledRoute } from '../src/pipeline'
import { GatewayState } from '../src/features/types'
import type { CompiledPolicy } from '../src/policy'
import { resourcePolicyDecision, resourcePolicyFeature, resourcePolicyOf } from '../src/features/resource-policy'
import { RequestState } from '../src/state'
import { echo, header, json, req } from './helpers'

const ACCOUNT = '111122223333'
const API_ID = 'abc123'
const MASKED = (method: string, path: string) => `arn:aws:execute-api:us-east-1:********3333:${API_ID}/prod/${method}${path}`

const integration = { type: 'aws_proxy', httpMethod: 'POST', uri: 'echo' }

function openapi(policy: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    openapi: '3.0.1',
    info: { title: 'rp', version: '1' },
    paths: {
      '/pets': { get: { 'x-amazon-apigateway-integration': integration }, post: { 'x-amazon-apigateway-integration': integration } },
      '/pets/{id}': { get: { 'x-amazon-apigateway-integration': integration } },
    },
    'x-amazon-apigateway-policy': policy,
    ...extra,
  }
}

function gateway(policy: unknown, extra: Partial<GatewayInput> = {}) {
  return createGateway({ api: openapi(policy), apiId: API_ID, accountId: ACCOUNT, functions: { echo }, onWarning: () => {}, ...extra })
}

const from = (ip: string, method = 'GET', path = '/pets') => req(method, path, { sourceIp: ip })

// The IP allow list of "How API Gateway resource policies affect authorization workflow" (resource policy only:
// an explicit allow is needed; implicit and explicit denies refuse).
// https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-authorization-flow.html
// Example policies: https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-resource-policies-examples.html
// Refusal bodies and x-amzn-ErrorType: https://repost.aws/knowledge-center/api-gateway-troubleshoot-403-forbidden
describe('resource policy only (authorizationType NONE)', () => {
  const allowList = gateway({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: '*',
        Action: 'execute-api:Invoke',
        Resource: `arn:aws:execute-api:us-east-1:${ACCOUNT}:${API_ID}/*`,
        Condition: { IpAddress: { 'aws:SourceIp': ['192.0.2.0/24', '198.51.100.0/24', '2001:db8:1::/48'] } },
      },
    ],
  })
  const denyList = gateway({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' },
      {
        Effect: 'Deny',
        Principal: '*',
        Action: 'execute-api:Invoke',
        Resource: 'execute-api:/*',
        Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
      },
    ],
  })

  const table: [string, ReturnType<typeof gateway>, string, number, string | null][] = [
    ['inside an allowed IPv4 block', allowList, '192.0.2.10', 200, null],
    ['inside an allowed IPv6 block', allowList, '2001:db8:1:ffff::1', 200, null],
    [
      'outside the allowed blocks (implicit deny)',
      allowList,
      '203.0.113.7',
      403,
      `User: anonymous is not authorized to perform: execute-api:Invoke on resource: ${MASKED('GET', '/pets')}`,
    ],
    [
      'inside a denied block (explicit deny)',
      denyList,
      '203.0.113.7',
      403,
      `User: anonymous is not authorized to perform: execute-api:Invoke on resource: ${MASKED('GET', '/pets')} with an explicit deny`,
    ],
    ['outside the denied block', denyList, '192.0.2.10', 200, null],
  ]
  for (const [name, gw, ip, status, message] of table) {
    it(`${name}: ${status}`, async () => {
      const res = await gw.handle(from(ip))
      expect(res.statusCode).toBe(status)
      if (message !== null) {
        expect(header(res, 'x-amzn-ErrorType')).toBe('AccessDeniedException')
        expect(json(res)).toEqual({ Message: message })
      } else {
        expect(json(res).requestContext.identity.sourceIp).toBe(ip)
      }
    })
  }

  it('Resource patterns name stage, method and path; NotAction and NotResource work', async () => {
    const gw = gateway({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: '*',
          Action: 'execute-api:Invoke',
          Resource: ['execute-api:/prod/GET/pets', 'execute-api:/prod/GET/pets/*'],
        },
        { Effect: 'Deny', Principal: '*', NotAction: 'execute-api:Invoke', Resource: '*' },
        { Effect: 'Deny', Principal: '*', Action: 'execute-api:*', NotResource: `arn:aws:execute-api:*:${ACCOUNT}:${API_ID}/prod/*` },
      ],
    })
    expect((await gw.handle(req('GET', '/pets'))).statusCode).toBe(200)
    expect((await gw.handle(req('GET', '/pets/9'))).statusCode).toBe(200)
    const post = await gw.handle(req('POST', '/pets', { body: '{}' }))
    expect(post.statusCode).toBe(403)
    expect(json(post).Message).toBe(
      `User: anonymous is not authorized to perform: execute-api:Invoke on resource: ${MASKED('POST', '/pets')}`,
    )
  })

  it('a condition on a missing key with …IfExists, and on the user agent', async () => {
    const gw = gateway({
      Version: '2012-10-17',
      Statement: [
        // …IfExists: true when the request has no Referer at all.
        {
          Effect: 'Allow',
          Principal: '*',
          Action: 'execute-api:Invoke',
          Resource: '*',
          Condition: { StringEqualsIfExists: { 'aws:Referer': 'https://example.com/' } },
        },
        {
          Effect: 'Deny',
          Principal: '*',
          Action: 'execute-api:Invoke',
          Resource: '*',
          Condition: { StringLike: { 'aws:UserAgent': 'curl/*' } },
        },
      ],
    })
    expect((await gw.handle(req('GET', '/pets'))).statusCode).toBe(200)
    expect((await gw.handle(req('GET', '/pets', { headers: { referer: 'https://example.com/' } }))).statusCode).toBe(200)
    expect((await gw.handle(req('GET', '/pets', { headers: { referer: 'https://evil.example/' } }))).statusCode).toBe(403)
    expect((await gw.handle(req('GET', '/pets', { headers: { 'user-agent': 'curl/8.5' } }))).statusCode).toBe(403)
  })

  it('time conditions read the gateway clock', async () => {
    const policy = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: '*',
          Action: 'execute-api:Invoke',
          Resource: '*',
          Condition: { DateLessThan: { 'aws:CurrentTime': '2026-02-01T00:00:00Z' } },
        },
      ],
    }
    expect((await gateway(policy, { now: () => Date.UTC(2026, 0, 31) }).handle(req('GET', '/pets'))).statusCode).toBe(200)
    expect((await gateway(policy, { now: () => Date.UTC(2026, 1, 2) }).handle(req('GET', '/pets'))).statusCode).toBe(403)
  })

  it('a customised ACCESS_DENIED gateway response applies', async () => {
    const gw = createGateway({
      api: openapi(
        { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 'execute-api:Invoke', Resource: '*' }] },
        {
          'x-amazon-apigateway-gateway-responses': {
            ACCESS_DENIED: { responseTemplates: { 'application/json': '{"denied":true,"type":"$context.error.responseType"}' } },
          },
        },
      ),
      functions: { echo },
      onWarning: () => {},
    })
    const res = await gw.handle(req('GET', '/pets'))
    expect(res.statusCode).toBe(403)
    expect(json(res)).toEqual({ denied: true, type: 'ACCESS_DENIED' })
  })

  it('the policy may be given as JSON text', async () => {
    const gw = gateway(
      JSON.stringify({ Version: '2012-10-17', Statement: { Effect: 'Deny', Principal: { AWS: '*' }, Action: '*', Resource: '*' } }),
    )
    expect((await gw.handle(req('GET', '/pets'))).statusCode).toBe(403)
  })
})

// Cognito and resource policy: the resource policy must explicitly allow (same source page).
describe('resource policy with COGNITO_USER_POOLS methods (native definition)', () => {
  it('needs an explicit allow; the check runs before the authorizer', async () => {
    const definition = (policy: Record<string, unknown>) => ({
      resources: {
        '/pets': {
          GET: { authorizationType: 'COGNITO_USER_POOLS', authorizer: 'pool', integration: { type: 'AWS_PROXY' as const, uri: 'echo' } },
        },
      },
      authorizers: {
        pool: {
          type: 'COGNITO_USER_POOLS' as const,
          identitySource: 'method.request.header.Authorization',
          providerARNs: ['arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_example'],
        },
      },
      policy,
    })
    const allowed = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: '*',
          Action: 'execute-api:Invoke',
          Resource: '*',
          Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
        },
      ],
    }
    const gw = createGateway({ api: definition(allowed), functions: { echo }, onWarning: () => {} })
    const res = await gw.handle(req('GET', '/pets'))
    expect(res.statusCode).toBe(403)
    expect(json(res).Message).toMatch(
      /^User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:\*{8}9012:/,
    )
  })
})

// Lambda authorizer and resource policy: an explicit deny refuses before the authorizer runs; after it, Table A.
describe('resource policy with CUSTOM (Lambda authorizer) methods', () => {
  const policy = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Deny',
        Principal: '*',
        Action: 'execute-api:Invoke',
        Resource: 'execute-api:/*',
        Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
      },
    ],
  }
  const definition = {
    resources: {
      '/pets': {
        GET: {
          authorizationType: 'CUSTOM',
          authorizer: 'auth',
          integration: { type: 'MOCK' as const, requestTemplates: { 'application/json': '{"statusCode": 200}' } },
        },
      },
    },
    authorizers: { auth: { type: 'TOKEN' as const, authorizerUri: 'authFn', identitySource: 'method.request.header.Authorization' } },
    policy,
  }

  it('an explicit deny refuses before the authorizer is called', async () => {
    let calls = 0
    const authFn = async () => {
      calls++
      return {
        principalId: 'u',
        policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' }] },
      }
    }
    const gw = createGateway({ api: definition, apiId: API_ID, accountId: ACCOUNT, onWarning: () => {}, functions: { authFn } })
    const res = await gw.handle(req('GET', '/pets', { sourceIp: '203.0.113.9', headers: { authorization: 'token' } }))
    expect(res.statusCode).toBe(403)
    expect(header(res, 'x-amzn-ErrorType')).toBe('AccessDeniedException')
    expect(json(res).Message).toBe(
      `User: anonymous is not authorized to perform: execute-api:Invoke on resource: ${MASKED('GET', '/pets')} with an explicit deny`,
    )
    expect(calls).toBe(0)
  })

  it('resourcePolicyDecision: the authorizer policy and the resource policy, Table A', async () => {
    // Capture a RequestState of a built gateway through a passthrough route, then ask the decision for it.
    const allowOffice = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: '*',
          Action: 'execute-api:Invoke',
          Resource: 'execute-api:/*',
          Condition: { IpAddress: { 'aws:SourceIp': '192.0.2.0/24' } },
        },
        { Effect: 'Deny', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/prod/DELETE/*' },
      ],
    }
    const state = stateOf(allowOffice, 'GET', '/pets', '198.51.100.1')
    const allow = (resource: string): PolicyDocument => ({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: resource }],
    })
    const deny = (resource: string): PolicyDocument => ({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Action: 'execute-api:Invoke', Resource: resource }],
    })
    // Authorizer allows, resource policy silent for this IP → allowed.
    expect(decide(state, allow('*'))).toBeUndefined()
    // Both silent → 403, the authorizer's wording.
    expect(decide(state, allow('arn:aws:execute-api:*:*:*/prod/POST/*'))).toMatchObject({
      type: 'ACCESS_DENIED',
      body: '{"Message":"User is not authorized to access this resource"}',
    })
    // Authorizer denies explicitly → 403 with an explicit deny, even where the resource policy would allow.
    const office = stateOf(allowOffice, 'GET', '/pets', '192.0.2.5')
    expect(decide(office, deny('*'))).toMatchObject({
      body: '{"Message":"User is not authorized to access this resource with an explicit deny"}',
    })
    // Resource policy allows the office even when the authorizer's policy is silent.
    expect(decide(office, allow('arn:aws:execute-api:*:*:*/prod/POST/*'))).toBeUndefined()
    // Resource policy's explicit deny wins over the authorizer's allow.
    const del = stateOf(allowOffice, 'DELETE', '/pets', '192.0.2.5')
    expect(decide(del, allow('*'))).toMatchObject({ type: 'ACCESS_DENIED', message: expect.stringMatching(/with an explicit deny$/) })
    // A policy that is not a policy document: AUTHORIZER_CONFIGURATION_ERROR.
    expect(decide(state, { Statement: [{ Effect: 'allow' }] } as never)).toMatchObject({ type: 'AUTHORIZER_CONFIGURATION_ERROR' })
  })

  it('resourcePolicyDecision without a resource policy: the authorizer policy alone', async () => {
    const state = stateOf(undefined, 'GET', '/pets', '198.51.100.1')
    expect(
      decide(state, { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' }] }),
    ).toBeUndefined()
    expect(
      decide(state, { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: 'arn:nothing' }] }),
    ).toMatchObject({ type: 'ACCESS_DENIED' })
  })
})

/** A RequestState on an API whose resource policy was compiled by the feature, as `createGateway` does. */
function stateOf(policy: Record<string, unknown> | undefined, method: string, path: string, sourceIp: string): RequestState {
  const api: CompiledApi = {
    apiType: 'REST',
    tracingEnabled: false,
    ownRequestIds: false,
    apiId: API_ID,
    accountId: ACCOUNT,
    region: 'us-east-1',
    stage: 'prod',
    stageVariables: null,
    deploymentId: 'dep123',
    defaultDomainName: `${API_ID}.execute-api.us-east-1.amazonaws.com`,
    isBinaryType: null,
    now: () => 0,
    requestId: () => '00000000-0000-4000-8000-000000000001',
  }
  const gateway = {
    api,
    definition: { resources: {}, ...(policy ? { policy } : {}) },
    input: { api: {} },
    warn: () => {},
    state: new GatewayState(),
  }
  resourcePolicyFeature.validate!(gateway)
  const route = {
    resourcePath: '/pets',
    routeKey: `${method} /pets`,
    resourceId: 'res123',
    hasParams: false,
    before: [],
    after: [],
  } as unknown as CompiledRoute
  const state = new RequestState(api, req(method, path, { sourceIp }), route, {}, path)
  resourcePolicies.set(state, resourcePolicyOf(gateway))
  return state
}

/** The resource policy each test state's gateway compiled. */
const resourcePolicies = new WeakMap<RequestState, CompiledPolicy | undefined>()

/** `resourcePolicyDecision` with the state's gateway's resource policy, as the Lambda authorizer calls it. */
function decide(state: RequestState, authorizerPolicy: Parameters<typeof resourcePolicyDecision>[2]) {
  return resourcePolicyDecision(state, resourcePolicies.get(state), authorizerPolicy)
}

describe('resource policy configuration', () => {
  const invalid: [string, unknown][] = [
    ['an empty object', {}],
    ['a lower-case Effect', { Version: '2012-10-17', Statement: [{ Effect: 'allow', Principal: '*', Action: '*', Resource: '*' }] }],
    ['a statement without a Principal', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }],
    [
      'a CIDR that does not parse',
      {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: '*', Action: '*', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0/33' } } },
        ],
      },
    ],
    ['JSON text that does not parse', '{"Version":'],
    ['an array', []],
  ]
  for (const [name, policy] of invalid) {
    it(`refuses ${name} when the gateway is built`, () => {
      let error: unknown
      try {
        gateway(policy)
      } catch (e) {
        error = e
      }
      expect(error).toBeInstanceOf(GatewayConfigError)
      expect((error as GatewayConfigError).code).toBe('INVALID_DEFINITION')
      expect((error as GatewayConfigError).pointer).toMatch(/^\/(x-amazon-apigateway-)?policy$/)
    })
  }

  it('HTTP APIs have no resource policies: a warning, and the policy is not enforced', async () => {
    const seen: GatewayWarning[] = []
    const gw = createGateway({
      api: openapi({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: '*', Resource: '*' }] }),
      apiType: 'HTTP',
      functions: { echo },
      onWarning: (w) => seen.push(w),
    })
    expect(seen.map((w) => [w.code, w.pointer])).toContainEqual(['IGNORED_SETTING', '/x-amazon-apigateway-policy'])
    expect((await gw.handle(req('GET', '/pets'))).statusCode).toBe(200)
  })

  it('is not reported as unimplemented', () => {
    const seen: GatewayWarning[] = []
    gateway(
      { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] },
      { onWarning: (w) => seen.push(w) },
    )
    expect(seen.filter((w) => w.pointer === '/x-amazon-apigateway-policy')).toEqual([])
  })
})

describe('resource policy robustness', () => {
  const gw = gateway({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: '*',
        Action: 'execute-api:Invoke',
        Resource: 'execute-api:/*',
        Condition: { IpAddress: { 'aws:SourceIp': ['192.0.2.0/24', '2001:db8::/32'] } },
      },
    ],
  })
  it('any source address and path: 200 or 403 with IAM’s body, never a crash', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.ipV4(), fc.ipV6(), fc.string()),
        fc.constantFrom('/pets', '/pets/1', '/pets/%2F..', '/pets/ü'),
        async (ip, path) => {
          const res = await gw.handle(req('GET', path, { sourceIp: ip }))
          expect([200, 403]).toContain(res.statusCode)
          if (res.statusCode === 403) expect(json(res).Message).toMatch(/^User: anonymous is not authorized/)
        },
      ),
      { numRuns: 200 },
    )
  })
})
