// Simple anchored patterns compiled to code must accept exactly what the RegExp (`u` flag) accepts.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compileSchema } from '@gatehousejs/schema'
import { compileSimplePattern, simplePattern } from '../src/pattern-code'

// Atoms of the simple subset, plus a few outside it (so both paths are exercised).
const atom = fc.constantFrom(
  'a',
  'b',
  '-',
  '0',
  ' ',
  'A',
  '\\.',
  '\\-',
  '\\+',
  '\\/',
  '\\d',
  '\\w',
  '\\s',
  'é',
  '\u00a0',
  '[a-c]',
  '[0-9]',
  '[A-Z0-9]',
  '[0-9A-Z -]',
  '[ab.]',
  '[\\d-]',
  '[\\s\\w]',
  '[-a]',
  '[a\\-z]',
  '[$^*]',
  '.',
  '[^a]',
  '[^\\s@]',
  '[^.a-c]',
  '\\D',
  '(a|b)',
  '\\b',
  '😀',
)
const quantifier = fc.constantFrom('', '', '*', '+', '?', '{2}', '{0,2}', '{1,3}', '{2,}', '{0}', '+?')
const pattern = fc.array(fc.tuple(atom, quantifier), { maxLength: 5 }).map((parts) => `^${parts.map(([a, q]) => a + q).join('')}$`)
// Strings over characters the atoms name, and some they do not: astral, lone surrogates, line terminators.
const subject = fc.string({
  maxLength: 12,
  unit: fc.constantFrom(
    'a',
    'b',
    'c',
    'z',
    '-',
    '0',
    '5',
    '9',
    ' ',
    'A',
    'Z',
    '.',
    '+',
    '/',
    '_',
    'é',
    '\u00a0',
    '\n',
    '\u2028',
    '😀',
    '\ud800',
    '\udc00',
    '$',
    '^',
    '*',
  ),
})

describe('simple patterns as code', () => {
  it('agree with the RegExp on random patterns and strings', () => {
    let compiled = 0
    fc.assert(
      fc.property(pattern, fc.array(subject, { minLength: 1, maxLength: 10 }), (p, strings) => {
        let re: RegExp
        try {
          re = new RegExp(p, 'u')
        } catch {
          return // not a valid pattern: compilePattern refuses it before this code is reached
        }
        const match = compileSimplePattern(p)
        if (match === null) return
        compiled++
        for (const s of strings) expect({ p, s, ok: match(s) }).toEqual({ p, s, ok: re.test(s) })
      }),
      { numRuns: 5000 },
    )
    // The generator must actually reach the compiled path most of the time.
    expect(compiled).toBeGreaterThan(1000)
  })

  it('agree with the RegExp on strings built from the pattern itself', () => {
    // Random strings rarely match; these are made of the pattern's own characters, so many do.
    const built = fc
      .array(fc.tuple(fc.constantFrom('A', 'B', '0', '7', '-', ' ', 'x'), fc.integer({ min: 0, max: 4 })), { maxLength: 5 })
      .map((runs) => runs.map(([c, n]) => c.repeat(n)).join(''))
    const patterns = [
      '^[A-Z]{2}[0-9]{2}[A-Z0-9]{0,3}$',
      '^[A-Z]+-?[0-9 ]*$',
      '^\\+?[0-9 ]{2,5}$',
      '^[0-9A-Z -]{3,10}$',
      '^A*B?0{1,2}$',
      '^x+-[0-9]{1,}$',
    ]
    for (const p of patterns) expect(compileSimplePattern(p), p).not.toBeNull()
    fc.assert(
      fc.property(fc.constantFrom(...patterns), built, (p, s) => {
        expect({ p, s, ok: compileSimplePattern(p)!(s) }).toEqual({ p, s, ok: new RegExp(p, 'u').test(s) })
      }),
      { numRuns: 2000 },
    )
  })

  it('take the usual model patterns and leave the rest to the RegExp', () => {
    for (const p of [
      '^ORD-[0-9]{6}$',
      '^[A-Z]{3}-[0-9]{4}$',
      '^\\+?[0-9 ]{6,20}$',
      '^[A-Z]{2}$',
      '^[0-9A-Z -]{3,10}$',
      '^[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}$',
      // Decided from the end: the tail is matched right to left first ([^@\s] and \. overlap left to right).
      '^[^@\\s]+@[^@\\s]+\\.[a-z]{2,}$',
      '^[a-z]*[a-c]$',
      '^a+a$',
    ]) {
      expect(compileSimplePattern(p), p).not.toBeNull()
    }
    // Backtracking needed either way, negated classes counted ({n}, or once: astral code points are two code
    // units), groups, no anchors, dot.
    for (const p of ['^a+a+$', '^[a-z]*[a-c][a-z]*$', '^[^a]{2}$', '^x[^a]$', '^(0[1-9]|1[0-2])/[0-9]{2}$', '[a-z]+', '^a.b$', '^\\$$x']) {
      expect(compileSimplePattern(p), p).toBeNull()
    }
  })

  it('agree with the RegExp on email-like strings (negated classes, matched from the end)', () => {
    const patterns = [
      '^[^@\\s]+@[^@\\s]+\\.[a-z]{2,}$',
      '^[a-z.]+\\.[a-z]{2,3}$',
      '^[^ ]*x[a-c]+$',
      '^[a-z]+[^a-z]+\\.[a-z]?$',
      // An optional character just before the tail must not take the tail's first character.
      '^[a-z ]?a$',
      '^z[ab]?[ab.]$',
    ]
    for (const p of patterns) expect(compileSimplePattern(p), p).not.toBeNull()
    const s = fc.string({
      maxLength: 14,
      unit: fc.constantFrom('a', 'b', 'x', 'z', '.', '@', ' ', '\n', 'é', '\u00a0', '\u2028', '😀', '\ud800', '\udc00'),
    })
    fc.assert(
      fc.property(fc.constantFrom(...patterns), s, (p, x) => {
        expect({ p, x, ok: compileSimplePattern(p)!(x) }).toEqual({ p, x, ok: new RegExp(p, 'u').test(x) })
      }),
      { numRuns: 3000 },
    )
  })

  it('agree with the RegExp on long repeats (written out up to a budget, then loops)', () => {
    const patterns = ['^[A-Z]{20}[0-9]{3,5}$', '^[A-Z]{16}x{16}[0-9]{16}[A-Z]{16}-?[0-9]{2}$', '^[a-z.]+\\.[0-9]{17}$']
    for (const p of patterns) expect(compileSimplePattern(p), p).not.toBeNull()
    const run = (c: string, max: number) => fc.integer({ min: 0, max }).map((n) => c.repeat(n))
    const built = fc
      .tuple(run('A', 22), run('x', 18), run('7', 20), run('B', 18), fc.constantFrom('', '-', '.', 'a.', '😀'), run('0', 18))
      .chain((parts) => fc.nat({ max: 5 }).map((k) => [...parts.slice(k), ...parts.slice(0, k)].join('')))
    fc.assert(
      fc.property(
        fc.constantFrom(...patterns),
        fc.oneof(
          built,
          built.map((x) => x.slice(1)),
        ),
        (p, x) => {
          expect({ p, x, ok: compileSimplePattern(p)!(x) }).toEqual({ p, x, ok: new RegExp(p, 'u').test(x) })
        },
      ),
      { numRuns: 2000 },
    )
    // Strings that match, so the written-out reads are all taken.
    expect(compileSimplePattern(patterns[0]!)!(`${'Q'.repeat(20)}1234`)).toBe(true)
    expect(compileSimplePattern(patterns[1]!)!(`${'A'.repeat(16)}${'x'.repeat(16)}${'5'.repeat(16)}${'Z'.repeat(16)}-42`)).toBe(true)
    expect(compileSimplePattern(patterns[2]!)!(`a.b.${'9'.repeat(17)}`)).toBe(true)
  })

  it('the parser never throws', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 16, unit: fc.constantFrom(...'^$[]{}()\\-.,*+?|a0dws:1'.split('')) }), (p) => {
        simplePattern(`^${p}`)
        simplePattern(p)
      }),
      { numRuns: 2000 },
    )
  })

  it('validators use it with the same results and messages as the closures', () => {
    const schema = {
      type: 'object',
      properties: { sku: { type: 'string', pattern: '^[A-Z]{3}-[0-9]{4}$' } },
      patternProperties: { '^x-[a-z]+$': { type: 'integer' } },
    }
    const gen = compileSchema(schema)
    const clo = compileSchema(schema, { codegen: false })
    for (const v of [{ sku: 'ABC-1234' }, { sku: 'abc' }, { sku: 'ABC-1234😀' }, { 'x-ab': 1 }, { 'x-ab': 'no' }, { 'x-AB': 'free' }]) {
      expect(gen(v)?.map((e) => e.toJSON()) ?? null).toEqual(clo(v)?.map((e) => e.toJSON()) ?? null)
    }
    expect(gen({ sku: 'abc' })?.[0]?.message).toBe('ECMA 262 regex "^[A-Z]{3}-[0-9]{4}$" does not match input string "abc"')
  })
})
