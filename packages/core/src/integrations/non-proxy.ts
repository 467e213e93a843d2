/**
 * Non-proxy integrations: `AWS` to in-process Lambda functions (the integration request payload is the event; the
 * function's result, or its error as Lambda reports one, is the integration response) and `HTTP` (the payload is
 * the body sent to the URL; mapped headers, query-string and path parameters only).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-custom-integrations.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/handle-errors-in-lambda-integration.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/setup-http-integrations.html
 */
import type { CompiledApi } from '../model'
import type { IntegrationDefinition } from '../definition'
import { toText } from '../errors'
import { failure, type GatewayFailure } from '../gateway-responses'
import { bodyBytes, isHopByHop } from '../http'
import type { RequestState } from '../state'
import { sendHttp } from './http-proxy'
import { expandFailure, expandUriTemplate, isGreedyParam, parseUriTemplate, withQuery, type HttpTarget } from './uri-template'
import type { IntegrationResult } from '../model'
import { invoke, type ResolvedFunction } from './lambda'
import { compileRequestMapping } from './request-mapping'
import { compileResponseMapping, type EndpointResponse } from './response-mapping'

/**
 * A Lambda function's error as the Lambda service reports it, and as API Gateway hands it to integration
 * responses (the Node.js runtime's shape: `errorType` is the error's name, `errorMessage` its message).
 *
 * @example
 * ```ts
 * lambdaError(new TypeError('bad')) // { errorMessage: 'bad', errorType: 'TypeError', stackTrace: ['at …'] }
 * ```
 */
export function lambdaError(error: unknown): { errorMessage: string; errorType: string; stackTrace: string[] } {
  if (error instanceof Error) {
    const stack = typeof error.stack === 'string' ? error.stack.split('\n').slice(1).map((l) => l.trim()).filter((l) => l !== '') : []
    return { errorMessage: toText(error.message), errorType: error.name || 'Error', stackTrace: stack }
  }
  // The Node.js runtime reports a non-Error rejection (`callback('Not found')`) by its JS type.
  if (typeof error === 'string') return { errorMessage: error, errorType: 'string', stackTrace: [] }
  let message: string
  try {
    message = JSON.stringify(error) ?? String(error)
  } catch {
    message = String(error)
  }
  return { errorMessage: message, errorType: typeof error, stackTrace: [] }
}

/** Jackson's words (as API Gateway relays Lambda's) for a payload Lambda cannot read; `why` is V8's parse error. */
function unparsable(payload: string, why: string): GatewayFailure {
  const text = payload.trim()
  const word = /^[A-Za-z_$][^\s,:{}[\]"]*/.exec(text)?.[0]
  let detail: string
  if (word !== undefined) {
    detail = `Unrecognized token '${word.slice(0, 64)}': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')`
  } else {
    const at = /position (\d+)/.exec(why)
    const ch = at ? payload.charAt(Number(at[1])) : ''
    detail = ch === '' ? 'Unexpected end-of-input' : `Unexpected character ('${ch}' (code ${ch.charCodeAt(0)}))`
  }
  return failure('DEFAULT_4XX', `Could not parse request body into json: Could not parse payload into json: ${detail}`, { status: 400 })
}

/** The event a Lambda function gets: the payload as JSON (an empty payload is `{}`), or a refusal. */
function lambdaEvent(payload: string | Uint8Array): { ok: true; event: unknown } | { ok: false; refusal: GatewayFailure } {
  const text = typeof payload === 'string' ? payload : bodyBytes(payload).toString('utf8')
  if (text.trim() === '') return { ok: true, event: {} }
  try {
    return { ok: true, event: JSON.parse(text) }
  } catch (e) {
    return { ok: false, refusal: unparsable(text, e instanceof Error ? e.message : '') }
  }
}

function serialise(value: unknown): { ok: true; text: string } | { ok: false; error: unknown } {
  try {
    // Lambda returns `null` for a function that returns nothing.
    return { ok: true, text: JSON.stringify(value === undefined ? null : value) ?? 'null' }
  } catch (error) {
    return { ok: false, error }
  }
}

/**
 * `AWS` integration to an in-process Lambda function (`arn:aws:apigateway:…:lambda:path/…/invocations`).
 *
 * @example
 * ```ts
 * const run = compileLambdaIntegration(integration, fn, api, timeout, '/paths/~1a/get/x-amazon-apigateway-integration')
 * ```
 */
export function compileLambdaIntegration(
  integration: IntegrationDefinition,
  fn: ResolvedFunction,
  api: CompiledApi,
  timeoutMs: number,
  at: string,
): (state: RequestState) => Promise<IntegrationResult> {
  const mapRequest = compileRequestMapping(integration, api, at)
  const mapResponse = compileResponseMapping(integration, api, at)
  const timedOut = failure('INTEGRATION_TIMEOUT')
  return async (state) => {
    const req = mapRequest(state)
    if ('type' in req) return req
    const event = lambdaEvent(req.body)
    if (!event.ok) return event.refusal
    const outcome = await invoke(fn, event.event, state.requestId, timeoutMs)
    let text: string | undefined
    let error: unknown
    if (outcome.ok) {
      const s = serialise(outcome.value)
      if (s.ok) text = s.text
      else error = s.error
    } else if (outcome.timeout) return timedOut
    else error = outcome.error
    let endpoint: EndpointResponse
    if (text !== undefined) {
      endpoint = { statusCode: 200, headers: { 'content-type': 'application/json' }, body: text, selector: '' }
    } else {
      // Lambda answers 200 with X-Amz-Function-Error; selection patterns match the errorMessage.
      const err = lambdaError(error)
      endpoint = {
        statusCode: 200,
        headers: { 'content-type': 'application/json', 'x-amz-function-error': 'Unhandled' },
        body: JSON.stringify(err),
        selector: err.errorMessage,
      }
    }
    return mapResponse(state, endpoint, req.context)
  }
}

async function send(target: HttpTarget, method: string, headers: Record<string, string>, body: Buffer, timeoutMs: number): Promise<EndpointResponse | GatewayFailure> {
  const out = await sendHttp(target, method, headers, body, timeoutMs)
  return 'statusCode' in out ? { ...out, selector: toText(out.statusCode) } : out
}

/**
 * Which URI placeholders keep `/` as a separator: a `{name+}` in the URI, or a value mapped (or defaulted) from
 * the method's greedy `{proxy+}` path parameter. Decided per route, once.
 */
function greedySource(integration: IntegrationDefinition, name: string): string {
  const from = integration.requestParameters?.[`integration.request.path.${name}`]
  if (from === undefined) return name
  const m = /^method\.request\.path\.(.+)$/.exec(from)
  return m ? m[1]! : ''
}

/**
 * `HTTP` (non-proxy) integration: only what the integration request maps reaches the backend.
 *
 * @example
 * ```ts
 * const run = compileHttpIntegration(integration, 'https://backend.example.com/pets/{id}', api, 29000, '/x')
 * ```
 */
export function compileHttpIntegration(
  integration: IntegrationDefinition,
  uri: string,
  api: CompiledApi,
  timeoutMs: number,
  at: string,
): (state: RequestState) => Promise<IntegrationResult> {
  // Parsed once; per request values are encoded into it, never re-resolved (see http-proxy.ts).
  const template = parseUriTemplate(uri, `${at}/uri`)
  const sources = new Map(template.names.map((name) => [name, greedySource(integration, name)]))
  const fixed = (integration.httpMethod ?? 'ANY').toUpperCase()
  const mapRequest = compileRequestMapping(integration, api, at)
  const mapResponse = compileResponseMapping(integration, api, at)
  const userAgent = `AmazonAPIGateway_${api.apiId}`
  return async (state) => {
    const req = mapRequest(state)
    if ('type' in req) return req
    const mapped = req.path
    const params = state.params
    const expanded = expandUriTemplate(template, {
      // A mapped value, else the method's own path parameter of that name.
      value: (name) => (Object.hasOwn(mapped, name) ? mapped[name] : Object.hasOwn(params, name) ? params[name] : undefined),
      greedy: (name, written) => written || isGreedyParam(state, sources.get(name) ?? ''),
      decoded: false,
    })
    if (typeof expanded === 'string') return expandFailure(expanded)
    const target = req.query.length === 0 ? expanded : withQuery(expanded, new URLSearchParams(req.query).toString())
    const body = bodyBytes(req.body)
    const headers: Record<string, string> = { 'user-agent': userAgent, 'x-amzn-apigateway-api-id': api.apiId }
    if (req.contentType !== undefined) headers['content-type'] = req.contentType
    for (const [name, value] of Object.entries(req.headers)) {
      const lower = name.toLowerCase()
      if (isHopByHop(lower) || lower === 'host' || lower === 'content-length') continue
      headers[lower] = value
    }
    if (body.length > 0) headers['content-length'] = String(body.length)
    const endpoint = await send(target, fixed === 'ANY' ? state.request.method : fixed, headers, body, timeoutMs)
    if ('type' in endpoint) return endpoint
    return mapResponse(state, endpoint, req.context)
  }
}
