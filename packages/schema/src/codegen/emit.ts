/**
 * Safe building blocks for generated code. Nothing from a schema reaches the source text except through
 * `str` (a JSON string literal) or `num` (a finite number); everything else is passed as a constant `K[i]`.
 */
import { escapeToken } from '../uri'

/** A JavaScript string literal for any string (JSON escaping, plus the two line separators). */
export function str(s: string): string {
  if (typeof s !== 'string') throw new TypeError('str() takes a string')
  return JSON.stringify(s)
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
}

/** A numeric literal; refuses anything but a finite number. */
export function num(n: number): string {
  if (typeof n !== 'number' || !Number.isFinite(n)) throw new TypeError('num() takes a finite number')
  // Parenthesised so that a negative number or an exponent never merges with neighbouring tokens.
  return `(${String(n)})`
}

/**
 * One instance-path segment relative to the generated function: a literal token, a variable holding a
 * property name (`v`), or a variable holding an array index (`index`, a number, which needs no escaping).
 */
export type Seg = { raw: string | number } | { v: string } | { index: string }

/** Expression for the JSON-pointer suffix of `segs` (an empty string literal when none). */
export function suffixExpr(segs: readonly Seg[]): string {
  const parts: string[] = []
  let lit = ''
  for (const s of segs) {
    if ('raw' in s) lit += `/${escapeToken(s.raw)}`
    else {
      parts.push(str(`${lit}/`))
      lit = ''
      parts.push('index' in s ? s.index : `R.e(${s.v})`)
    }
  }
  if (lit !== '' || parts.length === 0) parts.push(str(lit))
  return parts.join(' + ')
}

/** The JSON-pointer text of literal segments (`{ raw }` only). */
export function pointerText(segs: readonly Seg[]): string {
  let lit = ''
  for (const s of segs) {
    if (!('raw' in s)) throw new Error('pointerText takes literal segments')
    lit += `/${escapeToken(s.raw)}`
  }
  return lit
}

/** Statements pushing `segs` on `st.path` (before calling out of generated code), and popping them. */
export function pathPush(segs: readonly Seg[]): [string, string] {
  if (segs.length === 0) return ['', '']
  const vals = segs.map((s) => ('raw' in s ? (typeof s.raw === 'number' ? num(s.raw) : str(s.raw)) : 'index' in s ? s.index : s.v))
  return [`st.path.push(${vals.join(', ')});`, `st.path.length -= ${segs.length};`]
}

/** Property names that exist on Object.prototype need an own-property test instead of `!== undefined`. */
export function inherited(name: string): boolean {
  return name === '__proto__' || name in Object.prototype
}
