// The README's vitest example, as written there (so the guide stays true), plus the module augmentation it shows.
// Throttling: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html
// Gateway responses: https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
import { readFileSync } from 'node:fs'
import { createGateway } from '@gatehousejs/core'
import { createFakeClock, type GatehouseMatchers, gatehouseMatchers, recordInvocations, request } from '@gatehousejs/testing'
import { expect, it } from 'vitest'

declare module 'vitest' {
  interface Assertion<T> extends GatehouseMatchers<T> {}
}
expect.extend(gatehouseMatchers)

it('throttles, then refills', async () => {
  const clock = createFakeClock('2025-01-15T12:00:00Z')
  const rec = recordInvocations({ getPet: async (event) => ({ statusCode: 200, body: JSON.stringify({ id: event.pathParameters.id }) }) })
  const gw = createGateway({
    api: { resources: { '/pets/{id}': { GET: { integration: { type: 'AWS_PROXY', uri: 'getPet' } } } } },
    functions: rec.functions,
    now: clock.now,
    stage: { stageName: 'prod', methodSettings: { '*/*': { throttlingRateLimit: 1, throttlingBurstLimit: 1 } } },
  })
  await request(gw).get('/pets/7').expect(200, { id: '7' })
  expect(await request(gw).get('/pets/7')).toBeGatewayResponse('THROTTLED')
  clock.advance(1000)
  await request(gw).get('/pets/7').expect(200)
  expect(rec).toHaveInvoked('getPet', { pathParameters: { id: '7' } })
})

const ordersApi = {
  resources: {
    '/orders': { POST: { integration: { type: 'HTTP_PROXY' as const, uri: 'https://orders.example.com/orders' } } },
    '/queue': {
      POST: {
        integration: {
          type: 'AWS' as const,
          httpMethod: 'POST',
          uri: 'arn:aws:apigateway:us-east-1:sqs:path/123456789012/orders',
          requestParameters: { 'integration.request.header.Content-Type': "'application/x-www-form-urlencoded'" },
          requestTemplates: { 'application/json': 'Action=SendMessage&MessageBody=$util.urlEncode($input.body)' },
          responses: { default: { statusCode: '200' } },
        },
        responses: { '200': {} },
      },
    },
  },
}

it('sends the order on, then queues it', async () => {
  const rec = recordInvocations(
    {},
    {
      httpBackends: { 'https://orders.example.com': () => ({ statusCode: 201, body: '{"id":"o-1"}' }) },
      awsServices: { sqs: () => ({ statusCode: 200, body: '<SendMessageResponse/>' }) },
    },
  )
  const gw = createGateway({
    api: ordersApi, // POST /orders: HTTP_PROXY to https://orders.example.com/orders; POST /queue: AWS SQS SendMessage
    httpBackends: rec.httpBackends,
    aws: { credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' }, services: rec.awsServices },
  })
  await request(gw).post('/orders').send({ sku: 'A1' }).expect(201)
  await request(gw).post('/queue').send({ sku: 'A1' }).expect(200)
  expect(rec).toHaveInvoked('https://orders.example.com', { method: 'POST', path: '/orders', text: '{"sku":"A1"}' })
  expect(rec.callsOf('sqs')[0]?.event.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 /)
})

it('is the README example', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
  const self = readFileSync(new URL(import.meta.url), 'utf8')
  const body = (text: string) =>
    text.slice(text.indexOf("it('throttles, then refills'"), text.indexOf("expect(rec).toHaveInvoked('getPet'"))
  expect(body(readme).length).toBeGreaterThan(100)
  expect(body(self)).toBe(body(readme))
  const backends = (text: string) => text.slice(text.indexOf("it('sends the order on"), text.indexOf('toMatch(/^AWS4-HMAC-SHA256 /)'))
  expect(backends(readme).length).toBeGreaterThan(100)
  expect(backends(self)).toBe(backends(readme))
})
