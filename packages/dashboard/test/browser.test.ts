// The dashboard in a real headless browser (Debian's chromium driven by puppeteer-core, no browser download):
// a node:http server runs a gateway (an inline OpenAPI document with three Lambda proxy routes: one cached, one
// that throws, one throttled at 1 request per second) and the dashboard on /_dashboard; the test loads the page
// while requests flow and checks the numbers it renders, the error's stack, and that a hostile path stays text.
// Sources: API Gateway metrics (Count, 4XXError, 5XXError, CacheHitCount, CacheMissCount, Latency)
//   https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html
// Throttling (methodSettings throttlingRateLimit / throttlingBurstLimit, 429 THROTTLED)
//   https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html
// Stage cache: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-caching.html
// A Lambda proxy function that throws answers 502:
//   https://docs.aws.amazon.com/apigateway/latest/developerguide/handle-errors-in-lambda-integration.html
// puppeteer-core launch options: https://pptr.dev/api/puppeteer.launchoptions
import { existsSync, mkdirSync } from 'node:fs'
import { createServer, request as httpRequest, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { createGateway, type GatewayErrorInfo } from '@gatehousejs/core'
import { serveNode } from '@gatehousejs/core/node'
import { createDashboard } from '@gatehousejs/dashboard'
import puppeteer, { type Browser, type Page } from 'puppeteer-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const CHROMIUM = '/usr/bin/chromium'
const haveChromium = existsSync(CHROMIUM)
// The README's screenshot is refreshed on request (UPDATE_SCREENSHOT=1); otherwise it goes to the temp folder, so a
// test run leaves the tree clean.
const SCREENSHOT =
  process.env.UPDATE_SCREENSHOT === '1'
    ? new URL('../../../docs/dashboard.png', import.meta.url)
    : pathToFileURL(join(tmpdir(), `gatehouse-dashboard-${process.pid}.png`))
const HOSTILE = '/pets/<svg/onload=window.__pwned=1>'
const HOSTILE_MESSAGE = 'kaboom <b id="injected-b">bold</b>'

it('has chromium, or is not on CI', () => {
  // On CI a missing browser is a failure; elsewhere the browser test below is skipped.
  if (process.env.CI) expect(haveChromium, `${CHROMIUM} is missing`).toBe(true)
})

describe.skipIf(!haveChromium)('the dashboard in headless chromium', () => {
  let server: Server
  let base: string
  let browser: Browser
  let page: Page
  let listPetsCalls = 0
  const errorsSeen: GatewayErrorInfo[] = []
  const dashboard = createDashboard({ windowSeconds: 120, refreshMs: 200 })

  beforeAll(async () => {
    const proxy = (uri: string) => ({ type: 'aws_proxy', httpMethod: 'POST', uri })
    const gw = createGateway({
      api: {
        openapi: '3.0.1',
        info: { title: 'pets', version: '1' },
        paths: {
          '/pets': { get: { 'x-amazon-apigateway-integration': proxy('listPets') } },
          '/boom': { get: { 'x-amazon-apigateway-integration': proxy('boom') } },
          '/limited': { get: { 'x-amazon-apigateway-integration': proxy('limited') } },
        },
      },
      functions: {
        listPets: async () => {
          listPetsCalls++
          return { statusCode: 200, body: '[{"id":1}]' }
        },
        boom: async () => {
          throw new Error(HOSTILE_MESSAGE)
        },
        limited: async () => ({ statusCode: 200, body: 'ok' }),
      },
      stage: {
        stageName: 'dev',
        cacheClusterEnabled: true,
        methodSettings: {
          '/boom/GET': { cachingEnabled: false },
          '/limited/GET': { cachingEnabled: false, throttlingRateLimit: 1, throttlingBurstLimit: 1 },
        },
      },
      observers: [dashboard.observer],
      onError: (error, info) => {
        errorsSeen.push(info)
        dashboard.onError(error, info)
      },
      onWarning: () => {},
    })
    server = createServer((req, res) =>
      dashboard.handler(req, res, () =>
        serveNode(
          (r) => gw.dispatch(r),
          req,
          res,
          req.url,
          {},
          1024 * 1024,
          () => res.writeHead(404).end(),
        ),
      ),
    )
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    browser = await puppeteer.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--headless=new'] })
    page = await browser.newPage()
    await page.setViewport({ width: 1280, height: 900 })
  })

  afterAll(async () => {
    await browser?.close()
    await new Promise((resolve) => server?.close(resolve))
  })

  /** A GET with the path sent as written (node:http does not re-encode `<` or `>`); resolves to the status. */
  function get(path: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(`${base}/`, { path, method: 'GET' }, (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode!))
      })
      req.on('error', reject)
      req.end()
    })
  }

  const text = (selector: string) =>
    page.evaluate(`(document.querySelector(${JSON.stringify(selector)}) || {}).textContent`) as Promise<string | undefined>
  const cellOf = (route: string, key: string) => text(`tr[data-route="${route}"] td[data-k="${key}"]`)

  it('renders the live numbers, the error stack, and a hostile path as text', async () => {
    const sent = { pets: 0, boom: 0, limited: 0, hostile: 0 }
    let throttled = 0
    let serverErrors = 0
    const send = async (route: 'pets' | 'boom' | 'limited' | 'hostile') => {
      const status = await get(route === 'hostile' ? HOSTILE : `/${route}`)
      sent[route]++
      if (route === 'limited' && status === 429) throttled++
      if (status >= 500) serverErrors++
      return status
    }

    // Traffic before the page opens…
    for (let i = 0; i < 4; i++) await send('pets')
    expect(await send('boom')).toBe(502)
    for (let i = 0; i < 3; i++) await send('limited')
    expect(await send('hostile')).toBe(403)

    await page.goto(`${base}/_dashboard/`, { waitUntil: 'load' })
    await page.waitForFunction('Number(document.body.dataset.updates) > 0')
    expect(await text('#transport')).toBe('live')

    // …and while it is open: the page must catch up through its event stream.
    for (let i = 0; i < 3; i++) await send('pets')
    expect(await send('boom')).toBe(502)
    await send('limited')
    await send('limited')
    const total = sent.pets + sent.boom + sent.limited + sent.hostile
    await page
      .waitForFunction(`document.getElementById('total-requests').textContent === '${total}'`, { timeout: 10_000 })
      .catch(async (error) => {
        // Say what the page shows against what was sent, so a failure is readable.
        const shown = await text('#total-requests')
        throw new Error(`page shows ${shown} requests, sent ${total} (${JSON.stringify(sent)}): ${error}`)
      })

    expect(await cellOf('GET /pets', 'requests')).toBe(String(sent.pets))
    expect(await cellOf('GET /boom', 'requests')).toBe(String(sent.boom))
    expect(await cellOf('GET /limited', 'requests')).toBe(String(sent.limited))
    expect(await cellOf('(no route)', 'requests')).toBe(String(sent.hostile))
    expect(await cellOf('(no route)', '4xx')).toBe(String(sent.hostile))

    expect(await cellOf('GET /boom', '5xx')).toBe(String(sent.boom))
    expect(await text('#total-5xx')).toBe(String(serverErrors))
    expect(serverErrors).toBe(sent.boom)

    expect(throttled).toBeGreaterThanOrEqual(1)
    expect(await cellOf('GET /limited', 'throttled')).toBe(String(throttled))
    expect(await cellOf('GET /limited', '4xx')).toBe(String(throttled))
    expect(await text('#total-throttled')).toBe(String(throttled))

    // The stage cache answered every /pets request the function did not see.
    const hits = sent.pets - listPetsCalls
    expect(hits).toBeGreaterThan(0)
    expect(await cellOf('GET /pets', 'cache')).toBe(`${Math.round((hits / sent.pets) * 100)}%`)

    for (const key of ['p50', 'p99']) expect(Number(await cellOf('GET /pets', key))).toBeGreaterThanOrEqual(0)
    expect(await text('#log tbody')).toContain('/limited')

    // The error, with the function's own stack, as text: its markup made no element.
    expect(errorsSeen.map((e) => e.routeKey)).toEqual(['GET /boom', 'GET /boom'])
    const errors = await text('#errors')
    expect(errors).toContain(`Error: ${HOSTILE_MESSAGE}`)
    expect(errors).toContain('browser.test.ts')
    expect(errors).toContain(`integration → ${errorsSeen[0]!.responseType}`)
    expect(await page.evaluate(`document.getElementById('injected-b') === null`)).toBe(true)

    // The hostile path is shown as the characters it is, and ran nothing.
    expect(await text('#log tbody')).toContain('<svg/onload=window.__pwned=1>')
    expect(await page.evaluate(`document.querySelector('#log svg, #routes svg[onload]') === null && window.__pwned === undefined`)).toBe(
      true,
    )

    mkdirSync(new URL('.', SCREENSHOT), { recursive: true })
    await page.screenshot({ path: fileURLToPath(SCREENSHOT) as `${string}.png`, fullPage: true })
    expect(existsSync(SCREENSHOT)).toBe(true)
  })

  it('serves the page to loopback clients with a policy that forbids inline script', async () => {
    const res = await fetch(`${base}/_dashboard/`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'")
    expect(await res.text()).not.toMatch(/<script>/)
  })
})
