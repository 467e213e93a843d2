/**
 * java.util.regex syntax, as VTL templates use it (`matches`, `replaceAll`, `split`): Java's `.` and `$`,
 * `\A \z \Z \R`, `\Q…\E`, possessive quantifiers, inline flags `(?i)` `(?s)` `(?m)` (`(?u)` for Unicode case)
 * anywhere and scoped `(?i:…)`, named groups and backreferences. Classes, properties and escapes that stand for a
 * set are in ./parse-java-class.
 */
import { Assert, type Node, type Parsed } from './ast'
import { complement, fromRanges, JAVA_LINE, MAX_CP, single } from './charset'
import { RegexError } from './errors'
import { type JavaFlags, JavaSetParser, V_SPACE } from './parse-java-class'

/** Parse a Java pattern. `initial` flags (any of i, m, s) act like a leading `(?ims)`. */
export function parseJava(source: string, initial: string, allowBacktracking: boolean): Parsed {
  const flags: JavaFlags = { i: false, m: false, s: false, u: false }
  for (const f of initial) {
    if (f === 'i' || f === 'm' || f === 's' || f === 'u') flags[f] = true
    else throw new RegexError('REGEX_SYNTAX', `unsupported flag ${JSON.stringify(f)} (Java patterns carry inline flags)`)
  }
  return new JavaParser(source, flags, allowBacktracking).run()
}

class JavaParser extends JavaSetParser {
  private readonly names = new Map<string, number>()

  protected override strayClose(): never {
    this.syntax("unmatched closing ')'")
  }

  // Java has no literal `{` after an atom (ECMAScript without `u` does): `a{,2}` and `a{x}` are errors.
  protected override badBound(): never {
    this.syntax('illegal repetition')
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
        return this.syntax(`dangling meta character '${c}'`)
      case '{':
        return this.syntax('illegal repetition')
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
        return this.unsupported(`\\${d}`, start)
      case 'R': {
        // Java's linebreak: \r\n, or any one of \v's characters.
        this.pos += 2
        const crlf: Node = {
          t: 'seq',
          items: [
            { t: 'char', set: single(0x0d) },
            { t: 'char', set: single(0x0a) },
          ],
        }
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
}
