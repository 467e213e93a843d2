/**
 * Simple anchored patterns as plain code. Calling a RegExp costs more than matching `^[A-Z]{3}-[0-9]{4}$`
 * itself, and API Gateway models are full of such patterns (codes, SKUs, country and currency codes, emails).
 * A pattern qualifies when it is `^…$` around a sequence of quantified atoms, each a character, a class of BMP
 * characters, or a negated class under `*` or `+`, and when greedy matching decides it: left to right, every
 * variable-length atom's characters cannot start what follows it (see `deterministic`); or, for a tail, the
 * same from the end (`^[^@\s]+@[^@\s]+\.[a-z]{2,}$`: the tail `\.[a-z]{2,}` is matched right to left first,
 * which fixes where the head must end). Then matching each atom greedily, never giving characters back,
 * accepts exactly the strings the RegExp accepts, in time linear in the string. Anything else keeps the RegExp.
 */

/** One quantified atom: the UTF-16 code units it accepts (sorted, merged ranges) and its repeat bounds. */
export interface Atom {
  ranges: Array<[number, number]>
  min: number
  max: number
}

const MAX_REPEAT = 1000
/** Required repeats up to this many are written out one read each, up to UNROLL_TOTAL a pattern; others loop. */
const UNROLL = 16
const UNROLL_TOTAL = 64
/** Beyond this many atoms, only left-to-right matching is tried (each split costs a quadratic check). */
const MAX_SPLIT_ATOMS = 64
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
    let negated = false
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
      negated = parsed.negated
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
    // A negated class takes every surrogate, so per code unit it consumes whole pairs, as the `u` flag reads
    // them, but counts them twice: only `*` and `+`, where the count does not matter, are in the subset.
    if (negated && (q.max !== Infinity || q.min > 1)) return null
    atoms.push({ ranges: merge(ranges), min: q.min, max: q.max })
  }
}

function parseClass(source: string, start: number): { ranges: Array<[number, number]>; end: number; negated: boolean } | null {
  let i = start
  // A negated class also matches astral code points, one per pair of code units: see simplePattern.
  const negated = source[i] === '^'
  if (negated) i++
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
  return { ranges: negated ? complement(merge(ranges)) : ranges, end: i + 1, negated }
}

/** The BMP code units not in `ranges` (sorted, merged), surrogates included. */
function complement(ranges: Array<[number, number]>): Array<[number, number]> {
  const out: Array<[number, number]> = []
  let next = 0
  for (const [lo, hi] of ranges) {
    if (lo > next) out.push([next, lo - 1])
    next = hi + 1
  }
  if (next <= 0xffff) out.push([next, 0xffff])
  return out
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

/**
 * The same from the end: can atoms `from…` be matched right to left, each taking every character it can? For
 * each variable one, none of its characters may end what comes before it (atoms before `from` included).
 */
function deterministicFromEnd(atoms: readonly Atom[], from: number): boolean {
  for (let i = atoms.length - 1; i >= from; i--) {
    const a = atoms[i]!
    if (a.min === a.max) continue
    for (let j = i - 1; j >= 0; j--) {
      if (overlap(a.ranges, atoms[j]!.ranges)) return false
      if (atoms[j]!.min > 0) break
    }
  }
  return true
}

/** `c` (a code unit, or NaN past the string, which must fail) in sorted, merged `ranges`. */
function test(ranges: ReadonlyArray<[number, number]>): string {
  const any = (rs: ReadonlyArray<[number, number]>) =>
    rs.map(([lo, hi]) => (lo === hi ? `c === ${lo}` : `(c >= ${lo} && c <= ${hi})`)).join(' || ') || 'false'
  // Within [lo, hi], the shorter of the ranges and their complement (negated: a negated class lists what it
  // excludes, not a dozen ranges around it).
  const part = (lo: number, hi: number) => {
    const inside = ranges.filter(([a, b]) => b >= lo && a <= hi).map(([a, b]): [number, number] => [Math.max(a, lo), Math.min(b, hi)])
    const outside: Array<[number, number]> = []
    let next = lo
    for (const [a, b] of inside) {
      if (a > next) outside.push([next, a - 1])
      next = b + 1
    }
    if (next <= hi) outside.push([next, hi])
    if (outside.length >= inside.length) return `(${any(inside)})`
    if (outside.length === 0) return 'true'
    // Most characters lie beyond the few a negated class excludes: accept those with one comparison.
    const edges = [outside[0]![0] > lo ? `c < ${outside[0]![0]}` : '', outside.at(-1)![1] < hi ? `c > ${outside.at(-1)![1]}` : '']
    return `(${[...edges.filter((e) => e !== '').reverse(), `!(${any(outside)})`].join(' || ')})`
  }
  if (ranges.every(([, hi]) => hi < 128)) return any(ranges)
  // NaN is not below 128 and not at most 0xffff: it fails both branches.
  return `(c < 128 ? ${part(0, 127)} : c <= 65535 && ${part(128, 65535)})`
}

/** A required character at `index`; a single one is compared directly (smaller code, so V8 inlines more). */
function read(index: string, ranges: ReadonlyArray<[number, number]>, t: string): string {
  const [first] = ranges
  if (ranges.length === 1 && first![0] === first![1]) return `if (s.charCodeAt(${index}) !== ${first![0]}) return false;`
  return `c = s.charCodeAt(${index}); if (!(${t})) return false;`
}

/**
 * Statements matching `atoms` left to right from 0, with `end` (a variable) the end of the string they must
 * fill; the returned expression tells whether they filled it exactly. While every atom so far had a fixed
 * length, reads are at constant indices, unrolled: about half the cost of a loop (V8 drops the loop and most
 * bounds checks); `i` is written only when a variable atom needs it. A read past `end` makes `i` pass it, so
 * the match fails.
 */
function forward(atoms: readonly Atom[], end: string, body: string[], unroll: { left: number }): string {
  let at: number | null = 0
  for (const a of atoms) {
    const t = test(a.ranges)
    if (a.min > 0 && a.min <= Math.min(UNROLL, unroll.left)) {
      unroll.left -= a.min
      // charCodeAt past the string is NaN, which fails every test: no bounds checks for the required part (and
      // a constant index is below the minimum length, checked first).
      for (let k = 0; k < a.min; k++) {
        body.push(read(at === null ? (k === 0 ? 'i' : `i + ${k}`) : String(at + k), a.ranges, t))
      }
      if (at === null) body.push(`i += ${a.min};`)
      else at += a.min
    } else if (a.min > 0) {
      if (at !== null && at !== 0) body.push(`i = ${at};`)
      at = null
      body.push(`for (const e = i + ${a.min}; i < e; i++) { c = s.charCodeAt(i); if (!(${t})) return false; }`)
    }
    if (a.max > a.min) {
      if (at !== null && at !== 0) body.push(`i = ${at};`)
      at = null
      // One optional character (`?`): a test, no loop. It must not take the character at `end` (the start of a
      // tail matched from the end); past the string, NaN fails the test.
      if (a.max - a.min === 1) body.push(`c = s.charCodeAt(i); if (${end === 'n' ? '' : `i < ${end} && `}(${t})) i++;`)
      else {
        const bound = a.max === Infinity ? end : `Math.min(${end}, i + ${a.max - a.min})`
        body.push(`for (const e = ${bound}; i < e; i++) { c = s.charCodeAt(i); if (!(${t})) break; }`)
      }
    }
  }
  return at === null ? `i === ${end}` : `${end} === ${at}`
}

/** Statements matching `atoms` right to left from the end of the string; `j` is left where they start. */
function backward(atoms: readonly Atom[], body: string[], unroll: { left: number }): void {
  let back: number | null = 0 // characters taken from the end, while every atom so far had a fixed length
  for (let x = atoms.length - 1; x >= 0; x--) {
    const a = atoms[x]!
    const t = test(a.ranges)
    if (a.min > 0 && a.min <= Math.min(UNROLL, unroll.left)) {
      unroll.left -= a.min
      // charCodeAt(-1) is NaN: no bounds checks (a constant index is within the minimum length).
      for (let k = 1; k <= a.min; k++) body.push(read(back === null ? `j - ${k}` : `n - ${back + k}`, a.ranges, t))
      if (back === null) body.push(`j -= ${a.min};`)
      else back += a.min
    } else if (a.min > 0) {
      if (back !== null) body.push(`j = n - ${back};`)
      back = null
      body.push(`for (const e = j - ${a.min}; j > e; j--) { c = s.charCodeAt(j - 1); if (!(${t})) return false; }`)
    }
    if (a.max > a.min) {
      if (back !== null) body.push(`j = n - ${back};`)
      back = null
      if (a.max - a.min === 1) body.push(`c = s.charCodeAt(j - 1); if (${t}) j--;`)
      else {
        const bound = a.max === Infinity ? '0' : `Math.max(0, j - ${a.max - a.min})`
        body.push(`for (const e = ${bound}; j > e; j--) { c = s.charCodeAt(j - 1); if (!(${t})) break; }`)
      }
    }
  }
  if (back !== null) body.push(`j = n - ${back};`)
}

/**
 * JavaScript source of `function name(s)` returning whether string `s` matches, or null when the pattern is
 * not simple. Only numbers from the parsed pattern reach the source. Atoms are matched greedily left to right
 * when that decides them ({@link deterministic}); otherwise a tail that right-to-left matching decides is
 * matched from the end first (`^[^@\s]+@[^@\s]+\.[a-z]{2,}$`), which fixes where the head must end.
 */
export function patternFunction(source: string, name: string): string | null {
  const atoms = simplePattern(source)
  if (atoms === null) return null
  let split = atoms.length
  const last = atoms.length > MAX_SPLIT_ATOMS ? atoms.length : 0
  while (split >= last && !(deterministic(atoms.slice(0, split)) && deterministicFromEnd(atoms, split))) split--
  if (split < last) return null
  let minLen = 0
  let maxLen = 0
  for (const a of atoms) {
    minLen += a.min
    maxLen += a.max
  }
  const body: string[] = []
  const unroll = { left: UNROLL_TOTAL }
  let tail = ''
  if (split < atoms.length) {
    tail = 'let j = n; '
    backward(atoms.slice(split), body, unroll)
  }
  const end = forward(atoms.slice(0, split), split < atoms.length ? 'j' : 'n', body, unroll)
  const lengths = maxLen === Infinity ? `if (n < ${minLen}) return false;` : `if (n < ${minLen} || n > ${maxLen}) return false;`
  return `function ${name}(s) { const n = s.length; ${lengths} let i = 0; let c = 0; ${tail}${body.join(' ')} return ${end}; }`
}

/** A matcher for a simple pattern (built with `new Function`), or null; for tests and the closure engine. */
export function compileSimplePattern(source: string): ((s: string) => boolean) | null {
  const fn = patternFunction(source, 'match')
  return fn === null ? null : (new Function(`"use strict"; return ${fn}`)() as (s: string) => boolean)
}
