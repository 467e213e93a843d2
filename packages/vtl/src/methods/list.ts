/**
 * `java.util.List` methods on arrays (plus `count()`, which AWS documents on `$input.path` lists). Each element a
 * method touches or copies is charged to the render's budget.
 */
import { charge } from '../budget'
import { javaEquals } from '../values/equality'
import { javaString, markJavaList } from '../values/print'
import { type Method, fail, int } from './method'

function index(list: unknown[], i: unknown, size = list.length): number {
  const n = int(i)
  if (n === undefined) return -2
  if (n < 0 || n >= size) fail(`Index: ${n}, Size: ${list.length}`)
  return n
}

export const listMethods = new Map<string, Method<unknown[]>>([
  ['size', (l) => l.length],
  // Not a java.util.List method, but AWS documents `$input.path('$.pets').count()` returning the list's size.
  ['count', (l) => l.length],
  ['isEmpty', (l) => l.length === 0],
  [
    'get',
    (l, [i]) => {
      const n = index(l, i)
      return n === -2 ? undefined : l[n]
    },
  ],
  [
    'contains',
    (l, [x]) => {
      charge(l.length)
      return l.some((e) => javaEquals(e, x))
    },
  ],
  [
    'indexOf',
    (l, [x]) => {
      charge(l.length)
      return l.findIndex((e) => javaEquals(e, x))
    },
  ],
  [
    'lastIndexOf',
    (l, [x]) => {
      charge(l.length)
      for (let i = l.length - 1; i >= 0; i--) if (javaEquals(l[i], x)) return i
      return -1
    },
  ],
  [
    'add',
    (l, a) => {
      if (a.length === 2) {
        const n = index(l, a[0], l.length + 1)
        if (n === -2) return undefined
        charge(l.length - n)
        l.splice(n, 0, a[1])
        return undefined
      }
      l.push(a[0])
      return true
    },
  ],
  [
    'addAll',
    (l, [x]) => {
      if (!Array.isArray(x)) return undefined
      // Each element copied is a step (a list doubled with addAll grows exponentially), and no spread: a long list
      // would overflow the call stack.
      charge(x.length)
      const n = x.length
      for (let i = 0; i < n; i++) l.push(x[i])
      return n > 0
    },
  ],
  [
    'remove',
    (l, [x]) => {
      charge(l.length)
      if (int(x) !== undefined) {
        const n = index(l, x)
        return l.splice(n, 1)[0]
      }
      const i = l.findIndex((e) => javaEquals(e, x))
      if (i < 0) return false
      l.splice(i, 1)
      return true
    },
  ],
  [
    'set',
    (l, [i, x]) => {
      const n = index(l, i)
      if (n === -2) return undefined
      const prev = l[n]
      l[n] = x
      return prev
    },
  ],
  [
    'clear',
    (l) => {
      l.length = 0
      return undefined
    },
  ],
  [
    'subList',
    (l, [a, b]) => {
      const from = int(a)
      const to = int(b)
      if (from === undefined || to === undefined) return undefined
      if (from < 0 || to > l.length || from > to) fail(`subList(${from}, ${to}) out of range`)
      charge(to - from)
      return markJavaList(l.slice(from, to))
    },
  ],
  [
    'containsAll',
    (l, [x]) => {
      if (!Array.isArray(x)) return undefined
      charge(l.length * x.length)
      return x.every((y) => l.some((e) => javaEquals(e, y)))
    },
  ],
  ['equals', (l, [x]) => javaEquals(l, x)],
  ['toString', (l) => javaString(l)],
  [
    'toArray',
    (l) => {
      charge(l.length)
      return markJavaList(l.slice())
    },
  ],
])
