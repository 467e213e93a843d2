/**
 * Velocity 1.7 template parser: text, references and directives. Expressions inside directive parentheses are
 * parsed by `expression.ts`, which shares this cursor.
 */
import type { Expr, Node, Ref, Seg } from './ast'
import { VtlError, positionOf } from './errors'
import { parseExpression, parseArgs, skipWs } from './expression'
import { Dbl } from './values'

export type BlockEnd = 'end' | 'else' | 'elseif' | 'eof'

const DIRECTIVES = new Set(['set', 'if', 'elseif', 'else', 'end', 'foreach', 'break', 'stop', 'macro', 'define'])

export function isIdStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95
}

/** Velocity 1.7 lets identifiers contain `-` (so `$a-b` is one reference). */
export function isIdChar(c: number): boolean {
  return isIdStart(c) || (c >= 48 && c <= 57) || c === 45
}

export class Parser {
  pos = 0
  /** Offset of `src` inside `origin` (string literals are parsed as sub-templates). */
  constructor(
    readonly src: string,
    readonly origin: string = src,
    readonly offset = 0,
  ) {}

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

  /** Parses the whole template. */
  parseTemplate(): Node[] {
    const { nodes, end } = this.parseBlock()
    if (end !== 'eof') this.fail(`unexpected #${end}`, this.lastDirective)
    return nodes
  }

  lastDirective = 0
  pendingElseif: Expr | null = null

  /** Parses nodes until `#end`, `#else`, `#elseif` or the end of input, and says which one stopped it. */
  parseBlock(): { nodes: Node[]; end: BlockEnd } {
    const s = this.src
    const nodes: Node[] = []
    let text = ''
    const flush = () => {
      if (text) nodes.push({ t: 'text', v: text })
      text = ''
    }
    while (this.pos < s.length) {
      const c = s.charCodeAt(this.pos)
      if (c === 36 /* $ */) {
        const ref = this.tryRef(true)
        if (ref) {
          flush()
          nodes.push({ t: 'ref', ref })
        } else {
          text += '$'
          this.pos++
        }
      } else if (c === 35 /* # */) {
        const before = this.pos
        const r = this.directive(nodes, text, false)
        if (r === null) {
          text += '#'
          this.pos = before + 1
          continue
        }
        if (typeof r === 'string') {
          text = r
          continue
        }
        text = ''
        if (r.end) return { nodes, end: r.end }
      } else if (c === 92 /* \ */) {
        let k = 0
        while (s.charCodeAt(this.pos + k) === 92) k++
        const next = s.charCodeAt(this.pos + k)
        const at = this.pos
        if (next === 36) {
          this.pos = at + k
          const ref = this.tryRef(true)
          if (ref) {
            flush()
            if (k % 2 === 0) {
              nodes.push({ t: 'text', v: '\\'.repeat(k / 2) })
              nodes.push({ t: 'ref', ref })
            } else nodes.push({ t: 'escref', n: k, ref })
            continue
          }
          text += '\\'.repeat(k)
          continue
        }
        if (next === 35 && this.isDirectiveAt(at + k)) {
          text += '\\'.repeat(k >> 1)
          this.pos = at + k
          if (k % 2 === 1) {
            // An escaped directive prints as text; only its `#name` is consumed, the rest is parsed normally.
            const m = /^#\{?[a-zA-Z]+\}?/.exec(s.slice(this.pos, this.pos + 20))!
            text += m[0]
            this.pos += m[0].length
          }
          continue
        }
        text += '\\'.repeat(k)
        this.pos = at + k
      } else {
        let e = this.pos + 1
        while (e < s.length) {
          const d = s.charCodeAt(e)
          if (d === 36 || d === 35 || d === 92) break
          e++
        }
        text += s.slice(this.pos, e)
        this.pos = e
      }
    }
    flush()
    return { nodes, end: 'eof' }
  }

  isDirectiveAt(at: number): boolean {
    const m = /^#\{?([a-zA-Z]+)/.exec(this.src.slice(at, at + 20))
    return m !== null && DIRECTIVES.has(m[1]!)
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

  /**
   * Handles `#…` at `this.pos`. Returns null when it is plain text, a string to replace the pending text with
   * (a comment or unparsed block), or `{ end }` after pushing the directive (end set when a block ends here).
   */
  directive(nodes: Node[], text: string, _inString: boolean): null | string | { end: BlockEnd | null } {
    const s = this.src
    const start = this.pos
    const c1 = s.charCodeAt(start + 1)
    if (c1 === 35 /* ## */) {
      let e = start + 2
      while (e < s.length && s.charCodeAt(e) !== 10 && s.charCodeAt(e) !== 13) e++
      this.pos = e
      if (s.charCodeAt(e) === 13) this.pos = s.charCodeAt(e + 1) === 10 ? e + 2 : e + 1
      else if (e < s.length) this.pos = e + 1
      return text
    }
    if (c1 === 42 /* #* */) {
      const e = s.indexOf('*#', start + 2)
      if (e < 0) this.fail('unterminated #* comment', start)
      this.pos = e + 2
      return text
    }
    if (c1 === 91 && s.charCodeAt(start + 2) === 91 /* #[[ */) {
      const e = s.indexOf(']]#', start + 3)
      if (e < 0) this.fail('unterminated #[[ block', start)
      this.pos = e + 3
      return text + s.slice(start + 3, e)
    }
    let p = start + 1
    const braced = c1 === 123
    if (braced) p++
    if (!isIdStart(s.charCodeAt(p))) return null
    let e = p + 1
    while (e < s.length && isIdChar(s.charCodeAt(e))) e++
    const name = s.slice(p, e)
    if (braced) {
      if (s.charCodeAt(e) !== 125) return null
      e++
    }
    const flush = (t: string) => {
      if (t) nodes.push({ t: 'text', v: t })
    }
    this.lastDirective = start
    switch (name) {
      case 'else':
      case 'end': {
        flush(text)
        this.pos = e
        this.gobbleNewline()
        return { end: name }
      }
      case 'break':
      case 'stop': {
        flush(text)
        this.pos = e
        nodes.push({ t: name })
        return { end: null }
      }
      case 'set': {
        // Velocity 1.7 also swallows the indentation in front of a #set at the start of a line.
        let b = start
        while (b > 0 && (s.charCodeAt(b - 1) === 32 || s.charCodeAt(b - 1) === 9)) b--
        const lineStart = b === 0 ? this.offset === 0 : s.charCodeAt(b - 1) === 10 || s.charCodeAt(b - 1) === 13
        if (lineStart && start - b <= text.length) text = text.slice(0, text.length - (start - b))
        flush(text)
        this.pos = e
        this.expect('(', 'after #set')
        skipWs(this)
        if (s.charCodeAt(this.pos) !== 36) this.fail('#set needs a reference on the left')
        const target = this.tryRef(false)
        if (!target) this.fail('#set needs a reference on the left')
        if (target.chain.length && target.chain[target.chain.length - 1]!.k === 'call') this.fail('cannot assign to a method call')
        this.expect('=', 'in #set')
        const value = parseExpression(this)
        this.expect(')', 'to close #set')
        this.gobbleNewline()
        nodes.push({ t: 'set', target, value, pos: this.abs(start) })
        return { end: null }
      }
      case 'if':
      case 'elseif': {
        flush(text)
        this.pos = e
        this.expect('(', `after #${name}`)
        const cond = parseExpression(this)
        this.expect(')', `to close #${name}`)
        this.gobbleNewline()
        if (name === 'elseif') {
          this.pendingElseif = cond
          return { end: 'elseif' }
        }
        const branches: { cond: Expr; body: Node[] }[] = []
        let cur = cond
        let otherwise: Node[] | null = null
        for (;;) {
          const b = this.parseBlock()
          branches.push({ cond: cur, body: b.nodes })
          if (b.end === 'elseif') {
            cur = this.pendingElseif!
            continue
          }
          if (b.end === 'else') {
            const o = this.parseBlock()
            if (o.end !== 'end') this.fail(o.end === 'eof' ? '#if without #end' : `unexpected #${o.end}`, o.end === 'eof' ? start : this.lastDirective)
            otherwise = o.nodes
            break
          }
          if (b.end === 'eof') this.fail('#if without #end', start)
          break
        }
        nodes.push({ t: 'if', branches, otherwise })
        return { end: null }
      }
      case 'foreach': {
        flush(text)
        this.pos = e
        this.expect('(', 'after #foreach')
        skipWs(this)
        if (s.charCodeAt(this.pos) !== 36) this.fail('#foreach needs a $variable')
        this.pos++
        if (s.charCodeAt(this.pos) === 123) this.fail('#foreach needs a plain $variable')
        const v = this.ident()
        skipWs(this)
        if (s.slice(this.pos, this.pos + 2) !== 'in' || isIdChar(s.charCodeAt(this.pos + 2))) this.fail("expected 'in' in #foreach")
        this.pos += 2
        const iter = parseExpression(this)
        this.expect(')', 'to close #foreach')
        this.gobbleNewline()
        const b = this.parseBlock()
        if (b.end !== 'end') this.fail(b.end === 'eof' ? '#foreach without #end' : `unexpected #${b.end}`, b.end === 'eof' ? start : this.lastDirective)
        nodes.push({ t: 'foreach', name: v, iter, body: b.nodes, pos: this.abs(start) })
        return { end: null }
      }
      case 'macro': {
        flush(text)
        this.pos = e
        this.expect('(', 'after #macro')
        skipWs(this)
        const mname = this.ident()
        const params: string[] = []
        for (;;) {
          skipWs(this)
          if (s[this.pos] === ',') {
            this.pos++
            continue
          }
          if (s[this.pos] === ')') break
          if (s[this.pos] !== '$') this.fail('expected a $parameter or )')
          this.pos++
          params.push(this.ident())
        }
        this.pos++
        this.gobbleNewline()
        const b = this.parseBlock()
        if (b.end !== 'end') this.fail(b.end === 'eof' ? '#macro without #end' : `unexpected #${b.end}`, b.end === 'eof' ? start : this.lastDirective)
        nodes.push({ t: 'macro', name: mname, params, body: b.nodes })
        return { end: null }
      }
      case 'define': {
        flush(text)
        this.pos = e
        this.expect('(', 'after #define')
        skipWs(this)
        if (s[this.pos] !== '$') this.fail('#define needs a $variable')
        this.pos++
        const dname = this.ident()
        this.expect(')', 'to close #define')
        this.gobbleNewline()
        const b = this.parseBlock()
        if (b.end !== 'end') this.fail(b.end === 'eof' ? '#define without #end' : `unexpected #${b.end}`, b.end === 'eof' ? start : this.lastDirective)
        nodes.push({ t: 'define', name: dname, body: b.nodes })
        return { end: null }
      }
      default: {
        // `#name(...)` is a macro call; anything else is text.
        let q = e
        while (s.charCodeAt(q) === 32 || s.charCodeAt(q) === 9) q++
        if (s.charCodeAt(q) !== 40) return null
        flush(text)
        this.pos = q + 1
        const args = parseArgs(this, ')', true)
        const raw = s.slice(start, this.pos)
        this.gobbleNewline()
        nodes.push({ t: 'call', name, args, raw, pos: this.abs(start) })
        return { end: null }
      }
    }
  }

  /**
   * Parses `$a`, `$!a`, `${a}`, `$a.b.c(…)[i]` at `this.pos`. In text, anything that is not a reference leaves
   * the cursor alone and returns null (the `$` is text).
   */
  tryRef(inText: boolean): Ref | null {
    const s = this.src
    const start = this.pos
    let p = start + 1
    const quiet = s.charCodeAt(p) === 33
    if (quiet) p++
    const braced = s.charCodeAt(p) === 123
    if (braced) p++
    if (!isIdStart(s.charCodeAt(p))) {
      if (!inText) this.fail('expected a reference')
      return null
    }
    this.pos = p
    const name = this.ident()
    const chain: Seg[] = []
    for (;;) {
      const c = s.charCodeAt(this.pos)
      if (c === 46 /* . */ && isIdStart(s.charCodeAt(this.pos + 1))) {
        const at = this.pos
        this.pos++
        const id = this.ident()
        if (s.charCodeAt(this.pos) === 40) {
          this.pos++
          chain.push({ k: 'call', name: id, args: parseArgs(this, ')', false), pos: this.abs(at) })
        } else chain.push({ k: 'prop', name: id })
      } else if (c === 91 /* [ */) {
        const at = this.pos
        this.pos++
        try {
          const e = parseExpression(this)
          skipWs(this)
          if (s.charCodeAt(this.pos) !== 93) this.fail("expected ']'")
          this.pos++
          chain.push({ k: 'index', e })
        } catch (err) {
          if (!inText || braced) throw err
          this.pos = at
          break
        }
      } else break
    }
    if (braced) {
      if (s.charCodeAt(this.pos) !== 125) {
        if (!inText) this.fail("expected '}'")
        this.pos = start
        return null
      }
      this.pos++
    }
    return { t: 'ref', quiet, name, chain, raw: s.slice(start, this.pos), pos: this.abs(start) }
  }

  /** Parses a string literal's content as a template (double quotes interpolate, single quotes do not). */
  stringLiteral(): Expr {
    const s = this.src
    const q = s[this.pos]!
    const start = this.pos + 1
    let p = start
    if (q === '"') {
      while (p < s.length && s[p] !== '"') p += s[p] === '\\' && s[p + 1] === '"' ? 2 : 1
    } else {
      while (p < s.length && s[p] !== "'") p++
    }
    if (p >= s.length) this.fail('unterminated string literal', this.pos)
    const body = unicodeEscapes(s.slice(start, p))
    this.pos = p + 1
    if (q === "'" || (!body.includes('$') && !body.includes('#'))) return { t: 'lit', v: body }
    const sub = new Parser(body, this.origin, this.offset + start)
    const parts = sub.parseTemplate()
    if (parts.length === 1 && parts[0]!.t === 'text') return { t: 'lit', v: parts[0]!.v }
    return { t: 'str', parts }
  }

  numberLiteral(): Expr {
    const m = /^-?\d+(\.\d+)?/.exec(this.src.slice(this.pos, this.pos + 64))!
    this.pos += m[0].length
    if (m[1]) return { t: 'lit', v: new Dbl(Number(m[0])) }
    const n = Number(m[0])
    if (!Number.isSafeInteger(n)) return { t: 'lit', v: new Dbl(n) }
    return { t: 'lit', v: n }
  }
}

function unicodeEscapes(s: string): string {
  if (!s.includes('\\u')) return s
  return s.replace(/\\u([0-9a-fA-F]{4})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
}

/** Parses a template into its tree. Throws {@link VtlError} (`VTL_SYNTAX`) with the position of the problem. */
export function parseTemplate(source: string): Node[] {
  return new Parser(source).parseTemplate()
}
