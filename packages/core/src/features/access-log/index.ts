/**
 * Access logs (stage `accessLogSettings`): one line per request in the stage's `format` — `$context` variables as
 * API Gateway documents them for access logging, or a console preset by name (`CLF`, `JSON`, `XML`, `CSV`) — to the
 * `accessLog.destination` option (a function, a writable stream or a file path; default stdout). `destinationArn`
 * names a CloudWatch log group or Firehose stream on AWS: here the destination option takes its place.
 * The format is compiled once; a request's line is made and written after its answer, on the next `setImmediate`.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging.html
 */
import { GatewayConfigError } from '../../errors'
import { bodyLength } from '../../http'
import { reportError } from '../../report'
import type { RequestState } from '../../state'
import { answeredAt, type RequestObserver } from '../../observe'
import { type Feature, type GatewayContext, stateKey } from '../types'
import { lineWriter } from './destination'
import { compileFormat } from './format'
import type { AccessLogEntry } from './variables'

export { ACCESS_LOG_PRESETS, compileFormat, type AccessLogPreset, type CompiledFormat } from './format'
export type { AccessLogDestination, AccessLogOptions } from './destination'

const ACCESS_LOG = stateKey<RequestObserver | null>('access-log')

function createAccessLogger({ api, input, warn }: GatewayContext): RequestObserver | null {
  const stage = typeof input.stage === 'object' ? input.stage : undefined
  const settings = stage?.accessLogSettings
  const format = settings?.format ?? input.accessLog?.format
  if (format === undefined) {
    if (input.accessLog !== undefined)
      throw new GatewayConfigError('INVALID_OPTION', '`accessLog` needs a format: stage `accessLogSettings.format` or `accessLog.format`')
    return null
  }
  if (typeof format !== 'string' || format.trim() === '')
    throw new GatewayConfigError('INVALID_OPTION', 'the access log format must be a non-empty string')
  const compiled = compileFormat(format, api.apiType)
  // API Gateway refuses a format without either id (UpdateStage: BadRequestException).
  if (!/\$context\.(requestId|extendedRequestId)(?![A-Za-z0-9_:-])/.test(compiled.source)) {
    throw new GatewayConfigError('INVALID_OPTION', 'the access log format must include $context.requestId or $context.extendedRequestId')
  }
  for (const name of compiled.unknown) {
    warn({
      code: 'IGNORED_SETTING',
      message: `access log format: $context.${name} is not a variable API Gateway logs; written as -`,
      pointer: '',
    })
  }
  const writer = lineWriter(input.accessLog?.destination ?? process.stdout)
  // The requests waiting for the next `setImmediate`: their states, and three numbers each (status, response
  // length, response latency). Two pairs of lists used in turn (a line written may lead to another request), kept
  // at their size between turns (filled from the start again, the states let go once written), and one entry
  // object filled for each line.
  let states: (RequestState | undefined)[] = []
  let numbers: number[] = []
  let count = 0
  let spareStates: (RequestState | undefined)[] = []
  let spareNumbers: number[] = []
  const entry: AccessLogEntry = { state: undefined as unknown as RequestState, status: 0, responseLength: 0, responseLatency: 0 }
  const renderAt = (pending: (RequestState | undefined)[], values: number[], i: number): string => {
    entry.state = pending[i]!
    entry.status = values[3 * i]!
    entry.responseLength = values[3 * i + 1]!
    entry.responseLatency = values[3 * i + 2]!
    return compiled.render(entry)
  }
  const flush = () => {
    const pending = states
    const values = numbers
    const n = count
    states = spareStates
    numbers = spareNumbers
    count = 0
    spareStates = pending
    spareNumbers = values
    try {
      write(pending, values, n)
    } finally {
      pending.fill(undefined, 0, n)
      entry.state = undefined as unknown as RequestState
    }
  }
  const write = (pending: (RequestState | undefined)[], values: number[], n: number) => {
    if ('line' in writer) {
      for (let i = 0; i < n; i++) {
        try {
          writer.line(renderAt(pending, values, i))
        } catch (error) {
          report(error, pending[i]!)
        }
      }
      return
    }
    let lines = ''
    let written = 0
    for (let i = 0; i < n; i++) {
      try {
        lines += `${renderAt(pending, values, i)}\n`
        written++
      } catch (error) {
        report(error, pending[i]!)
      }
    }
    if (written === 0) return
    const first = pending[0]!
    writer.write(lines, written, (error) => report(error, first))
  }
  const report = (error: unknown, state: RequestState) =>
    reportError(api.onError, error, {
      requestId: state.requestId,
      routeKey: state.route.routeKey || null,
      stage: 'access-log',
      responseType: null,
    })
  return {
    done(state, response) {
      if (count === 0) setImmediate(flush)
      const at = 3 * count
      states[count++] = state
      numbers[at] = response.statusCode
      numbers[at + 1] = bodyLength(response.body)
      numbers[at + 2] = answeredAt(state) - state.epoch
    },
  }
}

/**
 * Compiles the stage's access-log format when the gateway is built; its logger observes every answered request.
 *
 * @example
 * ```ts
 * createGateway({ api, stage: { stageName: 'prod', accessLogSettings: { format: '$context.requestId $context.status' } }, accessLog: { destination: 'access.log' } })
 * ```
 */
export const accessLogFeature: Feature = {
  name: 'access-log',
  validate(gateway) {
    gateway.state.get(ACCESS_LOG, () => createAccessLogger(gateway))
  },
  observe: (gateway) => gateway.state.peek(ACCESS_LOG) ?? null,
}
