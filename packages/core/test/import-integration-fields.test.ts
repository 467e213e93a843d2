/**
 * Every field of `x-amazon-apigateway-integration` is acted on or warned about (refused with `strict`), never
 * dropped in silence.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-integration.html
 */
import { describe, expect, it } from 'vitest'
import { createGateway, GatewayConfigError, type GatewayWarning } from '@gatehousejs/core'

const AT = '/paths/~1b/get/x-amazon-apigateway-integration'

function load(extra: Record<string, unknown>, strict = false): GatewayWarning[] {
  const warnings: GatewayWarning[] = []
  createGateway({
    api: {
      openapi: '3.0.1',
      info: { title: 't', version: '1' },
      paths: {
        '/b': {
          get: { 'x-amazon-apigateway-integration': { type: 'http_proxy', httpMethod: 'GET', uri: 'http://backend.example/b', ...extra } },
        },
      },
    },
    strict,
    onWarning: (w) => warnings.push(w),
  })
  return warnings
}

describe('x-amazon-apigateway-integration fields', () => {
  const warned: [string, Record<string, unknown>, RegExp][] = [
    ['connectionType VPC_LINK', { connectionType: 'VPC_LINK', connectionId: 'abc' }, /connectionType is ignored: VPC links/],
    ['tlsConfig', { tlsConfig: { insecureSkipVerification: true } }, /tlsConfig is ignored/],
    ['credentials', { credentials: 'arn:aws:iam::123456789012:role/apigw' }, /credentials is ignored: no IAM role is assumed/],
    [
      'responseParameters (HTTP API)',
      { responseParameters: { '200': { 'overwrite:statuscode': '204' } } },
      /responseParameters is ignored/,
    ],
    ['a name AWS does not document', { timeoutInMilis: 100 }, /timeoutInMilis is ignored: gatehouse does not know/],
  ]
  for (const [name, extra, message] of warned) {
    it(`warns about ${name} with its pointer, and strict refuses it`, () => {
      const key = Object.keys(extra)[0]!
      expect(load(extra)[0]).toMatchObject({ code: 'IGNORED_SETTING', message: expect.stringMatching(message), pointer: `${AT}/${key}` })
      expect(() => load(extra, true)).toThrow(GatewayConfigError)
    })
  }

  it('connectionType INTERNET is what happens anyway: no warning', () => {
    expect(load({ connectionType: 'INTERNET' })).toEqual([])
  })

  it('fields it acts on are not warned about', () => {
    expect(
      load({
        requestParameters: { 'integration.request.path.id': 'method.request.path.id' },
        timeoutInMillis: 5000,
        passthroughBehavior: 'when_no_match',
        cacheKeyParameters: [],
        cacheNamespace: 'ns',
        responses: { default: { statusCode: '200' } },
      }),
    ).toEqual([])
  })

  it('integrationSubtype belongs to HTTP APIs: on a REST API it is refused, naming the field', () => {
    expect(() => load({ integrationSubtype: 'SQS-SendMessage' })).toThrow(
      expect.objectContaining({ code: 'INVALID_DEFINITION', pointer: `${AT}/integrationSubtype` }),
    )
  })

  // AWS service integrations are served (test/aws-service/): an HTTP API's subtype is acted on, without a warning.
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-aws-services-reference.html
  it('HTTP: an SQS-SendMessage integration is acted on (no warning) and calls the sqs service', async () => {
    const warnings: GatewayWarning[] = []
    const sent: string[] = []
    const gw = createGateway({
      api: {
        openapi: '3.0.1',
        info: { title: 't', version: '1' },
        paths: {
          '/q': {
            post: {
              'x-amazon-apigateway-integration': {
                type: 'aws_proxy',
                integrationSubtype: 'SQS-SendMessage',
                requestParameters: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/q', MessageBody: '$request.body' },
              },
            },
          },
        },
      },
      apiType: 'HTTP',
      strict: true,
      onWarning: (w) => warnings.push(w),
      aws: {
        credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
        services: { sqs: (r) => (sent.push(Buffer.from(r.body).toString()), { statusCode: 200, body: '<SendMessageResponse/>' }) },
      },
    })
    const res = await gw.handle({ method: 'POST', path: '/q', headers: {}, body: 'hello' })
    expect(warnings).toEqual([])
    expect([res.statusCode, String(res.body)]).toEqual([200, '<SendMessageResponse/>'])
    expect(new URLSearchParams(sent[0]).get('MessageBody')).toBe('hello')
  })
})
