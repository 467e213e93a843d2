/**
 * Velocity's property lookup (`$map.key` → `get("key")`, `$list.empty` → `isEmpty()`, bean getters `getX()` and
 * `isX()`), index reads `$a[i]`, and the targets of `#set($a.b = …)` / `#set($a[i] = …)`.
 */
import { mapGet, mapPut } from '../values/maps'
import { Dbl, Host, isPlainObject, ownGet } from '../values/model'
import { javaString } from '../values/print'
import { listMethods } from './list'
import { type Method, fail, int } from './method'
import { booleanMethods, numberMethods } from './number'
import { stringMethods } from './string'

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
  const table = (
    typeof target === 'string'
      ? stringMethods
      : Array.isArray(target)
        ? listMethods
        : typeof target === 'boolean'
          ? booleanMethods
          : numberMethods
  ) as Map<string, Method<unknown>>
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
