/**
 * What a compiled template runs on: the render state, the `#break`/`#stop` signals, the `$foreach` scope, `#define`
 * blocks, and the runner that fills the variable slots from the bindings.
 */
import { activate, charge, overBudget, type Budget, type RenderLimits, type RenderUsage } from './budget'
import { VtlError } from './errors'
import { callMethod } from './methods/dispatch'
import { getProp } from './methods/properties'
import { Host } from './values/model'
import { display, setUntaggedListsAreJson } from './values/print'

/**
 * Render state. Velocity's context is one namespace per template, so every variable name gets a slot at
 * compile time and lookups are array reads; the bindings fill the slots when rendering starts. The state is also
 * the render's work budget (`depth` counts nested macro calls and `#define` renders).
 */
export interface State extends Budget {
  out: string
  slots: unknown[]
  maxLoops: number
}

export type R = (s: State) => void
export type E = (s: State) => unknown

export const BREAK = { brk: true }
export const STOP = { stop: true }
const hasOwn = Object.prototype.hasOwnProperty

/** `$foreach` inside a loop. */
export class ForeachScope extends Host {
  index = 0
  hasNext = false
  constructor(readonly parent: unknown) {
    super()
  }
  prop(name: string): unknown {
    switch (name) {
      case 'index':
        return this.index
      case 'count':
        return this.index + 1
      case 'hasNext':
        return this.hasNext
      case 'first':
        return this.index === 0
      case 'last':
        return !this.hasNext
      case 'parent':
        return this.parent
      default:
        return undefined
    }
  }
  call(name: string): unknown {
    switch (name) {
      case 'getIndex':
        return this.index
      case 'getCount':
        return this.index + 1
      case 'hasNext':
      case 'getHasNext':
        return this.hasNext
      case 'isFirst':
      case 'getFirst':
        return this.index === 0
      case 'isLast':
      case 'getLast':
        return !this.hasNext
      case 'getParent':
        return this.parent
      default:
        return undefined
    }
  }
  toString(): string {
    return 'foreach'
  }
}

/** A `#define` block: rendered where it is referenced, with the variables of that moment. */
export class DefineBlock extends Host {
  constructor(
    readonly body: R,
    readonly state: State,
    /** Static cost of one render of the body (see `compile/cost.ts`). */
    readonly cost: number,
  ) {
    super()
  }
  render(s: State): void {
    // A block can reference itself or other blocks: each render is charged and nests like a macro call.
    if (s.depth >= s.maxDepth) overBudget('depth', s.maxDepth)
    charge(this.cost)
    s.depth++
    try {
      this.body(s)
    } catch (e) {
      if (e !== BREAK) throw e
    } finally {
      s.depth--
    }
    if (s.out.length > s.maxOut) overBudget('output', s.maxOut)
  }
  toString(): string {
    const s = this.state
    const saved = s.out
    s.out = ''
    try {
      this.render(s)
      return s.out
    } finally {
      s.out = saved
    }
  }
  prop(name: string): unknown {
    return getProp(this.toString(), name)
  }
  call(name: string, args: unknown[]): unknown {
    return callMethod(this.toString(), name, args)
  }
}

export function str(v: unknown): unknown {
  return typeof v === 'object' && v instanceof DefineBlock ? v.toString() : v
}

export function appendValue(v: unknown, s: State): void {
  if (typeof v === 'string') s.out += v
  else if (v instanceof DefineBlock) v.render(s)
  else if (v !== undefined && v !== null) s.out += display(v)
  if (s.out.length > s.maxOut) overBudget('output', s.maxOut)
}

/** A compiled template: fills the slots from the bindings and renders. */
export type Runner = (bindings: Record<string, unknown>) => string

/**
 * A compiled template run on ready slots: `names[i]` is the variable slot `i` holds. The mapping-template layer
 * fills the few slots it knows (`input`, `util`, `context`, `stageVariables`) directly, and skips building what
 * the template never names.
 */
export interface SlotRunner {
  readonly names: readonly string[]
  run(slots: unknown[]): string
}

/** How a compiled body runs: its limits, its static cost, and the usage hook. */
export interface RunConfig {
  maxLoops: number
  limits: RenderLimits
  /** Static cost of the top-level block, charged when the render starts. */
  cost: number
  onUsage: ((usage: RenderUsage) => void) | undefined
}

/** `jsonLists`: untagged lists print as JSON (mapping templates, where they come from the payload). */
export function makeSlotRunner(body: R, names: string[], config: RunConfig, jsonLists = false): SlotRunner {
  const { maxLoops, limits, cost, onUsage } = config
  return {
    names,
    run(slots) {
      const s: State = {
        out: '',
        slots,
        maxLoops,
        steps: 0,
        maxSteps: limits.maxSteps,
        growth: 0,
        maxGrowth: limits.maxStringGrowth,
        maxOut: limits.maxOutputLength,
        depth: 0,
        maxDepth: limits.maxDepth,
        maxValueDepth: limits.maxValueDepth,
      }
      const prevLists = setUntaggedListsAreJson(jsonLists)
      const prevBudget = activate(s)
      try {
        charge(cost)
        return run(body, s)
      } finally {
        activate(prevBudget)
        setUntaggedListsAreJson(prevLists)
        if (onUsage !== undefined) onUsage({ steps: s.steps, stringGrowth: s.growth, outputLength: s.out.length })
      }
    },
  }
}

export function makeRunner(slotRunner: SlotRunner): Runner {
  const names = slotRunner.names
  const n = names.length
  return (bindings) => {
    const slots = new Array<unknown>(n)
    for (let i = 0; i < n; i++) {
      const name = names[i]!
      slots[i] = hasOwn.call(bindings, name) ? bindings[name] : undefined
    }
    return slotRunner.run(slots)
  }
}

/** Runs a compiled template body; `#stop` and a stray `#break` end it quietly, anything foreign becomes a VtlError. */
function run(body: R, s: State): string {
  try {
    body(s)
  } catch (e) {
    if (e !== STOP && e !== BREAK) {
      if (e instanceof VtlError) throw e
      throw new VtlError('VTL_RUNTIME', e instanceof Error ? e.message : String(e))
    }
  }
  if (s.out.length > s.maxOut) overBudget('output', s.maxOut)
  return s.out
}
