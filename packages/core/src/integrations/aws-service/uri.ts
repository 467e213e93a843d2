/**
 * AWS service integration URIs, as API Gateway reads them:
 * `arn:{partition}:apigateway:{region}:{subdomain.}{service}:action/{Action}` or `…:path/{path}`.
 * https://docs.aws.amazon.com/apigateway/latest/api/API_Integration.html (uri)
 */
import { GatewayConfigError } from '../../errors'
import type { CompiledApi } from '../../model'
import type { AwsOptions } from './options'
import { defaultEndpoint, REGION } from './services'
import { endpointBase } from './validate'

/** A parsed service URI. */
export interface ServiceUri {
  region: string
  service: string
  subdomain: string | undefined
  style: 'action' | 'path'
  /** The action name (`action/`) or the path template after `path/` (`{bucket}/{object}`). */
  rest: string
}

const ARN = /^arn:aws[\w-]*:apigateway:([^:]*):([^:/]+):(action|path)\/(.*)$/s

/**
 * Parse an integration URI naming an AWS service; undefined when it is not one.
 *
 * @example
 * ```ts
 * parseServiceUri('arn:aws:apigateway:us-east-1:s3:path/{bucket}/{object}', api, '/x/uri')
 * // { region: 'us-east-1', service: 's3', subdomain: undefined, style: 'path', rest: '{bucket}/{object}' }
 * ```
 */
export function parseServiceUri(uri: string, api: CompiledApi, at: string): ServiceUri | undefined {
  const m = ARN.exec(uri)
  if (!m) return undefined
  const region = m[1] === '' ? api.region : m[1]!
  const host = m[2]!
  const dot = host.lastIndexOf('.')
  const service = dot === -1 ? host : host.slice(dot + 1)
  const subdomain = dot === -1 ? undefined : host.slice(0, dot)
  const style = m[3] as 'action' | 'path'
  const rest = m[4]!
  // Lambda runs in process: its URI's region names no endpoint (documents often keep a `<region>` placeholder).
  if (service === 'lambda') return { region, service, subdomain, style, rest }
  if (!REGION.test(region)) throw new GatewayConfigError('INVALID_DEFINITION', `"${region}" is not an AWS region`, at)
  if (!/^[a-z0-9][a-z0-9-]*$/.test(service) || (subdomain !== undefined && !/^[A-Za-z0-9][A-Za-z0-9.-]*$/.test(subdomain)))
    throw new GatewayConfigError('INVALID_DEFINITION', `"${host}" is not a service as integration URIs name one`, at)
  if (style === 'action' && !/^[A-Za-z][A-Za-z0-9]*$/.test(rest))
    throw new GatewayConfigError('INVALID_DEFINITION', `"${rest}" is not an action name (action/{Action})`, at)
  return { region, service, subdomain, style, rest }
}

/**
 * Where a service's requests go: the operator's `aws.endpoints[service]`, else the regional AWS endpoint.
 *
 * @example
 * ```ts
 * serviceBase({ endpoints: { sqs: 'http://127.0.0.1:4566' } }, 'sqs', 'us-east-1') // 'http://127.0.0.1:4566'
 * ```
 */
export function serviceBase(aws: AwsOptions | undefined, service: string, region: string, subdomain?: string): string {
  const given = aws?.endpoints
  if (given && Object.hasOwn(given, service)) return endpointBase(given[service], service)
  return defaultEndpoint(service, region, subdomain)
}
