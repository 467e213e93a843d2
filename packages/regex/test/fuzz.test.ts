// Fuzz: random bytes as patterns only ever throw RegexError; whatever compiles matches random inputs without
// throwing and within a step bound proportional to program size × input length.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compileRegex, RegexError, regexStats } from '@gatehousejs/regex'
import { fuzzParams } from '@gatehousejs/test-kit'
import { parseEcma, parseFlags } from '../src/parse-ecma'
import { parseJava } from '../src/parse-java'
import { compileProgram } from '../src/program'

const SYNTAX = [...'()[]{}*+?|\\^$.-:=!<>,&PpQEkbBdDsSwWzZAuxc0123aA'] as const
const patternText = fc.oneof(
  fc.string({ maxLength: 30, unit: 'binary' }),
  fc.string({ maxLength: 30, unit: fc.constantFrom(...SYNTAX) }),
  fc.string({
    maxLength: 30,
    unit: fc.oneof(fc.constantFrom(...SYNTAX), fc.constantFrom('(?', '(?<n>', '\\p{L}', '{2,3}', '(?i)', '(?s:', '\\Q', '[^', '&&[')),
  }),
)
const inputText = fc.string({ maxLength: 40, unit: 'binary' })

function programSize(p: string, java: boolean, flags: string): number {
  const parsed = java ? parseJava(p, flags, false) : parseEcma(p, parseFlags(flags), false)
  return compileProgram(parsed.node, parsed.groupCount, { ecma: !java }).op.length
}

describe('fuzz', () => {
  for (const syntax of ['ecmascript', 'java'] as const) {
    it(`${syntax}: random patterns throw only RegexError; matching never throws and stays within the step bound`, () => {
      fc.assert(
        fc.property(
          patternText,
          fc.constantFrom('', 'i', 'ms'),
          fc.boolean(),
          fc.array(inputText, { maxLength: 3 }),
          (p, flags, allow, inputs) => {
            let re
            try {
              re = compileRegex(p, { syntax, flags, allowBacktracking: allow })
            } catch (e) {
              expect(e).toBeInstanceOf(RegexError)
              expect(['REGEX_SYNTAX', 'REGEX_UNSUPPORTED', 'REGEX_TOO_LARGE']).toContain((e as RegexError).code)
              return
            }
            const size = re.linear ? programSize(p, syntax === 'java', flags) : 0
            for (const s of inputs) {
              for (const run of [() => re.test(s), () => re.matchesWhole(s), () => re.exec(s), () => re.exec(s, s.length >> 1)]) {
                regexStats.steps = 0
                run()
                if (re.linear) expect(regexStats.steps).toBeLessThanOrEqual(4 * (size + 1) * (s.length + 2))
              }
            }
          },
        ),
        fuzzParams(1500),
      )
    })
  }
})
