import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { compileSchema, formatValidationErrors, SchemaCompileError, type SchemaOptions } from '@gatehousejs/schema'

// Every behaviour is checked with generated code and with the closure fallback.
const ENGINES: Array<[string, SchemaOptions]> = [
  ['generated code', {}],
  ['closures', { codegen: false }],
]

for (const [engine, base] of ENGINES) {
  const compile = (schema: unknown, o: SchemaOptions = {}) => compileSchema(schema, { ...base, ...o })

  describe(`compileSchema (${engine})`, () => {
    it('returns null for a valid value and errors with AWS wording otherwise', () => {
      const v = compile({ type: 'object', required: ['name'], properties: { name: { type: 'string' }, age: { type: 'integer' } } })
      expect(v({ name: 'Rex', age: 3 })).toBeNull()
      expect(v({})?.map((e) => e.toJSON())).toEqual([
        { instancePath: '', keyword: 'required', message: 'object has missing required properties (["name"])' },
      ])
      expect(v({ name: 'Rex', age: 'x' })?.map((e) => e.toJSON())).toEqual([
        {
          instancePath: '/age',
          keyword: 'type',
          message: 'instance type (string) does not match any allowed primitive type (allowed: ["integer"])',
        },
      ])
    })

    it('matches the validationErrorString wording API Gateway users see', () => {
      const v = compile({ type: 'object', properties: { amount: { type: ['integer', 'number'] }, c: { enum: ['EUR', 'USD'] } } })
      expect(formatValidationErrors(v({ amount: '100' }))).toBe(
        '[instance type (string) does not match any allowed primitive type (allowed: ["integer","number"])]',
      )
      expect(formatValidationErrors(v({ c: 'AB' }))).toBe('[instance value ("AB") not found in enum (possible values: ["EUR","USD"])]')
      expect(formatValidationErrors(null)).toBe('[]')
    })

    it('collects every error by default and stops at the first with allErrors: false', () => {
      const schema = { type: 'object', required: ['a'], additionalProperties: false, properties: { b: { type: 'string', minLength: 2 } } }
      const all = compile(schema)({ b: 'x', c: 1, d: 2 })
      expect(all?.map((e) => e.keyword)).toEqual(['required', 'minLength', 'additionalProperties'])
      expect(all?.[2]?.message).toBe('object instance has properties which are not allowed by the schema: ["c","d"]')
      expect(compile(schema, { allErrors: false })({ b: 'x', c: 1 })).toHaveLength(1)
    })

    it('reports instance paths as JSON pointers with ~0 and ~1', () => {
      const v = compile({ properties: { 'a/b': { items: { type: 'string' } }, 'c~d': { type: 'null' } } })
      expect(v({ 'a/b': ['x', 1], 'c~d': 0 })?.map((e) => e.instancePath)).toEqual(['/a~1b/1', '/c~0d'])
    })

    it('draft-04 integer vs number, boolean exclusive bounds, exact decimal multipleOf', () => {
      expect(compile({ type: 'integer' })(1.0)).toBeNull()
      expect(compile({ type: 'integer' })(1.5)).not.toBeNull()
      expect(compile({ type: 'number' })(1)).toBeNull()
      expect(compile({ minimum: 5, exclusiveMinimum: true })(5)?.[0]?.keyword).toBe('minimum')
      expect(compile({ maximum: 5, exclusiveMaximum: true })(4.9)).toBeNull()
      const cents = compile({ multipleOf: 0.01 })
      for (const ok of [19.99, 0.3, 1234.56, 0.07, -4.1]) expect(cents(ok)).toBeNull()
      expect(cents(0.001)).not.toBeNull()
      expect(compile({ multipleOf: 0.1 })(0.3)).toBeNull()
    })

    it('counts string length in code points', () => {
      expect(compile({ maxLength: 2 })('💩💩')).toBeNull()
      expect(compile({ minLength: 2 })('💩')).not.toBeNull()
    })

    it('uniqueItems uses deep equality', () => {
      const v = compile({ uniqueItems: true })
      expect(
        v([
          { a: 1, b: [2] },
          { b: [2], a: 1 },
        ]),
      ).not.toBeNull()
      expect(v([1, '1', true, null, [1], { a: 1 }])).toBeNull()
      expect(v(Array.from({ length: 20 }, (_, i) => i).concat([7]))).not.toBeNull()
    })

    it('resolves $ref: pointers with escapes, id-based, recursive', () => {
      const v = compile({
        definitions: {
          'a/b': { type: 'integer' },
          'p%q': { type: 'string' },
          tree: {
            type: 'object',
            properties: { kids: { type: 'array', items: { $ref: '#/definitions/tree' } }, v: { $ref: '#/definitions/a~1b' } },
          },
        },
        properties: { t: { $ref: '#/definitions/tree' }, s: { $ref: '#/definitions/p%25q' }, i: { $ref: 'item.json' } },
        id: 'http://example.com/root.json',
        items: { id: 'item.json', type: 'boolean' },
      })
      expect(v({ t: { v: 1, kids: [{ v: 2, kids: [] }] }, s: 'x', i: true })).toBeNull()
      expect(v({ t: { kids: [{ kids: [{ v: 'no' }] }] } })?.[0]?.instancePath).toBe('/t/kids/0/kids/0/v')
      expect(v({ s: 1 })).not.toBeNull()
      expect(v({ i: 1 })).not.toBeNull()
    })

    it('resolves API Gateway models by name and by model URL', () => {
      const schemas = { Pet: { type: 'object', required: ['name'] }, 'https://example.com/Tag.json': { type: 'string' } }
      const v = compile(
        { type: 'array', items: { $ref: 'https://apigateway.amazonaws.com/restapis/a1b2c3/models/Pet' }, properties: {} },
        { schemas },
      )
      expect(v([{ name: 'x' }])).toBeNull()
      expect(v([{}])?.[0]?.instancePath).toBe('/0')
      expect(compile({ $ref: 'https://example.com/Tag.json' }, { schemas })(3)).not.toBeNull()
    })

    it('formats: on by default, off on request, custom ones added', () => {
      expect(compile({ format: 'email' })('nope')?.[0]?.message).toBe('string "nope" is not a valid email address')
      expect(compile({ format: 'email' }, { formats: false })('nope')).toBeNull()
      const v = compile({ format: 'sku' }, { formats: { sku: /^[A-Z]{3}-\d{4}$/ } })
      expect(v('ABC-1234')).toBeNull()
      expect(v('abc')).not.toBeNull()
      for (const [f, good, bad] of [
        ['date-time', '2024-02-29T12:00:00Z', '2023-02-29T12:00:00Z'],
        ['hostname', 'api.example.com', '-bad-.com'],
        ['ipv4', '192.168.0.1', '256.1.1.1'],
        ['ipv6', '::1', '1:::2'],
        ['uri', 'https://a.b/c?d#e', '/relative'],
      ] as const) {
        expect(compile({ format: f })(good)).toBeNull()
        expect(compile({ format: f })(bad)).not.toBeNull()
      }
    })

    it('draft-07 and 2020-12 keywords chosen by $schema', () => {
      const v7 = compile({
        $schema: 'http://json-schema.org/draft-07/schema#',
        if: { const: 1 },
        then: false,
        contains: { type: 'string' },
        exclusiveMinimum: 0,
      })
      expect(v7(['a'])).toBeNull()
      expect(v7([1])).not.toBeNull()
      expect(v7(1)).not.toBeNull()
      const v20 = compile({
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        prefixItems: [{ type: 'integer' }],
        items: false,
        $defs: { x: { type: 'integer' } },
      })
      expect(v20([1])).toBeNull()
      expect(v20([1, 2])).not.toBeNull()
      const u = compile({
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        allOf: [{ properties: { a: true } }],
        unevaluatedProperties: false,
        dependentRequired: { a: ['b'] },
      })
      expect(u({ a: 1, b: 2 })).not.toBeNull()
      expect(u({ a: 1 })).not.toBeNull()
      expect(
        compile({
          $schema: 'https://json-schema.org/draft/2020-12/schema',
          properties: { a: true, b: true },
          unevaluatedProperties: false,
        })({ a: 1, b: 2 }),
      ).toBeNull()
    })

    it('fails at compile time with the JSON pointer of the problem', () => {
      const cases: Array<[unknown, string, string]> = [
        [{ type: 'strin' }, 'INVALID_SCHEMA', '/type'],
        [{ properties: { a: { minLength: -1 } } }, 'INVALID_SCHEMA', '/properties/a/minLength'],
        [{ items: [{ $ref: '#/definitions/nope' }] }, 'UNRESOLVED_REF', '/items/0/$ref'],
        [{ pattern: '(' }, 'INVALID_PATTERN', '/pattern'],
        [{ patternProperties: { '(a)\\1$': {} } }, 'UNSAFE_PATTERN', '/patternProperties/(a)\\1$'],
        [{ properties: { a: { pattern: '(?<=x)y' } } }, 'UNSAFE_PATTERN', '/properties/a/pattern'],
        [{ pattern: '(a{1,1000}){1,1000}' }, 'UNSAFE_PATTERN', '/pattern'],
        [{ properties: { x: 'nope' } }, 'INVALID_SCHEMA', '/properties/x'],
      ]
      for (const [schema, code, pointer] of cases) {
        let err: unknown
        try {
          compile(schema)
        } catch (e) {
          err = e
        }
        expect(err).toBeInstanceOf(SchemaCompileError)
        expect((err as SchemaCompileError).code).toBe(code)
        expect((err as SchemaCompileError).pointer).toBe(pointer)
      }
      expect(() => compile({}, { draft: 5 as never })).toThrow(SchemaCompileError)
    })

    it('runs nested-quantifier patterns in linear time; backreferences and lookaround only when allowed', () => {
      const v = compile({ pattern: '^(a|b+)*$' })
      expect(v('abb')).toBeNull()
      expect(v(`${'b'.repeat(5000)}!`)).not.toBeNull()
      expect(() => compile({ pattern: '^(a)\\1$' })).toThrow(/linear time/)
      expect(compile({ pattern: '^(a)\\1$' }, { allowUnsafePatterns: true })('aa')).toBeNull()
      expect(compile({ pattern: '^(?!x)\\w+$' }, { allowUnsafePatterns: true })('x1')).not.toBeNull()
      for (const safe of ['^[a-z]+(-[a-z]+)*$', '^(ab)+$', '^\\d{3}-\\d{4}$', '^(\\+|-)?\\d+$'])
        expect(() => compile({ pattern: safe })).not.toThrow()
    })

    it('keeps hostile property names and patterns out of the generated code', () => {
      const names = [
        '"',
        "'",
        '\\',
        '`${process.exit()}`',
        '\u2028',
        '\u2029',
        '__proto__',
        'constructor',
        'toString',
        '"]; throw 1; //',
        '*/ throw 1 /*',
        '\n',
      ]
      const schema = {
        type: 'object',
        required: names,
        properties: Object.fromEntries(names.map((n) => [n, { const: n }])),
        patternProperties: { '"\\u2028\\\\': { type: 'string' } },
        additionalProperties: false,
        dependencies: { '\\': ['"'] },
      }
      const v = compile({ ...schema, $schema: 'http://json-schema.org/draft-07/schema#' })
      const good = JSON.parse(JSON.stringify(Object.fromEntries(names.map((n) => [n, n]))))
      expect(Object.keys(good)).toContain('__proto__')
      expect(v(good)).toBeNull()
      const bad = { ...good, constructor: 1 }
      expect(v(bad)?.[0]?.instancePath).toBe('/constructor')
      const missing = JSON.parse('{"__proto__": "__proto__"}')
      expect(v(missing)?.[0]?.keyword).toBe('required')
      expect(v({})?.[0]?.message).toContain('"__proto__"')
    })

    it('does not treat inherited properties as present', () => {
      const v = compile({ required: ['constructor', 'toString'], properties: { constructor: { type: 'string' } } })
      expect(v({})).not.toBeNull()
      expect(v({ constructor: 'x', toString: 1 })).toBeNull()
      expect(v({ constructor: 1, toString: 1 })).not.toBeNull()
    })

    it('answers a value nested too deeply for the stack with an error, not a crash', () => {
      const v = compile({ definitions: { n: { type: 'array', items: { $ref: '#/definitions/n' } } }, $ref: '#/definitions/n' })
      let deep: unknown = []
      for (let i = 0; i < 200_000; i++) deep = [deep]
      expect(v(deep)?.[0]?.keyword).toBe('depth')
      expect(v([[[]]])).toBeNull()
    })

    it('is re-entrant (a custom format may validate with the same validator)', () => {
      const inner = compile({ type: 'string', minLength: 2 })
      const v = compile({ type: 'string', format: 'pair' }, { formats: { pair: (s) => inner(s) === null && inner(s.slice(1)) === null } })
      expect(v('abc')).toBeNull()
      expect(v('ab')).not.toBeNull()
    })

    it('reuses nothing between calls: errors of one call are not in the next', () => {
      const v = compile({ type: 'string' })
      const e1 = v(1)
      expect(v('x')).toBeNull()
      expect(e1).toHaveLength(1)
      expect(v(2)).toHaveLength(1)
    })
  })
}

describe('code generation fallback', () => {
  it('uses closures when new Function is unavailable (CSP, edge runtimes)', () => {
    const original = globalThis.Function
    const blocked = (() => {
      throw new EvalError('Code generation from strings disallowed for this context')
    }) as unknown as FunctionConstructor
    globalThis.Function = blocked
    try {
      const v = compileSchema({ type: 'object', required: ['a'], properties: { a: { type: 'string' } } })
      expect(v({ a: 'x' })).toBeNull()
      expect(v({})?.[0]?.keyword).toBe('required')
      expect(() => compileSchema({ type: 'nope' })).toThrow(SchemaCompileError)
    } finally {
      globalThis.Function = original
    }
  })
})

describe('error objects', () => {
  const TYPE_MESSAGE = 'instance type (integer) does not match any allowed primitive type (allowed: ["string"])'

  for (const [engine, base] of ENGINES) {
    const compile = (schema: unknown) => compileSchema(schema, base)

    describe(engine, () => {
      it('serialize to the three fields: JSON.stringify, toJSON, and copies of toJSON', () => {
        const [e] = compile({ type: 'string' })(1)!
        expect(JSON.stringify(e)).toBe(JSON.stringify({ instancePath: '', keyword: 'type', message: TYPE_MESSAGE }))
        const plain = e!.toJSON()
        expect(Object.getPrototypeOf(plain)).toBe(Object.prototype)
        expect(Object.keys(plain)).toEqual(['instancePath', 'keyword', 'message'])
        expect(structuredClone(plain)).toEqual({ instancePath: '', keyword: 'type', message: TYPE_MESSAGE })
        expect({ ...plain }).toEqual(plain)
        expect(JSON.parse(JSON.stringify(compile({ type: 'string' })(1)))).toEqual([plain])
      })

      it('read like plain objects: fields, toMatchObject, console output', () => {
        const [e] = compile({ type: 'string' })(1)!
        expect(e!.instancePath).toBe('')
        expect(e!.keyword).toBe('type')
        expect(e!.message).toBe(TYPE_MESSAGE)
        expect(e).toMatchObject({ instancePath: '', keyword: 'type', message: TYPE_MESSAGE })
        expect(inspect(e)).toContain(TYPE_MESSAGE)
      })

      it('format the message once: every read returns the same string; it may be assigned', () => {
        const [e] = compile({ type: 'object', properties: { n: { minimum: 3 } } })({ n: 1 })!
        const first = e!.message
        expect(first).toBe('numeric instance is lower than the required minimum (minimum: 3, found: 1)')
        expect(e!.message).toBe(first)
        e!.message = 'custom'
        expect(e!.message).toBe('custom')
        expect(e!.toJSON().message).toBe('custom')
      })

      it('keep the message as it was when validation failed, whatever happens to the value later', () => {
        const v = compile({
          type: 'object',
          required: ['a', 'b'],
          additionalProperties: false,
          properties: { a: { type: 'string' }, c: { enum: [1, 2] }, l: { type: 'array', maxItems: 1 } },
        })
        const value: Record<string, unknown> = { c: { x: [1] }, l: [1, 2], z: 1 }
        const errors = v(value)!
        // Mutate everything the messages quote before reading any of them.
        ;(value.c as { x: number[] }).x.push(2)
        ;(value.l as number[]).push(3)
        value.a = 'now present'
        value.y = 2
        expect(errors.map((e) => e.message)).toEqual([
          'object has missing required properties (["a","b"])',
          'instance value ({"x":[1]}) not found in enum (possible values: [1,2])',
          'array is too long: must have at most 1 elements but instance has 2 elements',
          'object instance has properties which are not allowed by the schema: ["z"]',
        ])
      })

      it('own only instancePath and keyword (the message is an accessor: copy with toJSON)', () => {
        const [e] = compile({ type: 'string' })(1)!
        expect(Object.keys(e!)).toEqual(['instancePath', 'keyword'])
        expect({ ...e }).toEqual({ instancePath: '', keyword: 'type' })
        expect({ ...e, message: e!.message }).toEqual(e!.toJSON())
        // Tools that read accessors on the prototype itself (diff printers) get undefined, not an exception.
        const proto = Object.getPrototypeOf(e) as { message?: string }
        expect(proto.message).toBeUndefined()
      })
    })
  }
})

describe('required, as API Gateway reports it', () => {
  it('lists missing properties in sorted order, on both engines', () => {
    for (const codegen of [true, false]) {
      const validate = compileSchema({ type: 'object', required: ['type', 'name', 'price'] }, { codegen })
      expect(validate({ name: 'x' })?.[0]?.message).toBe('object has missing required properties (["price","type"])')
    }
  })
})

describe('integer type with number keywords', () => {
  it('reports the number keywords for a non-integer number too, on both engines', () => {
    for (const codegen of [true, false]) {
      const validate = compileSchema({ type: 'integer', multipleOf: 1, minimum: 5 }, { codegen })
      expect(
        validate(2.5)
          ?.map((e) => e.keyword)
          .sort(),
      ).toEqual(['minimum', 'multipleOf', 'type'])
    }
  })
})
