/**
 * Generated code for object keywords (the value is known to be a plain object here).
 */
import { escapeToken, own } from '../uri'
import type { Arg, Frame, KeywordGen, Scope } from './context'
import { inherited, num, str } from './emit'

function schemaMap(g: KeywordGen, f: Frame, o: Record<string, unknown>, kw: string): Record<string, unknown> {
  const v = o[kw]
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return g.compiler.bad(`${f.ptr}/${kw}`, `${kw} must be an object`)
  return v as Record<string, unknown>
}

function stringList(g: KeywordGen, ptr: string, kw: string, v: unknown): string[] {
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) return g.compiler.bad(ptr, `${kw} must be an array of strings`)
  return v as string[]
}

/** Expression: does object `d` have own property `name`? */
function present(d: string, name: string): string {
  return inherited(name) ? `R.h(${d}, ${str(name)})` : `${d}[${str(name)}] !== undefined`
}

function requiredCode(
  g: KeywordGen,
  s: Scope,
  d: string,
  names: string[],
  kw: string,
  msgArgs: (k: string) => Arg[],
  loaded: ReadonlyMap<string, string> = new Map(),
): string {
  if (names.length === 0) return ''
  const kn = g.k(names)
  const test = names.map((n) => (loaded.has(n) ? `${loaded.get(n)} !== undefined` : present(d, n))).join(' && ')
  return `if (!(${test})) ${g.fail(s, kw, kw === 'required' ? 'required' : 'dependencies', msgArgs(kn))}`
}

export function objectCode(g: KeywordGen, s: Scope, f: Frame, o: Record<string, unknown>): string {
  const d = s.data
  const out: string[] = []
  // Sorted, as API Gateway's validator reports missing names (see keywords/object.ts). The code goes at this
  // place; it is written once the properties are known.
  const required = own(o, 'required') !== undefined ? [...stringList(g, `${f.ptr}/required`, 'required', o.required)].sort() : null
  const requiredAt = out.push('') - 1
  for (const [kw, cmp, m] of [
    ['minProperties', '<', 'minProperties'],
    ['maxProperties', '>', 'maxProperties'],
  ] as const) {
    if (own(o, kw) === undefined) continue
    const v = o[kw]
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) g.compiler.bad(`${f.ptr}/${kw}`, `${kw} must be a non-negative integer`)
    out.push(`if (R.kc(${d}) ${cmp} ${num(v)}) ${g.fail(s, kw, m, [`R.kc(${d})`, { c: v }])}`)
  }
  const props = own(o, 'properties') !== undefined ? schemaMap(g, f, o, 'properties') : {}
  // A property both required and described is read once, before the required test, and that value checked.
  const loaded = new Map<string, string>()
  if (required !== null) {
    const decls: string[] = []
    for (const n of required) {
      if (loaded.has(n) || inherited(n) || !Object.hasOwn(props, n)) continue
      const dv = g.id('d')
      loaded.set(n, dv)
      decls.push(`const ${dv} = ${d}[${str(n)}];`)
    }
    out[requiredAt] = decls.join(' ') + requiredCode(g, s, d, required, 'required', (kn) => [`R.missing(${d}, ${kn})`], loaded)
  }
  for (const [k, sub] of Object.entries(props)) {
    const dv = loaded.get(k) ?? g.id('d')
    const code = g.schema({ ...s, data: dv, path: [...s.path, { raw: k }] }, g.child(f, sub, 'properties', k))
    if (code === '') continue
    if (inherited(k)) out.push(`if (R.h(${d}, ${str(k)})) { const ${dv} = ${d}[${str(k)}]; ${code} }`)
    else if (loaded.has(k)) out.push(`if (${dv} !== undefined) { ${code} }`)
    else out.push(`{ const ${dv} = ${d}[${str(k)}]; if (${dv} !== undefined) { ${code} } }`)
  }
  const pats = own(o, 'patternProperties') !== undefined ? Object.entries(schemaMap(g, f, o, 'patternProperties')) : []
  const ap = own(o, 'additionalProperties')
  if (pats.length > 0 || (ap !== undefined && ap !== true)) {
    const key = g.id('k')
    const matched = g.id('m')
    const extra = g.id('x')
    const dv = g.id('d')
    const body: string[] = []
    const names = Object.keys(props)
    const known =
      names.length === 0
        ? 'false'
        : names.length <= 12
          ? names.map((n) => `${key} === ${str(n)}`).join(' || ')
          : `${g.k(new Set(names))}.has(${key})`
    body.push(`let ${matched} = ${known};`)
    // Inherited enumerable keys (a polluted Object.prototype) are not the object's own properties. Without
    // patternProperties only an unknown key needs that test, so the common case (every key known) skips it.
    const ownTest = `R.h(${d}, ${key})`
    const unmatched = pats.length === 0 ? `!${matched} && ${ownTest}` : `!${matched}`
    const childScope: Scope = { ...s, data: dv, path: [...s.path, { v: key }] }
    for (const [p, sub] of pats) {
      const matches = g.pattern(p, `${f.ptr}/patternProperties/${escapeToken(p)}`)
      const code = g.schema(childScope, g.child(f, sub, 'patternProperties', p))
      body.push(`if (${matches(key)}) { ${matched} = true; const ${dv} = ${d}[${key}]; ${code} }`)
    }
    let after = ''
    if (ap === false) {
      // One error listing every extra property, as API Gateway's validator reports it.
      const where = g.where(s)
      const report = g.report(g.error(where, 'additionalProperties', 'additionalProperties', [extra]))
      if (s.mode === 'quiet') body.push(`if (${unmatched}) { ${g.failed(s)} }`)
      else if (s.mode === 'loud' && !g.allErrors) body.push(`if (${unmatched}) { ${extra} = [${key}]; ${g.failed(s, report)} }`)
      else {
        // `[k]` allocates room for one; growing an empty `[]` on its first push allocates far more.
        body.push(
          `if (${unmatched}) { if (${extra} === undefined) ${extra} = [${key}]; else ${extra}.push(${key}); ${s.mode === 'dyn' ? `if (st.stop) { ${g.failed(s, report)} }` : ''} }`,
        )
        after = `if (${extra} !== undefined) { ${g.failed(s, report)} }`
      }
    } else if (ap !== undefined && ap !== true) {
      if (ap === null || typeof ap !== 'object' || Array.isArray(ap))
        g.compiler.bad(`${f.ptr}/additionalProperties`, 'additionalProperties must be a boolean or a schema')
      const code = g.schema(childScope, g.child(f, ap, 'additionalProperties'))
      body.push(`if (${unmatched}) { const ${dv} = ${d}[${key}]; ${code} }`)
    }
    const skipInherited = pats.length === 0 ? '' : `if (!${ownTest}) continue;`
    out.push(`{ let ${extra}; for (const ${key} in ${d}) { ${skipInherited} ${body.join('\n')} } ${after} }`)
  }
  for (const kw of ['dependencies', 'dependentRequired', 'dependentSchemas'] as const) {
    if (own(o, kw) === undefined) continue
    if (kw === 'dependencies' ? false : f.draft !== 2020) continue
    for (const [p, v] of Object.entries(schemaMap(g, f, o, kw))) {
      const ptr = `${f.ptr}/${kw}/${escapeToken(p)}`
      let code: string
      if (Array.isArray(v) || kw === 'dependentRequired') {
        const req = stringList(g, ptr, kw, v)
        code = requiredCode(g, s, d, req, kw, (kn) => [{ c: p }, { c: req }, `R.missing(${d}, ${kn})`])
      } else code = g.schema(s, g.child(f, v, kw, p))
      if (code !== '') out.push(`if (${present(d, p)}) { ${code} }`)
    }
  }
  if (f.draft !== 4 && own(o, 'propertyNames') !== undefined) {
    const key = g.id('k')
    const [code, valid] = g.quiet(s, g.child(f, o.propertyNames, 'propertyNames'), key)
    out.push(
      `for (const ${key} in ${d}) { if (!R.h(${d}, ${key})) continue; ${code} if (!${valid}) ${g.fail(s, 'propertyNames', 'propertyNames', [key])} }`,
    )
  }
  return out.filter((c) => c !== '').join('\n')
}
