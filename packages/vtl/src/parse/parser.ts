/**
 * Velocity 1.7 template parser: text, escapes, references and string literals; directives are read by
 * `directives.ts` and expressions by `expression.ts`, on this same cursor.
 */
import type { Expr, Node, Ref, Seg } from './ast'
import { type BlockEnd, Cursor, isIdStart, skipWs } from './cursor'
import { parseDirective } from './directives'
import { parseArgs, parseExpression } from './expression'

const DIRECTIVES = new Set(['set', 'if', 'elseif', 'else', 'end', 'foreach', 'break', 'stop', 'macro', 'define'])

export class Parser extends Cursor {
  /** Parses the whole template. */
  parseTemplate(): Node[] {
    const { nodes, end } = this.parseBlock()
    if (end !== 'eof') this.fail(`unexpected #${end}`, this.lastDirective)
    return nodes
  }

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
        const r = parseDirective(this, nodes, text)
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
}

function unicodeEscapes(s: string): string {
  if (!s.includes('\\u')) return s
  return s.replace(/\\u([0-9a-fA-F]{4})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
}

/** Parses a template into its tree. Throws {@link VtlError} (`VTL_SYNTAX`) with the position of the problem. */
export function parseTemplate(source: string): Node[] {
  return new Parser(source).parseTemplate()
}
