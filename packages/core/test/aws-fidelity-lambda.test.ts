/**
 * Lambda integrations where requests recorded against AWS show what API Gateway does (issue #21, items 3, 5, 6, 7,
 * 13). Recordings: localstack/localstack at 8b9a79f05846835cf4dff63ab7eefdde9df83783, tests/aws/services/apigateway/
 * (the `.py` sets the API up and asserts; the `.snapshot.json` / `.validation.json` beside it date the AWS run).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-integration-async.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/lambda-proxy-binary-media.html
 */
import { describe, expect, it } from 'vitest'
import { createGateway, type GatewayErrorInfo, type GatewayInput, type LambdaHandler } from '@gatehousejs/core'
import { json, req, text } from './helpers'

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mP8/wIAAgkBAyMAlYwAAAAASUVORK5CYII='

/** A REST API with `ANY /{proxy+}` on a Lambda proxy function that answers with the request body as its result. */
function proxyApi(binaryMediaTypes?: string[], extra: Partial<GatewayInput> = {}) {
  const errors: [unknown, GatewayErrorInfo][] = []
  const gw = createGateway({
    api: {
      resources: { '/{proxy+}': { ANY: { integration: { type: 'AWS_PROXY', uri: 'fromBody' } } } },
      ...(binaryMediaTypes ? { binaryMediaTypes } : {}),
    },
    // The request body is base64 when its Content-Type is a binary media type (application/* below).
    functions: {
      fromBody: async (event: { body: string; isBase64Encoded: boolean }) =>
        JSON.parse(event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString() : event.body),
    },
    onError: (e, info) => errors.push([e, info]),
    ...extra,
  })
  return { gw, errors }
}

const post = (result: unknown, accept?: string) =>
  req('POST', '/test', { headers: { 'content-type': 'application/json', ...(accept ? { accept } : {}) }, body: JSON.stringify(result) })

describe('item 6: REST Lambda proxy bodies are decoded by the first Accept type alone (test_apigateway_lambda.py::test_aws_proxy_binary_response, validated on AWS)', () => {
  const result = (headers: Record<string, string> = { 'Content-Type': 'image/png' }, isBase64Encoded = true) => ({
    statusCode: 200,
    body: PNG,
    isBase64Encoded,
    headers,
  })
  const binary = Buffer.from(PNG, 'base64')

  it('no binaryMediaTypes: the base64 text even for Accept: image/png', async () => {
    const { gw } = proxyApi()
    expect(text(await gw.handle(post(result(), 'image/png')))).toBe(PNG)
  })

  // binaryMediaTypes image/png and */test (a left wildcard, which matches nothing)
  const table: [string | undefined, boolean][] = [
    ['image/png', true],
    ['image/jpg', false],
    ['image/*', false],
    ['*/test', false],
    ['random/test', false],
    ['*/*', false],
    ['image/webp,image/png,*/*;q=0.8', false],
    ['image/png,image/*,*/*;q=0.8', true],
  ]
  it.each(table)('binaryMediaTypes [image/png, */test], Accept %s → binary %s', async (accept, isBinary) => {
    const { gw } = proxyApi(['image/png', '*/test'])
    const res = await gw.handle(post(result(), accept))
    expect(res.statusCode).toBe(200)
    if (isBinary) expect(Buffer.from(res.body as Uint8Array)).toEqual(binary)
    else expect(text(res)).toBe(PNG)
  })

  it('isBase64Encoded false: never decoded', async () => {
    const { gw } = proxyApi(['image/png'])
    expect(text(await gw.handle(post(result(undefined, false), 'image/png')))).toBe(PNG)
  })

  // binaryMediaTypes image/png, application/*, image/jpg
  const byAccept: [string, Record<string, string>, string | undefined, boolean][] = [
    ['application/* matches application/whatever', { 'Content-Type': 'application/test' }, 'application/whatever', true],
    ['Accept application/test', { 'Content-Type': 'application/test' }, 'application/test', true],
    ['Accept application/* itself', { 'Content-Type': 'application/test' }, 'application/*', true],
    ['a Content-Type of another binary type does not matter', { 'Content-Type': 'image/png' }, 'image/jpg', true],
    ['a Content-Type matching the wildcard does not matter', { 'Content-Type': 'application/whatever' }, 'image/png', true],
    ['no Content-Type at all', {}, 'image/png', true],
    ['a bad Accept', { 'Content-Type': 'image/png' }, 'application', false],
    ['no Accept (a binary Content-Type does not decode)', { 'Content-Type': 'image/png' }, undefined, false],
  ]
  it.each(byAccept)('%s', async (_, headers, accept, isBinary) => {
    const { gw } = proxyApi(['image/png', 'application/*', 'image/jpg'])
    const res = await gw.handle(post(result(headers), accept))
    if (isBinary) expect(Buffer.from(res.body as Uint8Array)).toEqual(binary)
    else expect(text(res)).toBe(PNG)
  })
})

describe('item 7: a body that is not base64 with isBase64Encoded: true is a 500 (same recording, "bad base64")', () => {
  it.each(['èé+à)(', 'abc$', 'a b c d', 'abcde', 'ab=c', 'YQ===', '-_-_'])('%j → 500, reported to onError', async (body) => {
    const { gw, errors } = proxyApi(['image/png'])
    const res = await gw.handle(
      post({ statusCode: 200, body, isBase64Encoded: true, headers: { 'Content-Type': 'image/png' } }, 'image/png'),
    )
    expect(res.statusCode).toBe(500)
    expect(json(res)).toEqual({ message: 'Internal server error' })
    expect(errors).toHaveLength(1)
    expect(errors[0]![1]).toMatchObject({ stage: 'integration', responseType: 'API_CONFIGURATION_ERROR' })
  })

  it.each(['', 'YQ', 'YQ==', 'YWI=', 'YWJj', 'dGVzdC1kYXRh'])('%j decodes', async (body) => {
    const { gw } = proxyApi(['image/png'])
    const res = await gw.handle(post({ statusCode: 200, body, isBase64Encoded: true }, 'image/png'))
    expect(res.statusCode).toBe(200)
    expect(
      Buffer.from(res.body as Uint8Array)
        .toString('base64')
        .replace(/=+$/, ''),
    ).toBe(body.replace(/=+$/, ''))
  })

  it('an undecoded body (no binary Accept) is not checked: sent as the text it is', async () => {
    const { gw } = proxyApi()
    const res = await gw.handle(post({ statusCode: 200, body: 'èé+à)(', isBase64Encoded: true }))
    expect(res.statusCode).toBe(200)
    expect(text(res)).toBe('èé+à)(')
  })
})

describe('item 5: a REST Lambda proxy integration whose httpMethod is not POST (test_apigateway_lambda.py::test_lambda_aws_proxy_integration_non_post_method, recorded 20-03-2024)', () => {
  it('answers 500 {"message": "Internal server error"} without invoking the function, and tells the operator', async () => {
    let called = 0
    const errors: GatewayErrorInfo[] = []
    const gw = createGateway({
      api: { resources: { '/{proxy+}': { ANY: { integration: { type: 'AWS_PROXY', httpMethod: 'GET', uri: 'f' } } } } },
      functions: { f: async () => (called++, { statusCode: 200 }) },
      onError: (_e, info) => errors.push(info),
    })
    const res = await gw.handle(req('GET', '/test'))
    expect(res.statusCode).toBe(500)
    expect(json(res)).toEqual({ message: 'Internal server error' })
    expect(called).toBe(0)
    expect(errors).toMatchObject([{ stage: 'integration', responseType: 'API_CONFIGURATION_ERROR' }])
  })

  it('POST (any case) invokes', async () => {
    const gw = createGateway({
      api: { resources: { '/a': { GET: { integration: { type: 'AWS_PROXY', httpMethod: 'post', uri: 'f' } } } } },
      functions: { f: async () => ({ statusCode: 201 }) },
    })
    expect((await gw.handle(req('GET', '/a'))).statusCode).toBe(201)
  })
})

describe('item 3: an AWS (custom) Lambda integration with X-Amz-Invocation-Type mapped to Event (test_apigateway_basic.py::test_api_gateway_lambda_asynchronous_invocation, validated 2024-05-29)', () => {
  function asyncApi(fn: LambdaHandler, mapping = "'Event'", onError?: GatewayInput['onError']) {
    return createGateway({
      api: {
        resources: {
          '/wait/{seconds}': {
            ANY: {
              integration: {
                type: 'AWS',
                httpMethod: 'POST',
                uri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:wait/invocations',
                requestParameters: { 'integration.request.header.X-Amz-Invocation-Type': mapping },
                requestTemplates: { 'application/json': '{"seconds": "$input.params(\'seconds\')"}' },
                passthroughBehavior: 'WHEN_NO_TEMPLATES',
                responses: { default: { statusCode: '200' } },
              },
            },
          },
        },
      },
      functions: { wait: fn },
      ...(onError ? { onError } : {}),
    })
  }

  it('answers 200 with an empty body before the function finishes; the function still runs with the event', async () => {
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    const seen: unknown[] = []
    let finished = false
    const gw = asyncApi(async (event) => {
      seen.push(event)
      await gate
      finished = true
      return { waited: true }
    })
    const res = await gw.handle(req('GET', '/wait/3'))
    expect(res.statusCode).toBe(200)
    expect(text(res)).toBe('')
    expect(finished).toBe(false)
    expect(seen).toEqual([{ seconds: '3' }])
    release()
    await gate
    await new Promise((r) => setImmediate(r))
    expect(finished).toBe(true)
  })

  it('a detached function that throws reaches onError, not the client', async () => {
    const errors: unknown[] = []
    const boom = new Error('detached boom')
    const gw = asyncApi(
      async () => {
        throw boom
      },
      "'Event'",
      (e) => errors.push(e),
    )
    expect((await gw.handle(req('GET', '/wait/1'))).statusCode).toBe(200)
    await new Promise((r) => setImmediate(r))
    expect(errors).toEqual([boom])
  })

  it('the invocation type may come from the client through a method request header', async () => {
    let calls = 0
    const gw = asyncApi(async () => (calls++, { ok: 1 }), 'method.request.header.InvocationType')
    const sync = await gw.handle(req('GET', '/wait/1'))
    expect(text(sync)).toBe('{"ok":1}')
    const detached = await gw.handle(req('GET', '/wait/1', { headers: { invocationtype: 'Event' } }))
    expect(text(detached)).toBe('')
    expect(calls).toBe(2)
  })

  it('DryRun answers without running the function', async () => {
    let calls = 0
    const res = await asyncApi(async () => (calls++, {}), "'DryRun'").handle(req('GET', '/wait/1'))
    expect(res.statusCode).toBe(200)
    expect(text(res)).toBe('')
    expect(calls).toBe(0)
  })
})

describe('item 13: extra leading slashes before the stage (low confidence: AWS routed //{stage}/path)', () => {
  it('//prod/test reaches the route as /prod/test does', async () => {
    const { gw } = proxyApi(undefined, { stageInPath: true, stage: 'prod' })
    expect((await gw.handle({ ...post({ statusCode: 202 }), path: '//prod/test' })).statusCode).toBe(202)
    expect((await gw.handle({ ...post({ statusCode: 202 }), path: '/prod/test' })).statusCode).toBe(202)
    expect((await gw.handle({ ...post({ statusCode: 202 }), path: '/prodtest' })).statusCode).toBe(403)
  })
})

describe('item 14: REST Lambda proxy answers carry X-Amzn-Trace-Id (test_apigateway_common.py::TestApiGatewayCommon::test_invocation_trace_id, recorded 07-08-2024)', () => {
  const FULL = 'Root=1-3152b799-8954dae64eda91bc9a23a7e8;Parent=7fa8c0f79203be72;Sampled=1'
  const ROOT = 'Root=1-3152b799-8954dae64eda91bc9a23a7e8'
  const trace = (res: { headers: Record<string, unknown> }) => res.headers['X-Amzn-Trace-Id'] as string

  it('the client’s full trace comes back as it was', async () => {
    const { gw } = proxyApi()
    expect(trace(await gw.handle(req('POST', '/t', { headers: { 'x-amzn-trace-id': FULL }, body: '{"statusCode": 200}' })))).toBe(FULL)
  })

  it('a Root alone is completed with a generated Parent', async () => {
    const { gw } = proxyApi()
    const t = trace(await gw.handle(req('POST', '/t', { headers: { 'x-amzn-trace-id': ROOT }, body: '{"statusCode": 200}' })))
    expect(t.startsWith(`${ROOT};`)).toBe(true)
    expect(t.split(';')[1]).toMatch(/^Parent=[0-9a-f]{16}$/)
    expect(t.split(';')[1]).not.toBe('Parent=7fa8c0f79203be72')
  })

  it('no trace, or one that is not an X-Ray header: a new one, different for each request', async () => {
    const { gw } = proxyApi()
    const a = trace(await gw.handle(req('POST', '/t', { body: '{"statusCode": 200}' })))
    const b = trace(await gw.handle(req('POST', '/t', { headers: { 'x-amzn-trace-id': 'Root=nonsense' }, body: '{"statusCode": 200}' })))
    for (const t of [a, b]) expect(t).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/)
    expect(a).not.toBe(b)
  })

  it('MOCK answers carry none', async () => {
    const gw = createGateway({
      api: {
        resources: { '/m': { GET: { integration: { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } } } } },
      },
    })
    expect((await gw.handle(req('GET', '/m', { headers: { 'x-amzn-trace-id': FULL } }))).headers['X-Amzn-Trace-Id']).toBeUndefined()
  })
})

describe('reserved headers a Lambda proxy function sets (TestApiGatewayHeaderRemapping[AWS_PROXY], recorded 11-12-2024)', () => {
  const set = (headers: Record<string, string>) => JSON.stringify({ statusCode: 200, headers, body: 'ok' })

  it('REST: framing headers are dropped, reserved ones remapped, the rest kept', async () => {
    const { gw } = proxyApi()
    const res = await gw.handle(
      req('POST', '/t', {
        body: set({ 'Transfer-Encoding': 'chunked', Connection: 'close', Server: 'fn', 'Content-Length': '999', 'x-own': '1' }),
      }),
    )
    expect(res.statusCode).toBe(200)
    const names = Object.keys(res.headers).map((h) => h.toLowerCase())
    expect(names).not.toContain('transfer-encoding')
    expect(names).not.toContain('connection')
    expect(names).not.toContain('content-length')
    expect(res.headers['x-amzn-Remapped-Server']).toBe('fn')
    expect(res.headers['x-amzn-Remapped-Content-Length']).toBe('999')
    expect(res.headers['x-own']).toBe('1')
  })

  it('HTTP APIs: hop-by-hop and Content-Length headers never reach the client', async () => {
    const gw = createGateway({
      api: { resources: { '/t': { POST: { integration: { type: 'AWS_PROXY', uri: 'f' } } } } },
      apiType: 'HTTP',
      functions: {
        f: async () => ({ statusCode: 200, headers: { 'transfer-encoding': 'x', Upgrade: 'h2c', 'content-length': '1', etag: '"1"' } }),
      },
    })
    const res = await gw.handle(req('POST', '/t'))
    expect(Object.keys(res.headers).map((h) => h.toLowerCase())).toEqual(
      expect.not.arrayContaining(['transfer-encoding', 'upgrade', 'content-length']),
    )
    expect(res.headers.etag).toBe('"1"')
  })

  it('a header named __proto__ is a header like any other, not a prototype', async () => {
    const { gw } = proxyApi()
    const res = await gw.handle(req('POST', '/t', { body: '{"statusCode": 200, "headers": {"__proto__": "x"}}' }))
    expect(res.statusCode).toBe(200)
    expect(Object.getPrototypeOf(res.headers)).toBe(Object.prototype)
    expect(Object.hasOwn(res.headers, '__proto__')).toBe(true)
  })

  it.each(['Content-Length', 'Transfer-Encoding', 'Authorization', 'Connection', 'Expect', 'Proxy-Authenticate', 'TE'])(
    'REST: mapping integration.request.header.%s answers 500 and tells the operator',
    async (name) => {
      const errors: GatewayErrorInfo[] = []
      let called = 0
      const gw = createGateway({
        api: {
          resources: {
            '/a': {
              GET: {
                integration: { type: 'AWS_PROXY', uri: 'f', requestParameters: { [`integration.request.header.${name}`]: "'x'" } },
              },
            },
          },
        },
        functions: { f: async () => (called++, { statusCode: 200 }) },
        onError: (_e, info) => errors.push(info),
      })
      const res = await gw.handle(req('GET', '/a'))
      expect(res.statusCode).toBe(500)
      expect(called).toBe(0)
      expect(errors).toMatchObject([{ stage: 'integration' }])
    },
  )
})
