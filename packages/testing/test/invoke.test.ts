// testInvoke and request(): requests through gateway.handle without a socket; assertGatewayResponse and the
// vitest matchers (expect.extend(gatehouseMatchers)).
// Gateway response defaults: https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
// Lambda proxy input: https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html
// TestInvokeMethod (what testInvoke mirrors): https://docs.aws.amazon.com/apigateway/latest/api/API_TestInvokeMethod.html
import { describe, expect, it } from 'vitest'
import { createGateway, GATEWAY_RESPONSE_DEFAULTS, GATEWAY_RESPONSE_TYPES, type GatewayResponseType } from '@gatehousejs/core'
import {
  assertGatewayResponse,
  gatehouseMatchers,
  type GatehouseMatchers,
  recordInvocations,
  request,
  testInvoke,
} from '@gatehousejs/testing'

declare module 'vitest' {
  interface Assertion<T> extends GatehouseMatchers<T> {}
}
expect.extend(gatehouseMatchers)

function echoGateway() {
  const rec = recordInvocations({
    echo: async (event: {
      httpMethod: string
      body: string | null
      headers: Record<string, string>
      multiValueQueryStringParameters: unknown
    }) => ({
      statusCode: event.httpMethod === 'POST' ? 201 : 200,
      headers: { 'content-type': 'application/json', 'x-seen': event.headers['x-thing'] ?? 'none' },
      body: JSON.stringify({ method: event.httpMethod, body: event.body, query: event.multiValueQueryStringParameters }),
    }),
  })
  const gw = createGateway({
    api: { resources: { '/echo': { ANY: { integration: { type: 'AWS_PROXY', uri: 'echo' } } } } },
    functions: rec.functions,
  })
  return { gw, rec }
}

describe('testInvoke', () => {
  it("returns the request's execution log, as TestInvokeMethod does, with secrets redacted", async () => {
    const { gw } = echoGateway()
    const secret = 'Bearer abcdefghijklmnopqrstuvwxyz0123456789'
    const res = await testInvoke(gw, { method: 'POST', path: '/echo', headers: { authorization: secret }, body: { n: 1 } })
    expect(res.log).toMatch(/^Execution log for request /)
    expect(res.logLines.map((l) => l.message)).toContain('Method completed with status: 201')
    expect(res.log).toContain('Method request body before transformations: {"n":1}')
    expect(res.log).not.toContain(secret)
    // Another request's lines are not in this one's log.
    const other = await testInvoke(gw, { method: 'GET', path: '/echo' })
    expect(other.log).not.toContain('{"n":1}')
  })

  it('sends method, headers, query map and JSON body; reads status, headers, JSON', async () => {
    const { gw, rec } = echoGateway()
    const res = await testInvoke(gw, {
      method: 'post',
      path: '/echo',
      headers: { 'X-Thing': 'a' },
      query: { tag: ['x', 'y z'] },
      body: { n: 1 },
    })
    expect(res.statusCode).toBe(201)
    expect(res.header('X-SEEN')).toBe('a')
    expect(res.json()).toEqual({ method: 'POST', body: '{"n":1}', query: { tag: ['x', 'y z'] } })
    expect(new TextDecoder().decode(res.rawBody)).toBe(res.body)
    expect(typeof res.latency).toBe('number')
    expect(rec.calls[0]!.event).toMatchObject({
      headers: { 'Content-Type': 'application/json', 'x-thing': 'a' },
      queryStringParameters: { tag: 'y z' },
    })
  })

  it('keeps a string body and a query in the path', async () => {
    const { gw } = echoGateway()
    const res = await testInvoke(gw, { method: 'PUT', path: '/echo?a=1&a=2', body: 'plain' })
    expect(res.json()).toEqual({ method: 'PUT', body: 'plain', query: { a: ['1', '2'] } })
    expect(() => res.header('nothing')).not.toThrow()
    expect(res.header('nothing')).toBeUndefined()
  })

  it('refuses what is not a request, and names a body that is not JSON', async () => {
    const { gw } = echoGateway()
    await expect(testInvoke(gw, { method: 'GET', path: 'echo' })).rejects.toThrow(TypeError)
    const gw2 = createGateway({
      api: { resources: { '/t': { GET: { integration: { type: 'AWS_PROXY', uri: 't' } } } } },
      functions: { t: async () => ({ statusCode: 200, body: 'not json' }) },
    })
    await expect(testInvoke(gw2, { method: 'GET', path: '/t' }).then((r) => r.json())).rejects.toThrow(/not JSON.*not json/)
  })
})

describe('request()', () => {
  it('chains set, query, send and expect', async () => {
    const { gw } = echoGateway()
    const res = await request(gw)
      .post('/echo')
      .set('x-thing', 'b')
      .query('k=v')
      .send({ a: 1 })
      .expect(201)
      .expect('x-seen', 'b')
      .expect('content-type', /json/)
    expect(res.json()).toEqual({ method: 'POST', body: '{"a":1}', query: { k: ['v'] } })
    await request(gw).get('/echo').expect(200, { method: 'GET', body: null, query: null })
    await request(gw)
      .delete('/echo')
      .expect((r) => expect(r.json()).toMatchObject({ method: 'DELETE' }))
  })

  it('rejects when an expectation fails', async () => {
    const { gw } = echoGateway()
    await expect(request(gw).get('/echo').expect(404)).rejects.toThrow(/expected status 404, got 200/)
    await expect(request(gw).get('/echo').expect('x-seen', 'zzz')).rejects.toThrow(/expected header x-seen/)
    await expect(request(gw).get('/echo').expect(200, { other: true })).rejects.toThrow(/expected JSON body/)
    await expect(request(gw).get('/nowhere').expect(200)).rejects.toThrow(/got 403/)
  })
})

describe('assertGatewayResponse and the matchers', () => {
  it('recognise a default gateway response, and refuse another', async () => {
    const { gw, rec } = echoGateway()
    const missing = await testInvoke(gw, { method: 'GET', path: '/nowhere' })
    assertGatewayResponse(missing, 'MISSING_AUTHENTICATION_TOKEN')
    expect(missing).toBeGatewayResponse('MISSING_AUTHENTICATION_TOKEN')
    expect(missing).not.toBeGatewayResponse('ACCESS_DENIED') // same status, another error type and message
    expect(() => assertGatewayResponse(missing, 'THROTTLED')).toThrow(/status 403, expected 429/)
    const ok = await testInvoke(gw, { method: 'GET', path: '/echo' })
    expect(ok).not.toBeGatewayResponse('DEFAULT_4XX')
    expect(rec).toHaveInvoked('echo', { httpMethod: 'GET', path: expect.stringMatching(/^\/echo$/) })
    expect(rec).not.toHaveInvoked('echo', { httpMethod: 'POST' })
    expect(rec.calls).toHaveInvoked('echo')
    expect(() => expect(rec).toHaveInvoked('other')).toThrow(/other to have been invoked; calls: echo/)
  })

  it('accept a status or message that differs from the default', async () => {
    const gw = createGateway({
      api: { resources: { '/t': { GET: { integration: { type: 'AWS_PROXY', uri: 't' } } } } },
      functions: {
        t: async () => {
          throw new Error('x')
        },
      },
      onError: () => {},
    })
    const res = await testInvoke(gw, { method: 'GET', path: '/t' })
    // A Lambda proxy function that throws: 502 on REST APIs, where INTEGRATION_FAILURE defaults to 504.
    expect(res).not.toBeGatewayResponse('INTEGRATION_FAILURE')
    expect(res).toBeGatewayResponse('INTEGRATION_FAILURE', { status: 502 })
  })

  it('check every type against a synthetic response of that type (status, error type, message)', () => {
    for (const type of GATEWAY_RESPONSE_TYPES) {
      const other = GATEWAY_RESPONSE_TYPES.find((t) => t !== type && t !== 'DEFAULT_4XX' && t !== 'DEFAULT_5XX') as GatewayResponseType
      const built = (t: GatewayResponseType) => {
        const d =
          t === 'DEFAULT_4XX'
            ? { status: 400, message: 'Bad Request', errorType: 'BadRequestException' }
            : t === 'DEFAULT_5XX'
              ? { status: 500, message: 'Internal server error', errorType: 'InternalServerErrorException' }
              : (gatehouseConstants[t] ?? { status: 0, message: '', errorType: '' })
        return { statusCode: d.status, headers: { 'x-amzn-ErrorType': d.errorType }, body: JSON.stringify({ message: d.message }) }
      }
      expect(built(type)).toBeGatewayResponse(type)
      if (other !== type)
        expect(() => assertGatewayResponse({ ...built(type), body: '{"message":"other"}' }, type)).toThrow(/expected \{"message"/)
    }
  })
})

const gatehouseConstants = GATEWAY_RESPONSE_DEFAULTS as Record<string, { status: number; message: string; errorType: string }>
