/**
 * Java-flavoured values. Velocity runs on Java objects; we keep JS values and add just enough to print and
 * compute as Java would: integers are JS numbers, a `java.lang.Double` is a {@link Dbl} (so `1.0` stays `1.0`),
 * lists are arrays, maps are `Map`s or plain objects, and API Gateway's built-ins are {@link Host} objects.
 */
import { formatDouble } from './number-format'

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
