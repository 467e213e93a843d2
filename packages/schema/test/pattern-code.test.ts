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
      { numRuns: 1500 },
    )
    // The generator must actually reach the compiled path most of the time.
    expect(compiled).toBeGreaterThan(300)
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
    ]) {
      expect(compileSimplePattern(p), p).not.toBeNull()
    }
    // Backtracking needed ([^@\s] and \. overlap), negated classes, groups, no anchors, dot.
    for (const p of [
      '^[^@\\s]+@[^@\\s]+\\.[a-z]{2,}$',
      '^(0[1-9]|1[0-2])/[0-9]{2}$',
      '[a-z]+',
      '^a.b$',
      '^[a-z]*[a-c]$',
      '^a+a$',
      '^\\$$x',
    ]) {
      expect(compileSimplePattern(p), p).toBeNull()
    }
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
