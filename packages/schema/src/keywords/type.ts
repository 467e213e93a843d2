/**
 * `type`: integer is any number with no fractional part (draft-04 reads 1.0 as integer, as JSON does).
 */
import { jsonType, msg } from '../messages'
import type { KeywordHandler } from './context'

const TYPES = ['null', 'boolean', 'object', 'array', 'number', 'string', 'integer']

export type TypeTest = (d: unknown) => boolean

export const TYPE_TESTS: Record<string, TypeTest> = {
  null: (d) => d === null,
  boolean: (d) => typeof d === 'boolean',
  object: (d) => d !== null && typeof d === 'object' && !Array.isArray(d),
  array: (d) => Array.isArray(d),
  number: (d) => typeof d === 'number' && Number.isFinite(d),
  string: (d) => typeof d === 'string',
  integer: (d) => typeof d === 'number' && Number.isInteger(d),
}

/** The list of type names of a `type` keyword, validated. */
export function typeList(value: unknown, bad: (m: string) => never): string[] {
  const list = typeof value === 'string' ? [value] : value
  if (!Array.isArray(list) || list.some((t) => typeof t !== 'string' || !TYPES.includes(t))) {
    bad(`type must be one of ${TYPES.join(', ')} or an array of them`)
  }
  if (new Set(list).size !== list.length) bad('type array must not repeat a type')
  return list as string[]
}

export const type: KeywordHandler = (ctx) => {
  const list = typeList(ctx.node.type, (m) => ctx.c.bad(`${ctx.ptr}/type`, m))
  const tests = list.map((t) => TYPE_TESTS[t]!)
  const message = (d: unknown) => () => msg.type(jsonType(d), list)
  if (tests.length === 1) {
    const t = tests[0]!
    return (d, st) => t(d) || st.fail('type', message(d))
  }
  return (d, st) => {
    for (let i = 0; i < tests.length; i++) if (tests[i]!(d)) return true
    return st.fail('type', message(d))
  }
}
