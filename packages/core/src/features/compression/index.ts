/**
 * Payload compression of REST APIs (`minimumCompressionSize`, `x-amazon-apigateway-minimum-compression-size`,
 * 0–10,485,760 bytes). When it is set, request payloads with `Content-Encoding: gzip | deflate` are decompressed
 * before validation and mapping templates, and answers of at least that many bytes are compressed for clients whose
 * `Accept-Encoding` asks for it. APIs without it (and HTTP APIs, which have no such setting) pay nothing.
 *
 * Two features, because API Gateway does the two halves at two places of its pipeline: decompression before request
 * validation, compression after the stage cache stored the uncompressed answer (the cache holds the integration
 * response, which API Gateway compresses on its way to each client according to that client's `Accept-Encoding`).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-gzip-compression-decompression.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-openapi-minimum-compression-size.html
 * https://docs.aws.amazon.com/apigateway/latest/api/API_RestApi.html#minimumCompressionSize
 */
import { GatewayConfigError, pointer } from '../../errors'
import { nativePointer, pointerTableOf } from '../../openapi/pointers'
import type { Feature, GatewayContext } from '../types'
import { decompressionStage } from './request'
import { compressionStage } from './response'

export { chooseCoding, type ResponseCoding } from './accept-encoding'

const EXTENSION = 'x-amazon-apigateway-minimum-compression-size'

/** API Gateway's bounds of `minimumCompressionSize` (10M bytes). */
export const MAX_MINIMUM_COMPRESSION_SIZE = 10_485_760

/** The payload limit when the gateway sets none (API Gateway's 10 MB). */
const DEFAULT_LIMIT = 10 * 1024 * 1024

/** The API's `minimumCompressionSize` when compression applies to it, else null. */
function minimumOf(gateway: GatewayContext): number | null {
  const value = gateway.definition.minimumCompressionSize
  if (value === undefined || value === null || gateway.api.apiType !== 'REST') return null
  return value
}

/**
 * Decompression of compressed method request payloads, before request validation.
 *
 * @example
 * ```ts
 * import { createGateway } from '@gatehousejs/core'
 * import { gzipSync } from 'node:zlib'
 * const gw = createGateway({
 *   api: { minimumCompressionSize: 0, resources: { '/echo': { POST: { integration: { type: 'AWS_PROXY', uri: 'echo' } } } } },
 *   functions: { echo: async (event) => ({ statusCode: 200, body: event.body }) },
 * })
 * const res = await gw.handle({ method: 'POST', path: '/echo', headers: { 'content-encoding': 'gzip' }, body: gzipSync('{"a":1}') })
 * res.body // '{"a":1}'
 * ```
 */
export const requestDecompressionFeature: Feature = {
  name: 'request-decompression',
  apiExtensions: [EXTENSION],

  importApi(doc, api, ctx) {
    const raw = doc[EXTENSION]
    if (raw === undefined) return
    if (ctx.apiType !== 'REST') {
      ctx.warn({ code: 'IGNORED_SETTING', message: `${EXTENSION}: HTTP APIs have no payload compression`, pointer: pointer(EXTENSION) })
      return
    }
    // Checked by `validate`, whose error the pointer table maps back to the extension.
    api.minimumCompressionSize = raw as number
    pointerTableOf(ctx).record(nativePointer('minimumCompressionSize'), pointer(EXTENSION), 'exact')
  },

  validate(gateway) {
    const value: unknown = gateway.definition.minimumCompressionSize
    if (value === undefined || value === null) return
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_MINIMUM_COMPRESSION_SIZE) {
      throw new GatewayConfigError(
        'INVALID_DEFINITION',
        `minimumCompressionSize must be an integer from 0 to ${MAX_MINIMUM_COMPRESSION_SIZE}, got ${JSON.stringify(value) ?? String(value)}`,
        nativePointer('minimumCompressionSize'),
      )
    }
    if (gateway.api.apiType !== 'REST') {
      gateway.warn({
        code: 'IGNORED_SETTING',
        message: 'minimumCompressionSize applies to REST APIs only',
        pointer: nativePointer('minimumCompressionSize'),
      })
    }
  },

  compileRoute(route) {
    if (minimumOf(route) === null) return null
    return { before: decompressionStage(route.input.maxBodyBytes ?? DEFAULT_LIMIT) }
  },
}

/**
 * Compression of answers at or above `minimumCompressionSize`, after the stage cache's store.
 *
 * @example
 * ```ts
 * import { createGateway } from '@gatehousejs/core'
 * import { gunzipSync } from 'node:zlib'
 * const gw = createGateway({
 *   api: { minimumCompressionSize: 16, resources: { '/pets': { GET: { integration: { type: 'AWS_PROXY', uri: 'listPets' } } } } },
 *   functions: { listPets: async () => ({ statusCode: 200, body: JSON.stringify([{ id: 1 }, { id: 2 }]) }) },
 * })
 * const res = await gw.handle({ method: 'GET', path: '/pets', headers: { 'accept-encoding': 'gzip' } })
 * res.headers['content-encoding'] // 'gzip'
 * gunzipSync(res.body).toString() // '[{"id":1},{"id":2}]'
 * ```
 */
export const responseCompressionFeature: Feature = {
  name: 'response-compression',

  compileRoute(route) {
    const minimum = minimumOf(route)
    return minimum === null ? null : { respond: compressionStage(minimum) }
  },
}
