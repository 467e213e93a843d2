/**
 * java.util.regex → JS RegExp. Templates call `replaceAll`, `matches` and `split` with Java patterns, so the
 * constructs whose meaning differs are rewritten (`\s`, `$`, `\A`, `\z`, `\Q…\E`, POSIX `\p{…}` classes,
 * possessive quantifiers, atomic groups, leading inline flags) and the ones JS cannot express fail loudly.
 */
import { VtlError } from './errors'

const JAVA_SPACE = ' \\t\\n\\x0B\\f\\r'
const POSIX: Record<string, string> = {
  Lower: 'a-z',
  Upper: 'A-Z',
  ASCII: '\\x00-\\x7F',
  Alpha: 'a-zA-Z',
  Digit: '0-9',
  Alnum: 'a-zA-Z0-9',
  Punct: '!-\\/:-@\\[-`{-~',
  Graph: '!-~',
  Print: ' -~',
  Blank: ' \\t',
  Cntrl: '\\x00-\\x1F\\x7F',
  XDigit: '0-9a-fA-F',
  Space: JAVA_SPACE,
}

function unsupported(pattern: string, what: string): never {
  throw new VtlError('VTL_RUNTIME', `unsupported Java regex construct ${what} in ${JSON.stringify(pattern)}`)
}

function escapeLiteral(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&')
}

interface Translated {
  source: string
  flags: string
}

const cache = new Map<string, Translated>()

/** Translates a Java pattern; the result is cached because templates use the same literal patterns per render. */
export function translateJavaRegex(pattern: string): Translated {
  const hit = cache.get(pattern)
  if (hit) return hit
  const t = translate(pattern)
  if (cache.size > 500) cache.clear()
  cache.set(pattern, t)
  return t
}

function translate(pattern: string): Translated {
  let flags = ''
  let i = 0
  const lead = /^\(\?([imsux]+)\)/.exec(pattern)
  if (lead) {
    for (const f of lead[1]!) {
      if (f === 'x') unsupported(pattern, '(?x)')
      if (f === 'i' || f === 'm' || f === 's') flags += f
    }
    i = lead[0].length
  }
  let out = ''
  let inClass = 0
  const n = pattern.length
  while (i < n) {
    const c = pattern[i]!
    if (c === '\\') {
      const d = pattern[i + 1]
      if (d === undefined) throw new VtlError('VTL_RUNTIME', `invalid regex ${JSON.stringify(pattern)}: trailing backslash`)
      i += 2
      switch (d) {
        case 'Q': {
          const e = pattern.indexOf('\\E', i)
          const lit = e < 0 ? pattern.slice(i) : pattern.slice(i, e)
          out += escapeLiteral(lit)
          i = e < 0 ? n : e + 2
          break
        }
        case 's':
          out += inClass ? JAVA_SPACE : `[${JAVA_SPACE}]`
          break
        case 'S':
          if (inClass) unsupported(pattern, '\\S inside a class')
          out += `[^${JAVA_SPACE}]`
          break
        case 'h':
          out += inClass ? ' \\t\\xA0\\u1680\\u180e\\u2000-\\u200a\\u202f\\u205f\\u3000' : '[ \\t\\xA0\\u1680\\u180e\\u2000-\\u200a\\u202f\\u205f\\u3000]'
          break
        case 'v':
          out += inClass ? '\\n\\x0B\\f\\r\\x85\\u2028\\u2029' : '[\\n\\x0B\\f\\r\\x85\\u2028\\u2029]'
          break
        case 'R':
          out += '(?:\\r\\n|[\\n\\x0B\\f\\r\\x85\\u2028\\u2029])'
          break
        case 'A':
          out += '(?<![\\s\\S])'
          break
        case 'z':
          out += '(?![\\s\\S])'
          break
        case 'Z':
          out += '(?=(?:\\r\\n|[\\n\\r\\x85\\u2028\\u2029])?(?![\\s\\S]))'
          break
        case 'G':
          unsupported(pattern, '\\G')
          break
        case 'e':
          out += '\\x1B'
          break
        case 'a':
          out += '\\x07'
          break
        case 'p':
        case 'P': {
          const m = /^\{(?:Is)?([A-Za-z]+)\}/.exec(pattern.slice(i))
          const cls = m ? POSIX[m[1]!] : undefined
          if (!m || cls === undefined) unsupported(pattern, `\\${d}`)
          i += m[0].length
          if (d === 'P') {
            if (inClass) unsupported(pattern, '\\P inside a class')
            out += `[^${cls}]`
          } else out += inClass ? cls : `[${cls}]`
          break
        }
        case 'x': {
          if (pattern[i] === '{') {
            const e = pattern.indexOf('}', i)
            if (e < 0) throw new VtlError('VTL_RUNTIME', `invalid regex ${JSON.stringify(pattern)}`)
            const cp = parseInt(pattern.slice(i + 1, e), 16)
            out += escapeLiteral(String.fromCodePoint(cp))
            i = e + 1
          } else out += '\\x'
          break
        }
        case '0': {
          const m = /^[0-3]?[0-7]{1,2}/.exec(pattern.slice(i))
          if (!m) throw new VtlError('VTL_RUNTIME', `invalid octal escape in ${JSON.stringify(pattern)}`)
          out += escapeLiteral(String.fromCharCode(parseInt(m[0], 8)))
          i += m[0].length
          break
        }
        default:
          // Java lets any non-letter be escaped to mean itself; JS does too outside `u` mode.
          out += `\\${d}`
      }
      continue
    }
    if (inClass) {
      if (c === '[') unsupported(pattern, 'nested character class')
      if (c === '&' && pattern[i + 1] === '&') unsupported(pattern, 'class intersection &&')
      if (c === ']' && !(pattern[i - 1] === '[' || (pattern[i - 1] === '^' && pattern[i - 2] === '['))) inClass = 0
      if (c === ']' && inClass) {
        // A `]` right after `[` or `[^` is a literal in Java.
        out += '\\]'
        i++
        continue
      }
      out += c
      i++
      continue
    }
    if (c === '[') {
      inClass = 1
      out += c
      i++
      continue
    }
    if (c === '$') {
      out += flags.includes('m') ? '$' : '(?=(?:\\r\\n|[\\n\\r\\x85\\u2028\\u2029])?(?![\\s\\S]))'
      i++
      continue
    }
    if (c === '(' && pattern[i + 1] === '?') {
      if (pattern[i + 2] === '>') {
        out += '(?:'
        i += 3
        continue
      }
      if (/^\(\?[imsux-]+[:)]/.test(pattern.slice(i))) unsupported(pattern, 'inline flags inside the pattern')
    }
    if ((c === '*' || c === '+' || c === '?' || c === '}') && pattern[i + 1] === '+') {
      // Possessive quantifiers have no JS form; the greedy one matches the same strings in the patterns
      // templates use (it only differs in backtracking).
      out += c
      i += 2
      continue
    }
    out += c
    i++
  }
  try {
    new RegExp(out, flags)
  } catch {
    throw new VtlError('VTL_RUNTIME', `invalid regex ${JSON.stringify(pattern)}`)
  }
  return { source: out, flags }
}

const regexCache = new Map<string, Map<string, RegExp>>()
let cached = 0

/**
 * A compiled RegExp for a Java pattern, cached. Callers only use it with `replace`/`test`-style calls that reset
 * `lastIndex`, or reset it themselves.
 */
export function javaRegex(pattern: string, extraFlags = ''): RegExp {
  let byPattern = regexCache.get(extraFlags)
  if (byPattern === undefined) regexCache.set(extraFlags, (byPattern = new Map()))
  let re = byPattern.get(pattern)
  if (re === undefined) {
    const t = translateJavaRegex(pattern)
    re = new RegExp(t.source, t.flags + extraFlags)
    if (++cached > 500) {
      for (const m of regexCache.values()) m.clear()
      cached = 0
    }
    byPattern.set(pattern, re)
  }
  re.lastIndex = 0
  return re
}

/** Java's replacement syntax: `$n`, `${name}`, `\x` for a literal x. */
export function javaReplacement(repl: string): (m: RegExpExecArray | string[], groups?: Record<string, string>) => string {
  const parts: (string | { group: string } | { name: string })[] = []
  let lit = ''
  for (let i = 0; i < repl.length; i++) {
    const c = repl[i]!
    if (c === '\\') {
      i++
      if (i >= repl.length) throw new VtlError('VTL_RUNTIME', 'character to be escaped is missing in replacement')
      lit += repl[i]
    } else if (c === '$') {
      if (lit) parts.push(lit)
      lit = ''
      if (repl[i + 1] === '{') {
        const e = repl.indexOf('}', i)
        if (e < 0) throw new VtlError('VTL_RUNTIME', 'named capturing group is missing trailing }')
        parts.push({ name: repl.slice(i + 2, e) })
        i = e
      } else {
        const m = /^\d+/.exec(repl.slice(i + 1))
        if (!m) throw new VtlError('VTL_RUNTIME', 'illegal group reference in replacement')
        parts.push({ group: m[0] })
        i += m[0].length
      }
    } else lit += c
  }
  if (lit) parts.push(lit)
  return (m, groups) => {
    let s = ''
    for (const p of parts) {
      if (typeof p === 'string') s += p
      else if ('name' in p) {
        const g = groups?.[p.name]
        if (g === undefined && !(groups && p.name in groups)) throw new VtlError('VTL_RUNTIME', `no group with name {${p.name}}`)
        s += g ?? ''
      } else {
        // Java reads as many digits as still name an existing group.
        const digits = p.group
        let k = 1
        let g = Number(digits[0])
        if (g >= m.length) throw new VtlError('VTL_RUNTIME', `no group ${g}`)
        while (k < digits.length && Number(digits.slice(0, k + 1)) < m.length) {
          g = Number(digits.slice(0, k + 1))
          k++
        }
        s += (m[g] ?? '') + digits.slice(k)
      }
    }
    return s
  }
}
