/**
 * Expressions inside directive parentheses, method arguments and index brackets (Velocity 1.7 grammar): operators
 * by precedence, `!`/`not`, and the literals (numbers, booleans, lists, ranges, maps; strings and references are
 * read by the template parser through the cursor).
 */
import type { BinOp, Expr } from './ast'
import { type Cursor, isIdChar, skipWs } from './cursor'
import { Dbl } from '../values/model'

const LEVELS: [string, BinOp][][] = [
  [
    ['||', '||'],
    ['or', '||'],
  ],
  [
    ['&&', '&&'],
    ['and', '&&'],
  ],
  [
    ['==', '=='],
    ['!=', '!='],
    ['eq', '=='],
    ['ne', '!='],
  ],
  [
    ['<=', '<='],
    ['>=', '>='],
    ['<', '<'],
    ['>', '>'],
    ['le', '<='],
    ['ge', '>='],
    ['lt', '<'],
    ['gt', '>'],
  ],
  [
    ['+', '+'],
    ['-', '-'],
  ],
  [
    ['*', '*'],
    ['/', '/'],
    ['%', '%'],
  ],
]

function matchOp(p: Cursor, level: number): BinOp | null {
  skipWs(p)
  const s = p.src
  for (const [tok, op] of LEVELS[level]!) {
    if (!s.startsWith(tok, p.pos)) continue
    const isWord = tok.charCodeAt(0) >= 97
    if (isWord && isIdChar(s.charCodeAt(p.pos + tok.length))) continue
    // `=` alone is assignment, never a comparison; `!=`/`==` are matched whole above.
    if (tok === '<' || tok === '>') {
      if (s[p.pos + 1] === '=') continue
    }
    p.pos += tok.length
    return op
  }
  return null
}

function binary(p: Cursor, level: number): Expr {
  if (level === LEVELS.length) return unary(p)
  let l = binary(p, level + 1)
  for (;;) {
    const save = p.pos
    const op = matchOp(p, level)
    if (!op) {
      p.pos = save
      return l
    }
    const r = binary(p, level + 1)
    l = { t: 'bin', op, l, r }
  }
}

function unary(p: Cursor): Expr {
  skipWs(p)
  const s = p.src
  if (s[p.pos] === '!' && s[p.pos + 1] !== '=') {
    p.pos++
    return { t: 'not', e: unary(p) }
  }
  if (s.startsWith('not', p.pos) && !isIdChar(s.charCodeAt(p.pos + 3))) {
    p.pos += 3
    return { t: 'not', e: unary(p) }
  }
  return primary(p)
}

function primary(p: Cursor): Expr {
  skipWs(p)
  const s = p.src
  const c = s[p.pos]
  if (c === undefined) p.fail('unexpected end of template in expression')
  if (c === '$') return p.tryRef(false)!
  if (c === '"' || c === "'") return p.stringLiteral()
  if ((c >= '0' && c <= '9') || (c === '-' && s[p.pos + 1]! >= '0' && s[p.pos + 1]! <= '9')) return numberLiteral(p)
  if (c === '(') {
    p.pos++
    const e = parseExpression(p)
    p.expect(')', 'to close (')
    return e
  }
  if (c === '[') {
    const at = p.pos
    p.pos++
    skipWs(p)
    if (s[p.pos] === ']') {
      p.pos++
      return { t: 'list', items: [] }
    }
    const first = parseExpression(p)
    skipWs(p)
    if (s.startsWith('..', p.pos)) {
      p.pos += 2
      const to = parseExpression(p)
      p.expect(']', 'to close the range')
      return { t: 'range', from: first, to, pos: p.abs(at) }
    }
    const items = [first]
    for (;;) {
      skipWs(p)
      if (s[p.pos] === ']') {
        p.pos++
        return { t: 'list', items }
      }
      if (s[p.pos] !== ',') p.fail("expected ',' or ']' in list")
      p.pos++
      items.push(parseExpression(p))
    }
  }
  if (c === '{') {
    p.pos++
    const entries: [Expr, Expr][] = []
    skipWs(p)
    if (s[p.pos] === '}') {
      p.pos++
      return { t: 'map', entries }
    }
    for (;;) {
      const k = parseExpression(p)
      p.expect(':', 'in map literal')
      const v = parseExpression(p)
      entries.push([k, v])
      skipWs(p)
      if (s[p.pos] === '}') {
        p.pos++
        return { t: 'map', entries }
      }
      if (s[p.pos] !== ',') p.fail("expected ',' or '}' in map")
      p.pos++
    }
  }
  if (s.startsWith('true', p.pos) && !isIdChar(s.charCodeAt(p.pos + 4))) {
    p.pos += 4
    return { t: 'lit', v: true }
  }
  if (s.startsWith('false', p.pos) && !isIdChar(s.charCodeAt(p.pos + 5))) {
    p.pos += 5
    return { t: 'lit', v: false }
  }
  p.fail(`unexpected '${c}' in expression`)
}

function numberLiteral(p: Cursor): Expr {
  const m = /^-?\d+(\.\d+)?/.exec(p.src.slice(p.pos, p.pos + 64))!
  p.pos += m[0].length
  if (m[1]) return { t: 'lit', v: new Dbl(Number(m[0])) }
  const n = Number(m[0])
  if (!Number.isSafeInteger(n)) return { t: 'lit', v: new Dbl(n) }
  return { t: 'lit', v: n }
}

/** Parses one expression (lowest precedence: `||`). */
export function parseExpression(p: Cursor): Expr {
  return binary(p, 0)
}

/**
 * Parses arguments up to `close`. Method calls need commas between arguments; macro calls (`loose`) also accept
 * whitespace alone, as Velocity does.
 */
export function parseArgs(p: Cursor, close: string, loose: boolean): Expr[] {
  const s = p.src
  const args: Expr[] = []
  skipWs(p)
  if (s[p.pos] === close) {
    p.pos++
    return args
  }
  for (;;) {
    args.push(parseExpression(p))
    skipWs(p)
    if (s[p.pos] === close) {
      p.pos++
      return args
    }
    if (s[p.pos] === ',') {
      p.pos++
      continue
    }
    if (!loose || p.pos >= s.length) p.fail(`expected ',' or '${close}'`)
  }
}
