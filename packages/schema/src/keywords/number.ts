/**
 * Numeric bounds: draft-04's boolean exclusiveMinimum/Maximum modify minimum/maximum; later drafts make them
 * bounds of their own. multipleOf is exact for decimal divisors.
 */
import { msg } from '../messages'
import { multipleOfCheck } from '../multiple-of'
import type { KeywordHandler } from './context'
import { num } from './values'

function exclusiveFlag(ctx: Parameters<KeywordHandler>[0], kw: string): boolean {
  const v = ctx.node[kw]
  if (v === undefined) return false
  if (typeof v !== 'boolean') return ctx.c.bad(`${ctx.ptr}/${kw}`, `${kw} must be a boolean in draft-04`)
  return v
}

export const minimum: KeywordHandler = (ctx) => {
  const m = num(ctx, 'minimum')
  if (ctx.draft === 4 && exclusiveFlag(ctx, 'exclusiveMinimum')) {
    return (d, st) => typeof d !== 'number' || d > m || st.fail('minimum', () => msg.exclusiveMinimum(m, d))
  }
  return (d, st) => typeof d !== 'number' || d >= m || st.fail('minimum', () => msg.minimum(m, d))
}

export const maximum: KeywordHandler = (ctx) => {
  const m = num(ctx, 'maximum')
  if (ctx.draft === 4 && exclusiveFlag(ctx, 'exclusiveMaximum')) {
    return (d, st) => typeof d !== 'number' || d < m || st.fail('maximum', () => msg.exclusiveMaximum(m, d))
  }
  return (d, st) => typeof d !== 'number' || d <= m || st.fail('maximum', () => msg.maximum(m, d))
}

export const exclusiveMinimum: KeywordHandler = (ctx) => {
  const m = num(ctx, 'exclusiveMinimum')
  return (d, st) => typeof d !== 'number' || d > m || st.fail('exclusiveMinimum', () => msg.exclusiveMinimum(m, d))
}

export const exclusiveMaximum: KeywordHandler = (ctx) => {
  const m = num(ctx, 'exclusiveMaximum')
  return (d, st) => typeof d !== 'number' || d < m || st.fail('exclusiveMaximum', () => msg.exclusiveMaximum(m, d))
}

export const multipleOf: KeywordHandler = (ctx) => {
  const m = num(ctx, 'multipleOf')
  if (!(m > 0)) return ctx.c.bad(`${ctx.ptr}/multipleOf`, 'multipleOf must be strictly greater than zero')
  const test = multipleOfCheck(m)
  return (d, st) => typeof d !== 'number' || test(d) || st.fail('multipleOf', () => msg.multipleOf(d, m))
}
