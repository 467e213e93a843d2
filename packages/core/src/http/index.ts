/**
 * Core's HTTP helpers on its request shape, one concept per file.
 */
export { bodyBytes, bodyLength } from './body'
export { canonicalHeaderName, getOwn, headerValue, headerValues, isHopByHop, lastHeaderValue, setOwn } from './headers'
export { isTextMediaType, mediaType, mediaTypeMatcher } from './media-type'
export { parseQuery, safeDecode } from './query'
export { clfTime } from './time'
