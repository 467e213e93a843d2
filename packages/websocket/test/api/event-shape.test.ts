/**
 * Pins the exact JSON of the events a function receives (key order included), so the message path can be
 * optimised without the event changing: MESSAGE with and without an authorizer context, and DISCONNECT.
 * Field order as API Gateway sends it (`messageId` right after `routeKey`; `authorizer` last):
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-mapping-template-reference.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-lambda-auth.html
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { LambdaHandler } from '@gatehousejs/core'
import { type ApiServer, closed, inbox, open, startApi, until } from './harness'
import type { WebSocketEvent } from '../../src/index'

let server: ApiServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

const T = Date.UTC(2024, 0, 2, 3, 4, 5, 678)

function sequence(prefix: string): () => string {
  let n = 0
  return () => `${prefix}${++n}`
}

/** The event's JSON with the random messageId and the authorizer's measured latency (real time) replaced. */
function json(event: WebSocketEvent | undefined): string {
  const text = JSON.stringify(event).replace(/"integrationLatency":\d+/, '"integrationLatency":"LATENCY"')
  const id = event?.requestContext.messageId
  expect(id === undefined || /^[A-Za-z0-9+/]{15}=$/.test(id)).toBe(true)
  return id === undefined ? text : text.replace(JSON.stringify(id), '"MESSAGE-ID"')
}

describe('the JSON of the events a function receives', () => {
  it('MESSAGE and DISCONNECT without an authorizer', async () => {
    const events: WebSocketEvent[] = []
    const fn: LambdaHandler = async (event: WebSocketEvent) => {
      events.push(event)
      return { statusCode: 200, body: event.body }
    }
    server = await startApi({
      api: {
        name: 'pin',
        routeSelectionExpression: '$request.body.action',
        routes: {
          $disconnect: { integration: { type: 'AWS_PROXY', uri: 'fn' } },
          echo: { integration: { type: 'AWS_PROXY', uri: 'fn' }, routeResponseSelectionExpression: '$default' },
        },
      },
      stage: 'prod',
      functions: { fn },
      now: () => T,
      requestId: sequence('req-'),
      connectionId: sequence('conn-'),
      apiId: 'pinapi',
      domainName: 'pin.example.com',
    })
    const ws = await open(server.url, { headers: { 'User-Agent': 'pin/1' } })
    const box = inbox(ws)
    ws.send('{"action":"echo","n":1}')
    expect(await box.next()).toBe('{"action":"echo","n":1}')
    ws.close(4000, 'bye')
    await until(() => events.length === 2)
    await closed(ws)
    expect(json(events[0])).toBe(MESSAGE_PLAIN)
    expect(json(events[1])).toBe(DISCONNECT_PLAIN)
  })

  it('MESSAGE with a Lambda REQUEST authorizer context', async () => {
    const events: WebSocketEvent[] = []
    const fn: LambdaHandler = async (event: WebSocketEvent) => {
      events.push(event)
      return { statusCode: 200 }
    }
    const authorize: LambdaHandler = async (event: { methodArn: string }) => ({
      principalId: 'alice',
      policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }] },
      context: { user: 'alice', level: 3, admin: false },
    })
    server = await startApi({
      api: {
        name: 'pin-auth',
        routeSelectionExpression: '$request.body.action',
        authorizers: {
          auth: { authorizerType: 'REQUEST', authorizerUri: 'authorize', identitySource: ['route.request.querystring.token'] },
        },
        routes: {
          $connect: { integration: { type: 'AWS_PROXY', uri: 'fn' }, authorizationType: 'CUSTOM', authorizerId: 'auth' },
          $default: { integration: { type: 'AWS_PROXY', uri: 'fn' } },
        },
      },
      stage: 'dev',
      functions: { fn, authorize },
      now: () => T,
      requestId: sequence('r-'),
      connectionId: sequence('c-'),
      apiId: 'authapi',
      domainName: 'auth.example.com',
    })
    const ws = await open(`${server.url}/?token=t`, { headers: { 'User-Agent': 'pin/2' } })
    ws.send('not json')
    await until(() => events.length === 2)
    ws.close()
    await closed(ws)
    expect(json(events[1])).toBe(MESSAGE_AUTHORIZED)
  })
})

describe('a function result that cannot be read', () => {
  it('a body JSON cannot serialise (a BigInt) or a throwing getter: "Internal server error", and onError is told', async () => {
    const reported: [string, string][] = []
    server = await startApi({
      api: {
        name: 'bad-results',
        routeSelectionExpression: '$request.body.action',
        routes: {
          big: { integration: { type: 'AWS_PROXY', uri: 'big' }, routeResponseSelectionExpression: '$default' },
          getter: { integration: { type: 'AWS_PROXY', uri: 'getter' }, routeResponseSelectionExpression: '$default' },
        },
      },
      functions: {
        big: async () => ({ statusCode: 200, body: { n: 1n } }),
        getter: async () => ({
          get statusCode(): number {
            throw new Error('no status')
          },
        }),
      },
      connectionId: () => 'C1',
      requestId: sequence('R'),
      onError: (e, info) => reported.push([String(e), info.routeKey]),
    })
    const ws = await open(server.url)
    const box = inbox(ws)
    ws.send('{"action":"big"}')
    expect(await box.next()).toBe('{"message": "Internal server error", "connectionId":"C1", "requestId":"R2"}')
    ws.send('{"action":"getter"}')
    expect(await box.next()).toBe('{"message": "Internal server error", "connectionId":"C1", "requestId":"R3"}')
    expect(reported.map(([, route]) => route)).toEqual(['big', 'getter'])
    expect(reported[0]![0]).toMatch(/BigInt/)
    expect(reported[1]![0]).toBe('Error: no status')
    ws.close()
    await closed(ws)
  })
})

const MESSAGE_PLAIN =
  '{"requestContext":{"routeKey":"echo","messageId":"MESSAGE-ID","eventType":"MESSAGE","extendedRequestId":"req-2","requestTime":"02/Jan/2024:03:04:05 +0000","messageDirection":"IN","stage":"prod","connectedAt":1704164645678,"requestTimeEpoch":1704164645678,"identity":{"sourceIp":"127.0.0.1","userAgent":"pin/1"},"requestId":"req-2","domainName":"pin.example.com","connectionId":"conn-1","apiId":"pinapi"},"body":"{\\"action\\":\\"echo\\",\\"n\\":1}","isBase64Encoded":false}'
const DISCONNECT_PLAIN =
  '{"requestContext":{"routeKey":"$disconnect","eventType":"DISCONNECT","extendedRequestId":"req-3","requestTime":"02/Jan/2024:03:04:05 +0000","messageDirection":"IN","stage":"prod","connectedAt":1704164645678,"requestTimeEpoch":1704164645678,"identity":{"sourceIp":"127.0.0.1","userAgent":"pin/1"},"requestId":"req-3","domainName":"pin.example.com","connectionId":"conn-1","apiId":"pinapi","disconnectStatusCode":4000,"disconnectReason":"bye"},"isBase64Encoded":false}'
const MESSAGE_AUTHORIZED =
  '{"requestContext":{"routeKey":"$default","messageId":"MESSAGE-ID","eventType":"MESSAGE","extendedRequestId":"r-2","requestTime":"02/Jan/2024:03:04:05 +0000","messageDirection":"IN","stage":"dev","connectedAt":1704164645678,"requestTimeEpoch":1704164645678,"identity":{"sourceIp":"127.0.0.1","userAgent":"pin/2"},"requestId":"r-2","domainName":"auth.example.com","connectionId":"c-1","apiId":"authapi","authorizer":{"user":"alice","level":"3","admin":"false","principalId":"alice","integrationLatency":"LATENCY"}},"body":"not json","isBase64Encoded":false}'
