// Small shared helpers for keyword handlers.
import type { Ctx } from '../compiler'

export const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k)

export function isObject(d: unknown): d is Record<string, unknown> {
  return d !== null && typeof d === 'object' && !Array.isArray(d)
}

/** The keyword's value, required to be a non-negative integer. */
export function count(ctx: Ctx, kw: string): number {
  const v = ctx.node[kw]
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) return ctx.c.bad(`${ctx.ptr}/${kw}`, `${kw} must be a non-negative integer`)
  return v
}

/** The keyword's value, required to be a finite number. */
export function num(ctx: Ctx, kw: string): number {
  const v = ctx.node[kw]
  if (typeof v !== 'number' || !Number.isFinite(v)) return ctx.c.bad(`${ctx.ptr}/${kw}`, `${kw} must be a number`)
  return v
}

/** The keyword's value, required to be an array of strings (unique when `unique`). */
export function strings(ctx: Ctx, kw: string, value: unknown = ctx.node[kw], ptr = `${ctx.ptr}/${kw}`): string[] {
  if (!Array.isArray(value) || !value.every((x) => typeof x === 'string')) return ctx.c.bad(ptr, `${kw} must be an array of strings`)
  return value as string[]
}

/** Count own enumerable keys without allocating a key array. */
export function keyCount(o: Record<string, unknown>): number {
  let n = 0
  for (const k in o) if (hasOwn(o, k)) n++
  return n
}

/** Length in Unicode code points (a surrogate pair counts once). */
export function codePoints(s: string): number {
  let n = s.length
  for (let i = 0; i < s.length - 1; i++) {
    const c = s.charCodeAt(i)
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1)
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--
        i++
      }
    }
  }
  return n
}
