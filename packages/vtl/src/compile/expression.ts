/**
 * Expression compilers: literals, interpolated strings, list and map literals, ranges `[a..b]`, `!` and the binary
 * operators, each a closure returning a value.
 */
import type { Expr } from '../parse/ast'
import { built, charge } from '../budget'
import { VtlError } from '../errors'
import { str, type E } from '../runtime'
import { add, compare, div, mod, mul, sub } from '../values/arithmetic'
import { vEquals } from '../values/equality'
import { Dbl, truthy } from '../values/model'
import { markJavaList } from '../values/print'
import type { Compilation } from './compilation'

const MAX_RANGE = 1_000_000

export function compileExpression(c: Compilation, x: Expr): E {
  switch (x.t) {
    case 'ref':
      return c.ref(x)
    case 'lit': {
      const v = x.v
      return () => v
    }
    case 'str': {
      const body = c.block(x.parts)
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
      const items = x.items.map((i) => compileExpression(c, i))
      return (s) => markJavaList(items.map((i) => i(s)))
    }
    case 'map': {
      const entries = x.entries.map(([k, v]) => [compileExpression(c, k), compileExpression(c, v)] as const)
      return (s) => {
        const m = new Map<unknown, unknown>()
        for (const [k, v] of entries) m.set(k(s), v(s))
        return m
      }
    }
    case 'range': {
      const from = compileExpression(c, x.from)
      const to = compileExpression(c, x.to)
      const pos = x.pos
      return (s) => {
        const a = toInt(from(s))
        const b = toInt(to(s))
        if (a === undefined || b === undefined) return undefined
        if (Math.abs(b - a) >= MAX_RANGE) c.at(pos, new VtlError('VTL_RUNTIME', `range [${a}..${b}] is too large`))
        // Each item is made: a range costs its length.
        try {
          charge(Math.abs(b - a) + 1)
        } catch (err) {
          c.at(pos, err)
        }
        const out: number[] = markJavaList([])
        if (a <= b) for (let i = a; i <= b; i++) out.push(i)
        else for (let i = a; i >= b; i--) out.push(i)
        return out
      }
    }
    case 'not': {
      const e = compileExpression(c, x.e)
      return (s) => !truthy(e(s))
    }
    case 'bin':
      return binary(x.op, compileExpression(c, x.l), compileExpression(c, x.r))
  }
}

function binary(op: string, l: E, r: E): E {
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

function toInt(v: unknown): number | undefined {
  if (typeof v === 'number') return Math.trunc(v)
  if (v instanceof Dbl) return Math.trunc(v.v)
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return Number(v.trim())
  return undefined
}
