// Generated code keeps the instance paths of failures under one array index per site and index (the first 64):
// the paths must be those the closures build, for every index, on every call, whatever failed before.
import { describe, expect, it } from 'vitest'
import { compileSchema } from '@gatehousejs/schema'

const schema = {
  type: 'object',
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['qty'],
        additionalProperties: false,
        properties: { qty: { type: 'integer', minimum: 1 }, tags: { type: 'array', items: { type: 'string' } } },
      },
    },
    'a/b~c': { type: 'array', items: { type: 'number', maximum: 5 } },
  },
}

const paths = (errors: ReadonlyArray<{ instancePath: string; keyword: string }> | null) =>
  (errors ?? []).map((e) => `${e.keyword} ${e.instancePath}`)

describe('instance paths under an array index', () => {
  for (const allErrors of [true, false]) {
    it(`match the closures at every index, call after call (allErrors: ${allErrors})`, () => {
      const gen = compileSchema(schema, { allErrors })
      const clo = compileSchema(schema, { allErrors, codegen: false })
      const item = (i: number) => (i % 3 === 0 ? { qty: 0 } : i % 3 === 1 ? { qty: 'x', extra: 1 } : { tags: ['a', i] })
      // Indices below, at and past the kept range, each failing in its own way; twice, so kept paths are reused.
      for (let round = 0; round < 2; round++) {
        for (const n of [1, 5, 63, 64, 65, 130]) {
          const value = { items: Array.from({ length: n }, (_, i) => (i === n - 1 ? item(n - 1) : { qty: 1 })), 'a/b~c': [1, 9] }
          expect(paths(gen(value))).toEqual(paths(clo(value)))
        }
        const all = { items: Array.from({ length: 70 }, (_, i) => item(i)), 'a/b~c': Array.from({ length: 70 }, (_, i) => i) }
        expect(paths(gen(all))).toEqual(paths(clo(all)))
      }
      expect(paths(gen({ items: [{ qty: 1 }, { qty: 0 }], 'a/b~c': [6] }))).toEqual(
        allErrors ? ['minimum /items/1/qty', 'maximum /a~1b~0c/0'] : ['minimum /items/1/qty'],
      )
    })
  }
})
