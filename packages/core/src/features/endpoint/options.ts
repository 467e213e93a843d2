/**
 * Endpoint configuration's options: the API's endpoint type (EDGE, REGIONAL, PRIVATE), its VPC endpoints, the
 * default `execute-api` endpoint switch, and where the gateway learns which VPC endpoint a request came through.
 * Types only.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-endpoint-types.html
 */
import type { GatewayRequest } from '../../types'

/**
 * An API's endpoint type. REST APIs are `EDGE` by default; HTTP APIs are always `REGIONAL`.
 *
 * @example
 * ```ts
 * import type { EndpointType } from '@gatehousejs/core'
 * const type: EndpointType = 'PRIVATE'
 * ```
 */
export type EndpointType = 'EDGE' | 'REGIONAL' | 'PRIVATE'

/**
 * `x-amazon-apigateway-endpoint-configuration` (Swagger 2: at the document's top level; OpenAPI 3: on a `servers`
 * entry, or at the top level), or `endpointConfiguration` of a native definition. `types` is the RestApi's
 * `EndpointConfiguration.types` (one type); `ipAddressType` is accepted and has no effect in-process.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-endpoint-configuration.html
 *
 * @example
 * ```ts
 * import { createGateway, type EndpointConfiguration } from '@gatehousejs/core'
 * const endpointConfiguration: EndpointConfiguration = { types: ['PRIVATE'], vpcEndpointIds: ['vpce-0212a4ababd5b8c3e'] }
 * const gw = createGateway({
 *   api: {
 *     openapi: '3.0.1',
 *     info: { title: 'private', version: '1' },
 *     'x-amazon-apigateway-endpoint-configuration': endpointConfiguration,
 *     paths: { '/pets': { get: { 'x-amazon-apigateway-integration': { type: 'mock' } } } },
 *   },
 *   endpoint: { trustVpceHeader: true },
 * })
 * const res = await gw.handle({ method: 'GET', path: '/pets', headers: { 'x-amzn-vpce-id': 'vpce-01d622316a7df47f9' } })
 * res.statusCode // 403: not one of the API's VPC endpoints
 * ```
 */
export interface EndpointConfiguration {
  /** The endpoint type, as a list of one (`['PRIVATE']`). */
  types?: readonly EndpointType[]
  /** PRIVATE REST APIs: the VPC endpoints requests may come through (empty or absent: any VPC endpoint). */
  vpcEndpointIds?: readonly string[]
  /** Refuse requests addressed to the default `{apiId}.execute-api.{region}.amazonaws.com` host (403). */
  disableExecuteApiEndpoint?: boolean
  /** `ipv4` or `dualstack`: which clients AWS's DNS answers; no effect in-process. */
  ipAddressType?: 'ipv4' | 'dualstack'
}

/**
 * `createGateway`'s `endpoint` option. A PRIVATE API admits only requests that came through a VPC endpoint, and a
 * library cannot see the network path: the operator says where the VPC endpoint id comes from, with
 * `vpcEndpointId` (a function of the request) or `trustVpceHeader` (the `x-amzn-vpce-id` header set by a proxy
 * the operator trusts to overwrite it). With neither, a PRIVATE API refuses every request (and a warning says so
 * when the gateway is built). What they resolve is also `aws:SourceVpce` / `aws:SourceVpc` for resource policies.
 *
 * @example
 * ```ts
 * import { createGateway, type EndpointOptions } from '@gatehousejs/core'
 * const endpoint: EndpointOptions = {
 *   type: 'PRIVATE',
 *   // Requests arrive through a proxy that tags them with the VPC endpoint they came through.
 *   vpcEndpointId: (request) => (request.sourceIp?.startsWith('10.1.') ? 'vpce-0212a4ababd5b8c3e' : undefined),
 *   vpcId: (request) => (request.sourceIp?.startsWith('10.1.') ? 'vpc-0a1b2c3d' : undefined),
 * }
 * const gw = createGateway({
 *   api: { resources: { '/pets': { GET: { integration: { type: 'AWS_PROXY', uri: 'listPets' } } } } },
 *   functions: { listPets: async () => ({ statusCode: 200, body: '[]' }) },
 *   endpoint,
 * })
 * ;(await gw.handle({ method: 'GET', path: '/pets', headers: {}, sourceIp: '10.1.2.3' })).statusCode // 200
 * ;(await gw.handle({ method: 'GET', path: '/pets', headers: {}, sourceIp: '192.0.2.1' })).statusCode // 403
 * ```
 */
export interface EndpointOptions {
  /** The endpoint type, as import's `endpointConfigurationTypes` parameter: overrides the definition's `types`. */
  type?: EndpointType
  /** The VPC endpoint (`vpce-…`) a request came through, or `undefined` when it did not come through one. */
  vpcEndpointId?: (request: GatewayRequest) => string | undefined
  /** The VPC (`vpc-…`) a request came from, for `aws:SourceVpc`. */
  vpcId?: (request: GatewayRequest) => string | undefined
  /**
   * Read the VPC endpoint id from the `x-amzn-vpce-id` header. Only behind a proxy that sets it and drops the
   * client's own: any client can send the header. A request carrying it twice has no VPC endpoint.
   */
  trustVpceHeader?: boolean
}
