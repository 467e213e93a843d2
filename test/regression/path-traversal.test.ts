// Issue #12, finding 1: a `{proxy+}` / `{name}` value put into an HTTP(_PROXY) integration URI must never change
// the URL's structure. Before the fix `new URL()` resolved `..` and `%2e%2e` in the substituted value, so
// `GET /public/%2e%2e/admin/users` on the open route reached `/api/admin/users` (behind an API key) on the backend.
// A real node:http backend on 127.0.0.1 records every request target it receives; whatever the client sends to
// the open route, the backend must only ever see paths under the template's fixed prefix — as sent, after WHATWG
// resolution, and after a decode-then-normalise backend (nginx-style) has had its way with them.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import fc from 'fast-check'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createGateway, GatewayConfigError, type Gateway, type GatewayRequest, type GatewayResponse } from '@gatehousejs/core'
import { fuzzParams } from '@gatehousejs/test-kit'

const KEY = 'admin-key-0123456789abcdef'
let backend: Server
let base: string
let seen: string[] = []

beforeAll(async () => {
  backend = createServer((r, w) => {
    seen.push(r.url ?? '')
    r.resume()
    r.on('end', () => {
      w.setHeader('content-type', 'application/json')
      w.end(JSON.stringify({ url: r.url }))
    })
  })
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => backend.close(() => resolve())))
beforeEach(() => {
  seen = []
})

function request(method: string, path: string, headers: Record<string, string> = {}): GatewayRequest {
  return { method, path, headers: { host: 'api.example.com', ...headers }, sourceIp: '203.0.113.7' }
}

function text(res: GatewayResponse): string {
  return typeof res.body === 'string' ? res.body : Buffer.from(res.body).toString('utf8')
}

/** Percent-decode once, leaving malformed escapes as they are (as a lenient backend does). */
function decodeOnce(s: string): string {
  return s.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run)
    } catch {
      return Buffer.from(run.replace(/%/g, ''), 'hex').toString('latin1')
    }
  })
}

/** RFC 3986 §5.2.4 dot-segment removal over `/`- and `\`-separated segments, `;params` stripped as Tomcat does. */
function removeDots(path: string): string {
  const out: string[] = []
  for (const raw of path.split(/[/\\]/).slice(1)) {
    const seg = raw.split(';')[0]!.normalize('NFKC')
    if (seg === '.') continue
    if (seg === '..') out.pop()
    else out.push(raw)
  }
  return `/${out.join('/')}`
}

/** Every way a backend might read `target`: as sent, WHATWG-resolved, and decoded (up to 3 times) then normalised. */
function readings(target: string): string[] {
  const path = target.split('?')[0]!
  const all = [path, new URL(path, 'http://backend').pathname]
  let decoded = path
  for (let i = 0; i < 3; i++) {
    decoded = decodeOnce(decoded)
    all.push(removeDots(decoded))
  }
  return all
}

function expectUnder(prefix: string, targets: readonly string[]) {
  for (const target of targets) {
    for (const reading of readings(target)) {
      expect(reading.startsWith(prefix), `${target} is read as ${reading}`).toBe(true)
    }
  }
}

function restGateway(): Gateway {
  return createGateway({
    api: {
      resources: {
        '/admin/{proxy+}': {
          ANY: { apiKeyRequired: true, integration: { type: 'HTTP_PROXY', httpMethod: 'ANY', uri: `${base}/api/admin/{proxy}` } },
        },
        '/public/{proxy+}': {
          ANY: { integration: { type: 'HTTP_PROXY', httpMethod: 'ANY', uri: '${stageVariables.backend}/api/public/{proxy}' } },
        },
        '/item/{id}': { GET: { integration: { type: 'HTTP_PROXY', httpMethod: 'GET', uri: `${base}/api/public/items/{id}/details` } } },
        '/mapped/{id}': {
          GET: {
            integration: {
              type: 'HTTP',
              httpMethod: 'GET',
              uri: `${base}/api/public/mapped/{id}/details`,
              requestParameters: { 'integration.request.path.id': 'method.request.path.id' },
              responses: { default: { statusCode: '200' } },
            },
          },
        },
        '/query': {
          GET: {
            integration: {
              type: 'HTTP',
              httpMethod: 'GET',
              uri: `${base}/api/public/q/{name}`,
              requestParameters: { 'integration.request.path.name': 'method.request.querystring.name' },
              responses: { default: { statusCode: '200' } },
            },
          },
        },
      },
    },
    stage: { stageName: 'prod', variables: { backend: base } },
    apiKeys: [{ id: 'admin', value: KEY }],
    usagePlans: [{ id: 'admins', apiStages: [{ stage: 'prod' }], keys: ['admin'] }],
    onWarning: () => {},
  })
}

function httpGateway(): Gateway {
  return createGateway({
    apiType: 'HTTP',
    api: {
      resources: {
        '/public/{proxy+}': { ANY: { integration: { type: 'HTTP_PROXY', httpMethod: 'ANY', uri: `${base}/api/public/{proxy}` } } },
        '/item/{id}': { GET: { integration: { type: 'HTTP_PROXY', httpMethod: 'GET', uri: `${base}/api/public/items/{id}/details` } } },
      },
    },
    onWarning: () => {},
  })
}

// One dot segment (or what some backend reads as one), spelt every way we know.
const DOTS = [
  '..',
  '%2e%2e',
  '%2E%2E',
  '%2E%2e',
  '.%2e',
  '%2e.',
  '..%2f',
  '%2f..',
  '..%2F',
  '..\\',
  '%5c..',
  '..%5c',
  '..%5C',
  '..;',
  '..;jsessionid=1',
  '%2e%2e;x',
  '%252e%252e',
  '%25252e%25252e',
  '%252E%252E%252F',
  '%u002e%u002e',
  '%c0%ae%c0%ae',
  '\uFF0E\uFF0E',
  '%EF%BC%8E%EF%BC%8E',
  '\u2025',
  '.',
  '%2e',
]

function attackPaths(dots: string): string[] {
  return [
    `/public/${dots}/admin/users`,
    `/public/x/${dots}/${dots}/admin/users`,
    `/public/${dots}/${dots}/api/admin/users`,
    `/public/${dots}/${dots}/${dots}/${dots}/etc/passwd`,
    `/public/;/${dots}/admin/users`,
    `/public/x/..%2f..%2fadmin%2fusers`,
    `/item/${dots}`,
    `/item/${encodeURIComponent(dots)}`,
    `/mapped/${dots}`,
  ]
}

describe('HTTP integrations never let a substituted value climb out of the URI template', () => {
  it.each(DOTS)('REST, %s: the backend only ever sees /api/public/…', async (dots) => {
    const gw = restGateway()
    for (const path of attackPaths(dots)) {
      const res = await gw.handle(request('GET', path))
      expect(res.statusCode, `${path} → ${text(res)}`).toBeLessThan(500)
    }
    const query = await gw.handle({ ...request('GET', '/query'), query: `name=${encodeURIComponent(`${dots}/../../admin/users`)}` })
    expect(query.statusCode).toBeLessThan(500)
    expect(seen.some((u) => u.includes('/admin/') && u.startsWith('/api/admin'))).toBe(false)
    expectUnder('/api/public/', seen)
  })

  it.each(DOTS)('HTTP API, %s: the backend only ever sees /api/public/…', async (dots) => {
    const gw = httpGateway()
    for (const path of attackPaths(dots)) {
      const res = await gw.handle(request('GET', path))
      expect(res.statusCode, `${path} → ${text(res)}`).toBeLessThan(500)
    }
    expectUnder('/api/public/', seen)
  })

  it('the admin route still needs its key, and ordinary paths still arrive exactly as sent', async () => {
    const gw = restGateway()
    expect((await gw.handle(request('GET', '/admin/users'))).statusCode).toBe(403)
    const ok = await gw.handle(request('GET', '/admin/users', { 'x-api-key': KEY }))
    expect(ok.statusCode).toBe(200)
    const plain = await gw.handle(request('GET', '/public/a/b%20c/d.txt/..x/.well-known'))
    expect(plain.statusCode).toBe(200)
    expect(seen).toEqual(['/api/admin/users', '/api/public/a/b%20c/d.txt/..x/.well-known'])
    // The issue's request: refused before anything is sent (400 BAD_REQUEST_PARAMETERS).
    const bypass = await gw.handle(request('GET', '/public/%2e%2e/admin/users'))
    expect([bypass.statusCode, JSON.parse(text(bypass))]).toEqual([400, { message: 'Bad Request' }])
    expect(seen).toHaveLength(2)
  })

  it('a {name} value cannot add a segment, a query or a fragment', async () => {
    const gw = restGateway()
    const res = await gw.handle({ ...request('GET', '/query'), query: `name=${encodeURIComponent('a/b?c=1#d')}` })
    expect(res.statusCode).toBe(200)
    expect(seen).toEqual(['/api/public/q/a%2Fb%3Fc=1%23d'])
  })

  it('a stage variable spliced into a URI cannot add a placeholder, an escape or userinfo', () => {
    const build = (backend: string) =>
      createGateway({
        api: {
          resources: { '/public/{proxy+}': { ANY: { integration: { type: 'HTTP_PROXY', uri: '${stageVariables.backend}/{proxy}' } } } },
        },
        stage: { stageName: 'prod', variables: { backend } },
        onWarning: () => {},
      })
    expect(() => build(`${base}/api/public`)).not.toThrow()
    for (const bad of [
      `${base}/api/{x}`,
      `${base}/api/public/%2e%2e`,
      `http://evil.example@${base.slice(7)}/api/public`,
      `${base}/api public`,
    ]) {
      expect(() => build(bad), bad).toThrow(GatewayConfigError)
    }
  })

  it('property: whatever the proxy value, the backend path keeps the template prefix', async () => {
    const gw = restGateway()
    const http = httpGateway()
    const piece = fc.constantFrom(
      '.',
      '..',
      '/',
      '%2e',
      '%2E',
      '%2f',
      '%2F',
      '%5c',
      '\\',
      ';',
      '%25',
      '%',
      '2e',
      'a',
      'admin',
      '%3f',
      '?',
      '#',
      ' ',
      '%00',
      '\u0000',
      'é',
      '@',
      ':',
      '%252e',
      '\uFF0E',
      '%c0%ae',
      'users',
    )
    await fc.assert(
      fc.asyncProperty(
        fc.array(piece, { maxLength: 12 }).map((p) => p.join('')),
        async (value) => {
          seen = []
          for (const g of [gw, http]) {
            const res = await g.handle(request('GET', `/public/${value}`))
            expect(res.statusCode).toBeLessThan(500)
            const item = await g.handle(request('GET', `/item/${value.replace(/\//g, '%2F')}`))
            expect(item.statusCode).toBeLessThan(500)
          }
          expectUnder('/api/public/', seen)
          for (const target of seen) {
            const segments = target.split('?')[0]!.split('/')
            if (target.startsWith('/api/public/items/')) {
              // `/api/public/items/{id}/details`: exactly five segments after the leading empty one.
              expect(segments.length, target).toBe(6)
              expect(segments[5]).toBe('details')
            }
          }
        },
      ),
      fuzzParams(60),
    )
  })
})
