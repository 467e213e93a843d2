/**
 * Tree → closures. Each node becomes a function that appends to `state.out`; each expression a function that
 * returns a value. Nothing is re-parsed or looked up by node type while rendering. The compiler holds the template's
 * variable slots and macros and sequences blocks; directives, references and expressions are compiled by their own
 * modules (`directives.ts`, `reference.ts`, `expression.ts`).
 */
import type { Expr, Node, Ref } from '../parse/ast'
import { VtlError, positionOf } from '../errors'
import { BREAK, STOP, appendValue, type E, type R } from '../runtime'
import { closures, ifRenderer, sequencer, type Cond, type Part, type SimpleRef } from './codegen'
import type { Compilation, CompileOptions, Macro } from './compilation'
import { blockCost } from './cost'
import { compileDefine, compileForeach, compileMacroCall, compileSet } from './directives'
import { compileExpression } from './expression'
import { compileReference } from './reference'

export class Compiler implements Compilation {
  /** Variable names by slot. */
  readonly names: string[] = []
  private readonly slotIndex = new Map<string, number>()

  slot(name: string): number {
    let i = this.slotIndex.get(name)
    if (i === undefined) {
      i = this.names.length
      this.names.push(name)
      this.slotIndex.set(name, i)
    }
    return i
  }

  readonly macros = new Map<string, Macro>()
  private readonly pendingMacros: { name: string; params: string[]; body: Node[] }[] = []

  constructor(
    readonly source: string,
    readonly options: CompileOptions,
  ) {}

  at(pos: number, e: unknown): never {
    if (e === BREAK || e === STOP) throw e
    if (e instanceof VtlError) {
      if (e.line !== undefined) throw e
      const { line, column } = positionOf(this.source, pos)
      throw new VtlError(e.code, e.message, line, column)
    }
    const { line, column } = positionOf(this.source, pos)
    throw new VtlError('VTL_RUNTIME', e instanceof Error ? e.message : String(e), line, column)
  }

  compileTemplate(nodes: Node[]): R {
    this.hoist(nodes)
    const body = this.block(nodes)
    for (const m of this.pendingMacros) {
      const macro = this.macros.get(m.name)!
      macro.body = this.block(m.body)
      macro.cost = blockCost(m.body) + 1
    }
    return body
  }

  /** Velocity registers macros while parsing, so a macro can be called above its definition. */
  private hoist(nodes: Node[]): void {
    for (const n of nodes) {
      if (n.t === 'macro') {
        this.macros.set(n.name, { params: n.params.map((p) => this.slot(p)), body: () => {}, cost: 1 })
        this.pendingMacros.push(n)
        this.hoist(n.body)
      } else if (n.t === 'if') {
        for (const b of n.branches) this.hoist(b.body)
        if (n.otherwise) this.hoist(n.otherwise)
      } else if (n.t === 'foreach' || n.t === 'define') this.hoist(n.body)
    }
  }

  block(nodes: Node[]): R {
    return this.render(this.parts(nodes))
  }

  /** A block's parts: adjacent text merged; with code generation on, `#if`s stay parts so they can be inlined. */
  private parts(nodes: Node[]): Part[] {
    const parts: Part[] = []
    for (const n of nodes) {
      if (n.t === 'text') {
        const last = parts[parts.length - 1]
        if (last && last.k === 'text') last.v += n.v
        else parts.push({ k: 'text', v: n.v })
      } else if (n.t === 'ref') parts.push({ k: 'ref', e: this.ref(n.ref), simple: this.simpleRef(n.ref) })
      else if (n.t === 'if' && this.options.codegen) {
        parts.push({
          k: 'if',
          conds: n.branches.map((b): Cond => ({ e: this.expr(b.cond), simple: b.cond.t === 'ref' ? this.simpleRef(b.cond) : undefined })),
          bodies: n.branches.map((b) => this.parts(b.body)),
          otherwise: n.otherwise ? this.parts(n.otherwise) : null,
        })
      } else {
        const r = this.node(n)
        if (r) parts.push({ k: 'node', r })
      }
    }
    return parts
  }

  /** One generated sequencer when allowed and worth it (anything beyond a lone text or directive), else closures. */
  private render(parts: Part[]): R {
    if (this.options.codegen && (parts.length > 1 || (parts.length === 1 && (parts[0]!.k === 'ref' || parts[0]!.k === 'if')))) {
      const gen = sequencer(parts)
      if (gen) return gen
    }
    return closures(parts)
  }

  /** The inline-readable form of a reference made of a variable and property names only. */
  private simpleRef(r: Ref): SimpleRef | undefined {
    if (!r.chain.every((g) => g.k === 'prop')) return undefined
    const props = r.chain.map((g) => (g as { name: string }).name)
    const first = props[0]
    const loop =
      r.name === 'foreach' && (first === 'index' || first === 'count' || first === 'hasNext' || first === 'first' || first === 'last')
        ? first
        : undefined
    return { slot: this.slot(r.name), props, plain: props.map((p) => !(p in Object.prototype)), ...(loop ? { loop } : {}) }
  }

  node(n: Node): R | null {
    switch (n.t) {
      case 'text': {
        const v = n.v
        return (s) => {
          s.out += v
        }
      }
      case 'ref': {
        const e = this.ref(n.ref)
        return (s) => appendValue(e(s), s)
      }
      case 'escref': {
        const e = this.ref(n.ref)
        const half = '\\'.repeat(n.n >> 1)
        const all = '\\'.repeat(n.n) + n.ref.raw
        const lit = half + n.ref.raw
        return (s) => {
          const v = e(s)
          s.out += v === undefined || v === null ? all : lit
        }
      }
      case 'set':
        return compileSet(this, n.target, this.expr(n.value), n.pos)
      case 'if':
        return ifRenderer(
          n.branches.map((b) => this.expr(b.cond)),
          n.branches.map((b) => this.block(b.body)),
          n.otherwise ? this.block(n.otherwise) : null,
        )
      case 'foreach':
        return compileForeach(this, n.name, this.expr(n.iter), this.block(n.body), n.pos, blockCost(n.body) + 1)
      case 'break':
        return () => {
          throw BREAK
        }
      case 'stop':
        return () => {
          throw STOP
        }
      case 'macro':
        return null
      case 'define':
        return compileDefine(this, n.name, n.body)
      case 'call':
        return compileMacroCall(
          this,
          n.name,
          n.args.map((a) => this.expr(a)),
          n.raw,
          n.pos,
        )
    }
  }

  ref(r: Ref): E {
    return compileReference(this, r)
  }

  expr(x: Expr): E {
    return compileExpression(this, x)
  }
}
