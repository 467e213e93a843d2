/**
 * Parameter mapping is applied, not warned about, wherever API Gateway has it: REST HTTP_PROXY `requestParameters`,
 * and HTTP APIs' parameter mapping on Lambda and HTTP proxy integrations (AWS_PROXY on REST only feeds cache keys).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/request-response-data-mappings.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-parameter-mapping.html
 */
import { describe, expect, it } from 'vitest'
import { createGateway, type GatewayWarning, type IntegrationDefinition } from '@gatehousejs/core'

function warningsFor(integration: IntegrationDefinition, apiType: 'REST' | 'HTTP' = 'REST', strict = false): GatewayWarning[] {
  const warnings: GatewayWarning[] = []
  createGateway({
    api: { resources: { '/b/{id}': { GET: { integration } } } },
    apiType,
    strict,
    functions: { f: async () => ({ statusCode: 200 }) },
    onWarning: (w) => warnings.push(w),
  })
  return warnings
}

describe('parameter mapping is applied, not warned', () => {
  // Changed for issue #21 item 11: REST HTTP_PROXY requestParameters are applied (AWS recording
  // test_apigateway_http.snapshot.json, test_http_proxy_integration_request_data_mappings, recorded 18-07-2024,
  // localstack/localstack at 8b9a79f05846835cf4dff63ab7eefdde9df83783; see aws-fidelity-headers.test.ts), so they
  // are no longer warned about.
  it('REST HTTP_PROXY: a mapping to another name is applied, not warned', () => {
    const warnings = warningsFor({
      type: 'HTTP_PROXY',
      uri: 'http://backend.example/b/{myid}',
      requestParameters: { 'integration.request.path.myid': 'method.request.path.id', 'integration.request.header.x-a': "'1'" },
    })
    expect(warnings).toEqual([])
  })

  it('REST HTTP_PROXY: same-name path parameters are what happens anyway, not warned', () => {
    expect(
      warningsFor({
        type: 'HTTP_PROXY',
        uri: 'http://backend.example/b/{id}',
        requestParameters: { 'integration.request.path.id': 'method.request.path.id' },
      }),
    ).toEqual([])
  })

  it('REST AWS_PROXY: requestParameters only feed cache keys, not warned', () => {
    expect(
      warningsFor({ type: 'AWS_PROXY', uri: 'f', requestParameters: { 'integration.request.path.id': 'method.request.path.id' } }),
    ).toEqual([])
  })

  it('HTTP API: parameter mapping on a Lambda integration is applied (http-api-mapping.test.ts), not warned', () => {
    const integration: IntegrationDefinition = {
      type: 'AWS_PROXY',
      uri: 'f',
      requestParameters: { 'overwrite:header.x-a': '$request.header.x-b' },
    }
    expect(warningsFor(integration, 'HTTP')).toEqual([])
    expect(() => warningsFor(integration, 'HTTP', true)).not.toThrow()
  })

  it('HTTP API: parameter mapping on an HTTP proxy integration is applied (http-api-mapping.test.ts), not warned', () => {
    const integration: IntegrationDefinition = {
      type: 'HTTP_PROXY',
      uri: 'http://backend.example/b/{id}',
      requestParameters: { 'overwrite:header.x-a': '$request.header.x-b' },
    }
    expect(warningsFor(integration, 'HTTP')).toEqual([])
    expect(() => warningsFor(integration, 'HTTP', true)).not.toThrow()
  })
})
