/**
 * Fuzz (issue #12): the request-edge parsers of core and whole requests through `handle()`.
 *
 * - percent-decoding and query-string parsing over `%`-garbage, thousands of `&`, duplicate and hostile names:
 *   no throw, bounded output (no more pairs than `&`-separated parts, no decoded part longer than its raw text);
 * - Lambda proxy events from hostile queries and cookies: as many entries as parts, never more;
 * - JSON bodies (random JSON, random text, random bytes) on a route with a model: 200 or 400, never 500;
 * - random requests (methods, paths, queries, headers, bodies): only gateway answers (never 500), and no shared
 *   state changed by a request refused before the limits (unknown route, bad API key, body too large): the key's
 *   quota is whole afterwards.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createGateway, type GatewayRequest } from '@gatehousejs/core'
import { parseQuery, safeDecode } from '../src/http'
import { fuzzParams } from '@gatehousejs/test-kit'

const PROTO_NAMES = [...Object.getOwnPropertyNames(Object.prototype), '__proto__']
const queryChar = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...'&&&===+++%%%0123456789abcdefABCDEF') },
  {
    weight: 1,
    arbitrary: fc.constantFrom('%2', '%zz', '%C0%AF', '%ED%A0%80', '%F4%90%80%80', '%FF', '%E2%82', '%25', '%26', '%3D', '%2B', '%00'),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.constantFrom(...PROTO_NAMES) },
)
const hostileQuery = fc.oneof(
  { weight: 5, arbitrary: fc.array(queryChar, { maxLength: 60 }).map((cs) => cs.join('')) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 5000 }).map((n) => '&'.repeat(n)) },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.constantFrom(...PROTO_NAMES), fc.integer({ min: 1, max: 3000 })).map(([k, n]) => `${k}=1&`.repeat(n)),
  },
)

describe('percent-decoding', () => {
  it('never throws, never grows, agrees with decodeURIComponent where that succeeds', () => {
    fc.assert(
      fc.property(
        fc.array(queryChar, { maxLength: 40 }).map((cs) => cs.join('')),
        (s) => {
          const out = safeDecode(s)
          expect(out.length).toBeLessThanOrEqual(s.length)
          let strict: string | undefined
          try {
            strict = decodeURIComponent(s)
          } catch {
            strict = undefined
          }
          if (strict !== undefined) expect(out).toBe(strict)
          if (!s.includes('%')) expect(out).toBe(s)
        },
      ),
      fuzzParams(1000),
    )
  })
})

describe('query-string parsing', () => {
  it('bounded pairs, bounded text, no throw', () => {
    fc.assert(
      fc.property(hostileQuery, (q) => {
        const parts = q.split('&')
        const pairs = parseQuery(q)
        expect(pairs.length).toBeLessThanOrEqual(parts.filter((p) => p !== '').length)
        let i = 0
        const overlong: string[] = []
        for (const part of parts) {
          if (part === '') continue
          const [name, value] = pairs[i++]!
          const eq = part.indexOf('=')
          if (name.length > (eq === -1 ? part.length : eq) || value.length > (eq === -1 ? 0 : part.length - eq - 1)) overlong.push(part)
        }
        expect(overlong).toEqual([])
        expect(i).toBe(pairs.length)
      }),
      fuzzParams(300),
    )
  })
})

const FN = (name: string) =>
  `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:${name}/invocations`
const proxy = (extra: Record<string, unknown> = {}) => ({ type: 'aws_proxy', httpMethod: 'POST', uri: FN('echo'), ...extra })
const KEY = 'fuzz-key-0123456789abcdefgh'
const QUOTA = 3
let invocations = 0
const echo = async (event: any) => {
  invocations++
  return {
    statusCode: 200,
    body: JSON.stringify({
      q: event.queryStringParameters ?? null,
      mq: event.multiValueQueryStringParameters ?? null,
      cookies: event.cookies ?? null,
    }),
  }
}

const PET = {
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 20, pattern: '^[a-z]+$' },
    age: { type: 'integer', minimum: 0 },
    tags: { type: 'array', items: { type: 'string' }, maxItems: 5 },
    kind: { enum: ['cat', 'dog'] },
    owner: { type: 'object', properties: { id: { type: 'string' } } },
  },
}

function gateway(now: () => number) {
  return createGateway({
    api: {
      openapi: '3.0.1',
      info: { title: 'fuzz', version: '1' },
      components: {
        schemas: { Pet: PET },
        securitySchemes: { api_key: { type: 'apiKey', name: 'x-api-key', in: 'header' } },
      },
      'x-amazon-apigateway-request-validators': { all: { validateRequestBody: true, validateRequestParameters: true } },
      paths: {
        '/pets/{id}': { get: { 'x-amazon-apigateway-integration': proxy() }, post: { 'x-amazon-apigateway-integration': proxy() } },
        '/validated': {
          post: {
            'x-amazon-apigateway-request-validator': 'all',
            requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Pet' } } } },
            'x-amazon-apigateway-integration': proxy(),
          },
        },
        '/limited': { post: { security: [{ api_key: [] }], 'x-amazon-apigateway-integration': proxy() } },
      },
    },
    functions: { echo },
    apiKeys: [{ id: 'k', value: KEY }],
    usagePlans: [{ id: 'p', apiStages: [{ stage: 'prod' }], keys: ['k'], quota: { limit: QUOTA, period: 'DAY' } }],
    maxBodyBytes: 4096,
    now,
    onWarning: () => {},
  })
}

const text = (body: string | Uint8Array) => (typeof body === 'string' ? body : Buffer.from(body).toString('utf8'))

describe('hostile queries and cookies through a Lambda proxy event', () => {
  const v1 = gateway(() => Date.UTC(2026, 0, 1))
  const v2 = createGateway({
    apiType: 'HTTP',
    api: {
      openapi: '3.0.1',
      info: { title: 'fuzz2', version: '1' },
      paths: { '/pets/{id}': { get: { 'x-amazon-apigateway-integration': proxy({ payloadFormatVersion: '2.0' }) } } },
    },
    functions: { echo },
    onWarning: () => {},
  })
  const cookieHeader = fc.oneof(
    fc
      .array(fc.constantFrom(...';;;  ==', 'a=1', '__proto__=x', 'constructor=y', 'toString', '%zz=%', '=', ';'), { maxLength: 30 })
      .map((cs) => cs.join('')),
    fc.integer({ min: 1, max: 5000 }).map((n) => ';'.repeat(n)),
  )

  it('1.0: no more entries than parts; 2.0: no more cookies than `;`-parts', async () => {
    await fc.assert(
      fc.asyncProperty(hostileQuery, cookieHeader, async (q, cookie) => {
        const request: GatewayRequest = { method: 'GET', path: '/pets/1', query: q, headers: { host: 'h', cookie } }
        const one = await v1.handle(request)
        expect(one.statusCode).toBe(200)
        const parts = q.split('&').filter((p) => p !== '').length
        const e1 = JSON.parse(text(one.body))
        const multi = Object.values((e1.mq ?? {}) as Record<string, string[]>).reduce((n, l) => n + l.length, 0)
        expect(multi).toBe(parts)
        expect(Object.keys(e1.q ?? {}).length).toBeLessThanOrEqual(parts)
        const two = await v2.handle(request)
        expect(two.statusCode).toBe(200)
        const e2 = JSON.parse(text(two.body))
        expect((e2.cookies ?? []).length).toBeLessThanOrEqual(cookie.split(';').length)
        expect(Object.keys(e2.q ?? {}).length).toBeLessThanOrEqual(parts)
      }),
      fuzzParams(150),
    )
  })
})

describe('JSON bodies through validation', () => {
  const gw = gateway(() => Date.UTC(2026, 0, 1))
  const pet = fc.record(
    {
      name: fc.oneof(fc.stringMatching(/^[a-z]{1,20}$/), fc.string(), fc.constantFrom(...PROTO_NAMES)),
      age: fc.oneof(fc.nat(), fc.integer(), fc.double(), fc.string()),
      tags: fc.array(fc.oneof(fc.string(), fc.integer()), { maxLength: 7 }),
      kind: fc.constantFrom('cat', 'dog', 'cow', 'constructor'),
      owner: fc.oneof(fc.record({ id: fc.string() }), fc.jsonValue()),
    },
    { requiredKeys: [] },
  )
  const body = fc.oneof(
    fc
      .record({ name: fc.stringMatching(/^[a-z]{1,20}$/), age: fc.nat(), kind: fc.constantFrom('cat', 'dog') }, { requiredKeys: ['name'] })
      .map((p) => JSON.stringify(p)),
    pet.map((p) => JSON.stringify(p)),
    fc.jsonValue().map((v) => JSON.stringify(v)),
    fc.dictionary(fc.constantFrom(...PROTO_NAMES, 'name'), fc.jsonValue()).map((v) => JSON.stringify(v)),
    fc.string({ unit: 'binary', maxLength: 64 }),
    fc.uint8Array({ maxLength: 64 }),
    fc.integer({ min: 1, max: 3000 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
  )

  it('answers 200 or 400, never 500', async () => {
    const seen = new Set<number>()
    await fc.assert(
      fc.asyncProperty(body, fc.constantFrom('application/json', 'application/json; charset=utf-8', undefined), async (b, type) => {
        const res = await gw.handle({
          method: 'POST',
          path: '/validated',
          headers: type === undefined ? { host: 'h' } : { host: 'h', 'content-type': type },
          body: b,
        })
        expect([200, 400, 413]).toContain(res.statusCode)
        seen.add(res.statusCode)
        if (res.statusCode === 400) expect(JSON.parse(text(res.body))).toEqual({ message: 'Invalid request body' })
      }),
      fuzzParams(300),
    )
    // The model really runs: both outcomes occur.
    expect(seen.has(200) && seen.has(400)).toBe(true)
  })
})

describe('random requests', () => {
  const method = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH', 'CONNECT', 'TRACE', 'BREW', '__PROTO__')
  const path = fc.oneof(
    fc.constantFrom('/pets/1', '/validated', '/limited', '/', '//pets/1', '/pets/%zz', '/pets/%C0%AF', '/pets/..%2F..', '*', ''),
    fc
      .array(
        fc.oneof(fc.constantFrom('pets', 'limited', '..', '.', '%2e%2e', '__proto__', 'constructor', ''), fc.string({ maxLength: 5 })),
        { maxLength: 6 },
      )
      .map((s) => `/${s.join('/')}`),
  )
  const headerName = fc.oneof(
    fc.constantFrom(
      ...PROTO_NAMES.map((n) => n.toLowerCase()),
      'content-type',
      'x-api-key',
      'cookie',
      'accept',
      'authorization',
      'cache-control',
    ),
    fc.stringMatching(/^[a-z0-9-]{1,12}$/),
  )
  const headers = fc.dictionary(
    headerName,
    fc.oneof(fc.string({ maxLength: 20 }), fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 })),
    { maxKeys: 6 },
  )
  const requestArb = fc.record({
    method,
    path,
    query: fc.option(hostileQuery, { nil: undefined }),
    headers,
    body: fc.option(fc.oneof(fc.string({ maxLength: 100 }), fc.uint8Array({ maxLength: 100 })), { nil: undefined }),
  })

  it('only gateway answers, never a 500', async () => {
    const gw = gateway(() => Date.UTC(2026, 0, 1))
    const seen = new Set<number>()
    await fc.assert(
      fc.asyncProperty(requestArb, async (r) => {
        const hs: Record<string, string | string[]> = { host: 'h' }
        for (const [k, v] of Object.entries(r.headers))
          Object.defineProperty(hs, k, { value: v, enumerable: true, writable: true, configurable: true })
        const res = await gw.handle({ method: r.method, path: r.path, query: r.query, headers: hs, body: r.body })
        expect([200, 400, 403, 404, 413, 429]).toContain(res.statusCode)
        seen.add(res.statusCode)
        if (res.statusCode !== 200) expect(typeof JSON.parse(text(res.body)).message).toBe('string')
      }),
      fuzzParams(300),
    )
    expect(seen.has(200) && seen.has(403)).toBe(true)
  })

  it('requests refused before the limits (unknown route, bad key, body too large) leave the quota whole', async () => {
    const refused = fc.oneof(
      fc.record({
        kind: fc.constant('bad-key' as const),
        key: fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom(...PROTO_NAMES, KEY.slice(1), `${KEY} `, KEY.toUpperCase())),
      }),
      fc.record({ kind: fc.constant('too-large' as const), size: fc.integer({ min: 4097, max: 20_000 }) }),
      fc.record({
        kind: fc.constant('no-route' as const),
        path: fc.string({ maxLength: 20 }).map((s) => `/limited/${encodeURIComponent(s)}x`),
      }),
    )
    let day = 0
    await fc.assert(
      fc.asyncProperty(fc.array(refused, { maxLength: 20 }), async (list) => {
        // A fresh day, a fresh quota: each run starts whole.
        const t = Date.UTC(2026, 0, 1) + ++day * 86_400_000
        const gw = gateway(() => t)
        invocations = 0
        for (const r of list) {
          const res = await gw.handle(
            r.kind === 'bad-key'
              ? { method: 'POST', path: '/limited', headers: { host: 'h', 'x-api-key': r.key } }
              : r.kind === 'too-large'
                ? { method: 'POST', path: '/limited', headers: { host: 'h', 'x-api-key': KEY }, body: 'x'.repeat(r.size) }
                : { method: 'POST', path: r.path, headers: { host: 'h', 'x-api-key': KEY } },
          )
          expect([403, 413]).toContain(res.statusCode)
        }
        expect(invocations).toBe(0)
        const statuses: number[] = []
        for (let i = 0; i <= QUOTA; i++)
          statuses.push((await gw.handle({ method: 'POST', path: '/limited', headers: { host: 'h', 'x-api-key': KEY } })).statusCode)
        expect(statuses).toEqual([...Array(QUOTA).fill(200), 429])
      }),
      fuzzParams(60),
    )
  })
})
