// CloudFormation intrinsic functions left in an API definition (a SAM/CloudFormation `DefinitionBody` copied as
// is) are refused naming where, with the way out; never "uri must be a string" or an unknown function "arn".
// Intrinsics: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html
// The integration uri they usually hide in:
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-integration.html
// And a `security` requirement naming a scheme the document does not define (AWS's request-validation sample
// writes `security: [{ api_key: [] }]` with no securityDefinitions) is a warning, never a throw:
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-validation-set-up.html
import { describe, expect, it } from 'vitest'
import { createGateway, type GatewayWarning } from '@gatehousejs/core'
import { configError } from './helpers'

const ok = async () => ({ statusCode: 200, body: 'ok' })
const info = { title: 't', version: '1' }
const withUri = (uri: unknown) => ({
  openapi: '3.0.1',
  info,
  paths: { '/calc': { get: { 'x-amazon-apigateway-integration': { type: 'aws_proxy', httpMethod: 'POST', uri } } } },
})
const URI = '/paths/~1calc/get/x-amazon-apigateway-integration/uri'
const arn = 'arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${CalcFunction.Arn}/invocations'

describe('CloudFormation intrinsics are refused naming where', () => {
  const table: [string, Record<string, unknown>, string, string][] = [
    ['Fn::Sub object', withUri({ 'Fn::Sub': arn }), URI, 'Fn::Sub'],
    ['Fn::Sub with variables', withUri({ 'Fn::Sub': [arn, { X: 'y' }] }), URI, 'Fn::Sub'],
    ['Ref', withUri({ Ref: 'CalcFunctionArn' }), URI, 'Ref'],
    ['Fn::GetAtt', withUri({ 'Fn::GetAtt': ['CalcFunction', 'Arn'] }), URI, 'Fn::GetAtt'],
    ['Fn::Join', withUri({ 'Fn::Join': ['', ['arn:aws:apigateway:', { Ref: 'AWS::Region' }]] }), URI, 'Fn::Join'],
    ['a string with ${AWS::Region} and ${CalcFunction.Arn}', withUri(arn), URI, 'Fn::Sub'],
    [
      'a string with ${CalcFunction.Arn}',
      withUri('arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${CalcFunction.Arn}/invocations'),
      URI,
      'Fn::Sub',
    ],
    [
      'an authorizerUri',
      {
        ...withUri('fn'),
        components: {
          securitySchemes: {
            auth: {
              type: 'apiKey',
              name: 'Authorization',
              in: 'header',
              'x-amazon-apigateway-authorizer': { type: 'token', authorizerUri: { 'Fn::Sub': arn } },
            },
          },
        },
      },
      '/components/securitySchemes/auth/x-amazon-apigateway-authorizer/authorizerUri',
      'Fn::Sub',
    ],
    [
      'a policy Resource',
      {
        ...withUri('fn'),
        'x-amazon-apigateway-policy': {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: { 'Fn::Sub': 'execute-api:/*' } }],
        },
      },
      '/x-amazon-apigateway-policy/Statement/0/Resource',
      'Fn::Sub',
    ],
    [
      'a SAM DefinitionBody including the definition',
      { 'Fn::Transform': { Name: 'AWS::Include', Parameters: { Location: 's3://b/api.yaml' } } },
      '',
      'Fn::Transform',
    ],
    [
      'an Fn:: key beside others',
      { ...withUri('fn'), 'x-amazon-apigateway-policy': { 'Fn::If': ['c', {}, {}], x: 1 } },
      '/x-amazon-apigateway-policy',
      'Fn::If',
    ],
  ]
  it.each(table)('%s', (_name, api, at, fn) => {
    const e = configError(() => createGateway({ api, functions: { fn: ok }, onWarning: () => {} }))
    expect(e.code).toBe('INVALID_DEFINITION')
    expect(e.pointer).toBe(at)
    expect(e.message).toContain(`CloudFormation intrinsic function \`${fn}\``)
    expect(e.message).toContain('resolve it before loading (gatehouse loads the API definition, not the template)')
    // The other way out depends on the field: a function's ARN can name a handler in `functions`; anything else
    // needs the value CloudFormation would give it.
    if (/\/(uri|authorizerUri)$/.test(at)) expect(e.message).toContain('give its handler in `functions`')
    else expect(e.message).toContain('write the value CloudFormation would give it')
    // The pointer is said once (GatewayConfigError puts it first).
    expect(e.message.split(at || '\u0000').length).toBeLessThanOrEqual(2)
    expect(e.message).not.toMatch(/must be a string|"arn"/)
  })

  it('a native definition is checked too', () => {
    const e = configError(() =>
      createGateway({ api: { resources: { '/calc': { GET: { integration: { type: 'AWS_PROXY', uri: { 'Fn::Sub': arn } as never } } } } } }),
    )
    expect(e.pointer).toBe('/resources/~1calc/GET/integration/uri')
    expect(e.message).toMatch(/CloudFormation intrinsic function `Fn::Sub`/)
  })

  it('stage variables, VTL ${} references and example values are not intrinsics', () => {
    const api = {
      openapi: '3.0.1',
      info,
      paths: {
        '/calc': {
          post: {
            requestBody: { content: { 'application/json': { schema: { type: 'object', example: { Ref: 'a' } } } } },
            'x-amazon-apigateway-integration': {
              type: 'aws',
              httpMethod: 'POST',
              uri: '${stageVariables.fn}',
              requestTemplates: { 'application/json': '{"a": "${input.body}"}' },
              responses: { default: { statusCode: '200' } },
            },
          },
        },
      },
    }
    expect(() => createGateway({ api, functions: { fn: ok }, stage: { stageName: 'prod', variables: { fn: 'fn' } } })).not.toThrow()
  })

  it('IAM policy variables in a Resource are not intrinsics', () => {
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
    const api = {
      ...withUri('fn'),
      'x-amazon-apigateway-policy': {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*/GET/users/${aws:username}' },
        ],
      },
    }
    expect(() => createGateway({ api, functions: { fn: ok }, onWarning: () => {} })).not.toThrow(/CloudFormation/)
  })

  it('a document shared through YAML anchors is scanned once per node', () => {
    // 40 levels of two references to the same node: 2^40 paths, 40 nodes.
    let node: Record<string, unknown> = { type: 'string' }
    for (let i = 0; i < 40; i++) node = { type: 'object', properties: { a: node, b: node } }
    const api = { ...withUri('fn'), components: { schemas: { Deep: node } } }
    expect(() => createGateway({ api, functions: { fn: ok } })).not.toThrow()
  })
})

describe('a security requirement naming an undefined scheme is a warning', () => {
  const mock = {
    'x-amazon-apigateway-integration': {
      type: 'mock',
      requestTemplates: { 'application/json': '{"statusCode": 200}' },
      responses: { default: { statusCode: '200' } },
    },
  }
  const cases: [string, Record<string, unknown>, string][] = [
    [
      'operation level, Swagger 2, no securityDefinitions',
      { swagger: '2.0', info, paths: { '/a': { get: { security: [{ api_key: [] }], ...mock } } } },
      '/paths/~1a/get/security',
    ],
    ['document level, Swagger 2', { swagger: '2.0', info, security: [{ api_key: [] }], paths: { '/a': { get: mock } } }, '/security'],
    [
      'operation level, OpenAPI 3, other schemes defined',
      {
        openapi: '3.0.1',
        info,
        components: {
          securitySchemes: { sigv4: { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'awsSigv4' } },
        },
        paths: { '/a': { get: { security: [{ api_key: [] }], ...mock } } },
      },
      '/paths/~1a/get/security',
    ],
    [
      'a name on Object.prototype',
      { openapi: '3.0.1', info, components: { securitySchemes: {} }, security: [{ constructor: [] }], paths: { '/a': { get: mock } } },
      '/security',
    ],
    [
      'an HTTP API',
      {
        openapi: '3.0.1',
        info,
        'x-amazon-apigateway-importexport-version': '1.0',
        security: [{ jwt: [] }],
        paths: { '/a': { get: mock } },
      },
      '/security',
    ],
  ]
  it.each(cases)('%s', async (_name, api, at) => {
    const seen: GatewayWarning[] = []
    const g = createGateway({ api, onWarning: (w) => seen.push(w) })
    const matching = seen.filter((w) => w.pointer === at)
    expect(matching.length).toBeGreaterThan(0)
    expect(matching.every((w) => w.code === 'UNSUPPORTED_EXTENSION' || w.code === 'IGNORED_SETTING')).toBe(true)
    if (g.apiType === 'REST') expect((await g.handle({ method: 'GET', path: '/a', headers: { host: 'h' } })).statusCode).toBe(200)
  })
})
