/**
 * One request's execution log, kept for the caller that sent it (`@gatehousejs/testing`'s `testInvoke`, like API
 * Gateway's TestInvokeMethod, which answers with the log of its request whatever the stage's logging level). The
 * capture rides on the request object under a symbol: no HTTP client can set it, and an adapter never does.
 */
import type { GatewayRequest } from '../../types'
import type { ExecutionLogLine } from './options'

const CAPTURE: unique symbol = Symbol('gatehouse.executionLog')

/** Whether gateways built from now on open a log for captured requests on routes that do not log. */
let enabled = false

/**
 * Let gateways built from now on keep the execution log of captured requests (`captureExecutionLog`) even on
 * methods whose `loggingLevel` is `OFF`. Off by default so that such methods pay nothing: `@gatehousejs/testing`
 * calls it when it is imported (before the tests build their gateways).
 *
 * @example
 * ```ts
 * enableExecutionLogCapture()
 * const gw = createGateway({ api, functions })
 * ```
 */
export function enableExecutionLogCapture(): void {
  enabled = true
}

/**
 * Whether `enableExecutionLogCapture` (or a first `captureExecutionLog`) was called.
 *
 * @example
 * ```ts
 * if (!on && !captureEnabled()) return null
 * ```
 */
export function captureEnabled(): boolean {
  return enabled
}

/** The lines of one request, and the text of API Gateway's TestInvokeMethod `log`. */
export interface ExecutionLogCapture {
  readonly lines: ExecutionLogLine[]
  /** `Execution log for request <id>` then `<date> : <line>` per line, as TestInvokeMethod's `log` reads. */
  text(): string
}

/**
 * Ask for the execution log of `request` (every line, data included, secrets redacted), whatever the stage's
 * `loggingLevel`. Call it on the request object before `gateway.handle(request)`. On a method whose level is `OFF`
 * the gateway must have been built after `enableExecutionLogCapture()` (or an earlier capture).
 *
 * @example
 * ```ts
 * const request = { method: 'GET', path: '/pets', headers: {} }
 * const log = captureExecutionLog(request)
 * await gw.handle(request)
 * log.lines.at(-1)?.message // 'Method completed with status: 200'
 * ```
 */
export function captureExecutionLog(request: GatewayRequest): ExecutionLogCapture {
  enabled = true
  const lines: ExecutionLogLine[] = []
  // Enumerable, so the normalised copy `handle` may make of the request (`{ ...request }`) keeps it.
  Object.defineProperty(request, CAPTURE, { value: lines, enumerable: true, configurable: true })
  return {
    lines,
    text() {
      const id = lines[0]?.requestId ?? ''
      return [`Execution log for request ${id}`, ...lines.map((l) => `${testInvokeDate(l.time)} : ${l.message}`)].join('\n')
    },
  }
}

/**
 * The capture a request asked for, if any.
 *
 * @example
 * ```ts
 * capturedLines(state.request) // undefined for a request nobody captures
 * ```
 */
export function capturedLines(request: GatewayRequest): ExecutionLogLine[] | undefined {
  return (request as { [CAPTURE]?: ExecutionLogLine[] })[CAPTURE]
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** `Sat Mar 05 15:47:32 UTC 2022`, as TestInvokeMethod's log dates its lines. */
function testInvokeDate(ms: number): string {
  const d = new Date(ms)
  const two = (n: number) => String(n).padStart(2, '0')
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`
}
