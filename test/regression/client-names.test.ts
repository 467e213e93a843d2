/**
 * Issue #12, finding 3: names that come from the client are plain data. `?constructor=1`, `?__proto__=1`,
 * `?toString=`, a header called `constructor` … answered 500 on Lambda-proxy and REQUEST-authorizer routes, and
 * payload 2.0 showed `"function Object() { [native code] },1"`. Whatever the name (every property of
 * `Object.prototype` included), through `handle()`: the status is never 500, the Lambda (and the authorizer)
 * sees exactly the names and values sent, `$input.params()` holds them, `Object.prototype` is unchanged and
 * nothing is logged as an error. The same cases run in every adapter over real sockets in
 * `packages/node/test/adapter-suite.ts`.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createGateway, type GatewayInput, type GatewayRequest, type GatewayResponse } from '@gatehousejs/core'
import { fuzzParams } from '@gatehousejs/test-kit'

const PROTO_NAMES = [...Object.getOwnPropertyNames(Object.prototype), '__proto__', 'prototype']

/** A name: one of Object.prototype's, a random string, or a random string that looks like one. */
const anyName = fc.oneof(
  fc.constantFrom(...PROTO_NAMES),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }),
  fc.constantFrom(...PROTO_NAMES).chain((n) => fc.string({ maxLength: 3 }).map((s) => n + s)),
)
const anyValue = fc.oneof(fc.constant(''), fc.constantFrom(...PROTO_NAMES), fc.string({ unit: 'grapheme', maxLength: 12 }))

/** Header names the HTTP parser admits (RFC 9110 tokens), lower-case as core's contract wants them. */
const TCHAR = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyz"
const tokenName = fc.oneof(
  fc.constantFrom(...PROTO_NAMES.map((n) => n.toLowerCase()), 'constructor', '__proto__'),
  fc.string({ unit: fc.constantFrom(...TCHAR), minLength: 1, maxLength: 12 }),
)
/** Header values: visible ASCII and spaces inside (no leading/trailing whitespace, which HTTP trims). */
const headerValue = fc
  .string({ unit: fc.constantFrom(...'abcXYZ019 -_=;:,./"{}[]()'), maxLength: 16 })
  .map((s) => s.trim())
  .filter((s) => !s.includes(',') && !s.includes(';'))

const FN = (name: string) =>
  `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:${name}/invocations`
const proxy = (fn: string, extra: Record<string, unknown> = {}) => ({ type: 'aws_proxy', httpMethod: 'POST', uri: FN(fn), ...extra })

const KEY = 'client-names-key-0123456789'
const DUMP = (map: string) =>
  `[#foreach($k in $input.params().${map}.keySet())["$util.urlEncode($k)","$util.urlEncode($input.params().${map}.get($k))"]#if($foreach.hasNext),#end#end]`
const VTL_TEMPLATE = `{"querystring": ${DUMP('querystring')}, "header": ${DUMP('header')}, "path": ${DUMP('path')},
 "ctor": "$util.urlEncode($input.params('constructor'))", "proto": "$util.urlEncode($input.params('__proto__'))",
 "toString": "$util.urlEncode($input.params('toString'))"}`

/** Every event a function received, by function. */
const seen: Record<string, any[]> = { echo: [], auth: [], vtl: [] }
const record = (name: string) => async (event: any) => {
  seen[name]!.push(JSON.parse(JSON.stringify(event)))
  return name === 'vtl' ? { ok: true } : { statusCode: 200, body: '{}' }
}
const allowAll = async (event: any) => {
  seen.auth!.push(JSON.parse(JSON.stringify(event)))
  if (event.version === '2.0' && event.type === 'REQUEST' && event.routeArn) return { isAuthorized: true }
  return {
    principalId: 'p',
    policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: '*' }] },
  }
}
const functions = { echo: record('echo'), vtl: record('vtl'), auth: allowAll }

function restGateway(): ReturnType<typeof createGateway> {
  const authorizer = (type: 'token' | 'request', source: string) => ({
    type: 'apiKey',
    name: 'x-auth',
    in: 'header',
    'x-amazon-apigateway-authtype': 'custom',
    'x-amazon-apigateway-authorizer': { type, authorizerUri: FN('auth'), identitySource: source, authorizerResultTtlInSeconds: 0 },
  })
  const input: GatewayInput = {
    api: {
      openapi: '3.0.1',
      info: { title: 'client-names', version: '1' },
      components: {
        securitySchemes: {
          req: authorizer('request', 'method.request.header.x-auth'),
          tok: authorizer('token', 'method.request.header.x-auth'),
          api_key: { type: 'apiKey', name: 'x-api-key', in: 'header' },
        },
      },
      'x-amazon-apigateway-request-validators': { params: { validateRequestParameters: true, validateRequestBody: false } },
      paths: {
        '/proxy/{id}': { get: { 'x-amazon-apigateway-integration': proxy('echo') } },
        '/greedy/{rest+}': { get: { 'x-amazon-apigateway-integration': proxy('echo') } },
        '/request-auth/{id}': { get: { security: [{ req: [] }], 'x-amazon-apigateway-integration': proxy('echo') } },
        '/token-auth/{id}': { get: { security: [{ tok: [] }], 'x-amazon-apigateway-integration': proxy('echo') } },
        '/keyed/{id}': { get: { security: [{ api_key: [] }], 'x-amazon-apigateway-integration': proxy('echo') } },
        // The operator's own names may be Object.prototype's too.
        '/cached/{constructor}': {
          get: {
            'x-amazon-apigateway-integration': proxy('echo', {
              cacheKeyParameters: [
                'method.request.querystring.constructor',
                'method.request.multivaluequerystring.__proto__',
                'method.request.header.constructor',
                'method.request.multivalueheader.__proto__',
                'method.request.path.constructor',
                'method.request.querystring.nonce',
              ],
            }),
          },
        },
        '/required': {
          get: {
            'x-amazon-apigateway-request-validator': 'params',
            parameters: [
              { name: 'constructor', in: 'query', required: true, schema: { type: 'string' } },
              { name: '__proto__', in: 'header', required: true, schema: { type: 'string' } },
              { name: 'toString', in: 'query', required: true, schema: { type: 'string' } },
            ],
            'x-amazon-apigateway-integration': proxy('echo'),
          },
        },
        '/vtl/{id}': {
          get: {
            'x-amazon-apigateway-integration': {
              type: 'aws',
              httpMethod: 'POST',
              uri: FN('vtl'),
              requestTemplates: { 'application/json': VTL_TEMPLATE },
              responses: { default: { statusCode: '200' } },
            },
          },
        },
      },
    },
    stage: {
      stageName: 'prod',
      cacheClusterEnabled: true,
      methodSettings: { ['*' + '/*']: { cachingEnabled: false }, '/cached/{constructor}/GET': { cachingEnabled: true } },
    },
    functions,
    apiKeys: [{ id: 'k', value: KEY }],
    usagePlans: [{ id: 'plan', apiStages: [{ stage: 'prod' }], keys: ['k'], throttle: { rateLimit: 1e6, burstLimit: 1e6 } }],
    onWarning: () => {},
  }
  return createGateway(input)
}

function httpGateway(): ReturnType<typeof createGateway> {
  const lambdaAuth = (version: '1.0' | '2.0') => ({
    type: 'apiKey',
    name: 'x-auth',
    in: 'header',
    'x-amazon-apigateway-authorizer': {
      type: 'request',
      authorizerUri: FN('auth'),
      identitySource: '$request.header.x-auth',
      authorizerPayloadFormatVersion: version,
      ...(version === '2.0' ? { enableSimpleResponses: true } : {}),
      authorizerResultTtlInSeconds: 0,
    },
  })
  return createGateway({
    apiType: 'HTTP',
    api: {
      openapi: '3.0.1',
      info: { title: 'client-names-http', version: '1' },
      components: { securitySchemes: { v1: lambdaAuth('1.0'), v2: lambdaAuth('2.0') } },
      paths: {
        '/v2/{id}': { get: { 'x-amazon-apigateway-integration': proxy('echo', { payloadFormatVersion: '2.0' }) } },
        '/v1/{id}': { get: { 'x-amazon-apigateway-integration': proxy('echo', { payloadFormatVersion: '1.0' }) } },
        '/auth2/{id}': {
          get: { security: [{ v2: [] }], 'x-amazon-apigateway-integration': proxy('echo', { payloadFormatVersion: '2.0' }) },
        },
        '/auth1/{id}': {
          get: { security: [{ v1: [] }], 'x-amazon-apigateway-integration': proxy('echo', { payloadFormatVersion: '1.0' }) },
        },
      },
    },
    functions,
    onWarning: () => {},
  })
}

/** One generated request: query pairs, extra headers, cookies and a path parameter value. */
interface Sent {
  query: [string, string][]
  headers: [string, string][]
  cookies: [string, string][]
  param: string
}

const sentArb: fc.Arbitrary<Sent> = fc.record({
  query: fc.array(fc.tuple(anyName, anyValue), { maxLength: 5 }),
  headers: fc.uniqueArray(fc.tuple(tokenName, headerValue), { maxLength: 4, selector: ([n]) => n }).map((hs) =>
    // Names core or the test itself reads for its own purposes are left out.
    hs.filter(
      ([n]) =>
        ![
          'host',
          'cookie',
          'x-auth',
          'x-api-key',
          'content-length',
          'transfer-encoding',
          'content-type',
          'cache-control',
          'authorization',
        ].includes(n) &&
        !n.startsWith('x-forwarded-') &&
        !n.startsWith('x-amz'),
    ),
  ),
  cookies: fc.array(
    fc.tuple(
      fc.oneof(fc.constantFrom(...PROTO_NAMES), fc.string({ unit: fc.constantFrom(...'abcXYZ_09'), minLength: 1, maxLength: 6 })),
      fc.string({ unit: fc.constantFrom(...'abc019'), maxLength: 6 }),
    ),
    { maxLength: 3 },
  ),
  param: fc.oneof(fc.constantFrom(...PROTO_NAMES), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 10 })),
})

const enc = (s: string) => encodeURIComponent(s)

let nonce = 0
function build(path: string, sent: Sent, extra: [string, string][] = [], extraQuery = ''): GatewayRequest {
  const query = sent.query.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&') + extraQuery
  const headers: Record<string, string | string[]> = { host: 'api.example.com' }
  for (const [k, v] of [...sent.headers, ...extra]) {
    // Defined, not assigned: the test must not itself turn `__proto__` into a prototype change.
    Object.defineProperty(headers, k, { value: v, enumerable: true, writable: true, configurable: true })
  }
  if (sent.cookies.length > 0) headers.cookie = sent.cookies.map(([k, v]) => `${k}=${v}`).join('; ')
  return { method: 'GET', path: `${path}/${enc(sent.param)}`, query, headers, sourceIp: '203.0.113.9' }
}

/** What a map built from the pairs must be: the last value of each name (first-seen order irrelevant). */
function lastValues(pairs: readonly [string, string][]): Map<string, string> {
  const m = new Map<string, string>()
  for (const [k, v] of pairs) m.set(k, v)
  return m
}
function allValues(pairs: readonly [string, string][], join?: string): Map<string, string | string[]> {
  const m = new Map<string, string[]>()
  for (const [k, v] of pairs) {
    const list = m.get(k)
    if (list) list.push(v)
    else m.set(k, [v])
  }
  if (join === undefined) return m
  return new Map([...m].map(([k, v]) => [k, v.join(join)]))
}
/** Own entries of an event map, as a Map (the event went through JSON, as it would to a real Lambda). */
function own(map: unknown): Map<string, unknown> {
  if (map === null || map === undefined) return new Map()
  return new Map(Object.entries(map as object))
}
function expectSame(actual: unknown, expected: Map<string, unknown>): void {
  expect(own(actual)).toEqual(expected)
}
const lowerEntries = (map: unknown, skip: (k: string) => boolean) =>
  new Map([...own(map)].map(([k, v]) => [k.toLowerCase(), v] as const).filter(([k]) => !skip(k)))
const sentHeaderNames = (sent: Sent) => new Set(sent.headers.map(([n]) => n))

function expectFine(res: GatewayResponse): void {
  if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}: ${String(res.body)}`)
}

const protoSnapshot = () =>
  Object.getOwnPropertyNames(Object.prototype)
    .map((n) => [n, Object.getOwnPropertyDescriptor(Object.prototype, n)] as const)
    .concat([['<proto>', { value: Object.getPrototypeOf(Object.prototype) }]])

describe('client-supplied names are plain data (finding 3)', () => {
  const rest = restGateway()
  const http = httpGateway()
  const before = protoSnapshot()
  const errors: unknown[][] = []
  beforeAll(() => {
    vi.spyOn(console, 'error').mockImplementation((...a) => void errors.push(a))
    vi.spyOn(console, 'warn').mockImplementation((...a) => void errors.push(a))
  })
  afterAll(() => {
    vi.restoreAllMocks()
    expect(protoSnapshot()).toEqual(before)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(errors).toEqual([])
  })
  const reset = () => {
    for (const list of Object.values(seen)) list.length = 0
  }
  const take = (name: string) => {
    const list = seen[name]!
    expect(list.length).toBe(1)
    return list.pop()
  }

  it("the issue's own examples: ?constructor=1, ?__proto__=1, ?toString=, a header named constructor", async () => {
    for (const query of ['constructor=1', '__proto__=1', 'toString=', 'valueOf=', 'hasOwnProperty=', 'constructor=1&constructor=2']) {
      const r1 = await rest.handle({ method: 'GET', path: '/proxy/1', query, headers: { host: 'h', constructor: 'x' } })
      expect(r1.statusCode).toBe(200)
      const e1 = take('echo')
      expect(e1.headers.constructor).toBe('x')
      const r2 = await http.handle({ method: 'GET', path: '/v2/1', query, headers: { host: 'h', constructor: 'x' } })
      expect(r2.statusCode).toBe(200)
      const e2 = take('echo')
      expect(Object.hasOwn(e2.queryStringParameters, query.split('=')[0]!)).toBe(true)
      expect(JSON.stringify(e2)).not.toContain('native code')
    }
  })

  it('REST, Lambda proxy 1.0: query, headers, cookies and path parameters reach the Lambda exactly', async () => {
    await fc.assert(
      fc.asyncProperty(sentArb, fc.boolean(), async (sent, greedy) => {
        reset()
        const res = await rest.handle(build(greedy ? '/greedy' : '/proxy', sent))
        expectFine(res)
        const e = take('echo')
        const q = sent.query
        expectSame(e.queryStringParameters, q.length === 0 ? new Map() : lastValues(q))
        expectSame(e.multiValueQueryStringParameters, q.length === 0 ? new Map() : allValues(q))
        if (q.length === 0) expect(e.queryStringParameters).toBeNull()
        const names = sentHeaderNames(sent)
        expect(lowerEntries(e.headers, (k) => !names.has(k))).toEqual(lastValues(sent.headers))
        expect(lowerEntries(e.multiValueHeaders, (k) => !names.has(k))).toEqual(allValues(sent.headers))
        const cookie = sent.cookies.map(([k, v]) => `${k}=${v}`).join('; ')
        if (cookie) expect(e.headers.Cookie).toBe(cookie)
        expect(e.pathParameters).toEqual(greedy ? { rest: enc(sent.param) } : { id: enc(sent.param) })
      }),
      fuzzParams(150),
    )
  })

  it("HTTP API, Lambda proxy 2.0 and 1.0: the same, with 2.0's comma-joined maps and cookies array", async () => {
    await fc.assert(
      fc.asyncProperty(sentArb, fc.boolean(), async (sent, v2) => {
        reset()
        const res = await http.handle(build(v2 ? '/v2' : '/v1', sent))
        expectFine(res)
        const e = take('echo')
        const names = sentHeaderNames(sent)
        if (v2) {
          if (sent.query.length === 0) expect(e.queryStringParameters).toBeUndefined()
          else expectSame(e.queryStringParameters, allValues(sent.query, ','))
          expect(lowerEntries(e.headers, (k) => !names.has(k))).toEqual(allValues(sent.headers, ','))
          if (sent.cookies.length > 0) expect(e.cookies).toEqual(sent.cookies.map(([k, v]) => `${k}=${v}`))
          else expect(e.cookies).toBeUndefined()
        } else {
          expectSame(e.multiValueQueryStringParameters, sent.query.length === 0 ? new Map() : allValues(sent.query))
          expect(lowerEntries(e.multiValueHeaders, (k) => !names.has(k))).toEqual(allValues(sent.headers))
        }
        // HTTP APIs decode path parameters.
        expect(e.pathParameters).toEqual({ id: sent.param })
      }),
      fuzzParams(150),
    )
  })

  it('REQUEST authorizers (REST; HTTP API 1.0 and 2.0) see the same maps; TOKEN routes stay well', async () => {
    await fc.assert(
      fc.asyncProperty(sentArb, fc.constantFrom('rest', 'token', 'v1', 'v2'), async (sent, kind) => {
        reset()
        const gw = kind === 'rest' || kind === 'token' ? rest : http
        const path = { rest: '/request-auth', token: '/token-auth', v1: '/auth1', v2: '/auth2' }[kind]
        const res = await gw.handle(build(path, sent, [['x-auth', 'allow']]))
        expectFine(res)
        const a = take('auth')
        take('echo')
        if (kind === 'token') {
          expect(a).toEqual({ type: 'TOKEN', authorizationToken: 'allow', methodArn: expect.any(String) })
          return
        }
        const names = sentHeaderNames(sent)
        if (kind === 'v2') {
          if (sent.query.length > 0) expectSame(a.queryStringParameters, allValues(sent.query, ','))
          expect(lowerEntries(a.headers, (k) => !names.has(k))).toEqual(allValues(sent.headers, ','))
        } else {
          expectSame(a.queryStringParameters, sent.query.length === 0 ? new Map() : lastValues(sent.query))
          expectSame(a.multiValueQueryStringParameters, sent.query.length === 0 ? new Map() : allValues(sent.query))
          expect(lowerEntries(a.multiValueHeaders, (k) => !names.has(k))).toEqual(allValues(sent.headers))
        }
      }),
      fuzzParams(120),
    )
  })

  it("a cached route whose cache key names Object.prototype's properties", async () => {
    await fc.assert(
      fc.asyncProperty(sentArb, async (sent) => {
        reset()
        const res = await rest.handle(build('/cached', sent, [], `${sent.query.length > 0 ? '&' : ''}nonce=${++nonce}`))
        expectFine(res)
        const e = take('echo')
        expect(e.pathParameters).toEqual({ constructor: enc(sent.param) })
        expectSame(e.multiValueQueryStringParameters, allValues([...sent.query, ['nonce', String(nonce)]]))
        // The same request again is a hit: the function is not called.
        const again = await rest.handle(build('/cached', sent, [], `${sent.query.length > 0 ? '&' : ''}nonce=${nonce}`))
        expectFine(again)
        expect(seen.echo!.length).toBe(0)
      }),
      fuzzParams(100),
    )
  })

  it('an API-key route: hostile names with a valid key pass, hostile key values are 403, never 500', async () => {
    await fc.assert(
      fc.asyncProperty(sentArb, anyValue, async (sent, badKey) => {
        reset()
        expectFine(await rest.handle(build('/keyed', sent, [['x-api-key', KEY]])))
        const e = take('echo')
        expectSame(e.multiValueQueryStringParameters, sent.query.length === 0 ? new Map() : allValues(sent.query))
        const refused = await rest.handle(build('/keyed', sent, badKey === '' ? [] : [['x-api-key', badKey]]))
        expect(refused.statusCode).toBe(403)
      }),
      fuzzParams(100),
    )
  })

  it('required parameters named constructor, __proto__, toString: missing is 400, present is 200', async () => {
    reset()
    const missing = await rest.handle({ method: 'GET', path: '/required', query: 'other=1', headers: { host: 'h', constructor: 'c' } })
    expect(missing.statusCode).toBe(400)
    expect(JSON.parse(String(missing.body)).message).toBe('Missing required request parameters: [__proto__, constructor, toString]')
    const headers = { host: 'h' }
    Object.defineProperty(headers, '__proto__', { value: 'p', enumerable: true })
    const present = await rest.handle({ method: 'GET', path: '/required', query: 'constructor=1&toString=2', headers })
    expect(present.statusCode).toBe(200)
    const e = take('echo')
    expect(e.queryStringParameters).toEqual({ constructor: '1', toString: '2' })
    expect(Object.getOwnPropertyDescriptor(e.headers, '__proto__')?.value).toBe('p')
  })

  it('VTL $input.params(): every name is in its map, lookups by name find only what was sent', async () => {
    await fc.assert(
      fc.asyncProperty(sentArb, async (sent) => {
        reset()
        const res = await rest.handle(build('/vtl', sent))
        expectFine(res)
        const e = take('vtl')
        const decode = (pairs: [string, string][]) =>
          new Map(pairs.map(([k, v]) => [decodeURIComponent(k.replace(/\+/g, ' ')), decodeURIComponent(v.replace(/\+/g, ' '))]))
        expect(decode(e.querystring)).toEqual(lastValues(sent.query))
        const names = sentHeaderNames(sent)
        expect(new Map([...decode(e.header)].filter(([k]) => names.has(k)))).toEqual(lastValues(sent.headers))
        expect(decode(e.path)).toEqual(new Map([['id', enc(sent.param)]]))
        // `$input.params(name)` looks in path, then query string, then headers (exact name, then any case).
        const query = lastValues(sent.query)
        const headers = lastValues(sent.headers)
        const lookup = (name: string) => query.get(name) ?? headers.get(name) ?? headers.get(name.toLowerCase()) ?? ''
        const dec = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '))
        expect(dec(e.ctor)).toBe(lookup('constructor'))
        expect(dec(e.proto)).toBe(lookup('__proto__'))
        expect(dec(e.toString)).toBe(lookup('toString'))
      }),
      fuzzParams(100),
    )
  })
})
