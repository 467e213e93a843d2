/**
 * A chat-style WebSocket API with the real `ws` client: `$connect` with a Lambda REQUEST authorizer reading
 * `route.request.querystring.token`, a `sendmessage` route broadcasting through `connections.post`, `$disconnect`
 * once per connection. AWS sources:
 * - $connect/$disconnect: https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-route-keys-connect-disconnect.html
 *   ("If authorization fails on $connect, the connection will not be established, and the client will receive a
 *   401 or 403 response"; "$disconnect is a best-effort event").
 * - Authorizer input and the `methodArn` ending in `/$connect`, the 401 without identity values:
 *   https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-lambda-auth.html
 * - The chat sample this mirrors: https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-chat-app.html
 *   (aws-samples/simple-websockets-chat-app).
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { LambdaHandler } from '@gatehousejs/core'
import { type ApiServer, closed, inbox, open, startApi, until } from './harness'
import type { WebSocketApiDefinition, WebSocketAuthorizerEvent, WebSocketEvent } from '../../src/index'

let server: ApiServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

const definition: WebSocketApiDefinition = {
  name: 'chat',
  routeSelectionExpression: '$request.body.action',
  authorizers: {
    tokenAuth: { authorizerType: 'REQUEST', authorizerUri: 'authorize', identitySource: ['route.request.querystring.token'] },
  },
  routes: {
    $connect: { integration: { type: 'AWS_PROXY', uri: 'onConnect' }, authorizationType: 'CUSTOM', authorizerId: 'tokenAuth' },
    $disconnect: { integration: { type: 'AWS_PROXY', uri: 'onDisconnect' } },
    sendmessage: { integration: { type: 'AWS_PROXY', uri: 'sendMessage' } },
  },
}

function chat() {
  const authorizerEvents: WebSocketAuthorizerEvent[] = []
  const connects: WebSocketEvent[] = []
  const disconnects: WebSocketEvent[] = []
  const messages: WebSocketEvent[] = []
  const users: Record<string, string> = { 'alice-token': 'alice', 'bob-token': 'bob' }
  const authorize: LambdaHandler = async (event: WebSocketAuthorizerEvent) => {
    authorizerEvents.push(event)
    const user = users[event.queryStringParameters?.token ?? '']
    if (event.queryStringParameters?.token === 'throw') throw new Error('Unauthorized')
    return {
      principalId: user ?? 'nobody',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: user ? 'Allow' : 'Deny', Resource: event.methodArn }],
      },
      context: { user: user ?? '', level: 3, admin: false },
    }
  }
  let api!: ApiServer['api']
  const onConnect: LambdaHandler = async (event: WebSocketEvent) => {
    connects.push(event)
    if (event.queryStringParameters?.room === 'closed') return { statusCode: 429, body: 'room is full' }
    return { statusCode: 200 }
  }
  const onDisconnect: LambdaHandler = async (event: WebSocketEvent) => {
    disconnects.push(event)
    return { statusCode: 200 }
  }
  const sendMessage: LambdaHandler = async (event: WebSocketEvent) => {
    messages.push(event)
    const { message } = JSON.parse(event.body ?? '{}') as { message: string }
    const from = event.requestContext.authorizer?.user
    await Promise.all(api.connections.ids().map((id) => api.connections.post(id, JSON.stringify({ from, message })).catch(() => undefined)))
    return { statusCode: 200 }
  }
  return {
    authorizerEvents,
    connects,
    disconnects,
    messages,
    functions: { authorize, onConnect, onDisconnect, sendMessage },
    bind: (s: ApiServer) => {
      api = s.api
    },
  }
}

describe('chat over the ws client', () => {
  it('authorizes on $connect, broadcasts sendmessage to everyone, and calls $disconnect once per connection', async () => {
    const app = chat()
    server = await startApi({ api: definition, stage: 'prod', functions: app.functions })
    app.bind(server)
    const alice = await open(`${server.url}/?token=alice-token`, { headers: { 'User-Agent': 'alice-agent' } })
    const bob = await open(`${server.url}/?token=bob-token`)
    const aliceInbox = inbox(alice)
    const bobInbox = inbox(bob)
    expect(server.api.connections.ids()).toHaveLength(2)
    alice.send(JSON.stringify({ action: 'sendmessage', message: 'hello, everyone!' }))
    expect(JSON.parse(await aliceInbox.next())).toEqual({ from: 'alice', message: 'hello, everyone!' })
    expect(JSON.parse(await bobInbox.next())).toEqual({ from: 'alice', message: 'hello, everyone!' })
    bob.send(JSON.stringify({ action: 'sendmessage', message: 'hi alice' }))
    expect(JSON.parse(await aliceInbox.next())).toEqual({ from: 'bob', message: 'hi alice' })
    expect(JSON.parse(await bobInbox.next())).toEqual({ from: 'bob', message: 'hi alice' })

    const aliceId = app.connects[0]!.requestContext.connectionId
    const bobId = app.connects[1]!.requestContext.connectionId
    expect(aliceId).not.toBe(bobId)
    alice.close(4001, 'bye')
    await closed(alice)
    await until(() => app.disconnects.length === 1)
    expect(app.disconnects[0]!.requestContext).toMatchObject({
      routeKey: '$disconnect',
      eventType: 'DISCONNECT',
      connectionId: aliceId,
      disconnectStatusCode: 4001,
      disconnectReason: 'bye',
      authorizer: { user: 'alice', principalId: 'alice' },
    })
    await expect(server.api.connections.post(aliceId, 'late')).rejects.toMatchObject({ name: 'GoneException', statusCode: 410 })
    bob.terminate()
    await until(() => app.disconnects.length === 2)
    expect(app.disconnects[1]!.requestContext).toMatchObject({ connectionId: bobId, disconnectStatusCode: 1006 })
    await server.close()
    server = undefined
    expect(app.disconnects).toHaveLength(2)
  })

  it('gives the authorizer the event AWS documents and its context to every later route', async () => {
    const app = chat()
    server = await startApi({
      api: definition,
      stage: 'prod',
      functions: app.functions,
      apiId: 'abcdef123',
      region: 'eu-west-1',
      accountId: '111122223333',
    })
    app.bind(server)
    const ws = await open(`${server.url}/chat?token=alice-token&room=a&room=b`, { headers: { HeaderAuth1: 'headerValue1' } })
    const box = inbox(ws)
    const [authEvent] = app.authorizerEvents
    expect(authEvent).toMatchObject({
      type: 'REQUEST',
      methodArn: 'arn:aws:execute-api:eu-west-1:111122223333:abcdef123/prod/$connect',
      queryStringParameters: { token: 'alice-token', room: 'b' },
      multiValueQueryStringParameters: { token: ['alice-token'], room: ['a', 'b'] },
      stageVariables: {},
      requestContext: { routeKey: '$connect', eventType: 'CONNECT', messageDirection: 'IN', stage: 'prod', apiId: 'abcdef123' },
    })
    // Header names keep the client's spelling, as in AWS's example (`HeaderAuth1`, `Sec-WebSocket-Key`).
    expect(authEvent!.headers.HeaderAuth1).toBe('headerValue1')
    expect(authEvent!.multiValueHeaders.HeaderAuth1).toEqual(['headerValue1'])
    expect(authEvent!.headers['Sec-WebSocket-Version']).toBe('13')
    expect(authEvent!.requestContext.connectionId).toBe(app.connects[0]!.requestContext.connectionId)

    ws.send(JSON.stringify({ action: 'sendmessage', message: 'x' }))
    await box.next()
    // REST-style authorizer context: values as strings, plus principalId and integrationLatency.
    const authorizer = app.messages[0]!.requestContext.authorizer!
    expect(authorizer).toMatchObject({ user: 'alice', level: '3', admin: 'false', principalId: 'alice' })
    expect(typeof authorizer.integrationLatency).toBe('number')
    expect(app.connects[0]!.requestContext.authorizer).toEqual(authorizer)
    ws.close()
    await closed(ws)
  })

  it('refuses with 401 without the identity source (the authorizer is not called), 401 for "Unauthorized", 403 for Deny', async () => {
    const app = chat()
    server = await startApi({ api: definition, stage: 'prod', functions: app.functions })
    app.bind(server)
    await expect(open(server.url)).rejects.toMatchObject({ status: 401 })
    await expect(open(`${server.url}/?token=`)).rejects.toMatchObject({ status: 401 })
    expect(app.authorizerEvents).toHaveLength(0)
    await expect(open(`${server.url}/?token=throw`)).rejects.toMatchObject({ status: 401 })
    await expect(open(`${server.url}/?token=mallory`)).rejects.toMatchObject({
      status: 403,
      body: '{"Message":"User is not authorized to access this resource with an explicit deny"}',
    })
    expect(app.authorizerEvents).toHaveLength(2)
    expect(app.connects).toHaveLength(0)
    expect(server.api.connections.ids()).toHaveLength(0)
    expect(app.disconnects).toHaveLength(0)
  })

  it("refuses the upgrade with the $connect integration's non-2xx status and body; no $disconnect follows", async () => {
    const app = chat()
    server = await startApi({ api: definition, stage: 'prod', functions: app.functions })
    app.bind(server)
    await expect(open(`${server.url}/?token=alice-token&room=closed`)).rejects.toMatchObject({ status: 429, body: 'room is full' })
    expect(app.connects).toHaveLength(1)
    expect(server.api.connections.ids()).toHaveLength(0)
    const ws = await open(`${server.url}/?token=alice-token`)
    ws.close()
    await until(() => app.disconnects.length === 1)
    expect(app.disconnects[0]!.requestContext.connectionId).toBe(app.connects[1]!.requestContext.connectionId)
  })
})
