// `gateway.handle(request)` / `dispatch(request)`: what is unambiguous is made normal (before, `path: '/calc?x=1'`
// and `method: 'get'` answered 403, headers left out 500, `query` as an object 500, all silently); what is no
// GatewayRequest rejects with a TypeError naming the field: the caller's bug, never a 500 and never onError.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createGateway, type GatewayErrorInfo, type GatewayRequest } from '@gatehousejs/core'
import { fuzzParams } from '@gatehousejs/test-kit'
import { requestInput } from '../src/request-input'
import { json } from './helpers'

/** Lambda proxy (REST, payload 1.0) that echoes what API Gateway told it. */
function gateway(errors: unknown[] = []) {
  return createGateway({
    api: { resources: { '/calc': { ANY: { integration: { type: 'AWS_PROXY', uri: 'echo' } } } } },
    functions: {
      echo: async (event) => ({
        statusCode: 200,
        body: JSON.stringify({
          method: event.httpMethod,
          path: event.path,
          query: event.multiValueQueryStringParameters,
          headers: event.multiValueHeaders,
          body: event.body,
        }),
      }),
    },
    onError: (error: unknown, _info: GatewayErrorInfo) => void errors.push(error),
  })
}

/** The same request, written as an untyped caller (JavaScript, JSON) would. */
const loose = (request: Record<string, unknown>) => request as unknown as GatewayRequest

describe('handle(): unambiguous requests are made normal', () => {
  it('a query left in `path` is split off when `query` is not given', async () => {
    const res = await gateway().handle(loose({ method: 'GET', path: '/calc?x=1&x=2&y=', headers: {} }))
    expect(res.statusCode).toBe(200)
    expect(json(res)).toMatchObject({ path: '/calc', query: { x: ['1', '2'], y: [''] } })
  })

  it('`/calc?` is the path /calc with an empty query', async () => {
    const res = await gateway().handle(loose({ method: 'GET', path: '/calc?', headers: {} }))
    expect(res.statusCode).toBe(200)
    expect(json(res)).toMatchObject({ path: '/calc', query: null })
  })

  it('the method is upper-cased', async () => {
    for (const method of ['get', 'Post', 'delete', 'pAtCh']) {
      const res = await gateway().handle(loose({ method, path: '/calc', headers: {} }))
      expect(res.statusCode).toBe(200)
      expect(json(res).method).toBe(method.toUpperCase())
    }
  })

  it('headers left out are no headers', async () => {
    const res = await gateway().handle(loose({ method: 'GET', path: '/calc' }))
    expect(res.statusCode).toBe(200)
    // Only what API Gateway adds itself.
    expect(Object.keys(json(res).headers).sort()).toEqual(['X-Amzn-Trace-Id', 'X-Forwarded-For', 'X-Forwarded-Port', 'X-Forwarded-Proto'])
  })

  it('header names given in another case are lower-cased, not lost', async () => {
    const res = await gateway().handle(
      loose({ method: 'POST', path: '/calc', headers: { 'Content-Type': 'text/plain', 'X-A': '1', 'x-a': ['2', '3'] }, body: 'hi' }),
    )
    expect(res.statusCode).toBe(200)
    const { headers, body } = json(res) as { headers: Record<string, string[]>; body: string }
    const shown = Object.fromEntries(Object.entries(headers).map(([name, values]) => [name.toLowerCase(), values]))
    expect(shown['content-type']).toEqual(['text/plain'])
    expect(shown['x-a']).toEqual(['1', '2', '3'])
    expect(body).toBe('hi')
  })

  it('the caller’s request object is never changed', async () => {
    const headers = { 'X-A': ['1'], 'x-a': '2' }
    const request = loose({ method: 'get', path: '/calc?x=1', headers })
    await gateway().handle(request)
    expect(request).toEqual({ method: 'get', path: '/calc?x=1', headers: { 'X-A': ['1'], 'x-a': '2' } })
    expect(headers['X-A']).toEqual(['1'])
  })

  it('a path not from "/" is the client’s (`OPTIONS * HTTP/1.1`): the gateway’s answer, no TypeError, no onError', async () => {
    const errors: unknown[] = []
    for (const path of ['*', 'calc', '', 'mailto:x']) {
      const res = await gateway(errors).handle(loose({ method: 'OPTIONS', path, headers: {} }))
      expect(res.statusCode).toBe(403)
      expect(json(res)).toEqual({ message: 'Missing Authentication Token' })
    }
    expect(errors).toEqual([])
  })

  it('with `query` given, a "?" in `path` is left alone (which part is the query would be a guess)', async () => {
    const res = await gateway().handle(loose({ method: 'GET', path: '/calc?x=1', query: 'y=2', headers: {} }))
    expect(res.statusCode).toBe(403)
    expect(requestInput({ method: 'GET', path: '/calc?x=1', query: 'y=2', headers: {} })).toMatchObject({ path: '/calc?x=1', query: 'y=2' })
  })

  it('dispatch normalises the same way', async () => {
    const res = await gateway().dispatch(loose({ method: 'get', path: '/calc?x=1' }))
    expect(res).toMatchObject({ statusCode: 200 })
  })
})

describe('handle(): what is no GatewayRequest rejects with a TypeError naming the field', () => {
  const cases: [string, unknown, RegExp][] = [
    ['not an object', 'GET /calc', /^a GatewayRequest must be an object .*, got "GET \/calc"$/],
    ['null', null, /^a GatewayRequest must be an object .*, got null$/],
    ['an array', ['GET', '/calc'], /got array$/],
    ['method missing', { path: '/calc', headers: {} }, /^GatewayRequest\.method must be an HTTP method .*, got undefined$/],
    ['method not a token', { method: 'GE T', path: '/calc', headers: {} }, /^GatewayRequest\.method .*, got "GE T"$/],
    ['method empty', { method: '', path: '/calc', headers: {} }, /^GatewayRequest\.method /],
    // 'ß'.toUpperCase() is 'SS', a token: the check is on what the caller gave.
    ['method not ASCII', { method: 'poß', path: '/calc', headers: {} }, /^GatewayRequest\.method /],
    [
      'path not a string',
      { method: 'GET', path: 7, headers: {} },
      /^GatewayRequest\.path must be a string \(the path as on the wire, without the query\), got number$/,
    ],
    [
      'path a whole URL',
      { method: 'GET', path: 'https://example.com/calc?x=1', headers: {} },
      /^GatewayRequest\.path must be the path \(from "\/"\), not a whole URL, got "https:\/\/example\.com\/calc\?x=1"$/,
    ],
    [
      'query an object',
      { method: 'GET', path: '/calc', query: { x: '1' }, headers: {} },
      /^GatewayRequest\.query must be a string \(the raw query string without "\?"\), got object$/,
    ],
    ['query null', { method: 'GET', path: '/calc', query: null, headers: {} }, /^GatewayRequest\.query .*, got null$/],
    ['headers null', { method: 'GET', path: '/calc', headers: null }, /^GatewayRequest\.headers must be an object .*, got null$/],
    ['headers an array', { method: 'GET', path: '/calc', headers: [['a', 'b']] }, /^GatewayRequest\.headers .*, got array$/],
    [
      'headers a Map',
      { method: 'GET', path: '/calc', headers: new Map([['a', 'b']]) },
      /^GatewayRequest\.headers must be a plain object .*, got object \(Map\)$/,
    ],
    ['headers a Fetch Headers', { method: 'GET', path: '/calc', headers: new Headers({ a: 'b' }) }, /got object \(Headers\)$/],
    [
      'a header value a number',
      { method: 'GET', path: '/calc', headers: { 'content-length': 2 } },
      /^GatewayRequest\.headers\["content-length"\] must be a string or an array of strings, got number$/,
    ],
    [
      'a header value in a list not a string',
      { method: 'GET', path: '/calc', headers: { a: ['1', null] } },
      /^GatewayRequest\.headers\["a"\] .*, got null$/,
    ],
    [
      'body an object',
      { method: 'POST', path: '/calc', headers: {}, body: { x: 1 } },
      /^GatewayRequest\.body must be a string or a Uint8Array \(Buffer\), got object$/,
    ],
    [
      'body an ArrayBuffer',
      { method: 'POST', path: '/calc', headers: {}, body: new ArrayBuffer(2) },
      /^GatewayRequest\.body .*, got object \(ArrayBuffer\)$/,
    ],
    ['body null', { method: 'POST', path: '/calc', headers: {}, body: null }, /^GatewayRequest\.body .*, got null$/],
    [
      'sourceIp a number',
      { method: 'GET', path: '/calc', headers: {}, sourceIp: 7 },
      /^GatewayRequest\.sourceIp must be a string, got number$/,
    ],
    ['clientCert a string', { method: 'GET', path: '/calc', headers: {}, clientCert: 'pem' }, /^GatewayRequest\.clientCert /],
  ]

  for (const [what, request, message] of cases) {
    it(`${what}: handle and dispatch reject; no response, no onError`, async () => {
      const errors: unknown[] = []
      const gw = gateway(errors)
      for (const call of [gw.handle, gw.dispatch]) {
        const outcome = await call(request as GatewayRequest).then(
          (response) => ({ response }),
          (error: unknown) => ({ error }),
        )
        expect(outcome).toHaveProperty('error')
        const { error } = outcome as { error: unknown }
        expect(error).toBeInstanceOf(TypeError)
        expect((error as TypeError).message).toMatch(message)
      }
      expect(errors).toEqual([])
    })
  }
})

describe('requestInput', () => {
  it('hands back the very object an adapter built: nothing copied', () => {
    const request: GatewayRequest = {
      method: 'POST',
      path: '/calc',
      query: 'x=1',
      headers: { host: 'h', 'set-cookie': ['a', 'b'] },
      body: Buffer.from('x'),
      sourceIp: '192.0.2.1',
    }
    expect(requestInput(request)).toBe(request)
    expect(requestInput({ ...request, method: 'PURGE', body: 'x', query: undefined })).toMatchObject({ method: 'PURGE' })
  })

  it('keeps names that are the client’s data as own keys', () => {
    const headers = JSON.parse('{"__proto__":"p","Constructor":"c","constructor":["d"]}') as Record<string, string | string[]>
    const out = requestInput({ method: 'GET', path: '/', headers })
    expect(Object.getPrototypeOf(out.headers)).toBe(Object.prototype)
    expect(Object.getOwnPropertyDescriptor(out.headers, '__proto__')?.value).toBe('p')
    expect(out.headers.constructor).toEqual(['c', 'd'])
  })

  // A naive model of the normal form: every value as a list, names lower-cased, lists of one name joined in order.
  const headerMap = fc.dictionary(
    fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,6}$/),
    fc.oneof(fc.string({ maxLength: 4 }), fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 })),
    { maxKeys: 6 },
  )

  it('normal form: lower-case names, every value kept in order; a normal request is returned as it is', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('GET', 'get', 'Post', 'PURGE', 'options'),
        fc.stringMatching(/^\/[a-z/]{0,6}(\?[a-z=&]{0,6})?$/),
        headerMap,
        (method, target, headers) => {
          const out = requestInput({ method, path: target, headers })
          const expected = new Map<string, string[]>()
          for (const [name, value] of Object.entries(headers)) {
            const lower = name.toLowerCase()
            expected.set(lower, [...(expected.get(lower) ?? []), ...(typeof value === 'string' ? [value] : value)])
          }
          const got = new Map(Object.entries(out.headers).map(([k, v]) => [k, typeof v === 'string' ? [v] : v]))
          expect(got).toEqual(expected)
          expect(out.method).toBe(method.toUpperCase())
          const q = target.indexOf('?')
          expect(out.path).toBe(q === -1 ? target : target.slice(0, q))
          expect(out.query).toBe(q === -1 ? undefined : target.slice(q + 1))
          expect(requestInput(out)).toBe(out)
        },
      ),
      fuzzParams(300),
    )
  })

  it('anything: a GatewayRequest or a TypeError, never another throw', () => {
    // Mostly plausible fields, each sometimes anything at all.
    const field = <T>(plausible: fc.Arbitrary<T>) => fc.oneof({ weight: 4, arbitrary: plausible }, { weight: 1, arbitrary: fc.anything() })
    const anything = fc.oneof(
      { weight: 1, arbitrary: fc.anything() },
      {
        weight: 6,
        arbitrary: fc.record(
          {
            method: field(fc.constantFrom('GET', 'get', 'Purge', 'G T', '')),
            path: field(fc.constantFrom('/calc', '/calc?x=1', '*', 'http://h/p', '')),
            query: field(fc.constantFrom('x=1', '')),
            headers: field(headerMap),
            body: field(fc.oneof(fc.string(), fc.uint8Array())),
          },
          { requiredKeys: ['method', 'path'] },
        ),
      },
    )
    fc.assert(
      fc.property(anything, (value) => {
        let out: GatewayRequest | undefined
        try {
          out = requestInput(value)
        } catch (error) {
          expect(error).toBeInstanceOf(TypeError)
          return
        }
        expect(out.method).toBe(out.method.toUpperCase())
        expect(typeof out.path).toBe('string')
        if ((value as { query?: unknown }).query === undefined) expect(out.path.includes('?')).toBe(false)
        expect(out.query === undefined || typeof out.query === 'string').toBe(true)
        for (const [name, v] of Object.entries(out.headers)) {
          expect(name).toBe(name.toLowerCase())
          expect(typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'))).toBe(true)
        }
      }),
      fuzzParams(500),
    )
  })
})
