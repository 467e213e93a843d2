// Access logs (stage accessLogSettings): the console's presets and every $context variable API Gateway documents for
// access logging, written one line per request to a function, a writable stream or a file.
// Formats and presets: https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html (REST) and
// https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging.html (HTTP APIs), as in
// awsdocs/amazon-api-gateway-developer-guide doc_source/set-up-logging.md and doc_source/http-api-logging.md at commit
// 6060e21e4214857f6f416c50ee2d019bc3db2206 (CC BY-SA 4.0 documentation; the variable names below are quoted from
// doc_source/api-gateway-mapping-template-reference.md and doc_source/http-api-logging-variables.md there).
// Variables: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-variables-for-access-logging.html
// $context.requestTime is CLF-formatted (dd/MMM/yyyy:HH:mm:ss +-hhmm); a value that does not exist is written `-`.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough, Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { createGateway, GatewayConfigError, type GatewayErrorInfo, type GatewayInput, type GatewayWarning } from '@gatehousejs/core'
import { compileFormat } from '../src/features/access-log/format'
import { header, req } from './helpers'

const T0 = Date.UTC(2024, 0, 1, 12, 0, 0)
const flushed = () => new Promise((resolve) => setImmediate(resolve))

const pets = {
  resources: {
    '/pets/{id}': { GET: { integration: { type: 'AWS_PROXY', uri: 'getPet' } } },
    '/broken': { GET: { integration: { type: 'AWS_PROXY', uri: 'broken' } } },
  },
} as const

function build(format: string, input: Partial<GatewayInput> = {}) {
  const lines: string[] = []
  const gw = createGateway({
    api: pets as unknown as GatewayInput['api'],
    apiId: 'abc123',
    now: () => T0,
    requestId: () => 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
    functions: {
      getPet: async () => ({ statusCode: 200, body: '{"id":"7"}' }),
      broken: async () => {
        throw new Error('broken')
      },
    },
    onError: () => {},
    stage: { stageName: 'prod', accessLogSettings: { format, destinationArn: 'arn:aws:logs:us-east-1:123456789012:log-group:access' } },
    accessLog: { destination: (line) => lines.push(line) },
    onWarning: () => {},
    ...input,
  })
  return { gw, lines }
}

describe('access logs: the console presets', () => {
  it('CLF (REST): the documented line, one per request, written after the answer', async () => {
    const { gw, lines } = build('CLF')
    const res = await gw.handle(req('GET', '/pets/7'))
    expect(res.statusCode).toBe(200)
    // Not yet: the line is written off the response's path.
    expect(lines).toEqual([])
    await flushed()
    const ext = header(res, 'x-amz-apigw-id')
    expect(lines).toEqual([
      `203.0.113.7 - - [01/Jan/2024:12:00:00 +0000] "GET /pets/{id} HTTP/1.1" 200 10 c6af9ac6-7b61-11e6-9a41-93e8deadbeef ${ext}`,
    ])
  })

  it('JSON (REST): a JSON object per line with the documented keys', async () => {
    const { gw, lines } = build('JSON')
    const res = await gw.handle(req('GET', '/pets/7'))
    await flushed()
    expect(lines).toHaveLength(1)
    expect(JSON.parse(lines[0]!)).toEqual({
      requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
      extendedRequestId: header(res, 'x-amz-apigw-id'),
      ip: '203.0.113.7',
      caller: '-',
      user: '-',
      requestTime: '01/Jan/2024:12:00:00 +0000',
      httpMethod: 'GET',
      resourcePath: '/pets/{id}',
      status: '200',
      protocol: 'HTTP/1.1',
      responseLength: '10',
    })
  })

  it('XML and CSV (REST), and a refused request logs its status and error', async () => {
    const xml = build('XML')
    const csv = build('CSV')
    const res = await xml.gw.handle(req('GET', '/pets/7'))
    await csv.gw.handle(req('GET', '/nowhere'))
    await flushed()
    const ext = header(res, 'x-amz-apigw-id')
    expect(xml.lines).toEqual([
      `<request id="c6af9ac6-7b61-11e6-9a41-93e8deadbeef"> <extendedRequestId>${ext}</extendedRequestId> <ip>203.0.113.7</ip> ` +
        '<caller>-</caller> <user>-</user> <requestTime>01/Jan/2024:12:00:00 +0000</requestTime> <httpMethod>GET</httpMethod> ' +
        '<resourcePath>/pets/{id}</resourcePath> <status>200</status> <protocol>HTTP/1.1</protocol> <responseLength>10</responseLength> </request>',
    ])
    // No route: no resource path; the 403 MISSING_AUTHENTICATION_TOKEN answer's body is 42 bytes.
    expect(csv.lines).toEqual([
      `203.0.113.7,-,-,01/Jan/2024:12:00:00 +0000,GET,-,HTTP/1.1,403,42,c6af9ac6-7b61-11e6-9a41-93e8deadbeef,${ext}`,
    ])
  })

  it('CLF and JSON (HTTP API): the route key', async () => {
    const lines: string[] = []
    const gw = createGateway({
      api: { resources: { '/pets/{id}': { GET: { integration: { type: 'AWS_PROXY', uri: 'getPet' } } } } },
      apiType: 'HTTP',
      now: () => T0,
      requestId: () => 'req-1',
      functions: { getPet: async () => ({ statusCode: 200, body: 'ok' }) },
      stage: { stageName: '$default', accessLogSettings: { format: 'CLF' } },
      accessLog: { destination: (line) => lines.push(line) },
    })
    await gw.handle(req('GET', '/pets/7'))
    await flushed()
    expect(lines).toEqual(['203.0.113.7 - - [01/Jan/2024:12:00:00 +0000] "GET GET /pets/{id} HTTP/1.1" 200 2 req-1'])
    expect(compileFormat('JSON', 'HTTP').source).toContain('"routeKey":"$context.routeKey"')
  })
})

// Every name API Gateway documents for access logs (REST and HTTP API lists; `property`, `header_name` … stand for any name).
const DOCUMENTED = [
  'accountId',
  'apiId',
  'authorizer.claims.property',
  'authorizer.error',
  'authorizer.principalId',
  'authorizer.property',
  'awsEndpointRequestId',
  'awsEndpointRequestId2',
  'customDomain.basePathMatched',
  'dataProcessed',
  'domainName',
  'domainPrefix',
  'error.message',
  'error.messageString',
  'error.responseType',
  'error.validationErrorString',
  'extendedRequestId',
  'httpMethod',
  'identity.accountId',
  'identity.apiKey',
  'identity.apiKeyId',
  'identity.caller',
  'identity.cognitoAuthenticationProvider',
  'identity.cognitoAuthenticationType',
  'identity.cognitoIdentityId',
  'identity.cognitoIdentityPoolId',
  'identity.principalOrgId',
  'identity.sourceIp',
  'identity.clientCert.clientCertPem',
  'identity.clientCert.subjectDN',
  'identity.clientCert.issuerDN',
  'identity.clientCert.serialNumber',
  'identity.clientCert.validity.notBefore',
  'identity.clientCert.validity.notAfter',
  'identity.user',
  'identity.userAgent',
  'identity.userArn',
  'path',
  'protocol',
  'requestId',
  'requestOverride.header.header_name',
  'requestOverride.path.path_name',
  'requestOverride.querystring.querystring_name',
  'responseOverride.header.header_name',
  'responseOverride.status',
  'requestTime',
  'requestTimeEpoch',
  'resourceId',
  'resourcePath',
  'stage',
  'wafResponseCode',
  'webaclArn',
  'authorize.error',
  'authorize.latency',
  'authorize.status',
  'authorizer.integrationLatency',
  'authorizer.integrationStatus',
  'authorizer.latency',
  'authorizer.requestId',
  'authorizer.status',
  'authenticate.error',
  'authenticate.latency',
  'authenticate.status',
  'integration.error',
  'integration.integrationStatus',
  'integration.latency',
  'integration.requestId',
  'integration.status',
  'integrationErrorMessage',
  'integrationLatency',
  'integrationStatus',
  'responseLatency',
  'responseLength',
  'routeKey',
  'status',
  'waf.error',
  'waf.latency',
  'waf.status',
  'xrayTraceId',
]

describe('access logs: the $context variables', () => {
  it('knows every documented variable (no warning), and warns about a name API Gateway does not have', () => {
    const all = DOCUMENTED.map((v) => `$context.${v}`).join(' ')
    expect(compileFormat(all, 'REST').unknown).toEqual([])
    expect(compileFormat(all, 'HTTP').unknown).toEqual([])
    const warnings: GatewayWarning[] = []
    build('$context.requestId $context.statusCode', { onWarning: (w) => warnings.push(w) })
    expect(warnings.map((w) => w.message)).toEqual([
      'access log format: $context.statusCode is not a variable API Gateway logs; written as -',
    ])
  })

  it('fills each variable from the request', async () => {
    const vars = [
      'requestId',
      'apiId',
      'accountId',
      'stage',
      'domainName',
      'domainPrefix',
      'httpMethod',
      'path',
      'resourcePath',
      'routeKey',
      'protocol',
      'requestTimeEpoch',
      'status',
      'responseLength',
      'identity.sourceIp',
      'identity.userAgent',
      'integration.status',
      'integrationStatus',
      'error.message',
      'error.responseType',
      'xrayTraceId',
      'dataProcessed',
    ]
    const { gw, lines } = build(vars.map((v) => `$context.${v}`).join('|'))
    await gw.handle(req('GET', '/pets/7', { path: '/pets/7' }))
    await gw.handle(req('GET', '/broken'))
    await flushed()
    const [ok, failed] = lines.map((l) => Object.fromEntries(l.split('|').map((v, i) => [vars[i], v])))
    expect(ok).toEqual({
      requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
      apiId: 'abc123',
      accountId: '123456789012',
      stage: 'prod',
      domainName: 'api.example.com',
      domainPrefix: 'api',
      httpMethod: 'GET',
      path: '/pets/7',
      resourcePath: '/pets/{id}',
      routeKey: 'GET /pets/{id}',
      protocol: 'HTTP/1.1',
      requestTimeEpoch: String(T0),
      status: '200',
      responseLength: '10',
      'identity.sourceIp': '203.0.113.7',
      'identity.userAgent': 'test-agent',
      'integration.status': '200',
      integrationStatus: '200',
      'error.message': '-',
      'error.responseType': '-',
      xrayTraceId: '-',
      dataProcessed: '10',
    })
    // A function that throws: API Gateway's 502, with the error's message and type.
    expect(failed).toMatchObject({ status: '502', 'error.responseType': 'DEFAULT_5XX', 'error.message': 'Internal server error' })
  })

  it('latencies are whole milliseconds; messageString is the quoted message; the authorizer context is readable', async () => {
    const authorizer = {
      type: 'token',
      authorizerUri:
        'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:auth/invocations',
    }
    const lines: string[] = []
    const gw = createGateway({
      api: tokenAuthorized(authorizer, {
        '/me': {
          get: { security: [{ auth: [] }], 'x-amazon-apigateway-integration': { type: 'aws_proxy', httpMethod: 'POST', uri: 'me' } },
        },
      }),
      apiId: 'abc123',
      requestId: () => 'r1',
      functions: {
        me: async () => ({ statusCode: 201, body: '' }),
        auth: async (event: { authorizationToken: string }) => {
          if (event.authorizationToken !== 'ok') throw new Error('Unauthorized')
          return {
            principalId: 'user-7',
            policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: '*' }] },
            context: { tier: 'gold' },
          }
        },
      },
      stage: {
        stageName: 'prod',
        accessLogSettings: {
          format:
            '$context.requestId $context.authorizer.principalId $context.authorizer.tier $context.integrationLatency ' +
            '$context.responseLatency $context.error.messageString $context.status.',
        },
      },
      accessLog: { destination: (line) => lines.push(line) },
    })
    await gw.handle(req('GET', '/me', { headers: { authorization: 'ok' } }))
    await gw.handle(req('GET', '/me', { headers: { authorization: 'no' } }))
    await flushed()
    expect(lines[0]).toMatch(/^r1 user-7 gold \d+ \d+ - 201\.$/)
    expect(lines[1]).toMatch(/^r1 - - - \d+ "Unauthorized" 401\.$/)
  })
})

/** An OpenAPI document whose `auth` security scheme is a Lambda authorizer (`authorizer`: its extension). */
function tokenAuthorized(authorizer: Record<string, unknown>, paths: Record<string, unknown>) {
  const auth = {
    type: 'apiKey',
    name: 'Authorization',
    in: 'header',
    'x-amazon-apigateway-authtype': 'custom',
    'x-amazon-apigateway-authorizer': authorizer,
  }
  return { openapi: '3.0.1', info: { title: 'a', version: '1' }, components: { securitySchemes: { auth } }, paths }
}

describe('access logs: integration latency', () => {
  // $context.integrationLatency: from the integration's start to its end. With a stage before it that waits (a
  // Lambda authorizer), the start is read when the integration begins; when every stage answered at once, the
  // integration began in the same turn as the request, at its epoch (the clock reads whole ms).
  it('counts from the integration, after a stage that waited', async () => {
    let t = 0
    const proxy = { type: 'aws_proxy', httpMethod: 'POST', uri: 'me' }
    const lines: string[] = []
    const gw = createGateway({
      api: tokenAuthorized(
        { type: 'token', authorizerUri: 'auth', authorizerResultTtlInSeconds: 0 },
        {
          '/me': { get: { security: [{ auth: [] }], 'x-amazon-apigateway-integration': proxy } },
          '/open': { get: { 'x-amazon-apigateway-integration': proxy } },
        },
      ),
      requestId: () => 'r1',
      now: () => (t += 10),
      functions: {
        me: async () => ({ statusCode: 200, body: '' }),
        auth: async () => ({
          principalId: 'u',
          policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: '*' }] },
        }),
      },
      stage: {
        stageName: 'prod',
        accessLogSettings: { format: '$context.requestId $context.integrationLatency $context.responseLatency' },
      },
      accessLog: { destination: (line) => lines.push(line) },
    })
    await gw.handle(req('GET', '/me', { headers: { authorization: 'ok' } }))
    await gw.handle(req('GET', '/open'))
    await flushed()
    const [waited, direct] = lines.map((l) => l.split(' ').slice(1).map(Number))
    expect(waited![0]).toBe(10) // one tick of this clock: the integration's start and end are consecutive reads
    expect(waited![1]).toBeGreaterThan(waited![0]!)
    expect(direct![0]).toBe(direct![1])
  })
})

describe('access logs: destinations', () => {
  it('a writable stream gets each line with its newline', async () => {
    const stream = new PassThrough()
    const chunks: string[] = []
    stream.on('data', (c: Buffer) => chunks.push(c.toString('utf8')))
    const { gw } = build('$context.requestId $context.status', { accessLog: { destination: stream } })
    await gw.handle(req('GET', '/pets/7'))
    await gw.handle(req('GET', '/nowhere'))
    await flushed()
    await flushed()
    expect(chunks.join('')).toBe('c6af9ac6-7b61-11e6-9a41-93e8deadbeef 200\nc6af9ac6-7b61-11e6-9a41-93e8deadbeef 403\n')
  })

  it('a file path is appended to', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-access-'))
    try {
      const file = join(dir, 'access.log')
      const first = build('$context.requestId $context.status', { accessLog: { destination: file } })
      await first.gw.handle(req('GET', '/pets/7'))
      await flushed()
      const second = build('CSV', { accessLog: { destination: file } })
      await second.gw.handle(req('GET', '/pets/7'))
      await flushed()
      await new Promise((resolve) => setTimeout(resolve, 20))
      const written = readFileSync(file, 'utf8').split('\n')
      expect(written).toHaveLength(3)
      expect(written[0]).toBe('c6af9ac6-7b61-11e6-9a41-93e8deadbeef 200')
      expect(written[1]).toMatch(/^203\.0\.113\.7,-,-,01\/Jan\/2024:12:00:00 \+0000,GET,\/pets\/\{id\},HTTP\/1\.1,200,10,/)
      expect(written[2]).toBe('')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('a destination that fails: the request still gets its answer, the error goes to onError', async () => {
    const seen: [unknown, GatewayErrorInfo][] = []
    const broken = new Error('disk full')
    const thrower = build('$context.requestId', {
      accessLog: {
        destination: () => {
          throw broken
        },
      },
      onError: (e, i) => void seen.push([e, i]),
    })
    const res = await thrower.gw.handle(req('GET', '/pets/7'))
    expect(res.statusCode).toBe(200)
    await flushed()
    expect(seen).toEqual([
      [broken, { requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef', routeKey: 'GET /pets/{id}', stage: 'access-log', responseType: null }],
    ])

    const streamError = new Error('EPIPE')
    const failing = new Writable({ write: (_chunk, _enc, cb) => cb(streamError) })
    failing.on('error', () => {})
    const viaStream = build('$context.requestId', { accessLog: { destination: failing }, onError: (e, i) => void seen.push([e, i]) })
    expect((await viaStream.gw.handle(req('GET', '/pets/7'))).statusCode).toBe(200)
    await flushed()
    await flushed()
    expect(seen[1]?.[0]).toBe(streamError)
  })

  it('a format without $context.requestId or extendedRequestId is refused, as API Gateway refuses it', () => {
    expect(() => build('$context.status')).toThrow(GatewayConfigError)
    expect(() => build('$context.status', { accessLog: { destination: 42 as never } })).toThrow(GatewayConfigError)
    expect(() => build('$context.extendedRequestId $context.status')).not.toThrow()
  })
})
