// SAM's `api_backend_swagger` example: a Swagger 2.0 REST API whose one method (ANY /) calls a Lambda function
// through a custom (`aws`) integration with the console's "Method Request passthrough" mapping template, the
// function named by a stage variable.
//
// Source: github.com/aws/serverless-application-model, examples/2016-10-31/api_backend_swagger/swagger.json (with
//   template.yaml beside it: `DefinitionUri: s3://<bucket>/swagger.json`, stage `prod`, stage variable
//   `lambdaEndpoint: !Ref SAMInfo`), at commit c4d4d25c50c99a17f701332c8f7844c2e18cab9f. That commit is the head of
//   pull request #29 (refs/pull/29/head); the example was never merged into the default branch, which has no
//   `api_backend_swagger`. License: Apache-2.0 (the repository's LICENSE). Copy: fixtures/sam-api-backend-swagger.json.
//
// AWS documentation cited:
// - Import (basePath ignored by default):
//     https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-import-api-basePath.html
// - x-amazon-apigateway-any-method:
//     https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-any-method.html
// - Stage variables in a Lambda integration URI:
//     https://docs.aws.amazon.com/apigateway/latest/developerguide/stage-variables.html
// - The mapping template's variables ($input.params(), $input.json, $util.escapeJavaScript, $stageVariables,
//   $context.*): https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html
//   ($context.identity.* fields are empty for an unsigned, unauthorized request)
// - passthroughBehavior when_no_templates (a content type with no template: 415 "Unsupported Media Type"; no
//   Content-Type is taken as application/json):
//     https://docs.aws.amazon.com/apigateway/latest/developerguide/integration-passthrough-behaviors.html
// - Integration responses: with only a `default` response, the Lambda result (and a Lambda error's
//   errorMessage/errorType object) passes through with status 200:
//     https://docs.aws.amazon.com/apigateway/latest/developerguide/handle-errors-in-lambda-integration.html
// - No resource at the path: 403 {"message":"Missing Authentication Token"}:
//     https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { createGateway, GatewayConfigError, type GatewayWarning } from '@gatehousejs/core'
import { header, json, req } from '../../packages/core/test/helpers'

const fixture = new URL('./fixtures/sam-api-backend-swagger.json', import.meta.url)
const load = () => JSON.parse(readFileSync(fixture, 'utf8')) as Record<string, unknown>

// The SAMInfo function, written from the example's description ("Returns API call and SAM Resources
// information"): it answers with the method and API id the template put in the event, its own name, the table it
// was configured with, and the whole event it received.
const events: unknown[] = []
const SAMInfo = async (event: any, context: any) => {
  events.push(event)
  return {
    HTTP_Method: event.context['http-method'],
    API_ID: event.context['api-id'],
    Lambda_Function: context?.functionName,
    DynamoDB_Table: 'SAMInfoTable',
    API_Request: event,
  }
}

// template.yaml sets the stage variable with `!Ref SAMInfo`, the function's name; here the function is registered
// under that name.
const stage = { stageName: 'prod', variables: { lambdaEndpoint: 'SAMInfo' } }
const build = (functions: Record<string, (e: any, c: any) => unknown> = { SAMInfo }, extra: Record<string, unknown> = {}) => {
  const warnings: GatewayWarning[] = []
  const gateway = createGateway({
    api: load(),
    stage,
    functions: functions as never,
    apiId: 'a1b2c3d4e5',
    accountId: '123456789012',
    onWarning: (w) => warnings.push(w),
    ...extra,
  })
  return { gateway, warnings }
}

describe('loading the document as published', () => {
  it('loads as a REST API with no warnings, and strict: true loads it too', () => {
    const { gateway, warnings } = build()
    expect(warnings).toEqual([])
    expect(Object.keys(gateway.definition.resources)).toEqual(['/'])
    expect(() => build(undefined, { strict: true })).not.toThrow()
  })

  it('without the stage variable the URI names no function: the error points at the integration uri', () => {
    let caught: unknown
    try {
      createGateway({ api: load(), stage: 'prod', functions: { SAMInfo } as never })
    } catch (e) {
      caught = e
    }
    expect(caught).toBeInstanceOf(GatewayConfigError)
    expect((caught as GatewayConfigError).pointer).toBe('/paths/~1/x-amazon-apigateway-any-method/x-amazon-apigateway-integration/uri')
    expect((caught as GatewayConfigError).message).toContain('lambdaEndpoint')
  })
})

describe('ANY / through the passthrough mapping template', () => {
  it('POST with a JSON body: the function gets body-json, params, stage-variables and context as the template builds them', async () => {
    events.length = 0
    const { gateway } = build()
    const res = await gateway.handle(
      req('POST', '/?color=red&quote=%22x%22', {
        headers: { 'content-type': 'application/json', 'x-note': 'say "hi"' },
        body: '{"pet":{"name":"Rex","age":3}}',
      }),
    )
    expect(res.statusCode).toBe(200)
    expect(header(res, 'content-type')).toBe('application/json')
    expect(events).toHaveLength(1)
    const event = events[0] as any
    expect(event['body-json']).toEqual({ pet: { name: 'Rex', age: 3 } })
    expect(event.params.path).toEqual({})
    // $util.escapeJavaScript escapes the double quotes, so the template's output is still JSON.
    expect(event.params.querystring).toEqual({ color: 'red', quote: '"x"' })
    expect(event.params.header).toMatchObject({ 'content-type': 'application/json', 'x-note': 'say "hi"' })
    expect(event['stage-variables']).toEqual({ lambdaEndpoint: 'SAMInfo' })
    const requestId = header(res, 'x-amzn-RequestId')
    expect(event.context).toEqual({
      'account-id': '',
      'api-id': 'a1b2c3d4e5',
      'api-key': '',
      'authorizer-principal-id': '',
      caller: '',
      'cognito-authentication-provider': '',
      'cognito-authentication-type': '',
      'cognito-identity-id': '',
      'cognito-identity-pool-id': '',
      'http-method': 'POST',
      stage: 'prod',
      'source-ip': '203.0.113.7',
      user: '',
      'user-agent': 'test-agent',
      'user-arn': '',
      'request-id': requestId,
      'resource-id': expect.stringMatching(/^[a-z0-9]+$/),
      'resource-path': '/',
    })
    // The default integration response passes the function's result through.
    expect(json(res)).toEqual({
      HTTP_Method: 'POST',
      API_ID: 'a1b2c3d4e5',
      Lambda_Function: 'SAMInfo',
      DynamoDB_Table: 'SAMInfoTable',
      API_Request: event,
    })
  })

  it.each(['GET', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'])(
    '%s / reaches the same method (x-amazon-apigateway-any-method); with no body and no Content-Type the template still runs',
    async (method) => {
      events.length = 0
      const { gateway } = build()
      const res = await gateway.handle(req(method, '/'))
      expect(res.statusCode).toBe(200)
      expect(events).toHaveLength(1)
      const event = events[0] as any
      expect(event.context['http-method']).toBe(method)
      expect(event['body-json']).toEqual({})
      expect(event.params.querystring).toEqual({})
    },
  )

  it('when_no_templates: a Content-Type with no template is refused, 415 {"message":"Unsupported Media Type"}', async () => {
    events.length = 0
    const { gateway } = build()
    const res = await gateway.handle(req('POST', '/', { headers: { 'content-type': 'text/plain' }, body: 'hello' }))
    expect(res.statusCode).toBe(415)
    expect(json(res)).toEqual({ message: 'Unsupported Media Type' })
    expect(events).toEqual([])
  })

  it('a function error is matched by the default response only: 200 with the error object', async () => {
    const { gateway } = build({
      SAMInfo: async () => {
        throw new Error('table not found')
      },
    })
    const res = await gateway.handle(req('GET', '/'))
    expect(res.statusCode).toBe(200)
    expect(json(res)).toMatchObject({ errorMessage: 'table not found', errorType: 'Error' })
  })

  it.each([['/users'], ['/prod'], ['/prod/']])('%s is not a resource: 403 {"message":"Missing Authentication Token"}', async (path) => {
    events.length = 0
    const { gateway } = build()
    const res = await gateway.handle(req('GET', path))
    expect(res.statusCode).toBe(403)
    expect(json(res)).toEqual({ message: 'Missing Authentication Token' })
    expect(events).toEqual([])
  })
})
