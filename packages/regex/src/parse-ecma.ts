// ECMAScript patterns with the `u` flag. The native RegExp validates the syntax first, so this parser only has
// to read well-formed patterns; whatever it does not know is refused as unsupported rather than guessed at.
import { Assert, type Node, type Parsed } from './ast'
import { DIGIT, ES_LINE, ES_SPACE, MAX_CP, type CharSet, complement, fromRanges, nativeSet, single, union, WORD } from './charset'
import { RegexError } from './errors'

/** Deepest group nesting accepted: the parser and compiler recurse once per level. */
export const MAX_DEPTH = 200

const SYNTAX = '^$\\.*+?()[]{}|/'

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

class EcmaParser {
  private pos = 0
  private groups = 0
  private depth = 0
  private backtracking = false

  constructor(
    private readonly src: string,
    private readonly flags: EsFlags,
    private readonly allowBacktracking: boolean,
  ) {}

  run(): Parsed {
    const node = this.disjunction()
    if (this.pos < this.src.length) this.unsupported('unexpected character')
    return { node, groupCount: this.groups, backtracking: this.backtracking }
  }

  private unsupported(what: string, at = this.pos): never {
    throw new RegexError('REGEX_UNSUPPORTED', `${what} at offset ${at} is not supported`, at)
  }

  /** A construct only a backtracking engine can run: refused unless the operator allowed it. */
  private needsBacktracking(what: string, at: number): void {
    if (!this.allowBacktracking)
      throw new RegexError('REGEX_UNSUPPORTED', `${what} at offset ${at} cannot run in linear time (allowBacktracking admits it)`, at)
    this.backtracking = true
  }

  private disjunction(): Node {
    const alts: Node[] = [this.alternative()]
    while (this.src[this.pos] === '|') {
      this.pos++
      alts.push(this.alternative())
    }
    return alts.length === 1 ? alts[0]! : { t: 'alt', items: alts }
  }

  private alternative(): Node {
    const items: Node[] = []
    for (;;) {
      const c = this.src[this.pos]
      if (c === undefined || c === '|' || c === ')') break
      items.push(this.term())
    }
    return items.length === 0 ? { t: 'empty' } : items.length === 1 ? items[0]! : { t: 'seq', items }
  }

  private term(): Node {
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
      const cp = src.codePointAt(start)!
      this.pos += cp > 0xffff ? 2 : 1
      atom = { t: 'char', set: single(cp) }
    }
    if (atom.t === 'char' && this.flags.i) atom = { t: 'char', set: nativeSet(src.slice(start, this.pos), this.flags.s ? 'is' : 'i') }
    return this.quantified(atom)
  }

  private quantified(atom: Node): Node {
    const src = this.src
    const c = src[this.pos]
    let min: number
    let max: number
    if (c === '*') [min, max] = [0, Infinity]
    else if (c === '+') [min, max] = [1, Infinity]
    else if (c === '?') [min, max] = [0, 1]
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(src.slice(this.pos, this.pos + 64))
      if (m === null) this.unsupported('quantifier')
      min = Number(m[1])
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3])
      this.pos += m[0].length - 1
    } else return atom
    this.pos++
    let greedy = true
    if (src[this.pos] === '?') {
      greedy = false
      this.pos++
    }
    return { t: 'repeat', body: atom, min, max, greedy }
  }

  private group(): Node {
    const src = this.src
    const start = this.pos
    if (++this.depth > MAX_DEPTH) throw new RegexError('REGEX_TOO_LARGE', `groups nested deeper than ${MAX_DEPTH}`, start)
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
    switch (d) {
      case 'd':
        return fromRanges(DIGIT)
      case 'D':
        return complement(fromRanges(DIGIT))
      case 'w':
        return fromRanges(WORD)
      case 'W':
        return complement(fromRanges(WORD))
      case 's':
        return fromRanges(ES_SPACE)
      case 'S':
        return complement(fromRanges(ES_SPACE))
      case 'p':
      case 'P': {
        const e = src.indexOf('}', this.pos)
        this.pos = e + 1
        return nativeSet(src.slice(start, this.pos), '')
      }
      default:
        return single(this.escapeChar(d, start, inClass))
    }
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
        const hi = parseInt(src.slice(start + 2, start + 6), 16)
        this.pos = start + 6
        // A lead surrogate escape followed by a trail surrogate escape is one code point under `u`.
        if (hi >= 0xd800 && hi <= 0xdbff && src[this.pos] === '\\' && src[this.pos + 1] === 'u' && /^[0-9a-fA-F]{4}$/.test(src.slice(this.pos + 2, this.pos + 6))) {
          const lo = parseInt(src.slice(this.pos + 2, this.pos + 6), 16)
          if (lo >= 0xdc00 && lo <= 0xdfff) {
            this.pos += 6
            return 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00)
          }
        }
        return hi
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
    let negate = false
    if (src[this.pos] === '^') {
      negate = true
      this.pos++
    }
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
      const cp = src.codePointAt(this.pos)!
      this.pos += cp > 0xffff ? 2 : 1
      return cp
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
