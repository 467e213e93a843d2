/**
 * ECMAScript patterns with the `u` flag. The native RegExp validates the syntax first, so this parser only has
 * to read well-formed patterns; whatever it does not know is refused as unsupported rather than guessed at.
 */
import { Assert, type Node, type Parsed } from './ast'
import { DIGIT, ES_LINE, ES_SPACE, MAX_CP, type CharSet, complement, fromRanges, nativeSet, single, union, WORD } from './charset'
import { RegexError } from './errors'
import { Parser, shorthand, type Shorthands } from './parser'

const SYNTAX = '^$\\.*+?()[]{}|/'
const SHORTHANDS: Shorthands = new Map([
  ['d', DIGIT],
  ['w', WORD],
  ['s', ES_SPACE],
])

export interface EsFlags {
  readonly i: boolean
  readonly m: boolean
  readonly s: boolean
}

export function parseFlags(flags: string): EsFlags {
  let i = false
  let m = false
  let s = false
  for (const f of flags) {
    if (f === 'i' && !i) i = true
    else if (f === 'm' && !m) m = true
    else if (f === 's' && !s) s = true
    else if (f === 'u') continue
    else throw new RegexError('REGEX_SYNTAX', `unsupported or repeated flag ${JSON.stringify(f)} (allowed: i, m, s)`)
  }
  return { i, m, s }
}

/** Parse `source`; `allowBacktracking` lets backreferences and lookaround through (flagged in the result). */
export function parseEcma(source: string, flags: EsFlags, allowBacktracking: boolean): Parsed {
  try {
    new RegExp(source, `u${flags.i ? 'i' : ''}${flags.m ? 'm' : ''}${flags.s ? 's' : ''}`)
  } catch (e) {
    throw new RegexError('REGEX_SYNTAX', `invalid regex ${JSON.stringify(source.slice(0, 200))}: ${(e as Error).message}`)
  }
  return new EcmaParser(source, flags, allowBacktracking).run()
}

class EcmaParser extends Parser {
  constructor(
    src: string,
    private readonly flags: EsFlags,
    allowBacktracking: boolean,
  ) {
    super(src, allowBacktracking)
  }

  // The native RegExp has already refused a stray `)`: only a backstop.
  protected override strayClose(): never {
    this.unsupported('unexpected character')
  }

  // Also past the native check: a bound too long for the 64 characters the parser reads (`a{000…01}`).
  protected override badBound(): never {
    this.unsupported('quantifier')
  }

  protected override term(): Node {
    const src = this.src
    const start = this.pos
    const c = src[start]!
    let atom: Node
    if (c === '^') {
      this.pos++
      return { t: 'assert', kind: this.flags.m ? Assert.EsLineStart : Assert.Start }
    } else if (c === '$') {
      this.pos++
      return { t: 'assert', kind: this.flags.m ? Assert.EsLineEnd : Assert.End }
    } else if (c === '\\' && (src[start + 1] === 'b' || src[start + 1] === 'B')) {
      this.pos += 2
      const neg = src[start + 1] === 'B'
      if (this.flags.i) return { t: 'assert', kind: neg ? Assert.NotWordBoundaryFold : Assert.WordBoundaryFold }
      return { t: 'assert', kind: neg ? Assert.NotWordBoundary : Assert.WordBoundary }
    } else if (c === '(') {
      // A lookaround (admitted only for the native engine, so its node is never compiled) reads as empty.
      atom = this.group()
    } else if (c === '.') {
      this.pos++
      atom = { t: 'char', set: this.flags.s ? fromRanges([0, MAX_CP]) : complement(fromRanges(ES_LINE)) }
    } else if (c === '[') {
      atom = { t: 'char', set: this.classSet() }
    } else if (c === '\\') {
      atom = this.atomEscape()
    } else {
      atom = { t: 'char', set: single(this.literal()) }
    }
    if (atom.t === 'char' && this.flags.i) atom = { t: 'char', set: nativeSet(src.slice(start, this.pos), this.flags.s ? 'is' : 'i') }
    return this.quantified(atom)
  }

  private quantified(atom: Node): Node {
    const q = this.quantifier()
    return q === null ? atom : { t: 'repeat', body: atom, min: q.min, max: q.max, greedy: q.greedy }
  }

  private group(): Node {
    const src = this.src
    const start = this.pos
    this.enter('groups', start)
    this.pos++
    let index = 0
    let look = false
    if (src[this.pos] === '?') {
      const d = src[this.pos + 1]
      if (d === ':') this.pos += 2
      else if (d === '=' || d === '!' || (d === '<' && (src[this.pos + 2] === '=' || src[this.pos + 2] === '!'))) {
        this.needsBacktracking('lookaround', start)
        look = true
        this.pos += d === '<' ? 3 : 2
      } else if (d === '<') {
        const e = src.indexOf('>', this.pos)
        this.pos = e + 1
        index = ++this.groups
      } else this.unsupported('group modifier', start)
    } else index = ++this.groups
    const body = this.disjunction()
    if (src[this.pos] !== ')') this.unsupported('unterminated group', start)
    this.pos++
    this.depth--
    if (look) return { t: 'empty' }
    return { t: 'group', index, body }
  }

  /** `\` outside a class: backreference, class escape or character escape. */
  private atomEscape(): Node {
    const src = this.src
    const start = this.pos
    const d = src[start + 1]!
    if ((d >= '1' && d <= '9') || d === 'k') {
      this.needsBacktracking('backreference', start)
      if (d === 'k') this.pos = src.indexOf('>', start) + 1
      else {
        this.pos = start + 1
        while (src[this.pos]! >= '0' && src[this.pos]! <= '9') this.pos++
      }
      return { t: 'empty' }
    }
    return { t: 'char', set: this.escapeSet() }
  }

  /** An escape that stands for a set (`\d`, `\p{…}`) or one character; `pos` is at the backslash. */
  private escapeSet(inClass = false): CharSet {
    const src = this.src
    const start = this.pos
    const d = src[start + 1]!
    this.pos = start + 2
    const predefined = shorthand(d, SHORTHANDS)
    if (predefined !== undefined) return predefined
    if (d === 'p' || d === 'P') {
      const e = src.indexOf('}', this.pos)
      this.pos = e + 1
      return nativeSet(src.slice(start, this.pos), '')
    }
    return single(this.escapeChar(d, start, inClass))
  }

  /** The code point of a character escape whose letter `d` follows the backslash at `start`. */
  private escapeChar(d: string, start: number, inClass: boolean): number {
    const src = this.src
    switch (d) {
      case 'f':
        return 0x0c
      case 'n':
        return 0x0a
      case 'r':
        return 0x0d
      case 't':
        return 0x09
      case 'v':
        return 0x0b
      case 'b':
        if (inClass) return 0x08
        break
      case '0':
        return 0
      case 'c': {
        const l = src.charCodeAt(start + 2)
        this.pos = start + 3
        return l % 32
      }
      case 'x':
        this.pos = start + 4
        return parseInt(src.slice(start + 2, start + 4), 16)
      case 'u': {
        if (src[start + 2] === '{') {
          const e = src.indexOf('}', start)
          this.pos = e + 1
          return parseInt(src.slice(start + 3, e), 16)
        }
        this.pos = start + 6
        // Under `u` a lead surrogate escape followed by a trail surrogate escape is one code point.
        return this.pairSurrogate(parseInt(src.slice(start + 2, start + 6), 16))
      }
      case '-':
        if (inClass) return 0x2d
        break
    }
    if (SYNTAX.includes(d)) return d.charCodeAt(0)
    this.unsupported('escape', start)
  }

  /** `[…]`; `pos` is at the `[`. */
  private classSet(): CharSet {
    const src = this.src
    const start = this.pos
    this.pos++
    const negate = this.eat('^')
    const parts: CharSet[] = []
    const ranges: number[] = []
    const atom = (): CharSet | number => {
      const c = src[this.pos]!
      if (c === '\\') {
        const d = src[this.pos + 1]!
        if ('dDwWsSpP'.includes(d)) return this.escapeSet(true)
        const at = this.pos
        this.pos += 2
        return this.escapeChar(d, at, true)
      }
      return this.literal()
    }
    while (src[this.pos] !== ']') {
      if (this.pos >= src.length) this.unsupported('unterminated class', start)
      const a = atom()
      if (typeof a === 'number' && src[this.pos] === '-' && src[this.pos + 1] !== ']') {
        this.pos++
        const b = atom()
        if (typeof b !== 'number') this.unsupported('class range', start)
        ranges.push(a, b)
      } else if (typeof a === 'number') ranges.push(a, a)
      else parts.push(a)
    }
    this.pos++
    parts.push(fromRanges(ranges))
    const set = union(parts)
    return negate ? complement(set) : set
  }
}
