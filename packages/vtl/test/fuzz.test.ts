/**
 * Fuzzing with hostile requests (issue #12): random JSON bodies (hostile keys, deep nesting), random parameter and
 * header names and values, random JSONPath expressions, through realistic mapping templates. Invariants: only
 * VtlError escapes; every render stays within its work budget (counted by the budget itself, never timed); no
 * prototype changes. And the budget is never exceeded silently: a render completes within every limit, or fails
 * with VTL_BUDGET, and the step count is exact (a limit one step lower fails, the same limit passes).
 */
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { compileMappingTemplate, compileTemplate, evaluatePath, VtlError, type RenderUsage } from '@gatehousejs/vtl'
import { fuzzParams } from '@gatehousejs/test-kit'

const PROTO_NAMES = [...Object.getOwnPropertyNames(Object.prototype), 'prototype', '__proto__', 'constructor', '']
const protoSnapshot = Object.getOwnPropertyNames(Object.prototype).sort().join(',')
afterAll(() => expect(Object.getOwnPropertyNames(Object.prototype).sort().join(',')).toBe(protoSnapshot))

const name = fc.oneof(fc.constantFrom(...PROTO_NAMES), fc.string({ maxLength: 8 }))
const leaf = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null))
const tree = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    leaf,
    fc.array(tie('v'), { maxLength: 5 }),
    fc.array(fc.tuple(name, tie('v')), { maxLength: 5 }).map((entries) => {
      // Own data properties even for `__proto__` (as JSON.parse makes them).
      const o: Record<string, unknown> = {}
      for (const [k, x] of entries) Object.defineProperty(o, k, { value: x, enumerable: true, writable: true, configurable: true })
      return o
    }),
  ),
})).v

/** Bodies: JSON with hostile keys (some with `1.0`, which takes the exact parser), deep nesting, garbage. */
const body = fc.oneof(
  tree.map((v) => JSON.stringify(v) ?? ''),
  tree.map((v) => `{"d": 1.0, "x": ${JSON.stringify(v) ?? 'null'}}`),
  fc
    .tuple(fc.integer({ min: 1, max: 3000 }), fc.constantFrom('[', '{"a":'))
    .map(([n, open]) => `${open.repeat(n)}1${(open === '[' ? ']' : '}').repeat(n)}`),
  fc.string({ maxLength: 30 }),
)
const params = fc.dictionary(name, fc.string({ maxLength: 12 }), { maxKeys: 5 })

const pathToken = fc.constantFrom(
  '$',
  '.',
  '..',
  '*',
  '[',
  ']',
  '[?(',
  ')',
  '@',
  '.a',
  "['b']",
  '[0]',
  '[-1]',
  ':',
  ',',
  '==',
  '=~',
  '/a.*/',
  '<',
  '&&',
  '||',
  '!',
  "'x'",
  ' ',
  ...PROTO_NAMES.slice(0, 6).map((n) => `.${n}`),
)
const jsonPath = fc.array(pathToken, { maxLength: 10 }).map((a) => a.join(''))

const TEMPLATES = [
  // The "params dump" template from AWS's documentation.
  `#set($allParams = $input.params())
{#foreach($type in $allParams.keySet())#set($params = $allParams.get($type))"$type": {#foreach($p in $params.keySet())"$util.escapeJavaScript($p)": "$util.escapeJavaScript($params.get($p))"#if($foreach.hasNext),#end#end}#if($foreach.hasNext),#end#end}`,
  "$input.json('$')",
  `#set($b = $input.path('$'))#foreach($k in $b.keySet())"$k": "$util.escapeJavaScript($b.get($k))",#end $b.size()`,
  '#set($p = $util.parseJson($input.body))$p $p.toString().length()',
  "#foreach($x in $input.path('$..*'))$x;#end",
  "$input.params($input.params('n'))|$input.params().header.get($input.params('h'))|$stageVariables.get($input.params('n'))",
  "$context.authorizer.claims.sub|$context.authorizer[$input.params('n')]|$context.identity.sourceIp",
  "#foreach($a in $input.path('$.*'))#foreach($b in $input.path('$.*'))#foreach($c in $input.path('$.*'))$a$b$c#end#end#end",
  "$input.params('s').replaceAll('[^a-z]+', '-').split('-').size()|$input.params('s').matches($input.params('p'))",
  "#set($m = {})#foreach($k in $input.params().querystring.keySet())#set($x = $m.put($k, $input.params($k)))#end$m $m.get($input.params('n'))",
  '#set($s = $input.params(\'s\'))#foreach($i in [1..30])#set($s = "$s$s")#end$s.length()',
  '#macro(f $n)#if($n > 0)#set($k = $n - 1)#f($k)#f($k)#end#end#f(18)',
  "$input.path($input.params('jp'))|$input.json($input.params('jp'))",
]

const LIMITS = { maxSteps: 50_000, maxStringGrowth: 200_000, maxOutputLength: 50_000 }
const compiled = TEMPLATES.map((t) => {
  const usage: { last?: RenderUsage } = {}
  return { render: compileMappingTemplate(t, { ...LIMITS, onUsage: (u) => (usage.last = u) }), usage }
})

describe('fuzz: hostile requests through realistic templates', () => {
  it('only VtlError, within the budget, no prototype change', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: TEMPLATES.length - 1 }),
        body,
        params,
        params,
        fc.record({ n: name, h: name, s: fc.string({ maxLength: 40 }), p: fc.string({ maxLength: 12 }), jp: jsonPath }),
        (t, b, query, header, q) => {
          const { render, usage } = compiled[t]!
          let out: string | undefined
          try {
            out = render({
              body: b,
              params: { path: {}, querystring: { ...query, ...q }, header },
              context: { authorizer: { claims: { ...query }, ...header }, identity: { sourceIp: '10.0.0.1' } },
              stageVariables: { ...query },
            }).body
          } catch (e) {
            if (!(e instanceof VtlError)) throw e
          }
          const u = usage.last!
          if (out !== undefined) {
            expect(u.steps).toBeLessThanOrEqual(LIMITS.maxSteps)
            expect(u.stringGrowth).toBeLessThanOrEqual(LIMITS.maxStringGrowth)
            expect(out.length).toBeLessThanOrEqual(LIMITS.maxOutputLength)
            expect(out).not.toContain('[native code]')
          }
          expect(Object.getOwnPropertyNames(Object.prototype).sort().join(',')).toBe(protoSnapshot)
          expect(({} as Record<string, unknown>).x).toBeUndefined()
        },
      ),
      fuzzParams(400),
    )
  })

  it('random JSONPath on hostile documents: only VtlError', () => {
    fc.assert(
      fc.property(jsonPath, tree, (p, doc) => {
        try {
          evaluatePath(p, doc)
        } catch (e) {
          if (!(e instanceof VtlError)) throw e
        }
      }),
      fuzzParams(1000),
    )
  })
})

// ---- the budget is never exceeded silently ------------------------------------------------------------------

/** Loops, macros, string and list growth, method calls on bindings; no regex (its searches are charged by the engine). */
const pieces = fc.constantFrom(
  'x',
  '$s',
  '$f.tick()',
  '#set($s = "$s$s")',
  '#set($s = $s.concat("ab"))',
  '#set($s = $s.replace("a", "aa"))',
  '$l.add($s)',
  '$l.addAll($l)',
  '$l',
  '$l.size()',
  '$l.contains("zz")',
  '#set($m = {"k": $l})$m',
  '$s.toUpperCase().length()',
  '#foreach($i in [1..5])$f.tick()#end',
  '#inc($s)',
  '$l.toString().length()',
  '#set($s = $s + $l.size())',
)
const budgetTemplate = fc
  .letrec<{ b: string }>((tie) => ({
    b: fc.oneof(
      { depthSize: 'small' },
      fc.array(pieces, { maxLength: 5 }).map((a) => a.join(' ')),
      fc.tuple(fc.integer({ min: 0, max: 12 }), tie('b')).map(([n, b]) => `#foreach($i in [1..${n}]) ${b} #end`),
      fc.tuple(tie('b'), tie('b')).map(([a, b]) => `#if($f.tick()) ${a} #else ${b} #end`),
      fc.tuple(tie('b'), tie('b')).map(([a, b]) => `${a} ${b}`),
    ),
  }))
  .b.map((b) => `#macro(inc $p)$f.tick()#set($s = "$p.")#end ${b}`)

function renderCounting(src: string, options: Parameters<typeof compileTemplate>[1], codegen: boolean) {
  let ticks = 0
  let usage: RenderUsage | undefined
  const tpl = compileTemplate(src, { ...options, codegen, onUsage: (u) => (usage = u) })
  let error: VtlError | undefined
  try {
    tpl({ s: 'a', l: [], f: { tick: () => ++ticks > 0 } })
  } catch (e) {
    if (!(e instanceof VtlError)) throw e
    error = e
  }
  return { ticks, usage: usage!, error }
}

describe('property: the budget is never exceeded silently', () => {
  it('a render completes within its limits or throws VTL_BUDGET; the step count is exact and covers the work done', () => {
    fc.assert(
      fc.property(
        budgetTemplate,
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 20_000 }),
        fc.boolean(),
        (src, maxSteps, maxStringGrowth, codegen) => {
          const r = renderCounting(src, { maxSteps, maxStringGrowth, maxOutputLength: 20_000 }, codegen)
          if (r.error) expect(r.error.code).toBe('VTL_BUDGET')
          else {
            expect(r.usage.steps).toBeLessThanOrEqual(maxSteps)
            expect(r.usage.stringGrowth).toBeLessThanOrEqual(maxStringGrowth)
            expect(r.usage.outputLength).toBeLessThanOrEqual(20_000)
          }
          // Every call into the bindings was paid for.
          expect(r.ticks).toBeLessThanOrEqual(r.usage.steps)
          if (!r.error && r.usage.steps >= 1) {
            // Exactly the steps used suffice; one fewer is refused (every charge is checked at once).
            expect(
              renderCounting(src, { maxSteps: r.usage.steps, maxStringGrowth, maxOutputLength: 20_000 }, codegen).error,
            ).toBeUndefined()
            const fewer = renderCounting(src, { maxSteps: r.usage.steps - 1, maxStringGrowth, maxOutputLength: 20_000 }, codegen)
            expect(fewer.error?.code).toBe('VTL_BUDGET')
            expect(fewer.usage.steps).toBeGreaterThan(r.usage.steps - 1)
          }
        },
      ),
      fuzzParams(300),
    )
  })
})
