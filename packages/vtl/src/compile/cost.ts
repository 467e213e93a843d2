/**
 * Static cost of template blocks: how many directives, references, operators and method calls one execution of a
 * block evaluates at most (for `#if`, its conditions plus its costliest branch). A render charges a block's cost
 * each time the block runs (the template once, a loop body per iteration, a macro body per call, a `#define` per
 * render), so counting is one addition per block run instead of one per node. Nested loops, macro calls and
 * defines are charged when they run, so a block counts them as one node each.
 */
import type { Expr, Node, Ref } from '../parse/ast'

export function blockCost(nodes: readonly Node[]): number {
  let n = 0
  for (const node of nodes) n += nodeCost(node)
  return n
}

function nodeCost(n: Node): number {
  switch (n.t) {
    case 'text':
    case 'break':
    case 'stop':
    case 'define':
      return 1
    case 'macro':
      return 0
    case 'ref':
    case 'escref':
      return refCost(n.ref)
    case 'set':
      return 1 + refCost(n.target) + exprCost(n.value)
    case 'if': {
      let c = 1
      let most = n.otherwise ? blockCost(n.otherwise) : 0
      for (const b of n.branches) {
        c += exprCost(b.cond)
        most = Math.max(most, blockCost(b.body))
      }
      return c + most
    }
    case 'foreach':
      return 1 + exprCost(n.iter)
    case 'call': {
      let c = 1
      for (const a of n.args) c += exprCost(a)
      return c
    }
  }
}

function refCost(r: Ref): number {
  let c = 1
  for (const g of r.chain) {
    c++
    if (g.k === 'call') for (const a of g.args) c += exprCost(a)
    else if (g.k === 'index') c += exprCost(g.e)
  }
  return c
}

export function exprCost(e: Expr): number {
  switch (e.t) {
    case 'ref':
      return refCost(e)
    case 'lit':
      return 1
    case 'str':
      return 1 + blockCost(e.parts)
    case 'list': {
      let c = 1
      for (const i of e.items) c += exprCost(i)
      return c
    }
    case 'range':
      return 1 + exprCost(e.from) + exprCost(e.to)
    case 'map': {
      let c = 1
      for (const [k, v] of e.entries) c += exprCost(k) + exprCost(v)
      return c
    }
    case 'bin':
      return 1 + exprCost(e.l) + exprCost(e.r)
    case 'not':
      return 1 + exprCost(e.e)
  }
}
