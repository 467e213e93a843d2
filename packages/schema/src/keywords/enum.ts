/**
 * `enum` and `const` with JSON deep equality.
 */
import { deepEqual } from '../equal'
import { msg } from '../messages'
import type { KeywordHandler } from './context'

export const enumKeyword: KeywordHandler = (ctx) => {
  const values = ctx.node.enum
  if (!Array.isArray(values) || (ctx.draft === 4 && values.length === 0))
    return ctx.c.bad(`${ctx.ptr}/enum`, 'enum must be a non-empty array')
  const prim = values.every((v) => v === null || typeof v !== 'object')
  if (prim) {
    const set = new Set(values)
    return (d, st) => set.has(d) || st.fail('enum', () => msg.enum(d, values))
  }
  return (d, st) => {
    for (let i = 0; i < values.length; i++) if (deepEqual(values[i], d)) return true
    return st.fail('enum', () => msg.enum(d, values))
  }
}

export const constKeyword: KeywordHandler = (ctx) => {
  const c = ctx.node.const
  if (c === null || typeof c !== 'object') return (d, st) => d === c || st.fail('const', () => msg.const(d, c))
  return (d, st) => deepEqual(d, c) || st.fail('const', () => msg.const(d, c))
}
