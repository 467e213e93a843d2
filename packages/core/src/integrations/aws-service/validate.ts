/**
 * Build-time checks of the `aws` option: a bad option is a {@link GatewayConfigError} (`INVALID_OPTION`) when the
 * gateway is built, never a failure of the first request.
 */
import { GatewayConfigError } from '../../errors'
import type { AwsOptions } from './options'

const NAME = /^[a-z0-9][a-z0-9-]*$/

function invalid(message: string): never {
  throw new GatewayConfigError('INVALID_OPTION', `aws.${message}`)
}

function checkCredentials(c: unknown): void {
  if (c === undefined || typeof c === 'function') return
  if (c === null || typeof c !== 'object') invalid('credentials must be { accessKeyId, secretAccessKey, sessionToken? } or a function')
  const { accessKeyId, secretAccessKey, sessionToken } = c as Record<string, unknown>
  if (typeof accessKeyId !== 'string' || accessKeyId === '') invalid('credentials.accessKeyId must be a non-empty string')
  if (typeof secretAccessKey !== 'string' || secretAccessKey === '') invalid('credentials.secretAccessKey must be a non-empty string')
  if (sessionToken !== undefined && typeof sessionToken !== 'string') invalid('credentials.sessionToken must be a string')
}

/**
 * The base URL of an endpoint: `http:` or `https:`, a host, maybe a port and a path prefix; no query, fragment,
 * user info or template braces. Returned without a trailing `/`.
 *
 * @example
 * ```ts
 * endpointBase('http://127.0.0.1:4566/', 'sqs') // 'http://127.0.0.1:4566'
 * ```
 */
export function endpointBase(value: unknown, service: string): string {
  if (typeof value !== 'string') invalid(`endpoints.${service} must be a URL string`)
  let url: URL
  try {
    url = new URL(value as string)
  } catch {
    return invalid(`endpoints.${service} is not a URL: ${JSON.stringify(value)}`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') invalid(`endpoints.${service} must be an http: or https: URL`)
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '' || /[{}]/.test(value as string))
    invalid(`endpoints.${service} must be a base URL: no query, fragment, user info or braces`)
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`
}

/**
 * Check the `aws` option (throws `INVALID_OPTION`).
 *
 * @example
 * ```ts
 * validateAwsOptions({ endpoints: { sqs: 'http://127.0.0.1:4566' } }) // ok
 * validateAwsOptions({ endpoints: { sqs: 'ftp://x' } }) // throws GatewayConfigError INVALID_OPTION
 * ```
 */
export function validateAwsOptions(aws: AwsOptions | undefined): void {
  if (aws === undefined) return
  if (aws === null || typeof aws !== 'object') invalid('aws must be an object')
  checkCredentials(aws.credentials)
  for (const key of ['endpoints', 'services'] as const) {
    const map = aws[key]
    if (map === undefined) continue
    if (map === null || typeof map !== 'object' || Array.isArray(map)) invalid(`${key} must be an object keyed by service name`)
    for (const [service, value] of Object.entries(map)) {
      if (!NAME.test(service)) invalid(`${key}: "${service}" is not a service name as integration URIs write it (sqs, dynamodb, …)`)
      if (key === 'endpoints') endpointBase(value, service)
      else if (typeof value !== 'function') invalid(`services.${service} must be a function (signedRequest) => response`)
    }
  }
}
