// Issue #12, finding 2 (engine): the patterns from the issue, compiled by @gatehousejs/regex in both syntaxes,
// answer a 31-character-plus hostile input within a step bound linear in its length (steps are counted, not
// timed), and what no linear engine can run is refused unless the operator opts in.
import { compileRegex, RegexError, regexStats } from '@gatehousejs/regex'
import { describe, expect, it } from 'vitest'

const ISSUE: Array<[string, string]> = [
  ['^(\\w\\w*)+$', 'a'],
  ['^(a|a)+$', 'a'],
  ['^(a?a)+$', 'a'],
  ['^(a{1,30})+$', 'a'],
  ['^(\\d|\\d\\d)+$', '1'],
  ['^\\d*\\d*\\d*\\d*\\d*$', '1'],
  ['(a+)+$', 'a'],
]

describe('redos-engine', () => {
  for (const syntax of ['ecmascript', 'java'] as const) {
    for (const [p, unit] of ISSUE) {
      it(`${syntax} ${p}: bounded steps on a hostile body`, () => {
        const re = compileRegex(p, { syntax })
        expect(re.linear).toBe(true)
        for (const n of [31, 64, 1000]) {
          const body = `${unit.repeat(n)}!`
          regexStats.steps = 0
          expect(re.test(body)).toBe(false)
          expect(re.matchesWhole(body)).toBe(false)
          expect(re.exec(body)).toBeNull()
          expect(regexStats.steps).toBeGreaterThan(0)
          // About 200 steps per character at most for these programs (the largest, a{1,30} repeated, is ~100
          // instructions); a backtracking engine needs 2^31 for the 31-character body.
          expect(regexStats.steps).toBeLessThan(600 * (n + 2))
        }
      })
    }
  }

  it('refuses backreferences and lookaround unless allowBacktracking; bounds the program size', () => {
    for (const p of ['(a+)\\1', '(?=a)a', '(?<!b)a']) {
      expect(() => compileRegex(p)).toThrow(RegexError)
      expect(compileRegex(p, { allowBacktracking: true }).linear).toBe(false)
    }
    let err: unknown
    try {
      compileRegex('(a{1,1000}){1,1000}')
    } catch (e) {
      err = e
    }
    expect((err as RegexError).code).toBe('REGEX_TOO_LARGE')
  })
})
