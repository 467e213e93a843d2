/**
 * Route-level throttling, the account bucket and usage plans behind `$connect`'s API keys, with the `ws` client
 * and a clock that moves only when the test moves it (no waiting, no assertions on time). AWS sources:
 * - Account-level and route-level throttling, the token bucket, "429 Too Many Requests":
 *   https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-protect.html
 * - Stage `DefaultRouteSettings` / `RouteSettings` (`ThrottlingRateLimit`, `ThrottlingBurstLimit`):
 *   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigatewayv2-stage.html
 * - API keys on `$connect` (`apiKeySelectionExpression`): https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-selection-expressions.html
 * - Usage plans' throttle and quota ("Limit Exceeded" when the quota is spent, as REST APIs answer):
 *   https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html
 */
import { afterEach, describe, expect, it } from 'vitest'
import { type ApiServer, inbox, open, startApi } from './harness'
import { createWebSocketApi, WebSocketApiError, type WebSocketApiDefinition } from '../../src/index'

let server: ApiServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

const echoApi: WebSocketApiDefinition = {
  name: 'throttled',
  routeSelectionExpression: '$request.body.action',
  routes: {
    $connect: { integration: { type: 'MOCK' } },
    send: { integration: { type: 'AWS_PROXY', uri: 'echo' }, routeResponseSelectionExpression: '$default' },
    other: { integration: { type: 'AWS_PROXY', uri: 'echo' }, routeResponseSelectionExpression: '$default' },
  },
}
const echo = async (event: { body: string }) => ({ statusCode: 200, body: `echo:${event.body}` })

function counter(prefix: string): () => string {
  let n = 0
  return () => `${prefix}${++n}`
}

describe('route throttling', () => {
  it('a route over its burst gets the 429 error frame and stays open; its tokens come back with time; other routes are not affected', async () => {
    let t = 1_700_000_000_000
    server = await startApi({
      api: echoApi,
      functions: { echo },
      now: () => t,
      routeSettings: { send: { throttlingRateLimit: 1, throttlingBurstLimit: 2 } },
      connectionId: () => 'C1',
      requestId: counter('R'),
    })
    const ws = await open(server.url)
    const box = inbox(ws)
    for (const n of [1, 2]) {
      ws.send(`{"action":"send","n":${n}}`)
      expect(await box.next()).toBe(`echo:{"action":"send","n":${n}}`)
    }
    ws.send('{"action":"send","n":3}')
    expect(JSON.parse(await box.next())).toEqual({ message: 'Too Many Requests', connectionId: 'C1', requestId: 'R4' })
    ws.send('{"action":"other"}')
    expect(await box.next()).toBe('echo:{"action":"other"}')
    t += 1000
    ws.send('{"action":"send","n":4}')
    expect(await box.next()).toBe('echo:{"action":"send","n":4}')
    ws.terminate()
  })

  it('defaultRouteSettings apply to $connect: a refused upgrade gets 429 {"message":"Too Many Requests"}', async () => {
    server = await startApi({
      api: echoApi,
      functions: { echo },
      now: () => 1_700_000_000_000,
      defaultRouteSettings: { throttlingRateLimit: 1, throttlingBurstLimit: 1 },
      routeSettings: { send: { throttlingRateLimit: 100, throttlingBurstLimit: 100 } },
    })
    const first = await open(server.url)
    await expect(open(server.url)).rejects.toMatchObject({ status: 429, body: '{"message":"Too Many Requests"}' })
    const box = inbox(first)
    // `send` has its own settings; `other` has the default burst of 1.
    first.send('{"action":"send"}')
    first.send('{"action":"send"}')
    first.send('{"action":"other"}')
    first.send('{"action":"other"}')
    await box.next()
    await box.next()
    await box.next()
    await box.next()
    expect(box.messages.filter((m) => m.startsWith('echo:'))).toEqual([
      'echo:{"action":"send"}',
      'echo:{"action":"send"}',
      'echo:{"action":"other"}',
    ])
    expect(box.messages.filter((m) => m.includes('Too Many Requests'))).toHaveLength(1)
    first.terminate()
  })

  it('the account bucket is shared by every route', async () => {
    server = await startApi({
      api: echoApi,
      functions: { echo },
      now: () => 1_700_000_000_000,
      accountThrottle: { rateLimit: 1, burstLimit: 3 },
    })
    const ws = await open(server.url) // 1 token
    const box = inbox(ws)
    ws.send('{"action":"send"}') // 2
    expect(await box.next()).toBe('echo:{"action":"send"}')
    ws.send('{"action":"other"}') // 3
    expect(await box.next()).toBe('echo:{"action":"other"}')
    ws.send('{"action":"other"}')
    expect(JSON.parse(await box.next()).message).toBe('Too Many Requests')
    ws.terminate()
  })
})

describe('usage plans on $connect', () => {
  const keyed: WebSocketApiDefinition = {
    name: 'keyed',
    routeSelectionExpression: '$request.body.action',
    routes: { $connect: { integration: { type: 'MOCK' }, apiKeyRequired: true } },
  }
  const withKey = (key: string) => ({ headers: { 'x-api-key': key } })

  it('an unknown key is 403; a plan throttle refuses with 429 Too Many Requests; a spent quota with 429 Limit Exceeded', async () => {
    let t = Date.UTC(2026, 0, 10, 12)
    server = await startApi({
      api: keyed,
      now: () => t,
      apiKeys: ['plain-key-0123456789'],
      usagePlans: [
        { name: 'bronze', apiKeys: ['bronze-key-0123456789'], throttle: { rateLimit: 1, burstLimit: 1 } },
        { name: 'daily', apiKeys: ['daily-key-0123456789'], quota: { limit: 2, period: 'DAY' } },
      ],
    })
    await expect(open(server.url, withKey('nobody-0123456789'))).rejects.toMatchObject({ status: 403, body: '{"message":"Forbidden"}' })
    await expect(open(server.url)).rejects.toMatchObject({ status: 403 })
    const opened = [await open(server.url, withKey('plain-key-0123456789')), await open(server.url, withKey('plain-key-0123456789'))]

    opened.push(await open(server.url, withKey('bronze-key-0123456789')))
    await expect(open(server.url, withKey('bronze-key-0123456789'))).rejects.toMatchObject({
      status: 429,
      body: '{"message":"Too Many Requests"}',
    })
    t += 1000
    opened.push(await open(server.url, withKey('bronze-key-0123456789')))

    opened.push(await open(server.url, withKey('daily-key-0123456789')), await open(server.url, withKey('daily-key-0123456789')))
    await expect(open(server.url, withKey('daily-key-0123456789'))).rejects.toMatchObject({
      status: 429,
      body: '{"message":"Limit Exceeded"}',
    })
    t = Date.UTC(2026, 0, 11, 0, 0, 1)
    opened.push(await open(server.url, withKey('daily-key-0123456789')))
    expect(server.api.connections.ids()).toHaveLength(opened.length)
    for (const ws of opened) ws.terminate()
  })
})

describe('settings that cannot run', () => {
  it.each([
    [{ routeSettings: { nope: { throttlingRateLimit: 1, throttlingBurstLimit: 1 } } }, 'not a route'],
    [{ defaultRouteSettings: { throttlingRateLimit: 1 } }, 'go together'],
    [{ defaultRouteSettings: { throttlingRateLimit: -1, throttlingBurstLimit: 1 } }, 'INVALID_DEFINITION'],
    [{ usagePlans: [{ apiKeys: ['k'], quota: { limit: -1, period: 'DAY' as const } }] }, 'usage plan'],
    [{ usagePlans: [{ apiKeys: ['k'] }, { apiKeys: ['k'] }] }, 'two usage plans'],
  ])('%j', (settings, message) => {
    const build = () => createWebSocketApi({ api: echoApi, functions: { echo }, ...settings })
    expect(build).toThrow(WebSocketApiError)
    try {
      build()
    } catch (e) {
      expect(`${(e as WebSocketApiError).code} ${(e as Error).message}`).toContain(message)
    }
  })
})
