/**
 * Java's character sets: classes `[…]` with nested classes, `&&` intersection and `\Q…\E`; the shorthands
 * (`\d \s \w \h \v`), POSIX and Unicode properties (`\p{Lower}`, `\p{IsLatin}`, `\p{L}`); character escapes
 * (`\t \0 \x \u \c`), the same inside a class and out. Every set is folded by the `i`/`u` flags in force
 * (ASCII-only unless `u`, as in Java).
 */
import {
  type CharSet,
  DIGIT,
  JAVA_SPACE,
  MAX_CP,
  WORD,
  complement,
  foldAscii,
  foldUnicode,
  fromRanges,
  intersect,
  nativeSet,
  single,
  union,
} from './charset'
import { RegexError } from './errors'
import { Parser, shorthand, type Shorthands } from './parser'

/** Java's inline flags: case-insensitive, multiline, dotall, Unicode case. */
export interface JavaFlags {
  i: boolean
  m: boolean
  s: boolean
  u: boolean
}

const POSIX: Record<string, number[]> = {
  Lower: [0x61, 0x7a],
  Upper: [0x41, 0x5a],
  ASCII: [0, 0x7f],
  Alpha: [0x41, 0x5a, 0x61, 0x7a],
  Digit: DIGIT,
  Alnum: [0x30, 0x39, 0x41, 0x5a, 0x61, 0x7a],
  Punct: [0x21, 0x2f, 0x3a, 0x40, 0x5b, 0x60, 0x7b, 0x7e],
  Graph: [0x21, 0x7e],
  Print: [0x20, 0x7e],
  Blank: [0x20, 0x20, 0x09, 0x09],
  Cntrl: [0, 0x1f, 0x7f, 0x7f],
  XDigit: [0x30, 0x39, 0x41, 0x46, 0x61, 0x66],
  Space: JAVA_SPACE,
}
const H_SPACE = [
  0x20, 0x20, 0x09, 0x09, 0xa0, 0xa0, 0x1680, 0x1680, 0x180e, 0x180e, 0x2000, 0x200a, 0x202f, 0x202f, 0x205f, 0x205f, 0x3000, 0x3000,
]
/** `\v`, Java's vertical whitespace (also the one-character part of `\R`). */
export const V_SPACE = [0x0a, 0x0d, 0x85, 0x85, 0x2028, 0x2029]
const SHORTHANDS: Shorthands = new Map([
  ['d', DIGIT],
  ['w', WORD],
  ['s', JAVA_SPACE],
  ['h', H_SPACE],
  ['v', V_SPACE],
])
const GENERAL_CATEGORY = /^(?:L[ultmo]?|M[nce]?|N[dlo]?|P[cdseifo]?|S[mcko]?|Z[slp]?|C[cfson]?)$/

/** The Java parser's sets, escapes and classes; ./parse-java adds atoms, groups, quantifiers and assertions. */
export abstract class JavaSetParser extends Parser {
  constructor(
    src: string,
    protected flags: JavaFlags,
    allowBacktracking: boolean,
  ) {
    super(src, allowBacktracking)
  }

  /** Throw Java's syntax error for `what` at offset `at`. */
  protected syntax(what: string, at = this.pos): never {
    throw new RegexError('REGEX_SYNTAX', `${what} at offset ${at} in ${JSON.stringify(this.src.slice(0, 200))}`, at)
  }

  /** `set` closed under case folding when `i` is on (ASCII-only unless `u`). */
  protected fold(set: CharSet): CharSet {
    if (!this.flags.i) return set
    return this.flags.u ? foldUnicode(set) : foldAscii(set)
  }

  /** An escape that stands for a set or one character (inside or outside a class); `pos` is at the backslash. */
  protected escapeSet(): CharSet {
    const src = this.src
    const start = this.pos
    const d = src[start + 1]
    if (d === undefined) this.syntax('unexpected end of pattern after \\')
    this.pos = start + 2
    const predefined = shorthand(d, SHORTHANDS)
    if (predefined !== undefined) return predefined
    if (d === 'p' || d === 'P') {
      let name: string
      if (src[this.pos] === '{') {
        const e = src.indexOf('}', this.pos)
        if (e < 0) this.syntax('unclosed character family')
        name = src.slice(this.pos + 1, e)
        this.pos = e + 1
      } else {
        name = src[this.pos] ?? ''
        if (name === '') this.syntax('illegal character family')
        this.pos++
      }
      // Case-insensitive like the rest of the pattern: (?i)\p{Lower} matches 'A' too.
      const set = this.fold(this.property(name, start))
      return d === 'P' ? complement(set) : set
    }
    return this.fold(single(this.escapeChar(d, start)))
  }

  private property(name: string, at: number): CharSet {
    const bare = name.startsWith('Is') ? name.slice(2) : name
    const posix = POSIX[bare]
    if (posix !== undefined) return fromRanges(posix)
    if (GENERAL_CATEGORY.test(bare)) return nativeSet(`\\p{${bare}}`, '')
    const script = /^(?:script|sc)=([A-Za-z_]+)$/.exec(name) ?? (name.startsWith('Is') ? /^Is([A-Za-z_]+)$/.exec(name) : null)
    if (script !== null) {
      try {
        return nativeSet(`\\p{Script=${script[1]}}`, '')
      } catch {
        this.unsupported(`\\p{${name}}`, at)
      }
    }
    const gc = /^(?:general_category|gc)=([A-Za-z]+)$/.exec(name)
    if (gc !== null && GENERAL_CATEGORY.test(gc[1]!)) return nativeSet(`\\p{${gc[1]}}`, '')
    this.unsupported(`\\p{${name}}`, at)
  }

  /** The code point of a character escape `\d…` at `start`; `pos` is just after the letter. */
  private escapeChar(d: string, start: number): number {
    const src = this.src
    switch (d) {
      case 't':
        return 0x09
      case 'n':
        return 0x0a
      case 'r':
        return 0x0d
      case 'f':
        return 0x0c
      case 'a':
        return 0x07
      case 'e':
        return 0x1b
      case '0': {
        const m = /^(?:[0-3][0-7]{0,2}|[0-7]{1,2})/.exec(src.slice(this.pos, this.pos + 3))
        if (m === null) this.syntax('illegal octal escape sequence', start)
        this.pos += m[0].length
        return parseInt(m[0], 8)
      }
      case 'x': {
        if (src[this.pos] === '{') {
          const e = src.indexOf('}', this.pos)
          const h = e < 0 ? '' : src.slice(this.pos + 1, e)
          if (!/^[0-9a-fA-F]{1,8}$/.test(h) || parseInt(h, 16) > MAX_CP) this.syntax('illegal hexadecimal escape sequence', start)
          this.pos = e + 1
          return parseInt(h, 16)
        }
        const h = src.slice(this.pos, this.pos + 2)
        if (!/^[0-9a-fA-F]{2}$/.test(h)) this.syntax('illegal hexadecimal escape sequence', start)
        this.pos += 2
        return parseInt(h, 16)
      }
      case 'u': {
        const h = src.slice(this.pos, this.pos + 4)
        if (!/^[0-9a-fA-F]{4}$/.test(h)) this.syntax('illegal Unicode escape sequence', start)
        this.pos += 4
        return this.pairSurrogate(parseInt(h, 16))
      }
      case 'c': {
        const c = src.charCodeAt(this.pos)
        if (Number.isNaN(c)) this.syntax('illegal control escape sequence', start)
        this.pos++
        return c ^ 64
      }
    }
    if (/[a-zA-Z0-9]/.test(d)) this.syntax(`illegal/unsupported escape sequence \\${d}`, start)
    const cp = src.codePointAt(start + 1)!
    this.pos = start + 1 + (cp > 0xffff ? 2 : 1)
    return cp
  }

  /** A class after its `[`: union of items and nested classes, `&&` intersection, `^` negation. */
  protected classSet(start: number): CharSet {
    const src = this.src
    this.enter('classes', start)
    const negate = this.eat('^')
    let result: CharSet | null = null
    let parts: CharSet[] = []
    let ranges: number[] = []
    let first = true
    const flush = (): void => {
      parts.push(fromRanges(ranges))
      const u = union(parts)
      result = result === null ? u : intersect(result, u)
      parts = []
      ranges = []
    }
    for (;;) {
      const c = src[this.pos]
      if (c === undefined) this.syntax('unclosed character class', start)
      if (c === ']' && !first) {
        this.pos++
        break
      }
      first = false
      if (c === '[') {
        this.pos++
        parts.push(this.classSet(this.pos - 1))
        continue
      }
      if (c === '&' && src[this.pos + 1] === '&') {
        this.pos += 2
        flush()
        continue
      }
      if (c === '\\' && src[this.pos + 1] === 'Q') {
        const e = src.indexOf('\\E', this.pos + 2)
        const lit = e < 0 ? src.slice(this.pos + 2) : src.slice(this.pos + 2, e)
        this.pos = e < 0 ? src.length : e + 2
        for (const ch of lit) ranges.push(ch.codePointAt(0)!, ch.codePointAt(0)!)
        continue
      }
      const a = this.classAtom()
      if (
        typeof a === 'number' &&
        src[this.pos] === '-' &&
        src[this.pos + 1] !== ']' &&
        src[this.pos + 1] !== '[' &&
        src[this.pos + 1] !== undefined
      ) {
        this.pos++
        const b = this.classAtom()
        if (typeof b !== 'number' || b < a) this.syntax('illegal character range', start)
        ranges.push(a, b)
      } else if (typeof a === 'number') ranges.push(a, a)
      else parts.push(a)
    }
    flush()
    this.depth--
    const set = this.fold(result!)
    return negate ? complement(set) : set
  }

  private classAtom(): CharSet | number {
    const src = this.src
    if (src[this.pos] === '\\') {
      const d = src[this.pos + 1]
      if (d !== undefined && 'dDwWsShHvVpP'.includes(d)) return this.escapeSet()
      if (d === undefined) this.syntax('unexpected end of pattern after \\')
      const at = this.pos
      this.pos += 2
      return this.escapeChar(d, at)
    }
    return this.literal()
  }
}
