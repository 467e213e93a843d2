/** `java.lang.Integer`/`Double` (a JS number or a {@link Dbl}) and `java.lang.Boolean` methods. */
import { Dbl, isDouble, isNumber, num } from '../values/model'
import { javaString } from '../values/print'
import type { Method } from './method'

export const numberMethods = new Map<string, Method<number | Dbl>>([
  ['toString', (n) => javaString(n)],
  ['intValue', (n) => Math.trunc(num(n)) | 0],
  ['longValue', (n) => Math.trunc(num(n))],
  ['doubleValue', (n) => new Dbl(num(n))],
  ['floatValue', (n) => new Dbl(Math.fround(num(n)))],
  ['equals', (n, [x]) => isNumber(x) && isDouble(n) === isDouble(x) && num(n) === num(x)],
  ['compareTo', (n, [x]) => (isNumber(x) ? Math.sign(num(n) - num(x)) : undefined)],
  ['hashCode', (n) => (isDouble(n) ? undefined : num(n) | 0)],
])

export const booleanMethods = new Map<string, Method<boolean>>([
  ['toString', (b) => String(b)],
  ['booleanValue', (b) => b],
  ['equals', (b, [x]) => b === x],
])
