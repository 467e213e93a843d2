// serverless-patterns' `apigw-sqs-lambda` ("Queue based leveling"): an HTTP API whose POST /submit is a
// first-class AWS service integration (integrationSubtype SQS-SendMessage) with `x-amazon-apigateway-cors`, written
// with CloudFormation intrinsics (`Fn::GetAtt` for the role, `Ref` for the queue URL) and included into the SAM
// template's DefinitionBody with AWS::Include.
//
// Source: github.com/aws-samples/serverless-patterns, apigw-sqs-lambda/api.yaml (template.yaml beside it), at
//   commit fb7b5d06c27d8abb1bd35e52ab7523acf4baab7b (the file last changed in
//   53f6293f47c87bfc8a6e910c4e3f536f613cad6f). License: MIT-0 (the repository's LICENSE).
//   Copy: fixtures/apigw-sqs-lambda-api.yaml.
//   No function is registered: API Gateway calls SQS, and the pattern's Lambda function reads the queue.
//   Signature: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
//
// Why this document: no HTTP API definition with a JWT authorizer exists as a whole document in
// aws-samples/serverless-patterns (its two JWT patterns, cognito-httpapi and sam-webapp-cognito, declare the
// authorizer with SAM's `Auth` property, not in OpenAPI) nor in the developer guide's public repository (only
// fragments); the HTTP API definitions in serverless-patterns with `x-amazon-apigateway-cors` are all AWS service
// integrations like this one.
//
// AWS documentation cited:
// - CloudFormation intrinsics are resolved by CloudFormation before API Gateway sees the document:
//     https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-getatt.html
//     https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-ref.html
// - AWS service integrations of HTTP APIs (SQS-SendMessage; `credentials`, `requestParameters` MessageBody/QueueUrl):
//     https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-aws-services.html
//     https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-aws-services-reference.html
// - CORS (API Gateway answers preflight itself; `*` in allowMethods; maxAge 0):
//     https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html
//     https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-cors-configuration.html
// - No matching route: 404 {"message":"Not Found"}:
//     https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html
// - Import of an HTTP API succeeds with this document (it is what `sam deploy` imports); the SQS-SendMessage
//   integration is served (gatehouse issue #15): signed for the role in `credentials`, sent to the `sqs` service the
//   operator's `aws` option names (here an in-process one that verifies the signature).
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { createGateway, GatewayConfigError, type GatewayRequest, type GatewayWarning } from '@gatehousejs/core'
import { verifyRequest } from '@gatehousejs/sigv4'
import { parse } from 'yaml'
import { req as request, text } from '../../packages/core/test/helpers'

/** A request to this API's host (the tests' common request helper, with the Host header this document expects). */
const req = (method: string, url: string, init: Partial<GatewayRequest> = {}): GatewayRequest =>
  request(method, url, { ...init, headers: { host: 'a1b2c3d4e5.execute-api.us-east-1.amazonaws.com', ...(init.headers ?? {}) } })

const fixture = new URL('./fixtures/apigw-sqs-lambda-api.yaml', import.meta.url)
const load = () => parse(readFileSync(fixture, 'utf8')) as Record<string, unknown>

const INTEGRATION = '/paths/~1submit/post/x-amazon-apigateway-integration'
const ROLE_ARN = 'arn:aws:iam::123456789012:role/MyHttpApiRole'
const QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/MySqsQueue'

/**
 * What CloudFormation does to the document: `{ "Fn::GetAtt": ["MyHttpApiRole", "Arn"] }` becomes the role's ARN,
 * `{ "Ref": "MySqsQueue" }` the queue's URL (Ref of an AWS::SQS::Queue is its URL). Anything else is left alone,
 * for the load to report.
 */
function resolveIntrinsics(value: unknown, only?: 'Fn::GetAtt' | 'Ref'): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveIntrinsics(v, only))
  if (value === null || typeof value !== 'object') return value
  const entries = Object.entries(value)
  if (entries.length === 1) {
    const [fn, arg] = entries[0]!
    if (fn === 'Fn::GetAtt' && only !== 'Ref' && JSON.stringify(arg) === '["MyHttpApiRole","Arn"]') return ROLE_ARN
    if (fn === 'Ref' && only !== 'Fn::GetAtt' && arg === 'MySqsQueue') return QUEUE_URL
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, resolveIntrinsics(v, only)]))
}

const thrown = (fn: () => unknown): GatewayConfigError => {
  try {
    fn()
  } catch (e) {
    if (e instanceof GatewayConfigError) return e
    throw e
  }
  throw new Error('expected a GatewayConfigError')
}

describe('the document as published holds CloudFormation intrinsics: refused, naming the field and the fix', () => {
  it('Fn::GetAtt in credentials', () => {
    const e = thrown(() => createGateway({ api: load() }))
    expect(e.code).toBe('INVALID_DEFINITION')
    expect(e.pointer).toBe(`${INTEGRATION}/credentials`)
    expect(e.message).toContain('Fn::GetAtt')
    expect(e.message).toMatch(/resolve/i)
  })

  it('Ref in requestParameters.QueueUrl, once the role is resolved', () => {
    const e = thrown(() => createGateway({ api: resolveIntrinsics(load(), 'Fn::GetAtt') as Record<string, unknown> }))
    expect(e.pointer).toBe(`${INTEGRATION}/requestParameters/QueueUrl`)
    expect(e.message).toContain('Ref')
  })
})

describe('after the substitution CloudFormation makes', () => {
  const resolved = () => resolveIntrinsics(load()) as Record<string, unknown>
  const build = () => {
    const warnings: GatewayWarning[] = []
    const gateway = createGateway({ api: resolved(), onWarning: (w) => warnings.push(w) })
    return { gateway, warnings }
  }

  it('loads as AWS loads it: the SQS-SendMessage integration is acted on, without a warning', () => {
    const { gateway, warnings } = build()
    expect(gateway.definition.resources['/submit']?.POST).toBeDefined()
    expect(warnings).toEqual([])
  })

  it('strict: true accepts it', () => {
    expect(() => createGateway({ api: resolved(), strict: true })).not.toThrow()
  })

  it('POST /submit sends SQS a SendMessage signed for the role, with the queue URL and the body, and answers what SQS answers', async () => {
    const errors: unknown[] = []
    const roles: (string | undefined)[] = []
    const verified: unknown[] = []
    const gateway = createGateway({
      api: resolved(),
      onWarning: () => {},
      onError: (e) => errors.push(e),
      aws: {
        credentials: async (roleArn) => (roles.push(roleArn), { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }),
        services: {
          sqs: async (request) => {
            const v = await verifyRequest(request, { lookupSecret: () => 'secret', service: 'sqs', region: 'us-east-1' })
            verified.push(v.ok)
            const form = new URLSearchParams(Buffer.from(request.body).toString())
            return {
              statusCode: 200,
              headers: { 'content-type': 'text/xml' },
              body: `<SendMessageResponse><QueueUrl>${form.get('QueueUrl')}</QueueUrl><Body>${form.get('MessageBody')}</Body></SendMessageResponse>`,
            }
          },
        },
      },
    })
    const res = await gateway.handle(req('POST', '/submit', { headers: { 'content-type': 'application/json' }, body: '{"a":1}' }))
    expect(res.statusCode).toBe(200)
    expect(text(res)).toBe(`<SendMessageResponse><QueueUrl>${QUEUE_URL}</QueueUrl><Body>{"a":1}</Body></SendMessageResponse>`)
    expect(verified).toEqual([true])
    expect(roles).toEqual([ROLE_ARN])
    expect(errors).toEqual([])
  })

  it('answers the CORS preflight itself: 204 with allow-origin *, allow-methods *, max-age 0, no credentials', async () => {
    const { gateway } = build()
    const res = await gateway.handle(
      req('OPTIONS', '/submit', { headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' } }),
    )
    expect(res.statusCode).toBe(204)
    expect(res.headers['access-control-allow-origin']).toBe('*')
    expect(res.headers['access-control-allow-methods']).toBe('*')
    expect(res.headers['access-control-max-age']).toBe('0')
    expect(res.headers['access-control-allow-credentials']).toBeUndefined()
    expect(text(res)).toBe('')
  })

  it('a route the document does not define: 404 {"message":"Not Found"}', async () => {
    const { gateway } = build()
    const res = await gateway.handle(req('GET', '/submit'))
    expect(res.statusCode).toBe(404)
    expect(JSON.parse(text(res))).toEqual({ message: 'Not Found' })
  })
})
