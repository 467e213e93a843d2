// The `aws` option's in-process services (the signed request a service would get, no socket), its credentials
// (fixed, per role, from the environment) and endpoints, its validation at build, and how AWS service integrations
// fail: a timeout, a refused connection, a service's 4xx/5xx, missing credentials — status, body and onError for
// REST and HTTP APIs.
//
// AWS documentation:
// - API Gateway permissions to call a service (the integration's `credentials` role):
//     https://docs.aws.amazon.com/apigateway/latest/developerguide/integration-request-basic-setup.html
// - Credentials from the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN):
//     https://docs.aws.amazon.com/sdkref/latest/guide/environment-variables.html
// - SigV4 (Authorization header, credential scope, X-Amz-Security-Token):
//     https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
// - REST gateway responses (INTEGRATION_TIMEOUT 504 "Endpoint request timed out", API_CONFIGURATION_ERROR 500):
//     https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
// - Integration responses and selectionPattern on the status code:
//     https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-integration-settings-integration-response.html
// - HTTP API AWS service integrations and their subtypes:
//     https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-aws-services.html
//     https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-aws-services-reference.html
import { createServer } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { createGateway, GatewayConfigError, type GatewayInput } from '@gatehousejs/core'
import { verifyRequest } from '@gatehousejs/sigv4'
import { req, text } from '../helpers'
import { ACCESS_KEY, SECRET_KEY, startVerifyingServer, type VerifyingServer } from './verifying-server'

type AwsOption = NonNullable<GatewayInput['aws']>
type ServiceRequest = Parameters<NonNullable<AwsOption['services']>[string]>[0]

const credentials = { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY }
const ROLE = 'arn:aws:iam::123456789012:role/apigw-sqs'
const QUEUE = 'https://sqs.us-east-1.amazonaws.com/123456789012/jobs'

const servers: VerifyingServer[] = []
afterEach(async () => {
  while (servers.length > 0) await servers.pop()!.close()
})

/** A REST API: POST /send → SQS SendMessage on path/123456789012/jobs (the SQS tutorial's integration). */
function restApi(extra: Record<string, unknown> = {}) {
  return {
    openapi: '3.0.1',
    info: { title: 'rest', version: '1' },
    paths: {
      '/send': {
        post: {
          'x-amazon-apigateway-integration': {
            type: 'aws',
            httpMethod: 'POST',
            credentials: ROLE,
            uri: 'arn:aws:apigateway:us-east-1:sqs:path/123456789012/jobs',
            requestParameters: { 'integration.request.header.Content-Type': "'application/x-www-form-urlencoded'" },
            requestTemplates: { 'application/json': 'Action=SendMessage&MessageBody=$util.urlEncode($input.body)' },
            responses: {
              '4\\d{2}': { statusCode: '400', responseTemplates: { 'application/json': '{"rejected": true}' } },
              '5\\d{2}': { statusCode: '502', responseTemplates: { 'application/json': '{"unavailable": true}' } },
              default: { statusCode: '200', responseTemplates: { 'application/json': '{"sent": true}' } },
            },
            ...extra,
          },
        },
      },
    },
  }
}

/** An HTTP API: POST /send → the SQS-SendMessage subtype. */
function httpApi(extra: Record<string, unknown> = {}) {
  return {
    openapi: '3.0.1',
    info: { title: 'http', version: '1' },
    'x-amazon-apigateway-importexport-version': '1.0',
    paths: {
      '/send': {
        post: {
          'x-amazon-apigateway-integration': {
            type: 'aws_proxy',
            integrationSubtype: 'SQS-SendMessage',
            credentials: ROLE,
            payloadFormatVersion: '1.0',
            requestParameters: { QueueUrl: QUEUE, MessageBody: '$request.body' },
            ...extra,
          },
        },
      },
    },
  }
}

function gateway(api: Record<string, unknown>, aws: AwsOption | undefined) {
  const errors: unknown[] = []
  const gw = createGateway({ api, aws, onWarning: () => {}, onError: (e) => errors.push(e) })
  const send = () => gw.handle(req('POST', '/send', { headers: { 'content-type': 'application/json' }, body: '{"n":1}' }))
  return { gw, errors, send }
}

describe('in-process services', () => {
  it('get the signed request the gateway would have sent: default endpoint URL, SigV4 for the region and service', async () => {
    const seen: ServiceRequest[] = []
    const { send, errors } = gateway(restApi(), {
      credentials: { ...credentials, sessionToken: 'session-1' },
      services: {
        sqs: async (request) => {
          seen.push(request)
          return { statusCode: 200, headers: { 'content-type': 'text/xml' }, body: '<SendMessageResponse/>' }
        },
      },
    })
    const res = await send()
    expect([res.statusCode, text(res)]).toEqual([200, '{"sent": true}'])
    expect(errors).toEqual([])
    const r = seen[0]!
    expect(r).toMatchObject({ service: 'sqs', region: 'us-east-1', method: 'POST', path: '/123456789012/jobs', query: '' })
    expect(r.url).toBe('https://sqs.us-east-1.amazonaws.com/123456789012/jobs')
    expect(r.headers.host).toBe('sqs.us-east-1.amazonaws.com')
    expect(r.headers['x-amz-security-token']).toBe('session-1')
    expect(r.headers.authorization).toMatch(
      new RegExp(
        `^AWS4-HMAC-SHA256 Credential=${ACCESS_KEY}/\\d{8}/us-east-1/sqs/aws4_request, SignedHeaders=[a-z;-]+, Signature=[0-9a-f]{64}$`,
      ),
    )
    expect(Buffer.from(r.body).toString()).toBe(`Action=SendMessage&MessageBody=${encodeURIComponent('{"n":1}')}`)
    const v = await verifyRequest(r, {
      lookupSecret: (id) => (id === ACCESS_KEY ? { secretAccessKey: SECRET_KEY, sessionToken: 'session-1' } : undefined),
      service: 'sqs',
      region: 'us-east-1',
    })
    expect(v.ok).toBe(true)
  })

  it("a credentials function is asked for the integration's role, per request", async () => {
    const roles: (string | undefined)[] = []
    const { send } = gateway(restApi(), {
      credentials: async (roleArn) => {
        roles.push(roleArn)
        return credentials
      },
      services: { sqs: () => ({ statusCode: 200, body: '' }) },
    })
    await send()
    await send()
    expect(roles).toEqual([ROLE, ROLE])
  })

  it('HTTP APIs: the service status and body pass through; responseParameters map by the status code', async () => {
    const { send } = gateway(
      httpApi({ responseParameters: { '200': { 'overwrite:statuscode': '202', 'append:header.x-queued': 'yes' } } }),
      {
        credentials,
        services: { sqs: () => ({ statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: '{"SendMessageResponse":{}}' }) },
      },
    )
    const res = await send()
    expect(res.statusCode).toBe(202)
    expect(res.headers['x-queued']).toBe('yes')
    expect(res.headers['content-type']).toBe('application/json')
    expect(text(res)).toBe('{"SendMessageResponse":{}}')
  })

  it('credentials default to the AWS_* environment variables, read at each call', async () => {
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY, token: process.env.AWS_SESSION_TOKEN }
    const keys: string[] = []
    try {
      const { send } = gateway(restApi(), {
        services: {
          sqs: (r) => {
            keys.push(/Credential=([^/]+)\//.exec(r.headers.authorization ?? '')![1]!)
            return { statusCode: 200, body: '' }
          },
        },
      })
      process.env.AWS_ACCESS_KEY_ID = 'AKIDFIRST'
      process.env.AWS_SECRET_ACCESS_KEY = 's1'
      delete process.env.AWS_SESSION_TOKEN
      await send()
      process.env.AWS_ACCESS_KEY_ID = 'AKIDROTATED'
      await send()
      expect(keys).toEqual(['AKIDFIRST', 'AKIDROTATED'])
    } finally {
      for (const [name, v] of [
        ['AWS_ACCESS_KEY_ID', saved.id],
        ['AWS_SECRET_ACCESS_KEY', saved.secret],
        ['AWS_SESSION_TOKEN', saved.token],
      ] as const) {
        if (v === undefined) delete process.env[name]
        else process.env[name] = v
      }
    }
  })
})

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = createServer()
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))
  const port = (s.address() as { port: number }).port
  await new Promise<void>((resolve) => s.close(() => resolve()))
  return port
}

function withoutEnvCredentials<T>(fn: () => Promise<T>): Promise<T> {
  const saved = [process.env.AWS_ACCESS_KEY_ID, process.env.AWS_SECRET_ACCESS_KEY]
  delete process.env.AWS_ACCESS_KEY_ID
  delete process.env.AWS_SECRET_ACCESS_KEY
  return fn().finally(() => {
    if (saved[0] !== undefined) process.env.AWS_ACCESS_KEY_ID = saved[0]
    if (saved[1] !== undefined) process.env.AWS_SECRET_ACCESS_KEY = saved[1]
  })
}

interface FailureCase {
  name: string
  aws: () => Promise<AwsOption>
  timeout?: number
  rest: [number, unknown]
  http: [number, unknown]
  /** What onError is told (a message fragment), or null when the service's answer is no failure of the gateway. */
  error: RegExp | null
}

const FAILURES: FailureCase[] = [
  {
    name: 'the service does not answer within timeoutInMillis',
    aws: async () => {
      const s = await startVerifyingServer('sqs', () => 'hang')
      servers.push(s)
      return { credentials, endpoints: { sqs: s.url } }
    },
    timeout: 200,
    rest: [504, { message: 'Endpoint request timed out' }],
    http: [504, { message: 'Gateway Timeout' }],
    error: /timed out after 200 ms/,
  },
  {
    name: 'the connection is refused',
    aws: async () => ({ credentials, endpoints: { sqs: `http://127.0.0.1:${await closedPort()}` } }),
    rest: [502, { message: 'Internal server error' }],
    http: [500, { message: 'Internal Server Error' }],
    error: /ECONNREFUSED/,
  },
  {
    name: 'an in-process service throws',
    aws: async () => ({
      credentials,
      services: {
        sqs: () => {
          throw new Error('queue backend down')
        },
      },
    }),
    rest: [502, { message: 'Internal server error' }],
    http: [500, { message: 'Internal Server Error' }],
    error: /queue backend down/,
  },
  {
    name: 'an in-process service never settles',
    aws: async () => ({ credentials, services: { sqs: () => new Promise(() => {}) } }),
    timeout: 100,
    rest: [504, { message: 'Endpoint request timed out' }],
    http: [504, { message: 'Gateway Timeout' }],
    error: /timed out after 100 ms/,
  },
  {
    name: 'there are no credentials (no option, no environment variables)',
    aws: async () => ({ services: { sqs: () => ({ statusCode: 200, body: '' }) } }),
    rest: [500, { message: 'Internal server error' }],
    http: [500, { message: 'Internal Server Error' }],
    error: /AWS_ACCESS_KEY_ID/,
  },
  {
    name: 'the credentials function rejects',
    aws: async () => ({
      credentials: async () => {
        throw new Error('AssumeRole denied')
      },
      services: { sqs: () => ({ statusCode: 200, body: '' }) },
    }),
    rest: [500, { message: 'Internal server error' }],
    http: [500, { message: 'Internal Server Error' }],
    error: /AssumeRole denied/,
  },
  {
    name: 'the credentials function never settles',
    aws: async () => ({ credentials: () => new Promise(() => {}), services: { sqs: () => ({ statusCode: 200, body: '' }) } }),
    timeout: 100,
    rest: [504, { message: 'Endpoint request timed out' }],
    http: [504, { message: 'Gateway Timeout' }],
    error: /did not answer within 100 ms/,
  },
  {
    name: 'the service answers 403 (signature refused)',
    aws: async () => {
      const s = await startVerifyingServer('sqs', () => ({ status: 200 }))
      servers.push(s)
      return { credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: 'wrong' }, endpoints: { sqs: s.url } }
    },
    rest: [400, { rejected: true }],
    http: [403, { __type: 'InvalidSignatureException', message: expect.stringContaining('signature') }],
    error: null,
  },
  {
    name: 'the service answers 500',
    aws: async () => {
      const s = await startVerifyingServer('sqs', () => ({
        status: 500,
        headers: { 'content-type': 'application/json' },
        body: '{"__type":"InternalError"}',
      }))
      servers.push(s)
      return { credentials, endpoints: { sqs: s.url } }
    },
    rest: [502, { unavailable: true }],
    http: [500, { __type: 'InternalError' }],
    error: null,
  },
]

describe('failures: status, body and onError', () => {
  for (const c of FAILURES) {
    for (const apiType of ['REST', 'HTTP'] as const) {
      it(`${apiType}: ${c.name}`, async () => {
        const aws = await c.aws()
        const extra = c.timeout === undefined ? {} : { timeoutInMillis: c.timeout }
        const { send, errors } = gateway(apiType === 'REST' ? restApi(extra) : httpApi(extra), aws)
        const res = await withoutEnvCredentials(send)
        const [status, body] = apiType === 'REST' ? c.rest : c.http
        expect(res.statusCode).toBe(status)
        expect(JSON.parse(text(res))).toEqual(body)
        if (c.error === null) expect(errors).toEqual([])
        else {
          expect(errors).toHaveLength(1)
          expect(String((errors[0] as Error).message ?? errors[0])).toMatch(c.error)
        }
      })
    }
  }
})

describe('the aws option and definitions are checked when the gateway is built', () => {
  const invalid: [string, unknown][] = [
    ['an endpoint that is not a URL', { endpoints: { sqs: 'not a url' } }],
    ['an endpoint with another scheme', { endpoints: { sqs: 'ftp://127.0.0.1' } }],
    ['an endpoint with a query string', { endpoints: { sqs: 'http://127.0.0.1:4566/?x=1' } }],
    ['credentials without a secret', { credentials: { accessKeyId: 'AKID' } }],
    ['a service that is not a function', { services: { sqs: 'http://x' } }],
    ['a service name with capitals', { endpoints: { SQS: 'http://127.0.0.1' } }],
  ]
  for (const [name, aws] of invalid) {
    it(`refuses ${name} (INVALID_OPTION)`, () => {
      let error: unknown
      try {
        createGateway({ api: restApi(), aws: aws as AwsOption, onWarning: () => {} })
      } catch (e) {
        error = e
      }
      expect(error).toBeInstanceOf(GatewayConfigError)
      expect((error as GatewayConfigError).code).toBe('INVALID_OPTION')
    })
  }

  it('refuses an unknown integrationSubtype, naming it', () => {
    expect(() => createGateway({ api: httpApi({ integrationSubtype: 'SQS-Teleport' }), aws: { credentials } })).toThrow(
      /unknown integrationSubtype "SQS-Teleport"/,
    )
  })

  it('refuses a service URI whose region is not a region', () => {
    expect(() =>
      createGateway({
        api: restApi({ uri: 'arn:aws:apigateway:evil.example.com:sqs:path/1/q' }),
        aws: { credentials },
        onWarning: () => {},
      }),
    ).toThrow(GatewayConfigError)
  })

  it('a subtype Region that is not an AWS region is a 400, and nothing is sent', async () => {
    const seen: unknown[] = []
    const { gw } = gateway(
      httpApi({ requestParameters: { QueueUrl: QUEUE, MessageBody: '$request.body', Region: '$request.header.x-region' } }),
      {
        credentials,
        services: { sqs: (r) => (seen.push(r), { statusCode: 200, body: '' }) },
      },
    )
    const bad = await gw.handle(req('POST', '/send', { headers: { 'x-region': 'evil.example.com/x' }, body: '{}' }))
    expect(bad.statusCode).toBe(400)
    expect(seen).toEqual([])
    const good = await gw.handle(req('POST', '/send', { headers: { 'x-region': 'eu-west-1' }, body: '{}' }))
    expect(good.statusCode).toBe(200)
    expect(seen).toMatchObject([{ region: 'eu-west-1', url: 'https://sqs.eu-west-1.amazonaws.com/' }])
  })
})
