/**
 * Execution logs (REST APIs): what API Gateway writes to `API-Gateway-Execution-Logs_{rest-api-id}/{stage}` per the
 * stage's `methodSettings.loggingLevel` (`OFF`, `ERROR`, `INFO`; `*` `/` `*` or per method) and `dataTraceEnabled`,
 * here to the `logger` option (pino or anything with `info`/`warn`/`error(fields, message)`; default: the console,
 * message only). With `ERROR`, only the failure lines; with `INFO`, every event; with data trace, the request's and
 * response's data too. Secrets are redacted and lines truncated at 1 KB (./redact.ts).
 *
 * Two stages: the first (before every other stage) opens the request's log (`state.log`) and writes "Extended
 * Request Id"; the second (after authorization, API key and usage plan) writes the authorizer's, the usage plan's and
 * the method request's lines. Integrations write the endpoint lines, `state.reportFailure` the failure lines, and
 * this feature's observer the method response and "Method completed with status" when the answer is made.
 * HTTP APIs have no execution logs (access logs only).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-execution-logging.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
 * https://repost.aws/knowledge-center/api-gateway-logs
 */
import { GatewayConfigError } from '../../errors'
import type { GatewayFailure } from '../../gateway-responses'
import { lastHeaderValue } from '../../http'
import { isObject } from '../../json'
import { canonicalMethodKey, EVERY_METHOD } from '../../method-settings'
import type { RequestObserver } from '../../observe'
import type { RequestState } from '../../state'
import { type Feature, type GatewayContext, type RouteContext, type Stage, stateKey } from '../types'
import { captureEnabled, capturedLines } from './capture'
import { ExecutionLog, type LogSink } from './log'
import type { ExecutionLogger, ExecutionLogSettings } from './options'
import { formatHeaders, formatPairs, mask, requestSecrets } from './redact'

export { captureExecutionLog, enableExecutionLogCapture, type ExecutionLogCapture } from './capture'
export { ExecutionLog } from './log'
export type { ExecutionLogFields, ExecutionLogger, ExecutionLogLine, ExecutionLogSettings, LoggingLevel } from './options'

interface LogConfig {
  logger: ExecutionLogger
  /** Method settings by canonical key (`/pets/GET`, `/pets/*`, `*` `/` `*`). */
  settings: Map<string, ExecutionLogSettings>
}

const CONFIG = stateKey<LogConfig | null>('execution-log')
const LEVELS = { OFF: 0, ERROR: 1, INFO: 2 } as const

/** The console, message only: what a user sees on the terminal of `gatehouse serve` without a logger. */
const consoleLogger: ExecutionLogger = {
  info: (_fields, message) => console.log(message),
  warn: (_fields, message) => console.warn(message),
  error: (_fields, message) => console.error(message),
}

function configure({ api, input, warn }: GatewayContext): LogConfig | null {
  const logger = input.logger
  if (
    logger !== undefined &&
    !['info', 'warn', 'error'].every((m) => typeof (logger as unknown as Record<string, unknown>)[m] === 'function')
  ) {
    throw new GatewayConfigError('INVALID_OPTION', '`logger` must have info, warn and error methods (a pino logger, or a console wrapper)')
  }
  const settings = new Map<string, ExecutionLogSettings>()
  const stage = typeof input.stage === 'object' ? input.stage : undefined
  if (api.apiType !== 'REST') {
    // HTTP APIs have access logs only (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging.html).
    const routeSettings: unknown = stage?.routeSettings
    const all: [string, unknown][] = [['defaultRouteSettings', stage?.defaultRouteSettings]]
    for (const [k, v] of Object.entries(isObject(routeSettings) ? routeSettings : {})) all.push([`routeSettings["${k}"]`, v])
    for (const [where, value] of all) {
      for (const field of ['loggingLevel', 'dataTraceEnabled']) {
        if (isObject(value) && Object.hasOwn(value, field))
          warn({
            code: 'IGNORED_SETTING',
            message: `stage ${where}.${field} is ignored: HTTP APIs have no execution logs (access logs only)`,
            pointer: '',
          })
      }
    }
    return null
  }
  const methodSettings: unknown = stage?.methodSettings
  for (const [key, value] of Object.entries(isObject(methodSettings) ? methodSettings : {})) {
    if (!isObject(value)) continue
    const { loggingLevel, dataTraceEnabled } = value as ExecutionLogSettings
    if (loggingLevel !== undefined && !Object.hasOwn(LEVELS, loggingLevel)) {
      throw new GatewayConfigError('INVALID_OPTION', `stage methodSettings["${key}"].loggingLevel must be OFF, ERROR or INFO`)
    }
    if (dataTraceEnabled !== undefined && typeof dataTraceEnabled !== 'boolean') {
      throw new GatewayConfigError('INVALID_OPTION', `stage methodSettings["${key}"].dataTraceEnabled must be a boolean`)
    }
    const canonical = canonicalMethodKey(key)
    if (canonical !== null && (loggingLevel !== undefined || dataTraceEnabled !== undefined))
      settings.set(canonical, { loggingLevel, dataTraceEnabled })
  }
  if (settings.size === 0 && logger !== undefined)
    warn({
      code: 'IGNORED_SETTING',
      message: '`logger` is given but no method sets loggingLevel: no execution log is written',
      pointer: '',
    })
  return { logger: logger ?? consoleLogger, settings }
}

/** The route's sink: each field from the narrowest method setting that sets it. */
function sinkFor(config: LogConfig, resourcePath: string, httpMethod: string): LogSink {
  const methodKey = canonicalMethodKey(`${resourcePath}/${httpMethod}`)
  const candidates = methodKey === null ? [EVERY_METHOD] : [methodKey, `${resourcePath}/*`, EVERY_METHOD]
  let level: ExecutionLogSettings['loggingLevel']
  let dataTrace: boolean | undefined
  for (const c of candidates) {
    const s = config.settings.get(c)
    level ??= s?.loggingLevel
    dataTrace ??= s?.dataTraceEnabled
  }
  return { logger: config.logger, level: LEVELS[level ?? 'OFF'], dataTrace: dataTrace ?? false }
}

/** Header and query names of the route's authorizer identity sources (masked like credentials). */
function identityNames(ctx: RouteContext): { headers: Set<string>; query: Set<string>; lambda: string | undefined } {
  const headers = new Set<string>()
  const query = new Set<string>()
  const name = ctx.method.authorizer
  const authorizer = name === undefined ? undefined : ctx.definition.authorizers?.[name]
  for (const source of (authorizer?.identitySource ?? '').split(',')) {
    const m = /^\s*\$?(?:method\.)?request\.(header|querystring)\.(.+?)\s*$/.exec(source)
    if (m) (m[1] === 'header' ? headers : query).add(m[1] === 'header' ? m[2]!.toLowerCase() : m[2]!)
  }
  if (authorizer?.type === 'TOKEN' && authorizer.identitySource === undefined) headers.add('authorization')
  const lambda = authorizer?.type === 'TOKEN' || authorizer?.type === 'REQUEST' ? name : undefined
  return { headers, query, lambda }
}

function config(ctx: GatewayContext): LogConfig | null {
  return ctx.state.get(CONFIG, () => configure(ctx))
}

/**
 * The first stage of every REST route: opens the request's log when the route logs or the caller captures it.
 *
 * @example
 * ```ts
 * createGateway({ api, stage: { stageName: 'prod', methodSettings: { [EVERY_METHOD]: { loggingLevel: 'INFO' } } }, logger: pino() })
 * ```
 */
export const executionLogFeature: Feature = {
  name: 'execution-log',
  validate(gateway) {
    config(gateway)
  },
  compileRoute(ctx) {
    const cfg = config(ctx)
    if (cfg === null) return null
    const sink = sinkFor(cfg, ctx.resourcePath, ctx.httpMethod)
    const on = sink.level > 0
    // A method that logs nothing pays nothing, unless tests capture its log (`enableExecutionLogCapture`).
    if (!on && !captureEnabled()) return null
    const { headers, query, lambda } = identityNames(ctx)
    const before: Stage = (state) => {
      const capture = capturedLines(state.request)
      if (!on && capture === undefined) return undefined
      const secrets = requestSecrets(state.request.headers, state.query, headers, query).values
      const log = new ExecutionLog(state, sink, capture, secrets, headers, query)
      log.authorizer = lambda
      state.log = log
      log.info(`Extended Request Id: ${state.extendedRequestId}`)
      return undefined
    }
    return { before }
  },
  observe(gateway) {
    const cfg = config(gateway)
    if (cfg === null) return null
    const logs = [...cfg.settings.values()].some((s) => s.loggingLevel === 'ERROR' || s.loggingLevel === 'INFO')
    return logs || captureEnabled() ? observer : null
  },
}

/**
 * The second stage: after authorization, API key and usage plan, the lines API Gateway writes before it starts the
 * method's execution (authorizer, usage plan), then the method request's.
 *
 * @example
 * ```ts
 * // Listed in features/index.ts after usagePlansFeature.
 * ```
 */
export const executionLogMethodFeature: Feature = {
  name: 'execution-log-method',
  compileRoute(ctx) {
    const cfg = config(ctx)
    if (cfg === null || (sinkFor(cfg, ctx.resourcePath, ctx.httpMethod).level === 0 && !captureEnabled())) return null
    const method = `'${ctx.httpMethod} ${ctx.resourcePath}'`
    const keyRequired = ctx.method.apiKeyRequired === true
    const before: Stage = (state) => {
      const log = state.log
      if (log === undefined) return undefined
      log.started = true
      const id = state.requestId
      if (log.authorizer !== undefined) {
        log.info(`Starting authorizer: ${log.authorizer} for request: ${id}`)
        log.info('Successfully completed authorizer execution')
      }
      const apiStage = `${state.api.apiId}/${state.api.stage}`
      const key = state.identity.apiKey
      if (key) log.addSecret(key)
      const shown = key ? `${mask(key, 4)} ` : ''
      log.info(`Verifying Usage Plan for request: ${id}. API Key: ${shown}API Stage: ${apiStage}`)
      if (!keyRequired)
        log.info(
          `API Key ${shown}authorized because method ${method} does not require API Key. Request will not contribute to throttle or quota limits`,
        )
      log.info(`Usage Plan check succeeded for API Key ${shown}and API Stage ${apiStage}`)
      log.info(`Starting execution for request: ${id}`)
      log.info(`HTTP Method: ${state.request.method}, Resource Path: ${state.path}`)
      if (log.tracing) methodRequest(log, state)
      return undefined
    }
    return { before }
  },
}

function methodRequest(log: ExecutionLog, state: RequestState): void {
  log.data(() => `Method request path: ${formatPairs(Object.entries(state.params), log.secretQuery)}`)
  log.data(() => `Method request query string: ${formatPairs(state.query, log.secretQuery)}`)
  log.data(() => `Method request headers: ${formatHeaders(state.request.headers, log.secretHeaders)}`)
  log.data(() => `Method request body before transformations: ${bodyString(state.request.body)}`)
}

function bodyString(body: string | Uint8Array | undefined): string {
  if (body === undefined) return ''
  return typeof body === 'string' ? body : new TextDecoder().decode(body.length > 2048 ? body.subarray(0, 2048) : body)
}

/** The final lines, when the answer is made: refusals not logged yet, the method response, the status. */
const observer: RequestObserver = {
  done(state, response) {
    const log = state.log
    if (log === undefined) return
    const failure = state.failure
    if (failure !== undefined && !log.failed) refusal(log, state, failure)
    if (state.cacheOutcome === 'hit') log.info('Sending response from cache')
    if (failure === undefined && !log.failed) {
      log.data(() => `Method response body after transformations: ${bodyString(response.body)}`)
      log.data(() => `Method response headers: ${formatHeaders(response.headers, log.secretHeaders)}`)
      log.info('Successfully completed execution')
    }
    log.write(response.statusCode >= 500 ? 'error' : 'info', `Method completed with status: ${response.statusCode}`)
  },
}

/** `$context.error.validationErrorString` is escaped for a JSON string: the log shows it plain. */
function unescapeJson(text: string): string {
  try {
    return JSON.parse(`"${text}"`) as string
  } catch {
    return text
  }
}

/** A request the gateway refused before its method ran, in API Gateway's words where it has them. */
function refusal(log: ExecutionLog, state: RequestState, failure: GatewayFailure): void {
  const id = state.requestId
  const type = failure.type
  if (type === 'BAD_REQUEST_BODY' && failure.validationErrorString !== undefined) {
    const contentType = lastHeaderValue(state.request.headers, 'content-type')?.split(';')[0]?.trim() ?? 'application/json'
    log.write(
      'warn',
      `Request body does not match model schema for content type ${contentType}: ${unescapeJson(failure.validationErrorString)}`,
    )
    return
  }
  if ((type === 'UNAUTHORIZED' || type === 'ACCESS_DENIED') && log.authorizer !== undefined && !log.started) {
    log.info(`Starting authorizer: ${log.authorizer} for request: ${id}`)
    log.write('warn', `Unauthorized request: ${id}`)
    return
  }
  if (type === 'INVALID_API_KEY') {
    const key = state.request.headers['x-api-key']
    const value = typeof key === 'string' ? key : key?.[0]
    const shown = value ? `${mask(value, 4)} ` : ''
    const apiStage = `${state.api.apiId}/${state.api.stage}`
    const why = value ? 'Invalid API Key identifier specified' : 'API Key was required but not present'
    log.info(`Verifying Usage Plan for request: ${id}. API Key: ${shown}API Stage: ${apiStage}`)
    log.write(
      'warn',
      `API Key ${shown}not authorized because method '${state.request.method} ${state.route.resourcePath}' requires API Key and API Key is not associated with a Usage Plan for API Stage ${apiStage}: ${why}`,
    )
  }
}
