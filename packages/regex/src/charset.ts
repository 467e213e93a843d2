/**
 * Sets of code points: what one consuming instruction accepts. Most are sorted range lists (exact, so the
 * safety analysis can compare them); sets defined by Unicode properties or case folding are predicates built on
 * a native RegExp that matches exactly one code point, which costs O(1) per character whatever the input.
 */

export const MAX_CP = 0x10ffff

/** One code point's worth of pattern: what it accepts, and an ECMAScript (`u`) atom that accepts the same. */
export interface CharSet {
  /** Sorted, disjoint, non-adjacent [lo, hi, lo, hi, …] ranges; null when only the predicate is known. */
  readonly ranges: readonly number[] | null
  readonly test: (cp: number) => boolean
  /** ECMAScript source (with the `u` flag, and `i` when `fold` is set) matching one code point of the set. */
  readonly es: string
  /** The `es` source needs the `i` flag (sets compiled from an ECMAScript `i` pattern). */
  readonly fold: boolean
}

function hex(cp: number): string {
  return `\\u{${cp.toString(16)}}`
}

/** Normalize [lo, hi, …] pairs: sort, merge overlapping and adjacent ranges. */
export function normalize(pairs: readonly number[]): number[] {
  const idx: number[] = []
  for (let i = 0; i < pairs.length; i += 2) idx.push(i)
  idx.sort((a, b) => pairs[a]! - pairs[b]!)
  const out: number[] = []
  for (const i of idx) {
    const lo = pairs[i]!
    const hi = pairs[i + 1]!
    if (out.length > 0 && lo <= out[out.length - 1]! + 1) {
      if (hi > out[out.length - 1]!) out[out.length - 1] = hi
    } else out.push(lo, hi)
  }
  return out
}

export function complementRanges(r: readonly number[]): number[] {
  const out: number[] = []
  let next = 0
  for (let i = 0; i < r.length; i += 2) {
    if (r[i]! > next) out.push(next, r[i]! - 1)
    next = r[i + 1]! + 1
  }
  if (next <= MAX_CP) out.push(next, MAX_CP)
  return out
}

function intersectRanges(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = []
  let i = 0
  let j = 0
  while (i < a.length && j < b.length) {
    const lo = Math.max(a[i]!, b[j]!)
    const hi = Math.min(a[i + 1]!, b[j + 1]!)
    if (lo <= hi) out.push(lo, hi)
    if (a[i + 1]! < b[j + 1]!) i += 2
    else j += 2
  }
  return out
}

/** Do two range lists share a code point? */
export function rangesOverlap(a: readonly number[], b: readonly number[]): boolean {
  return intersectRanges(a, b).length > 0
}

function rangeTest(r: readonly number[]): (cp: number) => boolean {
  // ASCII by table, the rest by binary search over the ranges.
  const ascii = new Uint8Array(128)
  for (let i = 0; i < r.length && r[i]! < 128; i += 2) for (let c = r[i]!; c <= r[i + 1]! && c < 128; c++) ascii[c] = 1
  const n = r.length >> 1
  if (n === 1) {
    const lo = r[0]!
    const hi = r[1]!
    return (cp) => cp >= lo && cp <= hi
  }
  return (cp) => {
    if (cp < 128) return ascii[cp] === 1
    let l = 0
    let h = n - 1
    while (l <= h) {
      const m = (l + h) >> 1
      if (cp < r[2 * m]!) h = m - 1
      else if (cp > r[2 * m + 1]!) l = m + 1
      else return true
    }
    return false
  }
}

/** A set from [lo, hi, …] pairs (any order). */
export function fromRanges(pairs: readonly number[]): CharSet {
  const ranges = normalize(pairs)
  let es: string
  if (ranges.length === 0) es = '[]'
  else if (ranges.length === 2 && ranges[0] === 0 && ranges[1] === MAX_CP) es = '[^]'
  else {
    let body = ''
    for (let i = 0; i < ranges.length; i += 2)
      body += ranges[i] === ranges[i + 1] ? hex(ranges[i]!) : `${hex(ranges[i]!)}-${hex(ranges[i + 1]!)}`
    es = `[${body}]`
  }
  return { ranges, test: rangeTest(ranges), es, fold: false }
}

export function single(cp: number): CharSet {
  return fromRanges([cp, cp])
}

/**
 * A set defined by an ECMAScript atom: `atom` with `flags` must match exactly one code point (a class, an escape,
 * a literal, `.`). Used for Unicode properties and case-insensitive atoms. ASCII answers are memoized.
 */
export function nativeSet(atom: string, flags: string): CharSet {
  const re = new RegExp(`^(?:${atom})$`, `u${flags}`)
  const ascii = new Int8Array(128).fill(-1)
  const test = (cp: number): boolean => {
    if (cp < 128) {
      const v = ascii[cp]!
      if (v >= 0) return v === 1
      const r = re.test(String.fromCharCode(cp))
      ascii[cp] = r ? 1 : 0
      return r
    }
    return re.test(String.fromCodePoint(cp))
  }
  const fold = flags.includes('i')
  return { ranges: null, test, es: flags.includes('s') && atom === '.' ? '[^]' : atom.startsWith('(') ? atom : `(?:${atom})`, fold }
}

function predicateSet(test: (cp: number) => boolean, es: string, fold: boolean): CharSet {
  return { ranges: null, test, es, fold }
}

export function union(sets: readonly CharSet[]): CharSet {
  if (sets.length === 1) return sets[0]!
  if (sets.every((s) => s.ranges !== null)) return fromRanges(sets.flatMap((s) => s.ranges!))
  const tests = sets.map((s) => s.test)
  return predicateSet(
    (cp) => tests.some((t) => t(cp)),
    `(?:${sets.map((s) => s.es).join('|')})`,
    sets.some((s) => s.fold),
  )
}

export function complement(set: CharSet): CharSet {
  if (set.ranges !== null) return fromRanges(complementRanges(set.ranges))
  const t = set.test
  return predicateSet((cp) => !t(cp), `(?:(?!${set.es})[^])`, set.fold)
}

export function intersect(a: CharSet, b: CharSet): CharSet {
  if (a.ranges !== null && b.ranges !== null) return fromRanges(intersectRanges(a.ranges, b.ranges))
  const ta = a.test
  const tb = b.test
  return predicateSet((cp) => ta(cp) && tb(cp), `(?:(?=${a.es})${b.es})`, a.fold || b.fold)
}

/** ASCII-only case insensitivity (Java's CASE_INSENSITIVE without UNICODE_CASE): add the other case of a-z/A-Z. */
export function foldAscii(set: CharSet): CharSet {
  if (set.ranges === null) {
    const t = set.test
    const other = (cp: number) => (cp >= 0x41 && cp <= 0x5a ? cp + 32 : cp >= 0x61 && cp <= 0x7a ? cp - 32 : cp)
    // The native form cannot say "or its other case" for a predicate: marked as folded, so it is refused there.
    return predicateSet((cp) => t(cp) || t(other(cp)), set.es, true)
  }
  const extra: number[] = [...set.ranges]
  for (const [lo, hi, d] of [
    [0x41, 0x5a, 32],
    [0x61, 0x7a, -32],
  ] as const) {
    const part = intersectRanges(set.ranges, [lo, hi])
    for (let i = 0; i < part.length; i += 2) extra.push(part[i]! + d, part[i + 1]! + d)
  }
  return fromRanges(extra)
}

/** Unicode case insensitivity as Java's UNICODE_CASE reads it: a code point, its upper and its lower case. */
export function foldUnicode(set: CharSet): CharSet {
  const t = set.test
  const one = (s: string): number => {
    const cp = s.codePointAt(0)!
    return s.length === (cp > 0xffff ? 2 : 1) ? cp : -1
  }
  return predicateSet(
    (cp) => {
      if (t(cp)) return true
      const s = String.fromCodePoint(cp)
      const u = one(s.toUpperCase())
      const l = one(s.toLowerCase())
      return (
        (u >= 0 && t(u)) ||
        (l >= 0 && t(l)) ||
        (u >= 0 &&
          (() => {
            const l2 = one(String.fromCodePoint(u).toLowerCase())
            return l2 >= 0 && t(l2)
          })())
      )
    },
    set.es,
    true,
  )
}

// Shared sets.
export const DIGIT = [0x30, 0x39]
export const WORD = [0x30, 0x39, 0x41, 0x5a, 0x5f, 0x5f, 0x61, 0x7a]
/** ECMAScript `\s`: WhiteSpace and LineTerminator. */
export const ES_SPACE = [
  0x09, 0x0d, 0x20, 0x20, 0xa0, 0xa0, 0x1680, 0x1680, 0x2000, 0x200a, 0x2028, 0x2029, 0x202f, 0x202f, 0x205f, 0x205f, 0x3000, 0x3000,
  0xfeff, 0xfeff,
]
/** ECMAScript line terminators (what `.` excludes without `s`, what `^`/`$` see with `m`). */
export const ES_LINE = [0x0a, 0x0a, 0x0d, 0x0d, 0x2028, 0x2029]
/** Java `\s`: [ \t\n\x0B\f\r]. */
export const JAVA_SPACE = [0x09, 0x0d, 0x20, 0x20]
/** Java line terminators: \n, \r, \u0085, \u2028, \u2029 (and \r\n as one). */
export const JAVA_LINE = [0x0a, 0x0a, 0x0d, 0x0d, 0x85, 0x85, 0x2028, 0x2029]
