/**
 * The content coding a compression-enabled REST API answers with, from the client's `Accept-Encoding`, as API
 * Gateway documents it: it supports `gzip`, `deflate` and `identity`, reads the header's RFC 7231 §5.3.4 form
 * (q-values, `*`), and compresses only when the highest-priority coding is one it supports; a missing header
 * (RFC 7231's default `*`), an empty one, or a bare `*` is no explicit request and gets no compression.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-enable-compression.html#api-gateway-supported-content-encodings
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-receive-response-with-compressed-payload.html
 */

/** The codings API Gateway compresses with. */
export type ResponseCoding = 'gzip' | 'deflate'

/** A header longer than this is not read (the choice is then "no compression"): bounded work per request. */
const MAX_HEADER = 4096

/** RFC 7231 §5.3.1 `qvalue`: `0`, `0.` and up to three digits, `1`, `1.` and up to three zeros. */
const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/

/**
 * The q-value of one `Accept-Encoding` element's parameters (`;q=0.5`), 1 when there is none, or -1 when a
 * parameter is malformed (the element is then not honoured).
 */
function qualityOf(params: string[]): number {
  let q = 1
  for (const param of params) {
    const eq = param.indexOf('=')
    if (eq === -1) return -1
    const name = param.slice(0, eq).trim().toLowerCase()
    if (name !== 'q') continue
    const value = param.slice(eq + 1).trim()
    if (!QVALUE.test(value)) return -1
    q = Number(value)
  }
  return q
}

/**
 * The coding to compress a response with for this `Accept-Encoding` (every value of the header, in order), or
 * null for no compression. Among the codings with the highest q-value above 0, the first the client listed that
 * API Gateway supports (`gzip`, `deflate`) wins, unless a coding it cannot produce (`br`, `*`, `identity`) has a
 * strictly higher q-value. Never throws.
 *
 * @example
 * ```ts
 * chooseCoding(['gzip, deflate, br']) // 'gzip'
 * chooseCoding(['deflate;q=0.5,gzip;q=1.0']) // 'gzip'
 * chooseCoding(['br;q=1, gzip;q=0.8']) // null: the highest-priority coding is not one API Gateway supports
 * chooseCoding(['*']) // null: no explicit coding
 * chooseCoding([]) // null: no header is `*`
 * ```
 */
export function chooseCoding(values: readonly string[]): ResponseCoding | null {
  let best: ResponseCoding | null = null
  let bestQ = 0
  let otherQ = 0
  let length = 0
  for (const value of values) {
    length += value.length
    if (length > MAX_HEADER) return null
    for (const element of value.split(',')) {
      const parts = element.split(';')
      const coding = parts[0]!.trim().toLowerCase()
      if (coding === '') continue
      const q = qualityOf(parts.slice(1))
      if (q <= 0) continue
      if (coding === 'gzip' || coding === 'deflate') {
        if (q > bestQ) {
          bestQ = q
          best = coding
        }
      } else if (q > otherQ) otherQ = q
    }
  }
  return best !== null && bestQ >= otherQ ? best : null
}
