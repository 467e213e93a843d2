/**
 * Property tests: the parser and renderer throw nothing but VtlError on any input, and templates built from plain
 * Velocity features render exactly as velocityjs renders them (the deliberate divergences are listed in the
 * README and kept out of the generator).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { render as velocityjs } from 'velocityjs'
import { compileMappingTemplate, compileTemplate, evaluatePath, VtlError } from '@gatehousejs/vtl'

const tokens = [
  '$',
  '$!',
  '${',
  '}',
  '#',
  '##',
  '#*',
  '*#',
  '#[[',
  ']]#',
  '(',
  ')',
  '[',
  ']',
  '{',
  '.',
  ',',
  ':',
  '"',
  "'",
  '\\',
  '!',
  '=',
  '==',
  '<',
  '>',
  '&&',
  '||',
  '..',
  ' ',
  '\n',
  'a',
  'b',
  'x',
  '1',
  '2.5',
  '-',
  '+',
  '*',
  '/',
  '%',
  '#if',
  '#elseif',
  '#else',
  '#end',
  '#set',
  '#foreach',
  ' in ',
  '#macro',
  '#define',
  '#stop',
  '#break',
  '#m',
  '#{if}',
  '#{end}',
  '$a',
  '$a.b',
  '$a.c(',
  '$a[',
  'true',
  'not',
  'eq',
  '$input.json(',
  '$util.parseJson(',
  "'$.x'",
  "'$..*'",
  '$input.path(',
  '$context.',
  '$foreach.',
  '$velocityCount',
]

const fuzzTemplate = fc.array(fc.oneof(fc.constantFrom(...tokens), fc.string({ maxLength: 3 })), { maxLength: 40 }).map((a) => a.join(''))

function onlyVtlErrors(fn: () => unknown): void {
  try {
    fn()
  } catch (e) {
    if (!(e instanceof VtlError)) throw e
  }
}

describe('robustness', () => {
  it('compiling and rendering random input throws only VtlError', () => {
    fc.assert(
      fc.property(fuzzTemplate, fc.string({ maxLength: 20 }), (src, body) => {
        onlyVtlErrors(() => {
          const t = compileMappingTemplate(src)
          onlyVtlErrors(() => t({ body, params: { querystring: { a: body } }, context: { a: { b: 1 } } }))
        })
        onlyVtlErrors(() => compileTemplate(src)({ a: { b: [1, { c: 'x' }] }, m: new Map([['k', 1]]) }))
      }),
      { numRuns: 3000 },
    )
  })

  it('random JSONPath expressions throw only VtlError', () => {
    const parts = ['$', '.', '..', '*', '[', ']', '?(', ')', '@', 'a', "'b'", '0', '-1', ':', ',', '==', '<', '&&', '||', '!', '/x/', ' ']
    const doc = new Map<string, unknown>([['a', [1, new Map([['b', 2]])]]])
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...parts), { maxLength: 12 }), (p) => {
        onlyVtlErrors(() => evaluatePath(p.join(''), doc))
      }),
      { numRuns: 2000 },
    )
  })

  it('random payloads and $util input throw only VtlError', () => {
    const t = compileMappingTemplate(
      "$input.json('$')|$input.path('$.a')|$util.parseJson($input.body)|$util.urlDecode($input.body)|$util.base64Decode($input.body)|$util.escapeJavaScript($input.body)",
    )
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 30 }),
          fc.json().map((j) => j.slice(0, 40)),
        ),
        (body) => {
          onlyVtlErrors(() => t({ body }))
        },
      ),
      { numRuns: 2000 },
    )
  })
})

// ---- differential test against velocityjs -------------------------------------------------------------------

const bindings = {
  s: 'hello World',
  t: 'abc',
  n: 7,
  k: 3,
  l: [3, 1, 2],
  w: ['x', 'yy', 'zzz'],
  m: { a: 1, b: 'two' },
  x: 'preset',
  y: 'wy',
}

// Text never starts with an identifier character, so it cannot extend the reference before it (`$s` + `abc`).
const safeText = fc.stringMatching(/^([ ,:;=][a-zA-Z0-9 ,:;=_]{0,7})?$/).map((s) => s.trimEnd())
const textNl = fc.oneof(
  safeText,
  safeText.map((s) => `${s.trimEnd()}\n`),
  fc.constant('\n'),
)

const intExpr: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.integer({ min: 0, max: 50 }).map(String),
    fc.constantFrom('$n', '$k', '$l.size()', '$l.get(0)'),
    fc.tuple(tie('e'), fc.constantFrom('+', '-', '*'), tie('e')).map(([a, op, b]) => `(${a} ${op} ${b})`),
  ),
})).e

const cond = fc.oneof(
  fc.tuple(intExpr, fc.constantFrom('==', '!=', '<', '<=', '>', '>='), intExpr).map(([a, op, b]) => `${a} ${op} ${b}`),
  fc.constantFrom('true', 'false', '$s == "hello World"', '$t != "abc"', '$s.startsWith("he")', '!$s.startsWith("x")'),
)

const stringExpr = fc.oneof(
  safeText.map((s) => `"${s}"`),
  safeText.map((s) => `'${s}'`),
  safeText.map((s) => `"$t${s}"`),
  fc.constantFrom('$s.toUpperCase()', '$s.substring(0, 5)', '$t.replace("b", "B")', '$w.get(1)', '"${t}x"'),
)

const ref = fc.constantFrom(
  '$s',
  '${s}',
  '$!s',
  '$n',
  '$l',
  '$w',
  '$l.size()',
  '$m.a',
  '$m.b',
  '$m.get("a")',
  '$s.toLowerCase()',
  '$x',
  '$w.get(2)',
  '$s.indexOf("o")',
  '$s.trim()',
  '$t.toUpperCase()',
)

type Gen = fc.Arbitrary<string>

function block(depth: number, loopVars: string[]): Gen {
  const items: Gen[] = [textNl, ref, ...loopVars.map((v) => fc.constantFrom(`$${v}`, `${'${'}${v}}`))]
  items.push(
    fc.tuple(fc.constantFrom('x', 'y'), fc.oneof(intExpr, stringExpr)).map(([v, e]) => `#set($${v} = ${e})`),
    fc.constantFrom('$y', '#set($y = 1)$y'),
  )
  if (loopVars.length) items.push(fc.constantFrom('$foreach.count', '$foreach.index', '$foreach.hasNext', '$velocityCount'))
  if (depth > 0) {
    const inner = block(depth - 1, loopVars)
    items.push(
      fc
        .tuple(cond, inner, fc.option(inner, { nil: undefined }))
        .map(([c, a, b]) => (b === undefined ? `#if(${c})${a}#end` : `#if(${c})${a}#else${b}#end`)),
      fc.tuple(cond, inner, cond, inner).map(([c, a, d, b]) => `#if(${c})${a}#elseif(${d})${b}#end`),
      fc.tuple(fc.constantFrom('$l', '$w', '[1, 2]', '[2..4]', '["p", "q"]'), fc.boolean()).chain(([src, nl]) => {
        const v = loopVars.length ? 'j' : 'i'
        return block(depth - 1, [...loopVars, v]).map((b) => `#foreach($${v} in ${src})${nl ? '\n' : ''}${b}#end`)
      }),
    )
  }
  return fc.array(fc.oneof(...items), { maxLength: 6 }).map((a) => a.join(''))
}

const template = fc
  .tuple(block(2, []), fc.boolean())
  .map(([b, withMacro]) => (withMacro ? `#macro(show $p)<$p>#end${b}#show($t)#show("lit")` : b))

describe('differential: velocityjs', () => {
  it('renders plain Velocity exactly as velocityjs', () => {
    fc.assert(
      fc.property(template, (src) => {
        const ours = compileTemplate(src)({ ...bindings, l: [...bindings.l], w: [...bindings.w], m: { ...bindings.m } })
        const theirs = velocityjs(src, { ...bindings, l: [...bindings.l], w: [...bindings.w], m: { ...bindings.m } })
        expect(ours).toBe(theirs)
      }),
      { numRuns: 1500 },
    )
  })
})

describe('generated code and closures agree', () => {
  it('renders random plain templates identically with codegen on and off', () => {
    fc.assert(
      fc.property(template, (src) => {
        const b = () => ({ ...bindings, l: [...bindings.l], w: [...bindings.w], m: { ...bindings.m } })
        expect(compileTemplate(src, { codegen: false })(b())).toBe(compileTemplate(src)(b()))
      }),
      { numRuns: 300 },
    )
  })
})
