/**
 * Refusal messages in AWS's own wording (as returned by API Gateway and other SigV4 services), so a client
 * that parses them, or a human who searches them, finds what they would on AWS.
 */
import { amzDate } from './crypto'
import { SIGV4_LIMITS } from './limits'

// Characters that cannot arrive in an HTTP header or path (controls, lone surrogates): replaced in echoes so a
// message, once JSON-encoded, stays within a small factor of its length.
const UNPRINTABLE = /[\u0000-\u0009\u000b-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g
const UNPRINTABLE_OR_NEWLINE = /[\u0000-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g

/** Cuts `s` to `max` characters (never inside a surrogate pair), saying how long it was. */
export function clip(s: string, max: number = SIGV4_LIMITS.maxEchoLength): string {
  if (s.length <= max) return s
  let end = max
  const c = s.charCodeAt(end - 1)
  if (c >= 0xd800 && c <= 0xdbff) end--
  return `${s.slice(0, end)}...[truncated from ${s.length} characters]`
}

/** A piece of the request as echoed in a message: one line, printable, clipped. */
export function echo(s: string, max?: number): string {
  const clipped = clip(s, max)
  return clipped.replace(UNPRINTABLE_OR_NEWLINE, '\uFFFD')
}

export const MISSING_TOKEN = 'Missing Authentication Token'
export const INVALID_CLIENT_TOKEN = 'The security token included in the request is invalid.'
export const EXPIRED_CLIENT_TOKEN = 'The security token included in the request is expired'
export const HOST_NOT_SIGNED = "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."
export const CONTENT_SHA256_MISMATCH = "The provided 'x-amz-content-sha256' header does not match what was computed."

export function missingEqualSign(pair: string, header: string): string {
  return `'${echo(pair, 128)}' not a valid key=value pair (missing equal-sign) in Authorization header: '${echo(header)}'.`
}

export function headerRequires(
  missing: { credential: boolean; signature: boolean; signedHeaders: boolean; date: boolean },
  header: string,
): string {
  let s = ''
  if (missing.credential) s += "Authorization header requires 'Credential' parameter. "
  if (missing.signature) s += "Authorization header requires 'Signature' parameter. "
  if (missing.signedHeaders) s += "Authorization header requires 'SignedHeaders' parameter. "
  if (missing.date) s += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
  return `${s}Authorization=${echo(header)}`
}

export function queryRequires(names: string[]): string {
  return `${names.map((n) => `AWS query-string parameters must include '${n}'. `).join('')}Re-examine the query-string parameters.`
}

export function badDateFormat(value: string): string {
  return `Date must be in ISO-8601 'basic format'. Got '${echo(value, 64)}'. See http://en.wikipedia.org/wiki/ISO_8601`
}

export function credentialElements(credential: string): string {
  return `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${echo(credential, SIGV4_LIMITS.maxCredentialLength)}'`
}

export function badTerminator(term: string): string {
  return `Credential should be scoped with a valid terminator: 'aws4_request', not '${echo(term, 64)}'. `
}

export function badRegion(region: string): string {
  return `Credential should be scoped to a valid region, not '${echo(region, 64)}'. `
}

export function badService(expected: string): string {
  return `Credential should be scoped to correct service: '${expected}'. `
}

export function scopeDateMismatch(scopeDate: string, date: string, from: string): string {
  return `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${echo(scopeDate, 64)}' != '${echo(date, 64)}', from '${from}'.`
}

export function unsupportedAlgorithm(alg: string): string {
  return `Unsupported AWS 'algorithm': '${echo(alg, 64)}'.`
}

function minutes(ms: number): string {
  const m = ms / 60_000
  return Number.isInteger(m) ? String(m) : m.toFixed(2).replace(/\.?0+$/, '')
}

export function signatureExpired(date: string, now: number, windowMs: number): string {
  return `Signature expired: ${date} is now earlier than ${amzDate(now - windowMs)} (${amzDate(now)} - ${minutes(windowMs)} min.)`
}

export function signatureNotYetCurrent(date: string, now: number, windowMs: number): string {
  return `Signature not yet current: ${date} is still later than ${amzDate(now + windowMs)} (${amzDate(now)} + ${minutes(windowMs)} min.)`
}

export const EXPIRES_NOT_NUMBER = 'X-Amz-Expires should be a number'
export const EXPIRES_NEGATIVE = 'X-Amz-Expires must be non-negative'
export const EXPIRES_TOO_LONG = 'X-Amz-Expires must be less than a week (in seconds) that is 604800'

/**
 * AWS's mismatch message quotes the canonical request and the string to sign, the two things a client needs to
 * find its signing bug. Both are kept whole when small (any real request); a canonical request longer than
 * `maxCanonicalEchoLength` keeps its head (method, path, query, first headers) and its tail (signed header list
 * and payload hash) with the cut marked, so the 403 stays a few KB whatever the request.
 */
export function signatureMismatch(canonicalRequest: string, stringToSign: string): string {
  return (
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.' +
    `\n\nThe Canonical String for this request should have been\n'${canonicalEcho(canonicalRequest)}'\n\nThe String-to-Sign should have been\n'${stringToSign}'\n`
  )
}

function canonicalEcho(creq: string): string {
  const max = SIGV4_LIMITS.maxCanonicalEchoLength
  let s = creq
  if (s.length > max) {
    const tail = max >> 2
    let headEnd = max - tail
    let tailStart = s.length - tail
    if (isHigh(s.charCodeAt(headEnd - 1))) headEnd--
    if (isHigh(s.charCodeAt(tailStart - 1))) tailStart++
    s = `${s.slice(0, headEnd)}\n...[${tailStart - headEnd} characters of ${s.length} omitted]...\n${s.slice(tailStart)}`
  }
  // The newlines are the canonical request's structure; other controls cannot come over HTTP.
  return s.replace(UNPRINTABLE, '\uFFFD')
}

function isHigh(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff
}

export function signedHeadersTooLong(count: number, length: number): string {
  return `SignedHeaders lists ${count} headers in ${length} characters; at most ${SIGV4_LIMITS.maxSignedHeaders} headers in ${SIGV4_LIMITS.maxSignedHeadersLength} characters are accepted.`
}

export function signedHeadersUnsorted(list: string): string {
  return `SignedHeaders must name each header once, in sorted order: '${echo(list)}'.`
}

export function credentialTooLong(credential: string): string {
  return `Credential must be at most ${SIGV4_LIMITS.maxCredentialLength} characters, got ${credential.length}: '${echo(credential, 64)}'`
}

export function authorizationTooLong(length: number): string {
  return `Authorization header is ${length} characters long; at most ${SIGV4_LIMITS.maxAuthorizationLength} are accepted.`
}

export function duplicateParameter(name: string, where: 'Authorization header' | 'query string'): string {
  return `The ${where} names '${name}' more than once.`
}
