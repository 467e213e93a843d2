/**
 * The code generator: inlines schema nodes into one function per root / recursive `$ref` target, with the
 * same State protocol as the closures, which remain the fallback for keywords the generator does not cover.
 */
import type { Compiler } from '../compiler'
import { hasDuplicates, deepEqual } from '../equal'
import { LazyValidationError } from '../error'
import { codePoints, hasOwn, keyCount } from '../instance'
import { compilePattern } from '../pattern'
import { patternFunction } from '../pattern-code'
import { jsonType, msg, renderHole, show, snap, TEMPLATES, type Template } from '../messages'
import type { Registry } from '../registry'
import type { Check, State } from '../state'
import { escapeToken, own, toPointer } from '../uri'
import type { Arg, Frame, KeywordGen, MessageName, Scope } from './context'
import { pathPush, pointerText, str, suffixExpr, type Seg } from './emit'
import { genKeywords } from './keywords'

/** Keywords the generator leaves to the closure compiler (their node is compiled as a closure). */
const CLOSURE_ONLY = ['unevaluatedProperties', 'unevaluatedItems', '$dynamicRef', '$dynamicAnchor', '$recursiveRef']

const MAX_SOURCE = 400_000
const INLINE_NODES = 40
/** Array indices whose instance paths a failure site keeps (see Gen.suffix). */
const PATH_CACHE = 64

/** Runtime helpers the generated code calls as `R.x`. */
export const RUNTIME = {
  E: LazyValidationError,
  p(st: State, suffix: string): string {
    return st.path.length === 0 ? suffix : toPointer(st.path) + suffix
  },
  /** An instance path `head + i + tail`, kept in `cache` for the first {@link PATH_CACHE} indices. */
  ip(cache: string[], head: string, i: number, tail: string): string {
    const p = head + i + tail
    if (i < PATH_CACHE) cache[i] = p
    return p
  },
  snap,
  show,
  jt: jsonType,
  e: escapeToken,
  h: hasOwn,
  kc: keyCount,
  cp: codePoints,
  dup: hasDuplicates,
  eq: deepEqual,
  inEnum(values: unknown[], d: unknown): boolean {
    for (let i = 0; i < values.length; i++) if (deepEqual(values[i], d)) return true
    return false
  },
  missing(d: Record<string, unknown>, names: string[]): string[] {
    return names.filter((n) => !hasOwn(d, n))
  },
}

/** The code generator of one `compileSchema` call; keyword generators see it as a {@link KeywordGen}. */
export class Gen implements KeywordGen {
  readonly K: unknown[] = []
  private n = 0
  private readonly fns: string[] = []
  private readonly fnNames = new Map<unknown, Map<string, string>>()
  private inlining = new Set<unknown>()
  /** Names of the generated message formatters, by body. */
  private readonly formatters = new Map<string, string>()
  /** Names of the per-index caches of instance paths, by their text around the index. */
  private readonly pathCaches = new Map<string, string>()
  /** Names of the generated functions of simple patterns, by source. */
  private readonly patterns = new Map<string, string>()
  size = 0

  constructor(
    readonly compiler: Compiler,
    readonly registry: Registry,
    readonly allErrors: boolean,
  ) {}

  id(prefix: string): string {
    return `${prefix}${this.n++}`
  }

  /** Reference a constant from generated code. */
  k(value: unknown): string {
    this.K.push(value)
    return `K[${this.K.length - 1}]`
  }

  /** Code reporting a failure of `kw` with message `m`, then leaving per the mode. */
  fail(s: Scope, kw: string, m: MessageName, args: Arg[] = [], extra?: Seg): string {
    return `{ ${this.failed(s, this.report(this.error(this.where(s, extra), kw, m, args)))} }`
  }

  /** Expression for the instance path of a failure at `s` (plus `extra`). */
  where(s: Scope, extra?: Seg): string {
    const path = extra === undefined ? s.path : [...s.path, extra]
    // Only the root function runs loud, and always with an empty `st.path`: the local path is the whole path.
    return s.mode === 'loud' ? this.suffix(path) : `R.p(st, ${this.suffix(path)})`
  }

  /**
   * Expression for the pointer suffix of `segs`. With one array index among literal segments (`/items/3/qty`),
   * the strings are kept per index, per site: building one takes two string concatenations, the larger part of
   * what a failure deep in an array cost (strings are immutable, so sharing one is not observable).
   */
  private suffix(segs: readonly Seg[]): string {
    const at = segs.findIndex((x) => !('raw' in x))
    if (at < 0 || !('index' in segs[at]!) || segs.slice(at + 1).some((x) => !('raw' in x))) return suffixExpr(segs)
    const head = `${pointerText(segs.slice(0, at))}/`
    const tail = pointerText(segs.slice(at + 1))
    const key = `${head}\u0000${tail}`
    let cache = this.pathCaches.get(key)
    if (cache === undefined) {
      cache = this.id('C')
      this.pathCaches.set(key, cache)
      this.fns.push(`const ${cache} = [];`)
    }
    const i = (segs[at] as { index: string }).index
    return `(${cache}[${i}] ?? R.ip(${cache}, ${str(head)}, ${i}, ${str(tail)}))`
  }

  /** Statement appending error expression `e` to the errors (inline: a helper call costs more here). */
  report(e: string): string {
    return `{ const e = ${e}; if (st.errs === null) st.errs = [e]; else st.errs.push(e); }`
  }

  /**
   * Expression building the error object: one constructor call of a fixed shape. A message takes at most one
   * run-time argument; the error keeps it with this site's formatter, and the text is formatted when `message`
   * is first read. A message without run-time arguments is rendered now, once.
   */
  error(where: string, kw: string, m: MessageName, args: Arg[]): string {
    const at = args.findIndex((a) => typeof a === 'string')
    if (at < 0) {
      const text = (msg[m] as (...a: unknown[]) => string)(...args.map((a) => (a as { c: unknown }).c))
      return `new R.E(${where}, ${str(kw)}, null, ${str(text)})`
    }
    if (args.some((a, i) => i !== at && typeof a === 'string')) throw new Error(`message ${m} takes one run-time argument`)
    return `new R.E(${where}, ${str(kw)}, ${this.formatter(m, args, at)}, ${args[at] as string})`
  }

  /**
   * Name of a generated function `(v) => message` for message `m` whose argument `at` is `v` and the others
   * schema constants: the template's text and constants rendered now, `v` concatenated in (as fast as the
   * messages were when built eagerly). Identical formatters are generated once.
   */
  private formatter(m: MessageName, args: Arg[], at: number): string {
    const t = (TEMPLATES as Record<string, Template>)[m]
    let body: string
    if (t === undefined) {
      // Messages written as code (format): call it with the constants.
      const call = args.map((a, i) => (i === at ? 'v' : this.k((a as { c: unknown }).c)))
      body = `return M[${str(m)}](${call.join(', ')});`
    } else {
      const parts: string[] = []
      let lit = ''
      for (const p of t) {
        if (typeof p === 'string') {
          lit += p
          continue
        }
        const i = 'show' in p ? p.show : 'text' in p ? p.text : p.length
        if (i !== at) {
          lit += renderHole(p, (args[i] as { c: unknown }).c)
          continue
        }
        if (lit !== '') parts.push(str(lit))
        lit = ''
        parts.push('show' in p ? 'R.show(v)' : 'text' in p ? '("" + v)' : '("" + R.cp(v))')
      }
      if (lit !== '' || parts.length === 0) parts.push(str(lit))
      body = `return ${parts.join(' + ')};`
    }
    let name = this.formatters.get(body)
    if (name === undefined) {
      name = this.id('M')
      this.formatters.set(body, name)
      this.fns.push(`function ${name}(v) { ${body} }`)
    }
    return name
  }

  /** Code after a failure already reported (or not to be reported): mark invalid, maybe break. */
  failed(s: Scope, report = ''): string {
    switch (s.mode) {
      case 'quiet':
        return `${s.valid} = false; break ${s.label};`
      case 'loud':
        return `${report} ${s.valid} = false;${this.allErrors ? '' : ` break ${s.label};`}`
      case 'dyn':
        return `${report ? `if (st.quiet === 0) ${report}` : ''} ${s.valid} = false; if (st.stop) break ${s.label};`
    }
  }

  /** Code validating `s.data` against `f.node`, failing through `s`. */
  schema(s: Scope, f: Frame): string {
    const node = f.node
    if (node === true && f.draft !== 4) return ''
    if (node === false && f.draft !== 4) return this.fail(s, 'false', 'falseSchema')
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return this.closure(s, f)
    const obj = node as Record<string, unknown>
    if (f.draft !== 2020 && typeof own(obj, '$ref') === 'string') return this.ref(s, f, obj.$ref as string)
    if (CLOSURE_ONLY.some((k) => own(obj, k) !== undefined)) return this.closure(s, f)
    const code = genKeywords(this, s, f, obj)
    this.size += code.length
    if (this.size > MAX_SOURCE) throw new Error('generated code too large')
    return code
  }

  /** Child frame for a subschema found under `tokens`. */
  child(f: Frame, value: unknown, ...tokens: Array<string | number>): Frame {
    let ptr = f.ptr
    for (const t of tokens) ptr += `/${escapeToken(t)}`
    const base = typeof value === 'object' && value !== null ? (this.registry.baseOf.get(value) ?? f.base) : f.base
    return { node: value, base, ptr, draft: f.draft }
  }

  /** Run a subschema in a block of its own, quietly (branches of combinators); returns [code, validVar]. */
  quiet(s: Scope, f: Frame, data = s.data, path = s.path): [string, string] {
    const valid = this.id('v')
    const label = this.id('b')
    let decl = ''
    if (!/^[A-Za-z_$][\w$]*$/.test(data)) {
      const dv = this.id('d')
      decl = `const ${dv} = ${data};`
      data = dv
    }
    const inner = decl + this.schema({ data, path, mode: 'quiet', valid, label }, f)
    // Calls out of generated code must see quiet mode on the State too.
    const calls = /\bst\b/.test(inner)
    const code = `let ${valid} = true; ${calls ? 'st.enterQuiet();' : ''} ${label}: { ${inner} } ${calls ? 'st.leaveQuiet();' : ''}`
    return [code, valid]
  }

  /**
   * A test of a string expression against schema regex `source` (compiled by @gatehousejs/regex first, which
   * enforces the policy): a generated function for simple anchored patterns (see ../pattern-code), the
   * compiled regex (linear-time) otherwise.
   */
  pattern(source: string, ptr: string): (arg: string) => string {
    const re = compilePattern(source, ptr, this.compiler.allowUnsafePatterns)
    let name = this.patterns.get(source)
    if (name === undefined) {
      const candidate = this.id('P')
      const fn = patternFunction(source, candidate)
      if (fn === null) {
        const k = this.k(re)
        return (arg) => `${k}.test(${arg})`
      }
      this.fns.push(fn)
      this.patterns.set(source, candidate)
      name = candidate
    }
    const fn = name
    return (arg) => `${fn}(${arg})`
  }

  /** Delegate a node to the closure compiler. */
  closure(s: Scope, f: Frame): string {
    const check: Check = this.compiler.compile(f.node, f.base, f.ptr, f.draft)
    return this.call(s, this.k(check), s.data)
  }

  /** Call a check function (closure or generated) with the path pushed. */
  call(s: Scope, fn: string, data: string): string {
    const [push, pop] = pathPush(s.path)
    const r = this.id('r')
    return `${push} const ${r} = ${fn}(${data}, st); ${pop} if (!${r}) { ${this.failed(s)} }`
  }

  /** `$ref`: inline small non-recursive targets, call a generated function otherwise. */
  ref(s: Scope, f: Frame, ref: string, keyword = '$ref'): string {
    const t = this.registry.resolve(ref, f.base, `${f.ptr}/${keyword}`)
    const target: Frame = { node: t.node, base: t.base, ptr: t.where, draft: t.draft }
    if (typeof t.node !== 'object' || t.node === null) return this.schema(s, target)
    if (!this.inlining.has(t.node) && countNodes(t.node, 0) <= INLINE_NODES) {
      this.inlining.add(t.node)
      try {
        return this.schema(s, target)
      } finally {
        this.inlining.delete(t.node)
      }
    }
    return this.call(s, this.fn(target), s.data)
  }

  /** Name of the generated function for a frame, generating it on first use. */
  fn(f: Frame): string {
    let byBase = this.fnNames.get(f.node)
    if (byBase === undefined) {
      byBase = new Map()
      this.fnNames.set(f.node, byBase)
    }
    const key = `${f.draft}|${f.base}`
    const hit = byBase.get(key)
    if (hit !== undefined) return hit
    const name = this.id('F')
    byBase.set(key, name)
    const saved = this.inlining
    this.inlining = new Set([f.node])
    const body = this.schema({ data: 'd', path: [], mode: 'dyn', valid: 'v', label: 'b' }, f)
    this.inlining = saved
    this.fns.push(`function ${name}(d, st) { let v = true; b: { ${body} } return v; }`)
    return name
  }

  /**
   * The whole module: helper functions, the root function and the validator, as a factory over R, K, M, W.
   * The validator is generated too (not a shared wrapper closure) so that each one has its own call site for
   * its root: a shared wrapper sees every root of the process and cannot inline any of them.
   */
  source(rootBody: string): string {
    const all = this.allErrors ? 'true' : 'false'
    return [
      '"use strict";',
      ...this.fns,
      `function root(d, st) { let v = true; b: { ${rootBody} } return v; }`,
      `const shared = new W.State(${all});`,
      'return function validate(value) {',
      // Re-entrant calls (a custom format validating with the same validator) get a state of their own.
      `  const st = shared.busy ? new W.State(${all}) : shared;`,
      '  st.busy = true;',
      '  let ok;',
      '  try { ok = root(value, st); }',
      // A throw can leave anything behind (path, quiet depth); a return leaves only the errors.
      '  catch (e) { st.reset(); st.busy = false; return W.thrown(e); }',
      '  const errs = st.errs;',
      '  st.errs = null;',
      '  st.busy = false;',
      '  return ok ? null : W.failure(errs);',
      '};',
    ].join('\n')
  }
}

/** Size of a schema subtree in nodes, stopping early past the inline limit. */
function countNodes(node: unknown, acc: number): number {
  if (acc > INLINE_NODES) return acc
  if (node === null || typeof node !== 'object') return acc
  let n = acc + 1
  for (const v of Object.values(node)) {
    if (typeof v === 'object' && v !== null) n = countNodes(v, n)
    if (n > INLINE_NODES) break
  }
  return n
}

export { msg as MESSAGES }
