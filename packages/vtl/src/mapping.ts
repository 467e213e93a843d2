/** API Gateway's mapping-template bindings: `$input`, `$util`, `$context`, `$stageVariables`. */
import { VtlError } from './errors'
import { JsonSyntaxError, parseJson } from './json'
import { evaluatePath } from './jsonpath'
import { compileBody, type TemplateOptions } from './template'
import { UTIL } from './util'
import { withClaims } from './claims'
import { OverrideMap } from './overrides'
import { Host, toJson } from './values'

/** Request parameters as API Gateway hands them to `$input.params()`. */
export interface MappingTemplateParams {
  path?: Record<string, string>
  querystring?: Record<string, string>
  header?: Record<string, string>
}

/** What a mapping template reads. */
export interface MappingTemplateInput {
  /** The raw payload (request body, or integration response body). Empty reads as `{}`. */
  body?: string
  params?: MappingTemplateParams
  /** `$context`: nested plain data (`requestId`, `identity.sourceIp`, `authorizer.claims.sub`, `error.message`, …). */
  context?: Record<string, unknown>
  stageVariables?: Record<string, string>
}

/** `$context.responseOverride` as the template left it. */
export interface ResponseOverride {
  status?: unknown
  header: Record<string, unknown>
}

/** `$context.requestOverride` as the template left it. */
export interface RequestOverride {
  header: Record<string, unknown>
  querystring: Record<string, unknown>
  path: Record<string, unknown>
}

/** The rendered output and the overrides the template set. */
export interface MappingTemplateResult {
  body: string
  responseOverride: ResponseOverride
  requestOverride: RequestOverride
}

/** A compiled mapping template. */
export type CompiledMappingTemplate = (input: MappingTemplateInput) => MappingTemplateResult

const NOT_PARSED = Symbol('not parsed')
const RESPONSE_NESTED = ['header']
const REQUEST_NESTED = ['header', 'querystring', 'path']

function firstNonSpace(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9) return i
  }
  return -1
}

/** `$input`. The payload is parsed only when the template reads it through `path` or `json`. */
class InputHost extends Host {
  private doc: unknown = NOT_PARSED
  constructor(
    private readonly raw: string,
    private readonly params: MappingTemplateParams,
  ) {
    super()
  }

  private parsed(): unknown {
    if (this.doc !== NOT_PARSED) return this.doc
    const raw = this.raw
    const first = firstNonSpace(raw)
    if (first === -1) this.doc = new Map()
    else if (raw[first] === '{' || raw[first] === '[') {
      try {
        this.doc = parseJson(raw)
      } catch (e) {
        if (e instanceof JsonSyntaxError || e instanceof RangeError) throw new VtlError('VTL_INVALID_PAYLOAD', 'Could not process payload')
        throw e
      }
    } else {
      try {
        this.doc = parseJson(raw.trim())
      } catch {
        // A payload that is not JSON at all reads as one string value.
        this.doc = raw
      }
    }
    return this.doc
  }

  get body(): string {
    return firstNonSpace(this.raw) === -1 ? '{}' : this.raw
  }

  prop(name: string): unknown {
    if (name === 'body') return this.body
    if (name === 'params') return this.allParams()
    return undefined
  }

  private allParams(): Map<string, Record<string, string>> {
    return new Map([
      ['path', this.params.path ?? {}],
      ['querystring', this.params.querystring ?? {}],
      ['header', this.params.header ?? {}],
    ])
  }

  private param(name: string): string {
    const { path, querystring, header } = this.params
    const own = Object.prototype.hasOwnProperty
    if (path && own.call(path, name)) return path[name]!
    if (querystring && own.call(querystring, name)) return querystring[name]!
    if (header) {
      if (own.call(header, name)) return header[name]!
      // Header names are case-insensitive on the wire.
      const lower = name.toLowerCase()
      for (const k in header) if (own.call(header, k) && k.toLowerCase() === lower) return header[k]!
    }
    return ''
  }

  call(name: string, args: unknown[]): unknown {
    switch (name) {
      case 'json': {
        const p = typeof args[0] === 'string' ? args[0] : '$'
        const v = evaluatePath(p, this.parsed())
        return v === undefined ? '' : toJson(v)
      }
      case 'path': {
        const p = typeof args[0] === 'string' ? args[0] : '$'
        return evaluatePath(p, this.parsed())
      }
      case 'params':
        if (args.length === 0) return this.allParams()
        return typeof args[0] === 'string' ? this.param(args[0]) : undefined
      case 'getBody':
        return this.body
      default:
        return undefined
    }
  }

  toString(): string {
    return 'input'
  }
}

/**
 * Compiles a mapping template once. The returned function renders it against one request or response and
 * returns the output with the `$context.responseOverride` / `$context.requestOverride` values it set.
 *
 * @example
 * ```ts
 * const tpl = compileMappingTemplate('#set($context.responseOverride.status = 201){"id": $input.json("$.id")}')
 * const r = tpl({ body: '{"id": 7}' })
 * r.body // '{"id": 7}'
 * r.responseOverride.status // 201
 * ```
 */
export function compileMappingTemplate(source: string, options: TemplateOptions = {}): CompiledMappingTemplate {
  const runner = compileBody(source, options, true)
  const names = runner.names
  const n = names.length
  // Only what the template names is built per request (a template without $context makes no override maps).
  const inputSlot = names.indexOf('input')
  const utilSlot = names.indexOf('util')
  const contextSlot = names.indexOf('context')
  const stageSlot = names.indexOf('stageVariables')
  return (input) => {
    const slots = new Array<unknown>(n)
    if (inputSlot >= 0) slots[inputSlot] = new InputHost(input.body ?? '', input.params ?? {})
    if (utilSlot >= 0) slots[utilSlot] = UTIL
    if (stageSlot >= 0) slots[stageSlot] = input.stageVariables ?? {}
    if (contextSlot < 0) {
      return { body: runner.run(slots), responseOverride: { header: {} }, requestOverride: { header: {}, querystring: {}, path: {} } }
    }
    const responseOverride = new OverrideMap('responseOverride', RESPONSE_NESTED)
    const requestOverride = new OverrideMap('requestOverride', REQUEST_NESTED)
    slots[contextSlot] = { ...(input.context ? withClaims(input.context) : {}), responseOverride, requestOverride }
    return {
      body: runner.run(slots),
      responseOverride: responseOverride.plain() as unknown as ResponseOverride,
      requestOverride: requestOverride.plain() as unknown as RequestOverride,
    }
  }
}

const recent = new Map<string, CompiledMappingTemplate>()
/** Templates compiled with explicit options, cached per options object (the same 100-source bound each). */
const recentWith = new WeakMap<TemplateOptions, Map<string, CompiledMappingTemplate>>()

/**
 * Renders a mapping template with API Gateway's `$input`, `$util`, `$context` and `$stageVariables`. Compiled
 * templates are cached by source (the last 100, per `options` object when options are given). When
 * `input.context` is given, the template's `responseOverride` and `requestOverride` are written back to it; use
 * {@link compileMappingTemplate} to get them as a value instead. `options` are {@link TemplateOptions}: the
 * render limits (`maxSteps`, `maxOutputLength`, `maxStringGrowth`, `maxDepth`, `maxValueDepth`) and the rest.
 *
 * @throws VtlError — `VTL_INVALID_PAYLOAD` (`status` 400, "Could not process payload") when the body looks like
 * JSON but is not (or nests deeper than `maxValueDepth`); `VTL_BUDGET` when the render goes over a limit;
 * `VTL_SYNTAX`, `VTL_RUNTIME`, `VTL_INVALID_JSONPATH` otherwise.
 * @example
 * ```ts
 * renderMappingTemplate('{"name": "$input.params(\'name\')"}', { params: { querystring: { name: 'ada' } } })
 * // '{"name": "ada"}'
 * renderMappingTemplate('#foreach($i in [1..100])$i#end', {}, { maxSteps: 50 }) // throws VtlError VTL_BUDGET
 * ```
 */
export function renderMappingTemplate(source: string, input: MappingTemplateInput = {}, options?: TemplateOptions): string {
  let cache = recent
  if (options !== undefined) {
    let m = recentWith.get(options)
    if (m === undefined) recentWith.set(options, (m = new Map()))
    cache = m
  }
  let tpl = cache.get(source)
  if (!tpl) {
    tpl = compileMappingTemplate(source, options)
    if (cache.size >= 100) cache.delete(cache.keys().next().value!)
    cache.set(source, tpl)
  }
  const r = tpl(input)
  if (input.context) {
    input.context.responseOverride = r.responseOverride
    input.context.requestOverride = r.requestOverride
  }
  return r.body
}
