/**
 * Java-flavoured values. Velocity runs on Java objects; we keep JS values and add just enough to print and
 * compute as Java would: integers are JS numbers, a `java.lang.Double` is a {@link Dbl} (so `1.0` stays `1.0`),
 * lists are arrays, maps are `Map`s or plain objects, and API Gateway's built-ins are {@link Host} objects.
 */

import { built, charge, enterValue, grow } from './budget'

/** A `java.lang.Double`: kept distinct from integers because Velocity prints and divides them differently. */
export class Dbl {
  constructor(readonly v: number) {}
  toString(): string {
    return formatDouble(this.v)
  }
}

/** An object whose properties and methods are implemented in JS (`$input`, `$util`, `$foreach`, map entries). */
export abstract class Host {
  abstract prop(name: string): unknown
  abstract call(name: string, args: unknown[]): unknown
  abstract toString(): string
}

/**
 * In a mapping template, lists that come from the payload (`$input.path`, `$util.parseJson`) print as JSON
 * (`[{"a":1}]`), as API Gateway does, while lists the template builds (literals, ranges, `keySet()`, `split()`, …)
 * print as Java lists. Rather than tag every payload list when parsing, the template's own lists are tagged and
 * the mapping-template renderer switches the default for untagged lists while it runs.
 */
// A symbol-keyed flag rather than a WeakSet: `keySet()` and literals make lists on every render, and a WeakSet
// insertion (an ephemeron table entry the collector must trace) costs far more than one property store.
const JAVA_LIST = Symbol('javaList')
let untaggedListsAreJson = false

export function markJavaList<T extends unknown[]>(list: T): T {
  ;(list as unknown as Record<symbol, boolean>)[JAVA_LIST] = true
  return list
}

function isJavaList(list: unknown[]): boolean {
  return (list as unknown as Record<symbol, unknown>)[JAVA_LIST] === true
}

/** Sets how untagged lists print (JSON in mapping templates); returns the previous setting. */
export function setUntaggedListsAreJson(json: boolean): boolean {
  const prev = untaggedListsAreJson
  untaggedListsAreJson = json
  return prev
}

const hasOwn = Object.prototype.hasOwnProperty

/** True for plain JS objects used as maps (not arrays, Maps, host objects, doubles). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false
  const proto = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null
}

export function isMap(v: unknown): v is Map<unknown, unknown> | Record<string, unknown> {
  return v instanceof Map || isPlainObject(v)
}

export function ownGet(obj: Record<string, unknown>, key: string): unknown {
  return hasOwn.call(obj, key) ? obj[key] : undefined
}

export function ownSet(obj: Record<string, unknown>, key: string, value: unknown): void {
  // A plain assignment to `__proto__` would change the prototype; define it as data instead.
  if (key === '__proto__') Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true })
  else obj[key] = value
}

export function ownHas(obj: Record<string, unknown>, key: string): boolean {
  return hasOwn.call(obj, key)
}

const POW10 = [10, 100, 1000, 10000]
const ZEROS = ['', '0', '00', '000']

/**
 * Printing a double is costly in V8 (a shortest round-trip search); payload prices and rates mostly have a few
 * decimals, which integer arithmetic prints faster. `t / p === a` means the decimal t/p reads back as `a`, and
 * below 1e7 no other decimal of at most four places does, so it is the shortest form `String(v)` would give.
 */
function shortDecimal(v: number): string | undefined {
  const a = v < 0 ? -v : v
  for (let k = 0; k < 4; k++) {
    const p = POW10[k]!
    const t = Math.round(a * p)
    if (t / p !== a) continue
    const f = t % p
    const digits = String(f)
    return `${v < 0 ? '-' : ''}${(t - f) / p}.${ZEROS[k + 1 - digits.length]}${digits}`
  }
  return undefined
}

/** `Double.toString` of Java. */
export function formatDouble(v: number): string {
  if (!Number.isInteger(v) && Math.abs(v) >= 1e-3 && Math.abs(v) < 1e7) return shortDecimal(v) ?? String(v)
  if (Number.isNaN(v)) return 'NaN'
  if (v === Infinity) return 'Infinity'
  if (v === -Infinity) return '-Infinity'
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0'
  const a = Math.abs(v)
  if (a >= 1e-3 && a < 1e7) {
    const s = String(v)
    return s.includes('.') ? s : `${s}.0`
  }
  const [mant, exp] = v.toExponential().split('e') as [string, string]
  return `${mant.includes('.') ? mant : `${mant}.0`}E${exp.startsWith('+') ? exp.slice(1) : exp}`
}

/** How Velocity prints a number held as a JS number: an Integer, or a Double when it has a fraction. */
export function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : formatDouble(n)
}

/** What a reference prints in template output: API Gateway prints null as nothing. */
export function display(v: unknown): string {
  if (typeof v === 'string') return v
  if (v === undefined || v === null) return ''
  return javaString(v)
}

/** `String.valueOf(v)` as Java would print it (inside collections null prints as `null`). */
export function javaString(v: unknown): string {
  return javaStringAt(v, 0)
}

/**
 * An element of a printed list or map. Printing is charged as it goes — one step per element, and string growth
 * for each leaf by its length and each nested list or map by its brackets and separator — so a value that shares
 * itself (`[$l, $l]` doubled twenty times) is refused while it is printed, not after; nesting is bounded (a list
 * that contains itself is refused, not a stack overflow).
 */
function javaElement(v: unknown, depth: number): string {
  charge(1)
  const t = javaStringAt(v, depth)
  grow(typeof v === 'object' && v !== null && !(v instanceof Dbl) ? 2 : t.length + 2)
  return t
}

function javaStringAt(v: unknown, depth: number): string {
  switch (typeof v) {
    case 'string':
      return v
    case 'number':
      return formatNumber(v)
    case 'boolean':
      return v ? 'true' : 'false'
    case 'undefined':
      return 'null'
    case 'bigint':
      return String(v)
    case 'function':
      return ''
    case 'object':
      if (v === null) return 'null'
      if (v instanceof Dbl) return formatDouble(v.v)
      if (Array.isArray(v)) {
        if (untaggedListsAreJson && !isJavaList(v)) return toJsonAt(v, depth)
        enterValue(depth + 1)
        let s = '['
        for (let i = 0; i < v.length; i++) s += (i ? ', ' : '') + javaElement(v[i], depth + 1)
        return `${s}]`
      }
      if (v instanceof Map) {
        enterValue(depth + 1)
        let s = '{'
        let first = true
        for (const [k, x] of v) {
          s += `${first ? '' : ', '}${javaElement(k, depth + 1)}=${javaElement(x, depth + 1)}`
          first = false
        }
        return `${s}}`
      }
      if (v instanceof Host) return v.toString()
      if (isPlainObject(v)) {
        enterValue(depth + 1)
        let s = '{'
        let first = true
        for (const k in v) {
          if (!hasOwn.call(v, k)) continue
          grow(k.length)
          s += `${first ? '' : ', '}${k}=${javaElement(v[k], depth + 1)}`
          first = false
        }
        return `${s}}`
      }
      return String(v)
    default:
      return String(v)
  }
}

/** Compact JSON, with Java's number formatting for doubles. */
export function toJson(v: unknown): string {
  return toJsonAt(v, 0)
}

/**
 * True when `v` is plain data that `JSON.stringify` prints exactly as {@link toJsonAt} would (what `JSON.parse`
 * gives, unless doubles need Java's exponent form). Checking is one step per element and bounded in depth, so the
 * native printer, many times faster, runs only on a value the budget has already paid for.
 */
function nativeJson(v: unknown, depth: number): boolean {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return true
    case 'number': {
      if (Number.isInteger(v) || !Number.isFinite(v)) return true
      const a = v < 0 ? -v : v
      return a >= 1e-3 && a < 1e7
    }
    case 'object': {
      if (v === null) return true
      if (Array.isArray(v)) {
        enterValue(depth + 1)
        charge(v.length)
        for (let i = 0; i < v.length; i++) if (!nativeJson(v[i], depth + 1)) return false
        return true
      }
      const proto = Object.getPrototypeOf(v)
      if (proto !== Object.prototype && proto !== null) return false
      enterValue(depth + 1)
      const o = v as Record<string, unknown>
      for (const k in o) {
        if (!hasOwn.call(o, k)) continue
        charge(1)
        const x = o[k]
        if (x === undefined || !nativeJson(x, depth + 1)) return false
      }
      return true
    }
    default:
      return false
  }
}

/** An element of a JSON list or object, charged as {@link javaElement} is. */
function jsonElement(v: unknown, depth: number): string {
  charge(1)
  const t = toJsonSlow(v, depth)
  grow(typeof v === 'object' && v !== null && !(v instanceof Dbl) ? 2 : t.length + 1)
  return t
}

function toJsonAt(v: unknown, depth: number): string {
  if (typeof v === 'object' && v !== null && (Array.isArray(v) || Object.getPrototypeOf(v) === Object.prototype) && nativeJson(v, depth)) {
    return built(JSON.stringify(v))
  }
  return toJsonSlow(v, depth)
}

function toJsonSlow(v: unknown, depth: number): string {
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v)
    case 'number':
      return Number.isFinite(v) ? formatNumber(v) : 'null'
    case 'boolean':
      return v ? 'true' : 'false'
    case 'bigint':
      return String(v)
    case 'object': {
      if (v === null) return 'null'
      if (v instanceof Dbl) return Number.isFinite(v.v) ? formatDouble(v.v) : 'null'
      if (Array.isArray(v)) {
        enterValue(depth + 1)
        let s = '['
        for (let i = 0; i < v.length; i++) s += (i ? ',' : '') + jsonElement(v[i], depth + 1)
        return `${s}]`
      }
      if (v instanceof Map) {
        enterValue(depth + 1)
        let s = '{'
        let first = true
        for (const [k, x] of v) {
          const key = JSON.stringify(javaStringAt(k, depth + 1))
          grow(key.length)
          s += `${first ? '' : ','}${key}:${jsonElement(x, depth + 1)}`
          first = false
        }
        return `${s}}`
      }
      if (isPlainObject(v)) {
        enterValue(depth + 1)
        let s = '{'
        let first = true
        for (const k in v) {
          if (!hasOwn.call(v, k)) continue
          grow(k.length + 3)
          s += `${first ? '' : ','}${JSON.stringify(k)}:${jsonElement(v[k], depth + 1)}`
          first = false
        }
        return `${s}}`
      }
      return JSON.stringify(javaString(v))
    }
    default:
      return 'null'
  }
}

/** Velocity's `#if` truth: null and `false` are false, everything else (even `""` and `0`) is true. */
export function truthy(v: unknown): boolean {
  return v !== undefined && v !== null && v !== false
}

export function isNumber(v: unknown): v is number | Dbl {
  return typeof v === 'number' || v instanceof Dbl
}

export function isDouble(v: unknown): boolean {
  return v instanceof Dbl || (typeof v === 'number' && !Number.isInteger(v))
}

export function num(v: number | Dbl): number {
  return typeof v === 'number' ? v : v.v
}

/**
 * `==` of Velocity 1.7 as API Gateway runs it: null equals null and (API Gateway) `""`; numbers compare by value;
 * objects of different classes compare by their string forms.
 */
export function vEquals(a: unknown, b: unknown): boolean {
  const an = a === undefined || a === null
  const bn = b === undefined || b === null
  if (an || bn) {
    if (an && bn) return true
    return an ? b === '' : a === ''
  }
  if (typeof a === 'string' && typeof b === 'string') return a === b
  if (isNumber(a) && isNumber(b)) return num(a) === num(b)
  if (sameClass(a, b)) return javaEquals(a, b)
  return javaString(a) === javaString(b)
}

function sameClass(a: unknown, b: unknown): boolean {
  if (typeof a !== typeof b) return false
  if (typeof a !== 'object') return true
  if (Array.isArray(a)) return Array.isArray(b)
  if (isMap(a)) return isMap(b)
  return Object.getPrototypeOf(a) === Object.getPrototypeOf(b)
}

/** `Object.equals` of Java for the values we model. */
export function javaEquals(a: unknown, b: unknown): boolean {
  return equalsAt(a, b, 0)
}

/** Each element compared is a step; nesting is bounded (two lists that contain themselves do not overflow). */
function equalsAt(a: unknown, b: unknown, depth: number): boolean {
  if (a === b) return true
  if (a === undefined || a === null || b === undefined || b === null) return (a ?? null) === (b ?? null)
  if (isNumber(a) && isNumber(b)) return isDouble(a) === isDouble(b) && num(a) === num(b)
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false
    enterValue(depth + 1)
    charge(a.length)
    for (let i = 0; i < a.length; i++) if (!equalsAt(a[i], b[i], depth + 1)) return false
    return true
  }
  if (isMap(a) && isMap(b)) {
    enterValue(depth + 1)
    const ea = entriesOf(a)
    const eb = entriesOf(b)
    charge(ea.length + eb.length)
    if (ea.length !== eb.length) return false
    for (const [k, v] of ea) {
      if (!mapHas(b, k) || !equalsAt(v, mapGet(b, k), depth + 1)) return false
    }
    return true
  }
  return false
}

export function entriesOf(m: Map<unknown, unknown> | Record<string, unknown>): [unknown, unknown][] {
  if (m instanceof Map) return [...m]
  const out: [unknown, unknown][] = []
  for (const k in m) if (hasOwn.call(m, k)) out.push([k, m[k]])
  return out
}

export function mapGet(m: Map<unknown, unknown> | Record<string, unknown>, key: unknown): unknown {
  if (m instanceof Map) {
    const v = m.get(key)
    if (v !== undefined || typeof key === 'string') return v
    // Keys typed differently by JSON (number vs string) still find each other, as Java's boxed keys would not;
    // templates index maps by string almost always, so this only rescues `$map.get(1)`-style lookups.
    return m.get(javaString(key))
  }
  return ownGet(m, typeof key === 'string' ? key : javaString(key))
}

export function mapHas(m: Map<unknown, unknown> | Record<string, unknown>, key: unknown): boolean {
  if (m instanceof Map) return m.has(key) || (typeof key !== 'string' && m.has(javaString(key)))
  return ownHas(m, typeof key === 'string' ? key : javaString(key))
}

export function mapPut(m: Map<unknown, unknown> | Record<string, unknown>, key: unknown, value: unknown): unknown {
  const prev = mapGet(m, key)
  if (m instanceof Map) m.set(key, value)
  else ownSet(m, typeof key === 'string' ? key : javaString(key), value)
  return prev
}

export function mapSize(m: Map<unknown, unknown> | Record<string, unknown>): number {
  if (m instanceof Map) return m.size
  let n = 0
  for (const k in m) if (hasOwn.call(m, k)) n++
  return n
}

/** Makes a JS number from bindings an Integer or a Double by its value. */
function arith(a: unknown, b: unknown): [number, number, boolean] | null {
  if (!isNumber(a) || !isNumber(b)) return null
  return [num(a), num(b), isDouble(a) || isDouble(b)]
}

function wrap(v: number, dbl: boolean): number | Dbl {
  return dbl ? new Dbl(v) : v
}

export function add(a: unknown, b: unknown): unknown {
  if (typeof a === 'number' && typeof b === 'number' && Number.isInteger(a) && Number.isInteger(b)) return a + b
  const n = arith(a, b)
  if (n) return wrap(n[0] + n[1], n[2])
  // Velocity 1.7 concatenates when either side is a string; null on either side gives null.
  if (a === undefined || a === null || b === undefined || b === null) return undefined
  if (typeof a === 'string' || typeof b === 'string') return built(javaString(a) + javaString(b))
  return undefined
}

export function sub(a: unknown, b: unknown): unknown {
  const n = arith(a, b)
  return n ? wrap(n[0] - n[1], n[2]) : undefined
}

export function mul(a: unknown, b: unknown): unknown {
  const n = arith(a, b)
  return n ? wrap(n[0] * n[1], n[2]) : undefined
}

export function div(a: unknown, b: unknown): unknown {
  const n = arith(a, b)
  if (!n || n[1] === 0) return undefined
  return n[2] ? new Dbl(n[0] / n[1]) : Math.trunc(n[0] / n[1])
}

export function mod(a: unknown, b: unknown): unknown {
  const n = arith(a, b)
  if (!n || n[1] === 0) return undefined
  return wrap(n[0] % n[1], n[2])
}

/** Ordering comparisons are defined for numbers only (Velocity 1.7); anything else compares false. */
export function compare(a: unknown, b: unknown): number | undefined {
  if (isNumber(a) && isNumber(b)) {
    const x = num(a)
    const y = num(b)
    return x < y ? -1 : x > y ? 1 : x === y ? 0 : undefined
  }
  return undefined
}
