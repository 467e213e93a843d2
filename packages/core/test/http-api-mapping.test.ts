/**
 * HTTP APIs' parameter mapping on Lambda proxy integrations, restating the developer guide's tables and examples:
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-parameter-mapping.html
 * ("Transforming API requests" keys and values, "Transforming API responses", "Reserved headers", and the examples
 * "Add a header to an API request", "Rename a request header", "Change the response from an integration").
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createGateway, GatewayConfigError, type GatewayInput, type LambdaHandler } from '@gatehousejs/core'
import { configError, json, req } from './helpers'

type Event = { headers: Record<string, string>; queryStringParameters?: Record<string, string>; rawQueryString: string; rawPath: string }

/** An HTTP API with `POST /pets/{petId}` on a function that echoes its event (or answers `answer`). */
function api(
  requestParameters?: Record<string, string>,
  responseParameters?: Record<string, Record<string, string>>,
  fn: LambdaHandler = async (event: unknown) => ({ statusCode: 200, body: JSON.stringify(event) }),
  extra: Partial<GatewayInput> = {},
) {
  return createGateway({
    api: {
      resources: {
        '/pets/{petId}': {
          POST: {
            integration: {
              type: 'AWS_PROXY',
              uri: 'fn',
              ...(requestParameters ? { requestParameters } : {}),
              ...(responseParameters ? { responseParameters } : {}),
            },
          },
        },
      },
    },
    apiType: 'HTTP',
    functions: { fn },
    requestId: () => 'req-1',
    ...extra,
  })
}

const post = (url = '/pets/7?a=1&a=2&keep=k', headers: Record<string, string> = { 'x-in': 'v', 'content-type': 'application/json' }) =>
  req('POST', url, { headers, body: '{"owner": {"name": "ann"}, "tags": ["a", "b"]}' })

async function event(requestParameters: Record<string, string>, extra: Partial<GatewayInput> = {}, url?: string): Promise<Event> {
  return json(await api(requestParameters, undefined, undefined, extra).handle(post(url)))
}

describe('request parameters: keys (append | overwrite | remove : header | querystring, overwrite:path)', () => {
  it('append:header adds the header ("Add a header to an API request": the request id)', async () => {
    expect((await event({ 'append:header.header1': '$context.requestId' })).headers.header1).toBe('req-1')
  })

  it('append:header on an existing header adds a value, joined with a comma', async () => {
    expect((await event({ 'append:header.x-in': 'extra' })).headers['x-in']).toBe('v,extra')
  })

  it('overwrite:header replaces it; remove:header removes it ("Rename a request header")', async () => {
    const e = await event({ 'append:header.header2': '$request.header.x-in', 'remove:header.x-in': "''" })
    expect(e.headers.header2).toBe('v')
    expect(e.headers['x-in']).toBeUndefined()
    expect((await event({ 'overwrite:header.x-in': 'new' })).headers['x-in']).toBe('new')
  })

  it('querystring: append, overwrite and remove, in the parameters and the raw query string', async () => {
    const e = await event({ 'append:querystring.b': 'x', 'overwrite:querystring.a': 'one', 'remove:querystring.keep': "''" })
    expect(e.queryStringParameters).toEqual({ a: 'one', b: 'x' })
    expect([...new URLSearchParams(e.rawQueryString)].sort()).toEqual([
      ['a', 'one'],
      ['b', 'x'],
    ])
  })

  it('overwrite:path changes the path the function sees', async () => {
    const e = await event({ 'overwrite:path': '/v2/pets/$request.path.petId' })
    // A bare reference must be the whole value; in text, references are written ${…}.
    expect(e.rawPath).toBe('/v2/pets/$request.path.petId')
    expect((await event({ 'overwrite:path': '/v2/pets/${request.path.petId}' })).rawPath).toBe('/v2/pets/7')
  })
})

describe('request parameters: values', () => {
  const table: [string, string, string | undefined][] = [
    ['header value (case-insensitive name, repeated values joined)', '$request.header.X-IN', 'v'],
    ['query string value (values joined with commas)', '$request.querystring.a', '1,2'],
    ['request body JSONPath', '$request.body.owner.name', 'ann'],
    ['request body JSONPath to an array', '$request.body.tags', '["a","b"]'],
    ['request path, without the stage', '$request.path', '/pets/7'],
    ['path parameter', '$request.path.petId', '7'],
    ['context variable', '$context.requestId', 'req-1'],
    ['stage variable', '$stageVariables.env', 'test'],
    ['static value', 'static', 'static'],
    ['braced references in text', 'id ${request.path.petId} of ${context.requestId}', 'id 7 of req-1'],
    ['an absent source: the mapping does nothing', '$request.header.absent', undefined],
  ]
  it.each(table)('%s', async (_, value, expected) => {
    const e = await event({ 'overwrite:header.x-out': value }, { stage: { stageName: 'prod', variables: { env: 'test' } } })
    expect(e.headers['x-out']).toBe(expected)
  })
})

describe('response parameters, by the integration status code ("Change the response from an integration")', () => {
  const failing: LambdaHandler = async () => ({ statusCode: 500, headers: { 'x-from': 'fn' }, body: '{"error": {"code": "E1"}}' })
  const g = api(
    undefined,
    {
      '500': {
        'append:header.header1': '$context.requestId',
        'overwrite:statuscode': '403',
        'overwrite:header.x-code': '$response.body.error.code',
        'append:header.x-copy': '$response.header.x-from',
      },
      '404': { 'append:header.error': '$stageVariables.environmentId' },
    },
    failing,
  )

  it('500 becomes 403 with the mapped headers', async () => {
    const res = await g.handle(post())
    expect(res.statusCode).toBe(403)
    expect(res.headers.header1).toBe('req-1')
    expect(res.headers['x-code']).toBe('E1')
    expect(res.headers['x-copy']).toBe('fn')
    expect(res.headers['x-from']).toBe('fn')
  })

  it('a status with no mappings is left as it is', async () => {
    const ok = api(undefined, { '500': { 'overwrite:statuscode': '403' } })
    expect((await ok.handle(post())).statusCode).toBe(200)
  })

  it('remove:header removes what the function set', async () => {
    const res = await api(undefined, { '500': { 'remove:header.x-from': "''" } }, failing).handle(post())
    expect(res.headers['x-from']).toBeUndefined()
    expect(res.statusCode).toBe(500)
  })
})

describe('refused when the gateway is built, as API Gateway refuses them', () => {
  it.each([
    'Authorization',
    'Content-Length',
    'x-amz-date',
    'X-Amzn-Trace-Id',
    'access-control-allow-origin',
    'apigw-requestid',
    'Via',
    'Origin',
  ])('a mapping of the reserved header %s', (name) => {
    const e = configError(() => api({ [`overwrite:header.${name}`]: 'x' }))
    expect(e.code).toBe('INVALID_DEFINITION')
    expect(e.message).toContain('reserved header')
    expect(() => api(undefined, { '200': { [`append:header.${name}`]: 'x' } })).toThrow(GatewayConfigError)
  })

  it.each([
    ['an unknown key', { 'set:header.x': 'v' }],
    ['a path on the response side', undefined, { '200': { 'overwrite:path': '/x' } }],
    ['a status code on the request side', { 'overwrite:statuscode': '200' }],
    ['$response on the request side', { 'overwrite:header.x': '$response.header.y' }],
    ['recursive descent', { 'overwrite:header.x': '$request.body..name' }],
    ['a status key that is not a status code', undefined, { abc: { 'overwrite:statuscode': '200' } }],
  ] as [string, Record<string, string> | undefined, Record<string, Record<string, string>>?][])('%s', (_, request, response) => {
    expect(() => api(request, response)).toThrow(GatewayConfigError)
  })
})

describe('mapping values never throw on client input', () => {
  it('arbitrary headers, query strings and bodies give an answer', async () => {
    const g = api({
      'append:header.x-a': '$request.body.a.b',
      'overwrite:querystring.q': '${request.querystring.q}-${request.header.h}',
      'overwrite:path': '${request.body.p}',
    })
    await fc.assert(
      fc.asyncProperty(fc.string(), fc.string(), fc.string({ maxLength: 200 }), async (q, h, body) => {
        const res = await g.handle(
          req('POST', `/pets/1?q=${encodeURIComponent(q)}`, { headers: { h: h.replace(/[^\x20-\x7e]/g, '') }, body }),
        )
        expect(res.statusCode).toBe(200)
      }),
      { numRuns: 200 },
    )
  })
})

describe('HTTP proxy integrations (the guide’s examples use HTTP_PROXY)', () => {
  type Seen = { method: string; url: string; headers: Record<string, string | string[] | undefined> }
  const seen: Seen[] = []
  let url = ''
  let server: Server
  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers })
      const status = Number(new URL(req.url!, 'http://x').searchParams.get('status') ?? 200)
      res.writeHead(status, { 'content-type': 'application/json', 'x-backend': 'b' })
      res.end('{"error": {"code": "E9"}}')
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise<void>((r) => server.close(() => r())))

  const proxy = (requestParameters?: Record<string, string>, responseParameters?: Record<string, Record<string, string>>) =>
    createGateway({
      api: {
        resources: {
          '/pets/{petId}': {
            GET: {
              integration: {
                type: 'HTTP_PROXY',
                uri: `${url}/backend/{petId}`,
                ...(requestParameters ? { requestParameters } : {}),
                ...(responseParameters ? { responseParameters } : {}),
              },
            },
          },
        },
      },
      apiType: 'HTTP',
      requestId: () => 'req-9',
    })

  it('"Add a header" and "Rename a request header" reach the backend', async () => {
    seen.length = 0
    const g = proxy({
      'append:header.header1': '$context.requestId',
      'append:header.header2': '$request.header.x-in',
      'remove:header.x-in': "''",
    })
    expect((await g.handle(req('GET', '/pets/7', { headers: { 'x-in': 'v' } }))).statusCode).toBe(200)
    expect(seen[0]!.headers.header1).toBe('req-9')
    expect(seen[0]!.headers.header2).toBe('v')
    expect(seen[0]!.headers['x-in']).toBeUndefined()
  })

  it('overwrite:path and query mappings change the URL the backend gets', async () => {
    seen.length = 0
    const g = proxy({
      'overwrite:path': '/v2/pets/${request.path.petId}',
      'append:querystring.source': 'gw',
      'remove:querystring.debug': "''",
    })
    await g.handle(req('GET', '/pets/7?debug=1&keep=k'))
    const sent = new URL(seen[0]!.url, 'http://x')
    expect(sent.pathname).toBe('/v2/pets/7')
    expect([...sent.searchParams].sort()).toEqual([
      ['keep', 'k'],
      ['source', 'gw'],
    ])
  })

  it('"Change the response from an integration": 500 → 403 with the request id, by status code', async () => {
    const g = proxy(undefined, {
      '500': {
        'append:header.header1': '$context.requestId',
        'overwrite:statuscode': '403',
        'overwrite:header.x-code': '$response.body.error.code',
      },
    })
    const failed = await g.handle(req('GET', '/pets/7?status=500'))
    expect(failed.statusCode).toBe(403)
    expect(failed.headers.header1).toBe('req-9')
    expect(failed.headers['x-code']).toBe('E9')
    expect((await g.handle(req('GET', '/pets/7?status=200'))).statusCode).toBe(200)
  })
})
