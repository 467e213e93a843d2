/**
 * `gatehouse routes`, `validate` and `invoke` (issue #19), tested through their functions, and once each through
 * the spawned CLI (exit codes, output). AWS behaviour relied on:
 * - TestInvokeMethod runs one request through a method without a deployment or a socket and reports status,
 *   headers, body and latency: https://docs.aws.amazon.com/apigateway/latest/api/API_TestInvokeMethod.html
 * - Import warnings and errors (`failonwarnings`):
 *   https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-import-api.html
 * - Stage method settings (throttling, caching) and route settings:
 *   https://docs.aws.amazon.com/apigateway/latest/api/API_MethodSetting.html,
 *   https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-caching.html
 * - SAM `AWS::Serverless::Api` `MethodSettings`, `CacheClusterEnabled`:
 *   https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-api.html
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { invoke, invokeCommand, routesCommand, toGatewayRequest, validateCommand, validateFile } from '../src/commands'
import { routeRows } from '../src/routes'
import { buildApis } from '../src/build'
import { runCli, stopAll } from './cli-process'

afterAll(stopAll)

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-commands-'))
const PETSTORE = 'examples/petstore/openapi.json'
const HANDLERS = 'examples/petstore/handlers.ts'
const HTTP_API = 'packages/cli/test/fixtures/http-api.yaml'

function capture() {
  const lines: string[] = []
  const errors: string[] = []
  return { io: { out: (l: string) => lines.push(l), err: (l: string) => errors.push(l) }, lines, errors }
}

const template = join(dir, 'template.yaml')
writeFileSync(
  template,
  `Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: live
      CacheClusterEnabled: true
      CacheClusterSize: '0.5'
      MethodSettings:
        - ResourcePath: /items
          HttpMethod: GET
          ThrottlingRateLimit: 5
          ThrottlingBurstLimit: 10
          CachingEnabled: true
          CacheTtlInSeconds: 60
        - ResourcePath: /items/{id}
          HttpMethod: '*'
          CachingEnabled: false
      DefinitionBody:
        openapi: 3.0.1
        info: { title: items, version: '1' }
        paths:
          /items:
            get:
              x-amazon-apigateway-integration:
                type: mock
                requestTemplates: { application/json: '{"statusCode": 200}' }
                responses: { default: { statusCode: '200', responseTemplates: { application/json: '{"items":[]}' } } }
          /items/{id}:
            get:
              security: [{ api_key: [] }]
              x-amazon-apigateway-integration:
                type: mock
                requestTemplates: { application/json: '{"statusCode": 200}' }
                responses: { default: { statusCode: '200' } }
        components:
          securitySchemes:
            api_key: { type: apiKey, name: x-api-key, in: header }
`,
)

describe('gatehouse routes', () => {
  it('lists route key, integration and target, authorizer, key, throttle and cache', async () => {
    const built = await buildApis({ file: template, stubFunctions: true })
    const api = built.apis[0]
    if (!api) throw new Error('no API')
    expect(routeRows(api.gateway, api.stage)).toEqual([
      {
        routeKey: 'GET /items',
        method: 'GET',
        path: '/items',
        integration: 'MOCK',
        target: '',
        authorizer: '',
        apiKeyRequired: false,
        throttle: 'rate 5/s burst 10',
        cache: 'ttl 60s',
      },
      {
        routeKey: 'GET /items/{id}',
        method: 'GET',
        path: '/items/{id}',
        integration: 'MOCK',
        target: '',
        authorizer: '',
        apiKeyRequired: true,
        throttle: '',
        cache: '',
      },
    ])
    const { io, lines } = capture()
    expect(await routesCommand({ file: template }, io)).toBe(0)
    expect(lines[0]).toBe('Api (REST, stage live)')
    expect(lines[1]).toMatch(/^ {2}GET\s+\/items\s+MOCK\s+throttle rate 5\/s burst 10\s+cache ttl 60s$/)
    expect(lines[2]).toMatch(/^ {2}GET\s+\/items\/\{id\}\s+MOCK\s+key required$/)
  })

  it('--json for machines; Lambda targets by function name, HTTP API route keys', async () => {
    const { io, lines } = capture()
    expect(await routesCommand({ file: HTTP_API, json: true }, io)).toBe(0)
    const parsed = JSON.parse(lines.join('\n')) as {
      apis: { apiType: string; stage: string; routes: { routeKey: string; target: string }[] }[]
    }
    expect(parsed.apis[0]?.apiType).toBe('HTTP')
    expect(parsed.apis[0]?.stage).toBe('$default')
    expect(parsed.apis[0]?.routes.map((r) => [r.routeKey, r.target])).toEqual(
      expect.arrayContaining([
        ['GET /notes/{id}', 'getNote'],
        ['POST /notes', 'createNote'],
      ]),
    )
  })
})

describe('gatehouse validate', () => {
  const broken = join(dir, 'broken.json')
  writeFileSync(
    broken,
    JSON.stringify({
      openapi: '3.0.1',
      info: { title: 'broken', version: '1' },
      paths: { '/a': { get: { 'x-amazon-apigateway-integration': { type: 'lambda_magic', uri: 'x' } } }, '/b': { get: {} } },
    }),
  )
  const warned = join(dir, 'warned.json')
  writeFileSync(
    warned,
    JSON.stringify({
      openapi: '3.0.1',
      info: { title: 'warned', version: '1' },
      paths: { '/b': { get: {} }, '/c': { get: { 'x-amazon-apigateway-integration': { type: 'mock' }, 'x-amazon-apigateway-bogus': 1 } } },
    }),
  )

  it('reports an error with its JSON pointer and code; exit code 1', async () => {
    const problems = await validateFile({ file: broken })
    expect(problems).toContainEqual({
      severity: 'error',
      api: 'broken.json',
      pointer: '/paths/~1a/get/x-amazon-apigateway-integration/type',
      code: 'INVALID_DEFINITION',
      message: 'unknown integration type "lambda_magic"',
    })
    const { io, lines } = capture()
    expect(await validateCommand({ file: broken }, io)).toBe(1)
    expect(lines.at(-1)).toMatch(/broken\.json: 1 error, \d+ warnings?$/)
  })

  it('lists every warning with its pointer; exit 0, or 1 with --strict', async () => {
    const problems = await validateFile({ file: warned })
    expect(problems.every((p) => p.severity === 'warning')).toBe(true)
    expect(problems).toContainEqual(expect.objectContaining({ pointer: '/paths/~1b/get', code: 'NO_INTEGRATION' }))
    expect(problems).toContainEqual(
      expect.objectContaining({ pointer: '/paths/~1c/get/x-amazon-apigateway-bogus', code: 'UNSUPPORTED_EXTENSION' }),
    )
    expect(await validateCommand({ file: warned }, capture().io)).toBe(0)
    const { io, lines } = capture()
    expect(await validateCommand({ file: warned, strict: true, json: true }, io)).toBe(1)
    const report = JSON.parse(lines.join('\n')) as { valid: boolean; errors: number; warnings: number }
    expect(report).toMatchObject({ valid: false, errors: 0, warnings: problems.length })
  })

  it('a clean definition passes --strict; a file that is no definition is an error', async () => {
    expect(await validateCommand({ file: template, strict: true }, capture().io)).toBe(0)
    const notOne = join(dir, 'nothing.yaml')
    writeFileSync(notOne, 'hello: world\n')
    const problems = await validateFile({ file: notOne })
    expect(problems).toHaveLength(1)
    expect(problems[0]?.message).toMatch(/not an OpenAPI 3 \/ Swagger 2 document/)
  })
})

describe('gatehouse invoke', () => {
  it('builds the request: headers lower-cased and repeated, query encoded, body from @file', () => {
    const bodyFile = join(dir, 'body.json')
    writeFileSync(bodyFile, '{"name":"Rex"}')
    const req = toGatewayRequest({
      method: 'post',
      path: '/pets?x=1',
      headers: ['Content-Type: application/json', 'X-A:1', 'x-a:2'],
      query: ['type=dog cat', 'n=1'],
      body: `@${bodyFile}`,
    })
    expect(req).toMatchObject({
      method: 'POST',
      path: '/pets',
      query: 'x=1&type=dog%20cat&n=1',
      headers: { 'content-type': 'application/json', 'x-a': ['1', '2'] },
    })
    expect(Buffer.from(req.body as Uint8Array).toString()).toBe('{"name":"Rex"}')
    expect(() => toGatewayRequest({ method: 'GET', path: '/a', headers: ['nocolon'] })).toThrow(/name:value/)
    expect(() => toGatewayRequest({ method: 'GET', path: 'a' })).toThrow(/must start with/)
  })

  it('runs one request through the gateway without a socket: status, headers, body, latency', async () => {
    const options = { file: PETSTORE, functions: HANDLERS, stageVariables: { inventoryUrl: 'http://127.0.0.1:9' } }
    const { response, latencyMs, log } = await invoke(options, { method: 'GET', path: '/pets', query: ['type=cat'] })
    expect(response.statusCode).toBe(200)
    // The execution log of that one request, as TestInvokeMethod's `log`: data traced.
    const id = log[0]?.slice(1, 37)
    expect(log.every((l) => l.startsWith(`(${id}) `))).toBe(true)
    expect(log).toContain(`(${id}) Method request query string: {type=cat}`)
    expect(log.at(-1)).toBe(`(${id}) Method completed with status: 200`)
    expect(JSON.parse(String(response.body))).toEqual([{ id: '2', name: 'Tom', type: 'cat' }])
    expect(latencyMs).toBeGreaterThanOrEqual(0)
    const { io, lines, errors } = capture()
    const code = await invokeCommand(options, { method: 'POST', path: '/pets', body: '{"name":"Kit","type":"cat"}' }, io)
    expect(code).toBe(0)
    expect(lines[0]).toMatch(/^201 \(\d+\.\d ms\)$/)
    expect(lines).toContain('Content-Type: application/json')
    expect(JSON.parse(lines.at(-1) as string)).toMatchObject({ name: 'Kit', type: 'cat' })
    expect(errors.at(-1)).toMatch(/Method completed with status: 201$/)
  })

  it('exit code 1 for a 4xx / 5xx answer (a missing route: 403 on REST)', async () => {
    const { io, lines } = capture()
    const code = await invokeCommand(
      { file: PETSTORE, functions: HANDLERS, stageVariables: { inventoryUrl: 'http://127.0.0.1:9' } },
      { method: 'GET', path: '/nope' },
      io,
    )
    expect(code).toBe(1)
    expect(lines[0]).toMatch(/^403 /)
    // The petstore's DEFAULT_4XX gateway response adds the request id.
    expect(JSON.parse(lines.at(-1) as string)).toMatchObject({ message: 'Missing Authentication Token' })
  })
})

describe('the spawned CLI, once per command', () => {
  it('gatehouse routes', async () => {
    const r = await runCli(['routes', HTTP_API])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(
      /^http-api\.yaml \(HTTP, stage \$default\)\n\s+POST\s+\/notes\s+AWS_PROXY createNote\n\s+GET\s+\/notes\/\{id\}\s+AWS_PROXY getNote\n$/,
    )
  })

  it('gatehouse validate --strict', async () => {
    const warnedFile = join(dir, 'warned-cli.json')
    writeFileSync(warnedFile, JSON.stringify({ openapi: '3.0.1', info: { title: 'w', version: '1' }, paths: { '/b': { get: {} } } }))
    const ok = await runCli(['validate', warnedFile])
    expect(ok.code).toBe(0)
    expect(ok.stdout).toMatch(
      /warning warned-cli\.json \/paths\/~1b\/get: operation has no x-amazon-apigateway-integration.*\[NO_INTEGRATION\]/,
    )
    const strict = await runCli(['validate', warnedFile, '--strict'])
    expect(strict.code).toBe(1)
  })

  it('gatehouse invoke', async () => {
    const r = await runCli([
      'invoke',
      PETSTORE,
      'GET',
      '/pets/1',
      '--functions',
      HANDLERS,
      '--stage-variable',
      'inventoryUrl=http://127.0.0.1:9',
      '--header',
      'Accept:application/json',
    ])
    expect(r.code).toBe(0)
    expect(r.stderr).toMatch(/\) Method completed with status: 200\n$/)
    expect(r.stdout).toMatch(/^200 \(\d+\.\d ms\)\n/)
    expect(r.stdout).toContain('{"id":"1","name":"Rex","type":"dog"}')
    const missing = await runCli([
      'invoke',
      PETSTORE,
      'GET',
      '/pets/9',
      '--functions',
      HANDLERS,
      '--stage-variable',
      'inventoryUrl=http://127.0.0.1:9',
    ])
    expect(missing.code).toBe(1)
  })

  it('gatehouse export and sdk', async () => {
    const outFile = join(dir, 'exported.json')
    const r = await runCli(['export', PETSTORE, '--format', 'swagger', '--extensions', 'integrations', '--out', outFile])
    expect(r.code).toBe(0)
    const doc = (await import(outFile, { with: { type: 'json' } })).default as Record<string, unknown>
    expect(doc.swagger).toBe('2.0')
    expect(JSON.stringify(doc.paths)).toContain('"x-amazon-apigateway-integration":{"type":"aws_proxy"')
    const sdk = await runCli(['sdk', PETSTORE, '--lang', 'js', '--out', join(dir, 'sdk')])
    expect(sdk.code).toBe(0)
    expect(sdk.stdout).toMatch(/wrote .*client\.js/)
    const bad = await runCli(['export', PETSTORE, '--format', 'raml'])
    expect(bad.code).toBe(2)
  })
})

describe('serve --dashboard', () => {
  it('serves the live dashboard beside the API, counting the requests the API answered', async () => {
    const { serve } = await import('../src/serve')
    const running = await serve({
      file: PETSTORE,
      functions: HANDLERS,
      stageVariables: { inventoryUrl: 'http://127.0.0.1:9' },
      port: 0,
      dashboard: true,
      out: () => {},
      err: () => {},
    })
    try {
      expect((await fetch(`${running.url}/pets`)).status).toBe(200)
      expect((await fetch(`${running.url}/nope`)).status).toBe(403)
      const page = await fetch(`${running.url}/_dashboard/`)
      expect(page.status).toBe(200)
      expect(page.headers.get('content-type')).toMatch(/text\/html/)
      const snapshot = (await (await fetch(`${running.url}/_dashboard/snapshot.json`)).json()) as {
        total: { requests: number; clientErrors: number }
        accessLog: { path: string; status: number }[]
      }
      expect([snapshot.total.requests, snapshot.total.clientErrors]).toEqual([2, 1])
      expect(snapshot.accessLog.map((l) => [l.path, l.status])).toEqual([
        ['/nope', 403],
        ['/pets', 200],
      ])
    } finally {
      await running.close()
    }
  })
})
