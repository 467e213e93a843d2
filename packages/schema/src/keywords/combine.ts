/**
 * Combinators. Like API Gateway's validator, a failed combinator reports one message of its own and not the
 * errors of its branches; branches therefore run quietly (no error objects, stop at first failure).
 */
import { msg } from '../messages'
import type { Check, State } from '../state'
import { own } from '../uri'
import type { Ctx, KeywordHandler } from './context'

function branches(ctx: Ctx, kw: string): Check[] {
  const v = ctx.node[kw]
  if (!Array.isArray(v) || v.length === 0) return ctx.c.bad(`${ctx.ptr}/${kw}`, `${kw} must be a non-empty array of schemas`)
  return v.map((s, i) => ctx.c.sub(ctx, s, kw, i))
}

function quietly(c: Check, d: unknown, st: State): boolean {
  st.enterQuiet()
  const ok = c(d, st)
  st.leaveQuiet()
  return ok
}

export const allOf: KeywordHandler = (ctx) => {
  const bs = branches(ctx, 'allOf')
  return (d, st) => {
    for (let i = 0; i < bs.length; i++) {
      if (!quietly(bs[i]!, d, st)) {
        return st.fail('allOf', () => msg.allOf(bs.filter((b) => quietly(b, d, st)).length, bs.length))
      }
    }
    return true
  }
}

export const anyOf: KeywordHandler = (ctx) => {
  const bs = branches(ctx, 'anyOf')
  return (d, st) => {
    for (let i = 0; i < bs.length; i++) if (quietly(bs[i]!, d, st)) return true
    return st.fail('anyOf', () => msg.anyOf(bs.length))
  }
}

export const oneOf: KeywordHandler = (ctx) => {
  const bs = branches(ctx, 'oneOf')
  return (d, st) => {
    let n = 0
    for (let i = 0; i < bs.length; i++) if (quietly(bs[i]!, d, st) && ++n > 1) break
    if (n === 1) return true
    const matched = n
    return st.fail('oneOf', () => msg.oneOf(matched === 0 ? 0 : bs.filter((b) => quietly(b, d, st)).length, bs.length))
  }
}

export const not: KeywordHandler = (ctx) => {
  const c = ctx.c.sub(ctx, ctx.node.not, 'not')
  return (d, st) => !quietly(c, d, st) || st.fail('not', msg.not)
}

/** `if`/`then`/`else`: the branch taken reports its own errors. */
export const ifThenElse: KeywordHandler = (ctx) => {
  const th = own(ctx.node, 'then')
  const el = own(ctx.node, 'else')
  if (th === undefined && el === undefined) return null
  const cond = ctx.c.sub(ctx, ctx.node.if, 'if')
  const t = th === undefined ? null : ctx.c.sub(ctx, th, 'then')
  const e = el === undefined ? null : ctx.c.sub(ctx, el, 'else')
  return (d, st) => {
    if (quietly(cond, d, st)) return t === null || t(d, st)
    return e === null || e(d, st)
  }
}
