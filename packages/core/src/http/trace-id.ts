/**
 * `X-Amzn-Trace-Id` as a REST API's Lambda proxy integration answers it: the client's trace kept (its `Root`, and its
 * `Parent` when it sent one), the missing parts made up, a new trace when the client sent none or one that is not an
 * X-Ray trace header. Recorded: localstack's test_apigateway_common.py::TestApiGatewayCommon::test_invocation_trace_id
 * (AWS, 07-08-2024): MOCK answers carry none; AWS_PROXY answers always carry one, the client's full trace verbatim,
 * a `Root` alone completed with a generated `Parent`.
 * https://docs.aws.amazon.com/xray/latest/devguide/xray-concepts.html#xray-concepts-tracingheader
 *
 * Ids need to be unique, not secret: a random per-process prefix and a counter, no entropy read per request.
 */
import { randomBytes } from 'node:crypto'

const ROOT = /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}(?:;|$)/
/** Longest trace header kept (X-Ray's own limit on the header is about this size). */
const MAX_LENGTH = 256

const prefix = randomBytes(6).toString('hex')
let counter = 0

function next(): string {
  counter = (counter + 1) % 0x1000000000000
  return counter.toString(16).padStart(12, '0')
}

/**
 * The trace header for a response (and the Lambda event) given the client's header and the request's time.
 *
 * @example
 * ```ts
 * traceHeader('Root=1-3152b799-8954dae64eda91bc9a23a7e8;Parent=7fa8c0f79203be72;Sampled=1', Date.now()) // the same
 * traceHeader('Root=1-3152b799-8954dae64eda91bc9a23a7e8', Date.now()) // 'Root=1-3152b799-…;Parent=<16 hex>;Sampled=0'
 * traceHeader(undefined, 1_700_000_000_000) // 'Root=1-6553f100-<24 hex>;Parent=<16 hex>;Sampled=0'
 * ```
 */
export function traceHeader(client: string | undefined, epochMs: number): string {
  if (client !== undefined && client.length <= MAX_LENGTH && ROOT.test(client)) {
    let out = client
    if (!/(?:^|;)Parent=[0-9a-f]{16}(?:;|$)/.test(client)) out += `;Parent=${prefix.slice(0, 4)}${next()}`
    if (!/(?:^|;)Sampled=/.test(client)) out += ';Sampled=0'
    return out
  }
  const seconds = Math.floor(epochMs / 1000)
    .toString(16)
    .padStart(8, '0')
  return `Root=1-${seconds}-${prefix}${next()};Parent=${prefix.slice(0, 4)}${next()};Sampled=0`
}
