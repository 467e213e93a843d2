/**
 * Method calls: a method name resolved against the string, number, boolean, list and map tables (and host objects,
 * and functions bound as plain-object properties) with Java semantics.
 */
import { VtlError } from '../errors'
import { Dbl, Host, isPlainObject, ownGet } from '../values/model'
import { listMethods } from './list'
import { mapMethods } from './map'
import { fail } from './method'
import { booleanMethods, numberMethods } from './number'
import { stringMethods } from './string'

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
