/**
 * Directive compilers: `#foreach` (with `$foreach` and `$velocityCount`), `#set`, macro calls and `#define`. Each
 * returns a closure that runs the directive against the render state and charges the render's budget.
 */
import type { Node, Ref } from '../parse/ast'
import { budgetError, overBudget } from '../budget'
import { setProp } from '../methods/properties'
import { BREAK, DefineBlock, ForeachScope, STOP, type E, type R } from '../runtime'
import { isPlainObject } from '../values/model'
import type { Compilation } from './compilation'
import { blockCost } from './cost'

/** `#name(args)`: arguments are evaluated, bound to the parameters' slots for the body's run, then restored. */
export function compileMacroCall(c: Compilation, name: string, args: E[], raw: string, pos: number): R {
  const macros = c.macros
  return (s) => {
    const m = macros.get(name)
    if (!m) {
      // An unknown macro prints as written, as Velocity does.
      s.out += raw
      return
    }
    if (s.depth >= s.maxDepth) c.at(pos, budgetError('depth', s.maxDepth))
    if ((s.steps += m.cost) > s.maxSteps) c.at(pos, budgetError('steps', s.maxSteps))
    if (s.out.length > s.maxOut) c.at(pos, budgetError('output', s.maxOut))
    // Arguments are evaluated first, then bound for the body's duration and restored afterwards.
    const params = m.params
    const vals = new Array<unknown>(params.length)
    for (let i = 0; i < params.length; i++) {
      const v = i < args.length ? args[i]!(s) : undefined
      vals[i] = v === undefined ? null : v
    }
    const saved = new Array<unknown>(params.length)
    for (let i = 0; i < params.length; i++) {
      saved[i] = s.slots[params[i]!]
      s.slots[params[i]!] = vals[i]
    }
    s.depth++
    try {
      m.body(s)
    } catch (e) {
      if (e !== BREAK) throw e
    } finally {
      for (let i = params.length - 1; i >= 0; i--) s.slots[params[i]!] = saved[i]
      s.depth--
    }
  }
}

/** `#foreach($v in iter)`: a list, or a map's values, up to `maxForeachIterations`. */
export function compileForeach(c: Compilation, name: string, iter: E, body: R, pos: number, cost: number): R {
  const v = c.slot(name)
  const f = c.slot('foreach')
  const count = c.slot('velocityCount')
  return (s) => {
    const it = iter(s)
    let items: unknown[]
    if (Array.isArray(it)) items = it
    // Only the values the loop can reach (and one more, for `hasNext`) are copied: a payload map may be large.
    else if (it instanceof Map || isPlainObject(it)) items = firstValues(it, s.maxLoops + 1)
    else return
    const slots = s.slots
    const prevItem = slots[v]
    const prevScope = slots[f]
    const prevCount = slots[count]
    const scope = new ForeachScope(prevScope)
    slots[f] = scope
    const n = Math.min(items.length, s.maxLoops)
    try {
      for (let i = 0; i < n; i++) {
        // One budget per render: each iteration pays for its body, and the output is checked as it grows.
        if ((s.steps += cost) > s.maxSteps) overBudget('steps', s.maxSteps)
        if (s.out.length > s.maxOut) overBudget('output', s.maxOut)
        scope.index = i
        scope.hasNext = i < items.length - 1
        const x = items[i]
        slots[v] = x === undefined ? null : x
        slots[count] = i + 1
        body(s)
      }
    } catch (e) {
      if (e !== BREAK) {
        if (e === STOP) throw e
        c.at(pos, e)
      }
    } finally {
      // Velocity restores the loop variable and counters when the loop ends.
      slots[v] = prevItem
      slots[f] = prevScope
      slots[count] = prevCount
    }
  }
}

/** `#set($a = v)`, `#set($a.b = v)`, `#set($a[i] = v)`. */
export function compileSet(c: Compilation, target: Ref, value: E, pos: number): R {
  if (target.chain.length === 0) {
    const slot = c.slot(target.name)
    return (s) => {
      const v = value(s)
      // Velocity 1.7 leaves the left side unchanged when the right side is null.
      if (v === undefined || v === null) return
      s.slots[slot] = v
    }
  }
  const last = target.chain[target.chain.length - 1]!
  const base = c.ref({ ...target, chain: target.chain.slice(0, -1) })
  const key: E =
    last.k === 'prop'
      ? (
          (n) => () =>
            n
        )(last.name)
      : last.k === 'index'
        ? c.expr(last.e)
        : () => undefined
  return (s) => {
    const v = value(s)
    if (v === undefined || v === null) return
    try {
      setProp(base(s), key(s), v)
    } catch (e) {
      c.at(pos, e)
    }
  }
}

/** The first `max` values of a map, in order. */
function firstValues(m: Map<unknown, unknown> | Record<string, unknown>, max: number): unknown[] {
  const out: unknown[] = []
  if (m instanceof Map) {
    for (const v of m.values()) {
      if (out.length >= max) break
      out.push(v)
    }
  } else {
    for (const k in m) {
      if (out.length >= max) break
      if (Object.prototype.hasOwnProperty.call(m, k)) out.push(m[k])
    }
  }
  return out
}

/** `#define($name)`: the variable holds the block, rendered where it is referenced. */
export function compileDefine(c: Compilation, name: string, nodes: Node[]): R {
  const body = c.block(nodes)
  const slot = c.slot(name)
  const cost = blockCost(nodes) + 1
  return (s) => {
    s.slots[slot] = new DefineBlock(body, s, cost)
  }
}
