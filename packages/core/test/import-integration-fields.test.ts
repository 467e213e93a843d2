/**
 * Every field of `x-amazon-apigateway-integration` is acted on or warned about (refused with `strict`), never
 * dropped in silence; an AWS service integration, which cannot be served yet, is refused.
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

  it('an AWS service integration (integrationSubtype) is warned about as not served, naming the field', () => {
    expect(load({ integrationSubtype: 'SQS-SendMessage' })).toEqual([
      { code: 'IGNORED_SETTING', message: expect.stringContaining('not served yet'), pointer: `${AT}/integrationSubtype` },
    ])
  })

  it.each([
    ['REST', 500, { message: 'Internal server error' }],
    ['HTTP', 500, { message: 'Internal Server Error' }],
  ] as const)('%s: a request to an unserved AWS service integration answers %i and tells onError', async (apiType, status, body) => {
    const errors: unknown[] = []
    const gw = createGateway({
      api: {
        openapi: '3.0.1',
        info: { title: 't', version: '1' },
        paths: { '/q': { post: { 'x-amazon-apigateway-integration': { type: 'aws_proxy', integrationSubtype: 'SQS-SendMessage' } } } },
      },
      apiType,
      onWarning: () => {},
      onError: (e) => errors.push(e),
    })
    const res = await gw.handle({ method: 'POST', path: '/q', headers: {} })
    expect(res.statusCode).toBe(status)
    expect(JSON.parse(String(res.body))).toEqual(body)
    expect(errors).toMatchObject([{ message: expect.stringContaining('SQS-SendMessage') }])
  })
})
