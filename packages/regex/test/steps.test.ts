// Linear time, shown by counting steps (never by timing): doubling a hostile input at most (a little over)
// doubles the work, for every engine (DFA for test/matchesWhole, Pike VM for exec) and both syntaxes.
import { describe, expect, it } from 'vitest'
import { compileRegex, regexStats, type Regex } from '@gatehouse/regex'

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
    it(`ecmascript ${p}`, () => expectLinear(compileRegex(p), (n) => unit.repeat(n) + '!'))
    it(`java ${p}`, () => expectLinear(compileRegex(p, { syntax: 'java' }), (n) => unit.repeat(n) + '!'))
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
    expectLinear(compileRegex('^(a|a)+$', { syntax: 'java' }), (n) => 'a'.repeat(n) + '\n!')
  })
})
