// Property tests for request validation: any request ends in 200 (valid, the integration called once) or one of
// the two refusals (the integration not called); the missing-parameter list is exactly the required parameters
// that are absent or blank, in API Gateway's order; configuration is refused only with GatewayConfigError; the
// JSON syntax reporter never throws and agrees with JSON.parse; a burst of hostile requests leaves the gateway
// answering as before.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createGateway, GatewayConfigError, type GatewayRequest } from '@gatehousejs/core'
import { jsonSyntaxError } from '../src/features/validation/json-error'
import { json, req } from './helpers'

const uri = 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:f/invocations'

const HEADERS = ['x-a', 'x-b']
const QUERY = ['q', 'r', 'Q']

function gateway() {
  let calls = 0
  const gw = createGateway({
    api: {
      resources: {
        '/items/{id}': {
          POST: {
            requestValidator: 'all',
            requestParameters: {
              'method.request.header.X-B': true,
              'method.request.header.x-a': true,
              'method.request.querystring.r': true,
              'method.request.querystring.q': true,
              'method.request.querystring.Q': false,
              'method.request.path.id': true,
            },
            requestModels: { 'application/json': 'Item', $default: 'Empty' },
            integration: { type: 'AWS_PROXY', uri },
          },
        },
      },
      models: {
        Item: {
          type: 'object',
          required: ['n'],
          properties: {
            n: { type: 'integer', minimum: 0 },
            tags: { type: 'array', items: { $ref: 'https://apigateway.amazonaws.com/restapis/x/models/Tag' } },
          },
        },
        Tag: { type: 'string', maxLength: 5 },
      },
      requestValidators: { all: { validateRequestBody: true, validateRequestParameters: true } },
    },
    functions: {
      f: async () => {
        calls++
        return { statusCode: 200, body: 'ok' }
      },
    },
    onWarning: () => {},
  })
  return { gw, calls: () => calls }
}

const value = fc.oneof(fc.constant(''), fc.constant('  '), fc.constant('v'), fc.string({ maxLength: 4 }))
const requestArb = fc.record({
  headers: fc.dictionary(fc.constantFrom(...HEADERS, 'content-type'), fc.oneof(value, fc.array(value, { minLength: 1, maxLength: 3 }))),
  query: fc.array(fc.tuple(fc.constantFrom(...QUERY), value), { maxLength: 5 }),
  contentType: fc.constantFrom(undefined, 'application/json', 'APPLICATION/JSON; charset=utf-8', 'text/plain', ''),
  body: fc.oneof(fc.json(), fc.string({ maxLength: 30 }), fc.constant(''), fc.constant('{"n": 3, "tags": ["abc"]}')),
})

type RequestShape = {
  headers: Record<string, string | string[]>
  query: [string, string][]
  contentType: string | undefined
  body: string
}

function toRequest(r: RequestShape): GatewayRequest {
  const query = r.query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')
  const headers: Record<string, string | string[]> = { ...r.headers }
  if (r.contentType === undefined) delete headers['content-type']
  else headers['content-type'] = r.contentType
  return req('POST', `/items/7${query ? `?${query}` : ''}`, { headers, body: r.body })
}

function lastValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[v.length - 1] : v
}

/** The reference: required parameters absent or blank, sorted by their method.request.* expression. */
function expectedMissing(r: GatewayRequest): string[] {
  const pairs = new URLSearchParams(r.query ?? '')
  const last = (name: string) => pairs.getAll(name).at(-1)
  const present = (v: string | undefined) => v !== undefined && v.trim() !== ''
  const out: string[] = []
  if (!present(lastValue(r.headers['x-b']))) out.push('X-B')
  if (!present(lastValue(r.headers['x-a']))) out.push('x-a')
  if (!present(last('q'))) out.push('q')
  if (!present(last('r'))) out.push('r')
  return out
}

describe('request validation properties', () => {
  it('answers 200 or a refusal; the integration runs only for valid requests; missing lists are exact', async () => {
    const { gw, calls } = gateway()
    await fc.assert(
      fc.asyncProperty(requestArb, async (r) => {
        const request = toRequest(r)
        const before = calls()
        const res = await gw.handle(request)
        const missing = expectedMissing(request)
        if (missing.length > 0) {
          expect(res.statusCode).toBe(400)
          expect(json(res)).toEqual({ message: `Missing required request parameters: [${missing.join(', ')}]` })
          expect(calls()).toBe(before)
        } else if (res.statusCode === 400) {
          expect(json(res)).toEqual({ message: 'Invalid request body' })
          expect(calls()).toBe(before)
        } else {
          expect(res.statusCode).toBe(200)
          expect(calls()).toBe(before + 1)
        }
      }),
      { numRuns: 300 },
    )
    // Hostile traffic changed nothing: a valid request still passes, an invalid one is still refused.
    const headers = { 'x-a': '1', 'x-b': '2', 'content-type': 'application/json' }
    expect((await gw.handle(req('POST', '/items/7?q=1&r=2', { headers, body: '{"n": 1}' }))).statusCode).toBe(200)
    expect((await gw.handle(req('POST', '/items/7?q=1&r=2', { headers, body: '{"n": -1}' }))).statusCode).toBe(400)
  })

  it('bodies are valid exactly when JSON.parse and the model agree', async () => {
    const { gw } = gateway()
    const headers = { 'x-a': '1', 'x-b': '2', 'content-type': 'application/json' }
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.json(), fc.string({ maxLength: 20 })), async (body) => {
        const res = await gw.handle(req('POST', '/items/7?q=1&r=2', { headers, body }))
        let parsed: unknown
        let ok: boolean
        try {
          parsed = body.trim() === '' ? {} : JSON.parse(body)
          const p = parsed as { n?: unknown; tags?: unknown }
          ok =
            typeof parsed === 'object' &&
            parsed !== null &&
            !Array.isArray(parsed) &&
            Object.prototype.hasOwnProperty.call(parsed, 'n') &&
            Number.isInteger(p.n) &&
            (p.n as number) >= 0 &&
            (p.tags === undefined ||
              !Object.prototype.hasOwnProperty.call(parsed, 'tags') ||
              (Array.isArray(p.tags) && p.tags.every((t) => typeof t === 'string' && [...t].length <= 5)))
        } catch {
          ok = false
        }
        expect(res.statusCode).toBe(ok ? 200 : 400)
      }),
      { numRuns: 300 },
    )
  })

  it('the JSON syntax reporter never throws and reports only non-JSON', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 40 }),
          fc.json().map((j) => j.slice(0, Math.max(0, j.length - 1))),
          fc.json(),
        ),
        (text) => {
          let valid = true
          try {
            JSON.parse(text)
          } catch {
            valid = false
          }
          const message = jsonSyntaxError(text)
          if (!valid) expect(message).toMatch(/^(Unrecognized token '|Unexpected character \('|Unexpected end-of-input)/)
        },
      ),
      { numRuns: 1000 },
    )
  })

  it('the reporter survives deep nesting', () => {
    expect(jsonSyntaxError('['.repeat(200_000))).toBe('Unexpected end-of-input')
    expect(jsonSyntaxError(`${'['.repeat(100_000)}x`)).toMatch(/^Unrecognized token 'x'/)
  })

  it('random validator configuration is refused only with GatewayConfigError', () => {
    const anything = fc.oneof(fc.string({ maxLength: 6 }), fc.boolean(), fc.integer(), fc.constant(null), fc.object({ maxDepth: 1 }))
    fc.assert(
      fc.property(
        fc.record({
          validators: fc.oneof(
            fc.dictionary(
              fc.string({ maxLength: 4 }),
              fc.record({ validateRequestBody: anything, validateRequestParameters: anything }, { requiredKeys: [] }),
            ),
            anything,
          ),
          apiValidator: fc.option(fc.string({ maxLength: 4 }), { nil: undefined }),
          methodValidator: fc.option(fc.string({ maxLength: 4 }), { nil: undefined }),
          models: fc.dictionary(fc.string({ maxLength: 4 }), fc.oneof(fc.object({ maxDepth: 2 }), anything)),
          requestModels: fc.dictionary(fc.constantFrom('application/json', '$default', 'text/plain'), fc.string({ maxLength: 4 })),
          params: fc.dictionary(
            fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('method.request.header.a', 'method.request.querystring.b')),
            fc.boolean(),
          ),
        }),
        (c) => {
          const doc = {
            openapi: '3.0.1',
            info: { title: 'p', version: '1' },
            'x-amazon-apigateway-request-validators': c.validators,
            ...(c.apiValidator === undefined ? {} : { 'x-amazon-apigateway-request-validator': c.apiValidator }),
            components: { schemas: c.models },
            paths: {
              '/a': {
                post: {
                  ...(c.methodValidator === undefined ? {} : { 'x-amazon-apigateway-request-validator': c.methodValidator }),
                  'x-amazon-apigateway-integration': { type: 'mock' },
                },
              },
            },
          }
          const native = {
            resources: {
              '/a': {
                POST: {
                  requestValidator: c.methodValidator,
                  requestModels: c.requestModels,
                  requestParameters: c.params,
                  integration: { type: 'MOCK' as const },
                },
              },
            },
            requestValidators: c.validators as never,
            requestValidator: c.apiValidator,
            models: c.models as never,
          }
          for (const api of [doc, native]) {
            try {
              createGateway({ api, onWarning: () => {} })
            } catch (e) {
              if (!(e instanceof GatewayConfigError)) throw e
            }
          }
        },
      ),
      { numRuns: 300 },
    )
  })
})
