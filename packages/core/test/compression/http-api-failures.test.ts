/**
 * An HTTP API's HTTP_PROXY integration failures answer in HTTP API casing: a backend that cannot be reached is 500
 * `{"message":"Internal Server Error"}`, one that does not answer within the integration's timeout 504, and no
 * REST `x-amzn-ErrorType` header; REST APIs keep theirs (502 `Internal server error`, 504 `Endpoint request timed
 * out`). Both reach `onError`.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-troubleshooting-lambda.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-http.html
 * https://repost.aws/knowledge-center/api-gateway-504-errors
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createGateway, type ApiType, type GatewayErrorInfo } from '@gatehousejs/core'
import { header, json, req } from '../helpers'

let closedPort = 0
let silent: Server
let silentPort = 0
beforeAll(async () => {
  // A port nothing listens on: listen, note it, close.
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  closedPort = (probe.address() as AddressInfo).port
  await new Promise<void>((resolve) => probe.close(() => resolve()))
  // A backend that reads the request and never answers.
  silent = createServer((r) => r.resume())
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
  silentPort = (silent.address() as AddressInfo).port
})
afterAll(
  () =>
    new Promise<void>((resolve) => {
      silent.closeAllConnections()
      silent.close(() => resolve())
    }),
)

function gateway(apiType: ApiType, errors: GatewayErrorInfo[]) {
  return createGateway({
    apiType,
    api: {
      resources: {
        '/down': { GET: { integration: { type: 'HTTP_PROXY', httpMethod: 'GET', uri: `http://127.0.0.1:${closedPort}/x` } } },
        '/slow': {
          GET: { integration: { type: 'HTTP_PROXY', httpMethod: 'GET', uri: `http://127.0.0.1:${silentPort}/x`, timeoutInMillis: 50 } },
        },
      },
    },
    onError: (_e, info) => void errors.push(info),
  })
}

describe('HTTP_PROXY failures of HTTP APIs, in HTTP API casing', () => {
  it('an unreachable backend: 500 {"message":"Internal Server Error"}', async () => {
    const errors: GatewayErrorInfo[] = []
    const res = await gateway('HTTP', errors).handle(req('GET', '/down'))
    expect(res.statusCode).toBe(500)
    expect(json(res)).toEqual({ message: 'Internal Server Error' })
    expect(header(res, 'x-amzn-ErrorType')).toBeUndefined()
    expect(header(res, 'apigw-requestid')).toBeTruthy()
    expect(errors.map((e) => e.stage)).toEqual(['integration'])
  })

  it('a backend that does not answer in time: 504 {"message":"Gateway Timeout"}', async () => {
    const errors: GatewayErrorInfo[] = []
    const res = await gateway('HTTP', errors).handle(req('GET', '/slow'))
    expect(res.statusCode).toBe(504)
    expect(json(res)).toEqual({ message: 'Gateway Timeout' })
    expect(header(res, 'x-amzn-ErrorType')).toBeUndefined()
    expect(errors.map((e) => e.stage)).toEqual(['integration'])
  })

  it('REST APIs keep their answers: 502 Internal server error, 504 Endpoint request timed out', async () => {
    const errors: GatewayErrorInfo[] = []
    const gw = gateway('REST', errors)
    const down = await gw.handle(req('GET', '/down'))
    expect([down.statusCode, json(down)]).toEqual([502, { message: 'Internal server error' }])
    const slow = await gw.handle(req('GET', '/slow'))
    expect([slow.statusCode, json(slow)]).toEqual([504, { message: 'Endpoint request timed out' }])
    expect(errors).toHaveLength(2)
  })
})
