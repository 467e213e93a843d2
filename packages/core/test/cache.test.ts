/**
 * The stage cache end to end through `handle()`: hits and misses, TTL with an injected clock, cache key
 * parameters, `Cache-Control: max-age=0` with each strategy and with IAM `execute-api:InvalidateCache`,
 * encryption at rest, flush, what is (not) cached, configuration errors.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createResponseCache } from '@gatehousejs/cache'
import {
  createGateway,
  GatewayConfigError,
  UNAUTHORIZED_CACHE_CONTROL_WARNING,
  type GatewayInput,
  type GatewayRequest,
  type IamPrincipals,
  type MethodSetting,
  type PolicyDocument,
  type StageDefinition,
} from '@gatehousejs/core'
import { signRequest } from '@gatehousejs/sigv4'
import { header, json, req, text } from './helpers'

const lambda = (uri: string, extra: Record<string, unknown> = {}) => ({ type: 'aws_proxy', httpMethod: 'POST', uri, ...extra })

/** A backend that answers with a counter, so a cached answer shows an old count. */
function counting(status = 200) {
  let calls = 0
  const fn = async (event: any) => {
    calls++
    return {
      statusCode: status,
      headers: { 'x-call': String(calls) },
      body: JSON.stringify({ call: calls, path: event.path, query: event.queryStringParameters }),
    }
  }
  return { fn, calls: () => calls }
}

function doc(paths: Record<string, unknown>): Record<string, unknown> {
  return { openapi: '3.0.1', info: { title: 'cached', version: '1' }, paths }
}

function gateway(paths: Record<string, unknown>, stage: Partial<StageDefinition> = {}, extra: Partial<GatewayInput> = {}) {
  return createGateway({
    api: doc(paths),
    stage: { stageName: 'prod', cacheClusterEnabled: true, ...stage },
    onWarning: () => {},
    ...extra,
  })
}

const STAGE_WIDE = '*' + '/*'

// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-caching.html
// "When you enable caching for a stage, only GET methods have caching enabled by default." Default TTL 300 s.
describe('hits and misses', () => {
  it('answers a repeated GET from the cache without calling the integration', async () => {
    const b = counting()
    const gw = gateway({ '/pets': { get: { 'x-amazon-apigateway-integration': lambda('pets') } } }, {}, { functions: { pets: b.fn } })
    const first = await gw.handle(req('GET', '/pets'))
    const second = await gw.handle(req('GET', '/pets'))
    expect(b.calls()).toBe(1)
    expect(second.statusCode).toBe(200)
    expect(text(second)).toBe(text(first))
    expect(header(second, 'x-call')).toBe('1')
    // Per-request headers are the request's own, not the cached ones.
    expect(header(second, 'x-amzn-RequestId')).not.toBe(header(first, 'x-amzn-RequestId'))
    expect(gw.stageCacheStats()).toEqual({ hits: 1, misses: 1, routes: { 'GET /pets': { hits: 1, misses: 1 } } })
  })

  it('does not cache other methods unless their own method setting enables it', async () => {
    const b = counting()
    const paths = {
      '/pets': { post: { 'x-amazon-apigateway-integration': lambda('pets') }, put: { 'x-amazon-apigateway-integration': lambda('pets') } },
    }
    const gw = gateway(
      paths,
      { methodSettings: { [STAGE_WIDE]: { cachingEnabled: true }, '/pets/POST': { cachingEnabled: true } } },
      { functions: { pets: b.fn } },
    )
    await gw.handle(req('POST', '/pets'))
    await gw.handle(req('POST', '/pets'))
    expect(b.calls()).toBe(1)
    await gw.handle(req('PUT', '/pets'))
    await gw.handle(req('PUT', '/pets'))
    expect(b.calls()).toBe(3)
  })

  it('an ANY method caches GET requests only, by default', async () => {
    const b = counting()
    const gw = gateway(
      { '/any': { 'x-amazon-apigateway-any-method': { 'x-amazon-apigateway-integration': lambda('pets') } } },
      {},
      { functions: { pets: b.fn } },
    )
    await gw.handle(req('GET', '/any'))
    await gw.handle(req('GET', '/any'))
    await gw.handle(req('DELETE', '/any'))
    await gw.handle(req('DELETE', '/any'))
    expect(b.calls()).toBe(3)
  })

  it('is off when the cluster is off, when caching is disabled stage-wide or per method, and for TTL 0', async () => {
    const paths = { '/pets': { get: { 'x-amazon-apigateway-integration': lambda('pets') } } }
    const cases: Partial<StageDefinition>[] = [
      { cacheClusterEnabled: false },
      { methodSettings: { [STAGE_WIDE]: { cachingEnabled: false } } },
      { methodSettings: { '/pets/GET': { cachingEnabled: false } } },
      { methodSettings: { '~1pets/GET': { cacheTtlInSeconds: 0 } } },
    ]
    for (const stage of cases) {
      const b = counting()
      const gw = gateway(paths, stage, { functions: { pets: b.fn } })
      await gw.handle(req('GET', '/pets'))
      await gw.handle(req('GET', '/pets'))
      expect(b.calls(), JSON.stringify(stage)).toBe(2)
      expect(gw.stageCacheStats()?.hits ?? 0).toBe(0)
    }
  })
})

describe('TTL', () => {
  it('serves an entry until its TTL has passed, by the injected clock', async () => {
    let now = 1_000_000
    const b = counting()
    const gw = gateway(
      { '/pets': { get: { 'x-amazon-apigateway-integration': lambda('pets') } } },
      { methodSettings: { [STAGE_WIDE]: { cacheTtlInSeconds: 60 } } },
      { functions: { pets: b.fn }, now: () => now },
    )
    await gw.handle(req('GET', '/pets'))
    now += 59_999
    expect(json(await gw.handle(req('GET', '/pets'))).call).toBe(1)
    now += 1
    expect(json(await gw.handle(req('GET', '/pets'))).call).toBe(2)
  })

  it('uses the default 300 s', async () => {
    let now = 0
    const b = counting()
    const gw = gateway(
      { '/pets': { get: { 'x-amazon-apigateway-integration': lambda('pets') } } },
      {},
      { functions: { pets: b.fn }, now: () => now },
    )
    await gw.handle(req('GET', '/pets'))
    now = 299_999
    await gw.handle(req('GET', '/pets'))
    now = 300_000
    await gw.handle(req('GET', '/pets'))
    expect(b.calls()).toBe(2)
  })
})

// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-caching.html#enable-api-gateway-cache-keys
describe('cache key parameters', () => {
  const op = (keys: string[], extra: Record<string, unknown> = {}) => ({
    'x-amazon-apigateway-integration': lambda('pets', { cacheKeyParameters: keys, ...extra }),
  })

  it.each([
    ['a query string parameter splits', ['method.request.querystring.type'], ['/pets?type=cat', '/pets?type=dog'], 2],
    ['other query parameters do not split', ['method.request.querystring.type'], ['/pets?type=cat&page=1', '/pets?type=cat&page=2'], 1],
    ['no key parameters: the query does not split', [], ['/pets?type=cat', '/pets?type=dog'], 1],
    ['absent and present values are different keys', ['method.request.querystring.type'], ['/pets', '/pets?type='], 2],
    ['the last of repeated values is the key', ['method.request.querystring.type'], ['/pets?type=a&type=cat', '/pets?type=cat'], 1],
    [
      'multi-value query keys use every value',
      ['method.request.multivaluequerystring.type'],
      ['/pets?type=a&type=cat', '/pets?type=cat'],
      2,
    ],
  ])('%s', async (_name, keys, urls, calls) => {
    const b = counting()
    const gw = gateway({ '/pets': { get: op(keys) } }, {}, { functions: { pets: b.fn } })
    for (const u of urls) await gw.handle(req('GET', u))
    expect(b.calls()).toBe(calls)
  })

  it('headers split, by name in any case', async () => {
    const b = counting()
    const gw = gateway({ '/pets': { get: op(['method.request.header.Accept-Language']) } }, {}, { functions: { pets: b.fn } })
    await gw.handle(req('GET', '/pets', { headers: { 'accept-language': 'en' } }))
    await gw.handle(req('GET', '/pets', { headers: { 'accept-language': 'en', 'x-other': '1' } }))
    await gw.handle(req('GET', '/pets', { headers: { 'accept-language': 'fr' } }))
    expect(b.calls()).toBe(2)
  })

  it('path parameters split only when they are key parameters (as on API Gateway)', async () => {
    const shared = counting()
    const gw1 = gateway({ '/pets/{id}': { get: op([]) } }, {}, { functions: { pets: shared.fn } })
    expect(json(await gw1.handle(req('GET', '/pets/1'))).path).toBe('/pets/1')
    expect(json(await gw1.handle(req('GET', '/pets/2'))).path).toBe('/pets/1')
    const split = counting()
    const gw2 = gateway({ '/pets/{id}': { get: op(['method.request.path.id']) } }, {}, { functions: { pets: split.fn } })
    await gw2.handle(req('GET', '/pets/1'))
    expect(json(await gw2.handle(req('GET', '/pets/2'))).path).toBe('/pets/2')
    expect(json(await gw2.handle(req('GET', '/pets/1'))).call).toBe(1)
  })

  it('an integration parameter keys by the method parameter it is mapped from', async () => {
    const b = counting()
    const gw = gateway(
      {
        '/pets': {
          get: op(['integration.request.querystring.kind'], {
            requestParameters: { 'integration.request.querystring.kind': 'method.request.querystring.type' },
          }),
        },
      },
      {},
      { functions: { pets: b.fn } },
    )
    await gw.handle(req('GET', '/pets?type=cat'))
    await gw.handle(req('GET', '/pets?type=cat&x=1'))
    await gw.handle(req('GET', '/pets?type=dog'))
    expect(b.calls()).toBe(2)
  })

  it('routes never share entries, nor do methods of one resource', async () => {
    const b = counting()
    const paths = { '/a': { get: op([]) }, '/b': { get: op([]) }, '/c': { 'x-amazon-apigateway-any-method': op([]) } }
    const gw = gateway(paths, { methodSettings: { '/c/ANY': { cachingEnabled: true } } }, { functions: { pets: b.fn } })
    for (const [m, u] of [
      ['GET', '/a'],
      ['GET', '/b'],
      ['GET', '/c'],
      ['POST', '/c'],
      ['GET', '/a'],
      ['POST', '/c'],
    ] as const)
      await gw.handle(req(m, u))
    expect(b.calls()).toBe(4)
  })

  it('property: two requests share an entry exactly when their key values are equal', async () => {
    const b = counting()
    const gw = gateway(
      { '/pets': { get: op(['method.request.querystring.q', 'method.request.header.x-k']) } },
      {},
      { functions: { pets: b.fn } },
    )
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 6 }),
        fc.string({ maxLength: 6 }),
        fc.string({ unit: fc.constantFrom('a', 'b', ','), maxLength: 3 }),
        async (q1, q2, h) => {
          await gw.flushStageCache()
          const before = b.calls()
          const url = (q: string) => `/pets?q=${encodeURIComponent(q)}`
          await gw.handle(req('GET', url(q1), { headers: { 'x-k': h } }))
          await gw.handle(req('GET', url(q2), { headers: { 'x-k': h } }))
          expect(b.calls() - before).toBe(q1 === q2 ? 1 : 2)
        },
      ),
      { numRuns: 60 },
    )
  })
})

// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-caching.html#invalidate-method-caching
// Per-key invalidation: `Cache-Control: max-age=0` from an authorized client replaces the entry; an unauthorized
// one is refused (FAIL_WITH_403) or served from the cache with (SUCCEED_WITH_RESPONSE_HEADER) or without a warning.
describe('Cache-Control: max-age=0', () => {
  const paths = { '/pets': { get: { 'x-amazon-apigateway-integration': lambda('pets') } } }
  const invalidating = (extra: Record<string, string> = {}) => req('GET', '/pets', { headers: { 'cache-control': 'max-age=0', ...extra } })

  it('replaces the entry when no authorization is required', async () => {
    const b = counting()
    const gw = gateway(
      paths,
      { methodSettings: { [STAGE_WIDE]: { requireAuthorizationForCacheControl: false } } },
      { functions: { pets: b.fn } },
    )
    await gw.handle(req('GET', '/pets'))
    expect(json(await gw.handle(invalidating())).call).toBe(2)
    expect(json(await gw.handle(req('GET', '/pets'))).call).toBe(2)
    for (const cc of ['no-cache, max-age=0', 'MAX-AGE = 0', 'max-age="0"']) {
      expect(json(await gw.handle(req('GET', '/pets', { headers: { 'cache-control': cc } }))).call, cc).toBeGreaterThan(2)
    }
    expect(json(await gw.handle(req('GET', '/pets', { headers: { 'cache-control': 'max-age=10' } }))).call).toBe(5)
  })

  it('property: any Cache-Control value is handled; only a max-age=0 directive invalidates', async () => {
    const b = counting()
    const gw = gateway(
      paths,
      { methodSettings: { [STAGE_WIDE]: { requireAuthorizationForCacheControl: false } } },
      { functions: { pets: b.fn } },
    )
    await gw.handle(req('GET', '/pets'))
    const directive = fc.oneof(
      fc.constantFrom(
        'no-cache',
        'max-age=0',
        'max-age=00',
        'max-age=10',
        's-maxage=0',
        'x-max-age=0',
        'max-age',
        'max-age=0x',
        'no-store',
      ),
      fc.string({ maxLength: 12 }),
    )
    await fc.assert(
      fc.asyncProperty(fc.array(directive, { maxLength: 4 }), async (parts) => {
        const value = parts.join(', ')
        const before = b.calls()
        const res = await gw.handle(req('GET', '/pets', { headers: { 'cache-control': value } }))
        expect(res.statusCode).toBe(200)
        const invalidates = value.split(',').some((p) => /^\s*max-age\s*=\s*"?0+"?\s*$/i.test(p))
        expect(b.calls() - before).toBe(invalidates ? 1 : 0)
      }),
      { numRuns: 150 },
    )
  })

  it('is ignored on a method that does not cache', async () => {
    const b = counting()
    const gw = gateway(
      { '/pets': { post: { 'x-amazon-apigateway-integration': lambda('pets') } } },
      { methodSettings: { [STAGE_WIDE]: { unauthorizedCacheControlHeaderStrategy: 'FAIL_WITH_403' } } },
      { functions: { pets: b.fn } },
    )
    expect((await gw.handle(req('POST', '/pets', { headers: { 'cache-control': 'max-age=0' } }))).statusCode).toBe(200)
  })

  it.each([
    ['SUCCEED_WITH_RESPONSE_HEADER', 200, UNAUTHORIZED_CACHE_CONTROL_WARNING],
    ['SUCCEED_WITHOUT_RESPONSE_HEADER', 200, undefined],
  ] as const)('%s: an unauthorized caller gets the cached response', async (strategy, status, warning) => {
    const b = counting()
    const gw = gateway(
      paths,
      { methodSettings: { [STAGE_WIDE]: { unauthorizedCacheControlHeaderStrategy: strategy } } },
      { functions: { pets: b.fn } },
    )
    await gw.handle(req('GET', '/pets'))
    const res = await gw.handle(invalidating())
    expect(res.statusCode).toBe(status)
    expect(json(res).call).toBe(1)
    expect(header(res, 'warning')).toBe(warning)
    expect(b.calls()).toBe(1)
  })

  it('the default strategy is SUCCEED_WITH_RESPONSE_HEADER, and authorization is required by default', async () => {
    const b = counting()
    const gw = gateway(paths, {}, { functions: { pets: b.fn } })
    await gw.handle(req('GET', '/pets'))
    const res = await gw.handle(invalidating())
    expect(json(res).call).toBe(1)
    expect(header(res, 'warning')).toBe(UNAUTHORIZED_CACHE_CONTROL_WARNING)
  })

  it('FAIL_WITH_403: an unauthorized caller is refused and the entry stays', async () => {
    const b = counting()
    const gw = gateway(
      paths,
      { methodSettings: { '/pets/GET': { unauthorizedCacheControlHeaderStrategy: 'FAIL_WITH_403' } } },
      { functions: { pets: b.fn } },
    )
    await gw.handle(req('GET', '/pets'))
    const res = await gw.handle(invalidating())
    expect(res.statusCode).toBe(403)
    expect(json(res)).toEqual({ message: 'Forbidden' })
    expect(header(res, 'x-amzn-ErrorType')).toBe('AccessDeniedException')
    expect(json(await gw.handle(req('GET', '/pets'))).call).toBe(1)
    expect(b.calls()).toBe(1)
  })

  it('a hook decides who may invalidate (e.g. from the Lambda authorizer context)', async () => {
    const b = counting()
    const seen: string[] = []
    const gw = gateway(
      paths,
      {},
      {
        functions: { pets: b.fn },
        authorizeCacheInvalidation: ({ request, methodArn }) => {
          seen.push(methodArn)
          return request.headers['x-admin'] === 'yes'
        },
      },
    )
    await gw.handle(req('GET', '/pets'))
    expect(json(await gw.handle(invalidating())).call).toBe(1)
    expect(json(await gw.handle(invalidating({ 'x-admin': 'yes' }))).call).toBe(2)
    expect(seen[0]).toMatch(/^arn:aws:execute-api:us-east-1:123456789012:[a-z0-9]+\/prod\/GET\/pets$/)
    // A throwing hook denies.
    const gw2 = gateway(
      paths,
      { methodSettings: { [STAGE_WIDE]: { unauthorizedCacheControlHeaderStrategy: 'FAIL_WITH_403' } } },
      {
        functions: { pets: b.fn },
        authorizeCacheInvalidation: () => {
          throw new Error('boom')
        },
      },
    )
    expect((await gw2.handle(invalidating())).statusCode).toBe(403)
  })

  describe('IAM execute-api:InvalidateCache', () => {
    const REGION = 'us-east-1'
    const ACCOUNT = '111122223333'
    const API_ID = 'cache12345'
    const NOW = Date.UTC(2026, 0, 15, 12, 0, 0)
    const invoke: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' }] }
    const invalidate: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 'execute-api:InvalidateCache',
          Resource: `arn:aws:execute-api:${REGION}:${ACCOUNT}:${API_ID}/prod/GET/pets`,
        },
      ],
    }
    const principals: IamPrincipals = {
      AKIAADMIN: { secretAccessKey: 'admin-secret', arn: `arn:aws:iam::${ACCOUNT}:user/admin`, policies: [invoke, invalidate] },
      AKIAREADER: { secretAccessKey: 'reader-secret', arn: `arn:aws:iam::${ACCOUNT}:user/reader`, policies: [invoke] },
    }
    const iamPaths = {
      '/pets': { get: { security: [{ sigv4: [] }], 'x-amazon-apigateway-integration': lambda('pets') } },
    }
    const api = {
      ...doc(iamPaths),
      components: {
        securitySchemes: { sigv4: { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'awsSigv4' } },
      },
    }
    const make = (fn: (e: any) => Promise<unknown>) =>
      createGateway({
        api,
        apiId: API_ID,
        accountId: ACCOUNT,
        region: REGION,
        now: () => NOW,
        stage: {
          stageName: 'prod',
          cacheClusterEnabled: true,
          methodSettings: { [STAGE_WIDE]: { unauthorizedCacheControlHeaderStrategy: 'FAIL_WITH_403' } },
        },
        principals,
        functions: { pets: fn },
        onWarning: () => {},
      })
    const signed = (who: 'admin' | 'reader' | 'nobody', cc?: string): GatewayRequest => {
      const r: GatewayRequest = {
        method: 'GET',
        path: '/pets',
        headers: { host: `${API_ID}.execute-api.${REGION}.amazonaws.com`, ...(cc ? { 'cache-control': cc } : {}) },
        sourceIp: '203.0.113.7',
      }
      if (who === 'nobody') return r
      const keys = { admin: ['AKIAADMIN', 'admin-secret'], reader: ['AKIAREADER', 'reader-secret'] }[who]
      return {
        ...r,
        ...signRequest(r, { accessKeyId: keys[0]!, secretAccessKey: keys[1]! }, { region: REGION, service: 'execute-api', date: NOW }),
      }
    }

    it('a caller allowed InvalidateCache replaces the entry; one without it is refused', async () => {
      const b = counting()
      const gw = make(b.fn)
      expect(json(await gw.handle(signed('reader'))).call).toBe(1)
      const refused = await gw.handle(signed('reader', 'max-age=0'))
      expect(refused.statusCode).toBe(403)
      expect(json(await gw.handle(signed('admin'))).call).toBe(1)
      expect(json(await gw.handle(signed('admin', 'max-age=0'))).call).toBe(2)
      expect(json(await gw.handle(signed('reader'))).call).toBe(2)
    })

    it('a cached response is never served to a caller the authorizer refuses', async () => {
      const b = counting()
      const gw = make(b.fn)
      await gw.handle(signed('admin'))
      const res = await gw.handle(signed('nobody'))
      expect(res.statusCode).toBe(403)
      expect(json(res)).toEqual({ message: 'Missing Authentication Token' })
      expect(gw.stageCacheStats()!.hits).toBe(0)
    })
  })
})

describe('encryption at rest (cacheDataEncrypted)', () => {
  const paths = { '/me': { get: { 'x-amazon-apigateway-integration': lambda('me') } } }
  const secret = async () => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"ssn":"123-45-6789"}' })
  const settings: Record<string, MethodSetting> = { '/me/GET': { cacheDataEncrypted: true } }

  it('stores ciphertext and serves the plaintext back', async () => {
    const store = createResponseCache({ maxBytes: 1 << 20 })
    const written: unknown[] = []
    const spy = {
      ...store,
      set: (k: string, v: any, ttl?: number) => (written.push(v), store.set(k, v, ttl)),
      get: store.get,
      flush: store.flush,
      delete: store.delete,
      stats: store.stats,
    }
    const key = new Uint8Array(32).fill(7)
    const gw = gateway(paths, { methodSettings: settings }, { functions: { me: secret }, cache: spy, cacheEncryptionKey: key })
    await gw.handle(req('GET', '/me'))
    const hit = await gw.handle(req('GET', '/me'))
    expect(text(hit)).toBe('{"ssn":"123-45-6789"}')
    expect(header(hit, 'content-type')).toBe('application/json')
    expect(gw.stageCacheStats()!.hits).toBe(1)
    const stored = written[0] as { statusCode: number; headers: object; body: Uint8Array }
    expect(stored.statusCode).toBe(0)
    expect(stored.headers).toEqual({})
    expect(Buffer.from(stored.body).toString('latin1')).not.toContain('123-45-6789')

    // Another gateway on the same store: the same key reads the entry, another key misses.
    const calls = counting()
    const same = gateway(paths, { methodSettings: settings }, { functions: { me: calls.fn }, cache: spy, cacheEncryptionKey: key })
    expect(text(await same.handle(req('GET', '/me')))).toBe('{"ssn":"123-45-6789"}')
    const other = gateway(
      paths,
      { methodSettings: settings },
      { functions: { me: calls.fn }, cache: spy, cacheEncryptionKey: new Uint8Array(32).fill(9) },
    )
    expect(json(await other.handle(req('GET', '/me'))).call).toBe(1)
  })
})

describe('flush and what is cached', () => {
  it('flushStageCache empties the cache', async () => {
    const b = counting()
    const gw = gateway({ '/pets': { get: { 'x-amazon-apigateway-integration': lambda('pets') } } }, {}, { functions: { pets: b.fn } })
    await gw.handle(req('GET', '/pets'))
    await gw.handle(req('GET', '/pets'))
    await gw.flushStageCache()
    expect(json(await gw.handle(req('GET', '/pets'))).call).toBe(2)
    // A gateway without a cache: flushing is a no-op and there are no stats.
    const plain = createGateway({
      api: doc({ '/p': { get: { 'x-amazon-apigateway-integration': lambda('pets') } } }),
      functions: { pets: b.fn },
    })
    await plain.flushStageCache()
    expect(plain.stageCacheStats()).toBeNull()
  })

  it('caches whatever status the integration answered, never a gateway-made failure', async () => {
    const notFound = counting(404)
    const gw = gateway(
      { '/pets': { get: { 'x-amazon-apigateway-integration': lambda('pets') } } },
      {},
      { functions: { pets: notFound.fn } },
    )
    await gw.handle(req('GET', '/pets'))
    expect((await gw.handle(req('GET', '/pets'))).statusCode).toBe(404)
    expect(notFound.calls()).toBe(1)

    let calls = 0
    const failing = async () => {
      calls++
      throw new Error('boom')
    }
    const gw2 = gateway({ '/pets': { get: { 'x-amazon-apigateway-integration': lambda('pets') } } }, {}, { functions: { pets: failing } })
    expect((await gw2.handle(req('GET', '/pets'))).statusCode).toBe(502)
    expect((await gw2.handle(req('GET', '/pets'))).statusCode).toBe(502)
    expect(calls).toBe(2)
  })

  it('does not cache a response over 1 MiB', async () => {
    let calls = 0
    const big = async () => ({ statusCode: 200, body: (++calls, 'x'.repeat(1_048_577)) })
    const gw = gateway({ '/big': { get: { 'x-amazon-apigateway-integration': lambda('big') } } }, {}, { functions: { big } })
    await gw.handle(req('GET', '/big'))
    await gw.handle(req('GET', '/big'))
    expect(calls).toBe(2)
  })

  it('a binary body round-trips', async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 255])
    const bin = async () => ({
      statusCode: 200,
      headers: { 'content-type': 'image/png' },
      isBase64Encoded: true,
      body: bytes.toString('base64'),
    })
    const api = {
      ...doc({ '/img': { get: { 'x-amazon-apigateway-integration': lambda('bin') } } }),
      'x-amazon-apigateway-binary-media-types': ['image/png'],
    }
    const gw = createGateway({ api, stage: { stageName: 'prod', cacheClusterEnabled: true }, functions: { bin }, onWarning: () => {} })
    const a = await gw.handle(req('GET', '/img', { headers: { accept: 'image/png' } }))
    const b = await gw.handle(req('GET', '/img', { headers: { accept: 'image/png' } }))
    expect(gw.stageCacheStats()!.hits).toBe(1)
    expect(Buffer.from(b.body as Uint8Array)).toEqual(Buffer.from(a.body as Uint8Array))
  })

  it('a store that fails is a miss, never a failed request', async () => {
    const b = counting()
    let n = 0
    const broken = {
      // Alternately a rejected promise and a synchronous throw.
      get: () => {
        if (n++ % 2 === 0) return Promise.reject(new Error('down'))
        throw new Error('down')
      },
      set: () => {
        throw new Error('down')
      },
      delete: () => false,
      flush: () => undefined,
      stats: () => ({ hits: 0, misses: 0, evictions: 0, expired: 0, bytes: 0, entries: 0 }),
    }
    const gw = gateway(
      { '/pets': { get: { 'x-amazon-apigateway-integration': lambda('pets') } } },
      {},
      { functions: { pets: b.fn }, cache: broken },
    )
    expect((await gw.handle(req('GET', '/pets'))).statusCode).toBe(200)
    expect((await gw.handle(req('GET', '/pets'))).statusCode).toBe(200)
    expect(b.calls()).toBe(2)
  })
})

describe('configuration', () => {
  const paths = { '/pets': { get: { 'x-amazon-apigateway-integration': lambda('pets') } } }
  it.each([
    ['an unknown cluster size', { cacheClusterSize: '2' }, /cacheClusterSize/],
    ['a TTL over 3600', { methodSettings: { [STAGE_WIDE]: { cacheTtlInSeconds: 3601 } } }, /cacheTtlInSeconds/],
    ['a negative TTL', { methodSettings: { [STAGE_WIDE]: { cacheTtlInSeconds: -1 } } }, /cacheTtlInSeconds/],
    ['an unknown resource', { methodSettings: { '/cats/GET': { cachingEnabled: true } } }, /no resource|no method/],
    ['an unknown method', { methodSettings: { '/pets/POST': { cachingEnabled: true } } }, /no POST method|no method \/pets\/POST/],
    [
      'an unknown strategy',
      { methodSettings: { [STAGE_WIDE]: { unauthorizedCacheControlHeaderStrategy: 'NOPE' as never } } },
      /unauthorizedCacheControlHeaderStrategy/,
    ],
  ])('refuses %s', (_name, stage, message) => {
    expect(() => gateway(paths, stage as Partial<StageDefinition>, { functions: { pets: async () => ({}) } })).toThrow(message)
    try {
      gateway(paths, stage as Partial<StageDefinition>, { functions: { pets: async () => ({}) } })
    } catch (e) {
      expect(e).toBeInstanceOf(GatewayConfigError)
      expect((e as GatewayConfigError).code).toBe('INVALID_OPTION')
    }
  })

  it('accepts every AWS size and a byte count', () => {
    for (const size of ['0.5', '1.6', '6.1', '13.5', '28.4', '58.2', '118', '237', 0.5, 4096]) {
      expect(() => gateway(paths, { cacheClusterSize: size }, { functions: { pets: async () => ({}) } })).not.toThrow()
    }
  })

  it('refuses a bad cache key parameter, a bad key, and a cache on an HTTP API', () => {
    const bad = {
      '/pets': { get: { 'x-amazon-apigateway-integration': lambda('pets', { cacheKeyParameters: ['method.request.body.x'] }) } },
    }
    expect(() => gateway(bad, {}, { functions: { pets: async () => ({}) } })).toThrow(/cache key parameter/)
    expect(() => gateway(paths, {}, { functions: { pets: async () => ({}) }, cacheEncryptionKey: new Uint8Array(16) })).toThrow(/32 bytes/)
    expect(() =>
      createGateway({
        api: doc(paths),
        apiType: 'HTTP',
        stage: { stageName: '$default', cacheClusterEnabled: true },
        functions: { pets: async () => ({}) },
        onWarning: () => {},
      }),
    ).toThrow(/REST API feature/)
  })
})
