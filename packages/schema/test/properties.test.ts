// Property tests: parsers throw only their typed error, validators never throw, helpers keep their laws.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compileSchema, SchemaCompileError } from '@gatehousejs/schema'
import { BUILTIN_FORMATS } from '../src/formats'
import { multipleOfCheck } from '../src/multiple-of'
import { regexStats } from '@gatehousejs/regex'
import { compilePattern } from '../src/pattern'
import { pointerTokens, toPointer } from '../src/uri'
import { compileGenerated } from '../src/validator'
import { jsonValue } from './arbitraries'

const KEYWORDS = [
  'type',
  'enum',
  'properties',
  'items',
  'required',
  'minimum',
  'pattern',
  'allOf',
  'anyOf',
  'not',
  '$ref',
  'additionalProperties',
  'dependencies',
  'format',
  'multipleOf',
  'id',
  'definitions',
]

/** Schema-shaped JSON with wrong-typed keyword values mixed in. */
const wildSchema: fc.Arbitrary<unknown> = fc.letrec<{ s: unknown }>((tie) => ({
  s: fc.oneof(
    { depthSize: 'small' },
    jsonValue,
    fc.dictionary(
      fc.constantFrom(...KEYWORDS),
      fc.oneof(jsonValue, tie('s'), fc.constantFrom('#', '#/definitions/a', 'string', '(a+)+', '[', 'x.json')),
      { maxKeys: 4 },
    ),
  ),
})).s

describe('properties', () => {
  it('compileSchema throws nothing but SchemaCompileError, and its validators never throw', () => {
    fc.assert(
      fc.property(wildSchema, fc.boolean(), fc.array(jsonValue, { maxLength: 4 }), (schema, codegen, values) => {
        let v: ((x: unknown) => unknown) | null = null
        try {
          v = compileSchema(schema, { codegen })
        } catch (e) {
          expect(e).toBeInstanceOf(SchemaCompileError)
          return
        }
        for (const x of values) {
          const r = v(x) as unknown[] | null
          expect(r === null || (Array.isArray(r) && r.length > 0)).toBe(true)
        }
      }),
      { numRuns: 400 },
    )
  })

  it('compilePattern throws only SchemaCompileError, and what it accepts matches like RegExp', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 12, unit: fc.constantFrom(...'()[]{}*+?|\\^$.a1-:=!<>,'.split('')) }),
        fc.string({ maxLength: 8, unit: fc.constantFrom('a', '1', '-', ',', 'b') }),
        (p, input) => {
          let re
          try {
            re = compilePattern(p, '/pattern', false)
          } catch (e) {
            expect(e).toBeInstanceOf(SchemaCompileError)
            expect(['INVALID_PATTERN', 'UNSAFE_PATTERN']).toContain((e as SchemaCompileError).code)
            return
          }
          expect(re.linear).toBe(true)
          expect(re.test(input)).toBe(new RegExp(p, 'u').test(input))
        },
      ),
      { numRuns: 2000 },
    )
  })

  it('every (X+)+ built from a random atom compiles and matches a hostile string in linear steps', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('a', '\\d', '[a-z1]', '.', '(?:a1)', '\\w'),
        fc.constantFrom('+', '*', '{1,}'),
        fc.constantFrom('+', '*', '{2,}'),
        (atom, q1, q2) => {
          const re = compilePattern(`^(${atom}${q1})${q2}$`, '/pattern', false)
          expect(re.linear).toBe(true)
          const costs = [40, 80].map((n) => {
            regexStats.steps = 0
            re.test(`${'a1'.repeat(n)}!`)
            return regexStats.steps
          })
          expect(costs[1]!).toBeLessThanOrEqual(2.2 * costs[0]! + 100)
        },
      ),
    )
  })

  it('formats are total predicates', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        for (const f of Object.values(BUILTIN_FORMATS)) expect(typeof f(s)).toBe('boolean')
      }),
      { numRuns: 500 },
    )
  })

  it('JSON pointers round-trip through escaping and percent-encoding', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 5 }), { maxLength: 5 }), (tokens) => {
        // A fragment is percent-decoded first, so a raw `%` must arrive encoded.
        if (!tokens.some((t) => t.includes('%'))) expect(pointerTokens(toPointer(tokens))).toEqual(tokens)
        expect(pointerTokens(encodeURIComponent(toPointer(tokens)))).toEqual(tokens)
      }),
    )
  })

  it('multipleOf is exact on decimals: k × 10^-n is a multiple of 10^-n', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1_000_000, max: 1_000_000 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 9 }),
        (k, n, d) => {
          const m = Number(`${d}e-${n}`)
          const v = Number(`${k * d}e-${n}`)
          expect(multipleOfCheck(m)(v)).toBe(true)
          // Adding a smaller decimal step breaks it.
          expect(multipleOfCheck(m)(Number(`${k * d * 10 + 1}e-${n + 1}`))).toBe(false)
        },
      ),
      { numRuns: 500 },
    )
  })

  it('any property name compiles into generated code that validates it (no code injection)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ maxLength: 8, unit: 'binary' }), { minLength: 1, maxLength: 5 }), (names) => {
        const schema = {
          $schema: 'http://json-schema.org/draft-07/schema#',
          required: names,
          additionalProperties: false,
          properties: Object.fromEntries(names.map((n) => [n, { const: n }])),
          dependencies: { [names[0]!]: names },
        }
        // compileGenerated throws instead of falling back, so this proves the generated source parses and runs.
        const v = compileGenerated(schema)
        const good = JSON.parse(JSON.stringify(Object.fromEntries(names.map((n) => [n, n])))) as Record<string, unknown>
        expect(v(good)).toBeNull()
        const bad = { ...good }
        delete bad[names[names.length - 1]!]
        if (names.length > 0) expect(v(JSON.parse(JSON.stringify(bad)))).not.toBeNull()
        expect(v({ ...good, [`\u2028${names.join('')}`]: 1 })).not.toBeNull()
      }),
      { numRuns: 300 },
    )
  })
})
