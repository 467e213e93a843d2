/**
 * HTTP APIs' parameter mapping: `requestParameters` (`append|overwrite|remove:header.X`,
 * `append|overwrite|remove:querystring.X`, `overwrite:path`) and `responseParameters` keyed by the integration's
 * status code (`append|overwrite|remove:header.X`, `overwrite:statuscode`). Values are static text, one
 * `$request.…` / `$response.…` / `$context.…` / `$stageVariables.…` reference, or text with `${…}` references in
 * it. Compiled once when the gateway is built; reserved headers are refused then, as API Gateway refuses them.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-parameter-mapping.html
 */
import { GatewayConfigError, pointerToken } from '../../errors'
import { getOwn, headerValues, isHttpApiReservedHeader, setOwn } from '../../http'
import type { RequestState } from '../../state'
import type { GatewayResponse, HeaderMap } from '../../types'
import { compileBodyPath, lookup, requestText, show } from './source'

/** What a value reads: the request, `$context`, and on the response side the integration's answer. */
export interface HttpApiMappingInput {
  state: RequestState
  context: () => Record<string, unknown>
  response?: { headers: HeaderMap; body: () => string }
}

type Read = (input: HttpApiMappingInput) => string | undefined

/** One compiled mapping: what it does, where, and its value. */
export interface HttpApiMapping {
  op: 'append' | 'overwrite' | 'remove'
  where: 'header' | 'querystring' | 'path' | 'statuscode'
  /** Header (lower-case) or query-string name; '' for the path and the status code. */
  name: string
  value: Read
}

/** API Gateway truncates the request body at 100 KB before it applies a JSONPath. */
const BODY_PATH_LIMIT = 100 * 1024

function jsonPath(path: string, bad: (why: string) => never): (text: string) => string | undefined {
  if (path.startsWith('.') || path.includes('..') || path.includes('?(')) bad('recursive descent and filter expressions are not supported')
  return compileBodyPath(path, bad, BODY_PATH_LIMIT)
}

/** One reference (`request.header.x`, without `$` or braces). */
function compileRef(ref: string, side: 'request' | 'response', bad: (why: string) => never): Read {
  const dot = ref.indexOf('.')
  const head = dot === -1 ? ref : ref.slice(0, dot)
  const rest = dot === -1 ? '' : ref.slice(dot + 1)
  if (head === 'context') {
    const path = rest.split('.')
    if (path.some((p) => p === '' || !/^[\w-]+$/.test(p))) bad('context variable expected')
    return ({ context }) => show(lookup(context(), path))
  }
  if (head === 'stageVariables') {
    if (!/^\w+$/.test(rest)) bad('stage variable name expected')
    return ({ state }) => (state.api.stageVariables ? getOwn(state.api.stageVariables, rest) : undefined)
  }
  if (head === 'request') {
    if (rest === 'path') return ({ state }) => state.path
    if (rest === 'body') return ({ state }) => requestText(state)
    const at = rest.indexOf('.')
    const location = at === -1 ? rest : rest.slice(0, at)
    const name = at === -1 ? '' : rest.slice(at + 1)
    if (name === '') bad('parameter name expected')
    switch (location) {
      case 'header': {
        const lower = name.toLowerCase()
        return ({ state }) => {
          const values = headerValues(state.request.headers, lower)
          return values.length === 0 ? undefined : values.join(',')
        }
      }
      case 'querystring':
        return ({ state }) => {
          const values: string[] = []
          for (const [k, v] of state.query) if (k === name) values.push(v)
          return values.length === 0 ? undefined : values.join(',')
        }
      case 'path':
        return ({ state }) => getOwn(state.params, name)
      case 'body': {
        const read = jsonPath(name, bad)
        return ({ state }) => read(requestText(state))
      }
      default:
        return bad(`unknown location "${location}"`)
    }
  }
  if (head === 'response') {
    if (side !== 'response') bad('$response.* is only available in responseParameters')
    if (rest === 'body') return ({ response }) => response?.body()
    if (rest.startsWith('body.')) {
      const read = jsonPath(rest.slice(5), bad)
      return ({ response }) => (response ? read(response.body()) : undefined)
    }
    if (!rest.startsWith('header.') || rest.length === 7) bad('expected $response.header.NAME or $response.body')
    const lower = rest.slice(7).toLowerCase()
    return ({ response }) => {
      if (!response) return undefined
      const values = headerValues(response.headers, lower)
      return values.length === 0 ? undefined : values.join(',')
    }
  }
  return bad('expected $request.*, $response.*, $context.* or $stageVariables.*')
}

/** A whole value that is one bare reference: `$request.header.x`. */
const BARE = /^\$((?:request|response|context|stageVariables)\.[^\s${}]+|request\.(?:path|body))$/

/**
 * A mapping value: static text, one bare reference, or text with `${…}` references. A value whose references are
 * all absent is absent (the mapping does nothing); static parts alone are the value.
 */
function compileValue(value: string, side: 'request' | 'response', bad: (why: string) => never): Read {
  if (typeof value !== 'string') bad('the value must be a string')
  const bare = BARE.exec(value)
  if (bare) return compileRef(bare[1]!, side, bad)
  const parts: (string | Read)[] = []
  let last = 0
  for (const m of value.matchAll(/\$\{([^}]*)\}/g)) {
    if (m.index > last) parts.push(value.slice(last, m.index))
    parts.push(compileRef(m[1]!.trim(), side, bad))
    last = m.index + m[0].length
  }
  if (last < value.length) parts.push(value.slice(last))
  if (parts.every((p) => typeof p === 'string')) return () => value
  return (input) => {
    let out = ''
    let found = false
    for (const p of parts) {
      if (typeof p === 'string') out += p
      else {
        const v = p(input)
        if (v !== undefined) {
          found = true
          out += v
        }
      }
    }
    return found ? out : undefined
  }
}

const KEY = /^(append|overwrite|remove):(header|querystring)\.(.+)$|^overwrite:(path|statuscode)$/

function compile(map: Record<string, string>, side: 'request' | 'response', at: string): HttpApiMapping[] {
  const out: HttpApiMapping[] = []
  for (const [key, value] of Object.entries(map)) {
    const where = `${at}/${pointerToken(key)}`
    const bad = (why: string): never => {
      throw new GatewayConfigError('INVALID_DEFINITION', `parameter mapping "${key}": ${why}`, where)
    }
    const m = KEY.exec(key)
    if (!m) bad('expected append|overwrite|remove:header.NAME, append|overwrite|remove:querystring.NAME, or overwrite:path')
    const target = (m![4] ?? m![2]) as HttpApiMapping['where']
    if (target === 'path' && side === 'response') bad('responses have no path to overwrite')
    if (target === 'statuscode' && side === 'request') bad('requests have no status code')
    if (target === 'querystring' && side === 'response') bad('responses have no query string')
    const name = target === 'header' ? m![3]!.toLowerCase() : (m![3] ?? '')
    // "You can't configure request or response mappings for these headers."
    if (target === 'header' && isHttpApiReservedHeader(name)) bad(`${m![3]} is a reserved header API Gateway does not let a mapping set`)
    const op = (m![1] ?? 'overwrite') as HttpApiMapping['op']
    out.push({ op, where: target, name, value: op === 'remove' ? () => '' : compileValue(value, side, bad) })
  }
  return out
}

/**
 * Compile an HTTP API integration's `requestParameters`.
 *
 * @example
 * ```ts
 * compileHttpApiRequestParameters({ 'append:header.x-request-id': '$context.requestId', 'remove:querystring.debug': "''" }, '/x')
 * ```
 */
export function compileHttpApiRequestParameters(map: Record<string, string> | undefined, at: string): HttpApiMapping[] {
  return map === undefined ? [] : compile(map, 'request', at)
}

/**
 * Compile an HTTP API integration's `responseParameters`: mappings by the integration's status code.
 *
 * @example
 * ```ts
 * compileHttpApiResponseParameters({ '500': { 'overwrite:statuscode': '403' } }, '/x').get(500)?.length // 1
 * ```
 */
export function compileHttpApiResponseParameters(
  map: Record<string, Record<string, string>> | undefined,
  at: string,
): Map<number, HttpApiMapping[]> {
  const out = new Map<number, HttpApiMapping[]>()
  for (const [status, mappings] of Object.entries(map ?? {})) {
    const where = `${at}/${pointerToken(status)}`
    const code = Number(status)
    if (!/^\d{3}$/.test(status) || code < 100 || code > 599) {
      throw new GatewayConfigError('INVALID_DEFINITION', `responseParameters key "${status}" must be a status code`, where)
    }
    if (mappings === null || typeof mappings !== 'object') {
      throw new GatewayConfigError('INVALID_DEFINITION', 'responseParameters entries must be objects', where)
    }
    out.set(code, compile(mappings, 'response', where))
  }
  return out
}

/** Headers as name → values, in the order they came, names compared lower-case. */
export type HeaderList = Map<string, string[]>

/**
 * Apply header mappings to a header list (values read from the original request or response, in `input`).
 *
 * @example
 * ```ts
 * applyHeaderMappings(mappings, headers, input) // headers now has appended, overwritten and removed entries
 * ```
 */
export function applyHeaderMappings(mappings: readonly HttpApiMapping[], headers: HeaderList, input: HttpApiMappingInput): void {
  for (const m of mappings) {
    if (m.where !== 'header') continue
    if (m.op === 'remove') {
      headers.delete(m.name)
      continue
    }
    const v = m.value(input)
    if (v === undefined) continue
    const prev = headers.get(m.name)
    if (m.op === 'append' && prev !== undefined) prev.push(v)
    else headers.set(m.name, [v])
  }
}

/** Apply query-string mappings to the query pairs (a new list; the request's own pairs are not changed). */
export function applyQueryMappings(
  mappings: readonly HttpApiMapping[],
  query: readonly [string, string][],
  input: HttpApiMappingInput,
): [string, string][] {
  let out: [string, string][] = [...query]
  for (const m of mappings) {
    if (m.where !== 'querystring') continue
    if (m.op === 'remove') {
      out = out.filter(([k]) => k !== m.name)
      continue
    }
    const v = m.value(input)
    if (v === undefined) continue
    if (m.op === 'overwrite') out = out.filter(([k]) => k !== m.name)
    out.push([m.name, v])
  }
  return out
}

/** The path `overwrite:path` sets, or undefined. */
export function mappedPath(mappings: readonly HttpApiMapping[], input: HttpApiMappingInput): string | undefined {
  let path: string | undefined
  for (const m of mappings) {
    if (m.where !== 'path') continue
    const v = m.value(input)
    if (v !== undefined) path = v.startsWith('/') ? v : `/${v}`
  }
  return path
}

/** The status code `overwrite:statuscode` sets (100–599), or undefined. */
export function mappedStatus(mappings: readonly HttpApiMapping[], input: HttpApiMappingInput): number | undefined {
  let status: number | undefined
  for (const m of mappings) {
    if (m.where !== 'statuscode') continue
    const v = m.value(input)
    const n = v !== undefined && /^\d{3}$/.test(v.trim()) ? Number(v.trim()) : NaN
    if (n >= 100 && n <= 599) status = n
  }
  return status
}

/** A header map as a header list (names lower-case, values in order). */
export function headerList(headers: Record<string, string | string[] | undefined> | null | undefined): HeaderList {
  const list: HeaderList = new Map()
  for (const [name, v] of Object.entries(headers ?? {})) {
    if (v === undefined) continue
    const lower = name.toLowerCase()
    const values = Array.isArray(v) ? [...v] : [v]
    const prev = list.get(lower)
    if (prev) prev.push(...values)
    else list.set(lower, values)
  }
  return list
}

/** Query pairs as a query string. */
export function encodePairs(pairs: readonly [string, string][]): string {
  return pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')
}

/**
 * Apply the response mappings for an integration's status code to its answer: status code and headers (names in
 * lower case, as HTTP APIs send them). Values read the answer as the integration gave it.
 *
 * @example
 * ```ts
 * const res = applyResponseMappings(mapped, byStatus.get(mapped.statusCode), { state, context })
 * ```
 */
export function applyResponseMappings(
  res: GatewayResponse,
  mappings: readonly HttpApiMapping[],
  base: HttpApiMappingInput,
): GatewayResponse {
  let text: string | undefined
  const input: HttpApiMappingInput = {
    ...base,
    response: {
      headers: res.headers,
      body: () => (text ??= typeof res.body === 'string' ? res.body : Buffer.from(res.body).toString('utf8')),
    },
  }
  const headers = headerList(res.headers)
  applyHeaderMappings(mappings, headers, input)
  const out: HeaderMap = {}
  for (const [name, values] of headers) setOwn(out, name, values.length === 1 ? values[0]! : values)
  return { statusCode: mappedStatus(mappings, input) ?? res.statusCode, headers: out, body: res.body }
}
