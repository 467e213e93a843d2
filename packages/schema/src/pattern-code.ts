/**
 * Simple anchored patterns as plain code. Calling a RegExp costs more than matching `^[A-Z]{3}-[0-9]{4}$`
 * itself, and API Gateway models are full of such patterns (codes, SKUs, country and currency codes). A
 * pattern qualifies when it is `^…$` around a sequence of quantified atoms, each a character or a positive
 * character class of BMP characters, and when every variable-length atom's characters cannot start what
 * follows it. Then matching each atom greedily, never giving characters back, accepts exactly the strings
 * the RegExp accepts (see `deterministic`), in time linear in the string. Anything else keeps the RegExp.
 */

/** One quantified atom: the UTF-16 code units it accepts (sorted, merged ranges) and its repeat bounds. */
export interface Atom {
  ranges: Array<[number, number]>
  min: number
  max: number
}

const MAX_REPEAT = 1000
const DIGIT: Array<[number, number]> = [[0x30, 0x39]]
const WORD: Array<[number, number]> = [
  [0x30, 0x39],
  [0x41, 0x5a],
  [0x5f, 0x5f],
  [0x61, 0x7a],
]
// `\s` in ECMAScript: WhiteSpace and LineTerminator, all in the BMP.
const SPACE: Array<[number, number]> = [
  [0x09, 0x0d],
  [0x20, 0x20],
  [0xa0, 0xa0],
  [0x1680, 0x1680],
  [0x2000, 0x200a],
  [0x2028, 0x2029],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
  [0xfeff, 0xfeff],
]
// Characters that may be escaped with `\` under the `u` flag (SyntaxCharacter and `/`), plus `-` in a class.
const SYNTAX = new Set('^$\\.*+?()[]{}|/')

function merge(ranges: Array<[number, number]>): Array<[number, number]> {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0])
  const out: Array<[number, number]> = []
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1]
    if (last !== undefined && lo <= last[1] + 1) last[1] = Math.max(last[1], hi)
    else out.push([lo, hi])
  }
  return out
}

/** A BMP character that is not a surrogate: one code unit is one code point, as the `u` flag reads it. */
function plainUnit(c: number): boolean {
  return c < 0xd800 || (c > 0xdfff && c <= 0xffff)
}

/** Parse `source` into atoms, or null when it is outside the simple subset. */
export function simplePattern(source: string): Atom[] | null {
  if (source.length < 2 || source[0] !== '^') return null
  const atoms: Atom[] = []
  let i = 1
  const at = (k: number) => source.charCodeAt(k)
  for (;;) {
    if (i >= source.length) return null // no closing `$`
    const ch = source[i]!
    let ranges: Array<[number, number]>
    if (ch === '$') {
      // The anchor only at the very end; a `$` elsewhere is not in the subset.
      return i === source.length - 1 ? atoms : null
    } else if (ch === '\\') {
      const e = source[i + 1]
      if (e === undefined) return null
      if (e === 'd') ranges = DIGIT
      else if (e === 'w') ranges = WORD
      else if (e === 's') ranges = SPACE
      else if (SYNTAX.has(e)) ranges = [[at(i + 1), at(i + 1)]]
      else return null
      i += 2
    } else if (ch === '[') {
      const parsed = parseClass(source, i + 1)
      if (parsed === null) return null
      ranges = parsed.ranges
      i = parsed.end
    } else if ('.()|^*+?{}]'.includes(ch)) {
      return null
    } else {
      const c = at(i)
      if (!plainUnit(c)) return null
      ranges = [[c, c]]
      i++
    }
    const q = parseQuantifier(source, i)
    if (q === null) return null
    i = q.end
    atoms.push({ ranges: merge(ranges), min: q.min, max: q.max })
  }
}

function parseClass(source: string, start: number): { ranges: Array<[number, number]>; end: number } | null {
  let i = start
  if (source[i] === '^') return null // negated classes match astral code points: not per code unit
  const ranges: Array<[number, number]> = []
  // One class member: a single code unit, or a set (`\d`, `\w`, `\s`) that cannot bound a range.
  const member = (): { unit: number } | { set: Array<[number, number]> } | null => {
    const ch = source[i]
    if (ch === undefined || ch === '[') return null
    if (ch === '\\') {
      const e = source[i + 1]
      i += 2
      if (e === 'd') return { set: DIGIT }
      if (e === 'w') return { set: WORD }
      if (e === 's') return { set: SPACE }
      if (e !== undefined && (SYNTAX.has(e) || e === '-')) return { unit: e.charCodeAt(0) }
      return null
    }
    const c = source.charCodeAt(i)
    if (!plainUnit(c)) return null
    i++
    return { unit: c }
  }
  if (source[i] === ']') return null // `[]` matches nothing; leave it to the RegExp
  while (source[i] !== ']') {
    if (i >= source.length) return null
    const a = member()
    if (a === null) return null
    if (source[i] === '-' && source[i + 1] !== ']' && source[i + 1] !== undefined) {
      i++
      const b = member()
      if (b === null || !('unit' in a) || !('unit' in b) || b.unit < a.unit) return null
      ranges.push([a.unit, b.unit])
    } else if ('unit' in a) ranges.push([a.unit, a.unit])
    else ranges.push(...a.set)
  }
  return { ranges, end: i + 1 }
}

function parseQuantifier(source: string, i: number): { min: number; max: number; end: number } | null {
  const ch = source[i]
  let q: { min: number; max: number; end: number }
  if (ch === '*') q = { min: 0, max: Infinity, end: i + 1 }
  else if (ch === '+') q = { min: 1, max: Infinity, end: i + 1 }
  else if (ch === '?') q = { min: 0, max: 1, end: i + 1 }
  else if (ch === '{') {
    const m = /^\{(\d{1,4})(,(\d{0,4}))?\}/.exec(source.slice(i))
    if (m === null) return null
    const min = Number(m[1])
    const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3])
    if (min > MAX_REPEAT || (max !== Infinity && (max > MAX_REPEAT || max < min))) return null
    q = { min, max, end: i + m[0].length }
  } else return { min: 1, max: 1, end: i }
  // A lazy quantifier (`+?`) accepts the same strings, but keep the subset small.
  return source[q.end] === '?' ? null : q
}

function overlap(a: Array<[number, number]>, b: Array<[number, number]>): boolean {
  return a.some(([lo, hi]) => b.some(([l2, h2]) => lo <= h2 && l2 <= hi))
}

/**
 * Can greedy, non-backtracking matching decide these atoms? For every atom of variable length, none of its
 * characters may start the rest of the pattern. Then in any match that atom must take every character it can
 * (up to its maximum): a character it left would have to be the first one the rest takes.
 */
export function deterministic(atoms: readonly Atom[]): boolean {
  for (let i = 0; i < atoms.length; i++) {
    const a = atoms[i]!
    if (a.min === a.max) continue
    for (let j = i + 1; j < atoms.length; j++) {
      if (overlap(a.ranges, atoms[j]!.ranges)) return false
      if (atoms[j]!.min > 0) break
    }
  }
  return true
}

function test(ranges: ReadonlyArray<[number, number]>): string {
  return ranges.map(([lo, hi]) => (lo === hi ? `c === ${lo}` : `(c >= ${lo} && c <= ${hi})`)).join(' || ')
}

/**
 * JavaScript source of `function name(s)` returning whether string `s` matches, or null when the pattern is
 * not simple. Only numbers from the parsed pattern reach the source.
 */
export function patternFunction(source: string, name: string): string | null {
  const atoms = simplePattern(source)
  if (atoms === null || !deterministic(atoms)) return null
  let minLen = 0
  let maxLen = 0
  const body: string[] = []
  for (const a of atoms) {
    minLen += a.min
    maxLen += a.max
    const t = test(a.ranges)
    // charCodeAt past the end is NaN, which fails every test: no bounds checks for the required part.
    if (a.min === 1) body.push(`c = s.charCodeAt(i); if (!(${t})) return false; i++;`)
    else if (a.min > 1) body.push(`for (const e = i + ${a.min}; i < e; i++) { c = s.charCodeAt(i); if (!(${t})) return false; }`)
    if (a.max > a.min) {
      const end = a.max === Infinity ? 'n' : `Math.min(n, i + ${a.max - a.min})`
      body.push(`for (const e = ${end}; i < e; i++) { c = s.charCodeAt(i); if (!(${t})) break; }`)
    }
  }
  const lengths = maxLen === Infinity ? `if (n < ${minLen}) return false;` : `if (n < ${minLen} || n > ${maxLen}) return false;`
  return `function ${name}(s) { const n = s.length; ${lengths} let i = 0; let c = 0; ${body.join(' ')} return i === n; }`
}

/** A matcher for a simple pattern (built with `new Function`), or null; for tests and the closure engine. */
export function compileSimplePattern(source: string): ((s: string) => boolean) | null {
  const fn = patternFunction(source, 'match')
  return fn === null ? null : (new Function(`"use strict"; return ${fn}`)() as (s: string) => boolean)
}
