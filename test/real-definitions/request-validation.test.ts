// AWS's request-validation sample API, loaded as published and exercised as AWS's own test walkthrough does.
//
// Source: awsdocs/amazon-api-gateway-developer-guide, doc_source/api-gateway-request-validation-sample-api-swagger.md
// (the "OpenAPI 2.0" code block, kept verbatim as fixtures/request-validation-sample.json), commit
// 401d9dfb7c0c3720b3275ba7b029a6e66a1606ad (the last commit before the repository's content was deleted on archiving).
// License: sample code in that repository is under its modified MIT license (LICENSE-SAMPLECODE, MIT-0).
//
// AWS doc pages cited for the expected answers:
// - https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-validation-sample-api-swagger.html
//   (the document; `params-only` inherited by GET, `all` on POST; `q1` and `h1` required and not blank)
// - https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-validation-test.html
//   (the requests and answers: `GET /validation?q1=cat` passes; `GET /validation` and `?q1=` → 400
//   `{"message": "Missing required request parameters: [q1]"}`; POST without `h1` → `[h1]`; `type: "bird"` or
//   `price: 501` → 400 `{"message": "Invalid request body"}`)
// - https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
//   (BAD_REQUEST_PARAMETERS and BAD_REQUEST_BODY are 400)
// - https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-integration-requestParameters.html
//   (`integration.request.querystring.type` from `method.request.querystring.q1`,
//   `integration.request.header.custom_h1` from `method.request.header.h1`)
// - https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-integration-response.html
//   (`2\d{2}` matched against the backend's status; `default` → 400 with the static header and the template)
// - https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-auth.html
//   (`x-amazon-apigateway-auth: { type: none }`)
//
// The integration is HTTP to http://petstore-demo-endpoint.execute-api.com/petstore/pets. Tests do not reach the
// internet: `node:http`'s `request` is wrapped so that a request for that host goes to a local stand-in written from
// the answers the walkthrough shows (a list of pets of the asked type; `{pet, message: "success"}` for POST). The
// URL path, query and headers API Gateway sends are recorded unchanged.
import { readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createGateway, GatewayConfigError, type GatewayWarning } from '@gatehousejs/core'
import { header, json, req, text } from '../../packages/core/test/helpers'

// The stand-in's port, shared with the hoisted `vi.mock` factory.
const standIn = vi.hoisted(() => ({ host: 'petstore-demo-endpoint.execute-api.com', port: 0 }))

vi.mock('node:http', async (importOriginal) => {
  const http = await importOriginal<typeof import('node:http')>()
  const redirect = (options: unknown) => {
    if (options && typeof options === 'object' && (options as { hostname?: string }).hostname === standIn.host) {
      return { ...(options as object), hostname: '127.0.0.1', host: '127.0.0.1', port: standIn.port }
    }
    return options
  }
  const request = ((options: any, ...rest: any[]) => (http.request as any)(redirect(options), ...rest)) as typeof http.request
  return { ...http, request, default: { ...http, request } }
})

const doc = () => JSON.parse(readFileSync(new URL('./fixtures/request-validation-sample.json', import.meta.url), 'utf8'))

interface Seen {
  method: string
  url: string
  headers: IncomingMessage['headers']
  body: string
}
const seen: Seen[] = []
let server: Server

const pets = [
  { id: 1, type: 'dog', price: 249.99 },
  { id: 2, type: 'cat', price: 124.99 },
  { id: 3, type: 'cat', price: 0.99 },
]

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (c: Buffer) => chunks.push(c))
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body })
      const url = new URL(request.url ?? '/', 'http://stand-in')
      response.setHeader('content-type', 'application/json')
      if (url.pathname !== '/petstore/pets') {
        response.statusCode = 404
        response.end('{"message":"not found"}')
      } else if (request.method === 'GET') {
        const type = url.searchParams.get('type')
        if (type === 'unicorn') {
          response.statusCode = 404
          response.end('{"message":"no such type"}')
          return
        }
        response.end(JSON.stringify(pets.filter((p) => type === null || p.type === type)))
      } else if (request.method === 'POST') {
        response.end(JSON.stringify({ pet: JSON.parse(body), message: 'success' }))
      } else {
        response.statusCode = 405
        response.end('{}')
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  standIn.port = (server.address() as AddressInfo).port
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

function load(strict = false) {
  const warnings: GatewayWarning[] = []
  const gateway = createGateway({ api: doc(), strict, onWarning: (w) => warnings.push(w) })
  return { gateway, warnings }
}

const jsonHeaders = { 'content-type': 'application/json', accept: 'application/json' }

describe('loading the request-validation sample as published', () => {
  it('loads with no hand edit and no function to register', () => {
    expect(() => load()).not.toThrow()
  })

  it('warns exactly about the `api_key` requirement that names no security definition, on both methods', () => {
    // The document has `security: [{ api_key: [] }]` on GET and POST and no `securityDefinitions`: nothing can
    // enforce it, and the gateway says so (issue #14; core README "a requirement naming an undefined scheme is a
    // warning"), even though the operations also carry `x-amazon-apigateway-auth`.
    const { warnings } = load()
    expect(
      warnings
        .map((w) => ({ pointer: w.pointer, mentionsApiKey: w.message.includes('"api_key"') }))
        .sort((a, b) => String(a.pointer).localeCompare(String(b.pointer))),
    ).toEqual([
      { pointer: '/paths/~1validation/get/security', mentionsApiKey: true },
      { pointer: '/paths/~1validation/post/security', mentionsApiKey: true },
    ])
  })

  it('strict refuses exactly when the load warns', () => {
    const { warnings } = load()
    const strict = () => load(true)
    if (warnings.length > 0) expect(strict).toThrow(GatewayConfigError)
    else expect(strict).not.toThrow()
    // and this document does warn (see above), so strict refuses it
    expect(strict).toThrow(GatewayConfigError)
  })
})

describe('GET /validation (params-only validator inherited from the API)', () => {
  it('GET /validation?q1=cat passes validation; q1 reaches the backend as ?type=cat and its answer is passed through', async () => {
    const { gateway } = load()
    seen.length = 0
    const res = await gateway.handle(req('GET', '/validation?q1=cat', { headers: jsonHeaders }))
    expect(res.statusCode).toBe(200)
    expect(json(res)).toEqual(pets.filter((p) => p.type === 'cat'))
    expect(seen).toHaveLength(1)
    expect(seen[0]?.method).toBe('GET')
    expect(seen[0]?.url).toBe('/petstore/pets?type=cat')
  })

  it.each([
    ['q1 missing', '/validation'],
    ['q1 blank', '/validation?q1='],
  ])('%s → 400 {"message": "Missing required request parameters: [q1]"}, backend not called', async (_, url) => {
    const { gateway } = load()
    seen.length = 0
    const res = await gateway.handle(req('GET', url, { headers: jsonHeaders }))
    expect(res.statusCode).toBe(400)
    expect(json(res)).toEqual({ message: 'Missing required request parameters: [q1]' })
    expect(header(res, 'x-amzn-ErrorType')).toBe('BadRequestException')
    expect(seen).toHaveLength(0)
  })

  it('a non-2xx backend answer takes the `default` response: 400, the static header and the JSON template', async () => {
    const { gateway } = load()
    const res = await gateway.handle(req('GET', '/validation?q1=unicorn', { headers: jsonHeaders }))
    expect(res.statusCode).toBe(400)
    expect(text(res)).toBe('json 400 response template')
    expect(header(res, 'test-method-response-header')).toBe('static value')
    expect(header(res, 'content-type')).toBe('application/json')
  })

  it('the `default` response follows Accept: application/xml to the XML template', async () => {
    const { gateway } = load()
    const res = await gateway.handle(req('GET', '/validation?q1=unicorn', { headers: { accept: 'application/xml' } }))
    expect(res.statusCode).toBe(400)
    expect(text(res)).toBe('xml 400 response template')
    expect(header(res, 'content-type')).toBe('application/xml')
  })
})

describe('POST /validation (the `all` validator)', () => {
  const marco = { name: 'Marco', type: 'dog', price: 260 }

  it('h1 set and a valid body → the backend gets the body and custom_h1, and its answer is passed through', async () => {
    const { gateway } = load()
    seen.length = 0
    const res = await gateway.handle(req('POST', '/validation', { headers: { ...jsonHeaders, h1: 'v1' }, body: JSON.stringify(marco) }))
    expect(res.statusCode).toBe(200)
    expect(json(res)).toEqual({ pet: marco, message: 'success' })
    expect(seen).toHaveLength(1)
    expect(seen[0]?.method).toBe('POST')
    expect(seen[0]?.url).toBe('/petstore/pets')
    expect(seen[0]?.headers.custom_h1).toBe('v1')
    expect(JSON.parse(seen[0]?.body ?? 'null')).toEqual(marco)
  })

  it.each([
    ['h1 missing', {}],
    ['h1 blank', { h1: '' }],
  ])('%s → 400 {"message": "Missing required request parameters: [h1]"}', async (_, extra) => {
    const { gateway } = load()
    seen.length = 0
    const res = await gateway.handle(req('POST', '/validation', { headers: { ...jsonHeaders, ...extra }, body: JSON.stringify(marco) }))
    expect(res.statusCode).toBe(400)
    expect(json(res)).toEqual({ message: 'Missing required request parameters: [h1]' })
    expect(seen).toHaveLength(0)
  })

  it.each([
    ['type not in the enumeration', { name: 'Molly', type: 'bird', price: 269 }],
    ['price above the maximum', { name: 'Molly', type: 'dog', price: 501 }],
    ['price below the minimum', { name: 'Molly', type: 'dog', price: 24.99 }],
    ['a required property missing', { name: 'Molly', type: 'dog' }],
    ['id not an integer', { id: 1.5, name: 'Molly', type: 'dog', price: 30 }],
  ])('%s → 400 {"message": "Invalid request body"}', async (_, body) => {
    const { gateway } = load()
    seen.length = 0
    const res = await gateway.handle(req('POST', '/validation', { headers: { ...jsonHeaders, h1: 'v1' }, body: JSON.stringify(body) }))
    expect(res.statusCode).toBe(400)
    expect(json(res)).toEqual({ message: 'Invalid request body' })
    expect(header(res, 'x-amzn-ErrorType')).toBe('BadRequestException')
    expect(seen).toHaveLength(0)
  })

  it('the boundaries of the price range are valid (minimum 25, maximum 500 are inclusive)', async () => {
    const { gateway } = load()
    for (const price of [25, 500]) {
      const res = await gateway.handle(
        req('POST', '/validation', {
          headers: { ...jsonHeaders, h1: 'v1' },
          body: JSON.stringify({ name: 'Edge', type: 'fish', price }),
        }),
      )
      expect(res.statusCode).toBe(200)
      expect(json(res)).toEqual({ pet: { name: 'Edge', type: 'fish', price }, message: 'success' })
    }
  })
})

describe('what the document does not define', () => {
  it('another method on /validation → 403 {"message":"Missing Authentication Token"}', async () => {
    // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-troubleshooting-errors.html
    const { gateway } = load()
    const res = await gateway.handle(req('DELETE', '/validation'))
    expect(res.statusCode).toBe(403)
    expect(json(res)).toEqual({ message: 'Missing Authentication Token' })
  })
})
