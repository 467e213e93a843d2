// createDashboard end to end without a browser: a gateway's requests, refusals and errors in the snapshot (a fake
// clock shared by the gateway and the dashboard), and the node:http / Express handler (loopback only, the page and
// its assets, the JSON snapshot, the server-sent events stream and its bound).
// Usage-plan quotas (429 QUOTA_EXCEEDED "Limit Exceeded"):
//   https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html
//   https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
// Latency metric (arrival to response): https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html
// Server-sent events: https://html.spec.whatwg.org/multipage/server-sent-events.html
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createGateway, createUsagePlanRegistry } from '@gatehousejs/core'
import { createDashboard, type Dashboard, HISTOGRAM_RELATIVE_ERROR, isLoopback } from '@gatehousejs/dashboard'
import express from 'express'
import { afterEach, describe, expect, it } from 'vitest'

const KEY = 'alice-key-0123456789abcdef'

function setup() {
  let t = Date.UTC(2025, 0, 15, 12)
  const now = () => t
  const dashboard = createDashboard({ windowSeconds: 60, now })
  const registry = createUsagePlanRegistry({
    now,
    apiKeys: [{ id: 'a', value: KEY }],
    usagePlans: [{ id: 'free', quota: { limit: 2, period: 'DAY' }, apiStages: [{ stage: 'prod' }], keys: ['a'] }],
  })
  const gw = createGateway({
    api: {
      resources: {
        '/slow': { GET: { integration: { type: 'AWS_PROXY', uri: 'slow' } } },
        '/keyed': { GET: { apiKeyRequired: true, integration: { type: 'AWS_PROXY', uri: 'slow' } } },
        '/fails': { GET: { integration: { type: 'AWS_PROXY', uri: 'fails' } } },
      },
    },
    functions: {
      slow: async () => {
        t += 40
        return { statusCode: 200, body: 'ok' }
      },
      fails: async () => {
        throw 'a string, not an Error'
      },
    },
    stage: { stageName: 'prod' },
    usagePlans: registry,
    now,
    observers: [dashboard.observer],
    onError: dashboard.onError,
  })
  return { gw, dashboard, advance: (ms: number) => (t += ms) }
}

describe('the snapshot of a gateway', () => {
  it('counts requests, quota refusals and latency on the gateway clock, and forgets them after the window', async () => {
    const { gw, dashboard, advance } = setup()
    const get = (path: string, headers: Record<string, string> = {}) => gw.handle({ method: 'GET', path, headers })
    for (let i = 0; i < 3; i++) expect((await get('/slow')).statusCode).toBe(200)
    const keyed = []
    for (let i = 0; i < 3; i++) keyed.push((await get('/keyed', { 'x-api-key': KEY })).statusCode)
    expect(keyed).toEqual([200, 200, 429])
    expect((await get('/fails')).statusCode).toBe(502)

    const snap = dashboard.snapshot()
    expect(snap.total.requests).toBe(7)
    expect(snap.total.quotaExceeded).toBe(1)
    expect(snap.total.throttled).toBe(0)
    expect(snap.total.clientErrors).toBe(1)
    expect(snap.total.serverErrors).toBe(1)
    expect(snap.total.cacheHitRatio).toBeNull()
    const slow = snap.routes.find((r) => r.route === 'GET /slow')!
    expect(slow.requests).toBe(3)
    expect(Math.abs(slow.p50! - 40)).toBeLessThanOrEqual(40 * HISTOGRAM_RELATIVE_ERROR)
    expect(snap.routes.find((r) => r.route === 'GET /keyed')!.quotaExceeded).toBe(1)
    expect(snap.accessLog.map((l) => [l.path, l.status])).toEqual([
      ['/fails', 502],
      ['/keyed', 429],
      ['/keyed', 200],
      ['/keyed', 200],
      ['/slow', 200],
      ['/slow', 200],
      ['/slow', 200],
    ])
    expect(snap.accessLog[4]!.latency).toBe(40)
    expect(snap.errors).toHaveLength(1)
    expect(snap.errors[0]).toMatchObject({ routeKey: 'GET /fails', stage: 'integration', stack: 'a string, not an Error' })
    expect(snap.errors[0]!.requestId).toBe(snap.accessLog[0]!.requestId)

    advance(60_000)
    const later = dashboard.snapshot()
    expect(later.total.requests).toBe(0)
    expect(later.routes).toEqual([])
    expect(later.accessLog).toHaveLength(7)
  })

  it('counts two gateways apart under routeName, and reports a routeName that throws to onError', async () => {
    const reported: unknown[] = []
    const dashboard = createDashboard({
      routeName: (state) => {
        if (state.request.path === '/bad') throw new Error('no name')
        return `${state.api.stage} ${state.route.routeKey}`
      },
    })
    const make = (stageName: string) =>
      createGateway({
        api: { resources: { '/pets': { GET: { integration: { type: 'AWS_PROXY', uri: 'pets' } } } } },
        functions: { pets: async () => ({ statusCode: 200, body: '[]' }) },
        stage: { stageName },
        observers: [dashboard.observer],
        onError: (error) => reported.push(error),
      })
    const [a, b] = [make('a'), make('b')]
    await a.handle({ method: 'GET', path: '/pets', headers: {} })
    await b.handle({ method: 'GET', path: '/pets', headers: {} })
    await b.handle({ method: 'GET', path: '/pets', headers: {} })
    expect((await a.handle({ method: 'GET', path: '/bad', headers: {} })).statusCode).toBe(403)
    expect(dashboard.snapshot().routes.map((r) => [r.route, r.requests])).toEqual([
      ['b GET /pets', 2],
      ['a GET /pets', 1],
    ])
    expect(reported.map(String)).toEqual(['Error: no name'])
  })

  it('refuses bad options', () => {
    expect(() => createDashboard({ windowSeconds: 0 })).toThrow(TypeError)
    expect(() => createDashboard({ windowSeconds: 1.5 })).toThrow(TypeError)
    expect(() => createDashboard({ maxRoutes: -1 })).toThrow(TypeError)
    expect(() => createDashboard({ path: '_dashboard' })).toThrow(TypeError)
    expect(() => createDashboard({ path: '/dash/' })).toThrow(TypeError)
    expect(() => createDashboard({ routeName: 'x' as never })).toThrow(TypeError)
  })

  it('knows loopback addresses', () => {
    for (const a of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1']) expect(isLoopback(a)).toBe(true)
    for (const a of [undefined, '10.0.0.1', '::ffff:10.0.0.1', '2001:db8::1', '127.0.0.1.evil', '1127.0.0.1'])
      expect(isLoopback(a)).toBe(false)
  })
})

describe('the handler over node:http', () => {
  let server: Server | undefined
  afterEach(async () => {
    server?.closeAllConnections()
    await new Promise((resolve) => server?.close(resolve))
    server = undefined
  })

  async function listen(listener: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
    server = createServer(listener)
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
    return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`
  }

  const fromRemote = (req: IncomingMessage) =>
    Object.defineProperty(req.socket, 'remoteAddress', { value: '203.0.113.9', configurable: true })

  it('serves the page, its assets and the snapshot; redirects the bare mount path; 404s and 405s the rest', async () => {
    const dashboard = createDashboard()
    const base = await listen((req, res) => dashboard.handler(req, res))
    const page = await fetch(`${base}/_dashboard/`)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(page.headers.get('x-frame-options')).toBe('DENY')
    expect(await page.text()).toContain('<script src="app.js"></script>')
    expect((await fetch(`${base}/_dashboard/app.js`)).headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect((await fetch(`${base}/_dashboard/app.css`)).status).toBe(200)
    const snap = await fetch(`${base}/_dashboard/snapshot.json?x=1`)
    expect(await snap.json()).toMatchObject({ windowSeconds: 300, total: { requests: 0 }, routes: [], errors: [] })
    const bare = await fetch(`${base}/_dashboard`, { redirect: 'manual' })
    expect([bare.status, bare.headers.get('location')]).toEqual([308, '/_dashboard/'])
    expect((await fetch(`${base}/_dashboard/nope`)).status).toBe(404)
    expect((await fetch(`${base}/elsewhere`)).status).toBe(404)
    expect((await fetch(`${base}/_dashboardx/`)).status).toBe(404)
    const post = await fetch(`${base}/_dashboard/`, { method: 'POST' })
    expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET, HEAD'])
  })

  it('refuses clients on other machines unless allowRemote is set', async () => {
    const closed = createDashboard()
    const open = createDashboard({ path: '/open', allowRemote: true })
    const base = await listen((req, res) => {
      fromRemote(req)
      closed.handler(req, res, () => open.handler(req, res))
    })
    const refused = await fetch(`${base}/_dashboard/snapshot.json`)
    expect(refused.status).toBe(403)
    expect(await refused.text()).not.toContain('{')
    expect((await fetch(`${base}/open/snapshot.json`)).status).toBe(200)
  })

  it('hands other paths to next (Express), mounted or not', async () => {
    const dashboard = createDashboard()
    const app = express()
    app.use('/_dashboard', dashboard.handler)
    app.use((_req, res) => {
      res.status(418).send('app')
    })
    const base = await listen(app)
    expect((await fetch(`${base}/_dashboard/snapshot.json`)).status).toBe(200)
    expect((await fetch(`${base}/_dashboard/`)).status).toBe(200)
    expect((await fetch(`${base}/other`)).status).toBe(418)
  })

  it('streams snapshots as server-sent events, and refuses streams past maxStreams', async () => {
    const dashboard: Dashboard = createDashboard({ refreshMs: 50, maxStreams: 1 })
    dashboard.onError(new Error('seen'), { requestId: 'r1', routeKey: 'GET /x', stage: 'internal', responseType: null })
    const base = await listen((req, res) => dashboard.handler(req, res))
    const controller = new AbortController()
    const stream = await fetch(`${base}/_dashboard/events`, { signal: controller.signal })
    expect(stream.headers.get('content-type')).toBe('text/event-stream; charset=utf-8')
    const reader = stream.body!.getReader()
    let text = ''
    while ((text.match(/\n\n/g) ?? []).length < 3) text += new TextDecoder().decode((await reader.read()).value)
    const frames = text.split('\n\n').filter((f) => f.startsWith('data: '))
    expect(frames.length).toBeGreaterThanOrEqual(2)
    for (const f of frames) expect(JSON.parse(f.slice(6)).errors[0].message).toBe('seen')
    expect((await fetch(`${base}/_dashboard/events`)).status).toBe(503)
    controller.abort()
  })
})
