// The node:test example of the README, run by node-runner.test.ts as
// `node --import tsx --test packages/testing/test/node-runner.mjs` (tsx resolves @gatehousejs/* to the sources
// through tsconfig.json's paths). Plain assertion functions: no matcher library.
// Gateway responses: https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
// Throttling: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html
// JWT authorizers: https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createGateway } from '@gatehousejs/core'
import {
  assertGatewayResponse,
  assertInvoked,
  createFakeClock,
  createTestIssuer,
  recordInvocations,
  request,
  signRequest,
  testInvoke,
  withApiKey,
} from '@gatehousejs/testing'

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

test('a JWT, an API key and a SigV4 signature', async () => {
  const clock = createFakeClock()
  const idp = createTestIssuer({ audience: 'pets', now: clock.now })
  const key = { id: 'alice', value: 'alice-key-0123456789abcdef' }
  const credentials = { accessKeyId: 'AKIAALICE', secretAccessKey: 'alice-secret' }
  const getPet = async (event) => ({ statusCode: 200, body: JSON.stringify({ id: event.pathParameters.id }) })
  const http = createGateway({
    apiType: 'HTTP',
    api: {
      authorizers: {
        jwt: { type: 'JWT', identitySource: '$request.header.Authorization', jwtConfiguration: { issuer: idp.issuer, audience: ['pets'] } },
      },
      resources: {
        '/pets/{id}': { GET: { authorizationType: 'JWT', authorizer: 'jwt', integration: { type: 'AWS_PROXY', uri: 'getPet' } } },
      },
    },
    functions: { getPet },
    authorization: idp.authorization,
    now: clock.now,
  })
  await request(http)
    .get('/pets/1')
    .set('authorization', `Bearer ${idp.sign({ sub: 'alice' })}`)
    .expect(200)
  await request(http)
    .get('/pets/1')
    .set('authorization', `Bearer ${idp.sign({ sub: 'alice', aud: 'other' })}`)
    .expect(401)

  const rest = createGateway({
    api: {
      resources: {
        '/pets/{id}': { GET: { apiKeyRequired: true, integration: { type: 'AWS_PROXY', uri: 'getPet' } } },
        '/admin/{id}': { GET: { authorizationType: 'AWS_IAM', integration: { type: 'AWS_PROXY', uri: 'getPet' } } },
      },
    },
    functions: { getPet },
    now: clock.now,
    stage: { stageName: 'prod' },
    apiKeys: [key],
    usagePlans: [{ id: 'gold', apiStages: [{ stage: 'prod' }], keys: ['alice'] }],
    principals: {
      [credentials.accessKeyId]: {
        secretAccessKey: credentials.secretAccessKey,
        arn: 'arn:aws:iam::123456789012:user/alice',
        policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' }] }],
      },
    },
  })
  await request(rest).get('/pets/1').set(withApiKey(key)).expect(200)
  assertGatewayResponse(await request(rest).get('/pets/1'), 'INVALID_API_KEY')
  const signed = signRequest({ method: 'GET', path: '/admin/1' }, { credentials, date: clock.now() })
  assert.equal((await testInvoke(rest, signed)).statusCode, 200)
  const tampered = { ...signed, path: '/admin/2' }
  assert.equal((await testInvoke(rest, tampered)).statusCode, 403)
})
