/**
 * The closure compiler: every schema node becomes a `Check`; keywords live in ./keywords, one file per group.
 */
import { BUILTIN_FORMATS, toPredicate } from './formats'
import type { Ctx, SubschemaCompiler } from './keywords/context'
import { KEYWORDS } from './keywords/index'
import { msg } from './messages'
import type { Registry } from './registry'
import type { Check, State } from './state'
import { SchemaCompileError, type Draft, type SchemaOptions } from './types'
import { escapeToken, own } from './uri'

const alwaysValid: Check = () => true

interface Memo {
  impl: Check | null
  check: Check
}

/** The closure compiler of one `compileSchema` call; keyword handlers see it as a {@link SubschemaCompiler}. */
export class Compiler implements SubschemaCompiler {
  readonly formats: Record<string, (s: string) => boolean> | null
  readonly allowUnsafePatterns: boolean
  private readonly memo = new Map<unknown, Map<string, Memo>>()
  /** Per-node caches of other compile steps (unevaluated* annotators). */
  readonly extra = new Map<unknown, unknown>()

  constructor(
    readonly registry: Registry,
    options: SchemaOptions,
  ) {
    const f = options.formats ?? true
    if (f === false) this.formats = null
    else {
      this.formats = { ...BUILTIN_FORMATS }
      if (typeof f === 'object') for (const [k, v] of Object.entries(f)) this.formats[k] = toPredicate(v)
    }
    this.allowUnsafePatterns = options.allowUnsafePatterns === true
  }

  /** Throw the compile error for a malformed keyword value. */
  bad(ptr: string, message: string): never {
    throw new SchemaCompileError('INVALID_SCHEMA', ptr, message)
  }

  /** Compile a schema node (memoised per node and base, so recursive `$ref`s terminate). */
  compile(node: unknown, base: string, ptr: string, draft: Draft): Check {
    let byBase = this.memo.get(node)
    if (byBase === undefined && typeof node === 'object' && node !== null) {
      byBase = new Map()
      this.memo.set(node, byBase)
    }
    const key = `${draft}|${base}`
    const hit = byBase?.get(key)
    if (hit) return hit.impl ?? hit.check
    // While this node compiles, recursive references go through a trampoline to the finished check.
    const m: Memo = { impl: null, check: (d, st) => m.impl!(d, st) }
    byBase?.set(key, m)
    const impl = this.build(node, base, ptr, draft)
    m.impl = impl
    return impl
  }

  /** Compile the child schema `value` found at `ptr`/`tokens`. */
  sub(ctx: Ctx, value: unknown, ...tokens: Array<string | number>): Check {
    let ptr = ctx.ptr
    for (const t of tokens) ptr += `/${escapeToken(t)}`
    const base = typeof value === 'object' && value !== null ? (this.registry.baseOf.get(value) ?? ctx.base) : ctx.base
    return this.compile(value, base, ptr, ctx.draft)
  }

  /** Compile a `$ref` target. */
  ref(ctx: Ctx, ref: string, keyword = '$ref'): Check {
    const t = this.registry.resolve(ref, ctx.base, `${ctx.ptr}/${keyword}`)
    const check = this.compile(t.node, t.base, t.where, t.draft)
    // Jumping into another resource enters it, for $dynamicRef's dynamic scope.
    return this.registry.hasDynamic && t.base !== ctx.base ? enter(t.base, check) : check
  }

  private build(node: unknown, base: string, ptr: string, draft: Draft): Check {
    if (typeof node === 'boolean' && draft !== 4) {
      return node ? alwaysValid : (_d, st) => st.fail('false', msg.falseSchema)
    }
    if (node === null || typeof node !== 'object' || Array.isArray(node)) {
      this.bad(ptr, `a schema must be an object${draft === 4 ? '' : ' or a boolean'}`)
    }
    const obj = node as Record<string, unknown>
    const ctx: Ctx = { node: obj, base, ptr, draft, c: this }
    const checks: Check[] = []
    if (draft !== 2020 && own(obj, '$ref') !== undefined) {
      // Before 2019-09 a `$ref` replaces the whole schema object: siblings are ignored.
      const r = own(obj, '$ref')
      if (typeof r !== 'string') this.bad(`${ptr}/$ref`, '$ref must be a string')
      return this.ref(ctx, r)
    }
    for (const [kw, handler, drafts] of KEYWORDS) {
      if (!drafts.includes(draft) || own(obj, kw) === undefined) continue
      const c = handler(ctx)
      if (c !== null) checks.push(c)
    }
    const all = combine(checks)
    return this.registry.hasDynamic && this.registry.resourceRoots.has(obj) ? enter(base, all) : all
  }
}

/** Run `check` with resource `base` pushed on the dynamic scope. */
function enter(base: string, check: Check): Check {
  return (d, st) => {
    st.scope.push(base)
    const ok = check(d, st)
    st.scope.pop()
    return ok
  }
}

/** AND of checks that keeps going after a failure only when every error is wanted. */
export function combine(checks: Check[]): Check {
  switch (checks.length) {
    case 0:
      return alwaysValid
    case 1:
      return checks[0]!
    case 2: {
      const [a, b] = checks as [Check, Check]
      // biome-ignore lint/complexity/noCommaOperator: one expression keeps this hot closure small: run b for its errors, answer false
      return (d, st) => (a(d, st) ? b(d, st) : st.stop ? false : (b(d, st), false))
    }
    default:
      return (d: unknown, st: State) => {
        let ok = true
        for (let i = 0; i < checks.length; i++) {
          if (!checks[i]!(d, st)) {
            if (st.stop) return false
            ok = false
          }
        }
        return ok
      }
  }
}

export { alwaysValid }
