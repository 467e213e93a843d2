/**
 * `HTTP_PROXY`, `HTTP` and `AWS` (Lambda custom) integrations of a WebSocket API, with a real HTTP backend on
 * loopback and the `ws` client. AWS sources:
 * - Integrations and two-way routes: https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-routes-integrations.html
 * - Integration responses ("For proxy integrations, API Gateway automatically passes the backend output to the
 *   caller as the complete payload"; "$default" as the catch-all; other keys are "/expression/" matched against the
 *   HTTP status code): https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-integration-responses.html
 * - Route responses (`$default` is the only route response key): https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-route-response.html
 * - Template selection expressions (`${request.body.jsonPath}`, static values; `${integration.response.statuscode}`
 *   on integration responses): https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-data-transformations.html
 * - Request parameter mapping from `context.*` and `route.request.*`: https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-data-mapping.html
 * - "No match for output mapping and no default output mapping configured" when no integration response matches:
 *   https://repost.aws/questions/QU5uSB74xLRg2NBJ4MGzQbgw
 */
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type ApiServer, inbox, open, startApi } from './harness'
import { createWebSocketApi, WebSocketApiError, type WebSocketApiDefinition } from '../../src/index'

interface Seen {
  method: string
  url: string
  headers: IncomingMessage['headers']
  body: string
}

let backend: Server
let backendUrl = ''
let seen: Seen[] = []
let server: ApiServer | undefined

beforeEach(async () => {
  seen = []
  backend = createServer((req, res) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (c: string) => {
      body += c
    })
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body })
      const url = new URL(req.url ?? '/', 'http://x')
      if (url.pathname === '/status') {
        const status = Number(url.searchParams.get('code') ?? 200)
        res.writeHead(status, { 'content-type': 'application/json', 'x-backend': 'yes' })
        res.end(JSON.stringify({ status, got: body }))
        return
      }
      if (url.pathname === '/slow') return // never answers: the integration times out
      if (url.pathname === '/deny') {
        res.writeHead(403, { 'content-type': 'text/plain' })
        res.end('not you')
        return
      }
      res.writeHead(200, { 'content-type': 'application/json', 'x-backend': 'yes' })
      res.end(JSON.stringify({ echoed: body, path: url.pathname, query: url.search }))
    })
  })
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve))
  backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`
})

afterEach(async () => {
  await server?.close()
  server = undefined
  backend.closeAllConnections()
  await new Promise<void>((resolve) => backend.close(() => resolve()))
})

describe('HTTP_PROXY', () => {
  it('posts the message to the endpoint and sends its body back on a two-way route; one-way routes send nothing', async () => {
    server = await startApi({
      api: {
        name: 'proxy',
        routeSelectionExpression: '$request.body.action',
        routes: {
          echo: {
            integration: {
              type: 'HTTP_PROXY',
              uri: `${backendUrl}/echo`,
              requestParameters: { 'integration.request.header.x-connection': 'context.connectionId' },
            },
            routeResponseSelectionExpression: '$default',
          },
          quiet: { integration: { type: 'HTTP_PROXY', uri: `${backendUrl}/quiet` } },
        },
      },
      connectionId: () => 'CONN1',
    })
    const ws = await open(server.url)
    const box = inbox(ws)
    ws.send('{"action":"quiet","n":1}')
    ws.send('{"action":"echo","n":2}')
    expect(JSON.parse(await box.next())).toEqual({ echoed: '{"action":"echo","n":2}', path: '/echo', query: '' })
    expect(box.messages).toHaveLength(1)
    const echo = seen.find((s) => s.url === '/echo')!
    expect(echo.method).toBe('POST')
    expect(echo.headers['x-connection']).toBe('CONN1')
    expect(seen.find((s) => s.url === '/quiet')?.body).toBe('{"action":"quiet","n":1}')
    ws.terminate()
  })

  it('on $connect forwards the handshake headers and query; a non-2xx answer refuses the upgrade with it', async () => {
    const definition = (uri: string): WebSocketApiDefinition => ({
      name: 'proxy-connect',
      routeSelectionExpression: '$request.body.action',
      routes: {
        $connect: {
          integration: {
            type: 'HTTP_PROXY',
            uri,
            integrationMethod: 'GET',
            requestParameters: {
              'integration.request.header.x-room': 'route.request.querystring.room',
              'integration.request.header.x-env': 'stageVariables.env',
              'integration.request.querystring.source': "'gateway'",
            },
          },
        },
      },
    })
    server = await startApi({ api: definition(`${backendUrl}/connect`), stageVariables: { env: 'dev' } })
    const ws = await open(`${server.url}/?room=blue`, { headers: { 'X-Client': 'test-1' } })
    const connect = seen.find((s) => s.url.startsWith('/connect'))!
    expect(connect.method).toBe('GET')
    expect(connect.url).toBe('/connect?room=blue&source=gateway')
    expect(connect.headers['x-client']).toBe('test-1')
    expect(connect.headers['x-room']).toBe('blue')
    expect(connect.headers['x-env']).toBe('dev')
    expect(connect.headers['sec-websocket-key']).toBeUndefined()
    ws.terminate()
    await server.close()
    server = await startApi({ api: definition(`${backendUrl}/deny`) })
    await expect(open(server.url)).rejects.toMatchObject({ status: 403, body: 'not you' })
  })
})

describe('HTTP with templates and integration responses', () => {
  const httpApi = (code: number, responses?: WebSocketApiDefinition['routes'][string]['integration']): WebSocketApiDefinition => ({
    name: 'http',
    routeSelectionExpression: '$request.body.action',
    routes: {
      send: {
        integration: responses ?? {
          type: 'HTTP',
          uri: `${backendUrl}/status?code=${code}`,
          templateSelectionExpression: '${request.body.kind}',
          requestTemplates: {
            greeting: '{"hello": $input.json(\'$.name\'), "from": "$context.connectionId", "stage": "$stageVariables.env"}',
            $default: '{"other": "$input.path(\'$.kind\')"}',
          },
          integrationResponses: {
            '/2\\d\\d/': {
              templateSelectionExpression: '${integration.response.statuscode}',
              responseTemplates: {
                '201': "created: $input.path('$.got')",
                $default: "#set($b = $input.path('$'))ok $b.status via $context.routeKey",
              },
            },
            '/4\\d\\d/': { responseTemplates: { $default: '{"error": "client", "status": $input.json(\'$.status\')}' } },
            $default: {},
          },
        },
        routeResponseSelectionExpression: '$default',
      },
    },
  })

  it('picks the request template by templateSelectionExpression and the integration response by status', async () => {
    server = await startApi({ api: httpApi(200), connectionId: () => 'C9', stageVariables: { env: 'test' } })
    const ws = await open(server.url)
    const box = inbox(ws)
    ws.send('{"action":"send","kind":"greeting","name":"ada"}')
    expect(await box.next()).toBe('ok 200 via send')
    expect(JSON.parse(seen[0]!.body)).toEqual({ hello: 'ada', from: 'C9', stage: 'test' })
    ws.send('{"action":"send","kind":"unknown"}')
    expect(await box.next()).toBe('ok 200 via send')
    expect(JSON.parse(seen[1]!.body)).toEqual({ other: 'unknown' })
    ws.terminate()
  })

  it.each([
    [201, 'created: {"other": "x"}'],
    [404, '{"error": "client", "status": 404}'],
    [500, '{"status":500,"got":"{\\"other\\": \\"x\\"}"}'],
  ])('status %i selects its integration response', async (code, expected) => {
    server = await startApi({ api: httpApi(code) })
    const ws = await open(server.url)
    const box = inbox(ws)
    ws.send('{"action":"send","kind":"x"}')
    expect(await box.next()).toBe(expected)
    ws.terminate()
  })

  it('no matching integration response and no $default: the internal error frame, reported to onError', async () => {
    const reported: unknown[] = []
    server = await startApi({
      api: httpApi(500, { type: 'HTTP', uri: `${backendUrl}/status?code=500`, integrationResponses: { '/2\\d\\d/': {} } }),
      connectionId: () => 'C1',
      requestId: () => 'R1',
      onError: (e) => reported.push(e),
    })
    const ws = await open(server.url)
    const box = inbox(ws)
    ws.send('{"action":"send"}')
    expect(await box.next()).toBe('{"message": "Internal server error", "connectionId":"C1", "requestId":"R1"}')
    expect(String(reported[0])).toContain('No match for output mapping')
    ws.terminate()
  })

  it('passthroughBehavior NEVER refuses a message no template matches; a bad JSON payload in a template is a client error', async () => {
    const reported: unknown[] = []
    server = await startApi({
      api: {
        name: 'never',
        routeSelectionExpression: '$request.body.action',
        routes: {
          $default: {
            integration: {
              type: 'HTTP',
              uri: `${backendUrl}/echo`,
              templateSelectionExpression: '$request.body.kind',
              passthroughBehavior: 'NEVER',
              requestTemplates: { json: "$input.json('$.x')" },
              integrationResponses: { $default: {} },
            },
            routeResponseSelectionExpression: '$default',
          },
        },
      },
      connectionId: () => 'C1',
      requestId: () => 'R1',
      onError: (e) => reported.push(e),
    })
    const ws = await open(server.url)
    const box = inbox(ws)
    ws.send('{"kind":"xml"}')
    expect(await box.next()).toBe('{"message": "Unsupported Media Type", "connectionId":"C1", "requestId":"R1"}')
    ws.send('{"kind":"json","x":[1,2]}')
    expect(JSON.parse(await box.next()).echoed).toBe('[1,2]')
    expect(seen).toHaveLength(1)
    expect(reported).toEqual([])
    ws.terminate()
  })
})

describe('endpoint failures', () => {
  it('an endpoint slower than timeoutInMillis: "Endpoint request timed out"; an unreachable one: "Internal server error"; both reach onError', async () => {
    const reported: string[] = []
    server = await startApi({
      api: {
        name: 'failing',
        routeSelectionExpression: '$request.body.action',
        routes: {
          slow: {
            integration: { type: 'HTTP_PROXY', uri: `${backendUrl}/slow`, timeoutInMillis: 50 },
            routeResponseSelectionExpression: '$default',
          },
          down: { integration: { type: 'HTTP_PROXY', uri: 'http://127.0.0.1:1/' }, routeResponseSelectionExpression: '$default' },
        },
      },
      connectionId: () => 'C1',
      requestId: () => 'R1',
      onError: (_e, info) => reported.push(info.routeKey),
    })
    const ws = await open(server.url)
    const box = inbox(ws)
    ws.send('{"action":"slow"}')
    expect(await box.next()).toBe('{"message": "Endpoint request timed out", "connectionId":"C1", "requestId":"R1"}')
    ws.send('{"action":"down"}')
    expect(await box.next()).toBe('{"message": "Internal server error", "connectionId":"C1", "requestId":"R1"}')
    expect(reported).toEqual(['slow', 'down'])
    ws.terminate()
  })
})

describe('payloads a template cannot read', () => {
  it('a message that looks like JSON but is not gets "Could not process payload"; onError is not called', async () => {
    const reported: unknown[] = []
    server = await startApi({
      api: {
        name: 'bad-json',
        routeSelectionExpression: '$request.body.action',
        routes: {
          $default: {
            integration: {
              type: 'HTTP',
              uri: `${backendUrl}/echo`,
              requestTemplates: { $default: '{"x": $input.json(\'$.x\')}' },
              integrationResponses: { $default: {} },
            },
            routeResponseSelectionExpression: '$default',
          },
        },
      },
      connectionId: () => 'C1',
      requestId: () => 'R1',
      onError: (e) => reported.push(e),
    })
    const ws = await open(server.url)
    const box = inbox(ws)
    ws.send('{"x": [1, 2')
    expect(await box.next()).toBe('{"message": "Could not process payload", "connectionId":"C1", "requestId":"R1"}')
    ws.send('{"x": [1, 2]}')
    expect(JSON.parse(await box.next()).echoed).toBe('{"x": [1,2]}')
    expect(seen).toHaveLength(1)
    expect(reported).toEqual([])
    ws.terminate()
  })
})

describe('AWS (Lambda custom integration)', () => {
  it('invokes the function with the rendered template and maps its result or its error by errorMessage', async () => {
    const events: unknown[] = []
    server = await startApi({
      api: {
        name: 'lambda-custom',
        routeSelectionExpression: '$request.body.action',
        routes: {
          add: {
            integration: {
              type: 'AWS',
              uri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:adder/invocations',
              requestTemplates: { $default: '{"a": $input.json(\'$.a\'), "b": $input.json(\'$.b\'), "who": "$context.connectionId"}' },
              integrationResponses: {
                '/.*not a number.*/': { responseTemplates: { $default: '{"error": "$input.path(\'$.errorMessage\')"}' } },
                $default: { responseTemplates: { $default: "sum=$input.path('$.sum')" } },
              },
            },
            routeResponseSelectionExpression: '$default',
          },
        },
      },
      functions: {
        adder: async (event: { a: unknown; b: unknown }) => {
          events.push(event)
          if (typeof event.a !== 'number' || typeof event.b !== 'number') throw new Error('a or b is not a number')
          return { sum: event.a + event.b }
        },
      },
      connectionId: () => 'L1',
    })
    const ws = await open(server.url)
    const box = inbox(ws)
    ws.send('{"action":"add","a":2,"b":40}')
    expect(await box.next()).toBe('sum=42')
    expect(events[0]).toEqual({ a: 2, b: 40, who: 'L1' })
    ws.send('{"action":"add","a":"two","b":40}')
    expect(await box.next()).toBe('{"error": "a or b is not a number"}')
    ws.terminate()
  })
})

describe('definitions that cannot run', () => {
  it.each([
    [{ type: 'HTTP', uri: 'not a url' }, 'http(s) uri'],
    [{ type: 'HTTP', uri: 'http://x', integrationResponses: { '2\\d\\d': {} } }, '$default or /regex/'],
    [
      { type: 'HTTP', uri: 'http://x', integrationResponseSelectionExpression: '$request.body.x' },
      'integrationResponseSelectionExpression',
    ],
    [{ type: 'HTTP', uri: 'http://x', requestTemplates: { $default: '#if(' } }, 'requestTemplates'],
    [{ type: 'HTTP_PROXY', uri: 'http://x', requestParameters: { 'integration.request.header.a': 'method.request.x' } }, 'cannot map'],
    [{ type: 'AWS', uri: 'missing' }, 'no function'],
    [{ type: 'VPC_LINK' }, 'not supported'],
  ])('%j', (integration, message) => {
    const build = () =>
      createWebSocketApi({
        api: {
          name: 'bad',
          routeSelectionExpression: '$request.body.action',
          routes: { x: { integration: integration as never, routeResponseSelectionExpression: '$default' } },
        },
      })
    expect(build).toThrow(WebSocketApiError)
    expect(build).toThrow(message)
  })
})

describe('in-process HTTP backends (httpBackends, as core has them)', () => {
  it('an HTTP_PROXY route to a backend origin is answered by its function, with no socket', async () => {
    const got: { method: string; url: string; headers: Record<string, string | string[]>; body: string }[] = []
    server = await startApi({
      api: {
        name: 'in-process',
        routeSelectionExpression: '$request.body.action',
        routes: {
          echo: {
            integration: {
              type: 'HTTP_PROXY',
              uri: 'https://chat.example.com/messages?room=1',
              requestParameters: { 'integration.request.header.x-connection': 'context.connectionId' },
            },
            routeResponseSelectionExpression: '$default',
          },
        },
      },
      connectionId: () => 'CONN1',
      httpBackends: {
        'https://chat.example.com': (request) => {
          got.push({ method: request.method, url: request.url, headers: request.headers, body: Buffer.from(request.body).toString('utf8') })
          return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' }
        },
      },
    })
    const ws = await open(server.url)
    const box = inbox(ws)
    ws.send('{"action":"echo","n":2}')
    expect(await box.next()).toBe('{"ok":true}')
    expect(got).toHaveLength(1)
    expect(got[0]).toMatchObject({ method: 'POST', url: 'https://chat.example.com/messages?room=1', body: '{"action":"echo","n":2}' })
    expect(got[0]!.headers).toMatchObject({ host: 'chat.example.com', 'x-connection': 'CONN1', 'content-length': '23' })
    expect(seen).toHaveLength(0)
    ws.terminate()
  })

  it("a backend's answer over API Gateway's 10 MB payload limit: Internal server error, reported to onError", async () => {
    const reported: unknown[] = []
    let calls = 0
    server = await startApi({
      api: {
        name: 'too-big',
        routeSelectionExpression: '$request.body.action',
        routes: {
          big: { integration: { type: 'HTTP_PROXY', uri: 'http://big.example.com/' }, routeResponseSelectionExpression: '$default' },
        },
      },
      connectionId: () => 'C1',
      requestId: () => 'R1',
      onError: (e) => reported.push(e),
      httpBackends: {
        'http://big.example.com': () => {
          calls++
          return { statusCode: 200, body: new Uint8Array(10 * 1024 * 1024 + 1) }
        },
      },
    })
    const ws = await open(server.url)
    const box = inbox(ws)
    ws.send('{"action":"big"}')
    expect(await box.next()).toBe('{"message": "Internal server error", "connectionId":"C1", "requestId":"R1"}')
    expect(calls).toBe(1)
    expect(reported).toHaveLength(1)
    expect(String(reported[0])).toMatch(/payload limit/)
    ws.terminate()
  })

  it('an httpBackends key that is no origin is refused when the API is built', () => {
    const api: WebSocketApiDefinition = { name: 'x', routeSelectionExpression: '$request.body.action', routes: { $default: {} } }
    const build = () => createWebSocketApi({ api, httpBackends: { 'https://chat.example.com/v1': () => ({ statusCode: 200 }) } })
    expect(build).toThrow(WebSocketApiError)
    expect(build).toThrow(/origin/)
  })
})
