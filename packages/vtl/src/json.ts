/**
 * JSON → Velocity values: objects become `Map`s (document order, any key), arrays become lists that print as
 * JSON, integers stay integers and numbers with a fraction or exponent become doubles (`1.0` prints `1.0`).
 */
import { Dbl, markJsonList } from './values'

export class JsonSyntaxError extends Error {}

const MAX_DEPTH = 1000

export function parseJson(text: string): unknown {
  let i = 0
  const n = text.length
  const ws = () => {
    while (i < n) {
      const c = text.charCodeAt(i)
      if (c === 32 || c === 10 || c === 13 || c === 9) i++
      else break
    }
  }
  const fail = (): never => {
    throw new JsonSyntaxError(`invalid JSON at offset ${i}`)
  }
  const str = (): string => {
    i++
    let out = ''
    let start = i
    for (;;) {
      if (i >= n) fail()
      const c = text.charCodeAt(i)
      if (c === 34) {
        out += text.slice(start, i)
        i++
        return out
      }
      if (c < 32) fail()
      if (c === 92) {
        out += text.slice(start, i)
        const e = text[i + 1]
        i += 2
        switch (e) {
          case '"': out += '"'; break
          case '\\': out += '\\'; break
          case '/': out += '/'; break
          case 'b': out += '\b'; break
          case 'f': out += '\f'; break
          case 'n': out += '\n'; break
          case 'r': out += '\r'; break
          case 't': out += '\t'; break
          case 'u': {
            const h = text.slice(i, i + 4)
            if (!/^[0-9a-fA-F]{4}$/.test(h)) fail()
            out += String.fromCharCode(parseInt(h, 16))
            i += 4
            break
          }
          default: fail()
        }
        start = i
      } else i++
    }
  }
  const value = (depth: number): unknown => {
    if (depth > MAX_DEPTH) fail()
    ws()
    const c = text[i]
    if (c === '{') {
      i++
      const m = new Map<string, unknown>()
      ws()
      if (text[i] === '}') {
        i++
        return m
      }
      for (;;) {
        ws()
        if (text[i] !== '"') fail()
        const k = str()
        ws()
        if (text[i] !== ':') fail()
        i++
        m.set(k, value(depth + 1))
        ws()
        if (text[i] === ',') {
          i++
          continue
        }
        if (text[i] === '}') {
          i++
          return m
        }
        fail()
      }
    }
    if (c === '[') {
      i++
      const a: unknown[] = markJsonList([])
      ws()
      if (text[i] === ']') {
        i++
        return a
      }
      for (;;) {
        a.push(value(depth + 1))
        ws()
        if (text[i] === ',') {
          i++
          continue
        }
        if (text[i] === ']') {
          i++
          return a
        }
        fail()
      }
    }
    if (c === '"') return str()
    if (text.startsWith('true', i)) {
      i += 4
      return true
    }
    if (text.startsWith('false', i)) {
      i += 5
      return false
    }
    if (text.startsWith('null', i)) {
      i += 4
      return null
    }
    const m = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y
    m.lastIndex = i
    const r = m.exec(text)
    if (!r) fail()
    i += r![0].length
    const v = Number(r![0])
    if (r![1] || r![2] || !Number.isSafeInteger(v)) return new Dbl(v)
    return v
  }
  const v = value(0)
  ws()
  if (i !== n) fail()
  return v
}
