/**
 * JSONPath syntax: root `$`, `.name`, `['name']`, `*`, `[0]`, `[-1]`, `[0,2]`, `[start:end:step]`, `..` recursive
 * descent and filters `[?(@.x == 'y')]` with `== != < <= > >= =~ && || !` and existence tests. Paths are parsed
 * once and cached; a path may come from client input, so nesting and the cache are bounded.
 */
import { VtlError } from '../errors'
import { javaMatches } from '../patterns'
import type { CompiledPath, Operand, Pred, Seg } from './syntax'

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
    for (const [w, v] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
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
