/**
 * Directives: `#set`, `#if`/`#elseif`/`#else`, `#foreach`, `#break`, `#stop`, `#macro`, `#define`, `#end`, macro
 * calls (`#name(…)`), and the text-like `##` and `#* *#` comments and `#[[ ]]#` unparsed blocks.
 */
import type { Expr, Node } from './ast'
import { type BlockEnd, type Cursor, isIdChar, isIdStart, skipWs } from './cursor'
import { parseArgs, parseExpression } from './expression'

/**
 * Handles `#…` at `p.pos`. Returns null when it is plain text, a string to replace the pending text with
 * (a comment or unparsed block), or `{ end }` after pushing the directive (end set when a block ends here).
 */
export function parseDirective(p: Cursor, nodes: Node[], text: string): null | string | { end: BlockEnd | null } {
  const s = p.src
  const start = p.pos
  const c1 = s.charCodeAt(start + 1)
  if (c1 === 35 /* ## */) {
    let e = start + 2
    while (e < s.length && s.charCodeAt(e) !== 10 && s.charCodeAt(e) !== 13) e++
    p.pos = e
    if (s.charCodeAt(e) === 13) p.pos = s.charCodeAt(e + 1) === 10 ? e + 2 : e + 1
    else if (e < s.length) p.pos = e + 1
    return text
  }
  if (c1 === 42 /* #* */) {
    const e = s.indexOf('*#', start + 2)
    if (e < 0) p.fail('unterminated #* comment', start)
    p.pos = e + 2
    return text
  }
  if (c1 === 91 && s.charCodeAt(start + 2) === 91 /* #[[ */) {
    const e = s.indexOf(']]#', start + 3)
    if (e < 0) p.fail('unterminated #[[ block', start)
    p.pos = e + 3
    return text + s.slice(start + 3, e)
  }
  let at = start + 1
  const braced = c1 === 123
  if (braced) at++
  if (!isIdStart(s.charCodeAt(at))) return null
  let e = at + 1
  while (e < s.length && isIdChar(s.charCodeAt(e))) e++
  const name = s.slice(at, e)
  if (braced) {
    if (s.charCodeAt(e) !== 125) return null
    e++
  }
  const flush = (t: string) => {
    if (t) nodes.push({ t: 'text', v: t })
  }
  p.lastDirective = start
  switch (name) {
    case 'else':
    case 'end': {
      flush(text)
      p.pos = e
      p.gobbleNewline()
      return { end: name }
    }
    case 'break':
    case 'stop': {
      flush(text)
      p.pos = e
      nodes.push({ t: name })
      return { end: null }
    }
    case 'set': {
      // Velocity 1.7 also swallows the indentation in front of a #set at the start of a line.
      let b = start
      while (b > 0 && (s.charCodeAt(b - 1) === 32 || s.charCodeAt(b - 1) === 9)) b--
      const lineStart = b === 0 ? p.offset === 0 : s.charCodeAt(b - 1) === 10 || s.charCodeAt(b - 1) === 13
      if (lineStart && start - b <= text.length) text = text.slice(0, text.length - (start - b))
      flush(text)
      p.pos = e
      p.expect('(', 'after #set')
      skipWs(p)
      if (s.charCodeAt(p.pos) !== 36) p.fail('#set needs a reference on the left')
      const target = p.tryRef(false)
      if (!target) p.fail('#set needs a reference on the left')
      if (target.chain.length && target.chain[target.chain.length - 1]!.k === 'call') p.fail('cannot assign to a method call')
      p.expect('=', 'in #set')
      const value = parseExpression(p)
      p.expect(')', 'to close #set')
      p.gobbleNewline()
      nodes.push({ t: 'set', target, value, pos: p.abs(start) })
      return { end: null }
    }
    case 'if':
    case 'elseif': {
      flush(text)
      p.pos = e
      p.expect('(', `after #${name}`)
      const cond = parseExpression(p)
      p.expect(')', `to close #${name}`)
      p.gobbleNewline()
      if (name === 'elseif') {
        p.pendingElseif = cond
        return { end: 'elseif' }
      }
      const branches: { cond: Expr; body: Node[] }[] = []
      let cur = cond
      let otherwise: Node[] | null = null
      for (;;) {
        const b = p.parseBlock()
        branches.push({ cond: cur, body: b.nodes })
        if (b.end === 'elseif') {
          cur = p.pendingElseif!
          continue
        }
        if (b.end === 'else') {
          const o = p.parseBlock()
          if (o.end !== 'end')
            p.fail(o.end === 'eof' ? '#if without #end' : `unexpected #${o.end}`, o.end === 'eof' ? start : p.lastDirective)
          otherwise = o.nodes
          break
        }
        if (b.end === 'eof') p.fail('#if without #end', start)
        break
      }
      nodes.push({ t: 'if', branches, otherwise })
      return { end: null }
    }
    case 'foreach': {
      flush(text)
      p.pos = e
      p.expect('(', 'after #foreach')
      skipWs(p)
      if (s.charCodeAt(p.pos) !== 36) p.fail('#foreach needs a $variable')
      p.pos++
      if (s.charCodeAt(p.pos) === 123) p.fail('#foreach needs a plain $variable')
      const v = p.ident()
      skipWs(p)
      if (s.slice(p.pos, p.pos + 2) !== 'in' || isIdChar(s.charCodeAt(p.pos + 2))) p.fail("expected 'in' in #foreach")
      p.pos += 2
      const iter = parseExpression(p)
      p.expect(')', 'to close #foreach')
      p.gobbleNewline()
      const b = p.parseBlock()
      if (b.end !== 'end')
        p.fail(b.end === 'eof' ? '#foreach without #end' : `unexpected #${b.end}`, b.end === 'eof' ? start : p.lastDirective)
      nodes.push({ t: 'foreach', name: v, iter, body: b.nodes, pos: p.abs(start) })
      return { end: null }
    }
    case 'macro': {
      flush(text)
      p.pos = e
      p.expect('(', 'after #macro')
      skipWs(p)
      const mname = p.ident()
      const params: string[] = []
      for (;;) {
        skipWs(p)
        if (s[p.pos] === ',') {
          p.pos++
          continue
        }
        if (s[p.pos] === ')') break
        if (s[p.pos] !== '$') p.fail('expected a $parameter or )')
        p.pos++
        params.push(p.ident())
      }
      p.pos++
      p.gobbleNewline()
      const b = p.parseBlock()
      if (b.end !== 'end')
        p.fail(b.end === 'eof' ? '#macro without #end' : `unexpected #${b.end}`, b.end === 'eof' ? start : p.lastDirective)
      nodes.push({ t: 'macro', name: mname, params, body: b.nodes })
      return { end: null }
    }
    case 'define': {
      flush(text)
      p.pos = e
      p.expect('(', 'after #define')
      skipWs(p)
      if (s[p.pos] !== '$') p.fail('#define needs a $variable')
      p.pos++
      const dname = p.ident()
      p.expect(')', 'to close #define')
      p.gobbleNewline()
      const b = p.parseBlock()
      if (b.end !== 'end')
        p.fail(b.end === 'eof' ? '#define without #end' : `unexpected #${b.end}`, b.end === 'eof' ? start : p.lastDirective)
      nodes.push({ t: 'define', name: dname, body: b.nodes })
      return { end: null }
    }
    default: {
      // `#name(...)` is a macro call; anything else is text.
      let q = e
      while (s.charCodeAt(q) === 32 || s.charCodeAt(q) === 9) q++
      if (s.charCodeAt(q) !== 40) return null
      flush(text)
      p.pos = q + 1
      const args = parseArgs(p, ')', true)
      const raw = s.slice(start, p.pos)
      p.gobbleNewline()
      nodes.push({ t: 'call', name, args, raw, pos: p.abs(start) })
      return { end: null }
    }
  }
}
