// java.util.regex semantics, as tables of what Java answers (String.matches for `whole`, Matcher.find for `find`).
import { describe, expect, it } from 'vitest'
import { compileRegex, RegexError } from '@gatehousejs/regex'

const java = (p: string, allowBacktracking = false) => compileRegex(p, { syntax: 'java', allowBacktracking })

// [pattern, input, String.matches]
const WHOLE: Array<[string, string, boolean]> = [
  ['\\s+', ' \t\n\u000B\f\r', true],
  ['\\s', '\u00a0', false], // Java's \s is ASCII: [ \t\n\x0B\f\r]
  ['\\S', '\u00a0', true],
  ['\\h', '\u00a0', true],
  ['\\v', '\u2028', true],
  ['a.b', 'a\nb', false],
  ['a.b', 'a\u0085b', false], // Java's . excludes every line terminator
  ['a.b', 'a\u2029b', false],
  ['a.b', 'a\u000Bb', true],
  ['(?s)a.b', 'a\nb', true],
  ['(?i)abc', 'ABC', true],
  ['(?i)\u00e9', '\u00c9', false], // CASE_INSENSITIVE alone folds ASCII only
  ['(?iu)\u00e9', '\u00c9', true],
  ['a(?i)b', 'aB', true],
  ['a(?i)b', 'AB', false],
  ['(?i:a)b', 'Ab', true],
  ['(?i:a)b', 'AB', false],
  ['(?i)a(?-i)b', 'Ab', true],
  ['(?i)a(?-i)b', 'AB', false],
  ['((?i)a)b', 'AB', false], // an inline flag ends with its group
  ['\\Qa.b\\E', 'a.b', true],
  ['\\Qa.b\\E', 'axb', false],
  ['\\Qab\\E+', 'abbb', true], // the quantifier takes the last quoted character
  ['[\\Q]\\E]', ']', true],
  ['\\p{Lower}+', 'abc', true],
  ['\\p{Lower}+', 'aBc', false],
  ['(?i)\\p{Lower}+', 'aBc', true],
  ['\\p{IsAlpha}\\p{Digit}\\P{Digit}', 'a1-', true],
  ['\\p{Punct}', '!', true],
  ['\\p{L}+', '\u00e9t\u00e9', true],
  ['\\p{Lu}', 'a', false],
  ['\\pL', 'x', true],
  ['\\p{IsLatin}+', 'abc', true],
  ['[a-z&&[^aeiou]]+', 'bcd', true],
  ['[a-z&&[^aeiou]]+', 'bad', false],
  ['[a-z&&def]+', 'fed', true],
  ['[a[0-9]]+', 'a12', true],
  ['[a[0-9]]+', 'a1b', false],
  ['[^a[b]]', 'b', false], // the negation covers the nested class (Java 9+)
  ['[]a]+', ']a', true],
  ['[a-]+', '-a', true],
  ['\\x{1F600}', '\u{1F600}', true],
  ['\\x41\\u0042\\0103', 'ABC', true],
  ['\\t\\e\\a\\cA', '\t\u001b\u0007\u0001', true],
  ['\\.', '.', true],
  ['a\\Rb', 'a\r\nb', true],
  ['a\\Rb', 'a\u0085b', true],
  ['abc$', 'abc\n', false], // matches() needs the whole input; $ only looks
  ['a|ab', 'ab', true],
  ['(a|ab)(c|bcd)', 'abcd', true],
  ['x*', '', true],
  ['[^abc]', '\u{1F600}', true], // one code point, not two units
  ['.', '\u{1F600}', true],
  ['a{2,3}', 'aaaa', false],
  ['a{2,}', 'aaaa', true],
  ['\\w+', 'caf\u00e9', false], // \w is ASCII
]

// [pattern, input, from, Matcher.find result as [start, end, …] or null]
const FIND: Array<[string, string, number, number[] | null]> = [
  ['abc$', 'abc\n', 0, [0, 3]], // $ matches before a final line terminator
  ['abc$', 'abc\r\n', 0, [0, 3]],
  ['abc$', 'abc\n\n', 0, null],
  ['abc\\Z', 'abc\n', 0, [0, 3]],
  ['abc\\z', 'abc\n', 0, null],
  ['$', 'a\r\n', 0, [1, 1]], // not between \r and \n
  ['\\Aa', 'ba', 0, null],
  ['(?m)^b', 'a\nb', 0, [2, 3]],
  ['(?m)^', 'a\n', 1, null], // no ^ at the end of input, even after a newline
  ['(?m)^', 'a\r\nb', 1, [3, 3]], // not between \r and \n
  ['(?m)a$', 'a\r\nb', 0, [0, 1]],
  ['(?m)$', 'a\r\nb', 2, [4, 4]],
  ['(a)|(b)', 'b', 0, [0, 1, -1, -1, 0, 1]],
  ['(?:(a)|b)+', 'ab', 0, [0, 2, 0, 1]], // Java keeps a group's last capture across iterations
  ['a+?', 'aaa', 0, [0, 1]],
  ['a*?b', 'aab', 0, [0, 3]],
  ['(?<year>\\d{4})-(\\d\\d)', 'on 2024-05', 0, [3, 10, 3, 7, 8, 10]],
  ['\\bfoo\\b', 'a foo b', 0, [2, 5]],
  ['\\Bo', 'foo', 0, [1, 2]],
  ['a', 'baba', 2, [3, 4]],
  ['a', 'bab', 2, null],
  ['', 'ab', 1, [1, 1]],
  ['\\s', 'a\u00a0 b', 0, [2, 3]],
]

describe('java syntax', () => {
  it.each(WHOLE)('%j matches %j: %s', (p, input, want) => {
    expect(java(p).matchesWhole(input)).toBe(want)
  })

  it.each(FIND)('%j finds in %j from %i: %j', (p, input, from, want) => {
    const re = java(p)
    expect(re.exec(input, from)).toEqual(want)
    if (from === 0) expect(re.test(input)).toBe(want !== null)
  })

  it('counts groups, named ones included', () => {
    expect(java('(a)(?<n>b)(?:c)').groupCount).toBe(2)
  })

  it('refuses what cannot run linearly unless allowBacktracking, then runs it natively', () => {
    for (const p of ['a++a', '(?>a|ab)c', '(a)\\1', 'a(?=b)', '(?<=a)b', '(?<!a)b', '(?<n>a)\\k<n>', 'a*+', 'a{1,2}+']) {
      let err: unknown
      try {
        java(p)
      } catch (e) {
        err = e
      }
      expect(err, p).toBeInstanceOf(RegexError)
      expect((err as RegexError).code, p).toBe('REGEX_UNSUPPORTED')
      expect(java(p, true).linear).toBe(false)
    }
    expect(java('a++a', true).matchesWhole('aaa')).toBe(false) // possessive: gives nothing back
    expect(java('a++b', true).matchesWhole('aab')).toBe(true)
    expect(java('(?>a|ab)c', true).test('abc')).toBe(false) // atomic: commits to `a`
    expect(java('(a)\\1', true).exec('xaa')).toEqual([1, 3, 1, 2])
    expect(java('(?>(a))(b)\\2', true).exec('abb')).toEqual([0, 3, 0, 1, 1, 2]) // groups keep Java's numbers
    expect(java('a(?=b)', true).exec('ab')).toEqual([0, 1])
    expect(java('(?<=a)b', true).exec('ab')).toEqual([1, 2])
    expect(java('(?<n>a)\\k<n>$', true).test('aa\n')).toBe(true) // Java's $ kept natively
    expect(java('(?m)^b(?=c)', true).exec('a\nbc')).toEqual([2, 3])
  })

  it('reports syntax errors with their offset', () => {
    const cases: Array<[string, RegexError['code']]> = [
      ['a{', 'REGEX_SYNTAX'],
      ['*a', 'REGEX_SYNTAX'],
      ['{1}', 'REGEX_SYNTAX'],
      ['(?<n>a)(?<n>b)', 'REGEX_SYNTAX'],
      ['\\k<x>', 'REGEX_SYNTAX'],
      ['\\y', 'REGEX_SYNTAX'],
      ['(', 'REGEX_SYNTAX'],
      [')', 'REGEX_SYNTAX'],
      ['[a', 'REGEX_SYNTAX'],
      ['[z-a]', 'REGEX_SYNTAX'],
      ['a{3,2}', 'REGEX_SYNTAX'],
      ['\\', 'REGEX_SYNTAX'],
      ['\\x{110000}', 'REGEX_SYNTAX'],
      ['(?x)a', 'REGEX_UNSUPPORTED'],
      ['\\G', 'REGEX_UNSUPPORTED'],
      ['\\p{InGreek}', 'REGEX_UNSUPPORTED'],
      ['(a{1,1000}){1,1000}', 'REGEX_TOO_LARGE'],
      ['('.repeat(300) + ')'.repeat(300), 'REGEX_TOO_LARGE'],
    ]
    for (const [p, code] of cases) {
      let err: unknown
      try {
        java(p)
      } catch (e) {
        err = e
      }
      expect(err, p).toBeInstanceOf(RegexError)
      expect((err as RegexError).code, p).toBe(code)
    }
  })
})
