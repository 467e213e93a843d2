// API keys end to end through handle(): key source (HEADER / AUTHORIZER), enabled keys, keys bound to plans.
// Key source: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-key-source.html
// OpenAPI: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-api-key-source.html
// Answers: https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
//   (INVALID_API_KEY 403 "Forbidden")
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createGateway, createUsagePlanRegistry, type GatewayInput, type GatewayWarning } from '@gatehousejs/core'
import { configError, echo, header, ids, json, req } from './helpers'

const T0 = Date.UTC(2025, 0, 15, 12, 0, 0)
const KEY = 'alice-key-0123456789abcdef'
const KEY2 = 'bob-key-0123456789abcdefgh'
const proxy = { type: 'aws_proxy', httpMethod: 'POST', uri: 'echo' }

function doc(extra: Record<string, unknown> = {}, opSecurity: unknown = [{ api_key: [] }]) {
  return {
    openapi: '3.0.1',
    info: { title: 'keys', version: '1' },
    components: { securitySchemes: { api_key: { type: 'apiKey', name: 'x-api-key', in: 'header' } } },
    paths: {
      '/pets': {
        get: { security: opSecurity, 'x-amazon-apigateway-integration': proxy },
        post: { 'x-amazon-apigateway-integration': proxy },
      },
    },
    ...extra,
  }
}

function gateway(input: Partial<GatewayInput> = {}, api: Record<string, unknown> = doc()) {
  const warnings: GatewayWarning[] = []
  const gw = createGateway({
    api,
    apiId: 'abc123',
    requestId: ids,
    now: () => T0,
    functions: { echo },
    onWarning: (w) => warnings.push(w),
    apiKeys: [
      { id: 'alice', value: KEY },
      { id: 'bob', value: KEY2 },
      { id: 'off', value: 'disabled-key-0123456789', enabled: false },
      { id: 'stray', value: 'stray-key-0123456789abc' },
    ],
    usagePlans: [
      { id: 'gold', apiStages: [{ apiId: 'abc123', stage: 'prod' }], keys: ['alice', 'off'] },
      { id: 'dev', apiStages: [{ stage: 'dev' }], keys: ['bob'] },
      { id: 'other-api', apiStages: [{ apiId: 'zzz999', stage: 'prod' }], keys: ['stray'] },
    ],
    ...input,
  })
  return Object.assign(gw, { seen: warnings })
}

const withKey = (key: string | undefined, path = '/pets', method = 'GET') =>
  req(method, path, key === undefined ? {} : { headers: { 'x-api-key': key } })

describe('API key required (HEADER source)', () => {
  const gw = gateway()

  // [case, x-api-key, status]
  const table: [string, string | undefined, number][] = [
    ['missing key', undefined, 403],
    ['empty key', '', 403],
    ['unknown key', 'not-a-key-0123456789abc', 403],
    ['a prefix of a valid key', KEY.slice(0, -1), 403],
    ['disabled key', 'disabled-key-0123456789', 403],
    ['key whose plan is bound to another stage', KEY2, 403],
    ['key whose plan is bound to another API', 'stray-key-0123456789abc', 403],
    ['valid key', KEY, 200],
  ]
  it.each(table)('%s → %i', async (_name, key, status) => {
    const res = await gw.handle(withKey(key))
    expect(res.statusCode).toBe(status)
    if (status === 403) {
      expect(json(res)).toEqual({ message: 'Forbidden' })
      expect(header(res, 'x-amzn-ErrorType')).toBe('ForbiddenException')
    }
  })

  it('imports the api_key security scheme without warnings', () => {
    expect(gw.definition.resources['/pets']!.GET!.apiKeyRequired).toBe(true)
    expect(gw.definition.resources['/pets']!.POST!.apiKeyRequired).toBeUndefined()
    expect(gw.seen).toEqual([])
  })

  it('fills $context.identity.apiKey and apiKeyId', async () => {
    const event = json(await gw.handle(withKey(KEY)))
    expect(event.requestContext.identity.apiKey).toBe(KEY)
    expect(event.requestContext.identity.apiKeyId).toBe('alice')
  })

  it('leaves methods without apiKeyRequired open', async () => {
    expect((await gw.handle(withKey(undefined, '/pets', 'POST'))).statusCode).toBe(200)
  })

  it('takes the last x-api-key when the header repeats', async () => {
    expect((await gw.handle(req('GET', '/pets', { headers: { 'x-api-key': ['nope', KEY] } }))).statusCode).toBe(200)
  })

  it('applies a document-level security requirement, and security: [] opts out', async () => {
    const api = doc({ security: [{ api_key: [] }] }, undefined)
    ;(api.paths['/pets'].get as Record<string, unknown>).security = undefined
    delete (api.paths['/pets'].get as Record<string, unknown>).security
    ;(api.paths['/pets'].post as Record<string, unknown>).security = []
    const g = gateway({}, api)
    expect((await g.handle(withKey(undefined))).statusCode).toBe(403)
    expect((await g.handle(withKey(undefined, '/pets', 'POST'))).statusCode).toBe(200)
  })

  it('refuses every request when no usage plan exists', async () => {
    const g = createGateway({ api: doc(), functions: { echo }, onWarning: () => {} })
    expect((await g.handle(withKey(KEY))).statusCode).toBe(403)
  })

  it('renders a customised INVALID_API_KEY gateway response', async () => {
    const g = gateway(
      {},
      doc({
        'x-amazon-apigateway-gateway-responses': {
          INVALID_API_KEY: { statusCode: 401, responseTemplates: { 'application/json': '{"error":"$context.error.responseType"}' } },
        },
      }),
    )
    const res = await g.handle(withKey('nope-nope-nope-nope-nope'))
    expect(res.statusCode).toBe(401)
    expect(json(res)).toEqual({ error: 'INVALID_API_KEY' })
  })

  it('never throws and admits only the exact key (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.constant(KEY),
          fc.constant(`${KEY} `),
          fc.string().map((s) => KEY + s),
        ),
        async (key) => {
          const res = await gw.handle(withKey(key))
          expect(res.statusCode).toBe(key === KEY ? 200 : 403)
        },
      ),
      { numRuns: 200 },
    )
  })

  it('finds each of many keys by its own value, and no near miss (property)', async () => {
    const value = fc.stringMatching(/^[\x21-\x7e]{20,40}$/)
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(value, { minLength: 1, maxLength: 40 }), fc.nat(), fc.nat(), async (values, pick, at) => {
        const ids = values.map((_, i) => `k${i}`)
        const registry = createUsagePlanRegistry({
          apiKeys: values.map((v, i) => ({ id: ids[i], value: v })),
          usagePlans: [{ id: 'p', apiStages: [{ stage: 'prod' }], keys: ids }],
        })
        const g = createGateway({ api: doc(), functions: { echo }, usagePlans: registry, onWarning: () => {} })
        const i = pick % values.length
        const res = await g.handle(withKey(values[i]))
        expect(json(res).requestContext.identity.apiKeyId).toBe(ids[i])
        // One character changed, one added, one dropped: none is a key unless it is another key's value.
        const v = values[i]!
        const j = at % v.length
        const changed = v.slice(0, j) + (v[j] === '!' ? '"' : '!') + v.slice(j + 1)
        for (const miss of [changed, `${v}x`, v.slice(0, -1)]) {
          const other = values.indexOf(miss)
          const out = await g.handle(withKey(miss))
          if (other === -1) expect(out.statusCode).toBe(403)
          else expect(json(out).requestContext.identity.apiKeyId).toBe(ids[other])
        }
      }),
      { numRuns: 60 },
    )
  })

  it('refuses a value longer than any key can be', async () => {
    expect((await gw.handle(withKey('k'.repeat(129)))).statusCode).toBe(403)
    expect((await gw.handle(withKey(`${KEY}${'x'.repeat(8000)}`))).statusCode).toBe(403)
  })
})

describe('managing keys while the gateway runs', () => {
  it('creates, attaches, disables, enables and deletes keys', async () => {
    const registry = createUsagePlanRegistry({ usagePlans: [{ id: 'free', apiStages: [{ stage: 'prod' }] }] })
    const gw = createGateway({ api: doc(), functions: { echo }, usagePlans: registry, onWarning: () => {} })
    const key = registry.createApiKey({ name: 'carol' })
    expect(key.value).toMatch(/^[A-Za-z0-9]{40}$/)
    expect((await gw.handle(withKey(key.value))).statusCode).toBe(403) // not in a plan yet
    registry.createUsagePlanKey('free', key.id)
    expect((await gw.handle(withKey(key.value))).statusCode).toBe(200)
    registry.disableApiKey(key.id)
    expect((await gw.handle(withKey(key.value))).statusCode).toBe(403)
    registry.enableApiKey(key.id)
    expect((await gw.handle(withKey(key.value))).statusCode).toBe(200)
    registry.deleteUsagePlanKey('free', key.id)
    expect((await gw.handle(withKey(key.value))).statusCode).toBe(403)
    registry.createUsagePlanKey('free', key.id)
    registry.deleteApiKey(key.id)
    expect((await gw.handle(withKey(key.value))).statusCode).toBe(403)
    expect(registry.getUsagePlan('free')!.keys).toEqual([])
  })

  it('serves several gateways (stages) from one registry', async () => {
    const registry = createUsagePlanRegistry({
      apiKeys: [{ id: 'k', value: KEY }],
      usagePlans: [{ id: 'p', apiStages: [{ stage: 'beta' }], keys: ['k'] }],
    })
    const beta = createGateway({ api: doc(), stage: 'beta', functions: { echo }, usagePlans: registry, onWarning: () => {} })
    const prod = createGateway({ api: doc(), stage: 'prod', functions: { echo }, usagePlans: registry, onWarning: () => {} })
    expect((await beta.handle(withKey(KEY))).statusCode).toBe(200)
    expect((await prod.handle(withKey(KEY))).statusCode).toBe(403)
  })
})

describe('API key source AUTHORIZER (usageIdentifierKey from a Lambda authorizer)', () => {
  // The real authorizer feature: a TOKEN authorizer whose answer carries usageIdentifierKey.
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html
  const authorizer = async (event: { authorizationToken: string; methodArn: string }) => {
    const policy = { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }] }
    const keys: Record<string, string | undefined> = { alice: KEY, bob: KEY2, nokey: undefined, unknown: 'unknown-key-0123456789' }
    if (!(event.authorizationToken in keys)) throw new Error('Unauthorized')
    const key = keys[event.authorizationToken]
    return { principalId: event.authorizationToken, policyDocument: policy, ...(key === undefined ? {} : { usageIdentifierKey: key }) }
  }
  const api = {
    openapi: '3.0.1',
    info: { title: 'auth-keys', version: '1' },
    'x-amazon-apigateway-api-key-source': 'AUTHORIZER',
    components: {
      securitySchemes: {
        api_key: { type: 'apiKey', name: 'x-api-key', in: 'header' },
        auth: {
          type: 'apiKey',
          name: 'Authorization',
          in: 'header',
          'x-amazon-apigateway-authtype': 'custom',
          'x-amazon-apigateway-authorizer': { type: 'token', authorizerUri: 'auth', authorizerResultTtlInSeconds: 300 },
        },
      },
    },
    paths: { '/pets': { get: { security: [{ api_key: [], auth: [] }], 'x-amazon-apigateway-integration': proxy } } },
  }
  const gw = gateway({ functions: { echo, auth: authorizer } }, api)
  const call = (token: string, apiKey?: string) =>
    gw.handle(req('GET', '/pets', { headers: { authorization: token, ...(apiKey ? { 'x-api-key': apiKey } : {}) } }))

  // [case, token, x-api-key header, status]
  const table: [string, string, string | undefined, number][] = [
    ['authorizer returns a key in the plan', 'alice', undefined, 200],
    ['authorizer returns a key of another stage', 'bob', undefined, 403],
    ['authorizer returns an unknown key', 'unknown', undefined, 403],
    ['authorizer returns no key', 'nokey', undefined, 403],
    ['the x-api-key header is not read', 'nokey', KEY, 403],
    ['authorizer refuses first', 'who', KEY, 401],
  ]
  it.each(table)('%s → %i', async (_name, token, apiKey, status) => {
    const res = await call(token, apiKey)
    expect(res.statusCode).toBe(status)
    if (status === 403) expect(json(res)).toEqual({ message: 'Forbidden' })
  })

  it('imports the key source and fills identity.apiKey from the authorizer, cached answers too', async () => {
    expect(gw.definition.apiKeySource).toBe('AUTHORIZER')
    for (let i = 0; i < 2; i++) {
      const event = json(await call('alice'))
      expect(event.requestContext.identity.apiKey).toBe(KEY)
      expect(event.requestContext.identity.apiKeyId).toBe('alice')
    }
    expect(gw.seen).toEqual([])
  })
})

describe('configuration', () => {
  // [case, input, message fragment]
  const table: [string, Partial<GatewayInput>, string][] = [
    ['short key value', { apiKeys: [{ value: 'short' }] }, '20 to 128'],
    [
      'duplicate key id',
      {
        apiKeys: [
          { id: 'a', value: KEY },
          { id: 'a', value: KEY2 },
        ],
      },
      'already exists',
    ],
    [
      'duplicate key value',
      {
        apiKeys: [
          { id: 'a', value: KEY },
          { id: 'b', value: KEY },
        ],
      },
      'already exists',
    ],
    ['plan naming an unknown key', { usagePlans: [{ id: 'p', keys: ['ghost'] }] }, 'not found'],
    ['bad plan throttle', { usagePlans: [{ id: 'p', throttle: { rateLimit: -1, burstLimit: 1 } }] }, 'rateLimit'],
    ['bad quota period', { usagePlans: [{ id: 'p', quota: { limit: 1, period: 'YEAR' as never } }] }, 'period'],
    [
      'bad per-method throttle key',
      { usagePlans: [{ id: 'p', apiStages: [{ stage: 'prod', throttle: { pets: { rateLimit: 1, burstLimit: 1 } } }] }] },
      '/{resource}/{METHOD}',
    ],
    [
      'a key in two plans of one stage',
      {
        apiKeys: [{ id: 'a', value: KEY }],
        usagePlans: [
          { id: 'p', apiStages: [{ stage: 'prod' }], keys: ['a'] },
          { id: 'q', apiStages: [{ apiId: 'x', stage: 'prod' }], keys: ['a'] },
        ],
      },
      'already in usage plan',
    ],
    ['apiKeys beside a registry', { apiKeys: [], usagePlans: createUsagePlanRegistry() }, 'registry'],
  ]
  it.each(table)('%s', (_name, input, fragment) => {
    const e = configError(() => createGateway({ api: doc(), functions: { echo }, onWarning: () => {}, ...input }))
    expect(e.code).toBe('INVALID_OPTION')
    expect(e.message).toContain(fragment)
  })

  it('rejects an unknown x-amazon-apigateway-api-key-source', () => {
    const e = configError(() => createGateway({ api: doc({ 'x-amazon-apigateway-api-key-source': 'QUERY' }), functions: { echo } }))
    expect([e.code, e.pointer]).toEqual(['INVALID_DEFINITION', '/x-amazon-apigateway-api-key-source'])
  })

  it('warns that HTTP APIs have no API keys', () => {
    const seen: GatewayWarning[] = []
    createGateway({
      api: { resources: { '/pets': { GET: { apiKeyRequired: true, integration: { type: 'MOCK' } } } } },
      apiType: 'HTTP',
      onWarning: (w) => seen.push(w),
    })
    expect(seen.map((w) => [w.code, w.pointer])).toEqual([['IGNORED_SETTING', '/resources/~1pets/GET/apiKeyRequired']])
  })
})
