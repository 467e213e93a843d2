/**
 * Issue #12, finding 2 (VTL part): `matches`, `replaceAll`, `replaceFirst` and `split` ran Java patterns on
 * client input through backtracking RegExp (26 characters → 3.5 s, doubling per character). They now run on
 * `@gatehousejs/regex`, whose matching time is linear in the input whatever the pattern; constructs that cannot run
 * linearly (backreferences, lookaround) are refused as `VTL_RUNTIME` instead of being run.
 * (On the old code the catastrophic cases below do not finish: the test process had to be killed.)
 */
import { describe, expect, it } from 'vitest'
import { regexStats } from '@gatehousejs/regex'
import { compileMappingTemplate, VtlError } from '@gatehousejs/vtl'

const EVIL = [
  '(a+)+$',
  '(a|a)+$',
  '(a|aa)+$',
  '(a?a)+$',
  '(\\w\\w*)+$',
  '(a{1,30})+$',
  '(\\d|\\d\\d)+$',
  '^\\d*\\d*\\d*\\d*\\d*\\d*\\d*\\d*$',
  '(.*a){12}',
]

function run(template: string, q: string): string {
  return compileMappingTemplate(template)({ params: { querystring: { q } } }).body
}

describe('patterns on client input run in linear time', () => {
  const hostile = `${'a'.repeat(5_000)}!`
  const digits = `${'1'.repeat(5_000)}x`

  it.each(EVIL)('%s', (p) => {
    for (const input of [hostile, digits]) {
      // One whole-string match costs engine steps in proportion to the input (counted, not timed).
      const before = regexStats.steps
      expect(run(`$input.params('q').matches('${p}')`, input)).toMatch(/^(true|false)$/)
      expect(regexStats.steps - before).toBeLessThan(500 * input.length)
      // Global replace and split search once per match; the render's budget bounds the total.
      for (const call of [`replaceAll('${p}', 'X')`, `replaceFirst('${p}', 'X')`, `split('${p}')`]) {
        try {
          expect(run(`$input.params('q').${call}.length()|$input.params('q').${call}.size()`, input)).toMatch(/^\d*\|\d*$/)
        } catch (e) {
          expect(e).toBeInstanceOf(VtlError)
          expect((e as VtlError).code).toBe('VTL_BUDGET')
        }
      }
    }
  })

  it('a pattern taken from the client is compiled with the same guarantee', () => {
    const out = compileMappingTemplate("$input.params('s').matches($input.params('p'))")({
      params: { querystring: { s: hostile, p: '(a|a)+$' } },
    }).body
    expect(out).toBe('false')
  })

  it('backreferences and lookaround are refused, not run', () => {
    for (const p of ['(a)\\1', '(?=a)a', '(?<=a)b', 'a(?!b)']) {
      let err: unknown
      try {
        run(`$input.params('q').replaceAll('${p}', 'x')`, 'aab')
      } catch (e) {
        err = e
      }
      expect(err).toBeInstanceOf(VtlError)
      expect((err as VtlError).code).toBe('VTL_RUNTIME')
    }
  })
})

describe('Java semantics kept', () => {
  it.each([
    ['a1b22c', "replaceAll('(\\d+)', '<$1>')", 'a<1>b<22>c'],
    ['a1b22c', "replaceFirst('(\\d)(\\d)?', '[$2$1]')", 'a[1]b22c'],
    ['a.b', "replaceAll('\\.', '\\$')", 'a$b'],
    ['price', "replaceAll('p', '\\\\')", '\\rice'],
    ['aXbXXc', "replaceAll('X*', '-')", '-a--b--c-'],
    ['a,b,,c,,', "split(',')", '[a, b, , c]'],
    ['a,b,,c,,', "split(',', -1)", '[a, b, , c, , ]'],
    ['a,b,c', "split(',', 2)", '[a, b,c]'],
    ['abc', "split('')", '[a, b, c]'],
    [',a', "split(',')", '[, a]'],
    ['2024-01-02', "matches('\\d{4}-\\d{2}-\\d{2}')", 'true'],
    ['ab', "matches('a|ab')", 'true'],
    ['AB', "matches('(?i)ab')", 'true'],
    ['line1\nline2', "replaceAll('(?m)^l', 'L')", 'Line1\nLine2'],
  ])('%j.%s', (subject, call, out) => {
    expect(run(`$input.params('q').${call}`, subject)).toBe(out)
  })

  it('one long search stops partway at the render budget (found after the first fix: a large program on a large input)', () => {
    // Linear, but each character costs up to the program's size: 20,000 characters × ~2,000 instructions is far
    // beyond the budget, and the engine is told what is left instead of running to the end first.
    let seed = 7
    const s = Array.from({ length: 20_000 }, () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) & 1024 ? 'a' : 'b')).join('')
    const template = compileMappingTemplate("$input.params('s').matches('[ab]*a[ab]{1000}c')", { maxSteps: 200_000 })
    const before = regexStats.steps
    let err: unknown
    try {
      template({ params: { querystring: { s } } })
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(VtlError)
    expect((err as VtlError).code).toBe('VTL_BUDGET')
    expect(regexStats.steps - before).toBeLessThan(400_000)
  })
})
