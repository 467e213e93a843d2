/**
 * References: `$name`, `$a.b.c`, `$a[i]`, `$a.m(…)` compiled to one closure per chain. Leading property names are
 * read in one closure; `$util.escapeJavaScript(x).replaceAll("\\'","'")` (AWS's documented idiom) is one pass.
 */
import type { Expr, Ref } from '../parse/ast'
import { built } from '../budget'
import { escapeJavaScriptKeepingQuotes, UTIL } from '../mapping/util'
import { getIndex, getPlainProp, getProp } from '../methods/properties'
import { str, type E } from '../runtime'
import type { Compilation } from './compilation'
import { compileMethodCall } from './method-call'

/** A reference as a closure returning its value (undefined when any step is null). */
export function compileReference(c: Compilation, r: Ref): E {
  const slot = c.slot(r.name)
  let e: E = (s) => s.slots[slot]
  // Leading property segments (`$item.sku`, `$context.identity.sourceIp`) are read in one closure.
  let k = 0
  while (k < r.chain.length && r.chain[k]!.k === 'prop') k++
  const getter = (p: string) => (p in Object.prototype ? getProp : getPlainProp)
  if (k === 1) {
    const p = (r.chain[0] as { name: string }).name
    const get = getter(p)
    e = (s) => {
      const o = s.slots[slot]
      return o === undefined || o === null ? undefined : get(o, p)
    }
  } else if (k > 1) {
    const props = r.chain.slice(0, k).map((g) => (g as { name: string }).name)
    const gets = props.map(getter)
    e = (s) => {
      let o = s.slots[slot]
      for (let i = 0; i < props.length; i++) {
        if (o === undefined || o === null) return undefined
        o = gets[i]!(o, props[i]!)
      }
      return o
    }
  }
  for (let j = k; j < r.chain.length; j++) {
    const seg = r.chain[j]!
    const prev = e
    if (j === 0 && r.name === 'util' && isQuoteKeepingEscape(r.chain)) {
      // `$util.escapeJavaScript(x).replaceAll("\\'","'")`, as AWS documents it: one pass when $util is $util.
      const both = compileMethodCall(
        c,
        compileMethodCall(c, prev, 'escapeJavaScript', (seg as { args: Expr[] }).args, (seg as { pos: number }).pos),
        'replaceAll',
        (r.chain[1] as { args: Expr[] }).args,
        (r.chain[1] as { pos: number }).pos,
      )
      const a0 = c.expr((seg as { args: Expr[] }).args[0]!)
      e = (s) => {
        if (s.slots[slot] !== UTIL) return both(s)
        const a = str(a0(s))
        if (typeof a !== 'string') return undefined
        try {
          return built(escapeJavaScriptKeepingQuotes(a))
        } catch (err) {
          return c.at(r.pos, err)
        }
      }
      j++
      continue
    }
    if (seg.k === 'prop') {
      const p = seg.name
      e = (s) => {
        const o = prev(s)
        if (o === undefined || o === null) return undefined
        return getProp(o, p)
      }
    } else if (seg.k === 'index') {
      const k = c.expr(seg.e)
      const pos = r.pos
      e = (s) => {
        const o = prev(s)
        if (o === undefined || o === null) return undefined
        try {
          return getIndex(o, k(s))
        } catch (err) {
          return c.at(pos, err)
        }
      }
    } else {
      e = compileMethodCall(c, prev, seg.name, seg.args, seg.pos)
    }
  }
  return e
}

/** `escapeJavaScript(<one argument>).replaceAll("\\'", "'")` with literal strings. */
function isQuoteKeepingEscape(chain: Ref['chain']): boolean {
  const [a, b] = chain
  if (!a || !b || a.k !== 'call' || b.k !== 'call' || a.name !== 'escapeJavaScript' || a.args.length !== 1) return false
  if (b.name !== 'replaceAll' || b.args.length !== 2) return false
  const [x, y] = b.args
  return x!.t === 'lit' && x!.v === "\\\\'" && y!.t === 'lit' && y!.v === "'"
}
