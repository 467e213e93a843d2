/**
 * Reading a keyword's value from the schema node, refusing a malformed one with the compile error.
 */
import type { Ctx } from './context'

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

/** The keyword's value, required to be an array of strings. */
export function strings(ctx: Ctx, kw: string, value: unknown = ctx.node[kw], ptr = `${ctx.ptr}/${kw}`): string[] {
  if (!Array.isArray(value) || !value.every((x) => typeof x === 'string')) return ctx.c.bad(ptr, `${kw} must be an array of strings`)
  return value as string[]
}
