/**
 * Object keywords. properties / patternProperties / additionalProperties compile together because
 * "additional" means "matched by neither of the other two".
 */
import { hasOwn, isObject, keyCount } from '../instance'
import { msg } from '../messages'
import { compilePattern, type SchemaPattern } from '../pattern'
import type { Check, State } from '../state'
import { escapeToken, own } from '../uri'
import type { Ctx, KeywordHandler } from './context'
import { count, strings } from './values'

function schemaMap(ctx: Ctx, kw: string): Record<string, unknown> {
  const v = ctx.node[kw]
  if (!isObject(v)) return ctx.c.bad(`${ctx.ptr}/${kw}`, `${kw} must be an object`)
  return v
}

/** Run `check` on `o[k]` with `k` pushed on the instance path. */
export function atKey(check: Check, o: Record<string, unknown>, k: string, st: State): boolean {
  st.path.push(k)
  const ok = check(o[k], st)
  st.path.pop()
  return ok
}

/** properties + patternProperties + additionalProperties, compiled once by whichever comes first. */
export const properties: KeywordHandler = (ctx) => {
  const { node } = ctx
  const props: Array<[string, Check]> = []
  if (own(node, 'properties') !== undefined) {
    for (const [k, v] of Object.entries(schemaMap(ctx, 'properties'))) props.push([k, ctx.c.sub(ctx, v, 'properties', k)])
  }
  const patterns: Array<[SchemaPattern, Check]> = []
  if (own(node, 'patternProperties') !== undefined) {
    for (const [k, v] of Object.entries(schemaMap(ctx, 'patternProperties'))) {
      patterns.push([
        compilePattern(k, `${ctx.ptr}/patternProperties/${escapeToken(k)}`, ctx.c.allowUnsafePatterns),
        ctx.c.sub(ctx, v, 'patternProperties', k),
      ])
    }
  }
  const ap = own(node, 'additionalProperties')
  let additional: Check | false | null = null
  if (ap === false) additional = false
  else if (ap !== undefined && ap !== true) {
    if (!isObject(ap)) return ctx.c.bad(`${ctx.ptr}/additionalProperties`, 'additionalProperties must be a boolean or a schema')
    additional = ctx.c.sub(ctx, ap, 'additionalProperties')
  }
  const known = new Set(props.map(([k]) => k))
  const scanKeys = patterns.length > 0 || additional !== null
  return (d: unknown, st: State) => {
    if (!isObject(d)) return true
    let ok = true
    for (let i = 0; i < props.length; i++) {
      const [k, c] = props[i]!
      if (hasOwn(d, k) && !atKey(c, d, k, st)) {
        ok = false
        if (st.stop) return false
      }
    }
    if (!scanKeys) return ok
    let extra: string[] | null = null
    for (const k in d) {
      if (!hasOwn(d, k)) continue
      let matched = known.has(k)
      for (let i = 0; i < patterns.length; i++) {
        const [re, c] = patterns[i]!
        if (re.test(k)) {
          matched = true
          if (!atKey(c, d, k, st)) {
            ok = false
            if (st.stop) return false
          }
        }
      }
      if (matched || additional === null) continue
      if (additional === false) {
        ok = false
        if (st.stop) return st.fail('additionalProperties', () => msg.additionalProperties([k]))
        ;(extra ??= []).push(k)
      } else if (!atKey(additional, d, k, st)) {
        ok = false
        if (st.stop) return false
      }
    }
    if (extra !== null) {
      const list = extra
      st.fail('additionalProperties', () => msg.additionalProperties(list))
    }
    return ok
  }
}

export const required: KeywordHandler = (ctx) => {
  // API Gateway's validator keeps `required` in a sorted set: missing names are reported in that order.
  const names = [...strings(ctx, 'required')].sort()
  if (names.length === 0) return null
  return (d, st) => {
    if (!isObject(d)) return true
    for (let i = 0; i < names.length; i++) {
      if (!hasOwn(d, names[i]!)) {
        return st.fail('required', () => msg.required(names.filter((n) => !hasOwn(d, n))))
      }
    }
    return true
  }
}

export const minProperties: KeywordHandler = (ctx) => {
  const min = count(ctx, 'minProperties')
  return (d, st) => !isObject(d) || keyCount(d) >= min || st.fail('minProperties', () => msg.minProperties(keyCount(d), min))
}

export const maxProperties: KeywordHandler = (ctx) => {
  const max = count(ctx, 'maxProperties')
  return (d, st) => !isObject(d) || keyCount(d) <= max || st.fail('maxProperties', () => msg.maxProperties(keyCount(d), max))
}

function requiredDeps(entries: Array<[string, string[]]>, keyword: string): Check {
  return (d, st) => {
    if (!isObject(d)) return true
    let ok = true
    for (let i = 0; i < entries.length; i++) {
      const [p, req] = entries[i]!
      if (!hasOwn(d, p)) continue
      for (let j = 0; j < req.length; j++) {
        if (!hasOwn(d, req[j]!)) {
          ok = false
          st.fail(keyword, () =>
            msg.dependencies(
              p,
              req,
              req.filter((r) => !hasOwn(d, r)),
            ),
          )
          if (st.stop) return false
          break
        }
      }
    }
    return ok
  }
}

function schemaDeps(entries: Array<[string, Check]>): Check {
  return (d, st) => {
    if (!isObject(d)) return true
    let ok = true
    for (let i = 0; i < entries.length; i++) {
      const [p, c] = entries[i]!
      if (hasOwn(d, p) && !c(d, st)) {
        ok = false
        if (st.stop) return false
      }
    }
    return ok
  }
}

/** draft-04/07 `dependencies`: an array value lists required properties, a schema value applies to the object. */
export const dependencies: KeywordHandler = (ctx) => {
  const deps = schemaMap(ctx, 'dependencies')
  const req: Array<[string, string[]]> = []
  const sch: Array<[string, Check]> = []
  for (const [k, v] of Object.entries(deps)) {
    if (Array.isArray(v)) req.push([k, strings(ctx, 'dependencies', v, `${ctx.ptr}/dependencies/${escapeToken(k)}`)])
    else sch.push([k, ctx.c.sub(ctx, v, 'dependencies', k)])
  }
  const a = requiredDeps(req, 'dependencies')
  const b = schemaDeps(sch)
  if (sch.length === 0) return a
  if (req.length === 0) return b
  // biome-ignore lint/complexity/noCommaOperator: one expression keeps this hot closure small: run b for its errors, answer false
  return (d, st) => (a(d, st) ? b(d, st) : st.stop ? false : (b(d, st), false))
}

export const dependentRequired: KeywordHandler = (ctx) => {
  const deps = schemaMap(ctx, 'dependentRequired')
  const req: Array<[string, string[]]> = Object.entries(deps).map(([k, v]) => [
    k,
    strings(ctx, 'dependentRequired', v, `${ctx.ptr}/dependentRequired/${escapeToken(k)}`),
  ])
  return requiredDeps(req, 'dependentRequired')
}

export const dependentSchemas: KeywordHandler = (ctx) => {
  const deps = schemaMap(ctx, 'dependentSchemas')
  return schemaDeps(Object.entries(deps).map(([k, v]) => [k, ctx.c.sub(ctx, v, 'dependentSchemas', k)]))
}

export const propertyNames: KeywordHandler = (ctx) => {
  const c = ctx.c.sub(ctx, ctx.node.propertyNames, 'propertyNames')
  return (d, st) => {
    if (!isObject(d)) return true
    let ok = true
    for (const k in d) {
      if (!hasOwn(d, k)) continue
      st.enterQuiet()
      const good = c(k, st)
      st.leaveQuiet()
      if (!good) {
        ok = false
        st.fail('propertyNames', () => msg.propertyNames(k))
        if (st.stop) return false
      }
    }
    return ok
  }
}

export const patternProperties: KeywordHandler = (ctx) => (own(ctx.node, 'properties') !== undefined ? null : properties(ctx))

export const additionalProperties: KeywordHandler = (ctx) =>
  own(ctx.node, 'properties') !== undefined || own(ctx.node, 'patternProperties') !== undefined ? null : properties(ctx)
