/**
 * WebSocket APIs read from SAM / CloudFormation templates (packages/cli/src/sam/websocket.ts): the template of
 * aws-samples/simple-websockets-chat-app, unchanged (fixtures/simple-websockets-chat-app/README.md), built with
 * createWebSocketApi and driven by the `ws` client with small handlers in place of its DynamoDB functions; then a
 * template using every resource type read. AWS sources: the resource types
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/AWS_ApiGatewayV2.html), route responses ("API
 * Gateway will not pass the backend response through to the route response, unless you set up a route response",
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-route-response.html), and a
 * message no route matches with no `$default` route answered `Forbidden`
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-develop-routes.html).
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createWebSocketApi, type WebSocketApi, type WebSocketEvent } from '@gatehousejs/websocket'
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { readDefinitionFile } from '../src/parse'
import { functionArn, loadTemplate } from '../src/sam'
import { loadWebSocketApis, webSocketResourceIds } from '../src/sam/websocket'

const FIXTURE = 'packages/cli/test/fixtures/simple-websockets-chat-app/template.yaml'
const uriOf = (name: string) => `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${functionArn(name)}/invocations`

let cleanup: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanup.reverse()) await c()
  cleanup = []
})

async function listen(api: WebSocketApi): Promise<number> {
  const server: Server = createServer((_req, res) => res.writeHead(404).end())
  server.on('upgrade', api.handleUpgrade)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  cleanup.push(async () => {
    await api.close()
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })
  return (server.address() as AddressInfo).port
}

/** A `ws` client and the messages it receives, in order. */
async function client(url: string): Promise<{ ws: WebSocket; next(): Promise<string> }> {
  const ws = new WebSocket(url)
  const queue: string[] = []
  const waiting: ((m: string) => void)[] = []
  ws.on('message', (data) => {
    const text = String(data)
    const w = waiting.shift()
    if (w) w(text)
    else queue.push(text)
  })
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  cleanup.push(async () => ws.terminate())
  return { ws, next: () => (queue.length > 0 ? Promise.resolve(queue.shift()!) : new Promise((resolve) => waiting.push(resolve))) }
}

describe('aws-samples/simple-websockets-chat-app template.yaml, unchanged', () => {
  it('becomes the native definition: three AWS_PROXY routes on the functions, stage Prod', () => {
    const warnings: string[] = []
    const [spec, ...more] = loadWebSocketApis(readDefinitionFile(FIXTURE), { warn: (m) => warnings.push(m) })
    expect(more).toEqual([])
    expect(spec).toEqual({
      logicalId: 'SimpleChatWebSocket',
      stage: 'Prod',
      stageVariables: {},
      definition: {
        name: 'SimpleChatWebSocket',
        routeSelectionExpression: '$request.body.action',
        routes: {
          $connect: { integration: { type: 'AWS_PROXY', uri: uriOf('OnConnectFunction') } },
          $disconnect: { integration: { type: 'AWS_PROXY', uri: uriOf('OnDisconnectFunction') } },
          sendmessage: { integration: { type: 'AWS_PROXY', uri: uriOf('SendMessageFunction') } },
        },
      },
    })
    // Every property of its V2 resources is read or has no local effect (Description, OperationName, DeploymentId).
    expect(warnings).toEqual([])
  })

  it('leaves its V2 resources to the WebSocket loader: the REST/HTTP loader no longer warns about them', () => {
    const template = readDefinitionFile(FIXTURE)
    expect([...webSocketResourceIds(template)].sort()).toEqual(
      [
        'ConnectInteg',
        'ConnectRoute',
        'Deployment',
        'DisconnectInteg',
        'DisconnectRoute',
        'SendInteg',
        'SendRoute',
        'SimpleChatWebSocket',
        'Stage',
      ].sort(),
    )
    const warnings: string[] = []
    const project = loadTemplate(template, FIXTURE, { warn: (m) => warnings.push(m) })
    expect(project.apis).toEqual([])
    expect(project.functions.map((f) => f.name).sort()).toEqual(['OnConnectFunction', 'OnDisconnectFunction', 'SendMessageFunction'])
    expect(warnings.filter((w) => /ApiGatewayV2|WebSocket/.test(w))).toEqual([])
    expect(warnings).toContain('/Resources/ConnectionsTable: AWS::DynamoDB::Table is not run locally')
  })

  it('routes sendmessage to its function, which broadcasts through @connections; unknown actions are Forbidden', async () => {
    const [spec] = loadWebSocketApis(readDefinitionFile(FIXTURE), { warn: () => undefined })
    // The sample's handlers with a Set for its DynamoDB table and `api.connections` for its management client.
    const table = new Set<string>()
    const disconnected: WebSocketEvent[] = []
    const routed: string[] = []
    let api: WebSocketApi | undefined
    const functions = {
      [functionArn('OnConnectFunction')]: async (event: WebSocketEvent) => {
        table.add(event.requestContext.connectionId)
        return { statusCode: 200, body: 'Connected.' }
      },
      [functionArn('OnDisconnectFunction')]: async (event: WebSocketEvent) => {
        table.delete(event.requestContext.connectionId)
        disconnected.push(event)
        return { statusCode: 200, body: 'Disconnected.' }
      },
      [functionArn('SendMessageFunction')]: async (event: WebSocketEvent) => {
        routed.push(event.requestContext.routeKey)
        const postData = (JSON.parse(event.body!) as { data: string }).data
        await Promise.all([...table].map((id) => api!.connections.post(id, postData)))
        return { statusCode: 200, body: 'Data sent.' }
      },
    }
    api = createWebSocketApi({ api: spec!.definition, stage: spec!.stage, functions })
    const port = await listen(api)
    const alice = await client(`ws://127.0.0.1:${port}/${spec!.stage}`)
    const bob = await client(`ws://127.0.0.1:${port}/${spec!.stage}`)
    expect(table.size).toBe(2)

    alice.ws.send(JSON.stringify({ action: 'sendmessage', data: 'hello from alice' }))
    expect(await alice.next()).toBe('hello from alice')
    expect(await bob.next()).toBe('hello from alice')
    expect(routed).toEqual(['sendmessage'])

    // One-way route (no RouteResponse): the function's 'Data sent.' is not sent back. No $default route:
    // a message for no route is answered Forbidden.
    bob.ws.send(JSON.stringify({ action: 'nosuchroute' }))
    expect(JSON.parse(await bob.next())).toMatchObject({ message: 'Forbidden' })
    bob.ws.send('not json')
    expect(JSON.parse(await bob.next())).toMatchObject({ message: 'Forbidden' })

    bob.ws.close(1000, 'bye')
    await until(() => disconnected.length === 1)
    expect(disconnected[0]!.requestContext).toMatchObject({ routeKey: '$disconnect', eventType: 'DISCONNECT', disconnectStatusCode: 1000 })
    expect(table.size).toBe(1)
    expect(table.has(disconnected[0]!.requestContext.connectionId)).toBe(false)
  })
})

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5))
}

const FULL = 'packages/cli/test/fixtures/sam-websocket/template.yaml'

describe('every WebSocket resource type', () => {
  it('reads authorizers, routes, integrations, route and integration responses, the stage; warns about the rest', () => {
    const warnings: string[] = []
    const [spec] = loadWebSocketApis(readDefinitionFile(FULL), { warn: (m) => warnings.push(m) })
    expect(spec).toEqual({
      logicalId: 'Chat',
      stage: 'live',
      stageVariables: { greeting: 'hello' },
      defaultRouteSettings: { throttlingRateLimit: 100, throttlingBurstLimit: 50 },
      routeSettings: { echo: { throttlingRateLimit: 10, detailedMetricsEnabled: true } },
      usagePlans: [
        {
          name: 'chat-plan',
          apiKeys: ['chat-key-0123456789abcdef'],
          throttle: { rateLimit: 50, burstLimit: 20 },
          quota: { limit: 1000, period: 'DAY' },
        },
      ],
      definition: {
        name: 'chat-live',
        routeSelectionExpression: '${request.body.type}',
        apiKeySelectionExpression: '$request.header.x-api-key',
        authorizers: {
          Auth: { authorizerType: 'REQUEST', authorizerUri: uriOf('AuthFunction'), identitySource: ['route.request.querystring.token'] },
        },
        routes: {
          $connect: {
            integration: { type: 'AWS_PROXY', uri: uriOf('ConnectFunction') },
            authorizationType: 'CUSTOM',
            authorizerId: 'Auth',
            apiKeyRequired: true,
          },
          echo: {
            integration: { type: 'AWS_PROXY', uri: uriOf('echo-live'), timeoutInMillis: 5000 },
            routeResponseSelectionExpression: '$default',
          },
          $default: {
            integration: {
              type: 'MOCK',
              templateSelectionExpression: '\\$default',
              requestTemplates: { $default: '{"statusCode": 200}' },
              integrationResponses: {
                $default: { templateSelectionExpression: '\\$default', responseTemplates: { $default: '{"mock": true}' } },
              },
            },
            routeResponseSelectionExpression: '$default',
          },
          oneway: { integration: { type: 'AWS_PROXY', uri: uriOf('echo-live'), timeoutInMillis: 5000 } },
        },
      },
    })
    expect([...warnings].sort()).toEqual(
      [
        '/Resources/BadInteg/Properties/IntegrationType: "LAMBDA" is not AWS_PROXY, AWS, HTTP_PROXY, HTTP or MOCK; integration skipped',
        '/Resources/OneWayRoute/Properties: RouteResponseSelectionExpression without a $default AWS::ApiGatewayV2::RouteResponse: one-way, as on AWS',
        '/Resources/ChatStage/Properties/AccessLogSettings: not acted on locally',
        '/Resources/ChatDomainMapping: AWS::ApiGatewayV2::ApiMapping is not run locally',
      ].sort(),
    )
  })

  it('leaves the REST/HTTP loader nothing to warn about, its usage plan included', () => {
    const warnings: string[] = []
    expect(loadTemplate(readDefinitionFile(FULL), FULL, { warn: (m) => warnings.push(m) }).apis).toEqual([])
    expect(warnings).toEqual([])
  })

  it('applies parameter overrides and a stage name asked for; a route behind a false Condition is left out', () => {
    const [withExtra] = loadWebSocketApis(readDefinitionFile(FULL), {
      warn: () => undefined,
      parameterOverrides: { Extra: 'yes', StageName: 'beta' },
    })
    expect(Object.keys(withExtra!.definition.routes)).toContain('extra')
    expect(withExtra!.stage).toBe('beta')
    expect(withExtra!.definition.routes.echo?.integration?.uri).toBe(uriOf('echo-beta'))
    const [asked] = loadWebSocketApis(readDefinitionFile(FULL), { warn: () => undefined, stageName: 'local' })
    expect(asked!.stage).toBe('local')
    expect(Object.keys(asked!.definition.routes)).not.toContain('extra')
  })

  it('runs: the authorizer and API key on $connect, a two-way AWS_PROXY route, a two-way MOCK $default', async () => {
    const [spec] = loadWebSocketApis(readDefinitionFile(FULL), { warn: () => undefined })
    const events: WebSocketEvent[] = []
    const api = createWebSocketApi({
      api: spec!.definition,
      stage: spec!.stage,
      usagePlans: spec!.usagePlans!,
      functions: {
        AuthFunction: async (event: { queryStringParameters?: Record<string, string>; methodArn: string }) => ({
          principalId: 'me',
          policyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Action: 'execute-api:Invoke',
                Effect: event.queryStringParameters?.token === 'good' ? 'Allow' : 'Deny',
                Resource: event.methodArn,
              },
            ],
          },
          context: { user: 'alice' },
        }),
        ConnectFunction: async () => ({ statusCode: 200 }),
        'echo-live': async (event: WebSocketEvent) => {
          events.push(event)
          return { statusCode: 200, body: `echo: ${event.body}` }
        },
      },
    })
    const port = await listen(api)
    const refused = new WebSocket(`ws://127.0.0.1:${port}/live?token=bad`, { headers: { 'x-api-key': 'chat-key-0123456789abcdef' } })
    const status = await new Promise<number>((resolve) => refused.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)))
    expect(status).toBe(403)
    const noKey = new WebSocket(`ws://127.0.0.1:${port}/live?token=good`)
    expect(await new Promise<number>((resolve) => noKey.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)))).toBe(403)

    const ws = new WebSocket(`ws://127.0.0.1:${port}/live?token=good`, { headers: { 'x-api-key': 'chat-key-0123456789abcdef' } })
    const c = await wrap(ws)
    ws.send('{"type":"echo","n":1}')
    expect(await c.next()).toBe('echo: {"type":"echo","n":1}')
    expect(events[0]!.requestContext).toMatchObject({ routeKey: 'echo', stage: 'live', authorizer: { user: 'alice', principalId: 'me' } })
    ws.send('{"type":"oneway"}')
    ws.send('{"type":"other"}')
    expect(await c.next()).toBe('{"mock": true}') // oneway answered nothing; $default (MOCK) answered
    expect(events.map((e) => e.requestContext.routeKey)).toEqual(['echo', 'oneway'])
  })
})

async function wrap(ws: WebSocket): Promise<{ next(): Promise<string> }> {
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
  return { next: () => (queue.length > 0 ? Promise.resolve(queue.shift()!) : new Promise((resolve) => waiting.push(resolve))) }
}

describe('hostile templates', () => {
  const types = [
    'Api',
    'Route',
    'Integration',
    'RouteResponse',
    'IntegrationResponse',
    'Authorizer',
    'Stage',
    'Deployment',
    'Model',
    'constructor',
    '__proto__',
  ].map((t) => `AWS::ApiGatewayV2::${t}`)
  it('never throw: any property values under a WebSocket API give definitions or warnings', () => {
    const value = fc.oneof(
      fc.anything(),
      fc.constantFrom(
        '$connect',
        '$default',
        'integrations/I',
        'AWS_PROXY',
        'MOCK',
        'REQUEST',
        'CUSTOM',
        'WEBSOCKET',
        '__proto__',
        'constructor',
        'toString',
      ),
      fc.constant({ Ref: 'Api' }),
      fc.constant({ 'Fn::GetAtt': ['I', 'IntegrationId'] }),
      fc.constant({ 'Fn::Join': ['/', ['integrations', { Ref: 'I' }]] }),
      fc.constant({ Ref: 'Nowhere' }),
      fc.constant({ 'Fn::Sub': 5 }),
    )
    const keys = fc.constantFrom(
      'RouteKey',
      'Target',
      'IntegrationType',
      'IntegrationUri',
      'AuthorizerId',
      'AuthorizationType',
      'RouteId',
      'IntegrationId',
      'RouteResponseKey',
      'IntegrationResponseKey',
      'IdentitySource',
      'RouteSettings',
      'StageVariables',
      'RequestTemplates',
      'TimeoutInMillis',
      'Name',
    )
    const resource = fc.record({ Type: fc.constantFrom(...types), Properties: fc.dictionary(keys, value, { maxKeys: 6 }) })
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom('R', 'I', 'A', 'S', 'X', '__proto__', 'constructor'), resource, { maxKeys: 5 }),
        fc.anything(),
        (resources, junk) => {
          const template = {
            Parameters: junk,
            Resources: {
              Api: {
                Type: 'AWS::ApiGatewayV2::Api',
                Properties: { ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.a' },
              },
              ...Object.fromEntries(
                Object.entries(resources).map(([id, r]) => [id, { ...r, Properties: { ApiId: { Ref: 'Api' }, ...r.Properties } }]),
              ),
            },
          }
          const specs = loadWebSocketApis(template, { warn: () => undefined })
          for (const spec of specs) expect(typeof spec.definition.routeSelectionExpression).toBe('string')
        },
      ),
      { numRuns: 300 },
    )
  })
})
