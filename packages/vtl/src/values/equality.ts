/** Velocity's `==` (as API Gateway runs it) and Java's `Object.equals`, for the values we model. */
import { charge, enterValue } from '../budget'
import { entriesOf, mapGet, mapHas } from './maps'
import { isDouble, isMap, isNumber, num } from './model'
import { javaString } from './print'

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
