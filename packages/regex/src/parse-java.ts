// java.util.regex syntax, as VTL templates use it (`matches`, `replaceAll`, `split`): Java's `\s`, `.` and `$`,
// `\A \z \Z`, `\Q…\E`, POSIX `\p{Lower}` classes, nested classes and `&&`, inline flags `(?i)` `(?s)` `(?m)`
// (`(?u)` for Unicode case) anywhere and scoped `(?i:…)`. Case-insensitivity is ASCII-only unless `u`, as in Java.
import { Assert, type Node, type Parsed } from './ast'
import {
  type CharSet, DIGIT, JAVA_LINE, JAVA_SPACE, MAX_CP, WORD,
  complement, foldAscii, foldUnicode, fromRanges, intersect, nativeSet, single, union,
} from './charset'
import { RegexError } from './errors'
import { Parser, shorthand, type Shorthands } from './parser'

interface Flags {
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
const H_SPACE = [0x20, 0x20, 0x09, 0x09, 0xa0, 0xa0, 0x1680, 0x1680, 0x180e, 0x180e, 0x2000, 0x200a, 0x202f, 0x202f, 0x205f, 0x205f, 0x3000, 0x3000]
const V_SPACE = [0x0a, 0x0d, 0x85, 0x85, 0x2028, 0x2029]
const SHORTHANDS: Shorthands = new Map([['d', DIGIT], ['w', WORD], ['s', JAVA_SPACE], ['h', H_SPACE], ['v', V_SPACE]])
const GENERAL_CATEGORY = /^(?:L[ultmo]?|M[nce]?|N[dlo]?|P[cdseifo]?|S[mcko]?|Z[slp]?|C[cfson]?)$/

/** Parse a Java pattern. `initial` flags (any of i, m, s) act like a leading `(?ims)`. */
export function parseJava(source: string, initial: string, allowBacktracking: boolean): Parsed {
  const flags: Flags = { i: false, m: false, s: false, u: false }
  for (const f of initial) {
    if (f === 'i' || f === 'm' || f === 's' || f === 'u') flags[f] = true
    else throw new RegexError('REGEX_SYNTAX', `unsupported flag ${JSON.stringify(f)} (Java patterns carry inline flags)`)
  }
  return new JavaParser(source, flags, allowBacktracking).run()
}

class JavaParser extends Parser {
  private readonly names = new Map<string, number>()

  constructor(
    src: string,
    private flags: Flags,
    allowBacktracking: boolean,
  ) {
    super(src, allowBacktracking)
  }

  private syntax(what: string, at = this.pos): never {
    throw new RegexError('REGEX_SYNTAX', `${what} at offset ${at} in ${JSON.stringify(this.src.slice(0, 200))}`, at)
  }

  protected override strayClose(): never {
    this.syntax("unmatched closing ')'")
  }

  // Java has no literal `{` after an atom (ECMAScript without `u` does): `a{,2}` and `a{x}` are errors.
  protected override badBound(): never {
    this.syntax('illegal repetition')
  }

  private fold(set: CharSet): CharSet {
    if (!this.flags.i) return set
    return this.flags.u ? foldUnicode(set) : foldAscii(set)
  }

  /** One term, or null for an inline flag group `(?i)` that only changed the flags. */
  protected override term(): Node | null {
    const src = this.src
    const start = this.pos
    const c = src[start]!
    let atom: Node
    switch (c) {
      case '^':
        this.pos++
        atom = { t: 'assert', kind: this.flags.m ? Assert.JavaLineStart : Assert.Start }
        break
      case '$':
        this.pos++
        atom = { t: 'assert', kind: this.flags.m ? Assert.JavaLineEnd : Assert.JavaEnd }
        break
      case '(': {
        const g = this.group()
        if (g === null) return null
        atom = g
        break
      }
      case '.':
        this.pos++
        atom = { t: 'char', set: this.flags.s ? fromRanges([0, MAX_CP]) : complement(fromRanges(JAVA_LINE)) }
        break
      case '[':
        this.pos++
        atom = { t: 'char', set: this.classSet(start) }
        break
      case '\\':
        if (src[start + 1] === 'Q') return this.quote(start)
        atom = this.escape()
        break
      case '*':
      case '+':
      case '?':
        this.syntax(`dangling meta character '${c}'`)
      // eslint-disable-next-line no-fallthrough
      case '{':
        this.syntax('illegal repetition')
      // eslint-disable-next-line no-fallthrough
      default:
        atom = { t: 'char', set: this.fold(single(this.literal())) }
    }
    return this.quantified(atom, start)
  }

  /** The quantifier after `atom`, with Java's possessive `+` suffix (an atomic group around the repeat). */
  private quantified(atom: Node, start: number): Node {
    const at = this.pos
    const q = this.quantifier()
    if (q === null) return atom
    if (q.max < q.min) this.syntax('illegal repetition range', at)
    const node: Node = { t: 'repeat', body: atom, min: q.min, max: q.max, greedy: q.greedy }
    if (!q.greedy || !this.eat('+')) return node
    this.needsBacktracking('possessive quantifier', start)
    return { t: 'atomic', body: node }
  }

  private group(): Node | null {
    const src = this.src
    const start = this.pos
    this.enter('groups', start)
    this.pos++
    const saved = { ...this.flags }
    let make: (body: Node) => Node
    if (src[this.pos] === '?') {
      const d = src[this.pos + 1]
      if (d === ':') {
        this.pos += 2
        make = (body) => ({ t: 'group', index: 0, body })
      } else if (d === '=' || d === '!' || (d === '<' && (src[this.pos + 2] === '=' || src[this.pos + 2] === '!'))) {
        this.needsBacktracking('lookaround', start)
        const behind = d === '<'
        const negate = (behind ? src[this.pos + 2] : d) === '!'
        this.pos += behind ? 3 : 2
        make = (body) => ({ t: 'look', behind, negate, body })
      } else if (d === '>') {
        this.needsBacktracking('atomic group', start)
        this.pos += 2
        make = (body) => ({ t: 'atomic', body })
      } else if (d === '<') {
        const m = /^[a-zA-Z][a-zA-Z0-9]*>/.exec(src.slice(this.pos + 2, this.pos + 300))
        if (m === null) this.syntax('bad named group')
        const name = m[0].slice(0, -1)
        if (this.names.has(name)) this.syntax(`named group <${name}> is already defined`)
        this.pos += 2 + m[0].length
        const index = ++this.groups
        this.names.set(name, index)
        make = (body) => ({ t: 'group', index, body })
      } else {
        // Inline flags: (?i) for the rest of the enclosing group, (?i:…) for the group's body.
        const m = /^[a-zA-Z]*(?:-[a-zA-Z]*)?[:)]/.exec(src.slice(this.pos + 1, this.pos + 40))
        if (m === null) this.syntax('unknown inline modifier')
        let on = true
        for (const f of m[0].slice(0, -1)) {
          if (f === '-') on = false
          else if (f === 'i' || f === 'm' || f === 's' || f === 'u') this.flags[f] = on
          else if (f === 'x' || f === 'd' || f === 'U') this.unsupported(`inline flag (?${f})`, start)
          else this.syntax(`unknown inline flag ${f}`)
        }
        this.pos += 1 + m[0].length
        if (m[0].endsWith(')')) {
          this.depth--
          return null // the new flags stay in force to the end of the enclosing group
        }
        make = (body) => ({ t: 'group', index: 0, body })
      }
    } else {
      const index = ++this.groups
      make = (body) => ({ t: 'group', index, body })
    }
    const body = this.disjunction()
    if (src[this.pos] !== ')') this.syntax('unclosed group', start)
    this.pos++
    this.depth--
    this.flags = saved
    return make(body)
  }

  /** `\Q…\E`: literal text; a quantifier after it applies to its last character, as in Java. */
  private quote(start: number): Node {
    const src = this.src
    const e = src.indexOf('\\E', start + 2)
    const lit = e < 0 ? src.slice(start + 2) : src.slice(start + 2, e)
    this.pos = e < 0 ? src.length : e + 2
    const items: Node[] = []
    for (const ch of lit) items.push({ t: 'char', set: this.fold(single(ch.codePointAt(0)!)) })
    if (items.length === 0) return { t: 'empty' }
    const last = this.quantified(items.pop()!, start)
    return items.length === 0 ? last : { t: 'seq', items: [...items, last] }
  }

  /** `\` outside a class; `pos` is at the backslash. */
  private escape(): Node {
    const src = this.src
    const start = this.pos
    const d = src[start + 1]
    if (d === undefined) this.syntax('unexpected end of pattern after \\')
    switch (d) {
      case 'b':
      case 'B':
        this.pos += 2
        if (src[this.pos] === '{') this.unsupported('\\b{…}', start)
        return { t: 'assert', kind: d === 'b' ? Assert.JavaWordBoundary : Assert.JavaNotWordBoundary }
      case 'A':
        this.pos += 2
        return { t: 'assert', kind: Assert.Start }
      case 'z':
        this.pos += 2
        return { t: 'assert', kind: Assert.End }
      case 'Z':
        this.pos += 2
        return { t: 'assert', kind: Assert.JavaEnd }
      case 'G':
      case 'X':
      case 'N':
        this.unsupported(`\\${d}`, start)
      // eslint-disable-next-line no-fallthrough
      case 'R': {
        // Java's linebreak: \r\n, or any one of \v's characters.
        this.pos += 2
        const crlf: Node = { t: 'seq', items: [{ t: 'char', set: single(0x0d) }, { t: 'char', set: single(0x0a) }] }
        return { t: 'alt', items: [crlf, { t: 'char', set: fromRanges(V_SPACE) }] }
      }
      case 'k': {
        const m = /^<([a-zA-Z][a-zA-Z0-9]*)>/.exec(src.slice(start + 2, start + 300))
        if (m === null) this.syntax('\\k is not followed by <name>')
        const index = this.names.get(m[1]!)
        if (index === undefined) this.syntax(`named capturing group <${m[1]}> does not exist`, start)
        this.needsBacktracking('backreference', start)
        this.pos = start + 2 + m[0].length
        return { t: 'backref', index }
      }
    }
    if (d >= '1' && d <= '9') {
      this.needsBacktracking('backreference', start)
      // Java reads further digits only while they still name an existing group.
      let index = Number(d)
      this.pos = start + 2
      while (src[this.pos]! >= '0' && src[this.pos]! <= '9' && index * 10 + Number(src[this.pos]) <= this.groups) {
        index = index * 10 + Number(src[this.pos])
        this.pos++
      }
      return { t: 'backref', index }
    }
    return { t: 'char', set: this.escapeSet() }
  }

  /** An escape that stands for a set or one character (inside or outside a class); `pos` is at the backslash. */
  private escapeSet(): CharSet {
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
  private classSet(start: number): CharSet {
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
      if (typeof a === 'number' && src[this.pos] === '-' && src[this.pos + 1] !== ']' && src[this.pos + 1] !== '[' && src[this.pos + 1] !== undefined) {
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
