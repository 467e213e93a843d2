/** The documents, gateways and requests the endpoint tests share (`endpoint.test.ts`, `endpoint-private.test.ts`). */
import { createGateway, type GatewayInput, type GatewayRequest, type GatewayWarning } from '@gatehousejs/core'
import { echo, req } from './helpers'

export const ACCOUNT = '111122223333'
export const API_ID = 'abc123'
export const MASKED = (method: string, path: string) => `arn:aws:execute-api:us-east-1:********3333:${API_ID}/prod/${method}${path}`
export const DENIED = (method: string, path: string) =>
  `User: anonymous is not authorized to perform: execute-api:Invoke on resource: ${MASKED(method, path)}`
export const KEY = 'x-amazon-apigateway-endpoint-configuration'
export const VPCE_A = 'vpce-0212a4ababd5b8c3e'
export const VPCE_B = 'vpce-01d622316a7df47f9'
export const VPCE_OTHER = 'vpce-0aaaaaaaaaaaaaaaa'

export const integration = { type: 'aws_proxy', httpMethod: 'POST', uri: 'echo' }
export const paths = {
  '/pets': { get: { 'x-amazon-apigateway-integration': integration } },
  '/admin': { get: { security: [{ sigv4: [] }], 'x-amazon-apigateway-integration': integration } },
}
export const securitySchemes = {
  sigv4: { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'awsSigv4' },
}

/** Swagger 2: the extension at the top level. */
export function swagger(configuration: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    swagger: '2.0',
    info: { title: 'endpoint', version: '1' },
    paths,
    securityDefinitions: securitySchemes,
    [KEY]: configuration,
    ...extra,
  }
}

/** OpenAPI 3: the extension on a `servers` entry. */
export function openapi(configuration: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    openapi: '3.0.1',
    info: { title: 'endpoint', version: '1' },
    servers: [{ url: 'https://{restApiId}.execute-api.us-east-1.amazonaws.com/{basePath}', [KEY]: configuration }],
    paths,
    components: { securitySchemes },
    ...extra,
  }
}

export function gateway(api: Record<string, unknown>, extra: Partial<GatewayInput> = {}) {
  const warnings: GatewayWarning[] = []
  const gw = createGateway({
    api,
    apiId: API_ID,
    accountId: ACCOUNT,
    functions: { echo },
    onWarning: (w) => warnings.push(w),
    ...extra,
  })
  return Object.assign(gw, { warned: warnings })
}

export const viaVpce = (...ids: string[]): GatewayRequest =>
  req('GET', '/pets', ids.length === 0 ? {} : { headers: { 'x-amzn-vpce-id': ids.length === 1 ? ids[0]! : ids } })
