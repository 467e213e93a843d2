/**
 * JSONPath as `$input.path`/`$input.json` use it (Jayway flavour): root `$`, `.name`, `['name']`, `*`, `[0]`,
 * `[-1]`, `[0,2]`, `[start:end:step]`, `..` recursive descent and filters `[?(@.x == 'y')]` with `== != < <= > >=
 * =~ && || !` and existence tests. A definite path (names and single indexes only) yields one value; any other
 * yields a list.
 */
import { charge } from './budget'
import { VtlError } from './errors'
import { javaMatches } from './patterns'
import { Dbl, isPlainObject, javaString } from './values'

type Seg =
  | { k: 'names'; names: string[] }
  | { k: 'wild' }
  | { k: 'index'; idx: number[] }
  | { k: 'slice'; start: number | null; end: number | null; step: number }
  | { k: 'desc'; seg: Seg }
  | { k: 'filter'; pred: Pred }

/** `re`: a Java pattern (with `(?i)` for the `i` flag), matched against the whole string. */
type Operand = { k: 'path'; root: '@' | '$'; segs: Seg[] } | { k: 'lit'; v: unknown } | { k: 're'; re: string }
type Pred =
  | { k: 'or' | 'and'; l: Pred; r: Pred }
  | { k: 'not'; p: Pred }
  | { k: 'cmp'; op: string; l: Operand; r: Operand }
  | { k: 'exists'; o: Operand }

export interface CompiledPath {
  segs: Seg[]
  definite: boolean
}

function bad(path: string, why: string): never {
  throw new VtlError('VTL_INVALID_JSONPATH', `invalid JSONPath ${JSON.stringify(path)}: ${why}`)
}

/** Filters nest (`[?(!(@.a[?(…)]))]`); a path may come from client input, so the nesting is bounded. */
const MAX_NESTING = 64

class PathParser {
  i = 0
  depth = 0
  constructor(readonly s: string) {}

  nest(): void {
    if (++this.depth > MAX_NESTING) bad(this.s, `nested deeper than ${MAX_NESTING}`)
  }

  ws(): void {
    while (this.s[this.i] === ' ') this.i++
  }

  name(): string {
    const m = /[^.[\]()\s=!<>&|,]+/y
    m.lastIndex = this.i
    const r = m.exec(this.s)
    if (!r) bad(this.s, `expected a name at ${this.i}`)
    this.i += r[0].length
    return r[0]
  }

  quoted(): string {
    const q = this.s[this.i]!
    let out = ''
    this.i++
    while (this.i < this.s.length && this.s[this.i] !== q) {
      if (this.s[this.i] === '\\' && this.i + 1 < this.s.length) this.i++
      out += this.s[this.i]
      this.i++
    }
    if (this.s[this.i] !== q) bad(this.s, 'unterminated quote')
    this.i++
    return out
  }

  int(): number | null {
    const m = /-?\d+/y
    m.lastIndex = this.i
    const r = m.exec(this.s)
    if (!r) return null
    this.i += r[0].length
    return Number(r[0])
  }

  segs(stop: (c: string | undefined) => boolean): Seg[] {
    const out: Seg[] = []
    while (this.i < this.s.length && !stop(this.s[this.i])) {
      const c = this.s[this.i]
      if (c === '.') {
        if (this.s[this.i + 1] === '.') {
          this.i += 2
          if (this.s[this.i] === '[') out.push({ k: 'desc', seg: this.bracket() })
          else if (this.s[this.i] === '*') {
            this.i++
            out.push({ k: 'desc', seg: { k: 'wild' } })
          } else out.push({ k: 'desc', seg: { k: 'names', names: [this.name()] } })
          continue
        }
        this.i++
        if (this.s[this.i] === '*') {
          this.i++
          out.push({ k: 'wild' })
        } else if (this.s[this.i] === '[') out.push(this.bracket())
        else out.push({ k: 'names', names: [this.name()] })
      } else if (c === '[') out.push(this.bracket())
      else bad(this.s, `unexpected '${c}' at ${this.i}`)
    }
    return out
  }

  bracket(): Seg {
    this.i++
    this.ws()
    const c = this.s[this.i]
    let seg: Seg
    if (c === '*') {
      this.i++
      seg = { k: 'wild' }
    } else if (c === "'" || c === '"') {
      const names = [this.quoted()]
      this.ws()
      while (this.s[this.i] === ',') {
        this.i++
        this.ws()
        if (this.s[this.i] !== "'" && this.s[this.i] !== '"') bad(this.s, 'expected a quoted name')
        names.push(this.quoted())
        this.ws()
      }
      seg = { k: 'names', names }
    } else if (c === '?') {
      this.i++
      this.ws()
      if (this.s[this.i] !== '(') bad(this.s, "expected '(' after '?'")
      this.i++
      this.nest()
      const pred = this.or()
      this.depth--
      this.ws()
      if (this.s[this.i] !== ')') bad(this.s, "expected ')' to close the filter")
      this.i++
      seg = { k: 'filter', pred }
    } else {
      const a = this.int()
      this.ws()
      if (this.s[this.i] === ':') {
        this.i++
        this.ws()
        const b = this.int()
        this.ws()
        let step = 1
        if (this.s[this.i] === ':') {
          this.i++
          step = this.int() ?? 1
          if (step === 0) bad(this.s, 'slice step cannot be 0')
        }
        seg = { k: 'slice', start: a, end: b, step }
      } else {
        if (a === null) bad(this.s, `unexpected '${this.s[this.i] ?? 'end'}' in brackets`)
        const idx = [a]
        while (this.s[this.i] === ',') {
          this.i++
          this.ws()
          const n = this.int()
          if (n === null) bad(this.s, 'expected an index')
          idx.push(n)
          this.ws()
        }
        seg = { k: 'index', idx }
      }
    }
    this.ws()
    if (this.s[this.i] !== ']') bad(this.s, "expected ']'")
    this.i++
    return seg
  }

  or(): Pred {
    let l = this.and()
    for (;;) {
      this.ws()
      if (!this.s.startsWith('||', this.i)) return l
      this.i += 2
      l = { k: 'or', l, r: this.and() }
    }
  }

  and(): Pred {
    let l = this.unary()
    for (;;) {
      this.ws()
      if (!this.s.startsWith('&&', this.i)) return l
      this.i += 2
      l = { k: 'and', l, r: this.unary() }
    }
  }

  unary(): Pred {
    this.ws()
    if (this.s[this.i] === '!' && this.s[this.i + 1] !== '=') {
      this.i++
      this.nest()
      const p = this.unary()
      this.depth--
      return { k: 'not', p }
    }
    if (this.s[this.i] === '(') {
      this.i++
      this.nest()
      const p = this.or()
      this.depth--
      this.ws()
      if (this.s[this.i] !== ')') bad(this.s, "expected ')'")
      this.i++
      return p
    }
    const l = this.operand()
    this.ws()
    const m = /==|!=|<=|>=|<|>|=~/y
    m.lastIndex = this.i
    const op = m.exec(this.s)
    if (!op) return { k: 'exists', o: l }
    this.i += op[0].length
    const r = this.operand()
    return { k: 'cmp', op: op[0], l, r }
  }

  operand(): Operand {
    this.ws()
    const c = this.s[this.i]
    if (c === '@' || c === '$') {
      this.i++
      const segs = this.segs((x) => x === ' ' || x === ')' || x === '=' || x === '!' || x === '<' || x === '>' || x === '&' || x === '|')
      return { k: 'path', root: c, segs }
    }
    if (c === "'" || c === '"') return { k: 'lit', v: this.quoted() }
    if (c === '/') {
      const e = this.s.indexOf('/', this.i + 1)
      if (e < 0) bad(this.s, 'unterminated regex')
      const src = this.s.slice(this.i + 1, e)
      this.i = e + 1
      const f = /[a-z]*/y
      f.lastIndex = this.i
      const flags = f.exec(this.s)![0]
      this.i += flags.length
      const re = flags.includes('i') ? `(?i)${src}` : src
      // Compiled now, so an invalid or non-linear pattern fails with the path (the compiled form is cached).
      javaMatches('', re)
      return { k: 're', re }
    }
    const num = /-?\d+(\.\d+)?([eE][+-]?\d+)?/y
    num.lastIndex = this.i
    const n = num.exec(this.s)
    if (n) {
      this.i += n[0].length
      return { k: 'lit', v: Number(n[0]) }
    }
    for (const [w, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.s.startsWith(w, this.i)) {
        this.i += w.length
        return { k: 'lit', v }
      }
    }
    bad(this.s, `unexpected '${c ?? 'end'}' in filter`)
  }
}

const cache = new Map<string, CompiledPath>()

/** Parses a JSONPath (cached: templates use the same literal paths on every request). */
export function compilePath(path: string): CompiledPath {
  const hit = cache.get(path)
  if (hit) return hit
  let s = path.trim()
  // Jayway treats a path without a root as relative to `$`.
  if (!s.startsWith('$')) s = s.startsWith('[') ? `$${s}` : `$.${s}`
  const p = new PathParser(s)
  p.i = 1
  const segs = p.segs(() => false)
  const definite = segs.every((g) => (g.k === 'names' && g.names.length === 1) || (g.k === 'index' && g.idx.length === 1))
  const c = { segs, definite }
  // Paths may come from client input: only short ones are cached, so the cache stays small (≤ 1,000 × 1 KB).
  if (path.length <= 1024) {
    if (cache.size >= 1000) cache.clear()
    cache.set(path, c)
  }
  return c
}

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
 * Evaluates a JSONPath against a parsed document. Definite paths give the value or undefined when absent;
 * others give a (JSON-printing) list of matches.
 */
export function evaluatePath(path: string, doc: unknown): unknown {
  const c = compilePath(path)
  if (c.segs.length === 0) return doc
  const r = evalSegs(c.segs, doc, doc)
  if (c.definite) return r.length ? r[0] : undefined
  return r
}
