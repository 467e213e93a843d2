/**
 * The parse cursor: a position in the template source, identifiers, whitespace and syntax errors, shared by the
 * text-and-reference, directive and expression parsers. Velocity's grammar is mutually recursive (a directive
 * holds expressions, an expression holds references and string literals, a string literal is a template), so the
 * entry points it recurses into are declared here and implemented by the template parser: the directive and
 * expression parsers import this leaf, never the parser.
 */
import type { Expr, Node, Ref } from './ast'
import { VtlError, positionOf } from '../errors'

/** What ended a block: `#end`, `#else`, `#elseif` or the end of the template. */
export type BlockEnd = 'end' | 'else' | 'elseif' | 'eof'

export function isIdStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95
}

/** Velocity 1.7 lets identifiers contain `-` (so `$a-b` is one reference). */
export function isIdChar(c: number): boolean {
  return isIdStart(c) || (c >= 48 && c <= 57) || c === 45
}

export function skipWs(p: Cursor): void {
  const s = p.src
  while (p.pos < s.length) {
    const c = s.charCodeAt(p.pos)
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 12) p.pos++
    else break
  }
}

export abstract class Cursor {
  pos = 0
  /** Offset of the last directive read (where "unexpected #end" and the like point). */
  lastDirective = 0
  /** The condition of the `#elseif` that ended the block just parsed. */
  pendingElseif: Expr | null = null

  /** Offset of `src` inside `origin` (string literals are parsed as sub-templates). */
  constructor(
    readonly src: string,
    readonly origin: string = src,
    readonly offset = 0,
  ) {}

  /** Parses nodes until `#end`, `#else`, `#elseif` or the end of input, and says which one stopped it. */
  abstract parseBlock(): { nodes: Node[]; end: BlockEnd }

  /**
   * Parses `$a`, `$!a`, `${a}`, `$a.b.c(…)[i]` at `this.pos`. In text, anything that is not a reference leaves
   * the cursor alone and returns null (the `$` is text).
   */
  abstract tryRef(inText: boolean): Ref | null

  /** Parses a string literal's content as a template (double quotes interpolate, single quotes do not). */
  abstract stringLiteral(): Expr

  fail(message: string, at = this.pos): never {
    const { line, column } = positionOf(this.origin, this.offset + at)
    throw new VtlError('VTL_SYNTAX', message, line, column)
  }

  abs(at: number): number {
    return this.offset + at
  }

  ident(): string {
    const s = this.src
    const start = this.pos
    if (!isIdStart(s.charCodeAt(this.pos))) this.fail('expected an identifier')
    this.pos++
    while (this.pos < s.length && isIdChar(s.charCodeAt(this.pos))) this.pos++
    return s.slice(start, this.pos)
  }

  /** After a directive's `)` (or `#else`/`#end`), Velocity 1.7 swallows trailing blanks and one newline. */
  gobbleNewline(): void {
    const s = this.src
    let p = this.pos
    while (s.charCodeAt(p) === 32 || s.charCodeAt(p) === 9) p++
    const c = s.charCodeAt(p)
    if (c === 10) this.pos = p + 1
    else if (c === 13) this.pos = s.charCodeAt(p + 1) === 10 ? p + 2 : p + 1
  }

  expect(ch: string, what: string): void {
    skipWs(this)
    if (this.src[this.pos] !== ch) this.fail(`expected '${ch}' ${what}`)
    this.pos++
  }
}
