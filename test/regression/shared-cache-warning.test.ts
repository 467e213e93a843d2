// Issue #12, finding 7c: a cached method behind an authorizer, IAM or an API key whose cache key names nothing
// that tells callers apart serves one caller's response — `Set-Cookie` included — to the next. API Gateway does
// the same (its cache key is only what `cacheKeyParameters` names), so gatehouse keeps the behaviour, but says so
// once, at build time, through the warning channel (`onWarning` / `gateway.warnings`). Before the fix nothing was
// said.
import { describe, expect, it } from 'vitest'
import { createGateway, type GatewayInput, type GatewayWarning } from '@gatehousejs/core'

const TOKEN_A = 'Bearer alice'
const TOKEN_B = 'Bearer bob'
const KEY = 'alice-key-0123456789abcdef'

function build(method: Record<string, unknown>, extra: Partial<GatewayInput> = {}) {
  const warnings: GatewayWarning[] = []
  const gw = createGateway({
    api: {
      resources: {
        '/me': { GET: { ...method, integration: { type: 'AWS_PROXY', uri: 'me', ...((method.integration as object) ?? {}) } } },
      },
      authorizers: {
        tok: { type: 'TOKEN', authorizerUri: 'auth', authorizerResultTtlInSeconds: 0 },
        req: { type: 'REQUEST', authorizerUri: 'auth', identitySource: 'method.request.header.X-User, method.request.querystring.tenant' },
      },
    },
    stage: { stageName: 'prod', cacheClusterEnabled: true },
    functions: {
      me: async (event: any) => ({
        statusCode: 200,
        headers: { 'set-cookie': `session=${event.requestContext.authorizer?.principalId ?? 'anon'}` },
        body: JSON.stringify({ user: event.requestContext.authorizer?.principalId ?? null }),
      }),
      auth: async (event: any) => ({
        principalId: String(event.authorizationToken ?? event.headers?.['X-User'] ?? 'x').replace('Bearer ', ''),
        policyDocument: {
          Version: '2012-10-17',
          Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }],
        },
      }),
    },
    apiKeys: [{ id: 'alice', value: KEY }],
    usagePlans: [{ id: 'p', apiStages: [{ stage: 'prod' }], keys: ['alice'] }],
    principals: [],
    onWarning: (w) => warnings.push(w),
    ...extra,
  })
  return { gw, warnings: warnings.filter((w) => w.code === ('SHARED_CACHE' as GatewayWarning['code'])) }
}

describe('shared stage-cache entries are announced at build time', () => {
  it.each([
    ['a Lambda TOKEN authorizer', { authorizationType: 'CUSTOM', authorizer: 'tok' }],
    ['a Lambda REQUEST authorizer', { authorizationType: 'CUSTOM', authorizer: 'req' }],
    ['IAM', { authorizationType: 'AWS_IAM' }],
    ['an API key', { apiKeyRequired: true }],
    [
      'an authorizer keyed on something else',
      { authorizationType: 'CUSTOM', authorizer: 'tok', integration: { cacheKeyParameters: ['method.request.querystring.page'] } },
    ],
  ])('%s with a cache key that cannot tell callers apart → one warning', (_what, method) => {
    const { gw, warnings } = build(method)
    expect(warnings).toHaveLength(1)
    expect(warnings[0]!.pointer).toBe('/resources/~1me/GET')
    expect(warnings[0]!.message).toMatch(/shared between callers/)
    expect(warnings[0]!.message).toMatch(/Set-Cookie/)
    expect(warnings[0]!.message).toMatch(/API Gateway does the same/)
    expect(gw.warnings).toContainEqual(warnings[0])
  })

  it.each([
    ['an open method', {}],
    [
      'the token header in the key',
      { authorizationType: 'CUSTOM', authorizer: 'tok', integration: { cacheKeyParameters: ['method.request.header.authorization'] } },
    ],
    [
      'a REQUEST identity source in the key',
      { authorizationType: 'CUSTOM', authorizer: 'req', integration: { cacheKeyParameters: ['method.request.querystring.tenant'] } },
    ],
    [
      'the SigV4 Authorization header in the key',
      { authorizationType: 'AWS_IAM', integration: { cacheKeyParameters: ['method.request.header.Authorization'] } },
    ],
    ['the API key header in the key', { apiKeyRequired: true, integration: { cacheKeyParameters: ['method.request.header.x-api-key'] } }],
    [
      'an integration parameter mapped from the token',
      {
        authorizationType: 'CUSTOM',
        authorizer: 'tok',
        integration: {
          type: 'HTTP',
          uri: 'http://127.0.0.1:1/me',
          requestParameters: { 'integration.request.header.X-Caller': 'method.request.header.Authorization' },
          cacheKeyParameters: ['integration.request.header.X-Caller'],
          responses: { default: { statusCode: '200' } },
        },
      },
    ],
  ])('%s → no warning', (_what, method) => {
    expect(build(method).warnings).toEqual([])
  })

  it('no warning when the method is not cached', () => {
    const { warnings } = build(
      { authorizationType: 'CUSTOM', authorizer: 'tok' },
      { stage: { stageName: 'prod', cacheClusterEnabled: false } },
    )
    expect(warnings).toEqual([])
  })

  it('is advice, not an error: strict mode still builds', () => {
    const { warnings } = build({ authorizationType: 'CUSTOM', authorizer: 'tok' }, { strict: true })
    expect(warnings).toHaveLength(1)
  })

  it('what the warning is about: bob gets alice’s cached answer and cookie (API Gateway parity)', async () => {
    const { gw } = build({ authorizationType: 'CUSTOM', authorizer: 'tok' })
    const a = await gw.handle({ method: 'GET', path: '/me', headers: { authorization: TOKEN_A }, sourceIp: '203.0.113.1' })
    const b = await gw.handle({ method: 'GET', path: '/me', headers: { authorization: TOKEN_B }, sourceIp: '203.0.113.2' })
    expect(a.headers['set-cookie']).toBe('session=alice')
    expect(b.headers['set-cookie']).toBe('session=alice')
  })
})
