// SAM's `api_swagger_cors` example: a Swagger 2.0 REST API (the DefinitionBody of template.yaml, included from
// swagger.yaml) with Lambda proxy integrations on ANY / and on ANY /{proxy+}, the latter behind IAM
// authorization (`x-amazon-apigateway-auth: aws_iam`), its integration URIs written as CloudFormation `Fn::Sub`.
//
// Source: github.com/aws/serverless-application-model, examples/2016-10-31/api_swagger_cors/swagger.yaml (with
//   template.yaml and index.js beside it), at commit c00b8a31d2d4dcad43e16409caa9d4d142966e43 (the file's last
//   change; the examples were removed from the default branch in 27b0b7d8c5f28389660a730db2332f9d54d92920).
//   License: Apache-2.0 (the repository's LICENSE). Copy: fixtures/sam-api-swagger-cors.yaml.
//
// What is not in the document: template.yaml's `Cors: "'www.example.com'"` is a property of the SAM resource
// (AWS::Serverless::Api); SAM's transform writes OPTIONS methods into the definition from it. gatehouse loads the
// API definition, not the SAM template, so that CORS setting is outside what this test loads. The document itself
// sends OPTIONS / to the function (ANY covers OPTIONS) and OPTIONS /{proxy+} through IAM authorization, and the
// function sets Access-Control-Allow-Origin itself (as the example's function comments say it must).
//
// AWS documentation cited:
// - CloudFormation intrinsics must be resolved before API Gateway sees the document (Fn::Sub in a DefinitionBody
//   is resolved by CloudFormation: AWS::Include / Fn::Transform):
//     https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-sub.html
//     https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/create-reusable-transform-function-snippets-and-add-to-your-template-with-aws-include-transform.html
// - Lambda proxy integration (the function's statusCode, headers and body are the response; OPTIONS is one of
//   ANY's methods): https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html
//   https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-any-method.html
// - x-amazon-apigateway-auth (type aws_iam):
//     https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-auth.html
// - IAM authorization answers (unsigned: 403 {"message":"Missing Authentication Token"}; a signed caller with no
//   permission: 403 {"Message":"User: … is not authorized to perform: execute-api:Invoke on resource: …"}):
//     https://docs.aws.amazon.com/apigateway/latest/developerguide/permissions.html
//     https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
// - $context.identity in the proxy event: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { createGateway, GatewayConfigError, type GatewayRequest, type GatewayWarning, type IamPrincipals } from '@gatehousejs/core'
import { signRequest } from '@gatehousejs/sigv4'
import { parse } from 'yaml'
import { json, req as request, text } from '../../packages/core/test/helpers'

const fixture = new URL('./fixtures/sam-api-swagger-cors.yaml', import.meta.url)
const load = () => parse(readFileSync(fixture, 'utf8')) as Record<string, unknown>

const REGION = 'us-east-1'
const ACCOUNT = '123456789012'
const API_ID = 'a1b2c3d4e5'
const HOST = `${API_ID}.execute-api.${REGION}.amazonaws.com`

/** A request to this API's host (the tests' common request helper, with the Host header this document expects). */
const req = (method: string, url: string, init: Partial<GatewayRequest> = {}): GatewayRequest =>
  request(method, url, { ...init, headers: { host: HOST, ...(init.headers ?? {}) } })
const NOW = Date.UTC(2026, 0, 15, 12, 0, 0)
const FUNCTION_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:LambdaFunction`

/**
 * What CloudFormation does to the document before API Gateway sees it: every `{ "Fn::Sub": "…" }` becomes the
 * string with `${AWS::Region}` replaced by the stack's region and `${LambdaFunction.Arn}` by the ARN of the
 * template's LambdaFunction resource (here a function named LambdaFunction). Any other `${…}` would be left for
 * the test to fail on.
 */
function resolveSub(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(resolveSub)
  if (value === null || typeof value !== 'object') return value
  const entries = Object.entries(value)
  if (entries.length === 1 && entries[0]![0] === 'Fn::Sub' && typeof entries[0]![1] === 'string') {
    return entries[0]![1].replaceAll('${AWS::Region}', REGION).replaceAll('${LambdaFunction.Arn}', FUNCTION_ARN)
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, resolveSub(v)]))
}

// The example's function, written from its description: it answers "Hello world" with the CORS origin header
// the browser needs on the actual response. It also records the event.
const events: any[] = []
const LambdaFunction = async (event: unknown) => {
  events.push(event)
  return { statusCode: '200', body: 'Hello world', headers: { 'Access-Control-Allow-Origin': 'https://www.example.com' } }
}

const principals: IamPrincipals = {
  AKIAREADER: {
    secretAccessKey: 'reader-secret',
    arn: `arn:aws:iam::${ACCOUNT}:user/reader`,
    policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' }] }],
  },
  AKIANOPOLICY: { secretAccessKey: 'nopolicy-secret', arn: `arn:aws:iam::${ACCOUNT}:user/nopolicy` },
}

const build = (extra: Record<string, unknown> = {}) => {
  const warnings: GatewayWarning[] = []
  const gateway = createGateway({
    api: resolveSub(load()) as Record<string, unknown>,
    functions: { LambdaFunction },
    stage: 'Prod',
    apiId: API_ID,
    accountId: ACCOUNT,
    region: REGION,
    principals,
    now: () => NOW,
    onWarning: (w) => warnings.push(w),
    ...extra,
  })
  return { gateway, warnings }
}

describe('the document as published holds Fn::Sub: refused as API Gateway would, naming the field and the fix', () => {
  it('the first Fn::Sub is reported with its pointer and what to do', () => {
    let caught: unknown
    try {
      createGateway({ api: load(), functions: { LambdaFunction } })
    } catch (e) {
      caught = e
    }
    expect(caught).toBeInstanceOf(GatewayConfigError)
    const e = caught as GatewayConfigError
    expect(e.code).toBe('INVALID_DEFINITION')
    expect(e.pointer).toBe('/paths/~1/x-amazon-apigateway-any-method/x-amazon-apigateway-integration/uri')
    expect(e.message).toContain('Fn::Sub')
    expect(e.message).toMatch(/resolve/i)
  })

  it('`swagger: 2.0` unquoted is the YAML number 2, and the document is still recognised as Swagger 2.0', () => {
    expect(load().swagger).toBe(2)
    expect(() => build()).not.toThrow()
  })
})

describe('after the substitution CloudFormation makes', () => {
  it('loads with no warnings; strict: true loads it too', () => {
    const { gateway, warnings } = build()
    expect(warnings).toEqual([])
    expect(Object.keys(gateway.definition.resources).sort()).toEqual(['/', '/{proxy+}'])
    expect(gateway.definition.resources['/{proxy+}']?.ANY?.authorizationType).toBe('AWS_IAM')
    expect(gateway.definition.resources['/']?.ANY?.authorizationType ?? 'NONE').toBe('NONE')
    expect(() => build({ strict: true })).not.toThrow()
  })

  it.each(['GET', 'POST', 'DELETE'])(
    '%s / reaches the function unsigned; its statusCode, headers and body are the answer',
    async (method) => {
      events.length = 0
      const { gateway } = build()
      const res = await gateway.handle(req(method, '/', { headers: { origin: 'https://www.example.com' } }))
      expect(res.statusCode).toBe(200)
      expect(text(res)).toBe('Hello world')
      expect(res.headers['Access-Control-Allow-Origin']).toBe('https://www.example.com')
      expect(events).toHaveLength(1)
      expect(events[0]).toMatchObject({ httpMethod: method, resource: '/', path: '/' })
    },
  )

  it('OPTIONS / is one of ANY’s methods: the preflight goes to the function (no SAM-generated mock here)', async () => {
    events.length = 0
    const { gateway } = build()
    const res = await gateway.handle(
      req('OPTIONS', '/', { headers: { origin: 'https://www.example.com', 'access-control-request-method': 'POST' } }),
    )
    expect(res.statusCode).toBe(200)
    expect(res.headers['Access-Control-Allow-Origin']).toBe('https://www.example.com')
    expect(events).toHaveLength(1)
    expect(events[0].httpMethod).toBe('OPTIONS')
  })

  it.each([
    ['GET', '/pets'],
    ['POST', '/pets/1/toys'],
    ['OPTIONS', '/pets'],
  ])('unsigned %s %s on the IAM-authorized ANY /{proxy+}: 403 {"message":"Missing Authentication Token"}', async (method, path) => {
    events.length = 0
    const { gateway } = build()
    const res = await gateway.handle(req(method, path, { headers: { origin: 'https://www.example.com' } }))
    expect(res.statusCode).toBe(403)
    expect(json(res)).toEqual({ message: 'Missing Authentication Token' })
    expect(events).toEqual([])
  })

  const signed = (method: string, path: string, who: 'AKIAREADER' | 'AKIANOPOLICY') => {
    const r = req(method, path)
    const secret = principals[who]!.secretAccessKey
    const s = signRequest(r, { accessKeyId: who, secretAccessKey: secret }, { region: REGION, service: 'execute-api', date: NOW })
    return { ...r, ...s, sourceIp: r.sourceIp }
  }

  it('a signed caller allowed execute-api:Invoke reaches the function, with the greedy path and its identity in the event', async () => {
    events.length = 0
    const { gateway } = build()
    const res = await gateway.handle(signed('GET', '/pets/1/toys', 'AKIAREADER'))
    expect(res.statusCode).toBe(200)
    expect(text(res)).toBe('Hello world')
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({
      resource: '/{proxy+}',
      path: '/pets/1/toys',
      pathParameters: { proxy: 'pets/1/toys' },
      requestContext: { identity: { userArn: `arn:aws:iam::${ACCOUNT}:user/reader`, accessKey: 'AKIAREADER' } },
    })
  })

  it('a signed caller with no permission: 403 "User: … is not authorized to perform: execute-api:Invoke"', async () => {
    events.length = 0
    const { gateway } = build()
    const res = await gateway.handle(signed('GET', '/pets', 'AKIANOPOLICY'))
    expect(res.statusCode).toBe(403)
    expect(json(res)).toEqual({
      Message: `User: arn:aws:iam::********9012:user/nopolicy is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:${REGION}:********9012:${API_ID}/Prod/GET/pets`,
    })
    expect(events).toEqual([])
  })
})
