/**
 * Parameter-mapping source expressions: what the right-hand side of a `requestParameters` / `responseParameters`
 * mapping reads (`method.request.header.x`, `integration.response.body.x`, `context.x`, `stageVariables.x`,
 * `'literal'`), compiled once when the gateway is built into a reader that runs per request.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-parameter-mapping-sources.html
 */
import { evaluatePath } from '@gatehousejs/vtl'
import { GatewayConfigError } from '../../errors'
import { getOwn, headerValues, lastHeaderValue } from '../../http'
import type { RequestState } from '../../state'
import type { HeaderMap } from '../../types'

/**
 * The request body as text (binary bodies decode as UTF-8).
 *
 * @example
 * ```ts
 * requestText(state) // '{"a":1}'
 * ```
 */
export function requestText(state: RequestState): string {
  const body = state.request.body
  if (body === undefined) return ''
  return typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8')
}

/** What a parameter-mapping source reads. */
export interface SourceInput {
  state: RequestState
  /** `$context`, built on first use. */
  context: () => Record<string, unknown>
  /** The integration response (response-side mappings only). */
  response?: { headers: HeaderMap; body: () => string }
}

/** A compiled parameter-mapping source: the value, or undefined when the source is absent. */
export type CompiledSource = (input: SourceInput) => string | undefined

/** Which sources a mapping may use. */
export type SourceSide = 'integration-request' | 'integration-response' | 'gateway-response'

/** The value at `path` (own properties only) under `root`. */
export function lookup(root: unknown, path: readonly string[]): unknown {
  let v = root
  for (const key of path) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, key)) return undefined
    v = (v as Record<string, unknown>)[key]
  }
  return v
}

/** A value as mapping text: objects as JSON, absent values undefined. */
export function show(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined
  if (typeof v === 'object') return JSON.stringify(v)
  return String(v)
}

function queryValues(state: RequestState, name: string): string[] {
  const out: string[] = []
  for (const [k, v] of state.query) if (k === name) out.push(v)
  return out
}

/**
 * JSONPath (`a.b[0]`, written without `$.`) into a JSON text, checked once; the reader gives undefined when the path
 * is absent or the text is not JSON. `invalid` is called (and must throw) for a path that does not compile;
 * `maxText` truncates the text first (HTTP APIs read the first 100 KB).
 *
 * @example
 * ```ts
 * compileBodyPath('owner.name', (why) => { throw new Error(why) })('{"owner": {"name": "ann"}}') // 'ann'
 * ```
 */
export function compileBodyPath(
  path: string,
  invalid: (why: string) => never,
  maxText = Number.POSITIVE_INFINITY,
): (text: string) => string | undefined {
  const full = `$.${path}`
  try {
    evaluatePath(full, {})
  } catch {
    invalid(`invalid JSONPath "${path}"`)
  }
  return (text) => {
    let doc: unknown
    try {
      doc = JSON.parse(text.length > maxText ? text.slice(0, maxText) : text)
    } catch {
      return undefined
    }
    try {
      return show(evaluatePath(full, doc))
    } catch {
      return undefined
    }
  }
}

function bodyPath(path: string, at: string): (text: string) => string | undefined {
  return compileBodyPath(path, (why) => {
    throw new GatewayConfigError('INVALID_DEFINITION', `${why} in mapping expression`, at)
  })
}

const NAME = /^[^.\s]+$/

/**
 * Compile one mapping source expression. Sources by side (API Gateway's parameter-mapping reference):
 * every side takes `'literal'`, `context.x.y` and `stageVariables.x`; requests and gateway responses take
 * `method.request.{path,querystring,multivaluequerystring,header,multivalueheader}.x`; integration requests also
 * `method.request.body[.JSONPath]`; integration responses `integration.response.{header,multivalueheader}.x` and
 * `integration.response.body[.JSONPath]`.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-parameter-mapping-sources.html
 *
 * @example
 * ```ts
 * const read = compileSource('method.request.header.x-client', 'integration-request', '/x')
 * read({ state, context: () => state.context() }) // the header's last value
 * ```
 */
export function compileSource(source: string, side: SourceSide, at: string): CompiledSource {
  const bad = (why: string): never => {
    throw new GatewayConfigError('INVALID_DEFINITION', `invalid mapping expression "${source}": ${why}`, at)
  }
  if (typeof source !== 'string') bad('must be a string')
  if (source.length >= 2 && source.startsWith("'") && source.endsWith("'")) {
    const literal = source.slice(1, -1)
    return () => literal
  }
  if (source.startsWith('stageVariables.')) {
    const name = source.slice(15)
    if (!NAME.test(name)) bad('stage variable name expected')
    return ({ state }) => (state.api.stageVariables ? getOwn(state.api.stageVariables, name) : undefined)
  }
  if (source.startsWith('context.')) {
    const path = source.slice(8).split('.')
    if (path.some((p) => p === '')) bad('context variable expected')
    return ({ context }) => show(lookup(context(), path))
  }
  if (source.startsWith('method.request.')) {
    if (side === 'integration-response') bad('integration responses map from integration.response.*')
    const rest = source.slice(15)
    if (rest === 'body' || rest.startsWith('body.')) {
      if (side !== 'integration-request') bad('the request body is not available here')
      if (rest === 'body') return ({ state }) => requestText(state)
      const read = bodyPath(rest.slice(5), at)
      return ({ state }) => read(requestText(state))
    }
    const dot = rest.indexOf('.')
    const location = dot === -1 ? rest : rest.slice(0, dot)
    const name = dot === -1 ? '' : rest.slice(dot + 1)
    if (name === '') bad('parameter name expected')
    switch (location) {
      case 'path':
        return ({ state }) => getOwn(state.params, name)
      case 'querystring':
        return ({ state }) => {
          const values = queryValues(state, name)
          return values.length === 0 ? undefined : values[values.length - 1]
        }
      case 'multivaluequerystring':
        return ({ state }) => {
          const values = queryValues(state, name)
          return values.length === 0 ? undefined : values.join(',')
        }
      case 'header': {
        const lower = name.toLowerCase()
        return ({ state }) => lastHeaderValue(state.request.headers, lower)
      }
      case 'multivalueheader': {
        const lower = name.toLowerCase()
        return ({ state }) => {
          const values = headerValues(state.request.headers, lower)
          return values.length === 0 ? undefined : values.join(',')
        }
      }
      default:
        return bad(`unknown location "${location}"`)
    }
  }
  if (source.startsWith('integration.response.')) {
    if (side !== 'integration-response') bad('integration.response.* is only available in integration responses')
    const rest = source.slice(21)
    if (rest === 'body') return ({ response }) => response?.body()
    if (rest.startsWith('body.')) {
      const read = bodyPath(rest.slice(5), at)
      return ({ response }) => (response ? read(response.body()) : undefined)
    }
    const multi = rest.startsWith('multivalueheader.')
    if (!multi && !rest.startsWith('header.')) bad('expected integration.response.header.NAME or .body')
    const lower = rest.slice(multi ? 17 : 7).toLowerCase()
    if (lower === '') bad('header name expected')
    return ({ response }) => {
      if (!response) return undefined
      const values = headerValues(response.headers, lower)
      if (values.length === 0) return undefined
      return multi ? values.join(',') : values[values.length - 1]
    }
  }
  return bad('expected a quoted literal, method.request.*, integration.response.*, context.* or stageVariables.*')
}
