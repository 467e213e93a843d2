/**
 * Generated code for array keywords (the value is known to be an array here).
 */
import { own } from '../uri'
import type { Frame, KeywordGen, Scope } from './context'
import { num } from './emit'

function count(g: KeywordGen, f: Frame, o: Record<string, unknown>, kw: string): number {
  const v = o[kw]
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
    return g.compiler.bad(`${f.ptr}/${kw}`, `${kw} must be a non-negative integer`)
  return v
}

export function arrayCode(g: KeywordGen, s: Scope, f: Frame, o: Record<string, unknown>): string {
  const d = s.data
  const out: string[] = []
  if (own(o, 'minItems') !== undefined) {
    const n = count(g, f, o, 'minItems')
    out.push(`if (${d}.length < ${num(n)}) ${g.fail(s, 'minItems', 'minItems', [{ c: n }, `${d}.length`])}`)
  }
  if (own(o, 'maxItems') !== undefined) {
    const n = count(g, f, o, 'maxItems')
    out.push(`if (${d}.length > ${num(n)}) ${g.fail(s, 'maxItems', 'maxItems', [{ c: n }, `${d}.length`])}`)
  }
  // Tuple part and the schema for the rest, per dialect.
  let tuple: unknown[] = []
  let tupleKw = 'items'
  let rest: unknown
  let restKw = 'items'
  const it = own(o, 'items')
  if (f.draft === 2020) {
    const pi = own(o, 'prefixItems')
    if (pi !== undefined && !Array.isArray(pi)) g.compiler.bad(`${f.ptr}/prefixItems`, 'prefixItems must be an array of schemas')
    if (Array.isArray(it)) g.compiler.bad(`${f.ptr}/items`, 'items must be a schema in 2020-12 (use prefixItems for tuples)')
    tuple = (pi as unknown[] | undefined) ?? []
    tupleKw = 'prefixItems'
    rest = it
  } else if (Array.isArray(it)) {
    tuple = it
    rest = own(o, 'additionalItems')
    restKw = 'additionalItems'
  } else rest = it
  tuple.forEach((sub, i) => {
    const dv = g.id('d')
    const code = g.schema({ ...s, data: dv, path: [...s.path, { raw: i }] }, g.child(f, sub, tupleKw, i))
    if (code !== '') out.push(`if (${d}.length > ${num(i)}) { const ${dv} = ${d}[${num(i)}]; ${code} }`)
  })
  const n = tuple.length
  if (rest === false) {
    out.push(`if (${d}.length > ${num(n)}) ${g.fail(s, n === 0 ? 'items' : restKw, 'additionalItems', [{ c: n }, `${d}.length`])}`)
  } else if (rest !== undefined && rest !== true) {
    const i = g.id('i')
    const dv = g.id('d')
    const code = g.schema({ ...s, data: dv, path: [...s.path, { index: i }] }, g.child(f, rest, restKw))
    if (code !== '') out.push(`for (let ${i} = ${num(n)}; ${i} < ${d}.length; ${i}++) { const ${dv} = ${d}[${i}]; ${code} }`)
  }
  if (own(o, 'uniqueItems') !== undefined) {
    if (typeof o.uniqueItems !== 'boolean') g.compiler.bad(`${f.ptr}/uniqueItems`, 'uniqueItems must be a boolean')
    // The length test inline: most arrays checked have 0 or 1 items, and a call V8 never sees made is not
    // inlined, which leaves its inlining budget to the pattern functions.
    if (o.uniqueItems) out.push(`if (${d}.length > 1 && R.dup(${d})) ${g.fail(s, 'uniqueItems', 'uniqueItems')}`)
  }
  if (f.draft !== 4 && own(o, 'contains') !== undefined) {
    const min = f.draft === 2020 && own(o, 'minContains') !== undefined ? count(g, f, o, 'minContains') : 1
    const max = f.draft === 2020 && own(o, 'maxContains') !== undefined ? count(g, f, o, 'maxContains') : null
    const i = g.id('i')
    const c = g.id('c')
    const [code, valid] = g.quiet(s, g.child(f, o.contains, 'contains'), `${d}[${i}]`)
    const stopEarly = max === null ? ` if (${c} >= ${num(min)}) break;` : ''
    out.push(
      `{ let ${c} = 0; for (let ${i} = 0; ${i} < ${d}.length; ${i}++) { ${code} if (${valid}) { ${c}++;${stopEarly} } }` +
        ` if (${c} < ${num(min)}) ${g.fail(s, 'contains', 'contains')}` +
        (max === null ? '' : ` else if (${c} > ${num(max)}) ${g.fail(s, 'maxContains', 'maxContains')}`) +
        ' }',
    )
  }
  return out.join('\n')
}
