/**
 * JSONPath evaluation against a parsed document: each segment maps the current matches to the next ones, every
 * element touched charged to the render's budget; recursive descent walks with an explicit stack.
 */
import { charge } from '../budget'
import { javaMatches } from '../patterns'
import { Dbl, isPlainObject } from '../values/model'
import { javaString } from '../values/print'
import { compilePath } from './parse'
import type { Operand, Pred, Seg } from './syntax'

function isObj(v: unknown): v is Map<unknown, unknown> | Record<string, unknown> {
  return v instanceof Map || isPlainObject(v)
}

function child(v: unknown, name: string): { ok: boolean; v: unknown } {
  if (v instanceof Map) return v.has(name) ? { ok: true, v: v.get(name) } : { ok: false, v: undefined }
  if (isPlainObject(v)) return Object.prototype.hasOwnProperty.call(v, name) ? { ok: true, v: v[name] } : { ok: false, v: undefined }
  return { ok: false, v: undefined }
}

/** Appends the children of a list or map (no spread: a payload list can be longer than the call stack allows). */
function pushChildren(v: unknown, out: unknown[]): void {
  if (Array.isArray(v)) {
    charge(v.length)
    for (let i = 0; i < v.length; i++) out.push(v[i])
  } else if (v instanceof Map) {
    charge(v.size)
    for (const x of v.values()) out.push(x)
  } else if (isPlainObject(v)) {
    for (const k in v) {
      if (!Object.prototype.hasOwnProperty.call(v, k)) continue
      charge(1)
      out.push(v[k])
    }
  }
}

function children(v: unknown): unknown[] {
  const out: unknown[] = []
  pushChildren(v, out)
  return out
}

function step(seg: Seg, v: unknown, out: unknown[], root: unknown): void {
  switch (seg.k) {
    case 'names':
      for (const n of seg.names) {
        const c = child(v, n)
        if (c.ok) out.push(c.v)
      }
      return
    case 'wild':
      pushChildren(v, out)
      return
    case 'index':
      if (!Array.isArray(v)) return
      for (const i of seg.idx) {
        const j = i < 0 ? v.length + i : i
        if (j >= 0 && j < v.length) out.push(v[j])
      }
      return
    case 'slice': {
      if (!Array.isArray(v)) return
      const len = v.length
      const norm = (x: number) => (x < 0 ? Math.max(0, len + x) : Math.min(len, x))
      if (seg.step > 0) {
        const a = seg.start === null ? 0 : norm(seg.start)
        const b = seg.end === null ? len : norm(seg.end)
        charge(Math.max(0, Math.ceil((b - a) / seg.step)))
        for (let i = a; i < b; i += seg.step) out.push(v[i])
      } else {
        const a = seg.start === null ? len - 1 : Math.min(len - 1, seg.start < 0 ? len + seg.start : seg.start)
        const b = seg.end === null ? -1 : seg.end < 0 ? len + seg.end : seg.end
        charge(Math.max(0, Math.ceil((a - b) / -seg.step)))
        // biome-ignore lint/correctness/useValidForDirection: seg.step is negative here
        for (let i = a; i > b; i += seg.step) out.push(v[i])
      }
      return
    }
    case 'desc': {
      // Pre-order walk with an explicit stack: a deep document cannot overflow the call stack.
      const stack: unknown[] = [v]
      while (stack.length > 0) {
        const x = stack.pop()
        charge(1)
        step(seg.seg, x, out, root)
        const kids = children(x)
        for (let i = kids.length - 1; i >= 0; i--) {
          const c = kids[i]
          if (Array.isArray(c) || isObj(c)) stack.push(c)
        }
      }
      return
    }
    case 'filter':
      for (const c of children(v)) if (test(seg.pred, c, root)) out.push(c)
      return
  }
}

function evalSegs(segs: Seg[], start: unknown, root: unknown): unknown[] {
  let cur = [start]
  for (const seg of segs) {
    if (cur.length > 1) charge(cur.length)
    const next: unknown[] = []
    for (const v of cur) step(seg, v, next, root)
    cur = next
  }
  return cur
}

function operandValues(o: Operand, at: unknown, root: unknown): { found: boolean; v: unknown } {
  if (o.k === 'lit') return { found: true, v: o.v }
  if (o.k === 're') return { found: true, v: o.re }
  const r = evalSegs(o.segs, o.root === '@' ? at : root, root)
  if (r.length === 0) return { found: false, v: undefined }
  return { found: true, v: r.length === 1 ? r[0] : r }
}

function plain(v: unknown): unknown {
  return v instanceof Dbl ? v.v : v
}

function test(p: Pred, at: unknown, root: unknown): boolean {
  switch (p.k) {
    case 'or':
      return test(p.l, at, root) || test(p.r, at, root)
    case 'and':
      return test(p.l, at, root) && test(p.r, at, root)
    case 'not':
      return !test(p.p, at, root)
    case 'exists':
      return operandValues(p.o, at, root).found
    case 'cmp': {
      const l = operandValues(p.l, at, root)
      const r = operandValues(p.r, at, root)
      if (!l.found || !r.found) return p.op === '!=' && l.found !== r.found
      const a = plain(l.v)
      const b = plain(r.v)
      switch (p.op) {
        case '==':
          return a === b || (a !== null && b !== null && typeof a === 'object' && javaString(a) === javaString(b))
        case '!=':
          return a !== b
        case '=~':
          return p.r.k === 're' && typeof a === 'string' && javaMatches(a, b as string)
        default: {
          if (typeof a === 'number' && typeof b === 'number') {
            return p.op === '<' ? a < b : p.op === '<=' ? a <= b : p.op === '>' ? a > b : a >= b
          }
          if (typeof a === 'string' && typeof b === 'string') {
            return p.op === '<' ? a < b : p.op === '<=' ? a <= b : p.op === '>' ? a > b : a >= b
          }
          return false
        }
      }
    }
  }
}

/**
 * Evaluates a JSONPath against a parsed document, as `$input.path` does (and `integration.response.body.*`
 * mappings). Definite paths give the value or undefined when absent; others give a (JSON-printing) list of matches.
 *
 * @throws VtlError `VTL_INVALID_JSONPATH` when the path does not parse.
 * @example
 * ```ts
 * const doc = { pets: [{ name: 'Rex', price: 12 }, { name: 'Tom', price: 30 }] }
 * evaluatePath('$.pets[0].name', doc) // 'Rex'
 * evaluatePath('$.pets[?(@.price > 20)].name', doc) // ['Tom']
 * ```
 */
export function evaluatePath(path: string, doc: unknown): unknown {
  const c = compilePath(path)
  if (c.segs.length === 0) return doc
  const r = evalSegs(c.segs, doc, doc)
  if (c.definite) return r.length ? r[0] : undefined
  return r
}
