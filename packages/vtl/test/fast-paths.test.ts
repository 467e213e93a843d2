/**
 * The fast paths added for speed give exactly what the general paths give: double printing, the one-pass
 * `escapeJavaScript(…).replaceAll("\\'","'")`, literal `replaceAll`, inline `$foreach.*` and `#if` in generated
 * code, `$util` calls; plus the override and claims maps.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compileMappingTemplate, compileTemplate, escapeJavaScript, VtlError } from '@gatehousejs/vtl'
import { formatDouble } from '../src/values/number-format'
import { escapeJavaScriptKeepingQuotes } from '../src/mapping/util'

describe('double printing', () => {
  it('prints doubles between 1e-3 and 1e7 exactly as String() does', () => {
    const inRange = (v: number) => !Number.isInteger(v) && Math.abs(v) >= 1e-3 && Math.abs(v) < 1e7
    fc.assert(
      fc.property(
        fc.oneof(
          fc.double({ min: -1e7, max: 1e7, noNaN: true }),
          fc.integer({ min: -1e9, max: 1e9 }).chain((n) => fc.constantFrom(n / 10, n / 100, n / 1000, n / 10000, n / 100000)),
        ),
        (v) => {
          if (inRange(v)) expect(formatDouble(v)).toBe(String(v))
        },
      ),
      { numRuns: 5000 },
    )
    for (const v of [0.001, 0.0015, 9.5, -12.25, 0.1 + 0.2, 9999999.9999, 1234567.891, 0.01, -0.05]) expect(formatDouble(v)).toBe(String(v))
  })
})

describe('escapeJavaScript with the documented replaceAll', () => {
  it('one pass equals escapeJavaScript then replaceAll("\\\\\'", "\'")', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', "'", '\\', '"', '/', '\n', 'é', '\u2028', 'x') }), (s) => {
        expect(escapeJavaScriptKeepingQuotes(s)).toBe(escapeJavaScript(s).replaceAll("\\'", "'"))
      }),
      { numRuns: 2000 },
    )
  })

  it('renders the idiom the same with and without code generation, and falls back when $util is not $util', () => {
    const src = String.raw`"$util.escapeJavaScript($input.path('$.s')).replaceAll("\\'","'")"`
    const body = JSON.stringify({ s: `it's "q" \\ é` })
    expect(compileMappingTemplate(src)({ body }).body).toBe(`"it's \\"q\\" \\\\ \\u00E9"`)
    expect(compileMappingTemplate(src, { codegen: false })({ body }).body).toBe(`"it's \\"q\\" \\\\ \\u00E9"`)
    const mine = String.raw`$util.escapeJavaScript($s).replaceAll("\\'","'")`
    expect(compileTemplate(mine)({ util: { escapeJavaScript: (x: string) => `<${x}\\'>` }, s: 'a' })).toBe("<a'>")
  })
})

describe('replaceAll and replace with literal arguments', () => {
  const cases: [string, string][] = [
    ['$s.replaceAll("\\.", "-")', 'a-b-c'],
    ['$s.replaceAll(".", "-")', '-----'],
    ['$s.replaceAll("b", "")', 'a..c'],
    ['$s.replaceAll("[.]", "")', 'abc'],
    ['$s.replace(".", "$")', 'a$b$c'],
    ['$s.replaceAll("x", "y")', 'a.b.c'],
  ]
  it.each(cases)('%s', (src, out) => {
    expect(compileTemplate(src)({ s: 'a.b.c' })).toBe(out)
    expect(compileTemplate(src, { codegen: false })({ s: 'a.b.c' })).toBe(out)
  })
})

describe('inline $foreach and #if in generated code', () => {
  const src =
    '#foreach($i in $l)[$foreach.index $foreach.count $foreach.first $foreach.last $foreach.hasNext $velocityCount]' +
    '#if($foreach.first)F#elseif($foreach.last)L#{else}-#end#foreach($j in [1])$foreach.parent.index#end#end' +
    '#set($foreach = {"hasNext": "own"})$foreach.hasNext $m.toString $m.a.b $nope.x'
  it('agrees with the closures', () => {
    const b = () => ({ l: [1, 2, 3], m: { a: { b: 'deep' }, toString: 'own' } })
    const out = compileTemplate(src)(b())
    expect(out).toBe(compileTemplate(src, { codegen: false })(b()))
    expect(out).toBe('[0 1 true false true 1]F0[1 2 false false true 2]-1[2 3 false true false 3]L2own own deep ')
  })
})

describe('inline property reads on unusual objects', () => {
  it('reads a payload key named constructor, null-prototype objects and Maps as the closures do', () => {
    const src = "#set($r = $input.path('$'))$r.constructor.x|$r.a|$n.k|$m.k|$r.toString"
    const input = { body: '{"constructor":{"x":"c"},"a":1}' }
    const n = Object.assign(Object.create(null) as Record<string, unknown>, { k: 'nullproto' })
    const t1 = compileMappingTemplate(src)
    const t2 = compileMappingTemplate(src, { codegen: false })
    expect(t1(input).body).toBe('c|1|||')
    expect(t2(input).body).toBe('c|1|||')
    const tpl = '$n.k|$m.k|$o.constructor'
    const b = { n, m: new Map([['k', 'map']]), o: { constructor: 'own' } }
    expect(compileTemplate(tpl)(b)).toBe('nullproto|map|own')
    expect(compileTemplate(tpl, { codegen: false })(b)).toBe('nullproto|map|own')
  })
})

describe('$util calls', () => {
  it('call the functions directly on $util and generically on anything else', () => {
    const t = compileMappingTemplate("$util.urlEncode('a b')|$util.base64Encode($input.body)|$util.nope('x')|$util.escapeJavaScript(1)")
    expect(t({ body: 'hi' }).body).toBe('a+b|aGk=||')
  })
  it('a failing $util.parseJson is a VTL_RUNTIME with a position', () => {
    try {
      compileMappingTemplate("x\n $util.parseJson('{')")({})
      expect.unreachable()
    } catch (e) {
      expect(e).toBeInstanceOf(VtlError)
      expect((e as VtlError).code).toBe('VTL_RUNTIME')
      expect((e as VtlError).line).toBe(2)
    }
  })
})

describe('$input.path(...).count()', () => {
  it('is the list size, as AWS documents', () => {
    expect(compileMappingTemplate("$input.path('$.a').count()")({ body: '{"a":[1,2]}' }).body).toBe('2')
  })
})

describe('overrides', () => {
  it('read back what was set and come back as plain data', () => {
    const r = compileMappingTemplate(
      '#set($context.responseOverride.header.A = "1")#set($context.requestOverride.querystring.q = "x")' +
        '$context.responseOverride.header.A $context.responseOverride.header.get("A") $context.requestOverride.querystring',
    )({})
    expect(r.body).toBe('1 1 {q=x}')
    expect(r.responseOverride).toEqual({ header: { A: '1' } })
    expect(r.requestOverride).toEqual({ header: {}, querystring: { q: 'x' }, path: {} })
  })
  it('refuse a second put of the same name', () => {
    expect(() =>
      compileMappingTemplate('$context.responseOverride.header.put("A", 1)$context.responseOverride.header.put("A", 2)')({}),
    ).toThrow(VtlError)
  })
  it('do not touch the context passed in', () => {
    const context = { stage: 'prod' }
    compileMappingTemplate('#set($context.responseOverride.status = 201)')({ context })
    expect(context).toEqual({ stage: 'prod' })
  })
})

describe('$context.authorizer.claims', () => {
  it('prints as nothing, while its properties and get() read the claims', () => {
    const context = { authorizer: { principalId: 'p', claims: { sub: 'abc' } } }
    const r = compileMappingTemplate(
      '[$context.authorizer.claims] $context.authorizer.claims.sub $context.authorizer.claims.get("sub") $context.authorizer.principalId',
    )({ context })
    expect(r.body).toBe('[] abc abc p')
    expect(context.authorizer.claims).toEqual({ sub: 'abc' })
  })
})

describe('patterns compiled with the template', () => {
  it('give what the same pattern computed at render time gives (matches, replaceAll, replaceFirst, split)', () => {
    const patterns = ['a+', '(a)(b)?', '\\d', 'b*', ',', '(?i)A.', '^a', 'a$', '[ab]{2}', 'x|', '(?<n>a)']
    const subjects = fc.string({ unit: fc.constantFrom('a', 'b', 'A', '1', ',', 'x', '\n'), maxLength: 12 })
    fc.assert(
      fc.property(
        fc.constantFrom(...patterns),
        subjects,
        fc.constantFrom('-', '[$1]', '\\$', '', '${n}'),
        fc.integer({ min: -1, max: 3 }),
        (p, s, r, limit) => {
          const lit = p.replaceAll("'", '')
          const calls = (pat: string) =>
            `$s.matches(${pat})|$s.replaceAll(${pat}, $r)|$s.replaceFirst(${pat}, $r)|$s.split(${pat})|$s.split(${pat}, ${limit})`
          const run = (src: string) => {
            try {
              return compileTemplate(src)({ s, r, p })
            } catch (e) {
              if (!(e instanceof VtlError)) throw e
              return `error ${e.code}`
            }
          }
          expect(run(calls(`'${lit}'`))).toBe(run(calls('$p')))
        },
      ),
      { numRuns: 1500 },
    )
  })
})
