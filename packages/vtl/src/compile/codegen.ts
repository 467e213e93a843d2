/**
 * Block sequencing. A block's parts (text, references, `#if`s, other directives) run either as one generated
 * function or as closures; both give the same output.
 */
import { overBudget } from '../budget'
import { getProp } from '../methods/properties'
import { ForeachScope, appendValue, type E, type R, type State } from '../runtime'
import { truthy } from '../values/model'
import { formatNumber } from '../values/number-format'

/**
 * A reference made of a variable and property names only (`$item.sku`, `$foreach.hasNext`), which the generated
 * code reads inline. `plain[i]` is true when `props[i]` is not an `Object.prototype` member, so a plain object
 * can be read directly. `loop` is set for `$foreach.<index|count|hasNext|first|last>` (read off the scope).
 */
export interface SimpleRef {
  slot: number
  props: string[]
  plain: boolean[]
  loop?: 'index' | 'count' | 'hasNext' | 'first' | 'last'
}

/** A condition: its closure, and the simple reference it is (if it is one) for inline generation. */
export interface Cond {
  e: E
  simple?: SimpleRef
}

export type Part =
  | { k: 'text'; v: string }
  | { k: 'ref'; e: E; simple?: SimpleRef }
  | { k: 'if'; conds: Cond[]; bodies: Part[][]; otherwise: Part[] | null }
  | { k: 'node'; r: R }

/** Closure form of a part (used when code generation is off or unavailable). */
export function partRenderer(p: Part): R {
  switch (p.k) {
    case 'text': {
      const v = p.v
      return (s) => {
        s.out += v
      }
    }
    case 'ref': {
      const e = p.e
      return (s) => appendValue(e(s), s)
    }
    case 'if':
      return ifRenderer(
        p.conds.map((c) => c.e),
        p.bodies.map(closures),
        p.otherwise ? closures(p.otherwise) : null,
      )
    default:
      return p.r
  }
}

/** `#if`/`#elseif`/`#else` as closures. */
export function ifRenderer(conds: E[], bodies: R[], otherwise: R | null): R {
  if (conds.length === 1) {
    const c = conds[0]!
    const b = bodies[0]!
    return otherwise
      ? (s) => {
          if (truthy(c(s))) b(s)
          else otherwise(s)
        }
      : (s) => {
          if (truthy(c(s))) b(s)
        }
  }
  const k = conds.length
  return (s) => {
    for (let i = 0; i < k; i++) {
      if (truthy(conds[i]!(s))) {
        bodies[i]!(s)
        return
      }
    }
    if (otherwise) otherwise(s)
  }
}

/** A block as closures only. */
export function closures(parts: Part[]): R {
  const rs = parts.map(partRenderer)
  if (rs.length === 0) return () => {}
  if (rs.length === 1) return rs[0]!
  if (rs.length === 2) {
    const [a, b] = rs as [R, R]
    return (s) => {
      a(s)
      b(s)
    }
  }
  const n = rs.length
  return (s) => {
    for (let i = 0; i < n; i++) rs[i]!(s)
  }
}

let codegen = true

function outputOver(s: State): never {
  overBudget('output', s.maxOut)
}

/** How many parts an `#if` may hold and still be written inline (big ones stay calls, keeping functions small). */
const MAX_INLINE_IF_PARTS = 48

function size(parts: Part[]): number {
  let n = 0
  for (const p of parts) {
    n++
    if (p.k === 'if') {
      for (const b of p.bodies) n += size(b)
      if (p.otherwise) n += size(p.otherwise)
    }
  }
  return n
}

/**
 * Source of `$foreach.<prop>` read off a loop scope `v` (fixed code per property; no template text).
 */
const LOOP_READ: Record<NonNullable<SimpleRef['loop']>, string> = {
  index: 'v.index',
  count: 'v.index + 1',
  hasNext: 'v.hasNext',
  first: 'v.index === 0',
  last: '!v.hasNext',
}

/**
 * One generated function per block: text is appended from a local, simple references and `#if`s are written
 * inline (so each property read gets its own inline cache), other references are read through their closures and
 * directives are called with the output synced. The generated source holds only parameter names, slot numbers and
 * fixed code, never template text (texts and property names are parameters). Where `new Function` is unavailable
 * (CSP, some edge runtimes) the closures run instead.
 */
export function sequencer(parts: Part[]): R | undefined {
  if (!codegen) return undefined
  const names: string[] = []
  const values: unknown[] = []
  const param = (prefix: string, value: unknown): string => {
    const name = `${prefix}${names.length}`
    names.push(name)
    values.push(value)
    return name
  }

  /** Statements leaving the reference's value in `v`. */
  const readRef = (r: SimpleRef): string => {
    let code = `v = S[${r.slot}];\n`
    let from = 0
    if (r.loop) {
      const n = param('n', r.props[0])
      code += `v = v instanceof FS ? ${LOOP_READ[r.loop]} : v === undefined || v === null ? undefined : G(v, ${n});\n`
      from = 1
    }
    for (let i = from; i < r.props.length; i++) {
      const n = param('n', r.props[i])
      // A plain object (JSON payload, $context) is read directly; anything else (a Map, a host object, an object
      // with an own `constructor` key or no prototype) goes through Velocity's general lookup.
      code += r.plain[i]
        ? `if (v !== undefined && v !== null) v = typeof v === 'object' && v.constructor === Object ? v[${n}] : G(v, ${n});\n`
        : `if (v !== undefined && v !== null) v = G(v, ${n});\n`
    }
    return code
  }

  // Printed values are checked against the output limit (template text is bounded by the template's size and
  // checked with the loop that repeats it).
  const print =
    "if (typeof v === 'string') { out += v; if (out.length > s.maxOut) X(s); }\n" +
    "else if (typeof v === 'number') out += Number.isInteger(v) ? '' + v : N(v);\n" +
    'else if (v !== undefined && v !== null) { s.out = out; A(v, s); out = s.out; }\n'

  const emit = (ps: Part[]): string => {
    let code = ''
    for (const p of ps) {
      if (p.k === 'text') code += `out += ${param('t', p.v)};\n`
      else if (p.k === 'ref') code += (p.simple ? readRef(p.simple) : `v = ${param('e', p.e)}(s);\n`) + print
      else if (p.k === 'if') code += emitIf(p, 0)
      else code += `s.out = out;\n${param('r', p.r)}(s);\nout = s.out;\n`
    }
    return code
  }

  const emitIf = (p: Extract<Part, { k: 'if' }>, i: number): string => {
    if (i === p.conds.length) return p.otherwise ? emit(p.otherwise) : ''
    const c = p.conds[i]!
    const test = c.simple ? readRef(c.simple) : `v = ${param('c', c.e)}(s);\n`
    const rest = emitIf(p, i + 1)
    return `${test}if (v !== undefined && v !== null && v !== false) {\n${emit(p.bodies[i]!)}}${rest ? ` else {\n${rest}}` : ''}\n`
  }

  const inlinable = parts.map((p) => (p.k === 'if' && size([p]) > MAX_INLINE_IF_PARTS ? ({ k: 'node', r: partRenderer(p) } as Part) : p))
  const body = `const S = s.slots;\nlet out = s.out, v;\n${emit(inlinable)}s.out = out;`
  try {
    const make = new Function('A', 'G', 'N', 'FS', 'X', ...names, `return function (s) {\n${body}\n}`) as (...a: unknown[]) => R
    return make(appendValue, getProp, formatNumber, ForeachScope, outputOver, ...values)
  } catch {
    codegen = false
    return undefined
  }
}
