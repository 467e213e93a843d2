/**
 * The `@connections` endpoint with the real AWS SDK client (`@aws-sdk/client-apigatewaymanagementapi`, endpoint
 * override to `http://127.0.0.1:{port}/{stage}`): PostToConnection, GetConnection (connectedAt, identity,
 * lastActiveAt), DeleteConnection, GoneException (410) for a closed connection, and SigV4 (service
 * `execute-api`) refusals. AWS sources:
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-how-to-call-websocket-api-connections.html
 * ("These requests use IAM authorization, so you must sign them with Signature Version 4"; POST/GET/DELETE
 * `/{stage}/@connections/{connection_id}`), https://repost.aws/knowledge-center/410-gone-api-gateway (410
 * GoneException when "the connection has been terminated, or the connection doesn't exist anymore").
 */
import {
  ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
  GetConnectionCommand,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi'
import { afterEach, describe, expect, it } from 'vitest'
import type { WebSocketEvent } from '../../src/index'
import { type ApiServer, closed, inbox, open, startApi, until } from './harness'

let server: ApiServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }

function client(port: number, stage: string, creds = credentials) {
  return new ApiGatewayManagementApiClient({ endpoint: `http://127.0.0.1:${port}/${stage}`, region: 'us-east-1', credentials: creds })
}

async function chatServer() {
  const connected: string[] = []
  const disconnected: WebSocketEvent[] = []
  let clock = Date.UTC(2026, 0, 25, 18, 50, 4, 673)
  server = await startApi({
    api: {
      name: 'sdk',
      routeSelectionExpression: '$request.body.action',
      routes: {
        $connect: { integration: { type: 'AWS_PROXY', uri: 'connect' } },
        $disconnect: { integration: { type: 'AWS_PROXY', uri: 'disconnect' } },
        $default: { integration: { type: 'AWS_PROXY', uri: 'ignore' } },
      },
    },
    stage: 'prod',
    credentials,
    region: 'us-east-1',
    now: () => clock,
    functions: {
      connect: async (event: WebSocketEvent) => {
        connected.push(event.requestContext.connectionId)
        return { statusCode: 200 }
      },
      disconnect: async (event: WebSocketEvent) => {
        disconnected.push(event)
        return { statusCode: 200 }
      },
      ignore: async () => ({ statusCode: 200 }),
    },
  })
  return { connected, disconnected, tick: (ms: number) => (clock += ms) }
}

describe('@connections with the AWS SDK client', () => {
  it('PostToConnection, GetConnection, DeleteConnection, then GoneException', async () => {
    const app = await chatServer()
    const ws = await open(server!.url, { headers: { 'User-Agent': 'sdk-test-agent' } })
    const box = inbox(ws)
    const id = app.connected[0]!
    expect(id).toMatch(/^[A-Za-z0-9+/]{15}=$/) // base64 with '=', which the SDK must URL-encode
    const sdk = client(server!.port, 'prod')

    await sdk.send(new PostToConnectionCommand({ ConnectionId: id, Data: JSON.stringify({ hello: 'from the SDK' }) }))
    expect(JSON.parse(await box.next())).toEqual({ hello: 'from the SDK' })
    await sdk.send(new PostToConnectionCommand({ ConnectionId: id, Data: new TextEncoder().encode('bytes ✓') }))
    expect(await box.next()).toBe('bytes ✓')

    app.tick(5000)
    ws.send('{"action":"anything"}') // a message makes the connection active
    await until(() => server!.api.connections.ids().length === 1)
    const before = await sdk.send(new GetConnectionCommand({ ConnectionId: id }))
    expect(before.ConnectedAt).toEqual(new Date(Date.UTC(2026, 0, 25, 18, 50, 4, 673)))
    expect(before.Identity).toEqual({ SourceIp: '127.0.0.1', UserAgent: 'sdk-test-agent' })
    expect(before.LastActiveAt!.getTime()).toBeGreaterThanOrEqual(before.ConnectedAt!.getTime())
    const done = closed(ws)
    await sdk.send(new DeleteConnectionCommand({ ConnectionId: id }))
    expect((await done).code).toBe(1000)
    await until(() => app.disconnected.length === 1)
    expect(app.disconnected[0]!.requestContext).toMatchObject({ connectionId: id, disconnectStatusCode: 1000 })

    for (const command of [
      new PostToConnectionCommand({ ConnectionId: id, Data: 'late' }),
      new GetConnectionCommand({ ConnectionId: id }),
      new DeleteConnectionCommand({ ConnectionId: id }),
      new PostToConnectionCommand({ ConnectionId: 'never-existed=', Data: 'x' }),
    ]) {
      const error = await sdk.send(command as never).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(GoneException)
      expect((error as GoneException).$metadata.httpStatusCode).toBe(410)
    }
  })

  it('lastActiveAt follows messages either way (injected clock)', async () => {
    const app = await chatServer()
    const ws = await open(server!.url)
    const box = inbox(ws)
    const id = app.connected[0]!
    const sdk = client(server!.port, 'prod')
    const first = await sdk.send(new GetConnectionCommand({ ConnectionId: id }))
    expect(first.LastActiveAt).toEqual(first.ConnectedAt)
    app.tick(60_000)
    await sdk.send(new PostToConnectionCommand({ ConnectionId: id, Data: 'ping' }))
    await box.next()
    const second = await sdk.send(new GetConnectionCommand({ ConnectionId: id }))
    expect(second.LastActiveAt!.getTime() - first.ConnectedAt!.getTime()).toBe(60_000)
    expect(second.Identity?.UserAgent).toBeUndefined() // ws sends no User-Agent: null, which the SDK drops
    ws.terminate()
  })

  it('refuses a wrong secret, an unknown key, another stage and unsigned requests with 403', async () => {
    const app = await chatServer()
    const ws = await open(server!.url)
    const box = inbox(ws)
    const id = app.connected[0]!
    const wrongSecret = client(server!.port, 'prod', { ...credentials, secretAccessKey: 'not-the-secret' })
    const unknownKey = client(server!.port, 'prod', { accessKeyId: 'AKIDUNKNOWN', secretAccessKey: 'x' })
    const otherStage = client(server!.port, 'beta')
    for (const sdk of [wrongSecret, unknownKey, otherStage]) {
      const error = await sdk.send(new PostToConnectionCommand({ ConnectionId: id, Data: 'no' })).catch((e: unknown) => e)
      expect((error as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(403)
    }
    const unsigned = await fetch(`http://127.0.0.1:${server!.port}/prod/@connections/${encodeURIComponent(id)}`, {
      method: 'POST',
      body: 'no',
    })
    expect(unsigned.status).toBe(403)
    expect(await unsigned.json()).toEqual({ message: 'Missing Authentication Token' })
    // None of them reached the client.
    await client(server!.port, 'prod').send(new PostToConnectionCommand({ ConnectionId: id, Data: 'yes' }))
    expect(await box.next()).toBe('yes')
    expect(box.messages).toEqual(['yes'])
    ws.terminate()
  })
})
