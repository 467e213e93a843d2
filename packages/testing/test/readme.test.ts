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

it('is the README example', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
  const self = readFileSync(new URL(import.meta.url), 'utf8')
  const body = (text: string) =>
    text.slice(text.indexOf("it('throttles, then refills'"), text.indexOf("expect(rec).toHaveInvoked('getPet'"))
  expect(body(readme).length).toBeGreaterThan(100)
  expect(body(self)).toBe(body(readme))
})
