/**
 * One work budget per render. API Gateway caps each `#foreach` at 1,000 iterations, but nested loops, macro
 * fan-out, string doubling and values that share (or contain) themselves multiply work far beyond that; a
 * template reading client data must not let one request cost more than a bounded amount of CPU and memory. Every
 * render gets one {@link Budget}; loops, macro calls, `#define` renders, methods and serialisations charge it, and
 * the first charge over a limit throws `VTL_BUDGET` (HTTP 500, as API Gateway answers a failed transformation).
 *
 * The counters are plain fields on the render state, and the state is also the module's `active` budget while
 * the render runs, so methods that know nothing of the state (string and collection methods, JSON printing)
 * charge the same counters. Renders are synchronous, so one active budget at a time is enough; a nested render
 * (a binding function rendering another template) saves and restores it.
 */
import { VtlError } from './errors'

/**
 * Limits of one render. Each is an option of `compileTemplate` / `compileMappingTemplate`.
 *
 * @example
 * ```ts
 * const limits: Partial<RenderLimits> = { maxOutputLength: 1024, maxDepth: 5 }
 * compileTemplate('#macro(r $n)#r($n)#end#r(1)', limits)({}) // throws VtlError VTL_BUDGET (more than 5 nested macro calls)
 * ```
 */
export interface RenderLimits {
  /**
   * Work units: every directive, reference, operator and method call a render evaluates (a loop body is charged
   * per iteration, a macro body per call), every element a collection method, range, JSONPath walk or printing
   * touches, every step of the regex engine (and 20,000 per pattern compiled while rendering), one per 32
   * characters a string method scans, one per occurrence `replace` replaces.
   */
  maxSteps: number
  /** Characters of output (the rendered body, and any one interpolated string). */
  maxOutputLength: number
  /**
   * Characters of strings built while rendering: method results (`replace`, `replaceAll`, `concat`, `repeat`,
   * `toUpperCase`, …), `+` concatenation, interpolated strings, `$util` results and printed lists and maps
   * (each element printed counts at least one).
   */
  maxStringGrowth: number
  /** Macro calls and `#define` renders nested inside each other. */
  maxDepth: number
  /** Nesting of JSON payloads (`$input.path`, `$input.json`, `$util.parseJson`) and of values printed or compared. */
  maxValueDepth: number
}

/**
 * Defaults, sized against API Gateway's quotas: a payload is at most 10 MB, a template 300 KB, a `#foreach` runs at
 * most 1,000 times. A render may loop over a full-size list with a sizeable body, print a payload-size output and
 * build a few payload-size strings; beyond that it is refused.
 */
export const DEFAULT_LIMITS: Readonly<RenderLimits> = Object.freeze({
  maxSteps: 2_000_000,
  maxOutputLength: 10 * 1024 * 1024,
  maxStringGrowth: 32 * 1024 * 1024,
  maxDepth: 20,
  maxValueDepth: 1000,
})

/** The counters and limits of one render (fields of the render state). */
export interface Budget {
  steps: number
  maxSteps: number
  growth: number
  maxGrowth: number
  maxOut: number
  depth: number
  maxDepth: number
  maxValueDepth: number
}

/**
 * What one render used, for the `onUsage` option (tests and metrics).
 *
 * @example
 * ```ts
 * let usage: RenderUsage | undefined
 * const render = compileTemplate('#foreach($i in $items)$i#end', { onUsage: (u) => (usage = u) })
 * render({ items: [1, 2, 3] }) // '123'
 * usage // { steps: 8, stringGrowth: 0, outputLength: 3 }
 * ```
 */
export interface RenderUsage {
  steps: number
  stringGrowth: number
  outputLength: number
}

/** Outside a render (e.g. `evaluatePath` called directly) nothing is counted, but structure is still bounded. */
const UNCOUNTED: Budget = {
  steps: 0,
  maxSteps: Infinity,
  growth: 0,
  maxGrowth: Infinity,
  maxOut: Infinity,
  depth: 0,
  maxDepth: Infinity,
  maxValueDepth: DEFAULT_LIMITS.maxValueDepth,
}

let active: Budget = UNCOUNTED

/** Makes `b` the budget that methods charge; returns the previous one (restore it when the render ends). */
export function activate(b: Budget | null): Budget {
  const prev = active
  active = b ?? UNCOUNTED
  return prev
}

/** The budget methods charge now. */
export function current(): Budget {
  return active
}

/** Resolves options into limits, refusing nonsense at compile time (not per request). */
export function resolveLimits(o: Partial<RenderLimits>): RenderLimits {
  const out = { ...DEFAULT_LIMITS }
  for (const k of Object.keys(DEFAULT_LIMITS) as (keyof RenderLimits)[]) {
    const v = o[k]
    if (v === undefined) continue
    if (typeof v !== 'number' || !(v >= 0)) throw new TypeError(`${k} must be a non-negative number`)
    out[k] = v
  }
  return out
}

const WHAT: Record<string, string> = {
  steps: 'steps',
  growth: 'characters of built strings',
  output: 'characters of output',
  depth: 'nested macro calls / #define renders',
  value: 'levels of nested values',
}

/** The over-budget error. */
export function budgetError(kind: keyof typeof WHAT, limit: number): VtlError {
  return new VtlError('VTL_BUDGET', `render budget exceeded: more than ${limit} ${WHAT[kind]}`)
}

/** Throws the over-budget error. */
export function overBudget(kind: keyof typeof WHAT, limit: number): never {
  throw budgetError(kind, limit)
}

/** Charges `n` steps to the active budget. */
export function charge(n: number): void {
  const b = active
  if ((b.steps += n) > b.maxSteps) overBudget('steps', b.maxSteps)
}

/** Charges `n` characters of built strings to the active budget. */
export function grow(n: number): void {
  const b = active
  if ((b.growth += n) > b.maxGrowth) overBudget('growth', b.maxGrowth)
}

/** Charges a string a method built and returns it. */
export function built(s: string): string {
  const b = active
  if ((b.growth += s.length) > b.maxGrowth) overBudget('growth', b.maxGrowth)
  return s
}

/** Refuses a value nested deeper than the active limit (called with the depth about to be entered). */
export function enterValue(depth: number): void {
  if (depth > active.maxValueDepth) overBudget('value', active.maxValueDepth)
}
