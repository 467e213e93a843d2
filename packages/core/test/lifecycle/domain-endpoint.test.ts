// `disableExecuteApiEndpoint` behind a custom domain: the API stays reachable through the domain's mappings while
// its default endpoint answers 403 Forbidden.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-disable-default-endpoint.html
// ("Clients can still connect to your default endpoint, but they will receive a 403 Forbidden status code.")
// https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-disable-default-endpoint.html (HTTP APIs)
// https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mutual-tls.html ("To ensure that clients can
// access your API only by using a custom domain name … disable the default execute-api endpoint.")
import { createServer, request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createDomain, createGateway, type Gateway, type GatewayRequest } from '@gatehousejs/core'
import { createHandler } from '@gatehousejs/node'
import { afterEach, describe, expect, it } from 'vitest'
import { json, req } from '../helpers'

const API_ID = 'abc123'
const DEFAULT_HOST = `${API_ID}.execute-api.us-east-1.amazonaws.com`
const KEY = 'x-amazon-apigateway-endpoint-configuration'
const echo = async (event: unknown) => ({ statusCode: 200, body: JSON.stringify(event) })

function api(apiType: 'REST' | 'HTTP', disable: boolean): Gateway {
  return createGateway({
    apiType,
    apiId: API_ID,
    api: {
      openapi: '3.0.1',
      info: { title: `${apiType} api`, version: '1' },
      [KEY]: { disableExecuteApiEndpoint: disable },
      paths: {
        '/pets/{id}': {
          get: {
            'x-amazon-apigateway-integration': {
              type: 'aws_proxy',
              httpMethod: 'POST',
              uri: 'echo',
              ...(apiType === 'HTTP' ? { payloadFormatVersion: '2.0' } : {}),
            },
          },
        },
      },
    },
    functions: { echo },
    onWarning: () => {},
  })
}

const withHost = (path: string, host: string | undefined): GatewayRequest => {
  const r = req('GET', path)
  const headers = { ...r.headers }
  if (host === undefined) delete headers.host
  else headers.host = host
  return { ...r, headers }
}

for (const apiType of ['REST', 'HTTP'] as const) {
  describe(`${apiType}: disableExecuteApiEndpoint behind createDomain`, () => {
    const gw = api(apiType, true)
    const domain = createDomain({ domainName: 'api.example.com', mappings: { v1: gw } })
    const anyHost = createDomain({ mappings: { '(none)': gw } })

    it('is reachable through the domain, by base path mapping and by the (none) mapping', async () => {
      const res = await domain.handle(withHost('/v1/pets/7', 'api.example.com'))
      expect(res.statusCode).toBe(200)
      expect(json(res).pathParameters).toEqual({ id: '7' })
      expect((await anyHost.handle(withHost('/pets/7', 'api.example.com'))).statusCode).toBe(200)
    })

    it('through the domain, the Host does not matter to the endpoint check: the mapping (RequestVia) says it came that way', async () => {
      // A domain taking every host, reached without a Host header (HTTP/1.0): still the domain, not the default endpoint.
      expect((await anyHost.handle(withHost('/pets/7', undefined))).statusCode).toBe(200)
    })

    it('its default endpoint answers 403 {"message":"Forbidden"}', async () => {
      for (const host of [DEFAULT_HOST, `${DEFAULT_HOST}:443`, undefined]) {
        const res = await gw.handle(withHost('/pets/7', host))
        expect(res.statusCode).toBe(403)
        expect(json(res)).toEqual({ message: 'Forbidden' })
      }
    })

    it('the domain refuses a Host that is not its own, default endpoint included, with its own 403', async () => {
      const res = await domain.handle(withHost('/v1/pets/7', DEFAULT_HOST))
      expect([res.statusCode, json(res)]).toEqual([403, { message: 'Forbidden' }])
    })

    it('with the default endpoint left on, both ways answer', async () => {
      const open = api(apiType, false)
      expect((await open.handle(withHost('/pets/7', DEFAULT_HOST))).statusCode).toBe(200)
      const d = createDomain({ domainName: 'api.example.com', mappings: { v1: open } })
      expect((await d.handle(withHost('/v1/pets/7', 'api.example.com'))).statusCode).toBe(200)
    })
  })
}

describe('over real sockets: one server for the domain, one for the API itself', () => {
  const servers: Server[] = []
  afterEach(() => {
    for (const s of servers.splice(0)) {
      s.closeAllConnections()
      s.close()
    }
  })
  const listen = async (handler: ReturnType<typeof createHandler>) => {
    const server = createServer(handler)
    servers.push(server)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    return (server.address() as AddressInfo).port
  }
  // fetch cannot set Host (a forbidden header name): node:http can.
  const get = (port: number, path: string, host: string) =>
    new Promise<[number, any]>((resolve, reject) => {
      const r = request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
        let text = ''
        res.on('data', (d: Buffer) => (text += d.toString()))
        res.on('end', () => resolve([res.statusCode ?? 0, JSON.parse(text)]))
      })
      r.on('error', reject)
      r.end()
    })

  it('the domain serves both API types; the default endpoint of each answers 403', async () => {
    const rest = api('REST', true)
    const http = api('HTTP', true)
    const domainPort = await listen(
      createHandler(createDomain({ domainName: 'api.example.com', mappings: { v1: rest, 'orders/v2': http } })),
    )
    const restPort = await listen(createHandler(rest))
    const httpPort = await listen(createHandler(http))
    const [s1, e1] = await get(domainPort, '/v1/pets/1', 'api.example.com')
    const [s2, e2] = await get(domainPort, '/orders/v2/pets/2', 'api.example.com')
    expect([s1, e1.path, e1.requestContext.domainName]).toEqual([200, '/v1/pets/1', 'api.example.com'])
    expect([s2, e2.rawPath, e2.requestContext.domainName]).toEqual([200, '/orders/v2/pets/2', 'api.example.com'])
    expect(await get(restPort, '/pets/1', DEFAULT_HOST)).toEqual([403, { message: 'Forbidden' }])
    expect(await get(httpPort, '/pets/2', DEFAULT_HOST)).toEqual([403, { message: 'Forbidden' }])
  })
})
