/**
 * An access-log format compiled once: the text between `$context.*` variables kept as it is, each variable a getter.
 * The console's presets (CLF, JSON, XML, CSV) are available by name, for REST APIs and for HTTP APIs, as the
 * API Gateway docs list them ("Access log formats", "Example log formats"):
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging.html
 */
import type { ApiType } from '../../definition'
import { text, variable, type AccessLogEntry, type Getter } from './variables'

export type AccessLogPreset = 'CLF' | 'JSON' | 'XML' | 'CSV'

/** The console's example formats, joined to one line (the docs break them with `\` for reading only). */
export const ACCESS_LOG_PRESETS: Readonly<Record<ApiType, Readonly<Record<AccessLogPreset, string>>>> = {
  REST: {
    CLF:
      '$context.identity.sourceIp $context.identity.caller $context.identity.user [$context.requestTime] ' +
      '"$context.httpMethod $context.resourcePath $context.protocol" $context.status $context.responseLength $context.requestId ' +
      '$context.extendedRequestId',
    JSON:
      '{ "requestId":"$context.requestId", "extendedRequestId":"$context.extendedRequestId", "ip": "$context.identity.sourceIp", ' +
      '"caller":"$context.identity.caller", "user":"$context.identity.user", "requestTime":"$context.requestTime", ' +
      '"httpMethod":"$context.httpMethod", "resourcePath":"$context.resourcePath", "status":"$context.status", ' +
      '"protocol":"$context.protocol", "responseLength":"$context.responseLength" }',
    XML:
      '<request id="$context.requestId"> <extendedRequestId>$context.extendedRequestId</extendedRequestId> ' +
      '<ip>$context.identity.sourceIp</ip> <caller>$context.identity.caller</caller> <user>$context.identity.user</user> ' +
      '<requestTime>$context.requestTime</requestTime> <httpMethod>$context.httpMethod</httpMethod> ' +
      '<resourcePath>$context.resourcePath</resourcePath> <status>$context.status</status> <protocol>$context.protocol</protocol> ' +
      '<responseLength>$context.responseLength</responseLength> </request>',
    CSV:
      '$context.identity.sourceIp,$context.identity.caller,$context.identity.user,$context.requestTime,$context.httpMethod,' +
      '$context.resourcePath,$context.protocol,$context.status,$context.responseLength,$context.requestId,$context.extendedRequestId',
  },
  HTTP: {
    CLF:
      '$context.identity.sourceIp - - [$context.requestTime] "$context.httpMethod $context.routeKey $context.protocol" ' +
      '$context.status $context.responseLength $context.requestId',
    JSON:
      '{ "requestId":"$context.requestId", "ip": "$context.identity.sourceIp", "requestTime":"$context.requestTime", ' +
      '"httpMethod":"$context.httpMethod","routeKey":"$context.routeKey", "status":"$context.status",' +
      '"protocol":"$context.protocol", "responseLength":"$context.responseLength" }',
    XML:
      '<request id="$context.requestId"> <ip>$context.identity.sourceIp</ip> <requestTime>$context.requestTime</requestTime> ' +
      '<httpMethod>$context.httpMethod</httpMethod> <routeKey>$context.routeKey</routeKey> <status>$context.status</status> ' +
      '<protocol>$context.protocol</protocol> <responseLength>$context.responseLength</responseLength> </request>',
    CSV:
      '$context.identity.sourceIp,$context.requestTime,$context.httpMethod,$context.routeKey,$context.protocol,' +
      '$context.status,$context.responseLength,$context.requestId',
  },
}

/** One compiled format: render a finished request's line (without the newline). */
export interface CompiledFormat {
  readonly source: string
  /** Variables the format names that API Gateway does not document (written as `-`). */
  readonly unknown: readonly string[]
  render(entry: AccessLogEntry): string
}

// A variable name: letters, digits and `_ - :` in dot-separated parts; a dot that ends it is text (`$context.status.`).
const VARIABLE = /\$context\.([A-Za-z0-9_:-]+(?:\.[A-Za-z0-9_:-]+)*)/g

/**
 * Compile a format (or a preset's name) once, for every request of the gateway.
 *
 * @example
 * ```ts
 * const f = compileFormat('$context.requestId $context.status', 'REST')
 * f.render(entry) // 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef 200'
 * compileFormat('CLF', 'REST').source // '$context.identity.sourceIp $context.identity.caller …'
 * ```
 */
export function compileFormat(format: string, apiType: ApiType): CompiledFormat {
  const presets = ACCESS_LOG_PRESETS[apiType]
  const source = Object.hasOwn(presets, format) ? presets[format as AccessLogPreset] : format
  const texts: string[] = []
  const getters: Getter[] = []
  const unknown: string[] = []
  let last = 0
  let literal = ''
  for (const m of source.matchAll(VARIABLE)) {
    literal += source.slice(last, m.index)
    last = m.index + m[0].length
    const name = m[1]!
    const get = variable(name)
    if (get === null) unknown.push(name)
    // A getter that takes no entry is a constant (`protocol`, a variable without a value here): part of the text.
    if (get === null || get.length === 0) {
      literal += text(get === null ? undefined : (get as () => unknown)())
      continue
    }
    texts.push(literal)
    literal = ''
    getters.push(get)
  }
  texts.push(literal + source.slice(last))
  // The line is one line: a format's own newline ends it (a newline at its end is the line's end).
  const tail = texts[texts.length - 1]!
  if (tail.endsWith('\n')) texts[texts.length - 1] = tail.slice(0, -1)
  return { source, unknown, render: renderer(texts, getters) }
}

const blank: Getter = () => undefined

/**
 * A line's renderer: the first eight variables each read at a call site of its own (one getter each, which the
 * engine inlines; one site calling them all in turn costs more than building the line), the rest in a loop.
 */
function renderer(texts: readonly string[], getters: readonly Getter[]): (entry: AccessLogEntry) => string {
  const n = getters.length
  const [g0 = blank, g1 = blank, g2 = blank, g3 = blank, g4 = blank, g5 = blank, g6 = blank, g7 = blank] = getters
  const [t0 = '', t1 = '', t2 = '', t3 = '', t4 = '', t5 = '', t6 = '', t7 = '', t8 = ''] = texts
  return (e) => {
    if (n === 0) return t0
    let out = t0 + text(g0(e)) + t1
    if (n === 1) return out
    out += text(g1(e)) + t2
    if (n > 2) out += text(g2(e)) + t3
    if (n > 3) out += text(g3(e)) + t4
    if (n > 4) out += text(g4(e)) + t5
    if (n > 5) out += text(g5(e)) + t6
    if (n > 6) out += text(g6(e)) + t7
    if (n > 7) out += text(g7(e)) + t8
    for (let i = 8; i < n; i++) out += text(getters[i]!(e)) + texts[i + 1]!
    return out
  }
}
