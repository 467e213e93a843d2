/**
 * Data transformations of non-proxy WebSocket integrations, compiled once: request templates chosen by the
 * integration's `templateSelectionExpression` (with `passthroughBehavior`), request parameters, and integration
 * responses chosen by key (`$default` or a `/regex/` matched against the status code or a Lambda error's
 * `errorMessage`) with their response templates chosen by their own `templateSelectionExpression`.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-data-transformations.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-integration-responses.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-data-mapping.html
 */
import { compileRegex, RegexError, type Regex } from '@gatehousejs/regex'
import { compileMappingTemplate, VtlError, type CompiledMappingTemplate } from '@gatehousejs/vtl'
import type { WebSocketIntegration, WebSocketIntegrationResponse } from '../definition'
import { WebSocketApiError } from '../errors'
import { type CompiledSelection, compileSelectionExpression, parseMessage } from '../selection'
import type { RouteRequest } from './types'

/**
 * A template's output for one request: `$input.params()` holds the upgrade request's headers and query on
 * `$connect` and empty maps otherwise; `$context` is the route event's request context.
 */
function run(template: CompiledMappingTemplate, body: string, request: RouteRequest, stageVariables: Record<string, string>): string {
  const h = request.handshake
  return template({
    body,
    params: { path: {}, querystring: h?.query ?? {}, header: h?.headers ?? {} },
    context: request.event.requestContext as unknown as Record<string, unknown>,
    stageVariables,
  }).body
}

function compileTemplates(templates: Record<string, string> | undefined, where: string): Map<string, CompiledMappingTemplate> {
  const out = new Map<string, CompiledMappingTemplate>()
  for (const [key, source] of Object.entries(templates ?? {})) {
    if (typeof source !== 'string') throw new WebSocketApiError('INVALID_DEFINITION', `${where} ${key}: a template must be a string`)
    try {
      out.set(key, compileMappingTemplate(source))
    } catch (e) {
      if (e instanceof VtlError) throw new WebSocketApiError('INVALID_DEFINITION', `${where} ${key}: ${e.message}`)
      throw e
    }
  }
  return out
}

/** The template a selection picks: the key's own, else the `$default` one. */
function pick(templates: Map<string, CompiledMappingTemplate>, key: string): CompiledMappingTemplate | undefined {
  return templates.get(key) ?? templates.get('$default')
}

/**
 * The integration request's payload: the template the selection expression picks, or the message as is, or
 * `undefined` when `passthroughBehavior` refuses a message no template matches.
 */
export type RequestMapping = (request: RouteRequest, stageVariables: Record<string, string>) => string | undefined

/**
 * Compiles `requestTemplates`, `templateSelectionExpression` (default `\$default`) and `passthroughBehavior`
 * (default `WHEN_NO_MATCH`).
 *
 * @example
 * ```ts
 * const map = compileRequestMapping({ type: 'HTTP', requestTemplates: { $default: '{"said": $input.json("$.text")}' } }, 'route echo')
 * map({ event, body: '{"text":"hi"}' }, {}) // '{"said": "hi"}'
 * ```
 */
export function compileRequestMapping(integration: WebSocketIntegration, where: string): RequestMapping {
  const templates = compileTemplates(integration.requestTemplates, `${where}: requestTemplates`)
  const selection = compileSelectionExpression(integration.templateSelectionExpression ?? '\\$default')
  const passthrough = integration.passthroughBehavior ?? 'WHEN_NO_MATCH'
  if (passthrough !== 'WHEN_NO_MATCH' && passthrough !== 'WHEN_NO_TEMPLATES' && passthrough !== 'NEVER')
    throw new WebSocketApiError('INVALID_DEFINITION', `${where}: passthroughBehavior is WHEN_NO_MATCH, WHEN_NO_TEMPLATES or NEVER`)
  return (request, stageVariables) => {
    const key = selection.readsBody ? selection.select(parseMessage(request.body)?.json) : selection.select(undefined)
    const template = pick(templates, key)
    if (template === undefined) {
      if (passthrough === 'NEVER' || (passthrough === 'WHEN_NO_TEMPLATES' && templates.size > 0)) return undefined
      return request.body
    }
    return run(template, request.body, request, stageVariables)
  }
}

/** The backend's answer as integration responses see it. */
export interface EndpointAnswer {
  status: number
  headers: Record<string, string>
  body: string
  /** A Lambda function's `errorMessage` (AWS integrations); what the response keys match for Lambda. */
  errorMessage?: string
}

/** The payload to send back, or `undefined` when no integration response matches and there is no `$default`. */
export type ResponseMapping = (
  answer: EndpointAnswer,
  request: RouteRequest,
  stageVariables: Record<string, string>,
) => { body: string } | undefined

const RESPONSE_VARIABLES = (name: string): boolean =>
  name === 'integration.response.statuscode' ||
  name.startsWith('integration.response.header.') ||
  name.startsWith('integration.response.multivalueheader.')

function compileKey(key: string, where: string): Regex {
  if (!(key.length > 2 && key.startsWith('/') && key.endsWith('/')))
    throw new WebSocketApiError(
      'INVALID_DEFINITION',
      `${where}: an integration response key is $default or /regex/, not ${JSON.stringify(key)}`,
    )
  try {
    return compileRegex(key.slice(1, -1), { syntax: 'java' })
  } catch (e) {
    if (e instanceof RegexError)
      throw new WebSocketApiError('INVALID_DEFINITION', `${where}: integration response key ${key}: ${e.message}`)
    throw e
  }
}

/**
 * Compiles `integrationResponses` and `integrationResponseSelectionExpression`. For `HTTP` and `MOCK` the keys
 * match the status code, for `AWS` a failed function's `errorMessage` (a success picks `$default`), as Java's
 * `String.matches` does (the whole subject).
 *
 * @example
 * ```ts
 * const respond = compileResponseMapping({ type: 'HTTP', uri, integrationResponses: { '/2\\d\\d/': {}, $default: { responseTemplates: { $default: 'failed' } } } }, 'route x')
 * respond({ status: 500, headers: {}, body: '' }, request, {}) // { body: 'failed' }
 * ```
 */
export function compileResponseMapping(integration: WebSocketIntegration, where: string): ResponseMapping {
  const lambda = integration.type === 'AWS'
  const expression =
    integration.integrationResponseSelectionExpression ??
    (lambda ? '${integration.response.body.errorMessage}' : '${integration.response.statuscode}')
  const allowed = lambda ? '${integration.response.body.errorMessage}' : '${integration.response.statuscode}'
  if (expression !== allowed)
    throw new WebSocketApiError(
      'INVALID_DEFINITION',
      `${where}: integrationResponseSelectionExpression for ${integration.type} is ${allowed}`,
    )
  const keyed: { key: Regex; response: CompiledResponse }[] = []
  let fallback: CompiledResponse | undefined
  for (const [key, response] of Object.entries(integration.integrationResponses ?? {}) as [string, WebSocketIntegrationResponse][]) {
    const compiled = compileResponse(response, `${where}: integrationResponses ${key}`)
    if (key === '$default') fallback = compiled
    else keyed.push({ key: compileKey(key, `${where}: integrationResponses`), response: compiled })
  }
  return (answer, request, stageVariables) => {
    const subject = lambda ? answer.errorMessage : String(answer.status)
    let chosen: CompiledResponse | undefined
    if (subject !== undefined) chosen = keyed.find((k) => k.key.matchesWhole(subject))?.response
    chosen ??= fallback
    if (chosen === undefined) return undefined
    return { body: chosen(answer, request, stageVariables) }
  }
}

type CompiledResponse = (answer: EndpointAnswer, request: RouteRequest, stageVariables: Record<string, string>) => string

function compileResponse(response: WebSocketIntegrationResponse, where: string): CompiledResponse {
  const templates = compileTemplates(response?.responseTemplates, `${where} responseTemplates`)
  const selection: CompiledSelection = compileSelectionExpression(response?.templateSelectionExpression ?? '\\$default', RESPONSE_VARIABLES)
  return (answer, request, stageVariables) => {
    if (templates.size === 0) return answer.body
    const variable = (name: string): string | undefined => {
      if (name === 'integration.response.statuscode') return String(answer.status)
      const header = /^integration\.response\.(?:multivalue)?header\.(.+)$/.exec(name)
      return header ? answer.headers[header[1]!.toLowerCase()] : undefined
    }
    const key = selection.select(selection.readsBody ? parseMessage(request.body)?.json : undefined, variable)
    const template = pick(templates, key)
    if (template === undefined) return answer.body
    return run(template, answer.body, request, stageVariables)
  }
}

/** One `integration.request.header.X` / `integration.request.querystring.X` and where its value comes from. */
export interface RequestParameter {
  to: 'header' | 'querystring'
  name: string
  value(request: RouteRequest, stageVariables: Record<string, string>): string | undefined
}

/**
 * Compiles `requestParameters`: `route.request.header.X` and `route.request.querystring.X` (the upgrade
 * request's, on `$connect`), `context.X`, `stageVariables.X` and `'static'` values.
 *
 * @example
 * ```ts
 * compileRequestParameters({ 'integration.request.header.connectionId': 'context.connectionId' }, 'route x')
 * ```
 */
export function compileRequestParameters(parameters: Record<string, string> | undefined, where: string): RequestParameter[] {
  const out: RequestParameter[] = []
  for (const [target, source] of Object.entries(parameters ?? {})) {
    const to = /^integration\.request\.(header|querystring)\.(.+)$/.exec(target)
    if (!to)
      throw new WebSocketApiError(
        'INVALID_DEFINITION',
        `${where}: request parameter ${target} is not integration.request.header.X or .querystring.X`,
      )
    let value: RequestParameter['value']
    const m = /^(route\.request\.header|route\.request\.querystring|context|stageVariables)\.(.+)$/.exec(source)
    if (/^'.*'$/s.test(source)) {
      const literal = source.slice(1, -1)
      value = () => literal
    } else if (m) {
      const name = m[2]!
      const lower = name.toLowerCase()
      if (m[1] === 'route.request.header') value = (r) => r.handshake?.lower.get(lower)?.at(-1)
      else if (m[1] === 'route.request.querystring') value = (r) => r.handshake?.query?.[name]
      else if (m[1] === 'context') value = (r) => contextValue(r.event.requestContext, name)
      else value = (_r, stageVariables) => stageVariables[name]
    } else {
      throw new WebSocketApiError('INVALID_DEFINITION', `${where}: request parameter ${target}: cannot map from ${JSON.stringify(source)}`)
    }
    out.push({ to: to[1] as 'header' | 'querystring', name: to[2]!, value })
  }
  return out
}

function contextValue(context: object, path: string): string | undefined {
  let at: unknown = context
  for (const step of path.split('.')) {
    if (at === null || typeof at !== 'object' || !Object.hasOwn(at, step)) return undefined
    at = (at as Record<string, unknown>)[step]
  }
  return at === undefined || at === null ? undefined : typeof at === 'object' ? JSON.stringify(at) : String(at)
}
