/**
 * API Gateway mapping templates: a Velocity template compiled with the bindings `$input`, `$util`, `$context` (with
 * its `responseOverride`/`requestOverride`) and `$stageVariables`, rendered against one request or response.
 */
import { compileBody, type TemplateOptions } from '../template'
import { withClaims } from './claims'
import { InputHost, type MappingTemplateParams } from './input'
import { OverrideMap } from './overrides'
import { UTIL } from './util'

/**
 * What a mapping template reads: the payload (`$input.body`, `$input.path`, `$input.json`), the parameters
 * (`$input.params`), `$context` and `$stageVariables`.
 *
 * @example
 * ```ts
 * const input: MappingTemplateInput = {
 *   body: '{"qty": 2}',
 *   params: { path: { id: '7' } },
 *   context: { stage: 'prod', identity: { sourceIp: '203.0.113.9' } },
 *   stageVariables: { table: 'orders' },
 * }
 * renderMappingTemplate('$stageVariables.table/$input.params("id") x$input.path("$.qty") from $context.identity.sourceIp', input)
 * // 'orders/7 x2 from 203.0.113.9'
 * ```
 */
export interface MappingTemplateInput {
  /** The raw payload (request body, or integration response body). Empty reads as `{}`. */
  body?: string
  params?: MappingTemplateParams
  /** `$context`: nested plain data (`requestId`, `identity.sourceIp`, `authorizer.claims.sub`, `error.message`, …). */
  context?: Record<string, unknown>
  stageVariables?: Record<string, string>
  /**
   * The overrides an earlier template of the same request set: API Gateway's response template reads (and the
   * method response keeps) what the request template put in `$context.requestOverride` / `responseOverride`.
   */
  overrides?: MappingTemplateOverrides
}

/**
 * The `$context.requestOverride` and `$context.responseOverride` a template left, to seed the next template of the
 * same request.
 *
 * @example
 * ```ts
 * const req = compileMappingTemplate('#set($context.responseOverride.status = 444){"statusCode": 200}')({})
 * const res = compileMappingTemplate('$context.responseOverride.status')({ overrides: req })
 * res.body // '444'
 * ```
 */
export interface MappingTemplateOverrides {
  requestOverride: RequestOverride
  responseOverride: ResponseOverride
}

/**
 * `$context.responseOverride` as the template left it: the status and headers API Gateway answers with instead of
 * the integration response's.
 *
 * @example
 * ```ts
 * const { responseOverride } = compileMappingTemplate('#set($context.responseOverride.status = 404)')({})
 * responseOverride // { header: {}, status: 404 }
 * ```
 */
export interface ResponseOverride {
  status?: unknown
  header: Record<string, unknown>
}

/**
 * `$context.requestOverride` as the template left it: the headers, query string and path parameters sent to the
 * integration instead of the request's.
 *
 * @example
 * ```ts
 * const { requestOverride } = compileMappingTemplate('#set($context.requestOverride.querystring.page = "2")')({})
 * requestOverride // { header: {}, path: {}, querystring: { page: '2' } }
 * ```
 */
export interface RequestOverride {
  header: Record<string, unknown>
  querystring: Record<string, unknown>
  path: Record<string, unknown>
}

/**
 * The rendered output and the overrides the template set.
 *
 * @example
 * ```ts
 * const r: MappingTemplateResult = compileMappingTemplate('#set($context.responseOverride.header.Location = "/pets/7")created')({})
 * r.body // 'created'
 * r.responseOverride // { header: { Location: '/pets/7' } }
 * r.requestOverride // { header: {}, path: {}, querystring: {} }
 * ```
 */
export interface MappingTemplateResult extends MappingTemplateOverrides {
  body: string
}

/**
 * A compiled mapping template: renders one request or response.
 *
 * @example
 * ```ts
 * const toBackend: CompiledMappingTemplate = compileMappingTemplate('{"user": "$input.params(\'user\')"}')
 * toBackend({ params: { path: { user: 'ada' } } }).body // '{"user": "ada"}'
 * ```
 */
export type CompiledMappingTemplate = (input: MappingTemplateInput) => MappingTemplateResult

const RESPONSE_NESTED = ['header']
const REQUEST_NESTED = ['header', 'path', 'querystring']

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
    const seed = input.overrides
    if (contextSlot < 0) {
      return {
        body: runner.run(slots),
        responseOverride: seed?.responseOverride ?? { header: {} },
        requestOverride: seed?.requestOverride ?? { header: {}, path: {}, querystring: {} },
      }
    }
    const responseOverride = new OverrideMap('responseOverride', RESPONSE_NESTED, seed?.responseOverride)
    const requestOverride = new OverrideMap('requestOverride', REQUEST_NESTED, seed?.requestOverride)
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
