/**
 * What the directive, reference and expression compilers need of the template being compiled: its variable slots,
 * its macros, positions for runtime errors, and the way back into blocks and expressions (the grammar recurses).
 * `Compiler` implements it; the compilers import this leaf, never the compiler.
 */
import type { Expr, Node, Ref } from '../parse/ast'
import type { E, R } from '../runtime'

export interface CompileOptions {
  /** Generate a sequencer function per block (`new Function`); false runs closures only. */
  codegen: boolean
}

/** A `#macro`, registered before the template body is compiled (a macro can be called above its definition). */
export interface Macro {
  /** Slots of the parameters. */
  params: number[]
  body: R
  /** Static cost of one call of the body (charged per call). */
  cost: number
}

export interface Compilation {
  readonly source: string
  readonly options: CompileOptions
  readonly macros: Map<string, Macro>
  /** The slot of a variable name (Velocity's context is one namespace per template). */
  slot(name: string): number
  /** Rethrows `e` as a `VtlError` at the template position `pos` (`#break`/`#stop` pass through). */
  at(pos: number, e: unknown): never
  block(nodes: Node[]): R
  expr(x: Expr): E
  ref(r: Ref): E
}
