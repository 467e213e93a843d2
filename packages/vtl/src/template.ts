import { Compiler } from './compile'
import { makeRunner, makeSlotRunner, type SlotRunner } from './runtime'
import { VtlError } from './errors'
import { parseTemplate } from './parser'

/** Options of {@link compileTemplate}. */
export interface TemplateOptions {
  /** Largest template accepted, in UTF-8 bytes. Default 300 KB (API Gateway's mapping-template quota). */
  maxTemplateBytes?: number
  /** Iterations after which a `#foreach` stops. Default 1,000 (API Gateway's quota). */
  maxForeachIterations?: number
  /** Deepest macro nesting. Default 20 (Velocity's `velocimacro.max.depth`). */
  maxMacroDepth?: number
  /**
   * Compile each block to one generated function (`new Function`, no template text in the generated source).
   * Default true; false (or a runtime that forbids `new Function`) uses closures only, with the same output.
   */
  codegen?: boolean
}

/** A compiled template: renders the bindings (`$name` → `bindings.name`) to a string. */
export type CompiledTemplate = (bindings?: Record<string, unknown>) => string

/** API Gateway's quotas: mapping template size 300 KB, `#foreach` iterations 1,000. */
export const MAX_TEMPLATE_BYTES = 300 * 1024
export const MAX_FOREACH_ITERATIONS = 1000

/**
 * Parses a Velocity template once and compiles it to closures.
 *
 * @throws VtlError `VTL_SYNTAX` (with line and column) or `VTL_TEMPLATE_TOO_LARGE`.
 * @example
 * ```ts
 * const render = compileTemplate('Hello #if($name)$name#else world#end!')
 * render({ name: 'Ada' }) // 'Hello Ada!'
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
  try {
    const nodes = parseTemplate(source)
    const compiler = new Compiler(source, {
      maxForeachIterations: options.maxForeachIterations ?? MAX_FOREACH_ITERATIONS,
      maxMacroDepth: options.maxMacroDepth ?? 20,
      codegen: options.codegen ?? true,
    })
    const body = compiler.compileTemplate(nodes)
    return makeSlotRunner(body, compiler.names, options.maxForeachIterations ?? MAX_FOREACH_ITERATIONS, jsonLists)
  } catch (e) {
    if (e instanceof VtlError) throw e
    // Deeply nested input can exhaust the stack; report it as a syntax error, never as a RangeError.
    throw new VtlError('VTL_SYNTAX', `template could not be compiled: ${e instanceof Error ? e.message : String(e)}`)
  }
}
