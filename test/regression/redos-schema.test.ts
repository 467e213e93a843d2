// Issue #12, finding 2 (schema): `pattern` / `patternProperties` regexes used to run on the native backtracking
// RegExp behind a nested-quantifier heuristic. The heuristic refused some ReDoS shapes (`^(a+)+$`) and let others
// through (`^(a|a)+$`, `^(a?a)+$`, `^\d*\d*\d*\d*\d*$`), which take exponential or high-polynomial time on a
// 31-character body. Now every schema regex runs on @gatehousejs/regex in linear time, so each of them compiles
// and a hostile body costs a bounded number of engine steps. Steps are counted, never timed; the step counter is
// read before anything runs, so on the old code the test fails at once instead of hanging.
import { compileSchema, SchemaCompileError } from '@gatehousejs/schema'
import { regexStats } from '@gatehousejs/regex'
import { describe, expect, it } from 'vitest'

const PATTERNS: Array<[pattern: string, unit: string, ok: string]> = [
  ['^(\\w\\w*)+$', 'a', 'abc'],
  ['^(a|a)+$', 'a', 'aaa'],
  ['^(a?a)+$', 'a', 'aaa'],
  ['^(a{1,30})+$', 'a', 'aaa'],
  ['^(\\d|\\d\\d)+$', '1', '123'],
  ['^\\d*\\d*\\d*\\d*\\d*$', '1', '123'],
  ['(a+)+$', 'a', 'xaa'],
  ['^(a+)+$', 'a', 'aaa'],
]

/** Steps the engine takes validating `value` (the counter is reset first). */
function steps(validate: (v: unknown) => unknown, value: unknown): { steps: number; result: unknown } {
  regexStats.steps = 0
  const result = validate(value)
  return { steps: regexStats.steps, result }
}

describe('redos-schema: every schema regex runs in linear time', () => {
  for (const codegen of [true, false]) {
    for (const [pattern, unit, ok] of PATTERNS) {
      it(`${pattern} (${codegen ? 'generated code' : 'closures'}) compiles and costs steps linear in the body`, () => {
        // Compiles without allowUnsafePatterns (the old heuristic refused the nested-quantifier shapes).
        const byValue = compileSchema({ type: 'object', properties: { v: { type: 'string', pattern } } }, { codegen })
        const byKey = compileSchema({ type: 'object', patternProperties: { [pattern]: { type: 'integer' } } }, { codegen })
        // The engine's step counter exists (absent on the old code, which ran the native RegExp: the test stops
        // here rather than backtracking for minutes).
        regexStats.steps = 0
        expect(regexStats.steps).toBe(0)
        // A matching value is valid; a non-matching one is reported.
        expect(byValue({ v: ok })).toBeNull()
        expect(byKey({ [ok]: 'not an integer' })).not.toBeNull()
        const cost: number[] = []
        for (const n of [31, 62, 124]) {
          const body = `${unit.repeat(n)}!`
          const a = steps(byValue, { v: body })
          expect(a.result).not.toBeNull()
          const b = steps(byKey, { [body]: 'x' })
          // The hostile key does not match the pattern, so its value is not checked: valid.
          expect(b.result).toBeNull()
          // The engine ran (steps > 0) and stayed within a per-character bound.
          expect(a.steps).toBeGreaterThan(0)
          expect(b.steps).toBeGreaterThan(0)
          expect(a.steps).toBeLessThan(400 * (n + 2))
          expect(b.steps).toBeLessThan(400 * (n + 2))
          cost.push(a.steps)
        }
        // Doubling the body at most (a little over) doubles the work.
        expect(cost[1]!).toBeLessThanOrEqual(2.2 * cost[0]! + 100)
        expect(cost[2]!).toBeLessThanOrEqual(2.2 * cost[1]! + 100)
      })
    }
  }

  it('refuses backreferences and lookaround with UNSAFE_PATTERN and the pointer, unless allowUnsafePatterns', () => {
    for (const [pattern, where] of [
      ['^(a)\\1$', '/properties/v/pattern'],
      ['^(?=a)a$', '/properties/v/pattern'],
    ] as const) {
      const schema = { type: 'object', properties: { v: { type: 'string', pattern } } }
      let err: unknown
      try {
        compileSchema(schema)
      } catch (e) {
        err = e
      }
      expect(err).toBeInstanceOf(SchemaCompileError)
      expect((err as SchemaCompileError).code).toBe('UNSAFE_PATTERN')
      expect((err as SchemaCompileError).pointer).toBe(where)
      expect(compileSchema(schema, { allowUnsafePatterns: true })({ v: pattern.includes('\\1') ? 'aa' : 'a' })).toBeNull()
    }
    let err: unknown
    try {
      compileSchema({ patternProperties: { '(?<=x)y': {} } })
    } catch (e) {
      err = e
    }
    expect((err as SchemaCompileError).code).toBe('UNSAFE_PATTERN')
    expect((err as SchemaCompileError).pointer).toBe('/patternProperties/(?<=x)y')
  })
})
