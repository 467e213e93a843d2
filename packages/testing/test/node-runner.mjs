// The node:test example of the README, run by node-runner.test.ts as
// `node --import tsx --test packages/testing/test/node-runner.mjs` (tsx resolves @gatehousejs/* to the sources
// through tsconfig.json's paths). Plain assertion functions: no matcher library.
// Gateway responses: https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
// Throttling: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createGateway } from '@gatehousejs/core'
import { assertGatewayResponse, assertInvoked, createFakeClock, recordInvocations, request, testInvoke } from '@gatehousejs/testing'

function petsGateway() {
  const clock = createFakeClock('2025-01-15T12:00:00Z')
  const rec = recordInvocations({
    getPet: async (event) => ({ statusCode: 200, body: JSON.stringify({ id: event.pathParameters.id }) }),
  })
  const gw = createGateway({
    api: { resources: { '/pets/{id}': { GET: { integration: { type: 'AWS_PROXY', uri: 'getPet' } } } } },
    functions: rec.functions,
    now: clock.now,
    stage: { stageName: 'prod', methodSettings: { '*/*': { throttlingRateLimit: 1, throttlingBurstLimit: 1 } } },
  })
  return { gw, rec, clock }
}

test('a pet, through the gateway', async () => {
  const { gw, rec } = petsGateway()
  const res = await testInvoke(gw, { method: 'GET', path: '/pets/7' })
  assert.equal(res.statusCode, 200)
  assert.deepEqual(res.json(), { id: '7' })
  assertInvoked(rec, 'getPet', { pathParameters: { id: '7' } })
  assert.throws(() => assertInvoked(rec, 'getPet', { pathParameters: { id: '8' } }), assert.AssertionError)
})

test('throttled until the clock moves', async () => {
  const { gw, clock } = petsGateway()
  await request(gw).get('/pets/1').expect(200)
  assertGatewayResponse(await request(gw).get('/pets/1'), 'THROTTLED')
  clock.advance(1000)
  await request(gw).get('/pets/1').expect(200)
  await assert.rejects(async () => request(gw).get('/pets/1').expect(200), /expected status 200, got 429/)
})
