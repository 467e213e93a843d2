/**
 * The Java methods templates call on strings, numbers, lists and maps, plus Velocity's property lookup
 * (`$map.key` → `get("key")`, `$list.empty` → `isEmpty()`). A method that does not exist yields undefined, which
 * renders as nothing, as API Gateway does. A call Java would answer with an exception throws `VTL_RUNTIME`.
 */
import { charge, current, grow } from './budget'
import { VtlError } from './errors'
import { javaMatches, javaReplace, javaSplit } from './patterns'
import {
  Dbl,
  Host,
  entriesOf,
  isDouble,
  isNumber,
  isPlainObject,
  javaEquals,
  javaString,
  mapGet,
  mapHas,
  mapPut,
  mapSize,
  markJavaList,
  num,
  ownGet,
} from './values'

type Method<T> = (self: T, a: unknown[]) => unknown
type JMap = Map<unknown, unknown> | Record<string, unknown>

function fail(message: string): never {
  throw new VtlError('VTL_RUNTIME', message)
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined
}

function int(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) ? v : undefined
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

const stringMethods = new Map<string, Method<string>>([
  ['length', (s) => s.length],
  ['isEmpty', (s) => s.length === 0],
  ['charAt', (s, [i]) => {
    const n = int(i)
    if (n === undefined) return undefined
    if (n < 0 || n >= s.length) fail(`String index out of range: ${n}`)
    return s[n]
  }],
  ['contains', (s, [x]) => {
    if (str(x) === undefined) return undefined
    scan(s)
    return s.includes(x as string)
  }],
  ['indexOf', (s, [x, from]) => {
    const needle = typeof x === 'number' ? String.fromCharCode(x) : str(x)
    if (needle === undefined) return undefined
    scan(s)
    return s.indexOf(needle, from === undefined ? 0 : Math.max(0, int(from) ?? 0))
  }],
  ['lastIndexOf', (s, [x, from]) => {
    const needle = typeof x === 'number' ? String.fromCharCode(x) : str(x)
    if (needle === undefined) return undefined
    scan(s)
    if (from === undefined) return s.lastIndexOf(needle)
    const f = int(from) ?? 0
    return f < 0 ? -1 : s.lastIndexOf(needle, f)
  }],
  ['substring', (s, [a, b]) => {
    const begin = int(a)
    const end = b === undefined ? s.length : int(b)
    if (begin === undefined || end === undefined) return undefined
    if (begin < 0 || end > s.length || begin > end) fail(`String index out of range: ${begin < 0 ? begin : end > s.length ? end : end - begin}`)
    return s.slice(begin, end)
  }],
  ['toUpperCase', (s) => {
    grow(s.length)
    return s.toUpperCase()
  }],
  ['toLowerCase', (s) => {
    grow(s.length)
    return s.toLowerCase()
  }],
  ['trim', (s) => javaTrim(s)],
  ['startsWith', (s, [x, off]) => {
    if (str(x) === undefined) return undefined
    scan(x as string)
    return s.startsWith(x as string, int(off) ?? 0)
  }],
  ['endsWith', (s, [x]) => {
    if (str(x) === undefined) return undefined
    scan(x as string)
    return s.endsWith(x as string)
  }],
  ['equals', (s, [x]) => s === x],
  ['equalsIgnoreCase', (s, [x]) => {
    if (typeof x !== 'string') return false
    if (s === x) return true
    grow(2 * (s.length + x.length))
    return s.toUpperCase() === x.toUpperCase() || s.toLowerCase() === x.toLowerCase()
  }],
  ['compareTo', (s, [x]) => {
    if (str(x) === undefined) return undefined
    scan(s)
    return compareStrings(s, x as string)
  }],
  ['compareToIgnoreCase', (s, [x]) => {
    if (str(x) === undefined) return undefined
    grow(s.length + (x as string).length)
    return compareStrings(s.toLowerCase(), (x as string).toLowerCase())
  }],
  ['concat', (s, [x]) => {
    if (str(x) === undefined) return undefined
    grow(s.length + (x as string).length)
    return s + (x as string)
  }],
  ['replace', (s, [a, b]) => {
    const from = typeof a === 'string' ? a : undefined
    const to = typeof b === 'string' ? b : undefined
    if (from === undefined || to === undefined) return undefined
    return replaceLiteral(s, from, to)
  }],
  ['replaceAll', (s, [a, b]) => (str(a) === undefined || str(b) === undefined ? undefined : javaReplace(s, a as string, b as string, true))],
  ['replaceFirst', (s, [a, b]) => (str(a) === undefined || str(b) === undefined ? undefined : javaReplace(s, a as string, b as string, false))],
  ['matches', (s, [a]) => (str(a) === undefined ? undefined : javaMatches(s, a as string))],
  ['split', (s, [a, l]) => (str(a) === undefined ? undefined : markJavaList(javaSplit(s, a as string, int(l) ?? 0)))],
  ['toString', (s) => s],
  ['hashCode', (s) => {
    scan(s)
    return hashCode(s)
  }],
  ['toCharArray', (s) => {
    charge(s.length)
    return markJavaList(s.split(''))
  }],
  ['isBlank', (s) => javaTrim(s).length === 0],
  ['strip', (s) => s.trim()],
  ['repeat', (s, [n]) => {
    if (int(n) === undefined || (n as number) < 0) return undefined
    // Charged before it is built: `'x'.repeat(2147483647)` is refused, not attempted.
    grow(s.length * (n as number))
    return s.repeat(n as number)
  }],
])

const numberMethods = new Map<string, Method<number | Dbl>>([
  ['toString', (n) => javaString(n)],
  ['intValue', (n) => Math.trunc(num(n)) | 0],
  ['longValue', (n) => Math.trunc(num(n))],
  ['doubleValue', (n) => new Dbl(num(n))],
  ['floatValue', (n) => new Dbl(Math.fround(num(n)))],
  ['equals', (n, [x]) => isNumber(x) && isDouble(n) === isDouble(x) && num(n) === num(x)],
  ['compareTo', (n, [x]) => (isNumber(x) ? Math.sign(num(n) - num(x)) : undefined)],
  ['hashCode', (n) => (isDouble(n) ? undefined : num(n) | 0)],
])

const booleanMethods = new Map<string, Method<boolean>>([
  ['toString', (b) => String(b)],
  ['booleanValue', (b) => b],
  ['equals', (b, [x]) => b === x],
])

function index(list: unknown[], i: unknown, size = list.length): number {
  const n = int(i)
  if (n === undefined) return -2
  if (n < 0 || n >= size) fail(`Index: ${n}, Size: ${list.length}`)
  return n
}

const listMethods = new Map<string, Method<unknown[]>>([
  ['size', (l) => l.length],
  // Not a java.util.List method, but AWS documents `$input.path('$.pets').count()` returning the list's size.
  ['count', (l) => l.length],
  ['isEmpty', (l) => l.length === 0],
  ['get', (l, [i]) => {
    const n = index(l, i)
    return n === -2 ? undefined : l[n]
  }],
  ['contains', (l, [x]) => {
    charge(l.length)
    return l.some((e) => javaEquals(e, x))
  }],
  ['indexOf', (l, [x]) => {
    charge(l.length)
    return l.findIndex((e) => javaEquals(e, x))
  }],
  ['lastIndexOf', (l, [x]) => {
    charge(l.length)
    for (let i = l.length - 1; i >= 0; i--) if (javaEquals(l[i], x)) return i
    return -1
  }],
  ['add', (l, a) => {
    if (a.length === 2) {
      const n = index(l, a[0], l.length + 1)
      if (n === -2) return undefined
      charge(l.length - n)
      l.splice(n, 0, a[1])
      return undefined
    }
    l.push(a[0])
    return true
  }],
  ['addAll', (l, [x]) => {
    if (!Array.isArray(x)) return undefined
    // Each element copied is a step (a list doubled with addAll grows exponentially), and no spread: a long list
    // would overflow the call stack.
    charge(x.length)
    const n = x.length
    for (let i = 0; i < n; i++) l.push(x[i])
    return n > 0
  }],
  ['remove', (l, [x]) => {
    charge(l.length)
    if (int(x) !== undefined) {
      const n = index(l, x)
      return l.splice(n, 1)[0]
    }
    const i = l.findIndex((e) => javaEquals(e, x))
    if (i < 0) return false
    l.splice(i, 1)
    return true
  }],
  ['set', (l, [i, x]) => {
    const n = index(l, i)
    if (n === -2) return undefined
    const prev = l[n]
    l[n] = x
    return prev
  }],
  ['clear', (l) => {
    l.length = 0
    return undefined
  }],
  ['subList', (l, [a, b]) => {
    const from = int(a)
    const to = int(b)
    if (from === undefined || to === undefined) return undefined
    if (from < 0 || to > l.length || from > to) fail(`subList(${from}, ${to}) out of range`)
    charge(to - from)
    return markJavaList(l.slice(from, to))
  }],
  ['containsAll', (l, [x]) => {
    if (!Array.isArray(x)) return undefined
    charge(l.length * x.length)
    return x.every((y) => l.some((e) => javaEquals(e, y)))
  }],
  ['equals', (l, [x]) => javaEquals(l, x)],
  ['toString', (l) => javaString(l)],
  ['toArray', (l) => {
    charge(l.length)
    return markJavaList(l.slice())
  }],
])

/** A `Map.Entry` from `entrySet()`. */
export class Entry extends Host {
  constructor(
    readonly map: JMap,
    readonly key: unknown,
    public value: unknown,
  ) {
    super()
  }
  prop(name: string): unknown {
    return name === 'key' ? this.key : name === 'value' ? this.value : undefined
  }
  call(name: string, args: unknown[]): unknown {
    if (name === 'getKey') return this.key
    if (name === 'getValue') return this.value
    if (name === 'setValue') {
      const prev = this.value
      this.value = args[0]
      mapPut(this.map, this.key, args[0])
      return prev
    }
    if (name === 'toString') return this.toString()
    return undefined
  }
  toString(): string {
    return `${javaString(this.key)}=${javaString(this.value)}`
  }
}

function mapRemove(m: JMap, k: unknown): unknown {
  const prev = mapGet(m, k)
  if (m instanceof Map) {
    if (!m.delete(k) && typeof k !== 'string') m.delete(javaString(k))
  } else delete m[typeof k === 'string' ? k : javaString(k)]
  return prev
}

const mapMethods = new Map<string, Method<JMap>>([
  ['get', (m, [k]) => mapGet(m, k)],
  ['getOrDefault', (m, [k, d]) => (mapHas(m, k) ? mapGet(m, k) : d)],
  ['put', (m, [k, v]) => mapPut(m, k, v)],
  ['putIfAbsent', (m, [k, v]) => {
    const prev = mapGet(m, k)
    if (prev === undefined || prev === null) mapPut(m, k, v)
    return prev
  }],
  ['putAll', (m, [x]) => {
    if (x instanceof Map || isPlainObject(x)) {
      const entries = entriesOf(x)
      charge(entries.length)
      for (const [k, v] of entries) mapPut(m, k, v)
    }
    return undefined
  }],
  ['containsKey', (m, [k]) => mapHas(m, k)],
  ['containsValue', (m, [v]) => {
    const entries = entriesOf(m)
    charge(entries.length)
    return entries.some(([, x]) => javaEquals(x, v))
  }],
  ['keySet', (m) => {
    const keys = m instanceof Map ? [...m.keys()] : Object.keys(m)
    charge(keys.length)
    return markJavaList(keys)
  }],
  ['values', (m) => {
    const values = m instanceof Map ? [...m.values()] : Object.values(m)
    charge(values.length)
    return markJavaList(values)
  }],
  ['entrySet', (m) => {
    const entries = entriesOf(m)
    charge(entries.length)
    return markJavaList(entries.map(([k, v]) => new Entry(m, k, v)))
  }],
  ['size', (m) => {
    if (m instanceof Map) return m.size
    // A plain object (a JSON payload object) is counted key by key.
    const n = mapSize(m)
    charge(n)
    return n
  }],
  ['isEmpty', (m) => {
    if (m instanceof Map) return m.size === 0
    for (const k in m) if (Object.prototype.hasOwnProperty.call(m, k)) return false
    return true
  }],
  ['remove', (m, [k]) => mapRemove(m, k)],
  ['clear', (m) => {
    if (m instanceof Map) m.clear()
    else {
      const keys = Object.keys(m)
      charge(keys.length)
      for (const k of keys) delete m[k]
    }
    return undefined
  }],
  ['equals', (m, [x]) => javaEquals(m, x)],
  ['toString', (m) => javaString(m)],
])

/** A method name resolved against every type's table once, for a call site. */
export type Dispatcher = (target: unknown, args: unknown[]) => unknown

/**
 * The call of one method name on any target, with the name looked up in each type's table once (at compile time
 * for a call site) instead of on every call.
 */
export function methodFor(name: string): Dispatcher {
  const onString = stringMethods.get(name)
  const onNumber = numberMethods.get(name)
  const onBoolean = booleanMethods.get(name)
  const onList = listMethods.get(name)
  const onMap = mapMethods.get(name)
  return (target, args) => {
    switch (typeof target) {
      case 'string':
        return onString === undefined ? undefined : onString(target, args)
      case 'number':
        return onNumber === undefined ? undefined : onNumber(target, args)
      case 'boolean':
        return onBoolean === undefined ? undefined : onBoolean(target, args)
      case 'object': {
        if (target === null) return undefined
        if (target instanceof Host) return target.call(name, args)
        if (Array.isArray(target)) return onList === undefined ? undefined : onList(target, args)
        if (target instanceof Map) return onMap === undefined ? undefined : onMap(target, args)
        if (target instanceof Dbl) return onNumber === undefined ? undefined : onNumber(target, args)
        if (isPlainObject(target)) {
          const own = ownGet(target, name)
          if (typeof own === 'function') {
            try {
              return (own as (...a: unknown[]) => unknown).apply(target, args)
            } catch (e) {
              if (e instanceof VtlError) throw e
              fail(`${name}() threw: ${e instanceof Error ? e.message : String(e)}`)
            }
          }
          return onMap === undefined ? undefined : onMap(target, args)
        }
        return undefined
      }
      default:
        return undefined
    }
  }
}

const dispatchers = new Map<string, Dispatcher>()

/** Calls `name(args)` on `target` with Java semantics; undefined when there is no such method. */
export function callMethod(target: unknown, name: string, args: unknown[]): unknown {
  let d = dispatchers.get(name)
  if (d === undefined) {
    d = methodFor(name)
    // Names come from templates (bounded by their size) and from Velocity's bean getters; keep the map bounded.
    if (dispatchers.size > 1000) dispatchers.clear()
    dispatchers.set(name, d)
  }
  return d(target, args)
}

/**
 * {@link getProp} for a name that `Object.prototype` does not have (decided at compile time): on a plain object
 * the plain read cannot reach an inherited member, so the own-property check is skipped.
 */
export function getPlainProp(target: unknown, name: string): unknown {
  if (typeof target === 'object' && target !== null) {
    const proto = Object.getPrototypeOf(target)
    if (proto === Object.prototype || proto === null) return (target as Record<string, unknown>)[name]
  }
  return getProp(target, name)
}

/** Velocity property lookup: map key, then bean getters (`getX()`, `isX()`). */
export function getProp(target: unknown, name: string): unknown {
  if (typeof target !== 'object' || target === null) {
    if (typeof target === 'string' || typeof target === 'number' || typeof target === 'boolean') return getter(target, name)
    return undefined
  }
  const proto = Object.getPrototypeOf(target)
  if (proto === Object.prototype || proto === null) return ownGet(target as Record<string, unknown>, name)
  if (target instanceof Map) return mapGet(target, name)
  if (target instanceof Host) return target.prop(name)
  if (Array.isArray(target) || target instanceof Dbl) return getter(target, name)
  return undefined
}

function getter(target: unknown, name: string): unknown {
  const cap = name[0]!.toUpperCase() + name.slice(1)
  const table = (typeof target === 'string' ? stringMethods : Array.isArray(target) ? listMethods : typeof target === 'boolean' ? booleanMethods : numberMethods) as Map<string, Method<unknown>>
  const m = table.get(`get${cap}`) ?? table.get(`is${cap}`)
  return m ? m(target, []) : undefined
}

/** `$a[i]`: list index or map key. */
export function getIndex(target: unknown, key: unknown): unknown {
  if (Array.isArray(target)) {
    const n = int(key)
    if (n === undefined) return undefined
    if (n < 0 || n >= target.length) fail(`Index: ${n}, Size: ${target.length}`)
    return target[n]
  }
  if (target instanceof Map || isPlainObject(target)) return mapGet(target, key)
  if (target instanceof Host) return target.prop(javaString(key))
  return undefined
}

/** `#set($a.b = v)` and `#set($a[i] = v)`. */
export function setProp(target: unknown, key: unknown, value: unknown): void {
  if (Array.isArray(target)) {
    const n = int(key)
    if (n === undefined) return
    if (n < 0 || n >= target.length) fail(`Index: ${n}, Size: ${target.length}`)
    target[n] = value
    return
  }
  if (target instanceof Map || isPlainObject(target)) mapPut(target, key, value)
  else if (target instanceof Host && 'set' in target && typeof (target as { set: unknown }).set === 'function') {
    ;(target as unknown as { set(k: string, v: unknown): void }).set(javaString(key), value)
  }
}
