/**
 * Tree → closures. Each node becomes a function that appends to `state.out`; each expression a function that
 * returns a value. Nothing is re-parsed or looked up by node type while rendering.
 */
import type { Expr, Node, Ref } from './ast'
import { budgetError, built, charge, overBudget } from './budget'
import { closures, ifRenderer, sequencer, type Cond, type Part, type SimpleRef } from './codegen'
import { blockCost } from './cost'
import { VtlError, positionOf } from './errors'
import { getIndex, getPlainProp, getProp, methodFor, replaceLiteral, setProp } from './methods'
import { compilePattern, javaMatches, javaReplace, javaSplit, type Compiled } from './patterns'
import { BREAK, DefineBlock, ForeachScope, STOP, appendValue, str, type E, type R } from './runtime'
import { UTIL, UTIL_FUNCTIONS, escapeJavaScriptKeepingQuotes } from './util'
import {
  Dbl,
  add,
  compare,
  div,
  isPlainObject,
  markJavaList,
  mod,
  mul,
  sub,
  truthy,
  vEquals,
} from './values'

export interface CompileOptions {
  /** Generate a sequencer function per block (`new Function`); false runs closures only. */
  codegen: boolean
}

const MAX_RANGE = 1_000_000

interface Macro {
  /** Slots of the parameters. */
  params: number[]
  body: R
  /** Static cost of one call of the body (charged per call). */
  cost: number
}

export class Compiler {
  /** Variable names by slot. */
  readonly names: string[] = []
  private readonly slotIndex = new Map<string, number>()

  slot(name: string): number {
    let i = this.slotIndex.get(name)
    if (i === undefined) {
      i = this.names.length
      this.names.push(name)
      this.slotIndex.set(name, i)
    }
    return i
  }

  readonly macros = new Map<string, Macro>()
  private readonly pendingMacros: { name: string; params: string[]; body: Node[] }[] = []

  constructor(
    readonly source: string,
    readonly options: CompileOptions,
  ) {}

  private at(pos: number, e: unknown): never {
    if (e === BREAK || e === STOP) throw e
    if (e instanceof VtlError) {
      if (e.line !== undefined) throw e
      const { line, column } = positionOf(this.source, pos)
      throw new VtlError(e.code, e.message, line, column)
    }
    const { line, column } = positionOf(this.source, pos)
    throw new VtlError('VTL_RUNTIME', e instanceof Error ? e.message : String(e), line, column)
  }

  compileTemplate(nodes: Node[]): R {
    this.hoist(nodes)
    const body = this.block(nodes)
    for (const m of this.pendingMacros) {
      const macro = this.macros.get(m.name)!
      macro.body = this.block(m.body)
      macro.cost = blockCost(m.body) + 1
    }
    return body
  }

  /** Velocity registers macros while parsing, so a macro can be called above its definition. */
  private hoist(nodes: Node[]): void {
    for (const n of nodes) {
      if (n.t === 'macro') {
        this.macros.set(n.name, { params: n.params.map((p) => this.slot(p)), body: () => {}, cost: 1 })
        this.pendingMacros.push(n)
        this.hoist(n.body)
      } else if (n.t === 'if') {
        for (const b of n.branches) this.hoist(b.body)
        if (n.otherwise) this.hoist(n.otherwise)
      } else if (n.t === 'foreach' || n.t === 'define') this.hoist(n.body)
    }
  }

  block(nodes: Node[]): R {
    return this.render(this.parts(nodes))
  }

  /** A block's parts: adjacent text merged; with code generation on, `#if`s stay parts so they can be inlined. */
  private parts(nodes: Node[]): Part[] {
    const parts: Part[] = []
    for (const n of nodes) {
      if (n.t === 'text') {
        const last = parts[parts.length - 1]
        if (last && last.k === 'text') last.v += n.v
        else parts.push({ k: 'text', v: n.v })
      } else if (n.t === 'ref') parts.push({ k: 'ref', e: this.ref(n.ref), simple: this.simpleRef(n.ref) })
      else if (n.t === 'if' && this.options.codegen) {
        parts.push({
          k: 'if',
          conds: n.branches.map((b): Cond => ({ e: this.expr(b.cond), simple: b.cond.t === 'ref' ? this.simpleRef(b.cond) : undefined })),
          bodies: n.branches.map((b) => this.parts(b.body)),
          otherwise: n.otherwise ? this.parts(n.otherwise) : null,
        })
      } else {
        const r = this.node(n)
        if (r) parts.push({ k: 'node', r })
      }
    }
    return parts
  }

  /** One generated sequencer when allowed and worth it (anything beyond a lone text or directive), else closures. */
  private render(parts: Part[]): R {
    if (this.options.codegen && (parts.length > 1 || (parts.length === 1 && (parts[0]!.k === 'ref' || parts[0]!.k === 'if')))) {
      const gen = sequencer(parts)
      if (gen) return gen
    }
    return closures(parts)
  }

  /** The inline-readable form of a reference made of a variable and property names only. */
  private simpleRef(r: Ref): SimpleRef | undefined {
    if (!r.chain.every((g) => g.k === 'prop')) return undefined
    const props = r.chain.map((g) => (g as { name: string }).name)
    const first = props[0]
    const loop =
      r.name === 'foreach' && (first === 'index' || first === 'count' || first === 'hasNext' || first === 'first' || first === 'last')
        ? first
        : undefined
    return { slot: this.slot(r.name), props, plain: props.map((p) => !(p in Object.prototype)), ...(loop ? { loop } : {}) }
  }

  node(n: Node): R | null {
    switch (n.t) {
      case 'text': {
        const v = n.v
        return (s) => {
          s.out += v
        }
      }
      case 'ref': {
        const e = this.ref(n.ref)
        return (s) => appendValue(e(s), s)
      }
      case 'escref': {
        const e = this.ref(n.ref)
        const half = '\\'.repeat(n.n >> 1)
        const all = '\\'.repeat(n.n) + n.ref.raw
        const lit = half + n.ref.raw
        return (s) => {
          const v = e(s)
          s.out += v === undefined || v === null ? all : lit
        }
      }
      case 'set':
        return this.set(n.target, this.expr(n.value), n.pos)
      case 'if':
        return ifRenderer(
          n.branches.map((b) => this.expr(b.cond)),
          n.branches.map((b) => this.block(b.body)),
          n.otherwise ? this.block(n.otherwise) : null,
        )
      case 'foreach':
        return this.foreach(n.name, this.expr(n.iter), this.block(n.body), n.pos, blockCost(n.body) + 1)
      case 'break':
        return () => {
          throw BREAK
        }
      case 'stop':
        return () => {
          throw STOP
        }
      case 'macro':
        return null
      case 'define': {
        const body = this.block(n.body)
        const slot = this.slot(n.name)
        const cost = blockCost(n.body) + 1
        return (s) => {
          s.slots[slot] = new DefineBlock(body, s, cost)
        }
      }
      case 'call':
        return this.macroCall(n.name, n.args.map((a) => this.expr(a)), n.raw, n.pos)
    }
  }

  private macroCall(name: string, args: E[], raw: string, pos: number): R {
    const macros = this.macros
    return (s) => {
      const m = macros.get(name)
      if (!m) {
        // An unknown macro prints as written, as Velocity does.
        s.out += raw
        return
      }
      if (s.depth >= s.maxDepth) this.at(pos, budgetError('depth', s.maxDepth))
      if ((s.steps += m.cost) > s.maxSteps) this.at(pos, budgetError('steps', s.maxSteps))
      if (s.out.length > s.maxOut) this.at(pos, budgetError('output', s.maxOut))
      // Arguments are evaluated first, then bound for the body's duration and restored afterwards.
      const params = m.params
      const vals = new Array<unknown>(params.length)
      for (let i = 0; i < params.length; i++) {
        const v = i < args.length ? args[i]!(s) : undefined
        vals[i] = v === undefined ? null : v
      }
      const saved = new Array<unknown>(params.length)
      for (let i = 0; i < params.length; i++) {
        saved[i] = s.slots[params[i]!]
        s.slots[params[i]!] = vals[i]
      }
      s.depth++
      try {
        m.body(s)
      } catch (e) {
        if (e !== BREAK) throw e
      } finally {
        for (let i = params.length - 1; i >= 0; i--) s.slots[params[i]!] = saved[i]
        s.depth--
      }
    }
  }

  private foreach(name: string, iter: E, body: R, pos: number, cost: number): R {
    const v = this.slot(name)
    const f = this.slot('foreach')
    const c = this.slot('velocityCount')
    return (s) => {
      const it = iter(s)
      let items: unknown[]
      if (Array.isArray(it)) items = it
      // Only the values the loop can reach (and one more, for `hasNext`) are copied: a payload map may be large.
      else if (it instanceof Map || isPlainObject(it)) items = firstValues(it, s.maxLoops + 1)
      else return
      const slots = s.slots
      const prevItem = slots[v]
      const prevScope = slots[f]
      const prevCount = slots[c]
      const scope = new ForeachScope(prevScope)
      slots[f] = scope
      const n = Math.min(items.length, s.maxLoops)
      try {
        for (let i = 0; i < n; i++) {
          // One budget per render: each iteration pays for its body, and the output is checked as it grows.
          if ((s.steps += cost) > s.maxSteps) overBudget('steps', s.maxSteps)
          if (s.out.length > s.maxOut) overBudget('output', s.maxOut)
          scope.index = i
          scope.hasNext = i < items.length - 1
          const x = items[i]
          slots[v] = x === undefined ? null : x
          slots[c] = i + 1
          body(s)
        }
      } catch (e) {
        if (e !== BREAK) {
          if (e === STOP) throw e
          this.at(pos, e)
        }
      } finally {
        // Velocity restores the loop variable and counters when the loop ends.
        slots[v] = prevItem
        slots[f] = prevScope
        slots[c] = prevCount
      }
    }
  }

  private set(target: Ref, value: E, pos: number): R {
    if (target.chain.length === 0) {
      const slot = this.slot(target.name)
      return (s) => {
        const v = value(s)
        // Velocity 1.7 leaves the left side unchanged when the right side is null.
        if (v === undefined || v === null) return
        s.slots[slot] = v
      }
    }
    const last = target.chain[target.chain.length - 1]!
    const base = this.ref({ ...target, chain: target.chain.slice(0, -1) })
    const key: E = last.k === 'prop' ? ((n) => () => n)(last.name) : last.k === 'index' ? this.expr(last.e) : () => undefined
    return (s) => {
      const v = value(s)
      if (v === undefined || v === null) return
      try {
        setProp(base(s), key(s), v)
      } catch (e) {
        this.at(pos, e)
      }
    }
  }

  ref(r: Ref): E {
    const slot = this.slot(r.name)
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
      if (j === 0 && r.name === 'util' && this.isQuoteKeepingEscape(r.chain)) {
        // `$util.escapeJavaScript(x).replaceAll("\\'","'")`, as AWS documents it: one pass when $util is $util.
        const both = this.call(this.call(prev, 'escapeJavaScript', (seg as { args: Expr[] }).args, (seg as { pos: number }).pos), 'replaceAll', (r.chain[1] as { args: Expr[] }).args, (r.chain[1] as { pos: number }).pos)
        const a0 = this.expr((seg as { args: Expr[] }).args[0]!)
        e = (s) => {
          if (s.slots[slot] !== UTIL) return both(s)
          const a = str(a0(s))
          if (typeof a !== 'string') return undefined
          try {
            return built(escapeJavaScriptKeepingQuotes(a))
          } catch (err) {
            return this.at(r.pos, err)
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
        const k = this.expr(seg.e)
        const pos = r.pos
        e = (s) => {
          const o = prev(s)
          if (o === undefined || o === null) return undefined
          try {
            return getIndex(o, k(s))
          } catch (err) {
            return this.at(pos, err)
          }
        }
      } else {
        e = this.call(prev, seg.name, seg.args, seg.pos)
      }
    }
    return e
  }

  /** `escapeJavaScript(<one argument>).replaceAll("\\'", "'")` with literal strings. */
  private isQuoteKeepingEscape(chain: Ref['chain']): boolean {
    const [a, b] = chain
    if (!a || !b || a.k !== 'call' || b.k !== 'call' || a.name !== 'escapeJavaScript' || a.args.length !== 1) return false
    if (b.name !== 'replaceAll' || b.args.length !== 2) return false
    const [x, y] = b.args
    return x!.t === 'lit' && x!.v === "\\\\'" && y!.t === 'lit' && y!.v === "'"
  }

  /** A method call site, specialised by argument count (and for `replaceAll` with literal arguments). */
  private call(prev: E, m: string, argExprs: Expr[], pos: number): E {
    const args = argExprs.map((a) => this.expr(a))
    const fail = (err: unknown) => this.at(pos, err)
    const method = methodFor(m)
    const lit = (x: Expr | undefined) => (x && x.t === 'lit' && typeof x.v === 'string' ? x.v : undefined)
    if ((m === 'replaceAll' || m === 'replace') && argExprs.length === 2) {
      const a = lit(argExprs[0])
      const b = lit(argExprs[1])
      const fast = a !== undefined && b !== undefined ? literalReplacer(m, a, b) : undefined
      if (fast) {
        return (s) => {
          const o = prev(s)
          if (typeof o === 'string') {
            try {
              return fast(o)
            } catch (err) {
              return fail(err)
            }
          }
          if (o === undefined || o === null) return undefined
          try {
            return method(o instanceof DefineBlock ? o.toString() : o, [a, b])
          } catch (err) {
            return fail(err)
          }
        }
      }
    }
    const invoke = (o: unknown, vals: unknown[]) => {
      try {
        return method(o instanceof DefineBlock ? o.toString() : o, vals)
      } catch (err) {
        return fail(err)
      }
    }
    const pattern = PATTERN_METHODS.has(m) ? lit(argExprs[0]) : undefined
    if (pattern !== undefined) {
      const site = patternCall(prev, m, pattern, args, invoke, fail)
      if (site) return site
    }
    if (args.length === 0) {
      return (s) => {
        const o = prev(s)
        if (o === undefined || o === null) return undefined
        return invoke(o, [])
      }
    }
    if (args.length === 1) {
      const a0 = args[0]!
      const util = UTIL_FUNCTIONS.get(m)
      if (util !== undefined) {
        // `$util.<function>(x)`: called directly when the target is API Gateway's $util.
        return (s) => {
          const o = prev(s)
          if (o === UTIL) {
            const a = str(a0(s))
            if (typeof a !== 'string') return undefined
            try {
              return util(a)
            } catch (err) {
              return fail(err)
            }
          }
          if (o === undefined || o === null) return undefined
          return invoke(o, [str(a0(s))])
        }
      }
      return (s) => {
        const o = prev(s)
        if (o === undefined || o === null) return undefined
        return invoke(o, [str(a0(s))])
      }
    }
    const n = args.length
    return (s) => {
      const o = prev(s)
      if (o === undefined || o === null) return undefined
      const vals = new Array<unknown>(n)
      for (let i = 0; i < n; i++) vals[i] = str(args[i]!(s))
      return invoke(o, vals)
    }
  }

  expr(x: Expr): E {
    switch (x.t) {
      case 'ref':
        return this.ref(x)
      case 'lit': {
        const v = x.v
        return () => v
      }
      case 'str': {
        const body = this.block(x.parts)
        return (s) => {
          const saved = s.out
          s.out = ''
          try {
            body(s)
            // An interpolated string is a built string (`"$s$s"` doubles like `concat`).
            return built(s.out)
          } finally {
            s.out = saved
          }
        }
      }
      case 'list': {
        const items = x.items.map((i) => this.expr(i))
        return (s) => markJavaList(items.map((i) => i(s)))
      }
      case 'map': {
        const entries = x.entries.map(([k, v]) => [this.expr(k), this.expr(v)] as const)
        return (s) => {
          const m = new Map<unknown, unknown>()
          for (const [k, v] of entries) m.set(k(s), v(s))
          return m
        }
      }
      case 'range': {
        const from = this.expr(x.from)
        const to = this.expr(x.to)
        const pos = x.pos
        return (s) => {
          const a = toInt(from(s))
          const b = toInt(to(s))
          if (a === undefined || b === undefined) return undefined
          if (Math.abs(b - a) >= MAX_RANGE) this.at(pos, new VtlError('VTL_RUNTIME', `range [${a}..${b}] is too large`))
          // Each item is made: a range costs its length.
          try {
            charge(Math.abs(b - a) + 1)
          } catch (err) {
            this.at(pos, err)
          }
          const out: number[] = markJavaList([])
          if (a <= b) for (let i = a; i <= b; i++) out.push(i)
          else for (let i = a; i >= b; i--) out.push(i)
          return out
        }
      }
      case 'not': {
        const e = this.expr(x.e)
        return (s) => !truthy(e(s))
      }
      case 'bin':
        return this.binary(x.op, this.expr(x.l), this.expr(x.r))
    }
  }

  private binary(op: string, l: E, r: E): E {
    switch (op) {
      case '||':
        return (s) => truthy(l(s)) || truthy(r(s))
      case '&&':
        return (s) => truthy(l(s)) && truthy(r(s))
      case '==':
        return (s) => vEquals(str(l(s)), str(r(s)))
      case '!=':
        return (s) => !vEquals(str(l(s)), str(r(s)))
      case '<':
        return (s) => compare(l(s), r(s)) === -1
      case '<=':
        return (s) => {
          const c = compare(l(s), r(s))
          return c === -1 || c === 0
        }
      case '>':
        return (s) => compare(l(s), r(s)) === 1
      case '>=':
        return (s) => {
          const c = compare(l(s), r(s))
          return c === 1 || c === 0
        }
      case '+':
        return (s) => add(str(l(s)), str(r(s)))
      case '-':
        return (s) => sub(l(s), r(s))
      case '*':
        return (s) => mul(l(s), r(s))
      case '/':
        return (s) => div(l(s), r(s))
      default:
        return (s) => mod(l(s), r(s))
    }
  }
}

const PATTERN_METHODS = new Set(['matches', 'replaceAll', 'replaceFirst', 'split'])

/**
 * `matches`/`replaceAll`/`replaceFirst`/`split` with a literal pattern: the pattern is compiled with the template,
 * so a render neither compiles nor looks it up (nor pays for compiling). An invalid pattern takes the general path,
 * which fails when the call runs, as Java would.
 */
function patternCall(
  prev: E,
  m: string,
  pattern: string,
  args: E[],
  invoke: (o: unknown, vals: unknown[]) => unknown,
  fail: (err: unknown) => never,
): E | undefined {
  let c: Compiled
  try {
    c = compilePattern(pattern)
  } catch {
    return undefined
  }
  const n = args.length
  if (m === 'matches' ? n !== 1 : m === 'split' ? n !== 1 && n !== 2 : n !== 2) return undefined
  return (s) => {
    const target = prev(s)
    if (target === undefined || target === null) return undefined
    const o = str(target)
    const vals = new Array<unknown>(n)
    for (let i = 0; i < n; i++) vals[i] = str(args[i]!(s))
    if (typeof o !== 'string') return invoke(o, vals)
    try {
      if (m === 'matches') return javaMatches(o, c)
      if (m === 'split') {
        const limit = n === 2 && typeof vals[1] === 'number' && Number.isInteger(vals[1]) ? vals[1] : 0
        return markJavaList(javaSplit(o, c, limit))
      }
      const repl = vals[1]
      return typeof repl === 'string' ? javaReplace(o, c, repl, m === 'replaceAll') : undefined
    } catch (err) {
      return fail(err)
    }
  }
}

/**
 * `replaceAll`/`replace` with literal arguments on a string, when the pattern is plain text (as AWS's documented
 * `\\'` is): a substring test and a native replace instead of a regex search. Undefined when the general path is
 * needed (a real pattern, or a replacement with `$` or `\`). Both charge the render's budget.
 */
function literalReplacer(m: string, a: string, b: string): ((s: string) => string) | undefined {
  if (m === 'replace') return (s) => replaceLiteral(s, a, b)
  if (b.includes('$') || b.includes('\\')) return undefined
  const plain = literalPattern(a)
  if (plain !== undefined && plain !== '') return (s) => replaceLiteral(s, plain, b)
  return undefined
}

/** The text a Java regex matches when it is a plain string (letters, digits, escaped punctuation); else undefined. */
function literalPattern(p: string): string | undefined {
  let out = ''
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!
    if (c === '\\') {
      const d = p[i + 1]
      // `\x` for a letter or digit is a class or back-reference in Java; only escaped punctuation is literal.
      if (d === undefined || /[0-9A-Za-z]/.test(d)) return undefined
      out += d
      i++
    } else if ('^$.|?*+()[]{}'.includes(c)) return undefined
    else out += c
  }
  return out
}

/** The first `max` values of a map, in order. */
function firstValues(m: Map<unknown, unknown> | Record<string, unknown>, max: number): unknown[] {
  const out: unknown[] = []
  if (m instanceof Map) {
    for (const v of m.values()) {
      if (out.length >= max) break
      out.push(v)
    }
  } else {
    for (const k in m) {
      if (out.length >= max) break
      if (Object.prototype.hasOwnProperty.call(m, k)) out.push(m[k])
    }
  }
  return out
}

function toInt(v: unknown): number | undefined {
  if (typeof v === 'number') return Math.trunc(v)
  if (v instanceof Dbl) return Math.trunc(v.v)
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return Number(v.trim())
  return undefined
}
