/**
 * Method call sites: a call compiled once with its method name resolved against every type's table, specialised by
 * argument count, for `$util` functions, and for literal patterns (`matches`, `replaceAll`, `replaceFirst`,
 * `split`) and literal `replace`/`replaceAll` text, which are prepared with the template instead of per render.
 */
import type { Expr } from '../parse/ast'
import { methodFor } from '../methods/dispatch'
import { replaceLiteral } from '../methods/string'
import { compilePattern, javaMatches, javaReplace, javaSplit, type Compiled } from '../patterns'
import { DefineBlock, str, type E } from '../runtime'
import { UTIL, UTIL_FUNCTIONS } from '../mapping/util'
import { markJavaList } from '../values/print'
import type { Compilation } from './compilation'

/** A method call site, specialised by argument count (and for `replaceAll` with literal arguments). */
export function compileMethodCall(c: Compilation, prev: E, m: string, argExprs: Expr[], pos: number): E {
  const args = argExprs.map((a) => c.expr(a))
  const fail = (err: unknown) => c.at(pos, err)
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
