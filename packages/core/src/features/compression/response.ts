/**
 * Response compression: the answer of a compression-enabled REST API is compressed when the client's
 * `Accept-Encoding` asks for a supported coding, the integration response carries no `Content-Encoding`, and its
 * payload after the response template is at least `minimumCompressionSize` bytes. `Content-Encoding` is set and
 * `Content-Length` follows the compressed size. API Gateway documents no `Vary` header on compressed answers and
 * none is added. Its conditions are all about the integration response, so gateway responses (errors API Gateway
 * answers itself) are not compressed.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-receive-response-with-compressed-payload.html
 */
import { deflate, gzip, type InputType, type ZlibOptions } from 'node:zlib'
import { bodyBytes, bodyLength, headerValues, spellingOf } from '../../http'
import type { RequestState } from '../../state'
import type { GatewayResponse, HeaderMap } from '../../types'
import { chooseCoding, type ResponseCoding } from './accept-encoding'

type Compress = (buffer: InputType, options: ZlibOptions, callback: (error: Error | null, result: Buffer) => void) => void

function compress(fn: Compress, bytes: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => fn(bytes, {}, (error, result) => (error ? reject(error) : resolve(result))))
}

/** The headers of the compressed answer: `Content-Encoding` set, a `Content-Length` made to fit. */
function compressedHeaders(headers: HeaderMap, coding: ResponseCoding, length: number): HeaderMap {
  const out: HeaderMap = {}
  let hadLength = false
  for (const name in headers) {
    if (name.toLowerCase() === 'content-length') hadLength = true
    else out[name] = headers[name]!
  }
  out['content-encoding'] = coding
  if (hadLength) out['content-length'] = String(length)
  return out
}

/**
 * The compression after-stage of a compression-enabled API: `minimum` is `minimumCompressionSize`.
 *
 * @example
 * ```ts
 * const stage = compressionStage(1024)
 * const out = await stage(state, { statusCode: 200, headers: {}, body: 'x'.repeat(2048) })
 * // with `Accept-Encoding: gzip` on the request: out.headers['content-encoding'] === 'gzip', out.body is gzip
 * ```
 */
export function compressionStage(
  minimum: number,
): (state: RequestState, response: GatewayResponse) => Promise<GatewayResponse> | undefined {
  return (state, response) => {
    const status = response.statusCode
    if (status === 204 || status === 304 || status < 200) return undefined
    // An empty payload stays empty (nothing to compress, and a gzip header would only add bytes).
    const size = bodyLength(response.body)
    if (size === 0 || size < minimum) return undefined
    if (spellingOf(response.headers, 'content-encoding') !== undefined) return undefined
    const coding = chooseCoding(headerValues(state.request.headers, 'accept-encoding'))
    if (coding === null) return undefined
    return compress(coding === 'gzip' ? gzip : deflate, bodyBytes(response.body)).then((body) => ({
      statusCode: status,
      headers: compressedHeaders(response.headers, coding, body.byteLength),
      body,
    }))
  }
}
