/**
 * compileSchema: index the documents, compile the root, wrap it in the public validator function.
 */
import { Gen, RUNTIME } from './codegen/gen'
import { Compiler } from './compiler'
import { textError } from './error'
import { msg } from './messages'
import { DRAFT4_META, DRAFT7_META } from './metaschemas'
import { DEFAULT_BASE, Registry, draftOf } from './registry'
import { State, type Check } from './state'
import { SchemaCompileError, type Draft, type SchemaOptions, type ValidationError, type Validator } from './types'
import { own } from './uri'

const ABSOLUTE = /^[a-z][a-z0-9+.-]*:/i

function checkOptions(o: SchemaOptions): void {
  if (o.draft !== undefined && o.draft !== 4 && o.draft !== 7 && o.draft !== 2020) {
    throw new SchemaCompileError('INVALID_OPTIONS', '', `draft must be 4, 7 or 2020 (got ${String(o.draft)})`)
  }
  if (o.formats !== undefined && typeof o.formats !== 'boolean' && (typeof o.formats !== 'object' || o.formats === null)) {
    throw new SchemaCompileError('INVALID_OPTIONS', '', 'formats must be a boolean or an object of format checks')
  }
}

/** Index the root and the `schemas` option; returns the root's dialect. */
export function buildRegistry(schema: unknown, options: SchemaOptions): { registry: Registry; draft: Draft; base: string } {
  const registry = new Registry()
  const fallback = options.draft ?? 4
  const draft = options.draft !== undefined && own(schema, '$schema') === undefined ? options.draft : draftOf(schema, fallback)
  // Meta-schemas first, so a user schema registered under the same URI replaces them.
  registry.add(DRAFT4_META, 'http://json-schema.org/draft-04/schema', 4)
  registry.add(DRAFT7_META, 'http://json-schema.org/draft-07/schema', 7)
  const others = options.schemas
  if (Array.isArray(others)) {
    others.forEach((s, i) => {
      registry.add(s, `gatehouse://schemas/${i}`, fallback)
    })
  } else if (others !== undefined) {
    for (const [key, s] of Object.entries(others)) {
      if (ABSOLUTE.test(key)) registry.add(s, key, fallback)
      else registry.add(s, `gatehouse://models/${encodeURIComponent(key)}`, fallback, key)
    }
  }
  const base = registry.add(schema, DEFAULT_BASE, draft)
  return { registry, draft, base }
}

/** Errors of a failed validation: the collected ones, or one generic error when a check failed silently. */
export function failure(errs: ValidationError[] | null): ValidationError[] {
  return errs ?? [textError('', 'schema', 'instance is not valid against the schema')]
}

/** A validation that threw: too deep a value becomes one error; anything else is rethrown. */
export function thrown(e: unknown): ValidationError[] {
  if (e instanceof RangeError) return [textError('', 'depth', msg.depth())]
  throw e
}

/** Wrap a root check into the public validator (state reuse, deep-nesting guard). */
export function wrap(check: Check, allErrors: boolean): Validator {
  const shared = new State(allErrors)
  return (value: unknown): ValidationError[] | null => {
    // Re-entrant calls (a custom format validating with the same validator) get a state of their own.
    const st = shared.busy ? new State(allErrors) : shared
    st.busy = true
    try {
      return check(value, st) ? null : failure(st.errs)
    } catch (e) {
      return thrown(e)
    } finally {
      st.reset()
      st.busy = false
    }
  }
}

/** What the generated validator function needs besides the runtime helpers. */
const WRAP = { State, failure, thrown }

/** Compile to generated code; throws when code generation fails (callers fall back to closures). */
export function compileGenerated(schema: unknown, options: SchemaOptions = {}): Validator {
  checkOptions(options)
  const allErrors = options.allErrors !== false
  const { registry, draft, base } = buildRegistry(schema, options)
  // $dynamicRef needs the dynamic scope tracked on every resource entry; the closures do that.
  if (registry.hasDynamic) throw new Error('$dynamicRef is evaluated by the closure compiler')
  const compiler = new Compiler(registry, options)
  const g = new Gen(compiler, registry, allErrors)
  const body = g.schema({ data: 'd', path: [], mode: 'loud', valid: 'v', label: 'b' }, { node: schema, base, ptr: '', draft })
  // The source holds only generated identifiers and escaped literals; schema values travel in K.
  const factory = new Function('R', 'K', 'M', 'W', g.source(body)) as (
    r: typeof RUNTIME,
    k: unknown[],
    m: typeof msg,
    w: typeof WRAP,
  ) => Validator
  return factory(RUNTIME, g.K, msg, WRAP)
}

/** Compile with closures only (the fallback and the reference implementation). */
export function compileClosures(schema: unknown, options: SchemaOptions = {}): Validator {
  checkOptions(options)
  const { registry, draft, base } = buildRegistry(schema, options)
  const compiler = new Compiler(registry, options)
  const check = compiler.compile(schema, base, '', draft)
  return wrap(check, options.allErrors !== false)
}

export { checkOptions }
