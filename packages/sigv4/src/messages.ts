/**
 * Refusal messages in AWS's own wording (as returned by API Gateway and other SigV4 services), so a client
 * that parses them, or a human who searches them, finds what they would on AWS.
 */
import { amzDate } from './crypto'

export const MISSING_TOKEN = 'Missing Authentication Token'
export const INVALID_CLIENT_TOKEN = 'The security token included in the request is invalid.'
export const EXPIRED_CLIENT_TOKEN = 'The security token included in the request is expired'
export const HOST_NOT_SIGNED = "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."
export const CONTENT_SHA256_MISMATCH = "The provided 'x-amz-content-sha256' header does not match what was computed."

export function missingEqualSign(pair: string, header: string): string {
  return `'${pair}' not a valid key=value pair (missing equal-sign) in Authorization header: '${header}'.`
}

export function headerRequires(missing: { credential: boolean; signature: boolean; signedHeaders: boolean; date: boolean }, header: string): string {
  let s = ''
  if (missing.credential) s += "Authorization header requires 'Credential' parameter. "
  if (missing.signature) s += "Authorization header requires 'Signature' parameter. "
  if (missing.signedHeaders) s += "Authorization header requires 'SignedHeaders' parameter. "
  if (missing.date) s += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
  return `${s}Authorization=${header}`
}

export function queryRequires(names: string[]): string {
  return `${names.map((n) => `AWS query-string parameters must include '${n}'. `).join('')}Re-examine the query-string parameters.`
}

export function badDateFormat(value: string): string {
  return `Date must be in ISO-8601 'basic format'. Got '${value}'. See http://en.wikipedia.org/wiki/ISO_8601`
}

export function credentialElements(credential: string): string {
  return `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`
}

export function badTerminator(term: string): string {
  return `Credential should be scoped with a valid terminator: 'aws4_request', not '${term}'. `
}

export function badRegion(region: string): string {
  return `Credential should be scoped to a valid region, not '${region}'. `
}

export function badService(expected: string): string {
  return `Credential should be scoped to correct service: '${expected}'. `
}

export function scopeDateMismatch(scopeDate: string, date: string, from: string): string {
  return `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${date}', from '${from}'.`
}

export function unsupportedAlgorithm(alg: string): string {
  return `Unsupported AWS 'algorithm': '${alg}'.`
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

export function signatureMismatch(canonicalRequest: string, stringToSign: string): string {
  return (
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.' +
    `\n\nThe Canonical String for this request should have been\n'${canonicalRequest}'\n\nThe String-to-Sign should have been\n'${stringToSign}'\n`
  )
}
