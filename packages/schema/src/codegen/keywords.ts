/**
 * Per-keyword code generation, grouped by the JSON type a keyword applies to so each type test runs once.
 */
import { multipleOfCheck } from '../multiple-of'
import { typeList } from '../keywords/type'
import { escapeToken, own } from '../uri'
import type { Frame, KeywordGen, Scope } from './context'
import { inherited, num, str } from './emit'
import { arrayCode } from './array'
import { objectCode } from './object'

const TYPE_TEST: Record<string, (d: string) => string> = {
  null: (d) => `${d} === null`,
  boolean: (d) => `typeof ${d} === "boolean"`,
  object: (d) => `(typeof ${d} === "object" && ${d} !== null && !Array.isArray(${d}))`,
  array: (d) => `Array.isArray(${d})`,
  number: (d) => `(typeof ${d} === "number" && isFinite(${d}))`,
  string: (d) => `typeof ${d} === "string"`,
  integer: (d) => `Number.isInteger(${d})`,
}

/** Literal for a primitive JSON value, or null when it must go through a constant. */
function primLiteral(v: unknown): string | null {
  if (v === null) return 'null'
  if (typeof v === 'boolean') return String(v)
  if (typeof v === 'number' && Number.isFinite(v)) return num(v)
  if (typeof v === 'string') return str(v)
  return null
}

function bad(g: KeywordGen, ptr: string, m: string): never {
  return g.compiler.bad(ptr, m)
}

function count(g: KeywordGen, f: Frame, obj: Record<string, unknown>, kw: string): number {
  const v = obj[kw]
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) bad(g, `${f.ptr}/${kw}`, `${kw} must be a non-negative integer`)
  return v
}

function numberOf(g: KeywordGen, f: Frame, obj: Record<string, unknown>, kw: string): number {
  const v = obj[kw]
  if (typeof v !== 'number' || !Number.isFinite(v)) bad(g, `${f.ptr}/${kw}`, `${kw} must be a number`)
  return v
}

function numberCode(g: KeywordGen, s: Scope, f: Frame, o: Record<string, unknown>): string {
  const d = s.data
  const out: string[] = []
  const has = (k: string) => own(o, k) !== undefined
  const exclusive = (k: string) => {
    const v = o[k]
    if (v !== undefined && typeof v !== 'boolean') bad(g, `${f.ptr}/${k}`, `${k} must be a boolean in draft-04`)
    return v === true
  }
  if (has('minimum')) {
    const m = numberOf(g, f, o, 'minimum')
    if (f.draft === 4 && exclusive('exclusiveMinimum'))
      out.push(`if (!(${d} > ${num(m)})) ${g.fail(s, 'minimum', 'exclusiveMinimum', [{ c: m }, d])}`)
    else out.push(`if (!(${d} >= ${num(m)})) ${g.fail(s, 'minimum', 'minimum', [{ c: m }, d])}`)
  }
  if (has('maximum')) {
    const m = numberOf(g, f, o, 'maximum')
    if (f.draft === 4 && exclusive('exclusiveMaximum'))
      out.push(`if (!(${d} < ${num(m)})) ${g.fail(s, 'maximum', 'exclusiveMaximum', [{ c: m }, d])}`)
    else out.push(`if (!(${d} <= ${num(m)})) ${g.fail(s, 'maximum', 'maximum', [{ c: m }, d])}`)
  }
  if (f.draft !== 4 && has('exclusiveMinimum')) {
    const m = numberOf(g, f, o, 'exclusiveMinimum')
    out.push(`if (!(${d} > ${num(m)})) ${g.fail(s, 'exclusiveMinimum', 'exclusiveMinimum', [{ c: m }, d])}`)
  }
  if (f.draft !== 4 && has('exclusiveMaximum')) {
    const m = numberOf(g, f, o, 'exclusiveMaximum')
    out.push(`if (!(${d} < ${num(m)})) ${g.fail(s, 'exclusiveMaximum', 'exclusiveMaximum', [{ c: m }, d])}`)
  }
  if (has('multipleOf')) {
    const m = numberOf(g, f, o, 'multipleOf')
    if (!(m > 0)) bad(g, `${f.ptr}/multipleOf`, 'multipleOf must be strictly greater than zero')
    out.push(`if (!${g.k(multipleOfCheck(m))}(${d})) ${g.fail(s, 'multipleOf', 'multipleOf', [d, { c: m }])}`)
  }
  return out.join('\n')
}

function stringCode(g: KeywordGen, s: Scope, f: Frame, o: Record<string, unknown>): string {
  const d = s.data
  const out: string[] = []
  if (own(o, 'minLength') !== undefined) {
    const min = count(g, f, o, 'minLength')
    out.push(
      `if (${d}.length < ${num(2 * min)} && (${d}.length < ${num(min)} || R.cp(${d}) < ${num(min)})) ${g.fail(s, 'minLength', 'minLength', [d, { c: min }])}`,
    )
  }
  if (own(o, 'maxLength') !== undefined) {
    const max = count(g, f, o, 'maxLength')
    out.push(`if (${d}.length > ${num(max)} && R.cp(${d}) > ${num(max)}) ${g.fail(s, 'maxLength', 'maxLength', [d, { c: max }])}`)
  }
  if (own(o, 'pattern') !== undefined) {
    const p = o.pattern
    if (typeof p !== 'string') bad(g, `${f.ptr}/pattern`, 'pattern must be a string')
    const matches = g.pattern(p, `${f.ptr}/pattern`)
    out.push(`if (!${matches(d)}) ${g.fail(s, 'pattern', 'pattern', [{ c: p }, d])}`)
  }
  if (own(o, 'format') !== undefined) {
    const name = o.format
    if (typeof name !== 'string') bad(g, `${f.ptr}/format`, 'format must be a string')
    const fn = g.compiler.formats?.[name]
    if (fn !== undefined) out.push(`if (!${g.k(fn)}(${d})) ${g.fail(s, 'format', 'format', [{ c: name }, d])}`)
  }
  return out.join('\n')
}

function enumCode(g: KeywordGen, s: Scope, f: Frame, o: Record<string, unknown>): string {
  const values = o.enum
  if (!Array.isArray(values) || (f.draft === 4 && values.length === 0)) bad(g, `${f.ptr}/enum`, 'enum must be a non-empty array')
  const lits = values.map(primLiteral)
  const kv = g.k(values)
  let test: string
  if (lits.every((l) => l !== null) && lits.length <= 8) test = lits.map((l) => `${s.data} === ${l}`).join(' || ') || 'false'
  else if (lits.every((l) => l !== null)) test = `${g.k(new Set(values))}.has(${s.data})`
  else test = `R.inEnum(${kv}, ${s.data})`
  return `if (!(${test})) ${g.fail(s, 'enum', 'enum', [`R.snap(${s.data})`, { c: values }])}`
}

function combinatorCode(g: KeywordGen, s: Scope, f: Frame, o: Record<string, unknown>): string {
  const out: string[] = []
  for (const kw of ['allOf', 'anyOf', 'oneOf'] as const) {
    if (own(o, kw) === undefined) continue
    const list = o[kw]
    if (!Array.isArray(list) || list.length === 0) bad(g, `${f.ptr}/${kw}`, `${kw} must be a non-empty array of schemas`)
    const cnt = g.id('n')
    const parts: string[] = [`let ${cnt} = 0;`]
    list.forEach((sub, i) => {
      const [code, valid] = g.quiet(s, g.child(f, sub, kw, i))
      const guard = kw === 'anyOf' ? `if (${cnt} === 0) ` : ''
      parts.push(`${guard}{ ${code} if (${valid}) ${cnt}++; }`)
    })
    const n = list.length
    if (kw === 'allOf') parts.push(`if (${cnt} !== ${n}) ${g.fail(s, 'allOf', 'allOf', [cnt, { c: n }])}`)
    if (kw === 'anyOf') parts.push(`if (${cnt} === 0) ${g.fail(s, 'anyOf', 'anyOf', [{ c: n }])}`)
    if (kw === 'oneOf') parts.push(`if (${cnt} !== 1) ${g.fail(s, 'oneOf', 'oneOf', [cnt, { c: n }])}`)
    out.push(`{ ${parts.join('\n')} }`)
  }
  if (own(o, 'not') !== undefined) {
    const [code, valid] = g.quiet(s, g.child(f, o.not, 'not'))
    out.push(`{ ${code} if (${valid}) ${g.fail(s, 'not', 'not')} }`)
  }
  if (f.draft !== 4 && own(o, 'if') !== undefined && (own(o, 'then') !== undefined || own(o, 'else') !== undefined)) {
    const [code, valid] = g.quiet(s, g.child(f, o.if, 'if'))
    const th = own(o, 'then') === undefined ? '' : g.schema(s, g.child(f, o.then, 'then'))
    const el = own(o, 'else') === undefined ? '' : g.schema(s, g.child(f, o.else, 'else'))
    out.push(`{ ${code} if (${valid}) { ${th} } else { ${el} } }`)
  }
  return out.join('\n')
}

const NUMBER_KW = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf']
const STRING_KW = ['minLength', 'maxLength', 'pattern', 'format']
const OBJECT_KW = [
  'required',
  'minProperties',
  'maxProperties',
  'properties',
  'patternProperties',
  'additionalProperties',
  'dependencies',
  'dependentRequired',
  'dependentSchemas',
  'propertyNames',
]
const ARRAY_KW = ['items', 'additionalItems', 'prefixItems', 'minItems', 'maxItems', 'uniqueItems', 'contains']

/** All keywords of one schema object. */
export function genKeywords(g: KeywordGen, s: Scope, f: Frame, o: Record<string, unknown>): string {
  const d = s.data
  const out: string[] = []
  const any = (list: string[]) => list.some((k) => own(o, k) !== undefined)
  const groups: Array<[string, string]> = []
  if (any(NUMBER_KW)) groups.push(['number', numberCode(g, s, f, o)])
  if (any(STRING_KW)) groups.push(['string', stringCode(g, s, f, o)])
  if (any(OBJECT_KW)) groups.push(['object', objectCode(g, s, f, o)])
  if (any(ARRAY_KW)) groups.push(['array', arrayCode(g, s, f, o)])
  const typeTest = (t: string) => (t === 'number' ? `typeof ${d} === "number"` : TYPE_TEST[t]!(d))
  let typed: string | null = null
  if (own(o, 'type') !== undefined) {
    const list = typeList(o.type, (m) => bad(g, `${f.ptr}/type`, m))
    const test = list.map((t) => TYPE_TEST[t]!(d)).join(' || ')
    const single = list.length === 1 ? list[0]! : null
    // Not for `integer`: a non-integer number fails the type and still gets the number keywords' errors.
    const group = single === null ? undefined : groups.find(([t]) => t === single)
    if (group !== undefined && groups.length === 1) {
      // One type, and only that type's keywords: test the type once.
      typed = `if (${test}) { ${group[1]} } else ${g.fail(s, 'type', 'type', [`R.jt(${d})`, { c: list }])}`
    } else out.push(`if (!(${test})) ${g.fail(s, 'type', 'type', [`R.jt(${d})`, { c: list }])}`)
  }
  if (typed !== null) out.push(typed)
  else for (const [t, code] of groups) if (code !== '') out.push(`if (${typeTest(t)}) { ${code} }`)
  if (own(o, 'enum') !== undefined) out.push(enumCode(g, s, f, o))
  if (f.draft !== 4 && own(o, 'const') !== undefined) {
    const c = o.const
    const lit = primLiteral(c)
    const test = lit !== null ? `${d} === ${lit}` : `R.eq(${g.k(c)}, ${d})`
    out.push(`if (!(${test})) ${g.fail(s, 'const', 'const', [`R.snap(${d})`, { c }])}`)
  }
  if (f.draft === 2020 && own(o, '$ref') !== undefined) {
    if (typeof o.$ref !== 'string') bad(g, `${f.ptr}/$ref`, '$ref must be a string')
    out.push(g.ref(s, f, o.$ref))
  }
  out.push(combinatorCode(g, s, f, o))
  return out.filter((c) => c !== '').join('\n')
}

export { escapeToken, inherited }
