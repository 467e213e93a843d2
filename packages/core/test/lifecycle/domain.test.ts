// Custom domains: two REST APIs and an HTTP API behind one host, by base path mapping and multi-level API mapping key.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-custom-domains.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mappings.html ("(none)", base path segments)
// https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-mappings.html (multi-level keys `orders/v2`)
// Behind a custom domain a REST API's Lambda proxy event keeps the base path in `path` and `requestContext.path`
// (recorded against AWS by localstack, PR #12296 "fix AWS_PROXY payload with Custom Domains", 2025-02-21; reported by
// users of aws-serverless-express #216 and aws-lambda-go-api-proxy #82); an HTTP API's `rawPath` keeps the mapping key.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createDomain, createGateway, GatewayConfigError } from '@gatehousejs/core'
import { createHandler } from '@gatehousejs/node'
import { afterEach, describe, expect, it } from 'vitest'
import { json, req } from '../helpers'

type Event = Record<string, any>
const echo = (name: string) => async (event: Event) => ({ statusCode: 200, body: JSON.stringify({ api: name, event }) })

function restApi(title: string, path: string) {
  return {
    openapi: '3.0.1',
    info: { title, version: '1' },
    paths: { [path]: { get: { 'x-amazon-apigateway-integration': { type: 'aws_proxy', httpMethod: 'POST', uri: title } } } },
  }
}

function setup(domainName: string | null = 'api.example.com') {
  const shop = createGateway({ api: restApi('shop', '/items'), functions: { shop: echo('shop') }, onWarning: () => {} })
  const pets = createGateway({ api: restApi('pets', '/pets/{id}'), functions: { pets: echo('pets') }, onWarning: () => {} })
  const orders = createGateway({
    apiType: 'HTTP',
    api: {
      openapi: '3.0.1',
      info: { title: 'orders', version: '1' },
      'x-amazon-apigateway-importexport-version': '1.0',
      paths: {
        '/orders/{id}': {
          get: { 'x-amazon-apigateway-integration': { type: 'aws_proxy', httpMethod: 'POST', uri: 'orders', payloadFormatVersion: '2.0' } },
        },
      },
    },
    functions: { orders: echo('orders') },
    onWarning: () => {},
  })
  return createDomain({ domainName: domainName ?? undefined, mappings: { '(none)': shop, v1: pets, 'orders/v2': orders } })
}

const host = { host: 'api.example.com' }

describe('createDomain', () => {
  it('routes by base path; a REST event keeps the base path in path and requestContext.path, not in resource', async () => {
    const domain = setup()
    const res = await domain.handle(req('GET', '/v1/pets/7', { headers: host }))
    expect(res.statusCode).toBe(200)
    const { api, event } = json(res)
    expect(api).toBe('pets')
    expect(event.path).toBe('/v1/pets/7')
    expect(event.resource).toBe('/pets/{id}')
    expect(event.pathParameters).toEqual({ id: '7' })
    expect(event.requestContext.path).toBe('/v1/pets/7')
    expect(event.requestContext.resourcePath).toBe('/pets/{id}')
    expect(event.requestContext.domainName).toBe('api.example.com')
    expect(event.requestContext.domainPrefix).toBe('api')
  })

  it("fills $context.domainName with the domain's name, not the Host as the client wrote it", async () => {
    const res = await setup().handle(req('GET', '/v1/pets/7', { headers: { host: 'API.Example.com:443' } }))
    expect(res.statusCode).toBe(200)
    const { event } = json(res)
    expect([event.requestContext.domainName, event.requestContext.domainPrefix]).toEqual(['api.example.com', 'api'])
    // An empty name from a caller is the operator's bug: a 500, the reason to onError.
    const errors: unknown[] = []
    const shop = createGateway({
      api: restApi('shop', '/items'),
      functions: { shop: echo('shop') },
      onWarning: () => {},
      onError: (e) => errors.push(e),
    })
    expect((await shop.handle(req('GET', '/items', { headers: host }), { domainName: '' })).statusCode).toBe(500)
    expect(String(errors[0])).toMatch(/RequestVia.domainName/)
  })

  it('routes a multi-level API mapping key to an HTTP API; rawPath keeps the key, the route key does not', async () => {
    const res = await setup().handle(req('GET', '/orders/v2/orders/3', { headers: host }))
    const { api, event } = json(res)
    expect(api).toBe('orders')
    expect(event.rawPath).toBe('/orders/v2/orders/3')
    expect(event.routeKey).toBe('GET /orders/{id}')
    expect(event.pathParameters).toEqual({ id: '3' })
  })

  it('sends what no longer mapping takes to the (none) mapping, on segment boundaries', async () => {
    const domain = setup()
    expect(json(await domain.handle(req('GET', '/items', { headers: host }))).event.path).toBe('/items')
    // `/v1x/…` is not under `v1`: the root API answers it (and has no such route).
    const miss = await domain.handle(req('GET', '/v1x/pets/7', { headers: host }))
    expect(miss.statusCode).toBe(403)
    expect(json(miss)).toEqual({ message: 'Missing Authentication Token' })
    // The mapping itself with nothing after it is the API's root.
    expect((await domain.handle(req('GET', '/v1', { headers: host }))).statusCode).toBe(403)
  })

  it('answers 403 Forbidden for another host, or a path no mapping takes when there is no (none) mapping', async () => {
    const domain = setup()
    const other = await domain.handle(req('GET', '/v1/pets/7', { headers: { host: 'evil.example.com' } }))
    expect(other.statusCode).toBe(403)
    expect(json(other)).toEqual({ message: 'Forbidden' })
    // Host names ignore case and port.
    expect((await domain.handle(req('GET', '/v1/pets/7', { headers: { host: 'API.example.com:443' } }))).statusCode).toBe(200)
    const pets = createGateway({ api: restApi('pets', '/pets/{id}'), functions: { pets: echo('pets') }, onWarning: () => {} })
    const noRoot = createDomain({ mappings: { v1: pets } })
    const unmapped = await noRoot.handle(req('GET', '/pets/7'))
    expect([unmapped.statusCode, json(unmapped)]).toEqual([403, { message: 'Forbidden' }])
  })

  it('refuses malformed or duplicate mappings at build time', () => {
    const pets = createGateway({ api: restApi('pets', '/pets/{id}'), functions: { pets: echo('pets') }, onWarning: () => {} })
    expect(() => createDomain({ mappings: { 'v 1': pets } })).toThrow(GatewayConfigError)
    expect(() => createDomain({ mappings: { v1: pets, '/v1/': pets } })).toThrow(/twice/)
    expect(() => createDomain({ mappings: { v1: {} as never } })).toThrow(/must be a gateway/)
  })

  describe('over a real socket, through the node adapter', () => {
    let server: Server | undefined
    afterEach(() => server?.close())

    it('serves the three APIs from one listener', async () => {
      // fetch cannot set Host (a forbidden header name): this domain takes every host.
      server = createServer(createHandler(setup(null)))
      await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      const get = async (path: string) => {
        const res = await fetch(`${base}${path}`)
        return [res.status, (await res.json()) as Record<string, any>] as const
      }
      const [s1, pets] = await get('/v1/pets/1')
      const [s2, orders] = await get('/orders/v2/orders/2')
      const [s3, shop] = await get('/items')
      expect([s1, s2, s3]).toEqual([200, 200, 200])
      expect([pets.api, orders.api, shop.api]).toEqual(['pets', 'orders', 'shop'])
    })
  })
})
