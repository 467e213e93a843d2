/**
 * A route's integration compiled into one runner: `AWS_PROXY` (the WebSocket event to an in-process function),
 * `HTTP_PROXY` (the message to an HTTP endpoint, its answer passed back as is), `MOCK`, and the non-proxy `HTTP`
 * and `AWS` (Lambda custom) integrations with request templates, request parameters and integration responses.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-routes-integrations.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-integration-responses.html
 */
import type { LambdaHandler } from '@gatehousejs/core'
import type { HttpBackends } from '@gatehousejs/core/http-exchange'
import { VtlError } from '@gatehousejs/vtl'
import type { WebSocketIntegration } from '../definition'
import { WebSocketApiError } from '../errors'
import { type InvokeOutcome, invoke, resolveFunction } from '../lambda'
import { bodyOf, headersOf, statusOf } from '../results'
import { callHttp } from './http-call'
import { compileRequestMapping, compileRequestParameters, compileResponseMapping, type EndpointAnswer } from './mapping'
import type { RouteOutcome, RouteRequest, RouteRunner } from './types'

export type { RouteOutcome, RouteRequest, RouteRunner } from './types'

export interface IntegrationSettings {
  functions: Record<string, LambdaHandler>
  region: string
  accountId: string
  stageVariables: Record<string, string>
  /** In-process HTTP backends by origin (checked): `HTTP` and `HTTP_PROXY` calls to them need no socket. */
  httpBackends?: HttpBackends
}

/** Handshake headers that describe the upgrade itself, not the client: never forwarded to an HTTP backend. */
const NOT_FORWARDED = new Set([
  'host',
  'connection',
  'upgrade',
  'content-length',
  'transfer-encoding',
  'keep-alive',
  'sec-websocket-key',
  'sec-websocket-version',
  'sec-websocket-extensions',
])

/** What a Lambda function's failure looks like to integration responses (the Node.js runtime's error object). */
function lambdaFailure(error: unknown): { errorMessage: string; errorType: string } {
  if (error instanceof Error) return { errorMessage: error.message, errorType: error.name || 'Error' }
  if (typeof error === 'string') return { errorMessage: error, errorType: 'string' }
  let text: string
  try {
    text = JSON.stringify(error) ?? String(error)
  } catch {
    text = String(error)
  }
  return { errorMessage: text, errorType: typeof error }
}

function isHttpUrl(uri: unknown): uri is string {
  if (typeof uri !== 'string') return false
  try {
    const u = new URL(uri)
    return u.protocol === 'http:' || u.protocol === 'https:'
  } catch {
    return false
  }
}

/**
 * Compiles one route's integration; throws {@link WebSocketApiError} for what cannot run.
 *
 * @example
 * ```ts
 * const run = compileIntegration('sendmessage', { type: 'HTTP_PROXY', uri: 'http://127.0.0.1:3000/messages' }, true, settings, 29_000)
 * const outcome = await run({ event, body: '{"action":"sendmessage"}' })
 * ```
 */
export function compileIntegration(
  key: string,
  integration: WebSocketIntegration | undefined,
  twoWay: boolean,
  settings: IntegrationSettings,
  timeoutMs: number,
): RouteRunner | undefined {
  if (integration === undefined) return undefined
  const where = `route ${key}`
  const { stageVariables } = settings
  switch (integration.type) {
    case 'AWS_PROXY': {
      if (typeof integration.uri !== 'string')
        throw new WebSocketApiError('INVALID_DEFINITION', `${where}: an AWS_PROXY integration needs a uri`)
      const fn = resolveFunction(integration.uri, settings.functions, settings.region, settings.accountId, where)
      // The message path: one promise reaction after the function's, and a runner that never rejects (its own
      // failures become outcomes here), so runSafely adds none.
      const proxyOutcome = (outcome: InvokeOutcome): RouteOutcome => {
        if (!outcome.ok)
          return outcome.timeout ? { ok: false, kind: 'timeout', error: undefined } : { ok: false, kind: 'error', error: outcome.error }
        try {
          const headers = headersOf(outcome.value)
          return headers
            ? { ok: true, status: statusOf(outcome.value), body: bodyOf(outcome.value), headers }
            : { ok: true, status: statusOf(outcome.value), body: bodyOf(outcome.value) }
        } catch (error) {
          return failed(error)
        }
      }
      const run: RouteRunner = (request) => invoke(fn, request.event, request.event.requestContext.requestId, timeoutMs).then(proxyOutcome)
      NEVER_REJECTS.add(run)
      return run
    }
    case 'HTTP_PROXY':
    case 'HTTP': {
      if (!isHttpUrl(integration.uri))
        throw new WebSocketApiError('INVALID_DEFINITION', `${where}: an ${integration.type} integration needs an http(s) uri`)
      const uri = integration.uri
      const method = (integration.integrationMethod ?? 'POST').toUpperCase()
      if (!/^[A-Z]+$/.test(method))
        throw new WebSocketApiError('INVALID_DEFINITION', `${where}: integrationMethod ${method} is not an HTTP method`)
      const proxy = integration.type === 'HTTP_PROXY'
      const parameters = compileRequestParameters(integration.requestParameters, where)
      const mapRequest = proxy ? undefined : compileRequestMapping(integration, where)
      // Compiled (so checked) on one-way routes too, where API Gateway ignores them.
      const responses = proxy ? undefined : compileResponseMapping(integration, where)
      const mapResponse = twoWay ? responses : undefined
      return async (request) => {
        const payload = mapRequest === undefined ? request.body : mapRequest(request, stageVariables)
        if (payload === undefined) return { ok: false, kind: 'client', message: 'Unsupported Media Type' }
        const headers: Record<string, string> = {}
        const url = new URL(uri)
        if (proxy && request.handshake !== undefined) {
          for (const [name, values] of request.handshake.lower) if (!NOT_FORWARDED.has(name)) headers[name] = values.join(', ')
          for (const [k, v] of Object.entries(request.handshake.query ?? {})) url.searchParams.append(k, v)
        }
        for (const p of parameters) {
          const value = p.value(request, stageVariables)
          if (value === undefined) continue
          if (p.to === 'header') headers[p.name.toLowerCase()] = value
          else url.searchParams.set(p.name, value)
        }
        const out = await callHttp({ method, url, headers, body: payload, timeoutMs, backends: settings.httpBackends })
        if (!out.ok) return out.timeout ? { ok: false, kind: 'timeout', error: undefined } : { ok: false, kind: 'error', error: out.error }
        return respond(mapResponse, out.answer, request, stageVariables)
      }
    }
    case 'AWS': {
      if (typeof integration.uri !== 'string') throw new WebSocketApiError('INVALID_DEFINITION', `${where}: an AWS integration needs a uri`)
      const fn = resolveFunction(integration.uri, settings.functions, settings.region, settings.accountId, where)
      const mapRequest = compileRequestMapping(integration, where)
      const responses = compileResponseMapping(integration, where)
      const mapResponse = twoWay ? responses : undefined
      return async (request) => {
        const payload = mapRequest(request, stageVariables)
        if (payload === undefined) return { ok: false, kind: 'client', message: 'Unsupported Media Type' }
        let event: unknown = {}
        if (payload.trim() !== '') {
          try {
            event = JSON.parse(payload)
          } catch {
            // What Lambda's invoke answers to a payload that is not JSON, as API Gateway relays it.
            return { ok: false, kind: 'client', message: 'Could not parse request body into json' }
          }
        }
        const outcome = await invoke(fn, event, request.event.requestContext.requestId, timeoutMs)
        if (!outcome.ok && outcome.timeout) return { ok: false, kind: 'timeout', error: undefined }
        // Lambda answers 200 either way; a function error is its error object, which the keys match by errorMessage.
        const answer: EndpointAnswer = outcome.ok
          ? { status: 200, headers: {}, body: JSON.stringify(outcome.value ?? null) }
          : (() => {
              const failure = lambdaFailure(outcome.error)
              return { status: 200, headers: {}, body: JSON.stringify(failure), errorMessage: failure.errorMessage }
            })()
        return respond(mapResponse, answer, request, stageVariables)
      }
    }
    case 'MOCK': {
      const mapRequest = compileRequestMapping(integration, where)
      const responses = integration.integrationResponses !== undefined ? compileResponseMapping(integration, where) : undefined
      const mapResponse = twoWay ? responses : undefined
      return async (request) => {
        const payload = mapRequest(request, stageVariables)
        if (payload === undefined) return { ok: false, kind: 'client', message: 'Unsupported Media Type' }
        // As REST APIs' MOCK: the request template's `statusCode` is the integration response's status.
        let status = 200
        const parsed = integration.requestTemplates === undefined ? undefined : safeJson(payload)
        if (parsed !== null && typeof parsed === 'object' && 'statusCode' in parsed) {
          const code = Number((parsed as { statusCode: unknown }).statusCode)
          if (Number.isInteger(code) && code >= 100 && code <= 599) status = code
        }
        if (mapResponse === undefined) return { ok: true, status, body: undefined }
        return respond(mapResponse, { status, headers: {}, body: '' }, request, stageVariables)
      }
    }
    default:
      throw new WebSocketApiError(
        'INVALID_DEFINITION',
        `${where}: integration type ${JSON.stringify((integration as { type: unknown }).type)} is not supported (AWS_PROXY, HTTP_PROXY, HTTP, AWS, MOCK)`,
      )
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

function respond(
  mapResponse: ReturnType<typeof compileResponseMapping> | undefined,
  answer: EndpointAnswer,
  request: RouteRequest,
  stageVariables: Record<string, string>,
): RouteOutcome {
  if (mapResponse === undefined) return { ok: true, status: answer.status, body: answer.body, headers: answer.headers }
  const mapped = mapResponse(answer, request, stageVariables)
  if (mapped === undefined) {
    // API Gateway logs "Execution failed due to configuration error: No match for output mapping and no default
    // output mapping configured" and the client gets the internal error.
    return {
      ok: false,
      kind: 'error',
      error: new Error(
        `No match for output mapping and no default output mapping configured. Endpoint Response Status Code: ${answer.status}`,
      ),
    }
  }
  return { ok: true, status: answer.status, body: mapped.body, headers: answer.headers }
}

/**
 * Runs a runner, turning a template's failure on the client's payload into a client outcome.
 *
 * @example
 * ```ts
 * const outcome = await runSafely(run, request)
 * ```
 */
export function runSafely(run: RouteRunner, request: RouteRequest): Promise<RouteOutcome> {
  if (NEVER_REJECTS.has(run)) return run(request)
  try {
    return run(request).then(undefined, failed)
  } catch (error) {
    return Promise.resolve(failed(error))
  }
}

/** Runners that turn every failure into an outcome themselves. */
const NEVER_REJECTS = new WeakSet<RouteRunner>()

function failed(error: unknown): RouteOutcome {
  if (error instanceof VtlError && error.code === 'VTL_INVALID_PAYLOAD')
    return { ok: false, kind: 'client', message: 'Could not process payload' }
  return { ok: false, kind: 'error', error }
}
