/**
 * serveWebSocketApis (packages/cli/src/serve-websocket.ts), what `gatehouse serve template.yaml` runs for a template's
 * WebSocket APIs, tested on a node:http server of the test's own: aws-samples/simple-websockets-chat-app's template
 * (unchanged) with handlers that, as the sample's, post through the real `@aws-sdk/client-apigatewaymanagementapi`
 * client to `/{stage}/@connections/{id}` on the same server (SigV4, service `execute-api`:
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-how-to-call-websocket-api-connections.html);
 * a `--functions` module; a function that does not load; several APIs on one server.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { ApiGatewayManagementApiClient, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi'
import type { WebSocketEvent } from '@gatehousejs/websocket'
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { readDefinitionFile } from '../src/parse'
import { functionArn } from '../src/sam'
import { type ServedWebSocketApis, serveWebSocketApis } from '../src/serve-websocket'

const CHAT = 'packages/cli/test/fixtures/simple-websockets-chat-app/template.yaml'
const FULL = 'packages/cli/test/fixtures/sam-websocket/template.yaml'
const credentials = { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'local/secret/for/the/test' }

let cleanup: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanup.reverse()) await c()
  cleanup = []
})

/** A server whose requests go to `@connections` first, else 404 — what serve.ts does with its gateways. */
async function start(file: string, options: Omit<Parameters<typeof serveWebSocketApis>[2], 'file'> = {}) {
  let served: ServedWebSocketApis | undefined
  const server: Server = createServer((req, res) => {
    if (!served?.handleRequest(req, res)) res.writeHead(404).end('{"message":"Not Found"}')
  })
  const errors: string[] = []
  served = await serveWebSocketApis(readDefinitionFile(file), server, { file, err: (l) => errors.push(l), ...options })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  cleanup.push(async () => {
    await served!.close()
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })
  return { served, port, errors, server }
}

async function open(url: string, headers: Record<string, string> = {}): Promise<{ ws: WebSocket; next(): Promise<string> }> {
  const ws = new WebSocket(url, { headers })
  const queue: string[] = []
  const waiting: ((m: string) => void)[] = []
  ws.on('message', (data) => {
    const w = waiting.shift()
    if (w) w(String(data))
    else queue.push(String(data))
  })
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  cleanup.push(async () => ws.terminate())
  return { ws, next: () => (queue.length > 0 ? Promise.resolve(queue.shift()!) : new Promise((resolve) => waiting.push(resolve))) }
}

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5))
}

describe('serveWebSocketApis on simple-websockets-chat-app', () => {
  it('serves the chat: sendmessage posts to every connection through the SDK client and @connections', async () => {
    const table = new Set<string>()
    let port = 0
    const { served, errors, ...rest } = await start(CHAT, {
      credentials: [credentials],
      handlers: {
        OnConnectFunction: async (event: WebSocketEvent) => {
          table.add(event.requestContext.connectionId)
          return { statusCode: 200, body: 'Connected.' }
        },
        OnDisconnectFunction: async (event: WebSocketEvent) => {
          table.delete(event.requestContext.connectionId)
          return { statusCode: 200, body: 'Disconnected.' }
        },
        // As the sample's sendmessage/app.js, with the endpoint pointed at this server and a Set for DynamoDB.
        SendMessageFunction: async (event: WebSocketEvent) => {
          const sdk = new ApiGatewayManagementApiClient({
            endpoint: `http://127.0.0.1:${port}/${event.requestContext.stage}`,
            region: 'us-east-1',
            credentials,
          })
          const postData = (JSON.parse(event.body!) as { data: string }).data
          await Promise.all([...table].map((ConnectionId) => sdk.send(new PostToConnectionCommand({ ConnectionId, Data: postData }))))
          return { statusCode: 200, body: 'Data sent.' }
        },
      },
    })
    port = rest.port
    expect(served.lines).toEqual([
      'SimpleChatWebSocket (WEBSOCKET, stage Prod) ws://<host>/Prod  @connections on /Prod/@connections/{id}',
      '  $connect  AWS_PROXY OnConnectFunction',
      '  $disconnect  AWS_PROXY OnDisconnectFunction',
      '  sendmessage  AWS_PROXY SendMessageFunction',
    ])
    const a = await open(`ws://127.0.0.1:${port}/Prod`)
    const b = await open(`ws://127.0.0.1:${port}/Prod`)
    a.ws.send(JSON.stringify({ action: 'sendmessage', data: 'hi all' }))
    expect(await a.next()).toBe('hi all')
    expect(await b.next()).toBe('hi all')
    b.ws.close()
    await until(() => table.size === 1)

    // Unsigned @connections requests are refused; other paths are not the WebSocket API's.
    const unsigned = await fetch(`http://127.0.0.1:${port}/Prod/@connections/${encodeURIComponent([...table][0]!)}`, {
      method: 'POST',
      body: 'x',
    })
    expect(unsigned.status).toBe(403)
    expect((await fetch(`http://127.0.0.1:${port}/Prod/other`)).status).toBe(404)
    expect((await fetch(`http://127.0.0.1:${port}/Beta/@connections/abc`)).status).toBe(404)
    expect(errors).toEqual([])
  })

  it('a function that does not load: reported, and its route fails as a Lambda error does', async () => {
    // No handler for SendMessageFunction and no sendmessage/ directory beside the fixture.
    const { port, errors } = await start(CHAT, {
      handlers: { OnConnectFunction: async () => ({ statusCode: 200 }), OnDisconnectFunction: async () => ({ statusCode: 200 }) },
    })
    expect(errors[0]).toMatch(/^error: SendMessageFunction did not load: Handler app\.handler: no app\.mjs/)
    const a = await open(`ws://127.0.0.1:${port}/Prod`)
    a.ws.send(JSON.stringify({ action: 'sendmessage', data: 'x' }))
    expect(JSON.parse(await a.next())).toMatchObject({ message: 'Internal server error' })
    await until(() => errors.length === 2)
    expect(errors[1]).toMatch(/^error sendmessage \S+ \(SimpleChatWebSocket\): Error: SendMessageFunction did not load/)
  })

  it('uses handlers already loaded for the REST / HTTP APIs as they are, without loading the module again', async () => {
    const calls: string[] = []
    const loaded = Object.fromEntries(
      ['OnConnectFunction', 'OnDisconnectFunction', 'SendMessageFunction'].map((name) => [
        functionArn(name),
        async (event: WebSocketEvent) => {
          calls.push(`${name} ${event.requestContext.routeKey}`)
          return { statusCode: 200 }
        },
      ]),
    )
    // A module path that does not exist: loading it would fail.
    const { served, port, errors } = await start(CHAT, { loaded, functions: 'packages/cli/test/fixtures/no-such-module.mjs' })
    expect(served.files).toEqual([])
    const a = await open(`ws://127.0.0.1:${port}/Prod`)
    a.ws.send('{"action":"sendmessage"}')
    await until(() => calls.length === 2)
    expect(calls).toEqual(['OnConnectFunction $connect', 'SendMessageFunction sendmessage'])
    expect(errors).toEqual([])
  })

  it('takes handlers from a --functions module, with parameter overrides and the stage asked for', async () => {
    const { served, port, errors } = await start(FULL, {
      functions: 'packages/cli/test/fixtures/sam-websocket/handlers.mjs',
      parameters: { StageName: 'qa' },
      stage: 'local',
    })
    expect(served.files.map((f) => f.replace(/\\/g, '/'))).toEqual([expect.stringMatching(/fixtures\/sam-websocket\/handlers\.mjs$/)])
    expect(served.lines[0]).toBe('Chat (WEBSOCKET, stage local) ws://<host>/local  @connections on /local/@connections/{id}')
    expect(served.lines).toContain('  $connect  AWS_PROXY ConnectFunction  authorizer Auth  key required')
    expect(served.lines).toContain('  echo  AWS_PROXY echo-qa  two-way')
    const refused = new WebSocket(`ws://127.0.0.1:${port}/local?token=good`, { headers: { 'x-api-key': 'not-a-key-of-the-plan' } })
    expect(await new Promise<number>((resolve) => refused.once('unexpected-response', (_q, res) => resolve(res.statusCode ?? 0)))).toBe(403)
    // The key of the template's usage plan bound to the API, and the token the module's authorizer allows.
    const c = await open(`ws://127.0.0.1:${port}/local?token=good`, { 'x-api-key': 'chat-key-0123456789abcdef' })
    c.ws.send('{"type":"echo"}')
    expect(await c.next()).toBe('echo from local: {"type":"echo"}')
    expect(errors.filter((e) => !e.startsWith('warning: /Resources/'))).toEqual([])
  })

  it('several APIs on one server: the first path segment names the API; close() detaches', async () => {
    const template: Record<string, unknown> = { Resources: {} }
    const resources = template.Resources as Record<string, unknown>
    for (const id of ['One', 'Two']) {
      resources[id] = { Type: 'AWS::ApiGatewayV2::Api', Properties: { ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '\\$default' } }
      resources[`${id}Route`] = {
        Type: 'AWS::ApiGatewayV2::Route',
        Properties: { ApiId: { Ref: id }, RouteKey: '$default', Target: { 'Fn::Sub': `integrations/\${${id}Integ}` } },
      }
      resources[`${id}RouteResponse`] = {
        Type: 'AWS::ApiGatewayV2::RouteResponse',
        Properties: { ApiId: { Ref: id }, RouteId: { Ref: `${id}Route` }, RouteResponseKey: '$default' },
      }
      resources[`${id}Integ`] = {
        Type: 'AWS::ApiGatewayV2::Integration',
        Properties: { ApiId: { Ref: id }, IntegrationType: 'MOCK', RequestTemplates: { $default: '{"statusCode": 200}' } },
      }
      resources[`${id}IntegResponse`] = {
        Type: 'AWS::ApiGatewayV2::IntegrationResponse',
        Properties: {
          ApiId: { Ref: id },
          IntegrationId: { Ref: `${id}Integ` },
          IntegrationResponseKey: '$default',
          ResponseTemplates: { $default: `from ${id} $context.connectionId` },
        },
      }
    }
    let served: ServedWebSocketApis | undefined
    const server = createServer((req, res) => {
      if (!served?.handleRequest(req, res)) res.writeHead(404).end()
    })
    served = await serveWebSocketApis(template, server, { file: 'inline.yaml', err: () => undefined })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as AddressInfo).port
    cleanup.push(async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    })
    expect(served.lines.filter((l) => !l.startsWith(' '))).toEqual([
      'One (WEBSOCKET, stage dev) ws://<host>/One/dev  @connections on /dev/@connections/{id}',
      'Two (WEBSOCKET, stage dev) ws://<host>/Two/dev  @connections on /dev/@connections/{id}',
    ])
    for (const [path, answer] of [
      ['/Two/dev', 'from Two'],
      ['/One/dev', 'from One'],
      ['/elsewhere', 'from One'],
    ]) {
      const c = await open(`ws://127.0.0.1:${port}${path}`)
      c.ws.send('hello')
      expect((await c.next()).startsWith(`${answer} `)).toBe(true)
    }
    // Both APIs have the stage `dev`, so `/dev/@connections` is one endpoint: it reaches either API's connections.
    const two = await open(`ws://127.0.0.1:${port}/Two/dev`)
    two.ws.send('who am I')
    const id = (await two.next()).split(' ')[2]!
    await served.apis[0]!.api.connections.post(id, "through One's @connections")
    expect(await two.next()).toBe("through One's @connections")
    await served.close()
    expect(server.listenerCount('upgrade')).toBe(0)
  })
})
