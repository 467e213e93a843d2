/**
 * What a keyword handler is and what it sees: the schema node, where it is, and the compiler as a keyword may
 * use it (to compile subschemas and `$ref` targets, to refuse a malformed value). The compiler hands this
 * context to every handler, so no keyword imports the compiler.
 */
import type { Registry } from '../registry'
import type { Check } from '../state'
import type { Draft } from '../types'

/** The compiler as a keyword handler sees it. */
export interface SubschemaCompiler {
  readonly registry: Registry
  /** The format predicates asserted by `format`, or null when formats are off. */
  readonly formats: Record<string, (s: string) => boolean> | null
  readonly allowUnsafePatterns: boolean
  /** Per-node caches of other compile steps (unevaluated* annotators). */
  readonly extra: Map<unknown, unknown>
  /** Throw the compile error for a malformed keyword value. */
  bad(ptr: string, message: string): never
  /** Compile a schema node (memoised per node and base, so recursive `$ref`s terminate). */
  compile(node: unknown, base: string, ptr: string, draft: Draft): Check
  /** Compile the child schema `value` found at `ptr`/`tokens`. */
  sub(ctx: Ctx, value: unknown, ...tokens: Array<string | number>): Check
  /** Compile a `$ref` target. */
  ref(ctx: Ctx, ref: string, keyword?: string): Check
}

/** What a keyword handler sees: the schema node and where it is. */
export interface Ctx {
  node: Record<string, unknown>
  base: string
  ptr: string
  draft: Draft
  c: SubschemaCompiler
}

/** A keyword handler turns its keyword (and related siblings) into a check, or null when nothing to check. */
export type KeywordHandler = (ctx: Ctx) => Check | null
