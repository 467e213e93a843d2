/**
 * JSON deep equality (1 and 1.0 are equal; object key order does not matter) and duplicate detection.
 */

/** Deep equality of JSON values. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  const aa = Array.isArray(a)
  if (aa !== Array.isArray(b)) return false
  if (aa) {
    const x = a as unknown[]
    const y = b as unknown[]
    if (x.length !== y.length) return false
    for (let i = 0; i < x.length; i++) if (!deepEqual(x[i], y[i])) return false
    return true
  }
  const ka = Object.keys(a)
  if (ka.length !== Object.keys(b).length) return false
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(b, k)) return false
    if (!deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false
  }
  return true
}

/** Does the array hold two deep-equal items? Primitive-only arrays are checked in linear time. */
export function hasDuplicates(arr: readonly unknown[]): boolean {
  const n = arr.length
  if (n < 2) return false
  if (n <= 8) {
    for (let i = 1; i < n; i++) for (let j = 0; j < i; j++) if (deepEqual(arr[i], arr[j])) return true
    return false
  }
  // Primitives by value in a Set; objects pairwise among themselves.
  const seen = new Set<unknown>()
  const objects: unknown[] = []
  for (const v of arr) {
    if (v !== null && typeof v === 'object') {
      for (const o of objects) if (deepEqual(o, v)) return true
      objects.push(v)
    } else {
      // A Set compares with SameValueZero: "1" and 1 stay distinct, as JSON equality wants.
      if (seen.has(v)) return true
      seen.add(v)
    }
  }
  return false
}
