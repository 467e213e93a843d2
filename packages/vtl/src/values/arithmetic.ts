/** Velocity's arithmetic (`+ - * / %`, with Java's Integer/Double rules and `+` concatenation) and ordering comparisons. */
import { built } from '../budget'
import { Dbl, isDouble, isNumber, num } from './model'
import { javaString } from './print'

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
