/**
 * java.util.regex for `matches`, `replaceAll`, `replaceFirst`, `split` and JSONPath `=~`, on `@gatehousejs/regex`:
 * matching time is linear in the input whatever the pattern (templates run these on client input, and a pattern
 * may itself come from client input). Constructs that cannot run linearly (backreferences, lookaround, atomic
 * groups, possessive quantifiers) are refused as `VTL_RUNTIME`, never run.
 *
 * One match is linear, but a global replace or split runs one search per match and each search may read to the
 * end of the input (`([^x]*x|a)` on `aaaa…`), so the engine's own step counter is charged to the render's budget
 * after every search: the total stays bounded.
 */
import { compileRegex, RegexError, regexStats, type Regex } from '@gatehousejs/regex'
import { charge, current, grow, overBudget } from './budget'
import { VtlError } from './errors'

/** Compiled patterns by source. Patterns can be computed from client input, so both count and size are bounded. */
const cache = new Map<string, Compiled>()
const MAX_CACHED = 256
const MAX_CACHED_CHARS = 64 * 1024
const MAX_CACHEABLE = 4096
let cachedChars = 0

/** A compiled Java pattern. */
export interface Compiled {
  re: Regex
  /** Named groups → group numbers, for `${name}` in replacements. */
  names: ReadonlyMap<string, number>
}

/**
 * Steps a render is charged for compiling a pattern it computed (a literal pattern is compiled with the template).
 * Compiling is linear in the program, but a short pattern can expand to the engine's largest program (counted
 * repetitions), which takes milliseconds; a flat charge keeps a loop over client-chosen patterns bounded.
 */
const COMPILE_COST = 20_000

function compile(pattern: string): Compiled {
  const hit = cache.get(pattern)
  if (hit !== undefined) return hit
  charge(COMPILE_COST + pattern.length)
  const c = compilePattern(pattern)
  if (pattern.length <= MAX_CACHEABLE) {
    while (cache.size >= MAX_CACHED || (cache.size > 0 && cachedChars + pattern.length > MAX_CACHED_CHARS)) {
      const oldest = cache.keys().next().value as string
      cache.delete(oldest)
      cachedChars -= oldest.length
    }
    cache.set(pattern, c)
    cachedChars += pattern.length
  }
  return c
}

/** Compiles a Java pattern (templates do this for literal patterns when they are compiled). Throws `VTL_RUNTIME`. */
export function compilePattern(pattern: string): Compiled {
  let re: Regex
  try {
    re = compileRegex(pattern, { syntax: 'java' })
  } catch (e) {
    if (e instanceof RegexError) {
      const why = e.code === 'REGEX_UNSUPPORTED' ? 'unsupported' : e.code === 'REGEX_TOO_LARGE' ? 'too large' : 'invalid'
      throw new VtlError(
        'VTL_RUNTIME',
        `${why} regex ${JSON.stringify(pattern.length > 200 ? `${pattern.slice(0, 200)}…` : pattern)}: ${e.message}`,
      )
    }
    throw e
  }
  return { re, names: groupNames(pattern) }
}

/**
 * Runs `f` with the steps the render has left as the engine's limit (so one long search stops partway with
 * `VTL_BUDGET` instead of running to its end), then charges the engine's steps to the render's budget, and at
 * least one step per 16 characters the search may have read (`end`: where it stopped at the latest), whichever
 * engine answered.
 */
function counted<T>(f: (maxSteps: number) => T, from: number, end: (r: T) => number, length: number): T {
  // A search that may read more characters than the budget has steps left is not started: the engine takes at
  // least a step per character it reads.
  const b = current()
  const left = b.maxSteps - b.steps
  if (length - from > left) overBudget('steps', b.maxSteps)
  const before = regexStats.steps
  let r: T
  try {
    r = f(left)
  } catch (e) {
    if (e instanceof RegexError && e.code === 'REGEX_BUDGET') overBudget('steps', b.maxSteps)
    throw e
  }
  const read = end(r) - from
  charge(Math.max(regexStats.steps - before, 1 + (read >>> 4)))
  return r
}

/** `String.matches`: the whole string matches. */
export function javaMatches(s: string, pattern: string | Compiled): boolean {
  const { re } = typeof pattern === 'string' ? compile(pattern) : pattern
  return counted(
    (max) => re.matchesWhole(s, max),
    0,
    () => s.length,
    s.length,
  )
}

/** `String.replaceAll` / `replaceFirst` with Java's replacement syntax (`$n`, `${name}`, `\x`). */
export function javaReplace(s: string, pattern: string | Compiled, replacement: string, all: boolean): string {
  const { re, names } = typeof pattern === 'string' ? compile(pattern) : pattern
  const repl = javaReplacement(replacement, names)
  let out = ''
  let last = 0
  let from = 0
  for (;;) {
    const m = counted(
      (max) => re.exec(s, from, max),
      from,
      (r) => (r === null ? s.length : r[1]!),
      s.length,
    )
    if (m === null) break
    const piece = repl(m, s)
    grow(m[0]! - last + piece.length)
    out += s.slice(last, m[0]) + piece
    last = m[1]!
    if (!all) break
    // After an empty match the search moves on one character (Java copies that character through).
    from = m[1]! > m[0]! ? m[1]! : m[1]! + 1
    if (from > s.length) break
  }
  if (last === 0 && out === '') return s
  grow(s.length - last)
  return out + s.slice(last)
}

/** `String.split` of Java: trailing empty strings go when limit is 0; a leading zero-width match adds nothing. */
export function javaSplit(s: string, pattern: string | Compiled, limit: number): string[] {
  if (s === '') return ['']
  const { re } = typeof pattern === 'string' ? compile(pattern) : pattern
  const out: string[] = []
  let last = 0
  let from = 0
  while (from <= s.length) {
    if (limit > 0 && out.length === limit - 1) break
    const m = counted(
      (max) => re.exec(s, from, max),
      from,
      (r) => (r === null ? s.length : r[1]!),
      s.length,
    )
    if (m === null) break
    const [start, end] = m as [number, number]
    if (end === start) {
      // A zero-width match at the very start or end splits nothing (Java 8+).
      if (start === 0 || start >= s.length) {
        from = start + 1
        continue
      }
      from = start + 1
    } else from = end
    charge(1)
    out.push(s.slice(last, start))
    last = end
  }
  out.push(s.slice(last))
  if (limit === 0) while (out.length > 1 && out[out.length - 1] === '') out.pop()
  if (limit === 0 && out.length === 1 && out[0] === '' && s !== '') return []
  return out
}

type Part = string | { group: string } | { name: string }

/** Java's replacement syntax: `$n`, `${name}`, `\x` for a literal x. Errors are Java's (as `VTL_RUNTIME`). */
export function javaReplacement(repl: string, names: ReadonlyMap<string, number>): (m: number[], s: string) => string {
  const parts: Part[] = []
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
        const name = repl.slice(i + 2, e)
        if (!names.has(name)) throw new VtlError('VTL_RUNTIME', `no group with name {${name}}`)
        parts.push({ name })
        i = e
      } else {
        const m = /^\d+/.exec(repl.slice(i + 1, i + 12))
        if (!m) throw new VtlError('VTL_RUNTIME', 'illegal group reference in replacement')
        parts.push({ group: m[0] })
        i += m[0].length
      }
    } else lit += c
  }
  if (lit) parts.push(lit)
  if (parts.length === 1 && typeof parts[0] === 'string') {
    const only = parts[0]
    return () => only
  }
  if (parts.length === 0) return () => ''
  return (m, s) => {
    const groups = m.length / 2
    const text = (g: number) => (m[2 * g]! < 0 ? '' : s.slice(m[2 * g], m[2 * g + 1]))
    let out = ''
    for (const p of parts) {
      if (typeof p === 'string') out += p
      else if ('name' in p) out += text(names.get(p.name)!)
      else {
        // Java reads as many digits as still name an existing group.
        const digits = p.group
        let k = 1
        const g0 = Number(digits[0])
        if (g0 >= groups) throw new VtlError('VTL_RUNTIME', `No group ${g0}`)
        let g = g0
        while (k < digits.length && Number(digits.slice(0, k + 1)) < groups) {
          g = Number(digits.slice(0, k + 1))
          k++
        }
        out += text(g) + digits.slice(k)
      }
    }
    return out
  }
}

/**
 * Named groups of a Java pattern by number: capturing groups are counted left to right, skipping escapes,
 * `\Q…\E` quotes, character classes (which nest in Java) and non-capturing `(?…)` groups.
 */
export function groupNames(p: string): ReadonlyMap<string, number> {
  const names = new Map<string, number>()
  if (!p.includes('(?<')) return names
  let group = 0
  let classDepth = 0
  for (let i = 0; i < p.length; i++) {
    const c = p[i]
    if (c === '\\') {
      if (p[i + 1] === 'Q') {
        const e = p.indexOf('\\E', i + 2)
        i = e < 0 ? p.length : e + 1
      } else i++
    } else if (c === '[') classDepth++
    else if (c === ']' && classDepth > 0) classDepth--
    else if (c === '(' && classDepth === 0) {
      if (p[i + 1] !== '?') group++
      else if (p[i + 2] === '<' && /[A-Za-z]/.test(p[i + 3] ?? '')) {
        group++
        const e = p.indexOf('>', i + 3)
        if (e > 0) names.set(p.slice(i + 3, e), group)
      }
    }
  }
  return names
}
