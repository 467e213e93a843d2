// ECMAScript syntax: a table checked against the native RegExp (with `u`), the errors, and the engine choice.
import { describe, expect, it } from 'vitest'
import { compileRegex, RegexError, regexStats } from '@gatehousejs/regex'
import { parseEcma, parseFlags } from '../src/parse-ecma'
import { compileProgram } from '../src/program'
import { analyze } from '../src/safe'

// [pattern, flags, inputs]: every answer is compared with RegExp's.
const TABLE: Array<[string, string, string[]]> = [
  ['^(\\w+)@(\\w+)$', '', ['me@host', 'me@', '@host']],
  ['(a|ab)(c|bcd)(d*)', '', ['abcd', 'xabcdd']],
  ['(a*)*', '', ['b', 'aab']],
  ['(a*)+', '', ['b', 'aab']],
  ['(a?){0,2}b', '', ['b', 'ab', 'aab']],
  ['(?:(a)|b)+', '', ['ab', 'ba']], // captures reset per iteration
  ['(z)((a+)?(b+)?(c))*', '', ['zaacbbbcac']],
  ['a+?', '', ['aaa']],
  ['a{2,3}?', '', ['aaaa']],
  ['a{2}', '', ['a', 'aaa']],
  ['a{0}b', '', ['ab']],
  ['\\bfoo\\b', 'i', ['a FOO b', 'afoo']],
  ['\\Bk', 'i', ['\u212a\u212a', 'ak']],
  ['^$', 'm', ['a\n\nb', 'a\r\nb', 'ab']],
  ['^b$', 'm', ['a\nb\nc', 'a\u2028b']],
  ['a$', '', ['a\n', 'a']],
  ['a.c', '', ['a\nc', 'a\u2028c', 'abc', 'a\u{1F600}c']],
  ['a.c', 's', ['a\nc']],
  ['\\u{1F600}+', '', ['x\u{1F600}\u{1F600}y']],
  ['[^a]', '', ['\u{1F600}', 'a']],
  ['[\\u{1F600}-\\u{1F64F}]', '', ['\u{1F601}']],
  ['\\uD83D\\uDE00', '', ['\u{1F600}']],
  ['(?<y>\\d{4})-(?<m>\\d\\d)', '', ['on 2024-05-06']],
  ['\\p{Lu}+', '', ['abcDEFg']],
  ['\\P{L}', '', ['ab1']],
  ['[\\p{Nd}a]+', '', ['x12a3']],
  ['\u017f', 'i', ['S', 's']],
  ['[a-z]+', 'i', ['ABC', '\u212a']],
  ['[^a-z]', 'i', ['A', '1']],
  ['\\w', 'i', ['\u017f']],
  ['\\W', 'i', ['\u017f', '!']],
  ['\u00e9', 'i', ['\u00c9']],
  ['\\s+', '', [' \t\u00a0\ufeff\u2028x']],
  ['[\\s\\S]', '', ['\n']],
  ['\\d\\D\\w\\W', '', ['1a_!', '1aa!']],
  ['[\\b]', '', ['\b']],
  ['\\cJ\\x41\\u0042\\0', '', ['\nAB\0']],
  ['[\\-a]+', '', ['-a-']],
  ['\\/\\.\\*', '', ['/.*']],
  ['[]', '', ['a', '']],
  ['[^]', '', ['\n']],
  ['|a', '', ['a']],
  ['a|', '', ['b']],
  ['(a)|b', '', ['b']],
  ['(?:)', '', ['']],
  ['x*', '', ['', 'xx']],
  ['((a)|(b))*c', '', ['abc']],
  ['(a|b)*?b', '', ['aab']],
  ['\ud800', '', ['\ud800', '\ud800\udc00']],
]

function nativeExec(p: string, f: string, s: string): number[] | null {
  const m = new RegExp(p, `u${f}d`).exec(s)
  return m === null ? null : m.indices!.flatMap((x) => (x === undefined ? [-1, -1] : [x[0], x[1]]))
}

describe('ecmascript syntax', () => {
  for (const [p, f, inputs] of TABLE) {
    it(`/${p}/${f} agrees with RegExp`, () => {
      const re = compileRegex(p, { flags: f })
      expect(re.linear).toBe(true)
      expect(re.groupCount).toBe(new RegExp(`${p}|`, `u${f}`).exec('')!.length - 1)
      for (const s of inputs) {
        expect(re.test(s), s).toBe(new RegExp(p, `u${f}`).test(s))
        expect(re.exec(s), s).toEqual(nativeExec(p, f, s))
        const whole = new RegExp(`(?:${p})(?![^])`, `u${f}y`)
        expect(re.matchesWhole(s), s).toBe(whole.test(s))
      }
    })
  }

  it('exec from an offset; out-of-range offsets give null', () => {
    const re = compileRegex('a(b)?')
    expect(re.exec('xaab', 2)).toEqual([2, 4, 3, 4])
    expect(re.exec('xa', 3)).toBeNull()
    expect(re.exec('xa', -1)).toBeNull()
    expect(re.exec('xa', Number.NaN)).toBeNull()
  })

  it('reports errors with a code', () => {
    const cases: Array<[string, string, RegexError['code']]> = [
      ['(', '', 'REGEX_SYNTAX'],
      ['a{2,1}', '', 'REGEX_SYNTAX'],
      ['\\k<x>', '', 'REGEX_SYNTAX'],
      ['{', '', 'REGEX_SYNTAX'], // `u` syntax: no lone braces
      ['\\1', '', 'REGEX_SYNTAX'], // `u` syntax: no octal, no reference to a missing group
      ['a', 'g', 'REGEX_SYNTAX'],
      ['a', 'ii', 'REGEX_SYNTAX'],
      ['(a)\\1', '', 'REGEX_UNSUPPORTED'],
      ['(?<n>a)\\k<n>', '', 'REGEX_UNSUPPORTED'],
      ['a(?=b)', '', 'REGEX_UNSUPPORTED'],
      ['a(?!b)', '', 'REGEX_UNSUPPORTED'],
      ['(?<=a)b', '', 'REGEX_UNSUPPORTED'],
      ['(?<!a)b', '', 'REGEX_UNSUPPORTED'],
      ['(a{1,1000}){1,1000}', '', 'REGEX_TOO_LARGE'],
      ['a{100000}', '', 'REGEX_TOO_LARGE'],
      ['(?:){1000000000}', '', 'REGEX_TOO_LARGE'],
      ['('.repeat(300) + ')'.repeat(300), '', 'REGEX_TOO_LARGE'],
    ]
    for (const [p, f, code] of cases) {
      let err: unknown
      try {
        compileRegex(p, { flags: f })
      } catch (e) {
        err = e
      }
      expect(err, p).toBeInstanceOf(RegexError)
      expect((err as RegexError).code, p).toBe(code)
    }
  })

  it('allowBacktracking runs backreferences and lookaround natively', () => {
    const re = compileRegex('(?<q>["\'])(.*?)\\k<q>', { allowBacktracking: true })
    expect(re.linear).toBe(false)
    expect(re.exec('say "hi" now')).toEqual([4, 8, 4, 5, 5, 7])
    expect(re.test("'x'")).toBe(true)
    expect(re.matchesWhole('"a"')).toBe(true)
    expect(re.matchesWhole('"a" ')).toBe(false)
    expect(compileRegex('^a(?=b)', { allowBacktracking: true, flags: 'm' }).exec('x\nab')).toEqual([2, 3])
    // A pattern without such constructs stays linear even when backtracking is allowed.
    expect(compileRegex('a+', { allowBacktracking: true }).linear).toBe(true)
  })

  it('the native fast path is taken only for deterministic programs', () => {
    const safety = (p: string) => analyze(compileProgram(parseEcma(p, parseFlags(''), false).node, 0, { ecma: true }))
    for (const p of [
      '^(a+)+$',
      '^(\\w\\w*)+$',
      '^(a|a)+$',
      '^(a?a)+$',
      '^(a{1,30})+$',
      '^(\\d|\\d\\d)+$',
      '^\\d*\\d*$',
      '(a+)+$',
      '^[^@]+@[^@]+\\.[a-z]+$',
      '^(a*)*$',
      '^(?:a|ab)c$',
    ])
      expect(safety(p).deterministic, p).toBe(false)
    for (const p of ['^[A-Z]{3}-[0-9]{4}$', '^(0[1-9]|1[0-2])/[0-9]{2}$', '^[a-z]+(-[a-z]+)*$', '^\\+?[0-9 ]{6,20}$', 'abc'])
      expect(safety(p).deterministic, p).toBe(true)
    expect(safety('^[a-z]+$').anchored).toBe(true)
    expect(safety('[a-z]+$').anchored).toBe(false)
    expect(safety('[a-z]{2,4}').bounded).toBe(true)
    // The engines that answer, and their step counters: the DFA and the Pike VM count steps, native does not.
    const hostile = compileRegex('^(a|a)+$') as unknown as { engines: Record<string, string> }
    expect(hostile.engines).toEqual({ test: 'dfa', matchesWhole: 'dfa', exec: 'pike' })
    const simple = compileRegex('^[A-Z]{3}$') as unknown as { engines: Record<string, string> }
    expect(simple.engines.test).toBe('native-deterministic')
    regexStats.steps = 0
    compileRegex('^(a|a)+$').test('aaaa!')
    expect(regexStats.steps).toBeGreaterThan(0)
  })
})
