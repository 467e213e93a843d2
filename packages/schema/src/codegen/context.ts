/**
 * What a keyword's code generator sees: where the generated code is (`Scope`), which schema node it compiles
 * (`Frame`), and the generator as a keyword may use it (`KeywordGen`). The generator hands itself to the keyword
 * generators through this interface, so they do not import it.
 */
import type { SubschemaCompiler } from '../keywords/context'
import type { msg } from '../messages'
import type { Draft } from '../types'
import type { Seg } from './emit'

/** A message argument: a run-time expression, or a compile-time constant `{ c }`. */
export type Arg = string | { c: unknown }

/** How a failure is handled at this point of the generated code. */
export type Mode = 'loud' | 'quiet' | 'dyn'

/** Where generated code is: the value's variable, its path, the validity flag and block to break out of. */
export interface Scope {
  data: string
  path: Seg[]
  mode: Mode
  valid: string
  label: string
}

/** A schema node with its resolution context. */
export interface Frame {
  node: unknown
  base: string
  ptr: string
  draft: Draft
}

/** The name of a message formatter (see ../messages). */
export type MessageName = keyof typeof msg

/** The code generator as a keyword's code generator sees it. */
export interface KeywordGen {
  /** The closure compiler, for malformed keywords and the formats in force. */
  readonly compiler: SubschemaCompiler
  readonly allErrors: boolean
  /** A fresh identifier starting with `prefix`. */
  id(prefix: string): string
  /** Reference a constant from generated code. */
  k(value: unknown): string
  /** Code reporting a failure of `kw` with message `m`, then leaving per the mode. */
  fail(s: Scope, kw: string, m: MessageName, args?: Arg[], extra?: Seg): string
  /** Expression for the instance path of a failure at `s` (plus `extra`). */
  where(s: Scope, extra?: Seg): string
  /** Statement appending error expression `e` to the errors. */
  report(e: string): string
  /** Expression building the error object. */
  error(where: string, kw: string, m: MessageName, args: Arg[]): string
  /** Code after a failure already reported (or not to be reported): mark invalid, maybe break. */
  failed(s: Scope, report?: string): string
  /** Code validating `s.data` against `f.node`, failing through `s`. */
  schema(s: Scope, f: Frame): string
  /** Child frame for a subschema found under `tokens`. */
  child(f: Frame, value: unknown, ...tokens: Array<string | number>): Frame
  /** Run a subschema in a block of its own, quietly (branches of combinators); returns [code, validVar]. */
  quiet(s: Scope, f: Frame, data?: string, path?: Seg[]): [string, string]
  /** A test of a string expression against schema regex `source`. */
  pattern(source: string, ptr: string): (arg: string) => string
  /** `$ref`: inline small non-recursive targets, call a generated function otherwise. */
  ref(s: Scope, f: Frame, ref: string, keyword?: string): string
}
