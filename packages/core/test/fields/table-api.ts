/**
 * Rows of the table: gateway responses, CORS, endpoint configuration and request validators (see table.ts).
 */
import { type FieldRow, acted, inert, unknown, DG, API, CORS, GATEWAY_RESPONSE, ENDPOINT, VALIDATOR } from './rows'

export const GATEWAY_RESPONSE_ROWS: readonly FieldRow[] = [
  acted(
    'gatewayResponse',
    'statusCode',
    404,
    'rest-proxy.test.ts › customises a type: status, headers and a template with $context.error.messageString',
    GATEWAY_RESPONSE,
  ),
  acted(
    'gatewayResponse',
    'responseParameters',
    { 'gatewayresponse.header.x-a': "'1'" },
    'rest-proxy.test.ts › customises a type: status, headers and a template with $context.error.messageString',
    `${DG}api-gateway-swagger-extensions-gateway-responses.responseParameters.html`,
  ),
  acted(
    'gatewayResponse',
    'responseTemplates',
    { 'application/json': '{}' },
    'rest-proxy.test.ts › customises a type: status, headers and a template with $context.error.messageString',
    `${DG}api-gateway-swagger-extensions-gateway-responses.responseTemplates.html`,
  ),
  unknown('gatewayResponse', 'madeUp', GATEWAY_RESPONSE),
]

export const CORS_ROWS: readonly FieldRow[] = [
  acted('cors', 'allowOrigins', ['https://a.example'], 'http-api.test.ts › matches wildcard origins and refuses others', CORS, {
    apiType: 'HTTP',
  }),
  acted('cors', 'allowMethods', ['GET'], 'http-api.test.ts › answers preflight requests itself', CORS, { apiType: 'HTTP' }),
  acted('cors', 'allowHeaders', ['x-a'], 'http-api.test.ts › answers preflight requests itself', CORS, { apiType: 'HTTP' }),
  acted(
    'cors',
    'exposeHeaders',
    ['x-a'],
    'http-api.test.ts › sets CORS headers on actual responses, errors included, overriding the integration',
    CORS,
    { apiType: 'HTTP' },
  ),
  acted('cors', 'maxAge', 60, 'http-api.test.ts › answers preflight requests itself', CORS, { apiType: 'HTTP' }),
  acted('cors', 'allowCredentials', true, 'http-api.test.ts › refuses allowCredentials with a * origin at build time', CORS, {
    apiType: 'HTTP',
    with: { allowOrigins: ['https://a.example'] },
  }),
  unknown('cors', 'madeUp', CORS, { apiType: 'HTTP' }),
]

export const ENDPOINT_ROWS: readonly FieldRow[] = [
  acted(
    'endpointConfiguration',
    'types',
    ['REGIONAL'],
    'endpoint.test.ts › REST: every field is acted on, none is warned about, strict accepts them',
    ENDPOINT,
  ),
  acted(
    'endpointConfiguration',
    'vpcEndpointIds',
    ['vpce-0212a4ababd5b8c3e'],
    'endpoint.test.ts › EndpointConfiguration: a request from a VPC endpoint not listed is refused',
    ENDPOINT,
    { with: { types: ['PRIVATE'] } },
  ),
  acted(
    'endpointConfiguration',
    'disableExecuteApiEndpoint',
    false,
    'endpoint.test.ts › false, or absent, leaves the default endpoint on',
    ENDPOINT,
  ),
  inert(
    'endpointConfiguration',
    'ipAddressType',
    'dualstack',
    'IPv4 or dual-stack addressing is where the API listens, not how it answers',
    `${API}API_EndpointConfiguration.html`,
  ),
  unknown('endpointConfiguration', 'madeUp', ENDPOINT),
]

export const REQUEST_VALIDATOR_ROWS: readonly FieldRow[] = [
  acted(
    'requestValidator',
    'validateRequestBody',
    true,
    'validation.test.ts › a method can switch validation off with a validator that validates nothing',
    VALIDATOR,
  ),
  acted(
    'requestValidator',
    'validateRequestParameters',
    true,
    'validation.test.ts › lists a required path parameter the route cannot fill',
    VALIDATOR,
  ),
  unknown('requestValidator', 'madeUp', VALIDATOR),
]
