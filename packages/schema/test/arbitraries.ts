// fast-check generators of JSON Schemas (draft-04 / draft-07 keyword sets) and of JSON values that exercise them.
import fc from 'fast-check'

const KEYS = ['a', 'b', 'c', 'd1', 'x-y']
const PATTERNS = ['^a', '^[a-c]+$', '\\d', '^x-', '^$', 'b$', '^[a-c]*b$', '^[^a]+$', '^b?[^ab]*[a-c]$']
const TYPES = ['null', 'boolean', 'object', 'array', 'number', 'string', 'integer']

export const jsonValue: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(null, true, false, 0, 1, 2, 3, -1, 0.5, 2.5, 10, 100, 1e6, '', 'a', 'ab', 'abc', 'x-1', 'b1', '💩', 'd1'),
    fc.integer({ min: -20, max: 20 }),
    fc.double({ min: -100, max: 100, noNaN: true, noDefaultInfinity: true }).map((x) => (Object.is(x, -0) ? 0 : x)),
    fc.string({ maxLength: 6 }),
    fc.array(tie('v'), { maxLength: 4 }),
    // JSON objects only: a null-prototype object is still {} to JSON (ajv's equality tells them apart).
    fc.dictionary(fc.constantFrom(...KEYS), tie('v'), { maxKeys: 4, noNullPrototype: true }),
  ),
})).v

type Schema = Record<string, unknown>

/** Draft-04 (or draft-07 when `d7`) schemas over a small vocabulary of keys and patterns. */
export function schemaArb(d7: boolean): fc.Arbitrary<Schema> {
  return fc.letrec<{ s: Schema }>((tie) => {
    const sub = tie('s')
    const kw: Array<fc.Arbitrary<Schema>> = [
      fc
        .oneof(fc.constantFrom(...TYPES), fc.uniqueArray(fc.constantFrom(...TYPES), { minLength: 1, maxLength: 3 }))
        .map((type) => ({ type })),
      fc
        .uniqueArray(fc.constantFrom<unknown>(null, true, 1, 2, 'a', 'ab', 0.5, [1], { a: 1 }), {
          minLength: 1,
          maxLength: 4,
          comparator: (x, y) => JSON.stringify(x) === JSON.stringify(y),
        })
        .map((e) => ({ enum: e })),
      fc.record(
        { minimum: fc.integer({ min: -5, max: 20 }), exclusiveMinimum: d7 ? fc.constant(undefined) : fc.boolean() },
        { requiredKeys: ['minimum'] },
      ),
      fc.record(
        { maximum: fc.integer({ min: -5, max: 20 }), exclusiveMaximum: d7 ? fc.constant(undefined) : fc.boolean() },
        { requiredKeys: ['maximum'] },
      ),
      fc.constantFrom(1, 2, 3, 0.5, 0.25).map((m) => ({ multipleOf: m })),
      fc.integer({ min: 0, max: 4 }).map((n) => ({ minLength: n })),
      fc.integer({ min: 0, max: 4 }).map((n) => ({ maxLength: n })),
      fc.constantFrom(...PATTERNS).map((p) => ({ pattern: p })),
      fc.dictionary(fc.constantFrom(...KEYS), sub, { maxKeys: 3 }).map((p) => ({ properties: p })),
      fc.dictionary(fc.constantFrom(...PATTERNS), sub, { maxKeys: 2 }).map((p) => ({ patternProperties: p })),
      fc.oneof(fc.boolean(), sub).map((a) => ({ additionalProperties: a })),
      fc.uniqueArray(fc.constantFrom(...KEYS), { minLength: 1, maxLength: 3 }).map((r) => ({ required: r })),
      fc.integer({ min: 0, max: 3 }).map((n) => ({ minProperties: n })),
      fc.integer({ min: 0, max: 3 }).map((n) => ({ maxProperties: n })),
      fc
        .dictionary(fc.constantFrom(...KEYS), fc.oneof(fc.uniqueArray(fc.constantFrom(...KEYS), { minLength: 1, maxLength: 2 }), sub), {
          maxKeys: 2,
        })
        .map((d) => ({ dependencies: d })),
      fc.oneof(sub, fc.array(sub, { minLength: 1, maxLength: 3 })).map((i) => ({ items: i })),
      fc.record({ items: fc.array(sub, { minLength: 1, maxLength: 2 }), additionalItems: fc.oneof(fc.boolean(), sub) }),
      fc.integer({ min: 0, max: 3 }).map((n) => ({ minItems: n })),
      fc.integer({ min: 0, max: 3 }).map((n) => ({ maxItems: n })),
      fc.boolean().map((u) => ({ uniqueItems: u })),
      fc.array(sub, { minLength: 1, maxLength: 3 }).map((a) => ({ allOf: a })),
      fc.array(sub, { minLength: 1, maxLength: 3 }).map((a) => ({ anyOf: a })),
      fc.array(sub, { minLength: 1, maxLength: 3 }).map((a) => ({ oneOf: a })),
      sub.map((n) => ({ not: n })),
    ]
    if (d7) {
      kw.push(
        fc.constantFrom<unknown>(null, 1, 'a', [1], { a: 1 }).map((c) => ({ const: c })),
        sub.map((c) => ({ contains: c })),
        fc.record({ if: sub, then: sub, else: sub }, { requiredKeys: ['if'] }),
        sub.map((p) => ({ propertyNames: p })),
        fc.integer({ min: -5, max: 20 }).map((n) => ({ exclusiveMinimum: n })),
        fc.integer({ min: -5, max: 20 }).map((n) => ({ exclusiveMaximum: n })),
      )
    }
    return {
      s: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.constant({}),
        fc.array(fc.oneof(...kw), { minLength: 1, maxLength: 3 }).map((parts) => {
          const out: Schema = {}
          for (const p of parts) for (const [k, v] of Object.entries(p)) if (v !== undefined) out[k] = v
          return out
        }),
      ),
    }
  }).s
}
