/**
 * 2020-12 unevaluatedProperties / unevaluatedItems. Rather than threading annotations through every check
 * (a cost every schema would pay), a schema that uses these keywords gets an "annotator" that recomputes
 * which properties/items its in-place applicators evaluated, for the instance at hand. Only schemas with
 * unevaluated* pay for it.
 */
import { hasOwn, isObject } from '../instance'
import { msg } from '../messages'
import { compilePattern } from '../pattern'
import type { Check, State } from '../state'
import type { Draft } from '../types'
import { escapeToken, own } from '../uri'
import type { Ctx, KeywordHandler, SubschemaCompiler } from './context'
import { dynamicAlternatives } from './ref'

type PropAnn = (d: Record<string, unknown>, out: Set<string>, st: State) => boolean
type ItemAnn = (d: unknown[], out: Set<number>, st: State) => boolean

interface Loc {
  node: unknown
  base: string
  ptr: string
  draft: Draft
}

function quietly(c: Check, d: unknown, st: State): boolean {
  st.enterQuiet()
  const ok = c(d, st)
  st.leaveQuiet()
  return ok
}

/** In-place subschemas of a node: [check of the subschema, its location, kind]. */
interface Entry {
  kind: string
  key?: string
  sub: Loc
  check: Check
  cond?: Check
  /** `$dynamicRef`: alternative targets by resource URI, chosen by the dynamic scope. */
  alts?: Array<[string, Loc]>
}

function inPlace(c: SubschemaCompiler, loc: Loc): Entry[] {
  const node = loc.node as Record<string, unknown>
  const out: Entry[] = []
  const mk = (value: unknown, ...tokens: Array<string | number>): Loc => {
    let ptr = loc.ptr
    for (const t of tokens) ptr += `/${escapeToken(t)}`
    const base = typeof value === 'object' && value !== null ? (c.registry.baseOf.get(value) ?? loc.base) : loc.base
    return { node: value, base, ptr, draft: loc.draft }
  }
  const add = (kind: string, sub: Loc, key?: string, cond?: Check) =>
    out.push({
      kind,
      sub,
      check: c.compile(sub.node, sub.base, sub.ptr, sub.draft),
      ...(key === undefined ? {} : { key }),
      ...(cond ? { cond } : {}),
    })
  for (const kw of ['allOf', 'anyOf', 'oneOf']) {
    const v = own(node, kw)
    if (Array.isArray(v)) {
      v.forEach((s, i) => {
        add(kw, mk(s, kw, i))
      })
    }
  }
  for (const kw of ['$ref', '$dynamicRef']) {
    const r = own(node, kw)
    if (typeof r === 'string') {
      const t = c.registry.resolve(r, loc.base, `${loc.ptr}/${kw}`)
      add('ref', { node: t.node, base: t.base, ptr: t.where, draft: t.draft })
      if (kw === '$dynamicRef') {
        const alts = dynamicAlternatives(c, r, loc.base, `${loc.ptr}/${kw}`)
        if (alts.length > 0) {
          out[out.length - 1]!.alts = alts.map(([uri, a]) => [uri, { node: a.node, base: a.base, ptr: a.where, draft: a.draft }])
        }
      }
    }
  }
  if (own(node, 'if') !== undefined) {
    const cond = mk(node.if, 'if')
    const condCheck = c.compile(cond.node, cond.base, cond.ptr, cond.draft)
    add('if', cond, undefined, condCheck)
    if (own(node, 'then') !== undefined) add('then', mk(node.then, 'then'), undefined, condCheck)
    if (own(node, 'else') !== undefined) add('else', mk(node.else, 'else'), undefined, condCheck)
  }
  const ds = own(node, 'dependentSchemas')
  if (isObject(ds)) for (const k of Object.keys(ds)) add('dependentSchemas', mk(ds[k], 'dependentSchemas', k), k)
  return out
}

/** Should this in-place subschema's annotations count for `d`? */
function applies(e: { kind: string; key?: string; check: Check; cond?: Check }, d: unknown, st: State): boolean {
  switch (e.kind) {
    case 'anyOf':
    case 'oneOf':
      return quietly(e.check, d, st)
    case 'if':
      return quietly(e.cond!, d, st)
    case 'then':
      return quietly(e.cond!, d, st)
    case 'else':
      return !quietly(e.cond!, d, st)
    case 'dependentSchemas':
      return isObject(d) && hasOwn(d, e.key!)
    default:
      // allOf and $ref: if they fail, the whole schema fails anyway.
      return true
  }
}

function memo<T>(c: SubschemaCompiler, tag: string, loc: Loc, build: () => T, trampoline: (get: () => T) => T): T {
  const key = `${tag}|${loc.draft}|${loc.base}`
  let byNode = c.extra.get(loc.node) as Map<string, { v: T | null }> | undefined
  if (byNode === undefined) {
    byNode = new Map()
    c.extra.set(loc.node, byNode)
  }
  const hit = byNode.get(key)
  if (hit) return hit.v ?? trampoline(() => hit.v!)
  const slot: { v: T | null } = { v: null }
  byNode.set(key, slot)
  slot.v = build()
  return slot.v
}

function propAnnotator(c: SubschemaCompiler, loc: Loc, top: boolean): PropAnn {
  return memo<PropAnn>(
    c,
    top ? 'pa-top' : 'pa',
    loc,
    () => {
      if (typeof loc.node === 'boolean') return () => loc.node === true && false
      if (!isObject(loc.node)) return () => false
      const node = loc.node
      if (own(node, 'additionalProperties') !== undefined) return () => true
      if (!top && own(node, 'unevaluatedProperties') !== undefined) return () => true
      const props = isObject(own(node, 'properties')) ? Object.keys(node.properties as object) : []
      const pats = isObject(own(node, 'patternProperties'))
        ? Object.keys(node.patternProperties as object).map((p) => compilePattern(p, loc.ptr, c.allowUnsafePatterns))
        : []
      const subs = inPlace(c, loc).map((e) => ({ e, ann: pick(e, (l) => propAnnotator(c, l, false)) }))
      return (d, out, st) => {
        for (const p of props) if (hasOwn(d, p)) out.add(p)
        if (pats.length > 0) for (const k in d) if (hasOwn(d, k) && pats.some((re) => re.test(k))) out.add(k)
        for (const { e, ann } of subs) if (applies(e, d, st) && ann(d, out, st)) return true
        return false
      }
    },
    (get) => (d, out, st) => get()(d, out, st),
  )
}

function itemAnnotator(c: SubschemaCompiler, loc: Loc, top: boolean): ItemAnn {
  return memo<ItemAnn>(
    c,
    top ? 'ia-top' : 'ia',
    loc,
    () => {
      if (!isObject(loc.node)) return () => false
      const node = loc.node
      if (own(node, 'items') !== undefined) return () => true
      if (!top && own(node, 'unevaluatedItems') !== undefined) return () => true
      const prefix = Array.isArray(own(node, 'prefixItems')) ? (node.prefixItems as unknown[]).length : 0
      const containsNode = own(node, 'contains')
      const contains = containsNode === undefined ? null : c.compile(containsNode, loc.base, `${loc.ptr}/contains`, loc.draft)
      const subs = inPlace(c, loc).map((e) => ({ e, ann: pick(e, (l) => itemAnnotator(c, l, false)) }))
      return (d, out, st) => {
        for (let i = 0; i < prefix && i < d.length; i++) out.add(i)
        if (contains !== null) for (let i = 0; i < d.length; i++) if (quietly(contains, d[i], st)) out.add(i)
        for (const { e, ann } of subs) if (applies(e, d, st) && ann(d, out, st)) return true
        return false
      }
    },
    (get) => (d, out, st) => get()(d, out, st),
  )
}

/** The annotator of an entry; for `$dynamicRef`, the one the dynamic scope selects at run time. */
function pick<A extends (d: never, out: never, st: State) => boolean>(e: Entry, make: (l: Loc) => A): A {
  const fallback = make(e.sub)
  if (e.alts === undefined) return fallback
  const byUri = new Map(e.alts.map(([uri, l]) => [uri, make(l)]))
  return ((d: never, out: never, st: State) => {
    for (const uri of st.scope) {
      const a = byUri.get(uri)
      if (a !== undefined) return a(d, out, st)
    }
    return fallback(d, out, st)
  }) as A
}

function locOf(ctx: Ctx): Loc {
  return { node: ctx.node, base: ctx.base, ptr: ctx.ptr, draft: ctx.draft }
}

export const unevaluatedProperties: KeywordHandler = (ctx) => {
  const u = ctx.node.unevaluatedProperties
  const check = u === false ? null : ctx.c.sub(ctx, u, 'unevaluatedProperties')
  const loc = locOf(ctx)
  let ann: PropAnn | null = null
  return (d, st) => {
    if (!isObject(d)) return true
    ann ??= propAnnotator(ctx.c, loc, true)
    const seen = new Set<string>()
    if (ann(d, seen, st)) return true
    let ok = true
    const extra: string[] = []
    for (const k in d) {
      if (!hasOwn(d, k) || seen.has(k)) continue
      if (check === null) extra.push(k)
      else {
        st.path.push(k)
        const good = check(d[k], st)
        st.path.pop()
        if (!good) {
          ok = false
          if (st.stop) return false
        }
      }
    }
    if (extra.length > 0) return st.fail('unevaluatedProperties', () => msg.unevaluatedProperties(extra))
    return ok
  }
}

export const unevaluatedItems: KeywordHandler = (ctx) => {
  const u = ctx.node.unevaluatedItems
  const check = u === false ? null : ctx.c.sub(ctx, u, 'unevaluatedItems')
  const loc = locOf(ctx)
  let ann: ItemAnn | null = null
  return (d, st) => {
    if (!Array.isArray(d)) return true
    ann ??= itemAnnotator(ctx.c, loc, true)
    const seen = new Set<number>()
    if (ann(d, seen, st)) return true
    let ok = true
    for (let i = 0; i < d.length; i++) {
      if (seen.has(i)) continue
      if (check === null) return st.fail('unevaluatedItems', () => msg.unevaluatedItems(i), i)
      st.path.push(i)
      const good = check(d[i], st)
      st.path.pop()
      if (!good) {
        ok = false
        if (st.stop) return false
      }
    }
    return ok
  }
}
