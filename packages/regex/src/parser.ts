/**
 * What the ECMAScript and Java recursive-descent parsers share: the cursor, group counting and nesting limit,
 * the backtracking gate, alternation and sequencing, and quantifier bounds. Each syntax's atoms, escapes, classes
 * and group forms stay in its own parser: they look alike but differ in meaning (see parse-ecma.ts, parse-java.ts).
 */
import type { Node, Parsed } from './ast'
import { type CharSet, complement, fromRanges } from './charset'
import { RegexError } from './errors'

/** Deepest group nesting accepted: the parser and compiler recurse once per level. */
export const MAX_DEPTH = 200

/** Class escapes by letter (`d` → its ranges); the upper-case letter stands for the complement. */
export type Shorthands = ReadonlyMap<string, readonly number[]>

/** The set of the class escape `\d` (`\D`, `\w`, …) in `table`, or undefined if `d` is not one of them. */
export function shorthand(d: string, table: Shorthands): CharSet | undefined {
  const ranges = table.get(d)
  if (ranges !== undefined) return fromRanges(ranges)
  const negated = d >= 'A' && d <= 'Z' ? table.get(d.toLowerCase()) : undefined
  return negated === undefined ? undefined : complement(fromRanges(negated))
}

export abstract class Parser {
  protected pos = 0
  protected groups = 0
  protected depth = 0
  protected backtracking = false

  constructor(
    protected readonly src: string,
    protected readonly allowBacktracking: boolean,
  ) {}

  run(): Parsed {
    const node = this.disjunction()
    if (this.pos < this.src.length) this.strayClose()
    return { node, groupCount: this.groups, backtracking: this.backtracking }
  }

  /** One term (atom and its quantifier), or null for one that matches nothing and only changed parser state. */
  protected abstract term(): Node | null

  /** The whole pattern was read up to a `)` that closes no group. */
  protected abstract strayClose(): never

  /** `pos` is at a `{` that does not open a `{n}`, `{n,}` or `{n,m}` bound. */
  protected abstract badBound(): never

  protected unsupported(what: string, at = this.pos): never {
    throw new RegexError('REGEX_UNSUPPORTED', `${what} at offset ${at} is not supported`, at)
  }

  /** A construct only a backtracking engine can run: refused unless the operator allowed it. */
  protected needsBacktracking(what: string, at: number): void {
    if (!this.allowBacktracking)
      throw new RegexError('REGEX_UNSUPPORTED', `${what} at offset ${at} cannot run in linear time (allowBacktracking admits it)`, at)
    this.backtracking = true
  }

  /** One level deeper (a group, or a Java nested class) opening at `at`; the caller decrements `depth` on the way out. */
  protected enter(what: string, at: number): void {
    if (++this.depth > MAX_DEPTH) throw new RegexError('REGEX_TOO_LARGE', `${what} nested deeper than ${MAX_DEPTH}`, at)
  }

  /** Skip `c` if it is next. */
  protected eat(c: string): boolean {
    if (this.src[this.pos] !== c) return false
    this.pos++
    return true
  }

  /** The literal code point at `pos`, moving past it. */
  protected literal(): number {
    const cp = this.src.codePointAt(this.pos)!
    this.pos += cp > 0xffff ? 2 : 1
    return cp
  }

  /** A lead surrogate `hi` from a `\uXXXX` just read, and a trail surrogate `\uXXXX` next, make one code point. */
  protected pairSurrogate(hi: number): number {
    if (hi < 0xd800 || hi > 0xdbff) return hi
    const lo = /^\\u([dD][c-fC-F][0-9a-fA-F]{2})/.exec(this.src.slice(this.pos, this.pos + 6))
    if (lo === null) return hi
    this.pos += 6
    return 0x10000 + ((hi - 0xd800) << 10) + (parseInt(lo[1]!, 16) - 0xdc00)
  }

  protected disjunction(): Node {
    const alts: Node[] = [this.alternative()]
    while (this.src[this.pos] === '|') {
      this.pos++
      alts.push(this.alternative())
    }
    return alts.length === 1 ? alts[0]! : { t: 'alt', items: alts }
  }

  protected alternative(): Node {
    const items: Node[] = []
    for (;;) {
      const c = this.src[this.pos]
      if (c === undefined || c === '|' || c === ')') break
      const term = this.term()
      if (term !== null) items.push(term)
    }
    return items.length === 0 ? { t: 'empty' } : items.length === 1 ? items[0]! : { t: 'seq', items }
  }

  /**
   * The quantifier at `pos` (`*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}`) and its lazy `?`, moving past them; null if
   * none. min > max is left to the caller: Java refuses it, while V8 lets huge out-of-order bounds through
   * (`a{2147483648,2147483647}`) and the ECMAScript parser has always passed them on as they are.
   */
  protected quantifier(): { min: number; max: number; greedy: boolean } | null {
    const src = this.src
    const c = src[this.pos]
    let min: number
    let max: number
    if (c === '*') [min, max] = [0, Infinity]
    else if (c === '+') [min, max] = [1, Infinity]
    else if (c === '?') [min, max] = [0, 1]
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(src.slice(this.pos, this.pos + 64))
      if (m === null) this.badBound()
      min = Number(m[1])
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3])
      this.pos += m[0].length - 1
    } else return null
    this.pos++
    return { min, max, greedy: !this.eat('?') }
  }
}
