/**
 * 2020-12 `$ref` (a keyword beside others) and `$dynamicRef` (resolved statically: see README).
 */
import type { Target } from '../registry'
import type { Check } from '../state'
import { own, resolveUri, splitFragment } from '../uri'
import type { KeywordHandler, SubschemaCompiler } from './context'

export const ref2020: KeywordHandler = (ctx) => {
  const r = ctx.node.$ref
  if (typeof r !== 'string') return ctx.c.bad(`${ctx.ptr}/$ref`, '$ref must be a string')
  return ctx.c.ref(ctx, r)
}

/**
 * The dynamic alternatives of a `$dynamicRef`: when its static target carries a matching `$dynamicAnchor`, the
 * outermost resource in the dynamic scope with that anchor wins. Returns [resource URI, target] pairs.
 */
export function dynamicAlternatives(c: SubschemaCompiler, ref: string, base: string, at: string): Array<[string, Target]> {
  const t = c.registry.resolve(ref, base, at)
  const abs = resolveUri(ref, base) ?? ''
  const name = splitFragment(abs)[1]
  if (name === '' || name.startsWith('/') || own(t.node, '$dynamicAnchor') !== name) return []
  const out: Array<[string, Target]> = []
  for (const [uri, res] of c.registry.dynamicAnchors.get(name) ?? []) {
    const b = typeof res.node === 'object' && res.node !== null ? (c.registry.baseOf.get(res.node) ?? uri) : uri
    out.push([uri, { node: res.node, base: b, draft: res.draft, where: `${uri}#${name}` }])
  }
  return out
}

export const dynamicRef: KeywordHandler = (ctx) => {
  const r = ctx.node.$dynamicRef
  if (typeof r !== 'string') return ctx.c.bad(`${ctx.ptr}/$dynamicRef`, '$dynamicRef must be a string')
  const fallback = ctx.c.ref(ctx, r, '$dynamicRef')
  const alts = dynamicAlternatives(ctx.c, r, ctx.base, `${ctx.ptr}/$dynamicRef`)
  if (alts.length === 0) return fallback
  const byUri = new Map<string, Check>()
  for (const [uri, t] of alts) byUri.set(uri, ctx.c.compile(t.node, t.base, t.where, t.draft))
  return (d, st) => {
    for (let i = 0; i < st.scope.length; i++) {
      const c = byUri.get(st.scope[i]!)
      if (c !== undefined) return c(d, st)
    }
    return fallback(d, st)
  }
}
