// compileSchema agrees with ajv (ajv-draft-04 for draft 4, ajv for draft-07) on valid/invalid, on generated
// schemas and values; and our two engines (generated code, closures) agree on the very errors.
import Ajv from 'ajv'
import Ajv04 from 'ajv-draft-04'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compileSchema, type ValidationError } from '@gatehousejs/schema'
import { jsonValue, schemaArb } from './arbitraries'

const ajv04 = new Ajv04({ strict: false, allErrors: true, validateFormats: false })
const ajv07 = new Ajv({ strict: false, allErrors: true, validateFormats: false })

const sorted = (e: ValidationError[] | null) => (e === null ? null : e.map((x) => `${x.instancePath} ${x.keyword} ${x.message}`).sort())

describe('differential against ajv', () => {
  for (const [name, d7, ajv] of [
    ['draft-04 vs ajv-draft-04', false, ajv04],
    ['draft-07 vs ajv', true, ajv07],
  ] as const) {
    it(name, () => {
      fc.assert(
        fc.property(schemaArb(d7), fc.array(jsonValue, { minLength: 1, maxLength: 8 }), (schema, values) => {
          const ours = compileSchema(schema, { draft: d7 ? 7 : 4 })
          const theirs = ajv.compile(schema)
          for (const v of values) {
            expect({ schema, v, valid: ours(v) === null }).toEqual({ schema, v, valid: theirs(v) })
          }
        }),
        { numRuns: 300 },
      )
    })
  }

  it('generated code and closures report the same errors', () => {
    fc.assert(
      fc.property(
        fc.boolean().chain((d7) => fc.tuple(schemaArb(d7), fc.constant(d7))),
        fc.array(jsonValue, { minLength: 1, maxLength: 6 }),
        ([schema, d7], values) => {
          const o = { draft: d7 ? 7 : 4 } as const
          const gen = compileSchema(schema, o)
          const clo = compileSchema(schema, { ...o, codegen: false })
          const genFirst = compileSchema(schema, { ...o, allErrors: false })
          for (const v of values) {
            expect(sorted(gen(v))).toEqual(sorted(clo(v)))
            const first = genFirst(v)
            expect(first === null).toBe(gen(v) === null)
            if (first !== null) expect(first.length).toBeGreaterThanOrEqual(1)
          }
        },
      ),
      { numRuns: 300 },
    )
  })
})
