/**
 * Reading an endpoint configuration (`x-amazon-apigateway-endpoint-configuration`, a native definition's
 * `endpointConfiguration`, the `endpoint` option) into the facts the endpoint stage acts on, checked once when the
 * gateway is built. Problems name the JSON pointer of the offending value.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-endpoint-configuration.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-endpoint-types.html
 */
import type { ApiType } from '../../definition'
import { GatewayConfigError, toText, type GatewayWarning } from '../../errors'
import { headerValues } from '../../http'
import { isObject } from '../../json'
import type { GatewayRequest } from '../../types'
import type { EndpointConfiguration, EndpointOptions, EndpointType } from './options'

/** Where a request came from, as far as the operator's resolvers know. */
export interface RequestSource {
  vpce: string | undefined
  vpc: string | undefined
}

const ENDPOINT_TYPES: readonly EndpointType[] = ['EDGE', 'REGIONAL', 'PRIVATE']
const IP_ADDRESS_TYPES = ['ipv4', 'dualstack']
/** The endpoint configuration fields gatehouse reads; any other is warned about. */
export const ENDPOINT_CONFIGURATION_FIELDS: readonly string[] = ['types', 'vpcEndpointIds', 'disableExecuteApiEndpoint', 'ipAddressType']
const KNOWN_FIELDS = new Set(ENDPOINT_CONFIGURATION_FIELDS)
/** Longest id part accepted after `vpce-` / `vpc-` (AWS's are 8 or 17 hexadecimal digits). */
const MAX_ID = 64

function invalid(message: string, at: string): never {
  throw new GatewayConfigError('INVALID_DEFINITION', message, at)
}

/** `prefix` followed by 1 to {@link MAX_ID} lower-case letters or digits: `vpce-0212a4ababd5b8c3e`, `vpc-0a1b2c3d`. */
function isId(value: unknown, prefix: string): value is string {
  if (typeof value !== 'string' || !value.startsWith(prefix)) return false
  const n = value.length - prefix.length
  if (n < 1 || n > MAX_ID) return false
  for (let i = prefix.length; i < value.length; i++) {
    const c = value.charCodeAt(i)
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 122))) return false
  }
  return true
}

/**
 * Whether `value` has the shape of a VPC endpoint id (`vpce-` and lower-case letters or digits).
 *
 * @example
 * ```ts
 * isVpcEndpointId('vpce-0212a4ababd5b8c3e') // true
 * isVpcEndpointId('vpce-0212A4') // false
 * ```
 */
export function isVpcEndpointId(value: unknown): value is string {
  return isId(value, 'vpce-')
}

/**
 * An endpoint configuration checked and normalised. For HTTP APIs only `disableExecuteApiEndpoint` (and the
 * inert `ipAddressType`) apply: `types` other than `REGIONAL` and `vpcEndpointIds` are warned about and dropped, so
 * reading the result again warns about nothing.
 *
 * @example
 * ```ts
 * readEndpointConfiguration({ vpcEndpointIds: ['vpce-1a2b'], types: ['PRIVATE'] }, '/x', 'REST', warn)
 * // { types: ['PRIVATE'], vpcEndpointIds: ['vpce-1a2b'] }
 * ```
 */
export function readEndpointConfiguration(
  value: unknown,
  at: string,
  apiType: ApiType,
  warn: (w: GatewayWarning) => void,
): EndpointConfiguration {
  if (!isObject(value)) invalid('the endpoint configuration must be an object', at)
  const out: { -readonly [K in keyof EndpointConfiguration]: EndpointConfiguration[K] } = {}
  for (const key of Object.keys(value)) {
    if (!KNOWN_FIELDS.has(key))
      warn({ code: 'UNSUPPORTED_EXTENSION', message: `endpoint configuration field "${key}" is not implemented`, pointer: `${at}/${key}` })
  }
  const { types, vpcEndpointIds, disableExecuteApiEndpoint, ipAddressType } = value
  if (types !== undefined) {
    if (!Array.isArray(types) || types.length !== 1 || !ENDPOINT_TYPES.includes(types[0] as EndpointType))
      invalid('types must be a list of one endpoint type: EDGE, REGIONAL or PRIVATE', `${at}/types`)
    const type = types[0] as EndpointType
    if (apiType === 'HTTP' && type !== 'REGIONAL')
      warn({ code: 'IGNORED_SETTING', message: 'HTTP APIs are REGIONAL: types is ignored', pointer: `${at}/types` })
    else out.types = [type]
  }
  if (vpcEndpointIds !== undefined) {
    if (!Array.isArray(vpcEndpointIds)) invalid('vpcEndpointIds must be a list of VPC endpoint ids', `${at}/vpcEndpointIds`)
    vpcEndpointIds.forEach((id, i) => {
      if (!isVpcEndpointId(id)) invalid(`"${toText(id)}" is not a VPC endpoint id (vpce-…)`, `${at}/vpcEndpointIds/${i}`)
    })
    if (apiType === 'HTTP')
      warn({ code: 'IGNORED_SETTING', message: 'vpcEndpointIds applies to PRIVATE REST APIs only', pointer: `${at}/vpcEndpointIds` })
    else out.vpcEndpointIds = [...(vpcEndpointIds as string[])]
  }
  if (disableExecuteApiEndpoint !== undefined) {
    if (typeof disableExecuteApiEndpoint !== 'boolean')
      invalid('disableExecuteApiEndpoint must be a boolean', `${at}/disableExecuteApiEndpoint`)
    out.disableExecuteApiEndpoint = disableExecuteApiEndpoint
  }
  if (ipAddressType !== undefined) {
    if (typeof ipAddressType !== 'string' || !IP_ADDRESS_TYPES.includes(ipAddressType))
      invalid('ipAddressType must be "ipv4" or "dualstack"', `${at}/ipAddressType`)
    out.ipAddressType = ipAddressType as 'ipv4' | 'dualstack'
  }
  return out
}

/**
 * The `endpoint` option checked: its type, and a resolver of a request's source (`null` when the operator gave
 * none: no request has a known VPC endpoint then).
 *
 * @example
 * ```ts
 * const { type, resolve } = readEndpointOptions({ trustVpceHeader: true }, 'REST')
 * resolve?.({ method: 'GET', path: '/', headers: { 'x-amzn-vpce-id': 'vpce-1a2b' } }) // { vpce: 'vpce-1a2b', vpc: undefined }
 * ```
 */
export function readEndpointOptions(
  options: EndpointOptions | undefined,
  apiType: ApiType,
): { type: EndpointType | undefined; resolve: ((request: GatewayRequest) => RequestSource) | null } {
  if (options === undefined) return { type: undefined, resolve: null }
  const bad = (message: string): never => {
    throw new GatewayConfigError('INVALID_OPTION', `endpoint: ${message}`)
  }
  if (!isObject(options as unknown)) bad('must be an object')
  const { type, vpcEndpointId, vpcId, trustVpceHeader } = options
  if (type !== undefined && !ENDPOINT_TYPES.includes(type)) bad('type must be EDGE, REGIONAL or PRIVATE')
  if (apiType === 'HTTP' && type !== undefined && type !== 'REGIONAL') bad('HTTP APIs are REGIONAL')
  if (vpcEndpointId !== undefined && typeof vpcEndpointId !== 'function') bad('vpcEndpointId must be a function of the request')
  if (vpcId !== undefined && typeof vpcId !== 'function') bad('vpcId must be a function of the request')
  if (trustVpceHeader !== undefined && typeof trustVpceHeader !== 'boolean') bad('trustVpceHeader must be a boolean')
  if (trustVpceHeader && vpcEndpointId) bad('give either vpcEndpointId or trustVpceHeader, not both')
  const endpointOf: ((request: GatewayRequest) => string | undefined) | undefined = trustVpceHeader
    ? (request) => {
        // A header given twice is a client's value beside the proxy's: no trustworthy answer.
        const values = headerValues(request.headers, 'x-amzn-vpce-id')
        return values.length === 1 ? values[0] : undefined
      }
    : vpcEndpointId
  if (!endpointOf && !vpcId) return { type, resolve: null }
  return {
    type,
    resolve: (request) => {
      const vpce = endpointOf?.(request)
      const vpc = vpcId?.(request)
      return { vpce: isVpcEndpointId(vpce) ? vpce : undefined, vpc: isId(vpc, 'vpc-') ? vpc : undefined }
    },
  }
}
