// 2020-12 `$ref` (a keyword beside others) and `$dynamicRef` (resolved statically: see README).
import type { KeywordHandler } from '../compiler'

export const ref2020: KeywordHandler = (ctx) => {
  const r = ctx.node.$ref
  if (typeof r !== 'string') return ctx.c.bad(`${ctx.ptr}/$ref`, '$ref must be a string')
  return ctx.c.ref(ctx, r)
}

export const dynamicRef: KeywordHandler = (ctx) => {
  const r = ctx.node.$dynamicRef
  if (typeof r !== 'string') return ctx.c.bad(`${ctx.ptr}/$dynamicRef`, '$dynamicRef must be a string')
  return ctx.c.ref(ctx, r, '$dynamicRef')
}
