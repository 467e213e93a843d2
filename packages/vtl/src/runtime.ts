/**
 * What a compiled template runs on: the render state, the `#break`/`#stop` signals, the `$foreach` scope, `#define`
 * blocks, and the runner that fills the variable slots from the bindings.
 */
import { VtlError } from './errors'
import { callMethod, getProp } from './methods'
import { Host, display, setUntaggedListsAreJson } from './values'

/**
 * Render state. Velocity's context is one namespace per template, so every variable name gets a slot at
 * compile time and lookups are array reads; the bindings fill the slots when rendering starts.
 */
export interface State {
  out: string
  slots: unknown[]
  depth: number
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
  ) {
    super()
  }
  render(s: State): void {
    try {
      this.body(s)
    } catch (e) {
      if (e !== BREAK) throw e
    }
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

/** `jsonLists`: untagged lists print as JSON (mapping templates, where they come from the payload). */
export function makeSlotRunner(body: R, names: string[], maxLoops: number, jsonLists = false): SlotRunner {
  return {
    names,
    run(slots) {
      const prev = setUntaggedListsAreJson(jsonLists)
      try {
        return run(body, { out: '', slots, depth: 0, maxLoops })
      } finally {
        setUntaggedListsAreJson(prev)
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
  return s.out
}
