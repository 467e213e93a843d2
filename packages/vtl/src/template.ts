/**
 * Velocity templates: the options, the quotas API Gateway sets, and `compileTemplate`, which parses a template once
 * and compiles it to closures over variable slots (the mapping-template layer shares `compileBody`).
 */
import { DEFAULT_LIMITS, resolveLimits, type RenderUsage } from './budget'
import { Compiler } from './compile/compiler'
import { blockCost } from './compile/cost'
import { makeRunner, makeSlotRunner, type SlotRunner } from './runtime'
import { VtlError } from './errors'
import { parseTemplate } from './parse/parser'

/**
 * Options of {@link compileTemplate} and `compileMappingTemplate`. The `max*` render limits form one work budget
 * per render; going over any of them fails the render with `VTL_BUDGET` (status 500).
 *
 * @example
 * ```ts
 * const steps: number[] = []
 * const options: TemplateOptions = { maxSteps: 10_000, onUsage: (usage) => steps.push(usage.steps) }
 * compileTemplate('#foreach($i in [1..3])$i#end', options)({}) // '123'
 * steps // [13]
 * ```
 */
export interface TemplateOptions {
  /** Largest template accepted, in UTF-8 bytes. Default 300 KB (API Gateway's mapping-template quota). */
  maxTemplateBytes?: number
  /** Iterations after which a `#foreach` stops. Default 1,000 (API Gateway's quota). */
  maxForeachIterations?: number
  /**
   * Work units per render: each directive, reference, operator and method call evaluated (loop bodies per
   * iteration, macro bodies per call), each element a collection method, range, JSONPath walk or printing touches,
   * each regex-engine step, one per 32 characters a string method scans. Default 2,000,000.
   */
  maxSteps?: number
  /** Characters of output per render (and per interpolated string). Default 10 MiB (API Gateway's 10 MB payload). */
  maxOutputLength?: number
  /**
   * Characters of strings built per render (method results, `+`, interpolation, `$util` results, printed lists and
   * maps). Default 32 MiB (a few payload-size strings).
   */
  maxStringGrowth?: number
  /** Nested macro calls and `#define` renders. Default 20 (Velocity's `velocimacro.max.depth`). */
  maxDepth?: number
  /** @deprecated the same as `maxDepth`. */
  maxMacroDepth?: number
  /**
   * Nesting of JSON payloads and of values printed or compared. Default 1,000 (Jackson's default maximum nesting);
   * a deeper payload is `VTL_INVALID_PAYLOAD`, a deeper value `VTL_BUDGET`.
   */
  maxValueDepth?: number
  /** Called after every render (completed or failed) with the budget it used. */
  onUsage?: (usage: RenderUsage) => void
  /**
   * Compile each block to one generated function (`new Function`, no template text in the generated source).
   * Default true; false (or a runtime that forbids `new Function`) uses closures only, with the same output.
   */
  codegen?: boolean
}

/**
 * A compiled template: renders the bindings (`$name` → `bindings.name`) to a string.
 *
 * @example
 * ```ts
 * const greet: CompiledTemplate = compileTemplate('Hello $name!')
 * greet({ name: 'Ada' }) // 'Hello Ada!'
 * greet() // 'Hello !' (API Gateway prints a null reference as nothing)
 * ```
 */
export type CompiledTemplate = (bindings?: Record<string, unknown>) => string

/**
 * API Gateway's mapping-template size quota, 300 KB: the default `maxTemplateBytes`. A larger template fails to
 * compile with `VTL_TEMPLATE_TOO_LARGE`.
 *
 * @example
 * ```ts
 * const source = '$a'.repeat(MAX_TEMPLATE_BYTES) // 600 KB
 * compileTemplate(source) // throws VtlError VTL_TEMPLATE_TOO_LARGE
 * compileTemplate(source, { maxTemplateBytes: 2 * MAX_TEMPLATE_BYTES })({ a: 1 }).length // 307200
 * ```
 */
export const MAX_TEMPLATE_BYTES = 300 * 1024

/**
 * API Gateway's `#foreach` quota, 1,000 iterations: the default `maxForeachIterations`. The loop ends there
 * without an error.
 *
 * @example
 * ```ts
 * const last = compileTemplate('#foreach($i in $items)#set($n = $foreach.count)#end$n')
 * last({ items: Array.from({ length: 5000 }, (_, i) => i) }) // '1000' (MAX_FOREACH_ITERATIONS)
 * ```
 */
export const MAX_FOREACH_ITERATIONS = 1000

/**
 * The default render limits (see {@link TemplateOptions}), to spread into options that change one of them.
 *
 * @example
 * ```ts
 * const tpl = compileMappingTemplate('$input.body', { ...DEFAULT_RENDER_LIMITS, maxOutputLength: 16 })
 * tpl({ body: '{"a":1}' }).body // '{"a":1}'
 * tpl({ body: '{"name":"a longer payload"}' }) // throws VtlError VTL_BUDGET
 * ```
 */
export const DEFAULT_RENDER_LIMITS = DEFAULT_LIMITS

/**
 * Parses a Velocity template once and compiles it to closures.
 *
 * @throws VtlError `VTL_SYNTAX` (with line and column) or `VTL_TEMPLATE_TOO_LARGE`; rendering throws `VTL_RUNTIME`
 * or `VTL_BUDGET`.
 * @example
 * ```ts
 * const render = compileTemplate('Hello #if($name)$name#else world#end!')
 * render({ name: 'Ada' }) // 'Hello Ada!'
 * compileTemplate('#foreach($i in [1..5])$i#end', { maxSteps: 3 })({}) // throws VtlError VTL_BUDGET
 * ```
 */
export function compileTemplate(source: string, options: TemplateOptions = {}): CompiledTemplate {
  const runner = makeRunner(compileBody(source, options))
  return (bindings = {}) => runner(bindings)
}

/** @internal compiles to a runner over variable slots (shared with the mapping-template layer). */
export function compileBody(source: string, options: TemplateOptions = {}, jsonLists = false): SlotRunner {
  if (typeof source !== 'string') throw new VtlError('VTL_SYNTAX', 'template source must be a string')
  const max = options.maxTemplateBytes ?? MAX_TEMPLATE_BYTES
  if (source.length > max || Buffer.byteLength(source, 'utf8') > max) {
    throw new VtlError('VTL_TEMPLATE_TOO_LARGE', `template is larger than ${max} bytes`)
  }
  const limits = resolveLimits({
    maxSteps: options.maxSteps,
    maxOutputLength: options.maxOutputLength,
    maxStringGrowth: options.maxStringGrowth,
    maxDepth: options.maxDepth ?? options.maxMacroDepth,
    maxValueDepth: options.maxValueDepth,
  })
  try {
    const nodes = parseTemplate(source)
    const compiler = new Compiler(source, { codegen: options.codegen ?? true })
    const body = compiler.compileTemplate(nodes)
    return makeSlotRunner(
      body,
      compiler.names,
      { maxLoops: options.maxForeachIterations ?? MAX_FOREACH_ITERATIONS, limits, cost: blockCost(nodes), onUsage: options.onUsage },
      jsonLists,
    )
  } catch (e) {
    if (e instanceof VtlError) throw e
    // Deeply nested input can exhaust the stack; report it as a syntax error, never as a RangeError.
    throw new VtlError('VTL_SYNTAX', `template could not be compiled: ${e instanceof Error ? e.message : String(e)}`)
  }
}
