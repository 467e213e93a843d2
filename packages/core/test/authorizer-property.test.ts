// Properties of the authorizer pieces: the identity-source parser only throws GatewayConfigError, the result
// checker never throws, the result cache keeps its invariants under random operations, and random tokens never
// break the pipeline. Behaviour reference: https://docs.aws.amazon.com/apigateway/latest/developerguide/configure-api-gateway-lambda-authorization.html
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createGateway, GatewayConfigError } from '@gatehousejs/core'
import type { CompiledApi } from '../src/model'
import { compileIdentitySources } from '../src/features/authorizers/identity-sources'
import { parseAnswer } from '../src/features/authorizers/lambda-result'
import { createResultCache } from '../src/features/authorizers/result-cache'
import { echo, req } from './helpers'

const api = (apiType: 'REST' | 'HTTP') => ({ apiType, stageVariables: { v: 'x' } }) as unknown as CompiledApi

describe('identity sources', () => {
  it('compile or throw GatewayConfigError, for any input', () => {
    const piece = fc.oneof(
      fc.string(),
      fc.constantFrom(
        'method.request.header.',
        'method.request.querystring.',
        'stageVariables.',
        'context.',
        '$request.header.',
        '$context.',
        '$stageVariables.',
        ',',
        ' ',
      ),
    )
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 6 }).map((p) => p.join('')),
        fc.constantFrom('REST' as const, 'HTTP' as const),
        (source, type) => {
          try {
            const readers = compileIdentitySources(source, api(type), '/x')
            expect(Array.isArray(readers)).toBe(true)
          } catch (e) {
            expect(e).toBeInstanceOf(GatewayConfigError)
          }
        },
      ),
      { numRuns: 500 },
    )
  })
})

describe('authorizer results', () => {
  const statement = fc.record(
    {
      Effect: fc.oneof(fc.constantFrom('Allow', 'Deny'), fc.string()),
      Action: fc.oneof(fc.constant('execute-api:Invoke'), fc.jsonValue()),
      Resource: fc.oneof(fc.constant('*'), fc.jsonValue()),
    },
    { requiredKeys: [] },
  )
  const result = fc.oneof(
    fc.jsonValue(),
    fc.record(
      {
        principalId: fc.oneof(fc.string(), fc.jsonValue()),
        policyDocument: fc.oneof(
          fc.record({ Version: fc.constant('2012-10-17'), Statement: fc.array(statement, { maxLength: 3 }) }),
          fc.jsonValue(),
        ),
        context: fc.oneof(fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer(), fc.boolean())), fc.jsonValue()),
        usageIdentifierKey: fc.oneof(fc.string(), fc.jsonValue()),
        isAuthorized: fc.oneof(fc.boolean(), fc.jsonValue()),
      },
      { requiredKeys: [] },
    ),
  )

  it('are checked without throwing, whatever the function returned', () => {
    fc.assert(
      fc.property(result, fc.boolean(), fc.boolean(), (value, http, simple) => {
        const parsed = parseAnswer(value, http, simple && http)
        expect(['policy', 'simple', 'invalid']).toContain(parsed.kind)
        if (parsed.kind === 'policy' && !http) {
          for (const [k, v] of Object.entries(parsed.authorizer)) expect(typeof v).toBe(k === 'integrationLatency' ? 'number' : 'string')
        }
      }),
      { numRuns: 500 },
    )
  })
})

describe('result cache', () => {
  type Op = { op: 'set'; key: string; value: number } | { op: 'get'; key: string } | { op: 'tick'; ms: number }
  const key = fc.constantFrom('a', 'b', 'c', 'd', 'e')
  const ops = fc.array(
    fc.oneof(
      fc.record({ op: fc.constant('set' as const), key, value: fc.integer() }),
      fc.record({ op: fc.constant('get' as const), key }),
      fc.record({ op: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 2000 }) }),
    ),
    { maxLength: 60 },
  )

  it('matches a model: a value lives exactly ttl ms, at most maxEntries are kept, oldest out first', () => {
    fc.assert(
      fc.property(ops, fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 1, max: 6 }), (list: Op[], ttl, max) => {
        let now = 0
        const cache = createResultCache<number>(ttl, max, () => now)
        const model = new Map<string, { value: number; expires: number }>()
        for (const o of list) {
          if (o.op === 'tick') now += o.ms
          else if (o.op === 'set') {
            model.delete(o.key)
            if (model.size >= max) model.delete(model.keys().next().value!)
            model.set(o.key, { value: o.value, expires: now + ttl })
            cache.set(o.key, o.value)
          } else {
            const m = model.get(o.key)
            const expected = m && now < m.expires ? m.value : undefined
            if (m && now >= m.expires) model.delete(o.key)
            expect(cache.get(o.key)).toBe(expected)
          }
          expect(cache.size).toBeLessThanOrEqual(max)
          expect(cache.size).toBe(model.size)
        }
      }),
      { numRuns: 300 },
    )
  })
})

describe('authorizer import', () => {
  it('builds a gateway or throws GatewayConfigError, for any x-amazon-apigateway-authorizer and security', () => {
    const field = <T>(a: fc.Arbitrary<T>) => fc.oneof(a, fc.jsonValue())
    const authorizer = fc.oneof(
      fc.jsonValue(),
      fc.record(
        {
          type: field(fc.constantFrom('token', 'request', 'cognito_user_pools', 'jwt', 'TOKEN', 'saml')),
          authorizerUri: field(fc.constantFrom('auth', 'missing')),
          identitySource: field(
            fc.constantFrom('method.request.header.Authorization', '$request.header.Authorization', 'context.x', 'a,b'),
          ),
          identityValidationExpression: field(fc.constantFrom('^a$', '(', '.*')),
          authorizerResultTtlInSeconds: field(fc.integer({ min: -5, max: 4000 })),
          providerARNs: field(fc.constant(['arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdE'])),
          jwtConfiguration: field(
            fc.record({ issuer: field(fc.constant('https://id.example.com')), audience: field(fc.constant(['a'])) }, { requiredKeys: [] }),
          ),
          authorizerPayloadFormatVersion: field(fc.constantFrom('1.0', '2.0')),
          enableSimpleResponses: field(fc.boolean()),
        },
        { requiredKeys: [] },
      ),
    )
    const security = fc.oneof(fc.jsonValue(), fc.constant([{ auth: [] }]), fc.constant([{ auth: ['s1'] }, { other: [] }]))
    fc.assert(
      fc.property(authorizer, security, fc.constantFrom('REST' as const, 'HTTP' as const), (auth, sec, apiType) => {
        try {
          createGateway({
            apiType,
            api: {
              openapi: '3.0.1',
              info: { title: 'p', version: '1' },
              components: {
                securitySchemes: { auth: { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authorizer': auth } },
              },
              paths: { '/a': { get: { security: sec, 'x-amazon-apigateway-integration': { type: 'mock' } } } },
            },
            functions: { auth: async () => null },
            onWarning: () => {},
          })
        } catch (e) {
          expect(e).toBeInstanceOf(GatewayConfigError)
        }
      }),
      { numRuns: 300 },
    )
  })
})

describe('random tokens through handle()', () => {
  it('answer 200, 401, 403 or 500, and call the function once per distinct token', async () => {
    const calls = new Map<string, number>()
    const gw = createGateway({
      api: {
        authorizers: { t: { type: 'TOKEN', authorizerUri: 'auth', identityValidationExpression: '[^!]*' } },
        resources: { '/a': { GET: { authorizationType: 'CUSTOM', authorizer: 't', integration: { type: 'AWS_PROXY', uri: 'echo' } } } },
      },
      functions: {
        echo,
        auth: async (e: any) => {
          const t = e.authorizationToken as string
          calls.set(t, (calls.get(t) ?? 0) + 1)
          if (t.length % 4 === 0) throw new Error('Unauthorized')
          if (t.length % 4 === 1)
            return { principalId: t, policyDocument: { Statement: { Effect: 'Allow', Action: '*', Resource: '*' } }, context: { t } }
          if (t.length % 4 === 2) return { policyDocument: { Statement: { Effect: 'Deny', Action: '*', Resource: '*' } } }
          return { policyDocument: t }
        },
      },
    })
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 12 }), async (token) => {
        const res = await gw.handle(req('GET', '/a', { headers: { authorization: token } }))
        expect([200, 401, 403, 500]).toContain(res.statusCode)
        if (token === '' || token.includes('!')) expect(res.statusCode).toBe(401)
        expect(typeof res.body).toBe('string')
      }),
      { numRuns: 200 },
    )
    for (const [t, n] of calls) if (t.length % 4 === 1 || t.length % 4 === 2) expect(n).toBe(1)
  })
})
