/**
 * String keywords: lengths in code points, `pattern` (policy in ../pattern), `format`.
 */
import { codePoints } from '../instance'
import { msg } from '../messages'
import { compilePattern } from '../pattern'
import type { KeywordHandler } from './context'
import { count } from './values'

export const minLength: KeywordHandler = (ctx) => {
  const min = count(ctx, 'minLength')
  // UTF-16 length bounds the code-point count from both sides, so counting is rarely needed.
  return (d, st) =>
    typeof d !== 'string' ||
    d.length >= 2 * min ||
    (d.length >= min && codePoints(d) >= min) ||
    st.fail('minLength', () => msg.minLength(d, min))
}

export const maxLength: KeywordHandler = (ctx) => {
  const max = count(ctx, 'maxLength')
  return (d, st) => typeof d !== 'string' || d.length <= max || codePoints(d) <= max || st.fail('maxLength', () => msg.maxLength(d, max))
}

export const pattern: KeywordHandler = (ctx) => {
  const p = ctx.node.pattern
  if (typeof p !== 'string') return ctx.c.bad(`${ctx.ptr}/pattern`, 'pattern must be a string')
  const re = compilePattern(p, `${ctx.ptr}/pattern`, ctx.c.allowUnsafePatterns)
  return (d, st) => typeof d !== 'string' || re.test(d) || st.fail('pattern', () => msg.pattern(p, d))
}

export const format: KeywordHandler = (ctx) => {
  const name = ctx.node.format
  if (typeof name !== 'string') return ctx.c.bad(`${ctx.ptr}/format`, 'format must be a string')
  const f = ctx.c.formats?.[name]
  // Unknown formats are not asserted (the specification makes them annotations).
  if (f === undefined) return null
  return (d, st) => typeof d !== 'string' || f(d) || st.fail('format', () => msg.format(name, d))
}
