/**
 * The `waf` option end to end through `handle()`: each statement type, rule priority and actions, the default
 * action, `WAF_FILTERED` and its customisation, rate-based rules on the throttle store, and build-time refusals
 * pointing into `waf`.
 */
import { describe, expect, it } from 'vitest'
import { createMemoryStore, type Store } from '@gatehousejs/throttle'
import { createGateway, type GatewayInput, type WafOptions, type WafStatement } from '@gatehousejs/core'
import { configError, header, json, req, text } from './helpers'

const integration = { type: 'AWS_PROXY' as const, uri: 'ok' }
const api = { resources: { '/pets': { GET: { integration }, POST: { integration } }, '/logo.jpg': { GET: { integration } } } }
const functions = { ok: async () => ({ statusCode: 200, body: 'ok' }) }

function gateway(waf: WafOptions, extra: Partial<GatewayInput> = {}) {
  return createGateway({ api, functions, waf, onWarning: () => {}, ...extra })
}

const blockIf = (Statement: WafStatement, extra: Partial<WafOptions> = {}): WafOptions => ({
  defaultAction: { Allow: {} },
  rules: [{ Name: 'r', Priority: 0, Action: { Block: {} }, Statement }],
  ...extra,
})

const NONE = [{ Priority: 0, Type: 'NONE' }]

async function status(waf: WafOptions, request: Parameters<ReturnType<typeof createGateway>['handle']>[0]) {
  return (await gateway(waf).handle(request)).statusCode
}

// API Gateway's WAF_FILTERED response: 403 {"message":"Forbidden"}.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
describe('WAF_FILTERED', () => {
  it('a blocked request gets 403 {"message":"Forbidden"} with x-amzn-ErrorType WAFFilteredException', async () => {
    const res = await gateway(blockIf({ IPSetReferenceStatement: { Addresses: ['203.0.113.0/24'] } })).handle(req('GET', '/pets'))
    expect(res.statusCode).toBe(403)
    expect(json(res)).toEqual({ message: 'Forbidden' })
    expect(header(res, 'x-amzn-errortype')).toBe('WAFFilteredException')
  })

  it('is customisable like every gateway response', async () => {
    const gw = createGateway({
      api: {
        ...api,
        gatewayResponses: {
          WAF_FILTERED: { statusCode: 429, responseTemplates: { 'application/json': '{"waf":"$context.error.responseType"}' } },
        },
      },
      functions,
      waf: { defaultAction: { Block: {} }, rules: [] },
      onWarning: () => {},
    })
    const res = await gw.handle(req('GET', '/pets'))
    expect([res.statusCode, text(res)]).toEqual([429, '{"waf":"WAF_FILTERED"}'])
  })
})

// Rule actions and the processing order: lowest Priority first, the first Allow/Block match ends the evaluation,
// Count goes on; no decision → the web ACL's default action.
// https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-processing-order.html
// https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-action.html
describe('rule actions and priority', () => {
  const everyone: WafStatement = { IPSetReferenceStatement: { Addresses: ['0.0.0.0/1', '128.0.0.0/1'] } }

  it('the lowest priority decides, whatever the list order; Count rules report and go on', async () => {
    const seen: string[] = []
    const waf: WafOptions = {
      defaultAction: { Block: {} },
      rules: [
        { Name: 'block-all', Priority: 5, Action: { Block: {} }, Statement: everyone },
        { Name: 'allow-all', Priority: 2, Action: { Allow: {} }, Statement: everyone },
        { Name: 'count-all', Priority: 1, Action: { Count: {} }, Statement: everyone },
      ],
      onMatch: (name, action) => seen.push(`${name}:${action}`),
    }
    expect(await status(waf, req('GET', '/pets'))).toBe(200)
    expect(seen).toEqual(['count-all:COUNT', 'allow-all:ALLOW'])
  })

  it('default action Block refuses what no rule allowed; Allow lets it through', async () => {
    expect(await status({ defaultAction: { Block: {} }, rules: [] }, req('GET', '/pets'))).toBe(403)
    expect(await status({ defaultAction: { Allow: {} }, rules: [] }, req('GET', '/pets'))).toBe(200)
    const countOnly: WafOptions = {
      defaultAction: { Allow: {} },
      rules: [{ Name: 'c', Priority: 0, Action: { Count: {} }, Statement: everyone }],
    }
    expect(await status(countOnly, req('GET', '/pets'))).toBe(200)
  })

  it('reads AWS web ACL spelling (DefaultAction, Rules, VisibilityConfig)', async () => {
    const waf = {
      DefaultAction: { Allow: {} },
      Rules: [{ Name: 'r', Priority: 0, Action: { Block: {} }, Statement: everyone, VisibilityConfig: { SampledRequestsEnabled: true } }],
    } as unknown as WafOptions
    expect(await status(waf, req('GET', '/pets'))).toBe(403)
  })
})

// IP set match: CIDR blocks, IPv4 and IPv6.
// https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-ip-set-match.html
describe('IPSetReferenceStatement', () => {
  const cases: [string[], string, number][] = [
    [['192.0.2.0/24'], '192.0.2.44', 403],
    [['192.0.2.0/24'], '192.0.3.1', 200],
    [['192.0.2.44/32'], '192.0.2.44', 403],
    [['2001:db8::/32'], '2001:db8:1::7', 403],
    [['2001:db8::/32'], '2001:db9::7', 200],
    [['192.0.2.0/24'], '::ffff:192.0.2.9', 403], // a dual-stack socket's IPv4 client
    [['2001:db8::/32'], '192.0.2.9', 200],
  ]
  it.each(cases)('%j with client %s → %i', async (addresses, ip, expected) => {
    expect(await status(blockIf({ IPSetReferenceStatement: { Addresses: addresses } }), req('GET', '/pets', { sourceIp: ip }))).toBe(
      expected,
    )
  })

  it('reads an IP set by ARN from ipSets', async () => {
    const arn = 'arn:aws:wafv2:us-east-1:111122223333:regional/ipset/office/a1b2'
    const waf = blockIf({ IPSetReferenceStatement: { ARN: arn } }, { ipSets: { [arn]: ['198.51.100.0/24'] } })
    expect(await status(waf, req('GET', '/pets', { sourceIp: '198.51.100.3' }))).toBe(403)
    expect(await status(waf, req('GET', '/pets', { sourceIp: '198.51.101.3' }))).toBe(200)
  })
})

// Byte match: positional constraints, after the text transformations.
// https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-string-match.html
describe('ByteMatchStatement', () => {
  const ua = (PositionalConstraint: string, SearchString: string, TextTransformations = NONE): WafStatement =>
    ({
      ByteMatchStatement: {
        SearchString,
        FieldToMatch: { SingleHeader: { Name: 'User-Agent' } },
        PositionalConstraint,
        TextTransformations,
      },
    }) as WafStatement
  const cases: [string, string, string, number][] = [
    ['EXACTLY', 'BadBot', 'BadBot', 403],
    ['EXACTLY', 'BadBot', 'BadBot/1', 200],
    ['STARTS_WITH', 'BadBot', 'BadBot/1', 403],
    ['ENDS_WITH', '/1', 'BadBot/1', 403],
    ['CONTAINS', 'Bot', 'a BadBot b', 403],
    ['CONTAINS', 'bot', 'a BadBot b', 200], // case-sensitive without LOWERCASE
    // CONTAINS_WORD: the string preceded and followed by a non-word character or the value's edge.
    ['CONTAINS_WORD', 'BadBot', ';BadBot', 403],
    ['CONTAINS_WORD', 'BadBot', '-BadBot;', 403],
    ['CONTAINS_WORD', 'BadBot', 'BadBot', 403],
    ['CONTAINS_WORD', 'BadBot', 'BadBotter', 200],
    ['CONTAINS_WORD', 'BadBot', 'xBadBot', 200],
    ['CONTAINS_WORD', 'BadBot', 'BadBots BadBot', 403],
  ]
  it.each(cases)('%s %j in %j → %i', async (constraint, search, value, expected) => {
    expect(await status(blockIf(ua(constraint, search)), req('GET', '/pets', { headers: { 'user-agent': value } }))).toBe(expected)
  })

  it('applies the transformations in Priority order before comparing', async () => {
    // URL_DECODE (priority 1) then LOWERCASE (priority 2): "%42AD" → "BAD" → "bad".
    const stmt = ua('EXACTLY', 'bad', [
      { Priority: 2, Type: 'LOWERCASE' },
      { Priority: 1, Type: 'URL_DECODE' },
    ])
    expect(await status(blockIf(stmt), req('GET', '/pets', { headers: { 'user-agent': '%42AD' } }))).toBe(403)
  })

  it('a missing header does not match; every value of a repeated header is inspected', async () => {
    const waf = blockIf(ua('EXACTLY', 'evil'))
    expect(await status(waf, { method: 'GET', path: '/pets', headers: {} })).toBe(200)
    expect(await status(waf, req('GET', '/pets', { headers: { 'user-agent': ['good', 'evil'] } }))).toBe(403)
  })

  const field = (FieldToMatch: unknown, SearchString: string, PositionalConstraint = 'EXACTLY'): WafStatement =>
    ({ ByteMatchStatement: { SearchString, FieldToMatch, PositionalConstraint, TextTransformations: NONE } }) as WafStatement
  it('inspects UriPath, QueryString, Method, SingleQueryArgument and Body', async () => {
    expect(await status(blockIf(field({ UriPath: {} }, '/pets')), req('GET', '/pets'))).toBe(403)
    expect(await status(blockIf(field({ QueryString: {} }, 'a=1&b=2')), req('GET', '/pets?a=1&b=2'))).toBe(403)
    expect(await status(blockIf(field({ Method: {} }, 'POST')), req('POST', '/pets'))).toBe(403)
    expect(await status(blockIf(field({ Method: {} }, 'POST')), req('GET', '/pets'))).toBe(200)
    const arg = blockIf(field({ SingleQueryArgument: { Name: 'Action' } }, 'delete'))
    expect(await status(arg, req('GET', '/pets?x=1&action=delete'))).toBe(403) // the name is case-insensitive
    expect(await status(arg, req('GET', '/pets?action=keep&ACTION=delete'))).toBe(403) // every occurrence
    expect(await status(arg, req('GET', '/pets?actions=delete'))).toBe(200)
    const body = blockIf(field({ Body: {} }, 'DROP TABLE', 'CONTAINS'))
    expect(await status(body, req('POST', '/pets', { body: '{"q":"DROP TABLE pets"}' }))).toBe(403)
    expect(await status(body, req('POST', '/pets', { body: new TextEncoder().encode('x DROP TABLE') }))).toBe(403)
  })
})

// Body inspection: API Gateway forwards the first 16 KB by default (16, 32, 48 or 64 KB); OversizeHandling
// CONTINUE inspects what was forwarded, MATCH / NO_MATCH decide without inspecting.
// https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-setting-body-inspection-limit.html
// https://docs.aws.amazon.com/waf/latest/APIReference/API_Body.html
describe('body inspection limit and OversizeHandling', () => {
  const tail = (OversizeHandling?: string, limit?: 16384 | 32768 | 49152 | 65536): WafOptions =>
    blockIf(
      {
        ByteMatchStatement: {
          SearchString: 'evil',
          FieldToMatch: { Body: OversizeHandling ? { OversizeHandling } : {} } as never,
          PositionalConstraint: 'CONTAINS',
          TextTransformations: NONE,
        },
      },
      limit ? { bodyInspectionLimit: limit } : {},
    )
  const big = `${'a'.repeat(16_384)}evil`
  const post = (body: string) => req('POST', '/pets', { body })

  it('CONTINUE (default) inspects only the first 16 KB', async () => {
    expect(await status(tail(), post(big))).toBe(200)
    expect(await status(tail(), post(`${'a'.repeat(16_380)}evil`))).toBe(403)
  })
  it('MATCH matches every oversize body, NO_MATCH none', async () => {
    expect(await status(tail('MATCH'), post(`${'a'.repeat(16_385)}`))).toBe(403)
    expect(await status(tail('NO_MATCH'), post(`evil${'a'.repeat(16_385)}`))).toBe(200)
    expect(await status(tail('NO_MATCH'), post('evil'))).toBe(403)
  })
  it('a larger bodyInspectionLimit inspects further', async () => {
    expect(await status(tail('CONTINUE', 32768), post(big))).toBe(403)
  })
})

// Regex match: the pattern on the transformed field, anywhere in it.
// https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-regex-match.html
describe('RegexMatchStatement', () => {
  const re = (RegexString: string): WafStatement => ({
    RegexMatchStatement: { RegexString, FieldToMatch: { UriPath: {} }, TextTransformations: NONE },
  })
  it.each([
    ['^/pe', '/pets', 403],
    ['(?i)PETS$', '/pets', 403],
    ['^/dogs', '/pets', 200],
  ] as const)('%j on %s → %i', async (pattern, path, expected) => {
    expect(await status(blockIf(re(pattern)), req('GET', path))).toBe(expected)
  })
  it('refuses at build a pattern that cannot run in linear time (as AWS refuses backreferences)', () => {
    const e = configError(() => gateway(blockIf(re('(a)\\1'))))
    expect(e.pointer).toBe('/waf/rules/0/Statement/RegexMatchStatement/RegexString')
  })
})

// Size constraint: "Size ComparisonOperator size in bytes of FieldToMatch" after transformations.
// https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-size-constraint-match.html
describe('SizeConstraintStatement', () => {
  const size = (ComparisonOperator: string, Size: number, FieldToMatch: unknown = { QueryString: {} }): WafStatement =>
    ({ SizeConstraintStatement: { FieldToMatch, ComparisonOperator, Size, TextTransformations: NONE } }) as WafStatement
  const q = req('GET', '/pets?abcd') // QueryString "abcd": 4 bytes
  it.each([
    ['EQ', 4, 403],
    ['EQ', 5, 200],
    ['NE', 4, 200],
    ['LE', 4, 403],
    ['LT', 4, 200],
    ['GE', 4, 403],
    ['GT', 3, 403],
    ['GT', 4, 200],
  ] as const)('%s %i → %i', async (op, n, expected) => {
    expect(await status(blockIf(size(op, n)), q)).toBe(expected)
  })
  it('counts bytes, and the URI path\'s slash as one ("/logo.jpg" is nine)', async () => {
    expect(await status(blockIf(size('EQ', 9, { UriPath: {} })), req('GET', '/logo.jpg'))).toBe(403)
    expect(await status(blockIf(size('EQ', 2, { Body: {} })), req('POST', '/pets', { body: 'é' }))).toBe(403)
  })
  it('blocks bodies over the inspection limit with OversizeHandling MATCH', async () => {
    const waf = blockIf(size('GT', 16_384, { Body: { OversizeHandling: 'MATCH' } }))
    expect(await status(waf, req('POST', '/pets', { body: 'a'.repeat(16_385) }))).toBe(403)
    expect(await status(waf, req('POST', '/pets', { body: 'a'.repeat(16_384) }))).toBe(200)
  })
})

// Logical statements.
// https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-and.html (and -or, -not)
describe('AndStatement, OrStatement, NotStatement', () => {
  const fromNet: WafStatement = { IPSetReferenceStatement: { Addresses: ['192.0.2.0/24'] } }
  const post: WafStatement = {
    ByteMatchStatement: { SearchString: 'POST', FieldToMatch: { Method: {} }, PositionalConstraint: 'EXACTLY', TextTransformations: NONE },
  }
  it.each([
    [{ AndStatement: { Statements: [fromNet, post] } }, 'POST', '192.0.2.1', 403],
    [{ AndStatement: { Statements: [fromNet, post] } }, 'GET', '192.0.2.1', 200],
    [{ OrStatement: { Statements: [fromNet, post] } }, 'GET', '192.0.2.1', 403],
    [{ OrStatement: { Statements: [fromNet, post] } }, 'GET', '198.51.100.1', 200],
    [{ NotStatement: { Statement: fromNet } }, 'GET', '198.51.100.1', 403],
    [{ NotStatement: { Statement: { NotStatement: { Statement: fromNet } } } }, 'GET', '192.0.2.1', 403],
  ] as [WafStatement, string, string, number][])('%j %s from %s → %i', async (stmt, method, ip, expected) => {
    expect(await status(blockIf(stmt), req(method, '/pets', { sourceIp: ip }))).toBe(expected)
  })
})

// Rate-based rules: Limit requests per evaluation window per IP, then the action applies (fixed windows here).
// https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based.html
// https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based-high-level-settings.html
describe('RateBasedStatement', () => {
  const T0 = Date.UTC(2026, 0, 1, 12, 0, 0)
  const rate = (extra: Record<string, unknown> = {}): WafOptions =>
    blockIf({ RateBasedStatement: { Limit: 10, AggregateKeyType: 'IP', ...extra } } as WafStatement)

  async function run(waf: WafOptions, store?: Store) {
    let now = T0
    const gw = gateway(waf, { now: () => now, ...(store ? { store } : {}) })
    const hit = async (ip = '192.0.2.1', method = 'GET') => (await gw.handle(req(method, '/pets', { sourceIp: ip }))).statusCode
    return { hit, at: (ms: number) => void (now = ms) }
  }

  it('allows Limit requests per IP in the 5-minute window, blocks the next, and starts over in the next window', async () => {
    const { hit, at } = await run(rate())
    for (let i = 0; i < 10; i++) expect(await hit()).toBe(200)
    expect(await hit()).toBe(403)
    expect(await hit('192.0.2.2')).toBe(200) // another IP has its own count
    at(T0 + 299_999)
    expect(await hit()).toBe(403)
    at(T0 + 300_000)
    expect(await hit()).toBe(200)
  })

  it('EvaluationWindowSec sets the window', async () => {
    const { hit, at } = await run(rate({ EvaluationWindowSec: 60 }))
    for (let i = 0; i < 10; i++) await hit()
    expect(await hit()).toBe(403)
    at(T0 + 60_000)
    expect(await hit()).toBe(200)
  })

  it('counts only what the scope-down statement matches', async () => {
    const scope: WafStatement = {
      ByteMatchStatement: {
        SearchString: 'POST',
        FieldToMatch: { Method: {} },
        PositionalConstraint: 'EXACTLY',
        TextTransformations: NONE,
      },
    }
    const { hit } = await run(rate({ ScopeDownStatement: scope }))
    for (let i = 0; i < 20; i++) expect(await hit('192.0.2.1', 'GET')).toBe(200)
    for (let i = 0; i < 10; i++) expect(await hit('192.0.2.1', 'POST')).toBe(200)
    expect(await hit('192.0.2.1', 'POST')).toBe(403)
    expect(await hit('192.0.2.1', 'GET')).toBe(200)
  })

  it('works on an asynchronous store (as Redis answers)', async () => {
    const memory = createMemoryStore()
    const asyncStore: Store = {
      take: async (...a) => memory.take(...a),
      consume: async (...a) => memory.consume(...a),
    }
    const { hit } = await run(rate(), asyncStore)
    for (let i = 0; i < 10; i++) expect(await hit()).toBe(200)
    expect(await hit()).toBe(403)
  })

  it('a store that cannot decide and fails closed answers 503', async () => {
    const down: Store = {
      take: () => ({ allowed: false, remaining: 0, limit: 0, retryAfterMs: 0, nextTokenMs: 0, resetMs: 0, unavailable: true }),
      consume: () => ({ allowed: false, used: 0, remaining: 0, limit: 0, resetAt: 0, unavailable: true }),
    }
    const { hit } = await run(rate(), down)
    expect(await hit()).toBe(503)
  })
})
