/**
 * How values print: `String.valueOf` as Java would (lists `[a, b]`, maps `{k=v}`), what a reference prints in
 * template output, and compact JSON (`$input.json`, payload lists printed in a mapping template). Printing is
 * charged to the render's budget as it goes.
 */
import { built, charge, enterValue, grow } from '../budget'
import { Dbl, Host, isPlainObject } from './model'
import { formatDouble, formatNumber } from './number-format'

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
