/**
 * `gatehouse routes`, `validate` and `invoke`: the definition's compiled route table, its errors and warnings with
 * their JSON pointers, and one request run through the gateway without a socket (API Gateway's TestInvokeMethod).
 * Each command writes through `out` / `err` and resolves to the process exit code.
 */
import { readFileSync } from 'node:fs'
import {
  EVERY_METHOD,
  GatewayConfigError,
  isPassthrough,
  type ExecutionLogFields,
  type GatewayRequest,
  type GatewayResponse,
  type HeaderMap,
  type StageDefinition,
} from '@gatehousejs/core'
import { buildApis, failurePointer, formatWarning, type BuildOptions } from './build'
import { routeRows, routeTable } from './routes'

/** Where a command writes. */
export interface CommandIo {
  out: (line: string) => void
  err: (line: string) => void
}

/** The file and how it is read, as for `serve`. */
export type CommandOptions = Pick<BuildOptions, 'file' | 'stage' | 'functions' | 'envVars' | 'parameters' | 'stageVariables'>

/**
 * `gatehouse routes <file> [--json]`: every API's route table.
 *
 * @example
 * ```ts
 * await routesCommand({ file: 'openapi.json' }, { out: console.log, err: console.error })
 * // openapi.json (REST, stage prod)
 * //   GET  /pets  AWS_PROXY listPets
 * ```
 */
export async function routesCommand(options: CommandOptions & { json?: boolean }, io: CommandIo): Promise<number> {
  const built = await buildApis({ ...options, stubFunctions: true })
  if (options.json) {
    const apis = built.apis.map(({ gateway, name, stage }) => ({
      name,
      apiType: gateway.apiType,
      stage: gateway.stage,
      routes: routeRows(gateway, stage),
    }))
    io.out(JSON.stringify({ apis }, null, 2))
    return 0
  }
  for (const { gateway, name, stage } of built.apis) {
    io.out(`${name} (${gateway.apiType}, stage ${gateway.stage})`)
    for (const line of routeTable(gateway, stage)) io.out(`  ${line}`)
  }
  return 0
}

/** One problem `validate` reports. */
export interface ValidationProblem {
  severity: 'error' | 'warning'
  api?: string
  /** JSON pointer (RFC 6901) into the API's document; absent when the problem is not about one value. */
  pointer?: string
  code?: string
  message: string
}

/**
 * The errors and warnings of a file. Core stops building an API at its first error, so each API reports at most
 * one error (and the warnings raised before it).
 *
 * @example
 * ```ts
 * const problems = await validateFile({ file: 'openapi.yaml' })
 * problems.filter((p) => p.severity === 'error').length // 0 when it builds
 * ```
 */
export async function validateFile(options: CommandOptions): Promise<ValidationProblem[]> {
  let built: Awaited<ReturnType<typeof buildApis>>
  try {
    built = await buildApis({ ...options, stubFunctions: options.functions === undefined, collectFailures: true })
  } catch (error) {
    // The file itself: unreadable, not YAML/JSON, not a definition, a template that does not load.
    const problem: ValidationProblem = { severity: 'error', message: error instanceof Error ? error.message : String(error) }
    const at = failurePointer(error)
    if (at !== undefined) problem.pointer = at
    if (error instanceof GatewayConfigError) problem.code = error.code
    return [problem]
  }
  const problems: ValidationProblem[] = built.failures.map(({ api, error }) => {
    const problem: ValidationProblem = { severity: 'error', api, message: error instanceof Error ? error.message : String(error) }
    if (error instanceof GatewayConfigError) {
      problem.code = error.code
      if (error.pointer !== undefined) {
        problem.pointer = error.pointer || '/'
        // The message repeats the pointer (`/paths/~1a: …`): keep the message alone.
        const prefix = `${error.pointer || '/'}: `
        if (problem.message.startsWith(prefix)) problem.message = problem.message.slice(prefix.length)
      }
    }
    return problem
  })
  for (const w of built.warnings) {
    const problem: ValidationProblem = { severity: 'warning', message: w.message }
    if (w.api !== undefined) problem.api = w.api
    if (w.pointer !== undefined) problem.pointer = w.pointer || '/'
    if (w.code !== undefined) problem.code = w.code
    problems.push(problem)
  }
  return problems
}

/**
 * `gatehouse validate <file> [--strict] [--json]`: exit code 0 when the file builds (and, with `strict`, has no
 * warning), 1 otherwise.
 *
 * @example
 * ```ts
 * const code = await validateCommand({ file: 'openapi.yaml', strict: true }, { out: console.log, err: console.error })
 * ```
 */
export async function validateCommand(options: CommandOptions & { strict?: boolean; json?: boolean }, io: CommandIo): Promise<number> {
  const problems = await validateFile(options)
  const errors = problems.filter((p) => p.severity === 'error').length
  const warnings = problems.length - errors
  const failed = errors > 0 || (options.strict === true && warnings > 0)
  if (options.json) {
    io.out(JSON.stringify({ valid: !failed, errors, warnings, problems }, null, 2))
  } else {
    for (const p of problems) {
      io.out(`${p.severity} ${formatWarning({ ...p, ...(p.pointer ? { pointer: p.pointer } : {}) })}${p.code ? ` [${p.code}]` : ''}`)
    }
    io.out(
      `${options.file}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}${failed ? '' : ' — ok'}`,
    )
  }
  return failed ? 1 : 0
}

/** One request for `invoke`. */
export interface InvokeRequest {
  method: string
  /** The path, percent-encoded as on the wire; a `?query` part is kept. */
  path: string
  /** `name:value` each (repeat a name for several values). */
  headers?: string[]
  /** `name=value` each, encoded here. */
  query?: string[]
  /** The body, or `@file` to read it from a file. */
  body?: string
}

/** What `invoke` observed. */
export interface InvokeResult {
  response: GatewayResponse
  latencyMs: number
  /** The request's execution log (REST APIs; HTTP APIs have none), as TestInvokeMethod's `log`. */
  log: string[]
}

/** Every method of the stage logs at `INFO` with data tracing, as TestInvokeMethod's log shows a request. */
function withExecutionLog(stage: StageDefinition): StageDefinition {
  const methodSettings = { ...stage.methodSettings }
  for (const key of [...Object.keys(methodSettings), EVERY_METHOD]) {
    methodSettings[key] = { ...methodSettings[key], loggingLevel: 'INFO', dataTraceEnabled: true }
  }
  return { ...stage, methodSettings }
}

/**
 * The gateway request `invoke` sends: headers lower-cased (repeated ones as arrays), query pairs encoded and
 * appended to a query already in the path, the body read from `@file`.
 *
 * @example
 * ```ts
 * toGatewayRequest({ method: 'get', path: '/pets?limit=2', query: ['type=dog cat'], headers: ['Accept:application/json'] })
 * // { method: 'GET', path: '/pets', query: 'limit=2&type=dog%20cat', headers: { accept: 'application/json' } }
 * ```
 */
export function toGatewayRequest(input: InvokeRequest): GatewayRequest {
  const q = input.path.indexOf('?')
  const path = q < 0 ? input.path : input.path.slice(0, q)
  const parts = q < 0 || q === input.path.length - 1 ? [] : [input.path.slice(q + 1)]
  for (const pair of input.query ?? []) {
    const eq = pair.indexOf('=')
    if (eq <= 0) throw new Error(`--query takes name=value, got ${pair}`)
    parts.push(`${encodeURIComponent(pair.slice(0, eq))}=${encodeURIComponent(pair.slice(eq + 1))}`)
  }
  const headers: HeaderMap = {}
  for (const h of input.headers ?? []) {
    const colon = h.indexOf(':')
    if (colon <= 0) throw new Error(`--header takes name:value, got ${h}`)
    const name = h.slice(0, colon).trim().toLowerCase()
    const value = h.slice(colon + 1).trim()
    const had = headers[name]
    headers[name] = had === undefined ? value : [...(Array.isArray(had) ? had : [had]), value]
  }
  if (!path.startsWith('/')) throw new Error(`the path must start with "/", got ${input.path}`)
  const request: GatewayRequest = { method: input.method.toUpperCase(), path, headers, sourceIp: '127.0.0.1' }
  if (parts.length > 0) request.query = parts.join('&')
  if (input.body !== undefined) request.body = input.body.startsWith('@') ? readFileSync(input.body.slice(1)) : input.body
  return request
}

/**
 * Run one request through the file's gateways (in order, as `serve` does), without a socket.
 *
 * @example
 * ```ts
 * const { response, latencyMs } = await invoke({ file: 'openapi.json', functions: './handlers.js' }, { method: 'GET', path: '/pets' })
 * response.statusCode // 200
 * ```
 */
export async function invoke(options: CommandOptions, request: InvokeRequest, io?: CommandIo): Promise<InvokeResult> {
  const log: string[] = []
  const line = (level: string) => (_fields: ExecutionLogFields, message: string) =>
    log.push(level === 'info' ? message : `${level.toUpperCase()} ${message}`)
  const built = await buildApis({
    ...options,
    adjustStage: withExecutionLog,
    input: {
      logger: { info: line('info'), warn: line('warn'), error: line('error') },
      onError: (error, info) =>
        io?.err(
          `error ${info.requestId ?? '-'} ${info.routeKey ?? '-'} (${info.stage}): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        ),
    },
  })
  for (const w of built.warnings) io?.err(`warning: ${formatWarning(w)}`)
  const req = toGatewayRequest(request)
  const started = performance.now()
  let response: GatewayResponse | undefined
  for (const { gateway } of built.apis) {
    const result = await gateway.dispatch(req)
    if (!isPassthrough(result)) {
      response = result
      break
    }
  }
  const latencyMs = performance.now() - started
  return { response: response ?? { statusCode: 404, headers: {}, body: '{"message":"Not Found"}' }, latencyMs, log }
}

/**
 * `gatehouse invoke <file> <METHOD> <path>`: prints the status line with the latency, the headers and the body on
 * `out`, and the request's execution log on `err` (so that `out` is the answer alone).
 * Exit code 0 for a 1xx–3xx answer, 1 for 4xx / 5xx (so a script can tell), 2 for bad arguments (the CLI's).
 *
 * @example
 * ```ts
 * await invokeCommand({ file: 'openapi.json', functions: './handlers.js' }, { method: 'GET', path: '/pets' }, io)
 * // 200 (3.1 ms)
 * // content-type: application/json
 * //
 * // [{"id":1}]
 * ```
 */
export async function invokeCommand(options: CommandOptions, request: InvokeRequest, io: CommandIo): Promise<number> {
  const { response, latencyMs, log } = await invoke(options, request, io)
  for (const l of log) io.err(l)
  io.out(`${response.statusCode} (${latencyMs.toFixed(1)} ms)`)
  for (const [name, value] of Object.entries(response.headers)) {
    for (const v of Array.isArray(value) ? value : [value]) io.out(`${name}: ${String(v)}`)
  }
  io.out('')
  const body = response.body
  io.out(typeof body === 'string' ? body : Buffer.from(body).toString('utf8'))
  return response.statusCode < 400 ? 0 : 1
}
