/**
 * Questions about a JSON instance value that both compilers and the messages ask: own property, plain object,
 * number of keys, length in code points. A leaf: imports nothing.
 */

export const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k)

export function isObject(d: unknown): d is Record<string, unknown> {
  return d !== null && typeof d === 'object' && !Array.isArray(d)
}

/** Count own enumerable keys without allocating a key array. */
export function keyCount(o: Record<string, unknown>): number {
  let n = 0
  for (const k in o) if (hasOwn(o, k)) n++
  return n
}

/** Length in Unicode code points (a surrogate pair counts once). */
export function codePoints(s: string): number {
  let n = s.length
  for (let i = 0; i < s.length - 1; i++) {
    const c = s.charCodeAt(i)
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1)
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--
        i++
      }
    }
  }
  return n
}
