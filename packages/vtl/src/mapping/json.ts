/**
 * JSON → Velocity values: objects become maps in document order, arrays become lists that print as JSON,
 * integers stay integers and numbers with a fraction or exponent become doubles (`1.0` prints `1.0`).
 */
import { current } from '../budget'
import { Dbl } from '../values/model'

export class JsonSyntaxError extends Error {}

/**
 * Documents whose meaning survives `JSON.parse` (no integral decimals like `1.0`, no exponents, no integer-like
 * keys whose order JS would change, no unsafe integers) take the native parser; the rest the exact one below.
 */
const INTEGRAL_DECIMAL = /[0-9]\.0+(?![0-9])/
/**
 * Exponents (Doubles in Java) and integers beyond 2^53 (16 digits or more). Written as two fixed-width patterns
 * because the regex engine skips through text much faster on those than on one pattern with a `{15}` repeat.
 */
const EXPONENT = /[0-9][eE][-+0-9]/
const SIXTEEN_DIGITS = /[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]/
/** Integer-like keys (JS objects move them first). */
const INTEGER_KEY = /"[0-9]+"\s*:/
/** True when `JSON.parse` would not give back the document as Java sees it (`1.0` would lose its Double-ness). */
function needsExact(text: string): boolean {
  return (text.includes('.0') && INTEGRAL_DECIMAL.test(text)) || EXPONENT.test(text) || SIXTEEN_DIGITS.test(text) || INTEGER_KEY.test(text)
}

/**
 * True when `text` nests arrays and objects deeper than `max`. `JSON.parse` accepts any depth, but everything that
 * walks the result afterwards (printing, JSONPath, comparisons) must be bounded, so a deeper document is refused
 * before it is parsed. Depth `d` needs `d` opening brackets, so short documents are not scanned.
 */
function tooDeep(text: string, max: number): boolean {
  if (text.length <= max) return false
  let depth = 0
  const n = text.length
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i)
    if (c === 91 || c === 123) {
      if (++depth > max) return true
    } else if (c === 93 || c === 125) depth--
    else if (c === 34) {
      // Skip the string: to the next quote not escaped by an odd number of backslashes.
      for (;;) {
        const q = text.indexOf('"', i + 1)
        if (q < 0) return false
        let b = q - 1
        while (text.charCodeAt(b) === 92) b--
        i = q
        if ((q - 1 - b) % 2 === 0) break
      }
    }
  }
  return false
}

/** Parses a JSON text (nesting bounded by the active render's `maxValueDepth`). */
export function parseJson(text: string): unknown {
  const maxDepth = current().maxValueDepth
  if (tooDeep(text, maxDepth)) throw new JsonSyntaxError(`JSON nested deeper than ${maxDepth} levels`)
  if (!needsExact(text)) {
    let v: unknown
    try {
      v = JSON.parse(text)
    } catch (e) {
      throw new JsonSyntaxError(e instanceof Error ? e.message : 'invalid JSON')
    }
    return v
  }
  return parseExact(text, maxDepth)
}

/** The exact parser: objects become `Map`s in document order, `1.0` stays a double. */
function parseExact(text: string, maxDepth: number): unknown {
  let i = 0
  const n = text.length
  const ws = () => {
    let c = text.charCodeAt(i)
    while (c === 32 || c === 10 || c === 13 || c === 9) c = text.charCodeAt(++i)
  }
  const fail = (): never => {
    throw new JsonSyntaxError(`invalid JSON at offset ${i}`)
  }
  const str = (): string => {
    i++
    // Fast path: no escapes or control characters before the closing quote.
    const q = text.indexOf('"', i)
    if (q < 0) fail()
    let plain = true
    for (let k = i; k < q; k++) {
      const c = text.charCodeAt(k)
      if (c === 92 || c < 32) {
        plain = false
        break
      }
    }
    if (plain) {
      const v = text.slice(i, q)
      i = q + 1
      return v
    }
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
        const e = text.charCodeAt(i + 1)
        i += 2
        switch (e) {
          case 34:
            out += '"'
            break
          case 92:
            out += '\\'
            break
          case 47:
            out += '/'
            break
          case 98:
            out += '\b'
            break
          case 102:
            out += '\f'
            break
          case 110:
            out += '\n'
            break
          case 114:
            out += '\r'
            break
          case 116:
            out += '\t'
            break
          case 117: {
            const h = text.slice(i, i + 4)
            if (!HEX4.test(h)) fail()
            out += String.fromCharCode(parseInt(h, 16))
            i += 4
            break
          }
          default:
            fail()
        }
        start = i
      } else i++
    }
  }
  const digits = (): number => {
    const s = i
    let c = text.charCodeAt(i)
    while (c >= 48 && c <= 57) c = text.charCodeAt(++i)
    return i - s
  }
  const number = (): unknown => {
    const s = i
    if (text.charCodeAt(i) === 45) i++
    const c0 = text.charCodeAt(i)
    if (c0 === 48) i++
    else if (c0 >= 49 && c0 <= 57) digits()
    else fail()
    let dbl = false
    if (text.charCodeAt(i) === 46) {
      i++
      if (digits() === 0) fail()
      dbl = true
    }
    const e = text.charCodeAt(i)
    if (e === 101 || e === 69) {
      i++
      const sgn = text.charCodeAt(i)
      if (sgn === 43 || sgn === 45) i++
      if (digits() === 0) fail()
      dbl = true
    }
    const v = Number(text.slice(s, i))
    if (dbl) return new Dbl(v)
    // Java keeps long integers exact (Long/BigInteger); so does a BigInt.
    return Number.isSafeInteger(v) ? v : BigInt(text.slice(s, i))
  }
  const word = (w: string, v: unknown): unknown => {
    if (!text.startsWith(w, i)) fail()
    i += w.length
    return v
  }
  const value = (depth: number): unknown => {
    if (depth > maxDepth) fail()
    ws()
    switch (text.charCodeAt(i)) {
      case 123: {
        i++
        const m = new Map<string, unknown>()
        ws()
        if (text.charCodeAt(i) === 125) {
          i++
          return m
        }
        for (;;) {
          ws()
          if (text.charCodeAt(i) !== 34) fail()
          const k = str()
          ws()
          if (text.charCodeAt(i) !== 58) fail()
          i++
          m.set(k, value(depth + 1))
          ws()
          const c = text.charCodeAt(i++)
          if (c === 44) continue
          if (c === 125) return m
          i--
          fail()
        }
      }
      case 91: {
        i++
        const a: unknown[] = []
        ws()
        if (text.charCodeAt(i) === 93) {
          i++
          return a
        }
        for (;;) {
          a.push(value(depth + 1))
          ws()
          const c = text.charCodeAt(i++)
          if (c === 44) continue
          if (c === 93) return a
          i--
          fail()
        }
      }
      case 34:
        return str()
      case 116:
        return word('true', true)
      case 102:
        return word('false', false)
      case 110:
        return word('null', null)
      default:
        return number()
    }
  }
  const v = value(0)
  ws()
  if (i !== n) fail()
  return v
}

const HEX4 = /^[0-9a-fA-F]{4}$/
