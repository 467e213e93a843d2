/**
 * Array keywords: items (schema or tuple) with additionalItems; 2020-12 prefixItems + items; contains with
 * min/maxContains; sizes; uniqueItems.
 */
import { hasDuplicates } from '../equal'
import { msg } from '../messages'
import type { Check, State } from '../state'
import { own } from '../uri'
import type { KeywordHandler } from './context'
import { count } from './values'

function atIndex(check: Check, a: unknown[], i: number, st: State): boolean {
  st.path.push(i)
  const ok = check(a[i], st)
  st.path.pop()
  return ok
}

/** Tuple checks for the first items, then `rest` (a check, false = none allowed, null = anything). */
function itemsCheck(tuple: Check[], rest: Check | false | null): Check {
  const n = tuple.length
  return (d, st) => {
    if (!Array.isArray(d)) return true
    let ok = true
    const m = Math.min(n, d.length)
    for (let i = 0; i < m; i++) {
      if (!atIndex(tuple[i]!, d, i, st)) {
        ok = false
        if (st.stop) return false
      }
    }
    if (rest === null || d.length <= n) return ok
    if (rest === false) return st.fail(n === 0 ? 'items' : 'additionalItems', () => msg.additionalItems(n, d.length))
    for (let i = n; i < d.length; i++) {
      if (!atIndex(rest, d, i, st)) {
        ok = false
        if (st.stop) return false
      }
    }
    return ok
  }
}

/** draft-04/07 `items` (+ `additionalItems`, which only matters next to a tuple). */
export const items: KeywordHandler = (ctx) => {
  const it = ctx.node.items
  if (Array.isArray(it)) {
    const tuple = it.map((s, i) => ctx.c.sub(ctx, s, 'items', i))
    const ai = own(ctx.node, 'additionalItems')
    const rest = ai === undefined || ai === true ? null : ai === false ? false : ctx.c.sub(ctx, ai, 'additionalItems')
    return itemsCheck(tuple, rest)
  }
  if (it === true) return null
  return itemsCheck([], it === false ? false : ctx.c.sub(ctx, it, 'items'))
}

/** 2020-12 `prefixItems` + `items` (items applies after the prefix). */
export const prefixItems: KeywordHandler = (ctx) => {
  const pi = own(ctx.node, 'prefixItems')
  if (pi !== undefined && !Array.isArray(pi)) return ctx.c.bad(`${ctx.ptr}/prefixItems`, 'prefixItems must be an array of schemas')
  const tuple = (pi as unknown[] | undefined)?.map((s, i) => ctx.c.sub(ctx, s, 'prefixItems', i)) ?? []
  const it = own(ctx.node, 'items')
  if (Array.isArray(it)) return ctx.c.bad(`${ctx.ptr}/items`, 'items must be a schema in 2020-12 (use prefixItems for tuples)')
  const rest = it === undefined || it === true ? null : it === false ? false : ctx.c.sub(ctx, it, 'items')
  return itemsCheck(tuple, rest)
}

export const items2020: KeywordHandler = (ctx) => (own(ctx.node, 'prefixItems') !== undefined ? null : prefixItems(ctx))

export const minItems: KeywordHandler = (ctx) => {
  const n = count(ctx, 'minItems')
  return (d, st) => !Array.isArray(d) || d.length >= n || st.fail('minItems', () => msg.minItems(n, d.length))
}

export const maxItems: KeywordHandler = (ctx) => {
  const n = count(ctx, 'maxItems')
  return (d, st) => !Array.isArray(d) || d.length <= n || st.fail('maxItems', () => msg.maxItems(n, d.length))
}

export const uniqueItems: KeywordHandler = (ctx) => {
  const u = ctx.node.uniqueItems
  if (typeof u !== 'boolean') return ctx.c.bad(`${ctx.ptr}/uniqueItems`, 'uniqueItems must be a boolean')
  if (!u) return null
  return (d, st) => !Array.isArray(d) || !hasDuplicates(d) || st.fail('uniqueItems', msg.uniqueItems)
}

export const contains: KeywordHandler = (ctx) => {
  const c = ctx.c.sub(ctx, ctx.node.contains, 'contains')
  const min = ctx.draft === 2020 && own(ctx.node, 'minContains') !== undefined ? count(ctx, 'minContains') : 1
  const max = ctx.draft === 2020 && own(ctx.node, 'maxContains') !== undefined ? count(ctx, 'maxContains') : Infinity
  return (d, st) => {
    if (!Array.isArray(d)) return true
    let found = 0
    st.enterQuiet()
    for (let i = 0; i < d.length; i++) {
      if (c(d[i], st)) {
        found++
        if (found >= min && max === Infinity) break
      }
    }
    st.leaveQuiet()
    if (found < min) return st.fail('contains', msg.contains)
    if (found > max) return st.fail('maxContains', msg.maxContains)
    return true
  }
}
