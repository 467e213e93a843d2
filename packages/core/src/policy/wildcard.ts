/**
 * IAM wildcards: `*` matches any run of characters (including none, and across `:` and `/`), `?` exactly one
 * (a code point). Matched by a greedy two-pointer glob matcher, O(n·m) in the worst case for a value of n and a
 * pattern of m code points and O(n + m) for most: policies are the operator's, but the values they are matched
 * against (method ARNs) hold the client's path, and a backtracking RegExp took O(n^k) for k stars.
 */

/**
 * Steps taken by every wildcard match since the last reset (one per position the two pointers visit), so tests
 * prove the bound by counting, never by timing.
 *
 * @example
 * ```ts
 * wildcardStats.steps = 0; compileWildcard('a*b*c')(value); expect(wildcardStats.steps).toBeLessThan(10 * value.length)
 * ```
 */
export const wildcardStats = { steps: 0 }

const STAR = -1
const ANY = -2

/** Simple case folding of one code point, as RegExp's `iu` flags compare: upper then lower (`ſ` → `s`, `K` → `k`). */
function fold(cp: number): number {
  if (cp < 128) return cp >= 65 && cp <= 90 ? cp + 32 : cp
  const f = String.fromCodePoint(cp).toUpperCase().toLowerCase()
  // A code point whose case mapping is not one code point (`ß` → `SS`) only matches itself, as in simple folding.
  const first = f.codePointAt(0)!
  return f.length === (first > 0xffff ? 2 : 1) ? first : cp
}

/** A matcher for one pattern; exact strings skip the glob matcher. */
export function compileWildcard(pattern: string, ignoreCase = false): (value: string) => boolean {
  if (pattern === '*') return () => true
  if (!/[*?]/.test(pattern)) {
    if (!ignoreCase) return (v) => v === pattern
    const lower = pattern.toLowerCase()
    return (v) => v.toLowerCase() === lower
  }
  // Code points, `*` and `?` as markers; runs of stars are one star.
  const pat: number[] = []
  for (const ch of pattern) {
    const cp = ch.codePointAt(0)!
    if (cp === 42 /* * */) {
      if (pat[pat.length - 1] !== STAR) pat.push(STAR)
    } else pat.push(cp === 63 /* ? */ ? ANY : ignoreCase ? fold(cp) : cp)
  }
  const m = pat.length
  return (value) => {
    const n = value.length
    let p = 0
    let i = 0
    let starP = -1
    let starI = 0
    let steps = 0
    while (i < n) {
      steps++
      if (p < m) {
        const t = pat[p]!
        if (t === STAR) {
          // Remember where the star started; it first matches nothing.
          starP = p++
          starI = i
          continue
        }
        const cp = value.codePointAt(i)!
        if (t === ANY || t === (ignoreCase ? fold(cp) : cp)) {
          p++
          i += cp > 0xffff ? 2 : 1
          continue
        }
      }
      if (starP === -1) {
        wildcardStats.steps += steps
        return false
      }
      // Mismatch: the last star takes one more code point and the rest of the pattern is tried again from there.
      // Earlier stars never need to take more (the last one can absorb whatever they would), hence O(n·m).
      starI += value.codePointAt(starI)! > 0xffff ? 2 : 1
      i = starI
      p = starP + 1
    }
    while (p < m && pat[p] === STAR) p++
    wildcardStats.steps += steps
    return p === m
  }
}
