/**
 * Trace headers: `X-Amzn-Trace-Id` as API Gateway reads, completes and passes it on, and W3C `traceparent` /
 * `tracestate` checked before they are passed along. Client values are hostile: each is parsed against its grammar,
 * length-capped, and dropped (a new X-Ray trace made) when it does not parse — never echoed with CR, LF or junk.
 *
 * X-Ray: the client's trace kept (its `Root`, and its `Parent` when it sent one), the missing parts made up, a new
 * trace when the client sent none or one that is not an X-Ray trace header. Recorded: localstack's
 * test_apigateway_common.py::TestApiGatewayCommon::test_invocation_trace_id (AWS, 07-08-2024): MOCK answers carry
 * none; AWS_PROXY answers always carry one, the client's full trace verbatim, a `Root` alone completed with a
 * generated `Parent`; HTTP integrations' requests carry one (test_apigateway_http.py, recorded forwarded headers).
 * https://docs.aws.amazon.com/xray/latest/devguide/xray-concepts.html#xray-concepts-tracingheader
 * W3C Trace Context: https://www.w3.org/TR/trace-context/ (traceparent version 00, tracestate: at most 32 members,
 * 512 characters kept).
 *
 * Ids need to be unique, not secret. Given an operator's request id, a request's generated trace is derived from it
 * (hashes of it), so a test's fixed ids give fixed traces; the gateway's own (random) request ids are not needed for
 * that, and a random per-process prefix and a counter serve. No entropy is read per request.
 */
import { randomBytes } from 'node:crypto'
import { flat, HEX2, next48, upperHex } from '../ids'

/** Longest trace header kept (X-Ray's own limit on the header is about this size). */
const MAX_LENGTH = 256
const ROOT = /^1-[0-9a-f]{8}-[0-9a-f]{24}$/
const PARENT = /^[0-9a-f]{16}$/
const SAMPLED = /^(?:0|1|\?)$/
/** Other fields (`Self`, `Lineage` — `a87bd80c:1|68fd508a:5`, …): a token key and a value of URL-safe characters and `|`. */
const FIELD = /^[A-Za-z][A-Za-z0-9_-]{0,31}=[A-Za-z0-9_.:+/@=|-]{0,200}$/

const prefix = randomBytes(6).toString('hex')

/** 8 hex digits of a seeded FNV-1a hash of `text`. */
function hash8(text: string, seed: number): string {
  let h = (0x811c9dc5 ^ seed) >>> 0
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193)
  h ^= h >>> 15
  h = Math.imul(h, 0x2c1b3c6d)
  h ^= h >>> 12
  return (h >>> 0).toString(16).padStart(8, '0')
}

const parentPrefix = prefix.slice(0, 4)

/** The counter of the traces the gateway makes for its own request ids, and the text around its last byte. */
let counter = 0
let madeAt = -1
let head = ''
let middle = ''

/**
 * A new trace for a request whose id the gateway made: `Root=1-<second>-<prefix><counter>;Parent=<prefix><counter>;Sampled=0`
 * (one counter value serves both ids: the trace's and its first segment's are different fields). What comes before
 * each copy of the counter's last two digits changes once a second or once per 256 traces, and is made then.
 */
function ownTrace(epochMs: number): string {
  counter = next48(counter)
  const low = counter & 0xff
  const second = Math.floor(epochMs / 1000)
  if (low === 0 || second !== madeAt) {
    madeAt = second
    const upper = upperHex(counter)
    head = flat(`Root=1-${secondsHex(epochMs)}-${prefix}${upper}`)
    middle = flat(`;Parent=${parentPrefix}${upper}`)
  }
  const two = HEX2[low]!
  return flat(`${head}${two}${middle}${two};Sampled=0`)
}

/** The trace's ids derived from an operator's request id: the same each time it is asked for. */
function hashedIds(requestId: string): { random: string; parent: string } {
  return {
    random: hash8(requestId, 1) + hash8(requestId, 2) + hash8(requestId, 3),
    parent: hash8(requestId, 4) + hash8(requestId, 5),
  }
}

/** A parent id for a client's trace that has none: the next value of the own traces' counter, or the request id's. */
function madeParent(requestId: string | undefined): string {
  if (requestId !== undefined) return hashedIds(requestId).parent
  counter = next48(counter)
  return parentPrefix + upperHex(counter) + HEX2[counter & 0xff]!
}

/** The client's X-Ray header, parsed: null when it is absent, too long, or not one. */
interface XrayHeader {
  root: string
  parent: string | undefined
  sampled: string | undefined
  /** Every field parses: the header may be passed on as it came. */
  clean: boolean
}

function parseXray(value: string | undefined): XrayHeader | null {
  if (value === undefined || value.length > MAX_LENGTH) return null
  let root: string | undefined
  let parent: string | undefined
  let sampled: string | undefined
  let clean = true
  for (const part of value.split(';')) {
    const eq = part.indexOf('=')
    const key = eq < 0 ? part : part.slice(0, eq)
    const v = eq < 0 ? '' : part.slice(eq + 1)
    if (key === 'Root' && root === undefined && ROOT.test(v)) root = v
    else if (key === 'Parent' && parent === undefined && PARENT.test(v)) parent = v
    else if (key === 'Sampled' && sampled === undefined && SAMPLED.test(v)) sampled = v
    else if (key === 'Root' || key === 'Parent' || key === 'Sampled' || !FIELD.test(part)) clean = false
  }
  return root === undefined ? null : { root, parent, sampled, clean }
}

/**
 * The trace header for a response, the Lambda event and an HTTP integration's request, given the client's header,
 * the request's time and (for a trace every part of the gateway agrees on) its request id.
 *
 * @example
 * ```ts
 * traceHeader('Root=1-3152b799-8954dae64eda91bc9a23a7e8;Parent=7fa8c0f79203be72;Sampled=1', Date.now()) // the same
 * traceHeader('Root=1-3152b799-8954dae64eda91bc9a23a7e8', Date.now()) // 'Root=1-3152b799-…;Parent=<16 hex>;Sampled=0'
 * traceHeader(undefined, 1_700_000_000_000, 'req-1') // 'Root=1-6553f100-<24 hex>;Parent=<16 hex>;Sampled=0', the same each call
 * ```
 */
export function traceHeader(client: string | undefined, epochMs: number, requestId?: string): string {
  const parsed = parseXray(client)
  if (parsed !== null) {
    const made = parsed.parent === undefined ? madeParent(requestId) : undefined
    if (parsed.clean) {
      let out = client!
      if (made !== undefined) out += `;Parent=${made}`
      if (parsed.sampled === undefined) out += ';Sampled=0'
      return flat(out)
    }
    // Fields that do not parse are not passed on: the trace is rebuilt from the parts that do.
    return flat(`Root=${parsed.root};Parent=${parsed.parent ?? made};Sampled=${parsed.sampled ?? '0'}`)
  }
  if (requestId === undefined) return ownTrace(epochMs)
  const { random, parent } = hashedIds(requestId)
  return flat(`Root=1-${secondsHex(epochMs)}-${random};Parent=${parent};Sampled=0`)
}

let lastSecond = -1
let lastSecondHex = ''

/** The epoch second as X-Ray's 8 hex digits; it changes once a second, so the last one is kept. */
function secondsHex(epochMs: number): string {
  const second = Math.floor(epochMs / 1000)
  if (second !== lastSecond) {
    lastSecond = second
    lastSecondHex = second.toString(16).padStart(8, '0').slice(-8)
  }
  return lastSecondHex
}

/**
 * `$context.xrayTraceId`: the trace id of a trace header (its `Root`), or undefined.
 *
 * @example
 * ```ts
 * xrayTraceId('Root=1-3152b799-8954dae64eda91bc9a23a7e8;Parent=7fa8c0f79203be72;Sampled=1') // '1-3152b799-8954dae64eda91bc9a23a7e8'
 * ```
 */
export function xrayTraceId(header: string): string | undefined {
  return parseXray(header)?.root
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/
const TRACESTATE_MEMBER =
  /^(?:[a-z0-9][a-z0-9_*/-]{0,255}|[a-z0-9][a-z0-9_*/-]{0,240}@[a-z][a-z0-9_*/-]{0,13})=[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/
const MAX_TRACESTATE = 512

/**
 * The W3C `traceparent` a client sent, if it is one (version 00, or a later version read as 00; ids not all zero),
 * normalised to version 00's 55 characters; undefined otherwise.
 *
 * @example
 * ```ts
 * traceparent('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01') // the same
 * traceparent('00-00000000000000000000000000000000-b7ad6b7169203331-01') // undefined
 * ```
 */
export function traceparent(value: string | undefined): string | undefined {
  if (value === undefined || value.length > 512) return undefined
  const m = TRACEPARENT.exec(value.trim())
  if (!m) return undefined
  const [, version, traceId, parentId, flags, rest] = m as unknown as [string, string, string, string, string, string | undefined]
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined
  if (/^0+$/.test(traceId) || /^0+$/.test(parentId)) return undefined
  return `00-${traceId}-${parentId}-${flags}`
}

/**
 * The W3C `tracestate` to pass along with a valid `traceparent`: its members checked against the grammar, at most
 * 32 and 512 characters kept; undefined when it does not parse (the specification: discard it).
 *
 * @example
 * ```ts
 * tracestate('rojo=00f067aa0ba902b7,congo=t61rcWkgMzE') // the same
 * tracestate('bad key=1') // undefined
 * ```
 */
export function tracestate(value: string | undefined): string | undefined {
  if (value === undefined || value.length > 8192) return undefined
  const members = value
    .split(',')
    .map((m) => m.trim())
    .filter((m) => m !== '')
  if (members.length === 0 || members.length > 32 || !members.every((m) => TRACESTATE_MEMBER.test(m))) return undefined
  let out = ''
  for (const m of members) {
    const next = out === '' ? m : `${out},${m}`
    if (next.length > MAX_TRACESTATE) break
    out = next
  }
  return out === '' ? undefined : out
}
