/**
 * Request decompression: a method request whose `Content-Encoding` is a supported coding (`gzip`, `deflate`,
 * `identity`) is decompressed before request validation and mapping templates, so they and the integration see
 * the payload the client meant. A coding API Gateway does not support, or a payload that is not compressed with
 * the coding it names, is answered `415 Unsupported Media Type`. The decompressed size is bounded by the
 * gateway's payload limit (zlib's `maxOutputLength`): a payload that inflates past it is `413`, whatever its
 * compressed size, and no more than the limit is ever held in memory.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-make-request-with-compressed-payload.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-gzip-compression-decompression.html
 */
import { gunzip, inflate, inflateRaw, type InputType, type ZlibOptions } from 'node:zlib'
import { failure } from '../../gateway-responses'
import { bodyBytes, headerValues } from '../../http'
import type { IntegrationResult } from '../../model'
import type { RequestState } from '../../state'
import type { GatewayRequest, HeaderMap } from '../../types'

/** More codings than this on one request are refused: each one is a pass over up to the payload limit. */
const MAX_CODINGS = 4

type Inflate = (buffer: InputType, options: ZlibOptions, callback: (error: Error | null, result: Buffer) => void) => void

/** zlib's error when the output would pass `maxOutputLength`. */
function tooLarge(error: unknown): boolean {
  return (error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE'
}

/** zlib's errors for input that is not a stream of the coding (`Z_DATA_ERROR`, `Z_BUF_ERROR` for a cut stream). */
function corrupt(error: unknown): boolean {
  const code = (error as { code?: unknown }).code
  return typeof code === 'string' && code.startsWith('Z_')
}

/**
 * HTTP's `deflate` is the zlib format (RFC 9110 §8.4.1.2), but some clients send a raw deflate stream: a zlib
 * stream starts with a CMF byte whose method is 8 and a check (CMF·256 + FLG) that is a multiple of 31.
 */
function isZlibStream(bytes: Buffer): boolean {
  return bytes.length >= 2 && (bytes[0]! & 0x0f) === 8 && ((bytes[0]! << 8) | bytes[1]!) % 31 === 0
}

function run(fn: Inflate, bytes: Buffer, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    fn(bytes, { maxOutputLength: Math.max(1, limit) }, (error, result) => (error ? reject(error) : resolve(result)))
  })
}

/** The codings of `Content-Encoding` in the order they were applied, lower-case; `identity` dropped. */
function codingsOf(headers: HeaderMap): string[] {
  const out: string[] = []
  for (const value of headerValues(headers, 'content-encoding')) {
    for (const part of value.split(',')) {
      const coding = part.trim().toLowerCase()
      if (coding !== '' && coding !== 'identity') out.push(coding)
    }
  }
  return out
}

/** The request as the later stages see it: the decompressed body, without the coding that no longer applies. */
function decodedRequest(request: GatewayRequest, body: Buffer): GatewayRequest {
  const headers: HeaderMap = {}
  for (const name in request.headers) {
    if (name === 'content-encoding') continue
    headers[name] = name === 'content-length' ? String(body.byteLength) : request.headers[name]!
  }
  return { ...request, headers, body }
}

/**
 * The decompression stage of a compression-enabled API. `limit` is the gateway's payload limit in bytes.
 *
 * @example
 * ```ts
 * const stage = decompressionStage(10 * 1024 * 1024)
 * await stage(state) // undefined: state.request now carries the inflated body; or a 413 / 415 failure
 * ```
 */
export function decompressionStage(limit: number): (state: RequestState) => Promise<IntegrationResult | undefined> | undefined {
  return (state) => {
    const request = state.request
    if (request.headers['content-encoding'] === undefined) return undefined
    const codings = codingsOf(request.headers)
    if (codings.length === 0) return undefined
    if (codings.length > MAX_CODINGS) return Promise.resolve(failure('UNSUPPORTED_MEDIA_TYPE'))
    for (const coding of codings) if (coding !== 'gzip' && coding !== 'deflate') return Promise.resolve(failure('UNSUPPORTED_MEDIA_TYPE'))
    return decode(state, codings, limit)
  }
}

async function decode(state: RequestState, codings: string[], limit: number): Promise<IntegrationResult | undefined> {
  let bytes = bodyBytes(state.request.body)
  if (bytes.byteLength === 0) return undefined
  try {
    // The last coding listed was applied last, so it comes off first.
    for (let i = codings.length - 1; i >= 0; i--) {
      const fn: Inflate = codings[i] === 'gzip' ? gunzip : isZlibStream(bytes) ? inflate : inflateRaw
      bytes = await run(fn, bytes, limit)
    }
  } catch (error) {
    // A payload that inflates past the limit is too large; one zlib cannot read is not compressed as it says.
    // Anything else is unexpected: the pipeline answers 500 and reports it.
    if (tooLarge(error)) return failure('REQUEST_TOO_LARGE')
    if (corrupt(error)) return failure('UNSUPPORTED_MEDIA_TYPE')
    throw error
  }
  state.request = decodedRequest(state.request, bytes)
  return undefined
}
