/**
 * `java.lang.String` methods, with their charges to the render's budget. The regex methods (`matches`,
 * `replaceAll`, `replaceFirst`, `split`) run on `patterns.ts`.
 */
import { charge, current, grow } from '../budget'
import { javaMatches, javaReplace, javaSplit } from '../patterns'
import { markJavaList } from '../values/print'
import { type Method, fail, int } from './method'

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined
}

function javaTrim(s: string): string {
  let a = 0
  let b = s.length
  while (a < b && s.charCodeAt(a) <= 32) a++
  while (b > a && s.charCodeAt(b - 1) <= 32) b--
  return s.slice(a, b)
}

function hashCode(s: string): number {
  let h = 0
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0
  return h
}

function compareStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const d = a.charCodeAt(i) - b.charCodeAt(i)
    if (d !== 0) return d
  }
  return a.length - b.length
}

/**
 * Budget charges of string methods: a method that reads its whole input is charged one step per 32 characters
 * (the native scan is cheap, but a loop may repeat it); a method that builds a string is charged its length, before
 * it is built when that length is known.
 */
function scan(s: string): void {
  if (s.length > 31) charge(s.length >>> 5)
}

/**
 * `String.replace(CharSequence, CharSequence)`. Each occurrence is a step and the result is a built string; both
 * are charged before the string is built (occurrences are counted first, and counting stops once they exceed the
 * steps left), so a doubling replace in a loop is refused, not run.
 */
export function replaceLiteral(s: string, from: string, to: string): string {
  scan(s)
  if (from !== '' && !s.includes(from)) return s
  let count: number
  if (from === '') count = s.length + 1
  else {
    const b = current()
    const room = b.maxSteps - b.steps
    count = 0
    for (let i = s.indexOf(from); i >= 0 && count <= room; i = s.indexOf(from, i + from.length)) count++
  }
  charge(count)
  grow(s.length + count * (to.length - from.length))
  // `$` is special in a JS replacement string; doubled it is literal (Java's `replace` has no special characters).
  return s.replaceAll(from, to.includes('$') ? to.replaceAll('$', '$$$$') : to)
}

export const stringMethods = new Map<string, Method<string>>([
  ['length', (s) => s.length],
  ['isEmpty', (s) => s.length === 0],
  [
    'charAt',
    (s, [i]) => {
      const n = int(i)
      if (n === undefined) return undefined
      if (n < 0 || n >= s.length) fail(`String index out of range: ${n}`)
      return s[n]
    },
  ],
  [
    'contains',
    (s, [x]) => {
      if (str(x) === undefined) return undefined
      scan(s)
      return s.includes(x as string)
    },
  ],
  [
    'indexOf',
    (s, [x, from]) => {
      const needle = typeof x === 'number' ? String.fromCharCode(x) : str(x)
      if (needle === undefined) return undefined
      scan(s)
      return s.indexOf(needle, from === undefined ? 0 : Math.max(0, int(from) ?? 0))
    },
  ],
  [
    'lastIndexOf',
    (s, [x, from]) => {
      const needle = typeof x === 'number' ? String.fromCharCode(x) : str(x)
      if (needle === undefined) return undefined
      scan(s)
      if (from === undefined) return s.lastIndexOf(needle)
      const f = int(from) ?? 0
      return f < 0 ? -1 : s.lastIndexOf(needle, f)
    },
  ],
  [
    'substring',
    (s, [a, b]) => {
      const begin = int(a)
      const end = b === undefined ? s.length : int(b)
      if (begin === undefined || end === undefined) return undefined
      if (begin < 0 || end > s.length || begin > end)
        fail(`String index out of range: ${begin < 0 ? begin : end > s.length ? end : end - begin}`)
      return s.slice(begin, end)
    },
  ],
  [
    'toUpperCase',
    (s) => {
      grow(s.length)
      return s.toUpperCase()
    },
  ],
  [
    'toLowerCase',
    (s) => {
      grow(s.length)
      return s.toLowerCase()
    },
  ],
  ['trim', (s) => javaTrim(s)],
  [
    'startsWith',
    (s, [x, off]) => {
      if (str(x) === undefined) return undefined
      scan(x as string)
      return s.startsWith(x as string, int(off) ?? 0)
    },
  ],
  [
    'endsWith',
    (s, [x]) => {
      if (str(x) === undefined) return undefined
      scan(x as string)
      return s.endsWith(x as string)
    },
  ],
  ['equals', (s, [x]) => s === x],
  [
    'equalsIgnoreCase',
    (s, [x]) => {
      if (typeof x !== 'string') return false
      if (s === x) return true
      grow(2 * (s.length + x.length))
      return s.toUpperCase() === x.toUpperCase() || s.toLowerCase() === x.toLowerCase()
    },
  ],
  [
    'compareTo',
    (s, [x]) => {
      if (str(x) === undefined) return undefined
      scan(s)
      return compareStrings(s, x as string)
    },
  ],
  [
    'compareToIgnoreCase',
    (s, [x]) => {
      if (str(x) === undefined) return undefined
      grow(s.length + (x as string).length)
      return compareStrings(s.toLowerCase(), (x as string).toLowerCase())
    },
  ],
  [
    'concat',
    (s, [x]) => {
      if (str(x) === undefined) return undefined
      grow(s.length + (x as string).length)
      return s + (x as string)
    },
  ],
  [
    'replace',
    (s, [a, b]) => {
      const from = typeof a === 'string' ? a : undefined
      const to = typeof b === 'string' ? b : undefined
      if (from === undefined || to === undefined) return undefined
      return replaceLiteral(s, from, to)
    },
  ],
  [
    'replaceAll',
    (s, [a, b]) => (str(a) === undefined || str(b) === undefined ? undefined : javaReplace(s, a as string, b as string, true)),
  ],
  [
    'replaceFirst',
    (s, [a, b]) => (str(a) === undefined || str(b) === undefined ? undefined : javaReplace(s, a as string, b as string, false)),
  ],
  ['matches', (s, [a]) => (str(a) === undefined ? undefined : javaMatches(s, a as string))],
  ['split', (s, [a, l]) => (str(a) === undefined ? undefined : markJavaList(javaSplit(s, a as string, int(l) ?? 0)))],
  ['toString', (s) => s],
  [
    'hashCode',
    (s) => {
      scan(s)
      return hashCode(s)
    },
  ],
  [
    'toCharArray',
    (s) => {
      charge(s.length)
      return markJavaList(s.split(''))
    },
  ],
  ['isBlank', (s) => javaTrim(s).length === 0],
  ['strip', (s) => s.trim()],
  [
    'repeat',
    (s, [n]) => {
      if (int(n) === undefined || (n as number) < 0) return undefined
      // Charged before it is built: `'x'.repeat(2147483647)` is refused, not attempted.
      grow(s.length * (n as number))
      return s.repeat(n as number)
    },
  ],
])
