// Issue #12, finding 2 (core): integration-response `selectionPattern` (run on a Lambda error message or a backend
// status code), `identityValidationExpression` (run on the client's token) and IAM / resource-policy wildcards (run
// on method ARNs holding the client's path) ran on the native backtracking RegExp. Measured on the old code:
// selectionPattern `(a|a)+` on a 28-character error message 18 s, identityValidationExpression `(\w\w*)+` on a
// 28-character token 8 s, a policy Resource `…/GET/*a*a*a*a*a*a*b` on a 60-character path 11 s — each doubling (or
// worse) per character. Now they run on @gatehousejs/regex (linear whatever the pattern) and a linear glob matcher;
// the tests count the engines' steps (never time), and refuse at build time what cannot run linearly unless the
// operator opts in with `allowBacktrackingPatterns`.
import { describe, expect, it } from 'vitest'
import { createGateway, GatewayConfigError, type GatewayInput } from '@gatehousejs/core'
import { regexStats } from '@gatehousejs/regex'
// The glob matcher's step counter is internal to core: read through its source module.
import { wildcardStats } from '../../packages/core/src/policy/wildcard'
import { thrownBy } from '@gatehousejs/test-kit'

const EVIL = `${'a'.repeat(28)}!`

function lambdaApi(pattern: string, extra: Partial<GatewayInput> = {}) {
  return createGateway({
    api: {
      resources: {
        '/fail': {
          POST: {
            integration: {
              type: 'AWS',
              uri: 'fail',
              responses: {
                [pattern]: { statusCode: '400', responseTemplates: { 'application/json': '{"matched": true}' } },
                default: { statusCode: '200' },
              },
            },
          },
        },
      },
    },
    functions: {
      fail: async (event: any) => {
        throw new Error(String(event.message))
      },
    },
    onWarning: () => {},
    ...extra,
  })
}

function tokenApi(expression: string, type: 'TOKEN' | 'COGNITO_USER_POOLS', extra: Partial<GatewayInput> = {}) {
  return createGateway({
    api: {
      resources: {
        '/me': { GET: { authorizationType: type === 'TOKEN' ? 'CUSTOM' : type, authorizer: 'a', integration: { type: 'MOCK' } } },
      },
      authorizers: {
        a:
          type === 'TOKEN'
            ? { type, authorizerUri: 'auth', identityValidationExpression: expression }
            : {
                type,
                providerARNs: ['arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_abc'],
                identityValidationExpression: expression,
              },
      },
    },
    functions: { auth: async () => ({ principalId: 'x', policyDocument: { Version: '2012-10-17', Statement: [] } }) },
    onWarning: () => {},
    ...extra,
  })
}

const post = (message: string) => ({
  method: 'POST',
  path: '/fail',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ message }),
  sourceIp: '203.0.113.7',
})

describe('selectionPattern runs in linear time on untrusted Lambda error messages', () => {
  const DIGITS = `${'1'.repeat(28)}!`
  it.each([
    ['(a|a)+', EVIL, 'aaaa'],
    ['(a+)+', EVIL, 'aaaa'],
    ['(\\w\\w*)+', EVIL, 'abc_1'],
    ['(a?a)+', EVIL, 'aaaa'],
    ['(a{1,30})+', EVIL, 'a'.repeat(61)],
    ['(\\d|\\d\\d)+', DIGITS, '1234'],
    ['\\d*\\d*\\d*\\d*\\d*', DIGITS, '123'],
  ])('%s on an adversarial error message', async (pattern, evil, good) => {
    const gw = lambdaApi(pattern)
    regexStats.steps = 0
    const res = await gw.handle(post(evil))
    expect(res.statusCode).toBe(200)
    // Run on the linear engine, and bounded by the input: the program is small, so a few hundred steps a character.
    expect(regexStats.steps).toBeGreaterThan(0)
    expect(regexStats.steps).toBeLessThan(400 * evil.length)
    expect((await gw.handle(post(good))).statusCode).toBe(400)
  })

  it('a pattern that cannot run linearly is refused at build time, naming where', () => {
    const e = thrownBy(() => lambdaApi('(a)\\1'), GatewayConfigError)
    expect(e.pointer).toBe('/resources/~1fail/POST/integration/responses/(a)\\1')
    expect(e.message).toMatch(/allowBacktrackingPatterns/)
  })

  it('…unless the operator opts in for that pattern', async () => {
    const at = '/resources/~1fail/POST/integration/responses/(a)\\1'
    const gw = lambdaApi('(a)\\1', { allowBacktrackingPatterns: [at] })
    expect((await gw.handle(post('aa'))).statusCode).toBe(400)
    expect((await gw.handle(post('ab'))).statusCode).toBe(200)
    expect(() => lambdaApi('(a)\\1', { allowBacktrackingPatterns: ['/somewhere/else'] })).toThrow(GatewayConfigError)
    expect(() => lambdaApi('(a)\\1', { allowBacktrackingPatterns: true })).not.toThrow()
  })
})

describe('identityValidationExpression runs in linear time on the client token', () => {
  it.each(['TOKEN', 'COGNITO_USER_POOLS'] as const)('%s: (\\w\\w*)+ on an adversarial token → 401, bounded steps', async (type) => {
    const gw = tokenApi('(\\w\\w*)+', type)
    regexStats.steps = 0
    const res = await gw.handle({ method: 'GET', path: '/me', headers: { authorization: EVIL }, sourceIp: '203.0.113.7' })
    expect(res.statusCode).toBe(401)
    expect(regexStats.steps).toBeGreaterThan(0)
    expect(regexStats.steps).toBeLessThan(400 * EVIL.length)
  })

  it.each(['TOKEN', 'COGNITO_USER_POOLS'] as const)('%s: a lookahead is refused at build time, naming the authorizer', (type) => {
    const e = thrownBy(() => tokenApi('(?=Bearer )\\S+', type), GatewayConfigError)
    expect(e.pointer).toBe('/authorizers/a/identityValidationExpression')
    expect(() =>
      tokenApi('(?=Bearer )\\S+', type, { allowBacktrackingPatterns: ['/authorizers/a/identityValidationExpression'] }),
    ).not.toThrow()
  })
})

describe('policy wildcards match in O(n·m) whatever the pattern', () => {
  it('a Resource with many stars on a long client path', async () => {
    const gw = createGateway({
      api: {
        resources: {
          '/p/{proxy+}': {
            GET: {
              integration: {
                type: 'MOCK',
                requestTemplates: { 'application/json': '{"statusCode": 200}' },
                responses: { default: { statusCode: '200' } },
              },
            },
          },
        },
        policy: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' },
            { Effect: 'Deny', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*/GET/p/*a*a*a*a*a*a*b' },
          ],
        },
      },
      onWarning: () => {},
    })
    const path = `/p/${'a'.repeat(60)}`
    wildcardStats.steps = 0
    const res = await gw.handle({ method: 'GET', path, headers: {}, sourceIp: '203.0.113.7' })
    expect(res.statusCode).toBe(200)
    const arn = 200 // the method ARN around the path is well under 200 characters
    expect(wildcardStats.steps).toBeGreaterThan(0)
    expect(wildcardStats.steps).toBeLessThan(arn * 60)
    expect((await gw.handle({ method: 'GET', path: `${path}b`, headers: {}, sourceIp: '203.0.113.7' })).statusCode).toBe(403)
  })
})

describe('HTTP API CORS origin patterns run on the linear engine', () => {
  // Old code: `https://*a*a*a*a*a*a*.example.com` against a 108-character Origin took 164 s (O(n^7)).
  it('a pattern with many stars against a long Origin header', async () => {
    const gw = createGateway({
      apiType: 'HTTP',
      api: {
        resources: { '/x': { GET: { integration: { type: 'MOCK' } } } },
        cors: { allowOrigins: ['https://*a*a*a*a*a*a*.example.com'], allowMethods: ['GET'] },
      },
      onWarning: () => {},
    })
    const origin = `https://${'a'.repeat(100)}!`
    regexStats.steps = 0
    const res = await gw.handle({
      method: 'OPTIONS',
      path: '/x',
      headers: { origin, 'access-control-request-method': 'GET' },
      sourceIp: '203.0.113.7',
    })
    expect(res.headers['access-control-allow-origin']).toBeUndefined()
    expect(regexStats.steps).toBeGreaterThan(0)
    expect(regexStats.steps).toBeLessThan(400 * origin.length)
    const ok = `https://${'a'.repeat(10)}.example.com`
    const yes = await gw.handle({
      method: 'OPTIONS',
      path: '/x',
      headers: { origin: ok, 'access-control-request-method': 'GET' },
      sourceIp: '203.0.113.7',
    })
    expect(yes.headers['access-control-allow-origin']).toBe(ok)
    // `*` stays within the host: it does not cross a `/`.
    const slash = await gw.handle({
      method: 'OPTIONS',
      path: '/x',
      headers: { origin: 'https://aaaaaa/x.example.com', 'access-control-request-method': 'GET' },
      sourceIp: '203.0.113.7',
    })
    expect(slash.headers['access-control-allow-origin']).toBeUndefined()
  })
})
