/**
 * Hostile input against the `waf` option: huge and pathological fields answer correctly without an error reaching
 * `onError`, nesting in the operator's rules is bounded when the gateway is built, and random requests against a
 * web ACL using every statement type get 200 or 403, never a 500.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fuzzParams } from '@gatehousejs/test-kit'
import { createGateway, type GatewayRequest, type WafOptions, type WafStatement } from '@gatehousejs/core'
import { MAX_STATEMENT_NESTING } from '../src/features/waf/statements'
import { configError, req } from './helpers'

const integration = { type: 'AWS_PROXY' as const, uri: 'ok' }
const api = { resources: { '/{proxy+}': { ANY: { integration } } } }
const functions = { ok: async () => ({ statusCode: 200, body: 'ok' }) }

const DECODE = [
  { Priority: 0, Type: 'URL_DECODE' },
  { Priority: 1, Type: 'HTML_ENTITY_DECODE' },
  { Priority: 2, Type: 'COMPRESS_WHITE_SPACE' },
  { Priority: 3, Type: 'LOWERCASE' },
]
const ALL = [
  { Priority: 0, Type: 'URL_DECODE' },
  { Priority: 1, Type: 'HTML_ENTITY_DECODE' },
  { Priority: 2, Type: 'BASE64_DECODE_EXT' },
  { Priority: 3, Type: 'CMD_LINE' },
  { Priority: 4, Type: 'COMPRESS_WHITE_SPACE' },
]

function gateway(waf: WafOptions, errors: unknown[]) {
  return createGateway({ api, functions, waf, onWarning: () => {}, onError: (e) => errors.push(e) })
}

const acl: WafOptions = {
  defaultAction: { Allow: {} },
  rules: [
    {
      Name: 'regex-header',
      Priority: 0,
      Action: { Block: {} },
      Statement: {
        RegexMatchStatement: { RegexString: '(a|aa)+b', FieldToMatch: { SingleHeader: { Name: 'x-a' } }, TextTransformations: DECODE },
      },
    },
    {
      Name: 'word-body',
      Priority: 1,
      Action: { Count: {} },
      Statement: {
        OrStatement: {
          Statements: [
            {
              ByteMatchStatement: {
                SearchString: 'select',
                FieldToMatch: { Body: { OversizeHandling: 'CONTINUE' } },
                PositionalConstraint: 'CONTAINS_WORD',
                TextTransformations: ALL,
              },
            },
            {
              SizeConstraintStatement: {
                FieldToMatch: { QueryString: {} },
                ComparisonOperator: 'GT',
                Size: 4096,
                TextTransformations: ALL,
              },
            },
          ],
        },
      },
    },
    {
      Name: 'arg',
      Priority: 2,
      Action: { Block: {} },
      Statement: {
        NotStatement: {
          Statement: {
            ByteMatchStatement: {
              SearchString: 'ok',
              FieldToMatch: { SingleQueryArgument: { Name: '__proto__' } },
              PositionalConstraint: 'STARTS_WITH',
              TextTransformations: [{ Priority: 0, Type: 'NONE' }],
            },
          },
        },
      },
    },
    { Name: 'ips', Priority: 3, Action: { Block: {} }, Statement: { IPSetReferenceStatement: { Addresses: ['10.0.0.0/8', 'fd00::/8'] } } },
    { Name: 'rate', Priority: 4, Action: { Block: {} }, Statement: { RateBasedStatement: { Limit: 1_000_000, AggregateKeyType: 'IP' } } },
  ],
}

describe('hostile input', () => {
  it('a 1 MB header of a backtracking bait runs through four transformations and a regex, and is answered', async () => {
    const errors: unknown[] = []
    const gw = gateway(acl, errors)
    const bait = `${'%26amp;a'.repeat(131_072)}!`
    const res = await gw.handle(req('GET', '/x?__proto__=ok', { headers: { 'x-a': bait } }))
    expect(res.statusCode).toBe(200)
    const hit = await gw.handle(req('GET', '/x?__proto__=ok', { headers: { 'x-a': `${'%41'.repeat(300_000)}B` } }))
    expect(hit.statusCode).toBe(403)
    expect(errors).toEqual([])
  })

  it('runs of "&", "%" and base64 noise decode in one pass each (answers, no error)', async () => {
    const errors: unknown[] = []
    const gw = gateway(acl, errors)
    for (const body of ['&'.repeat(1_000_000), '&#'.repeat(500_000), '%'.repeat(1_000_000), '&#x1111111111111111111111'.repeat(40_000)]) {
      const res = await gw.handle(req('POST', '/x?__proto__=ok', { body }))
      expect(res.statusCode).toBe(200)
    }
    expect(errors).toEqual([])
  })

  it('query argument names from the client are plain data', async () => {
    const errors: unknown[] = []
    const gw = gateway(acl, errors)
    expect((await gw.handle(req('GET', '/x?constructor=1&__proto__=okay'))).statusCode).toBe(200)
    expect((await gw.handle(req('GET', '/x?constructor=1'))).statusCode).toBe(403) // __proto__ missing: NOT matches
    expect(errors).toEqual([])
  })

  it(`nesting in the operator's rules is bounded at build: ${MAX_STATEMENT_NESTING} levels pass, one more is refused`, () => {
    const leaf: WafStatement = { IPSetReferenceStatement: { Addresses: ['192.0.2.0/24'] } }
    const nest = (n: number): WafStatement => {
      let s: WafStatement = leaf
      for (let i = 0; i < n; i++) s = { NotStatement: { Statement: s } }
      return s
    }
    const waf = (n: number): WafOptions => ({
      defaultAction: { Allow: {} },
      rules: [{ Name: 'deep', Priority: 0, Action: { Block: {} }, Statement: nest(n) }],
    })
    expect(() => gateway(waf(MAX_STATEMENT_NESTING), [])).not.toThrow()
    const e = configError(() => gateway(waf(MAX_STATEMENT_NESTING + 1), []))
    expect(e.pointer).toBe(`/waf/rules/0/Statement${'/NotStatement/Statement'.repeat(MAX_STATEMENT_NESTING + 1)}`)
    expect(() => gateway(waf(100_000), [])).toThrow(/nest more than/)
  })

  it('random requests get 200 or 403, never an error', async () => {
    const errors: unknown[] = []
    const gw = gateway(acl, errors)
    const text = fc.string({ unit: 'binary', maxLength: 200 })
    const request = fc.record({
      method: fc.constantFrom('GET', 'POST', 'DELETE', 'PATCH'),
      path: text.map((s) => `/${s}`),
      query: text,
      headers: fc.dictionary(
        fc.constantFrom('x-a', 'user-agent', '__proto__', 'constructor', 'content-type'),
        fc.oneof(text, fc.array(text)),
      ),
      body: fc.oneof(text, fc.uint8Array({ maxLength: 300 })),
      sourceIp: fc.oneof(fc.ipV4(), fc.ipV6(), text),
    })
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const res = await gw.handle(r as GatewayRequest)
        return res.statusCode === 200 || res.statusCode === 403
      }),
      fuzzParams(300),
    )
    expect(errors).toEqual([])
  })
})
