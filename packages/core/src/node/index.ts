/**
 * `@gatehousejs/core/node`: the node:http ⇄ core conversion the adapters share (adapters may not import each
 * other, so it lives with core). One file per concept; this entry names what is published.
 */
export { announcedLength, announcesBody, bodyLimitOf, DEFAULT_BODY_LIMIT, markTruncated, TOO_LARGE, wasTruncated } from './body-limit'
export { consumedBody, isAbort, readBody, type BodyRead } from './body-read'
export { clientCertOf } from './client-cert'
export { headerKey, isFieldValue, isHeaderName, setOwn, spellingOf } from '../http'
export { appendHeader, headersFromRaw } from './headers'
export { INTERNAL_ERROR_BODY, reportError, writeInternalError } from './internal-error'
export type { NodeAdapterOptions } from './options'
export { toGatewayRequest } from './request'
export { addPassthroughHeaders, writeResponse } from './response'
export { serveNode } from './serve'
export { clientAddress, sourceIpOf } from './source-ip'
export { splitTarget } from './target'
