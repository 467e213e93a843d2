/** The API and the in-process Lambda functions the shared adapter suite mounts. */
import type { GatewayInput } from '@gatehousejs/core'

const FN = (name: string) =>
  `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:${name}/invocations`

const proxy = (fn: string) => ({ 'x-amazon-apigateway-integration': { type: 'aws_proxy', httpMethod: 'POST', uri: FN(fn) } })

/** The suite's API: Lambda-proxy, mock and app routes. */
export const suiteApi = {
  openapi: '3.0.1',
  info: { title: 'adapter-suite', version: '1' },
  'x-amazon-apigateway-binary-media-types': ['application/octet-stream', 'image/*'],
  paths: {
    '/pets/{id}': { get: proxy('echo') },
    '/upload': { post: proxy('echo') },
    '/binary': { post: proxy('binary') },
    '/cookies': { get: proxy('cookies') },
    '/boom': { get: proxy('boom') },
    '/mock': {
      get: {
        'x-amazon-apigateway-integration': {
          type: 'mock',
          requestTemplates: { 'application/json': '{"statusCode": 200}' },
          responses: { default: { statusCode: '200', responseTemplates: { 'application/json': '{"mocked": true}' } } },
        },
      },
    },
    '/app/echo': { post: { 'x-amazon-apigateway-integration': { type: 'app' } } },
  },
}

type Event = Record<string, any>

/** In-process Lambda functions of the suite. */
export const suiteFunctions = {
  echo: async (event: Event) => ({
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      httpMethod: event.httpMethod,
      path: event.path,
      resource: event.resource,
      pathParameters: event.pathParameters,
      queryStringParameters: event.queryStringParameters,
      multiValueQueryStringParameters: event.multiValueQueryStringParameters,
      headers: event.headers,
      multiValueHeaders: event.multiValueHeaders,
      body: event.body,
      isBase64Encoded: event.isBase64Encoded,
      sourceIp: event.requestContext?.identity?.sourceIp,
    }),
  }),
  // Echoes the request bytes back as a binary response.
  binary: async (event: Event) => ({
    statusCode: 200,
    headers: { 'content-type': 'application/octet-stream' },
    body: event.isBase64Encoded ? event.body : Buffer.from(event.body ?? '').toString('base64'),
    isBase64Encoded: true,
  }),
  cookies: async (event: Event) => ({
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    multiValueHeaders: { 'Set-Cookie': ['session=abc; Path=/; HttpOnly', 'theme=dark; Path=/'] },
    body: JSON.stringify({ cookie: event.multiValueHeaders?.cookie ?? event.multiValueHeaders?.Cookie ?? null }),
  }),
  boom: async () => {
    throw new Error('boom')
  },
}

/** The gateway input the suite mounts. */
export function suiteInput(extra: Partial<GatewayInput> = {}): GatewayInput {
  return { api: suiteApi, functions: suiteFunctions, onWarning: () => {}, ...extra }
}
