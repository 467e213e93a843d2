/**
 * Core's HTTP helpers on its request shape, one concept per file.
 */
export { bodyBytes, bodyLength } from './body'
export { headerKey } from './header-keys'
export {
  canonicalHeaderName,
  getOwn,
  headerValue,
  headerValues,
  isFieldValue,
  isHeaderName,
  isHopByHop,
  lastHeaderValue,
  setOwn,
  spellingOf,
  withoutHopByHop,
} from './headers'
export { isTextMediaType, mediaType, mediaTypeMatcher } from './media-type'
export { parseQuery, safeDecode } from './query'
export {
  droppedFromRequest,
  headerFate,
  isHttpApiReservedHeader,
  type HeaderFate,
  type HeaderIntegrationType,
  reserveResponseHeaders,
  responseHeaderName,
  restEventHeaderName,
} from './reserved-headers'
export { traceHeader } from './trace-id'
export { clfTime } from './time'
