/**
 * One request's execution log: the handle a request's stages write to (`state.log`, undefined when nothing is
 * logged, so a stage pays one `if`). Lines are worded as API Gateway writes them to CloudWatch, each prefixed with
 * `(requestId)`; secrets redacted and each line truncated at 1 KB (./redact.ts).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-execution-logging.html
 * https://repost.aws/knowledge-center/api-gateway-logs
 */
import type { GatewayResponseType } from '../../gateway-responses'
import type { InvokeOutcome } from '../../integrations/lambda'
import { type ErrorReporter, type GatewayErrorStage, reportError } from '../../report'
import type { HeaderMap } from '../../types'
import type { ExecutionLogFields, ExecutionLogger, ExecutionLogLine } from './options'
import { formatHeaders, MAX_LINE_BYTES, redactValues, secretForms, truncate } from './redact'

/** Where one request's lines go: the gateway's logger at its level for the route, and a capture (testInvoke). */
export interface LogSink {
  logger: ExecutionLogger | undefined
  /** 0 off, 1 `ERROR`, 2 `INFO`. */
  level: 0 | 1 | 2
  dataTrace: boolean
}

type Level = ExecutionLogLine['level']

/** What a log reads of its request's state (not `RequestState` itself: state.ts holds the log). */
export interface LogState {
  readonly requestId: string
  readonly extendedRequestId: string
  readonly api: { readonly stage: string; readonly apiId: string; readonly onError?: ErrorReporter; now(): number }
  readonly request: { readonly method: string }
  readonly route: { readonly resourcePath: string }
}
type Text = string | (() => string)

/** The kind of endpoint a request's integration called, for the wording of its failure lines. */
export type EndpointKind = 'lambda' | 'http' | 'aws' | 'mock'

/**
 * One request's execution log (`state.log`), opened by the execution-log feature's first stage.
 *
 * @example
 * ```ts
 * state.log?.info(`Starting execution for request: ${state.requestId}`)
 * state.log?.lambdaRequest(api.region, fn.arn, event)
 * ```
 */
export class ExecutionLog {
  readonly fields: ExecutionLogFields
  /** Set once the method request was logged (the usage-plan and method-request lines). */
  started = false
  /** Set once a failure line was written (not repeated by the final lines). */
  failed = false
  /** The route's Lambda authorizer (TOKEN or REQUEST), for its lines. */
  authorizer: string | undefined = undefined
  private endpoint: EndpointKind | undefined
  private sentAt = 0
  private loggerBroken = false

  constructor(
    private readonly state: LogState,
    private readonly sink: LogSink,
    private readonly capture: ExecutionLogLine[] | undefined,
    /** Every form of the request's secret values (`secretForms`), replaced wherever they appear. */
    private readonly secrets: string[],
    /** Header names masked besides the standard ones (the route's identity sources). */
    readonly secretHeaders: ReadonlySet<string>,
    readonly secretQuery: ReadonlySet<string>,
  ) {
    this.fields = {
      requestId: state.requestId,
      extendedRequestId: state.extendedRequestId,
      stage: state.api.stage,
      routeKey: `${state.request.method} ${state.route.resourcePath}`,
      apiId: state.api.apiId,
    }
  }

  /**
   * One more value no line may show (an API key an authorizer returned, known only once it ran).
   *
   * @example
   * ```ts
   * if (state.identity.apiKey) state.log?.addSecret(state.identity.apiKey)
   * ```
   */
  addSecret(value: string): void {
    if (value.length < 3 || this.secrets.includes(value)) return
    const all = secretForms([value, ...this.secrets])
    this.secrets.length = 0
    this.secrets.push(...all)
  }

  /** Whether a data line (`dataTraceEnabled`) would go anywhere: build its text only then. */
  get tracing(): boolean {
    return this.capture !== undefined || (this.sink.level === 2 && this.sink.dataTrace && this.sink.logger !== undefined)
  }

  /**
   * Write one line: `info` lines at `INFO` only, `warn` and `error` at `ERROR` too; a data line only with data trace.
   *
   * @example
   * ```ts
   * state.log?.write('info', `Starting execution for request: ${state.requestId}`)
   * ```
   */
  write(level: Level, text: Text, data = false): void {
    const { sink } = this
    const toLogger =
      sink.logger !== undefined &&
      (level === 'info' ? sink.level === 2 : sink.level >= 1) &&
      (!data || (sink.dataTrace && sink.level === 2))
    if (!toLogger && this.capture === undefined) return
    let message = typeof text === 'string' ? text : text()
    // Bounded work: only what can still show after truncation is kept (every secret in it whole) and searched.
    const room = MAX_LINE_BYTES + (this.secrets[0]?.length ?? 0)
    const cut = message.length > room
    if (cut) message = message.slice(0, room)
    if (this.secrets.length > 0) message = redactValues(message, this.secrets)
    const prefix = `(${this.fields.requestId}) `
    message = truncate(prefix + message, MAX_LINE_BYTES, cut).slice(prefix.length)
    if (level === 'error') this.failed = true
    if (toLogger && !this.loggerBroken) {
      try {
        sink.logger![level](this.fields, prefix + message)
      } catch (error) {
        // The user's logger failed: the operator hears of it once per request, the request goes on.
        this.loggerBroken = true
        const { requestId, routeKey } = this.fields
        reportError(this.state.api.onError, error, { requestId, routeKey, stage: 'execution-log', responseType: null })
      }
    }
    this.capture?.push({ ...this.fields, level, message, time: this.state.api.now() })
  }

  info(text: Text): void {
    this.write('info', text)
  }

  /** A line of request or response data (`dataTraceEnabled`). */
  data(text: Text): void {
    this.write('info', text, true)
  }

  /**
   * The integration's request: its URI, headers and body after transformations, then "Sending request to".
   *
   * @example
   * ```ts
   * state.log?.endpointRequest('lambda', 'https://lambda.us-east-1.amazonaws.com/…/invocations', {}, event)
   * ```
   */
  endpointRequest(
    kind: EndpointKind,
    uri: string,
    headers: HeaderMap | Record<string, string | string[] | undefined>,
    body: unknown,
  ): void {
    this.endpoint = kind
    this.sentAt = this.state.api.now()
    this.info(`Endpoint request URI: ${uri}`)
    this.data(() => `Endpoint request headers: ${formatHeaders(headers, this.secretHeaders)}`)
    this.data(() => `Endpoint request body after transformations: ${bodyText(body)}`)
    this.info(`Sending request to ${uri}`)
  }

  /**
   * The integration's answer: status and latency, headers and body before transformations.
   *
   * @example
   * ```ts
   * state.log?.endpointResponse(200, { 'content-type': 'application/json' }, '{"ok":true}')
   * ```
   */
  endpointResponse(status: number, headers: HeaderMap | Record<string, string | string[] | undefined>, body: unknown): void {
    this.info(
      `Received response. Status: ${status}, Integration latency: ${Math.max(0, Math.round(this.state.api.now() - this.sentAt))} ms`,
    )
    this.data(() => `Endpoint response headers: ${formatHeaders(headers, this.secretHeaders)}`)
    this.data(() => `Endpoint response body before transformations: ${bodyText(body)}`)
  }

  /**
   * A Lambda function's invocation, as API Gateway's logs show it (the Lambda Invoke API's URL).
   *
   * @example
   * ```ts
   * state.log?.lambdaRequest('us-east-1', 'arn:aws:lambda:us-east-1:123456789012:function:getPet', event)
   * ```
   */
  lambdaRequest(region: string, functionArn: string, event: unknown): void {
    const uri = `https://lambda.${region}.amazonaws.com/2015-03-31/functions/${functionArn}/invocations`
    this.endpointRequest('lambda', uri, { 'x-amzn-lambda-integration-tag': this.state.requestId }, event)
  }

  /**
   * A Lambda function's answer: its result, or the error it threw as Lambda reports one (status 200,
   * `X-Amz-Function-Error: Unhandled`); nothing for a timeout (no answer came).
   *
   * @example
   * ```ts
   * state.log?.lambdaResponse(await invoke(fn, event, state.requestId, timeoutMs))
   * ```
   */
  lambdaResponse(outcome: InvokeOutcome): void {
    // Lambda answers with the result serialised as JSON: a string result shows in its quotes.
    if (outcome.ok) return this.endpointResponse(200, { 'Content-Type': 'application/json' }, () => jsonText(outcome.value))
    if (outcome.timeout) return
    const e = outcome.error
    const error = e instanceof Error ? { errorType: e.name, errorMessage: e.message } : { errorType: 'Error', errorMessage: String(e) }
    this.endpointResponse(200, { 'Content-Type': 'application/json', 'X-Amz-Function-Error': 'Unhandled' }, error)
  }

  /**
   * An HTTP backend's request (the target URL without user info) and, with `out`, its answer.
   *
   * @example
   * ```ts
   * state.log?.httpRequest({ protocol: 'https:', hostname: 'backend.example.com', port: undefined, path: '/pets' }, headers, body)
   * ```
   */
  httpRequest(
    target: { protocol: string; hostname: string; port: number | string | undefined; path: string },
    headers: Record<string, string | string[]>,
    body: unknown,
  ): void {
    const port = target.port === undefined || target.port === '' ? '' : `:${target.port}`
    this.endpointRequest('http', `${target.protocol}//${target.hostname}${port}${target.path}`, headers, body)
  }

  /**
   * An HTTP backend's answer, or nothing for a failure (its failure line is written when it is reported).
   *
   * @example
   * ```ts
   * state.log?.httpResponse(await sendHttp(target, 'GET', headers, body, 29000))
   * ```
   */
  httpResponse(out: { statusCode: number; headers: HeaderMap; body?: unknown } | { type: string }): void {
    if ('statusCode' in out) this.endpointResponse(out.statusCode, out.headers, out.body)
  }

  /**
   * An unexpected failure (reported to `onError` too), in API Gateway's words for its stage and kind.
   *
   * @example
   * ```ts
   * state.log?.failure(new Error('boom'), 'integration', 'DEFAULT_5XX')
   * ```
   */
  failure(error: unknown, stage: GatewayErrorStage, type: GatewayResponseType | null): void {
    const message = error instanceof Error ? error.message : String(error)
    if (type === 'INTEGRATION_TIMEOUT') return this.write('error', 'Execution failed due to a timeout error')
    if (stage === 'authorizer') {
      this.write('error', `Execution failed due to configuration error: ${message}`)
      return this.write('error', 'Execution failed due to configuration error: Authorizer error')
    }
    if (stage === 'integration' && this.endpoint === 'lambda' && !/^malformed Lambda proxy response/i.test(message)) {
      return this.write(
        'error',
        `Lambda execution failed with status 200 due to customer function error: ${message}. Lambda request id: ${this.state.requestId}`,
      )
    }
    if (/^malformed Lambda proxy response/i.test(message)) {
      return this.write('error', 'Execution failed due to configuration error: Malformed Lambda proxy response')
    }
    this.write('error', `Execution failed due to configuration error: ${message}`)
  }
}

function jsonText(value: unknown): string {
  try {
    return JSON.stringify(value) ?? ''
  } catch {
    return String(value)
  }
}

/** A body as the logs print it: text as is, bytes as UTF-8, anything else as JSON. */
function bodyText(body: unknown): string {
  if (typeof body === 'function') return (body as () => string)()
  if (body === undefined || body === null) return ''
  if (typeof body === 'string') return body
  if (body instanceof Uint8Array) return new TextDecoder().decode(body.length > MAX_LINE_BYTES ? body.subarray(0, MAX_LINE_BYTES) : body)
  try {
    return JSON.stringify(body) ?? ''
  } catch {
    return String(body)
  }
}
