/**
 * Execution logs' options (types only): the stage's per-method `loggingLevel` / `dataTraceEnabled` and the `logger`
 * gateway option the lines go to.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-execution-logging.html
 * https://docs.aws.amazon.com/apigateway/latest/api/API_MethodSetting.html
 */

/** `methodSettings.loggingLevel`: `OFF` (default), `ERROR` (failures only) or `INFO` (every event). */
export type LoggingLevel = 'OFF' | 'ERROR' | 'INFO'

/**
 * The execution-log fields of a stage's method settings (`methodSettings['*' + '/' + '*']` or one method).
 *
 * @example
 * ```ts
 * const settings: ExecutionLogSettings = { loggingLevel: 'INFO', dataTraceEnabled: true }
 * ```
 */
export interface ExecutionLogSettings {
  /** What is written: nothing (`OFF`), failures (`ERROR`), or every event of the request (`INFO`). */
  loggingLevel?: LoggingLevel
  /** Also write the request's and response's data (paths, query strings, headers, bodies), secrets redacted. */
  dataTraceEnabled?: boolean
}

/** The fields each line's object carries (pino's first argument). */
export interface ExecutionLogFields {
  requestId: string
  extendedRequestId: string
  /** The stage's name. */
  stage: string
  /** `GET /pets/{id}`: the method and resource the request matched. */
  routeKey: string
  apiId: string
}

/**
 * Where execution-log lines go: a pino logger as it is, or anything with `info`, `warn` and `error` taking the
 * line's fields and its message (`(requestId) Method completed with status: 200`, as CloudWatch shows it).
 *
 * @example
 * ```ts
 * import pino from 'pino'
 * createGateway({ api, stage: { stageName: 'prod', methodSettings: { [EVERY_METHOD]: { loggingLevel: 'INFO' } } }, logger: pino() })
 * // or: logger: { info: (_o, m) => console.log(m), warn: (_o, m) => console.warn(m), error: (_o, m) => console.error(m) }
 * ```
 */
export interface ExecutionLogger {
  info(fields: ExecutionLogFields, message: string): void
  warn(fields: ExecutionLogFields, message: string): void
  error(fields: ExecutionLogFields, message: string): void
}

/** One line of a request's execution log, as a capture (`captureExecutionLog`) keeps it. */
export interface ExecutionLogLine extends ExecutionLogFields {
  level: 'info' | 'warn' | 'error'
  /** The line without the `(requestId) ` prefix, redacted and truncated. */
  message: string
  /** Epoch ms on the gateway's clock when the line was written. */
  time: number
}
