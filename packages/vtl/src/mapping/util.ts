/** `$util`: API Gateway's helper functions, with the outputs AWS documents. */
import { built, grow } from '../budget'
import { VtlError } from '../errors'
import { JsonSyntaxError, parseJson } from './json'
import { Host } from '../values/model'

const HEX = '0123456789ABCDEF'

function hex4(c: number): string {
  return HEX[(c >> 12) & 15]! + HEX[(c >> 8) & 15]! + HEX[(c >> 4) & 15]! + HEX[c & 15]!
}

/**
 * `StringEscapeUtils.escapeJavaScript` (commons-lang 2): escapes `"`, `'`, `\`, `/`, control characters and
 * everything above U+007E as `\uXXXX` (per UTF-16 unit). AWS documents that single quotes become `\'`.
 *
 * @example
 * ```ts
 * escapeJavaScript('He said "it\'s"') // 'He said \\"it\\\'s\\"'
 * // `$util.escapeJavaScript` in a mapping template is this function:
 * renderMappingTemplate('"$util.escapeJavaScript($input.path(\'$.path\'))"', { body: '{"path":"a/b"}' }) // '"a\\/b"'
 * ```
 */
export function escapeJavaScript(s: string): string {
  return escapeJson(s, true)
}

/**
 * `escapeJavaScript(s).replaceAll("\\'", "'")`, the idiom AWS documents for JSON output, in one pass. Every `\`
 * the escaping writes starts an escape sequence and a `'` never follows `\\`, so the only `\'` in the escaped text
 * are escaped quotes: leaving quotes alone gives the same string.
 */
export function escapeJavaScriptKeepingQuotes(s: string): string {
  return escapeJson(s, false)
}

function escapeJson(s: string, quotes: boolean): string {
  let out = ''
  let start = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    let rep: string | undefined
    if (c >= 32 && c < 127) {
      if (c === 34) rep = '\\"'
      else if (c === 39) {
        if (quotes) rep = "\\'"
      } else if (c === 92) rep = '\\\\'
      else if (c === 47) rep = '\\/'
    } else if (c < 32) {
      rep = c === 8 ? '\\b' : c === 10 ? '\\n' : c === 9 ? '\\t' : c === 12 ? '\\f' : c === 13 ? '\\r' : `\\u${hex4(c)}`
    } else if (c > 127) rep = `\\u${hex4(c)}`
    if (rep !== undefined) {
      out += s.slice(start, i) + rep
      start = i + 1
    }
  }
  return start === 0 ? s : out + s.slice(start)
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/**
 * `URLEncoder.encode(s, "UTF-8")`: form encoding, space → `+`, `.-*_` kept. It is `$util.urlEncode`.
 *
 * @example
 * ```ts
 * urlEncode('a b&c') // 'a+b%26c'
 * renderMappingTemplate('q=$util.urlEncode($input.params("q"))', { params: { querystring: { q: 'a b&c' } } }) // 'q=a+b%26c'
 * ```
 */
export function urlEncode(s: string): string {
  const bytes = Buffer.from(s.replace(LONE_SURROGATE, '?'), 'utf8')
  let out = ''
  for (const b of bytes) {
    if ((b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b === 46 || b === 45 || b === 42 || b === 95)
      out += String.fromCharCode(b)
    else if (b === 32) out += '+'
    else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`
  }
  return out
}

/**
 * `URLDecoder.decode(s, "UTF-8")`: `+` → space; a broken `%` escape is an error (`VTL_RUNTIME`), as in Java. It is
 * `$util.urlDecode`.
 *
 * @example
 * ```ts
 * urlDecode('a+b%26c') // 'a b&c'
 * renderMappingTemplate('$util.urlDecode($input.path("$.q"))', { body: '{"q":"a+b%26c"}' }) // 'a b&c'
 * ```
 */
export function urlDecode(s: string): string {
  let out = ''
  let i = 0
  while (i < s.length) {
    const c = s[i]!
    if (c === '+') {
      out += ' '
      i++
    } else if (c === '%') {
      const bytes: number[] = []
      while (s[i] === '%') {
        const h = s.slice(i + 1, i + 3)
        if (!/^[0-9a-fA-F]{2}$/.test(h)) throw new VtlError('VTL_RUNTIME', `URLDecoder: illegal hex characters in escape (%) pattern`)
        bytes.push(parseInt(h, 16))
        i += 3
      }
      out += Buffer.from(bytes).toString('utf8')
    } else {
      out += c
      i++
    }
  }
  return out
}

function parseJsonValue(a: string): unknown {
  // Parsing makes values about as large as the text: counted like a built string of that length.
  grow(a.length)
  try {
    return parseJson(a)
  } catch (e) {
    if (e instanceof JsonSyntaxError || e instanceof RangeError) throw new VtlError('VTL_RUNTIME', `$util.parseJson: ${e.message}`)
    throw e
  }
}

/** The `$util` functions by name; each takes the (string) argument. Every string they build is charged to the render. */
export const UTIL_FUNCTIONS: ReadonlyMap<string, (a: string) => unknown> = new Map<string, (a: string) => unknown>([
  ['escapeJavaScript', (a) => built(escapeJavaScript(a))],
  ['parseJson', parseJsonValue],
  ['urlEncode', (a) => built(urlEncode(a))],
  ['urlDecode', (a) => built(urlDecode(a))],
  ['base64Encode', (a) => built(Buffer.from(a, 'utf8').toString('base64'))],
  ['base64Decode', (a) => built(Buffer.from(a, 'base64').toString('utf8'))],
])

/** The `$util` object. Unknown functions yield null (render as nothing), as on AWS. */
export class UtilHost extends Host {
  prop(): unknown {
    return undefined
  }
  call(name: string, args: unknown[]): unknown {
    const a = args[0]
    if (typeof a !== 'string') return undefined
    const f = UTIL_FUNCTIONS.get(name)
    return f === undefined ? undefined : f(a)
  }
  toString(): string {
    return 'util'
  }
}

export const UTIL = new UtilHost()
