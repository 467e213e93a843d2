/**
 * Execution-log lines compared with API Gateway's documented examples, line by line and in order.
 * Sources:
 * - https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-execution-logging.html (levels, redaction,
 *   1 KB truncation)
 * - https://repost.aws/knowledge-center/api-gateway-logs ("Starting authorizer: 62mgrc for request: …",
 *   "Successfully completed authorizer execution", "Unauthorized request: …", "Verifying Usage Plan for request: …",
 *   "API Key authorized because method 'GET /' does not require API Key. …", "Usage Plan check succeeded for …",
 *   "API Key not authorized because method 'GET /' requires API Key and API Key is not associated with a Usage Plan
 *   for API Stage …: API Key was required but not present")
 * - https://repost.aws/knowledge-center/malformed-502-api-gateway ("Execution failed due to configuration error:",
 *   "Lambda execution failed with status 200 due to customer function error: … Lambda request id: …",
 *   "Method completed with status: 502")
 * - A console test-invoke log of a Lambda proxy method quoted in a public question (Starting execution … Method
 *   completed with status: 200, incl. "Execution failed due to configuration error: Malformed Lambda proxy response")
 *   and AWS's TestInvokeMethod sample output (aws-samples / awsdocs): "HTTP Method: POST, Resource Path: /…",
 *   "Endpoint request URI: https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/<arn>/invocations",
 *   "Received response. Status: 200, Integration latency: 241 ms", "Successfully completed execution".
 * The cache line ("Sending response from cache") has no AWS example found; it is gatehouse's wording.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EVERY_METHOD } from '@gatehousejs/core'
import { fnUri, logged, recorder } from './helpers'

const LAMBDA_URI =
  'https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:getPet/invocations'
type Expected = string | RegExp

function expectLines(actual: string[], expected: Expected[]): void {
  expect(actual).toHaveLength(expected.length)
  expected.forEach((e, i) => {
    if (typeof e === 'string') expect(actual[i], `line ${i}`).toBe(e)
    else expect(actual[i], `line ${i}`).toMatch(e)
  })
}

/** The lines every method request writes before its integration, in AWS's order. */
const methodRequest = (method: string, path: string, resource: string, id = 'req-1'): Expected[] => [
  /^Extended Request Id: [A-Za-z0-9]{16}$/,
  `Verifying Usage Plan for request: ${id}. API Key: API Stage: abc123/prod`,
  `API Key authorized because method '${method} ${resource}' does not require API Key. Request will not contribute to throttle or quota limits`,
  'Usage Plan check succeeded for API Key and API Stage abc123/prod',
  `Starting execution for request: ${id}`,
  `HTTP Method: ${method}, Resource Path: ${path}`,
]

describe('a Lambda proxy route, INFO with data trace', () => {
  it('writes the documented lines in order, each prefixed (requestId) and carrying requestId, stage, routeKey', async () => {
    const log = recorder()
    const gw = logged({
      api: { resources: { '/pets/{id}': { GET: { integration: { type: 'AWS_PROXY', uri: fnUri('getPet') } } } } },
      functions: {
        getPet: async (e: any) => ({
          statusCode: 200,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ id: e.pathParameters.id }),
        }),
      },
      logger: log.logger,
    })
    const res = await gw.handle({ method: 'GET', path: '/pets/7', query: 'tag=a&tag=b', headers: { accept: 'application/json' } })
    expect(res.statusCode).toBe(200)
    expectLines(log.messages(), [
      ...methodRequest('GET', '/pets/7', '/pets/{id}'),
      'Method request path: {id=7}',
      'Method request query string: {tag=[a, b]}',
      'Method request headers: {accept=application/json}',
      'Method request body before transformations: ',
      `Endpoint request URI: ${LAMBDA_URI}`,
      'Endpoint request headers: {x-amzn-lambda-integration-tag=req-1}',
      /^Endpoint request body after transformations: \{"resource":"\/pets\/\{id\}","path":"\/pets\/7","httpMethod":"GET"/,
      `Sending request to ${LAMBDA_URI}`,
      /^Received response\. Status: 200, Integration latency: \d+ ms$/,
      'Endpoint response headers: {Content-Type=application/json}',
      'Endpoint response body before transformations: {"statusCode":200,"headers":{"content-type":"application/json"},"body":"{\\"id\\":\\"7\\"}"}',
      'Method response body after transformations: {"id":"7"}',
      /^Method response headers: \{content-type=application\/json, .*x-amzn-RequestId=req-1/,
      'Successfully completed execution',
      'Method completed with status: 200',
    ])
    for (const call of log.calls) {
      expect(call.msg.startsWith('(req-1) ')).toBe(true)
      expect(call.fields).toMatchObject({ requestId: 'req-1', stage: 'prod', routeKey: 'GET /pets/{id}', apiId: 'abc123' })
    }
    expect(new Set(log.calls.map((c) => c.level))).toEqual(new Set(['info']))
  })

  it('without data trace, INFO writes the events but none of the data lines', async () => {
    const log = recorder()
    const gw = logged(
      {
        api: { resources: { '/pets/{id}': { GET: { integration: { type: 'AWS_PROXY', uri: fnUri('getPet') } } } } },
        functions: { getPet: async () => ({ statusCode: 200, body: 'ok' }) },
        logger: log.logger,
      },
      'INFO',
      false,
    )
    await gw.handle({ method: 'GET', path: '/pets/7', headers: {} })
    expectLines(log.messages(), [
      ...methodRequest('GET', '/pets/7', '/pets/{id}'),
      `Endpoint request URI: ${LAMBDA_URI}`,
      `Sending request to ${LAMBDA_URI}`,
      /^Received response\. Status: 200, Integration latency: \d+ ms$/,
      'Successfully completed execution',
      'Method completed with status: 200',
    ])
  })

  it('a function that throws: the Lambda failure line, then status 502 (no method response lines)', async () => {
    const log = recorder()
    const gw = logged({
      api: { resources: { '/pets/{id}': { GET: { integration: { type: 'AWS_PROXY', uri: fnUri('getPet') } } } } },
      functions: {
        getPet: async () => {
          throw new Error('Permission denied')
        },
      },
      logger: log.logger,
    })
    expect((await gw.handle({ method: 'GET', path: '/pets/7', headers: {} })).statusCode).toBe(502)
    const lines = log.messages()
    expect(lines.slice(-4)).toEqual([
      'Endpoint response headers: {Content-Type=application/json, X-Amz-Function-Error=Unhandled}',
      'Endpoint response body before transformations: {"errorType":"Error","errorMessage":"Permission denied"}',
      'Lambda execution failed with status 200 due to customer function error: Permission denied. Lambda request id: req-1',
      'Method completed with status: 502',
    ])
    expect(log.calls.at(-2)!.level).toBe('error')
  })

  it('a malformed proxy result: "Execution failed due to configuration error: Malformed Lambda proxy response"', async () => {
    const log = recorder()
    const gw = logged({
      api: { resources: { '/x': { GET: { integration: { type: 'AWS_PROXY', uri: fnUri('text') } } } } },
      functions: { text: async () => 'hello from some_text_handler' },
      logger: log.logger,
    })
    await gw.handle({ method: 'GET', path: '/x', headers: {} })
    expect(log.messages().slice(-3)).toEqual([
      'Endpoint response body before transformations: "hello from some_text_handler"',
      'Execution failed due to configuration error: Malformed Lambda proxy response',
      'Method completed with status: 502',
    ])
  })
})

describe('a Lambda custom integration with mapping templates', () => {
  it('logs the body after the request template and the body after the response template', async () => {
    const log = recorder()
    const gw = logged({
      api: {
        resources: {
          '/pets': {
            POST: {
              integration: {
                type: 'AWS',
                httpMethod: 'POST',
                uri: fnUri('addPet'),
                requestTemplates: { 'application/json': '{"name": $input.json(\'$.name\'), "by": "$context.requestId"}' },
                responses: {
                  default: { statusCode: '201', responseTemplates: { 'application/json': '{"created": $input.json(\'$.id\')}' } },
                },
              },
            },
          },
        },
      },
      functions: { addPet: async (e: any) => ({ id: `pet-${e.name}` }) },
      logger: log.logger,
    })
    const res = await gw.handle({ method: 'POST', path: '/pets', headers: { 'content-type': 'application/json' }, body: '{"name":"Rex"}' })
    expect(res.statusCode).toBe(201)
    const addPet = LAMBDA_URI.replace('getPet', 'addPet')
    expectLines(log.messages(), [
      ...methodRequest('POST', '/pets', '/pets'),
      'Method request path: {}',
      'Method request query string: {}',
      'Method request headers: {content-type=application/json}',
      'Method request body before transformations: {"name":"Rex"}',
      `Endpoint request URI: ${addPet}`,
      'Endpoint request headers: {x-amzn-lambda-integration-tag=req-1}',
      'Endpoint request body after transformations: {"name":"Rex","by":"req-1"}',
      `Sending request to ${addPet}`,
      /^Received response\. Status: 200, Integration latency: \d+ ms$/,
      'Endpoint response headers: {Content-Type=application/json}',
      'Endpoint response body before transformations: {"id":"pet-Rex"}',
      'Method response body after transformations: {"created": "pet-Rex"}',
      /^Method response headers: \{/,
      'Successfully completed execution',
      'Method completed with status: 201',
    ])
  })
})

describe('an HTTP integration', () => {
  let server: Server
  let port = 0
  beforeAll(async () => {
    server = createServer((req, res) => {
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify({ url: req.url }))
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    port = (server.address() as AddressInfo).port
  })
  afterAll(() => new Promise<void>((r) => server.close(() => r())))

  it('logs the backend URI, the request sent, the answer and its latency', async () => {
    const log = recorder()
    const gw = logged({
      api: {
        resources: {
          '/pets/{id}': {
            GET: {
              integration: {
                type: 'HTTP_PROXY',
                httpMethod: 'GET',
                uri: `http://127.0.0.1:${port}/backend/{id}`,
                requestParameters: { 'integration.request.path.id': 'method.request.path.id' },
              },
            },
          },
        },
      },
      logger: log.logger,
    })
    expect((await gw.handle({ method: 'GET', path: '/pets/3', headers: {} })).statusCode).toBe(200)
    const uri = `http://127.0.0.1:${port}/backend/3`
    const lines = log.messages()
    const from = lines.indexOf(`Endpoint request URI: ${uri}`)
    expect(from).toBeGreaterThan(0)
    expectLines(lines.slice(from), [
      `Endpoint request URI: ${uri}`,
      /^Endpoint request headers: \{/,
      'Endpoint request body after transformations: ',
      `Sending request to ${uri}`,
      /^Received response\. Status: 200, Integration latency: \d+ ms$/,
      /^Endpoint response headers: \{.*content-type=application\/json/,
      'Endpoint response body before transformations: {"url":"/backend/3"}',
      'Method response body after transformations: {"url":"/backend/3"}',
      /^Method response headers: \{/,
      'Successfully completed execution',
      'Method completed with status: 200',
    ])
  })
})

describe('an API key and usage plan route', () => {
  const KEY = 'abcdefghij0123456789WXYZ'
  const gateway = (logger: ReturnType<typeof recorder>['logger']) =>
    logged({
      api: { resources: { '/pets': { GET: { apiKeyRequired: true, integration: { type: 'AWS_PROXY', uri: fnUri('list') } } } } },
      functions: { list: async () => ({ statusCode: 200, body: '[]' }) },
      apiKeys: [{ id: 'k1', value: KEY }],
      usagePlans: [{ id: 'gold', apiStages: [{ apiId: 'abc123', stage: 'prod' }], keys: ['k1'] }],
      logger,
    })

  it('a valid key: the usage plan lines with the key masked to its last characters', async () => {
    const log = recorder()
    expect((await gateway(log.logger).handle({ method: 'GET', path: '/pets', headers: { 'x-api-key': KEY } })).statusCode).toBe(200)
    const masked = `${'*'.repeat(KEY.length - 4)}WXYZ`
    expect(log.messages().slice(1, 4)).toEqual([
      `Verifying Usage Plan for request: req-1. API Key: ${masked} API Stage: abc123/prod`,
      `Usage Plan check succeeded for API Key ${masked} and API Stage abc123/prod`,
      'Starting execution for request: req-1',
    ])
  })

  it('no key: "API Key not authorized because … API Key was required but not present", 403', async () => {
    const log = recorder()
    expect((await gateway(log.logger).handle({ method: 'GET', path: '/pets', headers: {} })).statusCode).toBe(403)
    expectLines(log.messages(), [
      /^Extended Request Id: /,
      'Verifying Usage Plan for request: req-1. API Key: API Stage: abc123/prod',
      "API Key not authorized because method 'GET /pets' requires API Key and API Key is not associated with a Usage Plan for API Stage abc123/prod: API Key was required but not present",
      'Method completed with status: 403',
    ])
  })
})

describe('a Lambda authorizer route', () => {
  const gateway = (logger: ReturnType<typeof recorder>['logger']) =>
    logged({
      api: {
        authorizers: { auth62: { type: 'TOKEN', authorizerUri: fnUri('authFn') } },
        resources: {
          '/': { GET: { authorizationType: 'CUSTOM', authorizer: 'auth62', integration: { type: 'AWS_PROXY', uri: fnUri('root') } } },
        },
      },
      functions: {
        authFn: async (event: any) => {
          if (event.authorizationToken !== 'allow-token') throw new Error('Unauthorized')
          return {
            principalId: 'user',
            policyDocument: {
              Version: '2012-10-17',
              Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }],
            },
          }
        },
        root: async () => ({ statusCode: 200, body: 'hi' }),
      },
      logger,
    })

  it('authorized: the authorizer lines, then the usage plan', async () => {
    const log = recorder()
    expect((await gateway(log.logger).handle({ method: 'GET', path: '/', headers: { authorization: 'allow-token' } })).statusCode).toBe(200)
    expect(log.messages().slice(0, 4)).toEqual([
      expect.stringMatching(/^Extended Request Id: /),
      'Starting authorizer: auth62 for request: req-1',
      'Successfully completed authorizer execution',
      'Verifying Usage Plan for request: req-1. API Key: API Stage: abc123/prod',
    ])
  })

  it('unauthorized: "Unauthorized request: <id>", 401', async () => {
    const log = recorder()
    expect((await gateway(log.logger).handle({ method: 'GET', path: '/', headers: { authorization: 'nope-token' } })).statusCode).toBe(401)
    expectLines(log.messages(), [
      /^Extended Request Id: /,
      'Starting authorizer: auth62 for request: req-1',
      'Unauthorized request: req-1',
      'Method completed with status: 401',
    ])
  })
})

describe('a stage-cache hit', () => {
  it('answers from the cache: no endpoint lines', async () => {
    const log = recorder()
    let calls = 0
    const gw = logged({
      api: { resources: { '/pets': { GET: { integration: { type: 'AWS_PROXY', uri: fnUri('list') } } } } },
      functions: { list: async () => ({ statusCode: 200, body: JSON.stringify({ calls: ++calls }) }) },
      stage: { cacheClusterEnabled: true },
      logger: log.logger,
    })
    await gw.handle({ method: 'GET', path: '/pets', headers: {} })
    log.calls.length = 0
    expect((await gw.handle({ method: 'GET', path: '/pets', headers: {} })).body).toBe('{"calls":1}')
    const lines = log.messages()
    expect(lines.some((l) => l.startsWith('Endpoint request'))).toBe(false)
    expect(lines.slice(-5)).toEqual([
      'Sending response from cache',
      'Method response body after transformations: {"calls":1}',
      expect.stringMatching(/^Method response headers: /),
      'Successfully completed execution',
      'Method completed with status: 200',
    ])
  })
})

describe('a request body the model refuses', () => {
  it('"Request body does not match model schema for content type …", then status 400', async () => {
    const log = recorder()
    const gw = logged({
      api: {
        requestValidators: { body: { validateRequestBody: true } },
        models: { Pet: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } },
        resources: {
          '/pets': {
            POST: {
              requestValidator: 'body',
              requestModels: { 'application/json': 'Pet' },
              integration: { type: 'AWS_PROXY', uri: fnUri('add') },
            },
          },
        },
      },
      functions: { add: async () => ({ statusCode: 201, body: '' }) },
      logger: log.logger,
    })
    const res = await gw.handle({ method: 'POST', path: '/pets', headers: { 'content-type': 'application/json' }, body: '{}' })
    expect(res.statusCode).toBe(400)
    const lines = log.messages()
    expect(lines.slice(-2)[0]).toMatch(/^Request body does not match model schema for content type application\/json: \[.*name.*\]$/)
    expect(lines.at(-1)).toBe('Method completed with status: 400')
    expect(lines.some((l) => l.startsWith('Endpoint request'))).toBe(false)
  })
})

describe('levels', () => {
  const api = {
    resources: {
      '/ok': { GET: { integration: { type: 'AWS_PROXY' as const, uri: fnUri('ok') } } },
      '/bad': { GET: { integration: { type: 'AWS_PROXY' as const, uri: fnUri('bad') } } },
    },
  }
  const functions = {
    ok: async () => ({ statusCode: 200, body: 'ok' }),
    bad: async () => {
      throw new Error('boom')
    },
  }

  it('ERROR writes only the failure lines', async () => {
    const log = recorder()
    const gw = logged({ api, functions, logger: log.logger }, 'ERROR', true)
    await gw.handle({ method: 'GET', path: '/ok', headers: {} })
    expect(log.calls).toEqual([])
    await gw.handle({ method: 'GET', path: '/bad', headers: {} })
    expect(log.calls.map((c) => [c.level, c.msg])).toEqual([
      ['error', '(req-2) Lambda execution failed with status 200 due to customer function error: boom. Lambda request id: req-2'],
      ['error', '(req-2) Method completed with status: 502'],
    ])
  })

  it('OFF (or no loggingLevel): the logger is never called', async () => {
    for (const gw of [
      (l: any) => logged({ api, functions, logger: l }, 'OFF', true),
      (l: any) => logged({ api, functions, logger: l, stage: { methodSettings: {} } }),
    ]) {
      const log = recorder()
      const g = gw(log.logger)
      await g.handle({ method: 'GET', path: '/ok', headers: {} })
      await g.handle({ method: 'GET', path: '/bad', headers: {} })
      expect(log.calls).toEqual([])
    }
  })

  it('a method setting overrides the stage-wide one, field by field', async () => {
    const log = recorder()
    const gw = logged({
      api,
      functions,
      logger: log.logger,
      stage: { methodSettings: { [EVERY_METHOD]: { loggingLevel: 'OFF', dataTraceEnabled: true }, '/ok/GET': { loggingLevel: 'INFO' } } },
    })
    await gw.handle({ method: 'GET', path: '/bad', headers: {} })
    expect(log.calls).toEqual([])
    await gw.handle({ method: 'GET', path: '/ok', headers: {} })
    expect(log.messages()).toContain('Method request body before transformations: ')
    expect(log.messages().at(-1)).toBe('Method completed with status: 200')
  })

  it('a logger that throws: the request is answered, onError hears of it once', async () => {
    const errors: unknown[] = []
    const broken = new Error('log sink down')
    const throwing = () => {
      throw broken
    }
    const gw = logged({ api, functions, logger: { info: throwing, warn: throwing, error: throwing }, onError: (e) => errors.push(e) })
    const res = await gw.handle({ method: 'GET', path: '/ok', headers: {} })
    expect(res.statusCode).toBe(200)
    expect(res.body).toBe('ok')
    expect(errors).toEqual([broken])
  })

  it('refuses a loggingLevel API Gateway does not know', () => {
    expect(() => logged({ api, functions }, 'DEBUG' as never)).toThrow(/loggingLevel must be OFF, ERROR or INFO/)
  })
})
