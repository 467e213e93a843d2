/**
 * Endpoint configuration (`x-amazon-apigateway-endpoint-configuration`, the `endpoint` option) end to end through
 * `handle()`: the import and its checks, warnings and strict mode, `disableExecuteApiEndpoint`, and routes that do
 * not need the feature. PRIVATE APIs and `aws:SourceVpce` are in `endpoint-private.test.ts`.
 */
import { describe, expect, it } from 'vitest'
import { createGateway, type GatewayInput, type GatewayRequest } from '@gatehousejs/core'
import { endpointFeature } from '../src/features/endpoint'
import { GatewayState } from '../src/features/types'
import type { CompiledApi } from '../src/model'
import { API_ID, DENIED, KEY, VPCE_A, VPCE_B, VPCE_OTHER, gateway, openapi, swagger, viaVpce } from './endpoint-fixtures'
import { configError, echo, json, req } from './helpers'

// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-endpoint-configuration.html
// ("top-level vendor extensions for Swagger 2.0 … for OpenAPI 3.0, under the vendor extensions of the Server object")
describe('import of x-amazon-apigateway-endpoint-configuration', () => {
  const configuration = { types: ['PRIVATE'], vpcEndpointIds: [VPCE_A, VPCE_B], disableExecuteApiEndpoint: false }
  const places: [string, Record<string, unknown>][] = [
    ['Swagger 2, top level', swagger(configuration)],
    ['OpenAPI 3, servers entry', openapi(configuration)],
    ['OpenAPI 3, top level', { ...openapi(undefined, { servers: [] }), [KEY]: configuration }],
    [
      'OpenAPI 3, the same object on two servers',
      openapi(configuration, { servers: [{ [KEY]: configuration }, { url: '/', [KEY]: configuration }] }),
    ],
  ]
  for (const [name, doc] of places) {
    it(`${name}: read and acted on`, async () => {
      const gw = gateway(doc, { endpoint: { trustVpceHeader: true } })
      expect((gw.definition as { endpointConfiguration?: unknown }).endpointConfiguration).toEqual(configuration)
      expect(gw.warned).toEqual([])
      expect((await gw.handle(viaVpce(VPCE_A))).statusCode).toBe(200)
      expect((await gw.handle(viaVpce(VPCE_OTHER))).statusCode).toBe(403)
    })
  }

  const bad: [string, Record<string, unknown>, string][] = [
    ['not an object', swagger(['PRIVATE']), `/${KEY}`],
    ['an unknown type', swagger({ types: ['INTERNAL'] }), `/${KEY}/types`],
    ['two types', swagger({ types: ['REGIONAL', 'PRIVATE'] }), `/${KEY}/types`],
    ['types as a string', swagger({ types: 'PRIVATE' }), `/${KEY}/types`],
    ['vpcEndpointIds not a list', swagger({ types: ['PRIVATE'], vpcEndpointIds: VPCE_A }), `/${KEY}/vpcEndpointIds`],
    ['a VPC endpoint id that is not one', swagger({ types: ['PRIVATE'], vpcEndpointIds: [VPCE_A, 'vpc-123'] }), `/${KEY}/vpcEndpointIds/1`],
    ['disableExecuteApiEndpoint not a boolean', swagger({ disableExecuteApiEndpoint: 'true' }), `/${KEY}/disableExecuteApiEndpoint`],
    ['an unknown ipAddressType', swagger({ ipAddressType: 'ipv6' }), `/${KEY}/ipAddressType`],
    // "It is only supported for REST APIs the PRIVATE endpoint type."
    ['vpcEndpointIds on a REGIONAL API', swagger({ types: ['REGIONAL'], vpcEndpointIds: [VPCE_A] }), `/${KEY}/vpcEndpointIds`],
    ['vpcEndpointIds on an EDGE API (the default type)', openapi({ vpcEndpointIds: [VPCE_A] }), `/servers/0/${KEY}/vpcEndpointIds`],
    [
      'two servers with different configurations',
      openapi(configuration, { servers: [{ [KEY]: configuration }, { [KEY]: { types: ['REGIONAL'] } }] }),
      `/servers/1/${KEY}`,
    ],
  ]
  for (const [name, doc, pointer] of bad) {
    it(`${name}: GatewayConfigError at ${pointer}`, () => {
      const error = configError(() => gateway(doc, { endpoint: { trustVpceHeader: true } }))
      expect(error.code).toBe('INVALID_DEFINITION')
      expect(error.pointer).toBe(pointer)
    })
  }

  it('a native definition carries it as endpointConfiguration', async () => {
    const gw = createGateway({
      api: {
        resources: { '/pets': { GET: { integration: { type: 'AWS_PROXY', uri: 'echo' } } } },
        endpointConfiguration: { types: ['PRIVATE'], vpcEndpointIds: [VPCE_A] },
      } as GatewayInput['api'],
      functions: { echo },
      endpoint: { trustVpceHeader: true },
    })
    expect((await gw.handle(viaVpce(VPCE_A))).statusCode).toBe(200)
    expect((await gw.handle(viaVpce(VPCE_B))).statusCode).toBe(403)
    const error = configError(() =>
      createGateway({
        api: { resources: {}, endpointConfiguration: { types: ['PRIVATE'], vpcEndpointIds: ['nope'] } } as GatewayInput['api'],
      }),
    )
    expect(error.pointer).toBe('/endpointConfiguration/vpcEndpointIds/0')
  })

  const badOptions: [string, unknown, GatewayInput['apiType']][] = [
    ['not an object', 'PRIVATE', 'REST'],
    ['an unknown type', { type: 'INTERNAL' }, 'REST'],
    ['a PRIVATE HTTP API', { type: 'PRIVATE' }, 'HTTP'],
    ['vpcEndpointId not a function', { vpcEndpointId: VPCE_A }, 'REST'],
    ['vpcId not a function', { vpcId: 'vpc-1' }, 'REST'],
    ['trustVpceHeader not a boolean', { trustVpceHeader: 'yes' }, 'REST'],
    ['both vpcEndpointId and trustVpceHeader', { trustVpceHeader: true, vpcEndpointId: () => VPCE_A }, 'REST'],
  ]
  for (const [name, endpoint, apiType] of badOptions) {
    it(`option endpoint: ${name} is INVALID_OPTION`, () => {
      const error = configError(() =>
        gateway(openapi(undefined, { servers: [] }), { apiType, endpoint: endpoint as GatewayInput['endpoint'] }),
      )
      expect(error.code).toBe('INVALID_OPTION')
    })
  }
})

describe('warnings and strict mode', () => {
  it('REST: every field is acted on, none is warned about, strict accepts them', () => {
    const doc = swagger({ types: ['PRIVATE'], vpcEndpointIds: [VPCE_A], disableExecuteApiEndpoint: true, ipAddressType: 'dualstack' })
    expect(gateway(doc, { endpoint: { trustVpceHeader: true } }).warned).toEqual([])
    expect(() => gateway(doc, { strict: true, endpoint: { trustVpceHeader: true } })).not.toThrow()
  })

  // HTTP APIs: "vpcEndpointIds … only supported for REST APIs"; HTTP APIs are regional
  // (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-vs-rest.html).
  it('HTTP: types other than REGIONAL and vpcEndpointIds are warned about and ignored; disableExecuteApiEndpoint applies', async () => {
    const doc = openapi({ types: ['PRIVATE'], vpcEndpointIds: [VPCE_A], disableExecuteApiEndpoint: true })
    const gw = gateway(doc, { apiType: 'HTTP' })
    expect(gw.warned.map((w) => [w.code, w.pointer])).toEqual([
      ['IGNORED_SETTING', `/servers/0/${KEY}/types`],
      ['IGNORED_SETTING', `/servers/0/${KEY}/vpcEndpointIds`],
    ])
    expect((await gw.handle(req('GET', '/pets'))).statusCode).toBe(200)
    expect((await gw.handle(req('GET', '/pets', { headers: { host: `${API_ID}.execute-api.us-east-1.amazonaws.com` } }))).statusCode).toBe(
      403,
    )
    expect(() => gateway(doc, { apiType: 'HTTP', strict: true })).toThrow(/types/)
    expect(gateway(openapi({ types: ['REGIONAL'], disableExecuteApiEndpoint: true }), { apiType: 'HTTP', strict: true }).warned).toEqual([])
  })

  it('an unknown field is reported as unimplemented', () => {
    const gw = gateway(swagger({ disableExecuteApiEndpoint: false, routing: 'x' }))
    expect(gw.warned.map((w) => [w.code, w.pointer])).toEqual([['UNSUPPORTED_EXTENSION', `/${KEY}/routing`]])
  })

  it('a PRIVATE API with no source of VPC endpoint ids is warned about (fatal with strict) and refuses every request', async () => {
    for (const endpoint of [undefined, { vpcId: () => 'vpc-1a2b' }]) {
      const gw = gateway(swagger({ types: ['PRIVATE'] }), { endpoint })
      expect(gw.warned).toHaveLength(1)
      expect(gw.warned[0]!.message).toMatch(/every request is refused/)
      const res = await gw.handle(viaVpce(VPCE_A))
      expect(res.statusCode).toBe(403)
      expect(json(res)).toEqual({ Message: DENIED('GET', '/pets') })
      expect(() => gateway(swagger({ types: ['PRIVATE'] }), { endpoint, strict: true })).toThrow(/PRIVATE/)
    }
  })
})

// https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-disable-default-endpoint.html
// ("Clients can still connect to your default endpoint, but they will receive a 403 Forbidden status code.")
describe('disableExecuteApiEndpoint', () => {
  const host = (value: string | string[] | undefined): GatewayRequest => {
    const r = req('GET', '/pets')
    const headers = { ...r.headers }
    if (value === undefined) delete headers.host
    else headers.host = value
    return { ...r, headers }
  }
  const DEFAULT = `${API_ID}.execute-api.us-east-1.amazonaws.com`
  const table: [string, string | string[] | undefined, number][] = [
    ['the default endpoint', DEFAULT, 403],
    ['the default endpoint with a port', `${DEFAULT}:443`, 403],
    ['the default endpoint in upper case, with a trailing dot', `${DEFAULT.toUpperCase()}.`, 403],
    ['a private API alias of the default endpoint', `${API_ID}-${VPCE_A}.execute-api.us-east-1.amazonaws.com`, 403],
    ['no Host header', undefined, 403],
    ['two Host headers', ['api.example.com', DEFAULT], 403],
    ['a custom domain', 'api.example.com', 200],
    ['a custom domain with a port', 'api.example.com:8443', 200],
    ['another API’s execute-api host', 'zzz999.execute-api.us-east-1.amazonaws.com', 200],
    ['the default endpoint’s name under another domain', `${DEFAULT}.example.com`, 200],
  ]
  for (const apiType of ['REST', 'HTTP'] as const) {
    const gw = gateway(openapi({ disableExecuteApiEndpoint: true }), { apiType })
    for (const [name, value, status] of table) {
      it(`${apiType}: ${name}: ${status}`, async () => {
        const res = await gw.handle(host(value))
        expect(res.statusCode).toBe(status)
        if (status === 403) expect(json(res)).toEqual({ message: 'Forbidden' })
      })
    }
  }

  it('is not a gateway response: a customised ACCESS_DENIED does not change it', async () => {
    const gw = gateway(
      swagger(
        { disableExecuteApiEndpoint: true },
        {
          'x-amazon-apigateway-gateway-responses': {
            ACCESS_DENIED: { statusCode: 401, responseTemplates: { 'application/json': '{"no":1}' } },
          },
        },
      ),
    )
    const res = await gw.handle(host(DEFAULT))
    expect(res.statusCode).toBe(403)
    expect(json(res)).toEqual({ message: 'Forbidden' })
  })

  it('false, or absent, leaves the default endpoint on', async () => {
    for (const doc of [swagger({ disableExecuteApiEndpoint: false }), swagger(undefined)]) {
      expect((await gateway(doc).handle(host(DEFAULT))).statusCode).toBe(200)
    }
  })
})

describe('APIs without an endpoint configuration pay nothing', () => {
  it('compileGateway returns null unless the API is PRIVATE, disables its default endpoint or resolves VPC endpoints', () => {
    const api = { apiType: 'REST', apiId: API_ID, region: 'us-east-1', defaultDomainName: `${API_ID}.execute-api.us-east-1.amazonaws.com` }
    const route = (input: Partial<GatewayInput>, endpointConfiguration?: unknown) =>
      endpointFeature.compileGateway!({
        api: api as CompiledApi,
        definition: { resources: {}, ...(endpointConfiguration ? { endpointConfiguration } : {}) } as GatewayInput['api'] as never,
        input: { api: {}, ...input },
        warn: () => {},
        state: new GatewayState(),
      })
    expect(route({})).toBeNull()
    expect(route({}, { types: ['REGIONAL'], disableExecuteApiEndpoint: false, ipAddressType: 'ipv4' })).toBeNull()
    expect(route({}, { types: ['PRIVATE'] })).not.toBeNull()
    expect(route({}, { disableExecuteApiEndpoint: true })).not.toBeNull()
    expect(route({ endpoint: { trustVpceHeader: true } })).not.toBeNull()
  })
})

describe('the TSDoc examples of EndpointConfiguration and EndpointOptions', () => {
  it('EndpointConfiguration: a request from a VPC endpoint not listed is refused', async () => {
    const gw = createGateway({
      api: {
        openapi: '3.0.1',
        info: { title: 'private', version: '1' },
        [KEY]: { types: ['PRIVATE'], vpcEndpointIds: [VPCE_A] },
        paths: { '/pets': { get: { 'x-amazon-apigateway-integration': { type: 'mock' } } } },
      },
      endpoint: { trustVpceHeader: true },
    })
    const res = await gw.handle({ method: 'GET', path: '/pets', headers: { 'x-amzn-vpce-id': VPCE_B } })
    expect(res.statusCode).toBe(403)
  })

  it('EndpointOptions: the operator function says which requests came through a VPC endpoint', async () => {
    const gw = createGateway({
      api: { resources: { '/pets': { GET: { integration: { type: 'AWS_PROXY', uri: 'listPets' } } } } },
      functions: { listPets: async () => ({ statusCode: 200, body: '[]' }) },
      endpoint: {
        type: 'PRIVATE',
        vpcEndpointId: (request) => (request.sourceIp?.startsWith('10.1.') ? VPCE_A : undefined),
        vpcId: (request) => (request.sourceIp?.startsWith('10.1.') ? 'vpc-0a1b2c3d' : undefined),
      },
    })
    expect((await gw.handle({ method: 'GET', path: '/pets', headers: {}, sourceIp: '10.1.2.3' })).statusCode).toBe(200)
    expect((await gw.handle({ method: 'GET', path: '/pets', headers: {}, sourceIp: '192.0.2.1' })).statusCode).toBe(403)
  })
})
