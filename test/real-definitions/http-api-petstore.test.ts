// AWS's "import an HTTP API" example: the Example Pet Store OpenAPI 3.0 definition, loaded as published.
//
// Source: github.com/awsdocs/amazon-api-gateway-developer-guide, doc_source/http-api-open-api.md (section "Import an
//   API by using the AWS CLI", the JSON code block), at commit 6060e21e4214857f6f416c50ee2d019bc3db2206 (the last
//   commit holding the documentation; the file last changed in 07d87356a250d8cccfcd2d47853086f5f0916864). Sample
//   code in that repository is under its modified MIT license (LICENSE-SAMPLECODE, MIT-0); the prose is CC BY-SA 4.0.
//   Copy: fixtures/http-api-petstore.json (the code block verbatim).
//   The repository was archived in 2023; the live page's later version names petstore-demo-endpoint.execute-api.com
//   and adds `x-amazon-apigateway-importexport-version: 1.0`; this, the public-repository version, names
//   petstore.execute-api.us-west-1.amazonaws.com and has the same `"payloadFormatVersion": 1.0` (a JSON number).
//
// AWS documentation cited:
// - Import:        https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-open-api.html
//                  (HTTP APIs ignore `requestBody`/`schema`: "HTTP APIs don't support request validation")
// - Routes:        https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html
//                  (no matching route: 404 `{"message":"Not Found"}`)
// - HTTP proxy:    https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-http.html
//                  (the request and response pass through whole; path variables substituted into the URI)
// - CORS:          https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html
//                  (API Gateway answers preflight itself, even with no OPTIONS route, and sets the configured CORS
//                  headers on integration responses, overriding the integration's)
//
// The backend: the document's URIs name http://petstore.execute-api.us-west-1.amazonaws.com. gatehouse has no
// option to send an HTTP integration elsewhere (no host override, resolver or `fetch` option; core's own tests
// write a local URI into the definition or a stage variable), so this test, without touching the document,
// swaps node:http's global agent for one whose connections go to a local server — the test's /etc/hosts. The
// Host header and path the backend sees are still the document's.
import http, { type IncomingMessage, type Server } from 'node:http'
import { createConnection } from 'node:net'
import type { AddressInfo } from 'node:net'
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createGateway, GatewayConfigError, type GatewayWarning } from '@gatehousejs/core'
import { json, req } from '../../packages/core/test/helpers'

const fixture = new URL('./fixtures/http-api-petstore.json', import.meta.url)
const load = () => JSON.parse(readFileSync(fixture, 'utf8')) as Record<string, unknown>
const BACKEND_HOST = 'petstore.execute-api.us-west-1.amazonaws.com'

// A pet store backend written from the example's description: GET /petstore/pets lists pets (filtered by `type`),
// POST adds one, GET /petstore/pets/{id} returns one. It also reports what it received, so the test can see the
// request API Gateway forwarded.
interface Seen {
  method: string | undefined
  url: string | undefined
  host: string | undefined
  headers: IncomingMessage['headers']
  body: string
}
const seen: Seen[] = []
const pets = [
  { id: '1', type: 'dog', price: 249.99 },
  { id: '2', type: 'cat', price: 124.99 },
  { id: '3', type: 'fish', price: 0.99 },
]
let backend: Server
let savedAgent: http.Agent

beforeAll(async () => {
  backend = http.createServer((r, w) => {
    const chunks: Buffer[] = []
    r.on('data', (c: Buffer) => chunks.push(c))
    r.on('end', () => {
      const body = Buffer.concat(chunks).toString()
      seen.push({ method: r.method, url: r.url, host: r.headers.host, headers: r.headers, body })
      const url = new URL(r.url ?? '/', 'http://backend')
      w.setHeader('content-type', 'application/json')
      w.setHeader('access-control-allow-origin', 'https://backend-set.example')
      w.setHeader('x-backend', 'petstore')
      if (url.pathname === '/petstore/pets' && r.method === 'GET') {
        const type = url.searchParams.get('type')
        w.end(JSON.stringify(pets.filter((p) => type === null || p.type === type)))
      } else if (url.pathname === '/petstore/pets' && r.method === 'POST') {
        const pet = JSON.parse(body) as { type: string; price: number }
        w.end(JSON.stringify({ pet: { id: '4', ...pet }, message: 'success' }))
      } else if (url.pathname.startsWith('/petstore/pets/') && r.method === 'GET') {
        const pet = pets.find((p) => p.id === decodeURIComponent(url.pathname.slice('/petstore/pets/'.length)))
        w.statusCode = pet ? 200 : 404
        w.end(JSON.stringify(pet ?? { message: 'no such pet' }))
      } else {
        w.statusCode = 405
        w.end('{}')
      }
    })
  })
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve))
  const port = (backend.address() as AddressInfo).port
  // Every connection to the document's backend host goes to the local server; anything else is refused.
  class LocalAgent extends http.Agent {
    override createConnection(options: { host?: string | null; hostname?: string | null }, cb: (err: Error | null) => void) {
      const host = options.hostname ?? options.host
      if (host !== BACKEND_HOST) throw new Error(`unexpected backend host ${host}`)
      return createConnection({ host: '127.0.0.1', port }, () => cb(null))
    }
  }
  savedAgent = http.globalAgent
  http.globalAgent = new LocalAgent({ keepAlive: false })
})
afterAll(async () => {
  http.globalAgent = savedAgent
  await new Promise<void>((resolve) => backend.close(() => resolve()))
})

const warningsOf = () => {
  const warnings: GatewayWarning[] = []
  const gateway = createGateway({ api: load(), onWarning: (w) => warnings.push(w) })
  return { gateway, warnings }
}

describe('loading the document as published', () => {
  it('loads as an HTTP API with no functions and no warnings: every field in it is one gatehouse acts on', () => {
    const { gateway, warnings } = warningsOf()
    expect(warnings).toEqual([])
    // `payloadFormatVersion: 1.0` is a JSON number; API Gateway's importer reads it as "1.0".
    expect(gateway.definition.resources['/pets']?.GET?.integration?.payloadFormatVersion).toBe('1.0')
    expect(Object.keys(gateway.definition.resources).sort()).toEqual(['/pets', '/pets/{petId}'])
  })

  it('strict: true loads it too, since nothing was warned', () => {
    expect(() => createGateway({ api: load(), strict: true })).not.toThrow()
  })

  it('apiType: "REST" contradicts the document (x-amazon-apigateway-cors is HTTP-only), naming the field', () => {
    let caught: unknown
    try {
      createGateway({ api: load(), apiType: 'REST' })
    } catch (e) {
      caught = e
    }
    expect(caught).toBeInstanceOf(GatewayConfigError)
    expect((caught as GatewayConfigError).pointer).toBe('/x-amazon-apigateway-cors')
    expect((caught as GatewayConfigError).message).toMatch(/HTTP API.*apiType/)
  })
})

describe('routes and HTTP_PROXY integrations', () => {
  const gateway = () => warningsOf().gateway

  it('GET /pets?type=dog&page=1 reaches GET http://…/petstore/pets with the query string, and the answer passes through', async () => {
    seen.length = 0
    const res = await gateway().handle(req('GET', '/pets?type=dog&page=1', { headers: { 'x-client': 'c1' } }))
    expect(res.statusCode).toBe(200)
    expect(json(res)).toEqual([{ id: '1', type: 'dog', price: 249.99 }])
    expect(res.headers['x-backend']).toBe('petstore')
    expect(seen).toHaveLength(1)
    expect(seen[0]).toMatchObject({ method: 'GET', url: '/petstore/pets?type=dog&page=1', host: BACKEND_HOST })
    expect(seen[0]?.headers['x-client']).toBe('c1')
  })

  it('GET /pets/{petId} substitutes the path variable into the integration URI', async () => {
    seen.length = 0
    const res = await gateway().handle(req('GET', '/pets/2'))
    expect(res.statusCode).toBe(200)
    expect(json(res)).toEqual({ id: '2', type: 'cat', price: 124.99 })
    expect(seen[0]?.url).toBe('/petstore/pets/2')
  })

  it('the backend status code passes through (404 from the backend is not a gateway 404)', async () => {
    const res = await gateway().handle(req('GET', '/pets/99'))
    expect(res.statusCode).toBe(404)
    expect(json(res)).toEqual({ message: 'no such pet' })
    expect(res.headers['x-backend']).toBe('petstore')
  })

  it('POST /pets forwards the body; HTTP APIs do not validate against the NewPet schema', async () => {
    seen.length = 0
    const res = await gateway().handle(
      req('POST', '/pets', { headers: { 'content-type': 'application/json' }, body: '{"type":"gecko","price":12}' }),
    )
    expect(res.statusCode).toBe(200)
    expect(json(res)).toEqual({ pet: { id: '4', type: 'gecko', price: 12 }, message: 'success' })
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/petstore/pets', body: '{"type":"gecko","price":12}' })
    // `type` is not in the PetType enum: a REST API with a validator would answer 400; an HTTP API passes it on.
    const invalid = await gateway().handle(
      req('POST', '/pets', { headers: { 'content-type': 'application/json' }, body: '{"type":"unicorn","price":"x"}' }),
    )
    expect(invalid.statusCode).toBe(200)
  })

  it.each([
    ['DELETE', '/pets'],
    ['GET', '/'],
    ['GET', '/pets/1/toys'],
    ['PUT', '/pets/1'],
  ])('%s %s has no route: 404 {"message":"Not Found"}, the backend is not called', async (method, path) => {
    seen.length = 0
    const res = await gateway().handle(req(method, path))
    expect(res.statusCode).toBe(404)
    expect(json(res)).toEqual({ message: 'Not Found' })
    expect(seen).toEqual([])
  })
})

describe('x-amazon-apigateway-cors', () => {
  const gateway = () => warningsOf().gateway

  it('answers a preflight itself (no OPTIONS route in the document) with the configured headers', async () => {
    seen.length = 0
    const res = await gateway().handle(
      req('OPTIONS', '/pets', {
        headers: {
          origin: 'https://app.example.com',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      }),
    )
    expect(res.statusCode).toBe(204)
    expect(res.headers['access-control-allow-origin']).toBe('*')
    expect(res.headers['access-control-allow-methods']).toBe('GET,OPTIONS,POST')
    expect(res.headers['access-control-allow-headers']).toBe(
      'x-amzm-header,x-apigateway-header,x-api-key,authorization,x-amz-date,content-type',
    )
    expect(res.headers['access-control-allow-credentials']).toBeUndefined()
    expect(seen).toEqual([])
  })

  it('sets Access-Control-Allow-Origin on a cross-origin response, replacing the backend’s', async () => {
    const res = await gateway().handle(req('GET', '/pets/1', { headers: { origin: 'https://app.example.com' } }))
    expect(res.statusCode).toBe(200)
    const origins = Object.entries(res.headers).filter(([k]) => k.toLowerCase() === 'access-control-allow-origin')
    expect(origins).toEqual([['access-control-allow-origin', '*']])
  })

  it('a same-origin request (no Origin header) gets the backend’s headers untouched', async () => {
    const res = await gateway().handle(req('GET', '/pets/1'))
    expect(res.headers['access-control-allow-origin']).toBe('https://backend-set.example')
  })
})
