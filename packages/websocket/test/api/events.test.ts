/**
 * Event shapes and message routing, with deterministic ids and clock, checked field by field against AWS's
 * documented events:
 * - CONNECT (authorizer input shows the same requestContext): https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-lambda-auth.html
 * - requestContext fields, `requestId` = `extendedRequestId`, `messageId` only for MESSAGE, CLF `requestTime`:
 *   https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-mapping-template-reference.html
 * - Routing ("Non-JSON messages are directed to a $default route"; "If the $default route is not defined, then API
 *   Gateway returns an error"): https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-develop-routes.html
 * - Two-way routes (route response `$default`): https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-route-response.html
 * - Binary frames close with 1003: https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-routes-integrations.html
 * - The error frames' text (`{"message": "Forbidden", "connectionId":…, "requestId":…}` and "Internal server error")
 *   as received from API Gateway in aws-samples/simple-websockets-chat-app issues #24 and #42 and
 *   architect/architect#1093.
 */
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { LambdaHandler } from '@gatehousejs/core'
import { signRequest } from '@gatehousejs/sigv4'
import { type ApiServer, closed, inbox, open, startApi, until } from './harness'
import { createWebSocketApi, type WebSocketApiDefinition, WebSocketApiError, type WebSocketEvent } from '../../src/index'

let server: ApiServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

function sequence(prefix: string): () => string {
  let n = 0
  return () => `${prefix}${++n}`
}

function recorder() {
  const events: WebSocketEvent[] = []
  const record =
    (answer: (e: WebSocketEvent) => unknown = () => ({ statusCode: 200 })): LambdaHandler =>
    async (event: WebSocketEvent) => {
      events.push(event)
      return answer(event)
    }
  return { events, record }
}

describe('events as AWS sends them', () => {
  it('CONNECT, MESSAGE and DISCONNECT events, field by field', async () => {
    const { events, record } = recorder()
    let clock = Date.UTC(2019, 2, 19, 9, 39, 18, 417)
    server = await startApi({
      api: {
        name: 'shapes',
        routeSelectionExpression: '$request.body.action',
        routes: {
          $connect: { integration: { type: 'AWS_PROXY', uri: 'fn' } },
          $disconnect: { integration: { type: 'AWS_PROXY', uri: 'fn' } },
          $default: { integration: { type: 'AWS_PROXY', uri: 'fn' } },
        },
      },
      stage: 'Dev',
      functions: { fn: record() },
      now: () => clock++,
      requestId: sequence('req-'),
      connectionId: sequence('conn-'),
      apiId: 'myapiID',
      domainName: 'myapiID.execute-api.ap-south-1.amazonaws.com',
    })
    const ws = await open(`${server.url}/?q=1`, { headers: { 'User-Agent': 'tester/1.0' } })
    ws.send('not json')
    await until(() => events.length === 2)
    ws.close()
    await until(() => events.length === 3)
    const [connect, message, disconnect] = events
    const identity = { sourceIp: '127.0.0.1', userAgent: 'tester/1.0' }
    expect(connect).toEqual({
      headers: expect.objectContaining({ 'User-Agent': 'tester/1.0', 'Sec-WebSocket-Version': '13', Upgrade: 'websocket' }),
      multiValueHeaders: expect.objectContaining({ 'User-Agent': ['tester/1.0'] }),
      queryStringParameters: { q: '1' },
      multiValueQueryStringParameters: { q: ['1'] },
      requestContext: {
        routeKey: '$connect',
        eventType: 'CONNECT',
        extendedRequestId: 'req-1',
        requestTime: '19/Mar/2019:09:39:18 +0000',
        messageDirection: 'IN',
        stage: 'Dev',
        connectedAt: Date.UTC(2019, 2, 19, 9, 39, 18, 417),
        requestTimeEpoch: Date.UTC(2019, 2, 19, 9, 39, 18, 418),
        identity,
        requestId: 'req-1',
        domainName: 'myapiID.execute-api.ap-south-1.amazonaws.com',
        connectionId: 'conn-1',
        apiId: 'myapiID',
      },
      isBase64Encoded: false,
    })
    expect(message).toEqual({
      requestContext: {
        routeKey: '$default',
        messageId: expect.stringMatching(/^[A-Za-z0-9+/]{15}=$/),
        eventType: 'MESSAGE',
        extendedRequestId: 'req-2',
        requestTime: expect.stringMatching(/^19\/Mar\/2019:09:39:18 \+0000$/),
        messageDirection: 'IN',
        stage: 'Dev',
        connectedAt: connect!.requestContext.connectedAt,
        requestTimeEpoch: expect.any(Number),
        identity,
        requestId: 'req-2',
        domainName: 'myapiID.execute-api.ap-south-1.amazonaws.com',
        connectionId: 'conn-1',
        apiId: 'myapiID',
      },
      body: 'not json',
      isBase64Encoded: false,
    })
    expect(Object.keys(message!.requestContext).slice(0, 2)).toEqual(['routeKey', 'messageId'])
    expect(disconnect).toEqual({
      requestContext: expect.objectContaining({
        routeKey: '$disconnect',
        eventType: 'DISCONNECT',
        connectionId: 'conn-1',
        requestId: 'req-3',
        disconnectStatusCode: 1005,
        disconnectReason: 'Client-side close frame status not set',
      }),
      isBase64Encoded: false,
    })
    expect(disconnect!.requestContext).not.toHaveProperty('messageId')
    expect(connect).not.toHaveProperty('body')
    await closed(ws)
  })

  it('omits the query maps on $connect when there is no query string', async () => {
    const { events, record } = recorder()
    server = await startApi({
      api: {
        name: 'q',
        routeSelectionExpression: '$request.body.action',
        routes: { $connect: { integration: { type: 'AWS_PROXY', uri: 'fn' } } },
      },
      functions: { fn: record() },
    })
    const ws = await open(server.url)
    expect(events[0]).not.toHaveProperty('queryStringParameters')
    expect(events[0]!.requestContext.stage).toBe('dev')
    ws.terminate()
  })
})

describe('route selection on the wire', () => {
  const routed = (routes: WebSocketApiDefinition['routes']): WebSocketApiDefinition => ({
    name: 'routes',
    routeSelectionExpression: '${request.body.service}/${request.body.action}',
    routes,
  })

  it('picks the route whose key equals the evaluated expression; non-JSON and no match go to $default', async () => {
    const { events, record } = recorder()
    server = await startApi({
      api: routed({
        'chat/join': { integration: { type: 'AWS_PROXY', uri: 'fn' } },
        $default: { integration: { type: 'AWS_PROXY', uri: 'fn' } },
      }),
      functions: { fn: record() },
    })
    const ws = await open(server.url)
    const table: [string, string][] = [
      ['{"service":"chat","action":"join"}', 'chat/join'],
      ['{"service":"chat","action":"leave"}', '$default'],
      ['{"action":"join"}', '$default'],
      ['{"service":"chat","action":"join"', '$default'],
      ['plain text', '$default'],
      ['42', '$default'],
    ]
    for (const [body] of table) ws.send(body)
    await until(() => events.length === table.length)
    const byBody = new Map(events.map((e) => [e.body, e.requestContext.routeKey]))
    for (const [body, key] of table) expect(byBody.get(body)).toBe(key)
    ws.terminate()
  })

  it('without $default, an unmatched message gets the Forbidden frame and the connection stays open', async () => {
    const { events, record } = recorder()
    server = await startApi({
      api: routed({ 'chat/join': { integration: { type: 'AWS_PROXY', uri: 'fn' } } }),
      functions: { fn: record() },
      connectionId: () => 'CONN=',
      requestId: sequence('R'),
    })
    const ws = await open(server.url)
    const box = inbox(ws)
    ws.send('hello')
    expect(await box.next()).toBe('{"message": "Forbidden", "connectionId":"CONN=", "requestId":"R2"}')
    ws.send('{"service":"chat","action":"join"}')
    await until(() => events.length === 1)
    expect(events[0]!.requestContext.routeKey).toBe('chat/join')
    expect(ws.readyState).toBe(WebSocket.OPEN)
    ws.terminate()
  })

  it('two-way routes send the integration body back; one-way routes send nothing; failures send the error frame', async () => {
    let failures = 0
    const reported: string[] = []
    server = await startApi({
      api: {
        name: 'two-way',
        routeSelectionExpression: '$request.body.action',
        routes: {
          echo: { integration: { type: 'AWS_PROXY', uri: 'echo' }, routeResponseSelectionExpression: '$default' },
          quiet: { integration: { type: 'AWS_PROXY', uri: 'echo' } },
          boom: { integration: { type: 'AWS_PROXY', uri: 'boom' }, routeResponseSelectionExpression: '$default' },
          mock: { integration: { type: 'MOCK' }, routeResponseSelectionExpression: '$default' },
        },
      },
      functions: {
        echo: async (event: WebSocketEvent) => ({ statusCode: 200, body: `echo:${event.body}` }),
        boom: async () => {
          failures++
          throw new Error('kaput')
        },
      },
      connectionId: () => 'C1',
      requestId: sequence('R'),
      onError: (_e, info) => reported.push(info.routeKey),
    })
    const ws = await open(server.url)
    const box = inbox(ws)
    ws.send('{"action":"quiet"}')
    ws.send('{"action":"echo"}')
    expect(await box.next()).toBe('echo:{"action":"echo"}')
    ws.send('{"action":"boom"}')
    expect(await box.next()).toBe('{"message": "Internal server error", "connectionId":"C1", "requestId":"R4"}')
    expect(failures).toBe(1)
    expect(reported).toEqual(['boom'])
    ws.send('{"action":"mock"}')
    ws.send('{"action":"echo","n":2}')
    expect(await box.next()).toBe('echo:{"action":"echo","n":2}')
    expect(box.messages).toHaveLength(3)
    ws.terminate()
  })

  it('closes with 1003 on a binary message', async () => {
    const { events, record } = recorder()
    server = await startApi({
      api: {
        name: 'bin',
        routeSelectionExpression: '$request.body.action',
        routes: { $default: { integration: { type: 'AWS_PROXY', uri: 'fn' } } },
      },
      functions: { fn: record() },
    })
    const ws = await open(server.url)
    const done = closed(ws)
    ws.send(Buffer.from([1, 2, 3]))
    expect((await done).code).toBe(1003)
    expect(events).toHaveLength(0)
  })
})

describe('$connect settings', () => {
  it('apiKeyRequired reads $request.header.x-api-key (403 without a valid key); a MOCK $connect accepts', async () => {
    server = await startApi({
      api: {
        name: 'keys',
        routeSelectionExpression: '$request.body.action',
        apiKeySelectionExpression: '$request.header.x-api-key',
        routes: { $connect: { integration: { type: 'MOCK' }, apiKeyRequired: true } },
      },
      apiKeys: ['key-1'],
    })
    await expect(open(server.url)).rejects.toMatchObject({ status: 403 })
    await expect(open(server.url, { headers: { 'x-api-key': 'wrong' } })).rejects.toMatchObject({ status: 403 })
    const ws = await open(server.url, { headers: { 'X-API-Key': 'key-1' } })
    expect(server.api.connections.ids()).toHaveLength(1)
    ws.terminate()
  })

  it('a $connect function that throws refuses with 502; its Sec-WebSocket-Protocol header picks the subprotocol', async () => {
    server = await startApi({
      api: {
        name: 'p',
        routeSelectionExpression: '$request.body.action',
        routes: { $connect: { integration: { type: 'AWS_PROXY', uri: 'fn' } } },
      },
      functions: {
        fn: async (event: WebSocketEvent) => {
          if (event.queryStringParameters?.fail) throw new Error('no')
          return { statusCode: 200, headers: { 'Sec-WebSocket-Protocol': 'chat.v2' } }
        },
      },
    })
    await expect(open(`${server.url}/?fail=1`)).rejects.toMatchObject({ status: 502 })
    const ws = new WebSocket(server.url, ['chat.v1', 'chat.v2'])
    await new Promise((resolve) => ws.once('open', resolve))
    expect(ws.protocol).toBe('chat.v2')
    ws.terminate()
  })

  it('AWS_IAM on $connect: a SigV4-presigned URL (service execute-api) connects; unsigned or wrongly signed ones get 403', async () => {
    // https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-control-access-iam.html
    const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret-1' }
    server = await startApi({
      api: { name: 'iam', routeSelectionExpression: '$request.body.action', routes: { $connect: { authorizationType: 'AWS_IAM' } } },
      credentials,
    })
    const host = `127.0.0.1:${server.port}`
    const presign = (secretAccessKey: string) =>
      signRequest(
        { method: 'GET', path: '/', headers: { host } },
        { ...credentials, secretAccessKey },
        { region: 'us-east-1', service: 'execute-api', presign: true },
      ).query
    await expect(open(server.url)).rejects.toMatchObject({ status: 403 })
    await expect(open(`${server.url}/?${presign('wrong')}`)).rejects.toMatchObject({ status: 403 })
    const ws = await open(`${server.url}/?${presign('secret-1')}`)
    expect(server.api.connections.ids()).toHaveLength(1)
    ws.terminate()
  })

  it('refuses definitions that cannot run, when created', () => {
    const base = { name: 'bad', routeSelectionExpression: '$request.body.action' }
    const cases: [WebSocketApiDefinition, string][] = [
      [{ ...base, routes: { $default: { integration: { type: 'AWS_PROXY', uri: 'missing' } } } }, 'UNKNOWN_FUNCTION'],
      [{ ...base, routes: { $custom: {} } }, 'INVALID_DEFINITION'],
      [{ ...base, routes: { $connect: { authorizationType: 'CUSTOM', authorizerId: 'nope' } } }, 'UNKNOWN_AUTHORIZER'],
      [{ ...base, routes: { send: { authorizationType: 'AWS_IAM' } } }, 'INVALID_DEFINITION'],
      [{ ...base, routeSelectionExpression: '$request.body.[', routes: {} }, 'INVALID_SELECTION_EXPRESSION'],
      [
        {
          ...base,
          authorizers: { a: { authorizerType: 'REQUEST', authorizerUri: 'fn', identitySource: ['method.request.header.X'] } },
          routes: {},
        },
        'INVALID_DEFINITION',
      ],
    ]
    for (const [api, code] of cases) {
      let thrown: unknown
      try {
        createWebSocketApi({ api, functions: { fn: async () => ({}) } })
      } catch (e) {
        thrown = e
      }
      expect(thrown).toBeInstanceOf(WebSocketApiError)
      expect((thrown as WebSocketApiError).code).toBe(code)
    }
  })
})
