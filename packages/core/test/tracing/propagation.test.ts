// The request's trace, passed on: HTTP backends get X-Amzn-Trace-Id (recorded: localstack's test_apigateway_http.py
// forwarded headers, and the HTTP integration's "X-Amzn-Trace-Id" in test_apigateway_integrations.snapshot.json), the
// client's W3C trace context only when it parses, the Lambda proxy answer the same trace, and `$context.xrayTraceId`
// is the trace's Root on stages with tracingEnabled (`-` without).
// A Lambda proxy event carries the trace in its headers (recorded: the X-Amzn-Trace-Id of localstack's
// test_lambda_aws_proxy event snapshot; the developer guide's payload 1.0 example event).
// https://docs.aws.amazon.com/xray/latest/devguide/xray-services-apigateway.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-variables-for-access-logging.html
// https://www.w3.org/TR/trace-context/
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createGateway } from '@gatehousejs/core'
import { afterEach, describe, expect, it } from 'vitest'

let server: Server | undefined
afterEach(() => server?.close())

async function backend(seen: IncomingHttpHeaders[]): Promise<string> {
  server = createServer((req, res) => {
    seen.push(req.headers)
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
  })
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

const ROOT = 'Root=1-5759e988-bd862e3fe1be46a994272793'
const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'

function api(url: string) {
  return {
    openapi: '3.0.1',
    info: { title: 'traced', version: '1' },
    paths: {
      '/proxy': { get: { 'x-amazon-apigateway-integration': { type: 'http_proxy', httpMethod: 'GET', uri: `${url}/p` } } },
      '/plain': {
        get: {
          responses: { '200': { description: 'ok' } },
          'x-amazon-apigateway-integration': {
            type: 'http',
            httpMethod: 'GET',
            uri: `${url}/h`,
            responses: { default: { statusCode: '200' } },
          },
        },
      },
      '/fn': { get: { 'x-amazon-apigateway-integration': { type: 'aws_proxy', httpMethod: 'POST', uri: 'fn' } } },
    },
  }
}

describe('trace propagation', () => {
  it('HTTP_PROXY and HTTP backends get the completed X-Amzn-Trace-Id and a valid traceparent / tracestate', async () => {
    const seen: IncomingHttpHeaders[] = []
    const gw = createGateway({ api: api(await backend(seen)), functions: { fn: async () => ({}) }, onWarning: () => {} })
    const headers = { 'x-amzn-trace-id': ROOT, traceparent: TRACEPARENT, tracestate: 'rojo=00f067aa0ba902b7' }
    await gw.handle({ method: 'GET', path: '/proxy', headers })
    await gw.handle({ method: 'GET', path: '/plain', headers })
    for (const h of seen) {
      expect(h['x-amzn-trace-id']).toMatch(new RegExp(`^${ROOT};Parent=[0-9a-f]{16};Sampled=0$`))
      expect([h.traceparent, h.tracestate]).toEqual([TRACEPARENT, 'rojo=00f067aa0ba902b7'])
    }
  })

  it('a malformed client traceparent is not passed on; a trace is made when the client sent none', async () => {
    const seen: IncomingHttpHeaders[] = []
    const gw = createGateway({ api: api(await backend(seen)), functions: { fn: async () => ({}) }, onWarning: () => {} })
    await gw.handle({ method: 'GET', path: '/proxy', headers: { traceparent: 'zz-evil\r\nx: 1', tracestate: 'a=b' } })
    expect(seen[0]!.traceparent).toBeUndefined()
    expect(seen[0]!.tracestate).toBeUndefined()
    expect(seen[0]!['x-amzn-trace-id']).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/)
  })

  it('the Lambda proxy answer and the access log agree on the trace; xrayTraceId only with tracingEnabled', async () => {
    for (const tracingEnabled of [true, false]) {
      const lines: string[] = []
      const gw = createGateway({
        api: api('http://127.0.0.1:9'),
        functions: { fn: async () => ({ statusCode: 200, body: 'ok' }) },
        stage: { stageName: 'prod', tracingEnabled, accessLogSettings: { format: '$context.requestId $context.xrayTraceId' } },
        accessLog: { destination: (line: string) => lines.push(line) },
        onWarning: () => {},
      })
      const res = await gw.handle({ method: 'GET', path: '/fn', headers: {} })
      await new Promise((r) => setImmediate(r))
      const answered = String(res.headers['X-Amzn-Trace-Id'])
      const root = /^Root=(1-[0-9a-f]{8}-[0-9a-f]{24});/.exec(answered)![1]
      expect(lines.join('').trim().split(' ')[1]).toBe(tracingEnabled ? root : '-')
    }
  })

  it('a Lambda proxy function sees the trace in its event, the client’s completed: payload 1.0 and 2.0', async () => {
    const seen: Record<string, string>[] = []
    const fn = async (event: { headers: Record<string, string> }) => {
      seen.push(event.headers)
      return { statusCode: 200, body: 'ok' }
    }
    const rest = createGateway({ api: api('http://127.0.0.1:9'), functions: { fn }, onWarning: () => {} })
    const restAnswer = await rest.handle({ method: 'GET', path: '/fn', headers: { 'x-amzn-trace-id': ROOT } })
    const http = createGateway({
      apiType: 'HTTP',
      api: {
        openapi: '3.0.1',
        info: { title: 'traced', version: '1' },
        'x-amazon-apigateway-importexport-version': '1.0',
        paths: {
          '/fn': {
            get: { 'x-amazon-apigateway-integration': { type: 'aws_proxy', httpMethod: 'POST', uri: 'fn', payloadFormatVersion: '2.0' } },
          },
        },
      },
      functions: { fn },
      onWarning: () => {},
    })
    await http.handle({ method: 'GET', path: '/fn', headers: {} })
    // REST: one header in API Gateway's capitalisation, the same trace the answer carries; the client's copy is replaced.
    expect(seen[0]!['X-Amzn-Trace-Id']).toBe(restAnswer.headers['X-Amzn-Trace-Id'])
    expect(seen[0]!['X-Amzn-Trace-Id']).toMatch(new RegExp(`^${ROOT};Parent=[0-9a-f]{16};Sampled=0$`))
    expect(Object.keys(seen[0]!).filter((n) => n.toLowerCase() === 'x-amzn-trace-id')).toHaveLength(1)
    // HTTP APIs: lower-case names; a trace is made when the client sent none.
    expect(seen[1]!['x-amzn-trace-id']).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/)
  })
})
