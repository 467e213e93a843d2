// Linear time, shown by counting steps (never by timing): doubling a hostile input at most (a little over)
// doubles the work, for every engine (DFA for test/matchesWhole, Pike VM for exec) and both syntaxes.
import { describe, expect, it } from 'vitest'
import { compileRegex, regexStats, type Regex } from '@gatehousejs/regex'

const HOSTILE: Array<[pattern: string, unit: string]> = [
  ['^(a+)+$', 'a'],
  ['^(\\w\\w*)+$', 'a'],
  ['^(a|a)+$', 'a'],
  ['^(a?a)+$', 'a'],
  ['^(a{1,30})+$', 'a'],
  ['^(\\d|\\d\\d)+$', '1'],
  ['^\\d*\\d*\\d*\\d*\\d*$', '1'],
  ['(a+)+$', 'a'],
  ['(a*)*b', 'a'],
  ['(.*a){12}', 'a'],
  ['^(([a-z])+.)+[A-Z]([a-z])+$', 'a'],
  ['(\\w+\\s?)*$', 'a'],
  ['^(a|aa)*c$', 'a'],
  ['(x+x+)+y', 'x'],
]

function cost(run: () => unknown): number {
  regexStats.steps = 0
  run()
  return regexStats.steps
}

function expectLinear(re: Regex, body: (n: number) => string): void {
  for (const [name, run] of [
    ['test', (s: string) => re.test(s)],
    ['matchesWhole', (s: string) => re.matchesWhole(s)],
    ['exec', (s: string) => re.exec(s)],
  ] as const) {
    const c = [250, 500, 1000, 2000].map((n) => cost(() => run(body(n))))
    for (let i = 1; i < c.length; i++) expect(c[i]!, `${re.source} ${name} ${c.join(' ')}`).toBeLessThanOrEqual(2.2 * c[i - 1]! + 200)
    expect(c[0]!, `${re.source} ${name}: the engine ran`).toBeGreaterThan(0)
  }
}

describe('steps grow linearly with the input', () => {
  for (const [p, unit] of HOSTILE) {
    it(`ecmascript ${p}`, () => expectLinear(compileRegex(p), (n) => `${unit.repeat(n)}!`))
    it(`java ${p}`, () => expectLinear(compileRegex(p, { syntax: 'java' }), (n) => `${unit.repeat(n)}!`))
  }

  it('a DFA whose states outnumber the cache still costs bounded steps per character', () => {
    // (a|b)*a(a|b){14} needs 2^15 DFA states: the cache is dropped and rebuilt, each character at most one
    // state construction.
    const re = compileRegex('(a|b)*a(a|b){14}c')
    let seed = 7
    const body = (n: number) => {
      let s = ''
      for (let i = 0; i < n; i++) s += (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % 2 === 0 ? 'a' : 'b'
      return s
    }
    expectLinear(re, body)
    regexStats.steps = 0
    re.test(body(20_000))
    expect(regexStats.steps).toBeLessThan(200 * 20_000)
  })

  it('a Java pattern with $ (Pike VM for every question) is linear too', () => {
    expectLinear(compileRegex('^(a|a)+$', { syntax: 'java' }), (n) => `${'a'.repeat(n)}\n!`)
  })
})

describe('a step limit stops a long match partway', () => {
  // Linear, but with a constant: `[ab]*a[ab]{1000}` has a new DFA state (built in O(program)) and a thousand
  // live Pike VM threads at almost every character of a random a/b input. A caller with a budget (a template
  // render) passes what it has left and gets REGEX_BUDGET instead of waiting.
  const re = compileRegex('[ab]*a[ab]{1000}c', { syntax: 'java' })
  let seed = 7
  const input = Array.from({ length: 6_000 }, () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) & 1024 ? 'a' : 'b')).join('')

  it.each([
    ['test', (limit?: number) => re.test(input, limit)],
    ['matchesWhole', (limit?: number) => re.matchesWhole(input, limit)],
    ['exec', (limit?: number) => re.exec(input, 0, limit)],
  ] as const)('%s: REGEX_BUDGET at the limit, the same answer without one', (_name, run) => {
    const limit = 100_000
    regexStats.steps = 0
    expect(() => run(limit)).toThrow(expect.objectContaining({ name: 'RegexError', code: 'REGEX_BUDGET' }))
    // Checked once per position (Pike VM) or per state built (DFA): the overshoot is one position's work.
    expect(regexStats.steps).toBeLessThan(limit + 4 * 2100)
    regexStats.steps = 0
    expect(run(undefined)).toBeFalsy()
    expect(regexStats.steps).toBeGreaterThan(limit)
  })

  it('a match within the limit answers as without one', () => {
    const ok = compileRegex('(?:[ab]|[bc]){1,20}x$', { syntax: 'java' })
    expect(ok.matchesWhole('abcx', 10_000)).toBe(true)
    expect(ok.test('zzabcx', 10_000)).toBe(true)
    expect(ok.exec('zzabcx', 0, 10_000)).toEqual([2, 6])
  })
})
