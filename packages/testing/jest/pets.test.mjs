// The README's jest example: matchers (expect.extend in setup.mjs), the fake clock, recorded invocations, an API
// key, a SigV4-signed request and a JWT from a local issuer. Run by ../test/jest-runner.test.ts.
// Throttling: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html
// Gateway responses: https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
// JWT authorizers: https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html
import { expect, test } from '@jest/globals'
import { createGateway } from '@gatehousejs/core'
import { createFakeClock, createTestIssuer, recordInvocations, request, signRequest, testInvoke, withApiKey } from '@gatehousejs/testing'

const getPet = async (event) => ({ statusCode: 200, body: JSON.stringify({ id: event.pathParameters.id }) })

test('throttles, then refills', async () => {
  const clock = createFakeClock('2025-01-15T12:00:00Z')
  const rec = recordInvocations({ getPet })
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
  expect(rec).not.toHaveInvoked('getPet', { pathParameters: { id: '8' } })
})

test('an API key, a SigV4 signature', async () => {
  const clock = createFakeClock()
  const key = { id: 'alice', value: 'alice-key-0123456789abcdef' }
  const credentials = { accessKeyId: 'AKIAALICE', secretAccessKey: 'alice-secret' }
  const gw = createGateway({
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
  await request(gw).get('/pets/1').set(withApiKey(key)).expect(200)
  expect(await request(gw).get('/pets/1')).toBeGatewayResponse('INVALID_API_KEY')
  const signed = signRequest({ method: 'GET', path: '/admin/1' }, { credentials, date: clock.now() })
  expect((await testInvoke(gw, signed)).statusCode).toBe(200)
  expect(await testInvoke(gw, { method: 'GET', path: '/admin/1' })).toBeGatewayResponse('MISSING_AUTHENTICATION_TOKEN', { status: 403 })
})

test('a JWT from a local issuer, refused once expired', async () => {
  const clock = createFakeClock()
  const idp = createTestIssuer({ audience: 'pets', now: clock.now })
  const gw = createGateway({
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
  const token = idp.sign({ sub: 'alice' }, { expiresIn: 60 })
  await request(gw).get('/pets/3').set('authorization', `Bearer ${token}`).expect(200, { id: '3' })
  clock.advance(61_000)
  await request(gw).get('/pets/3').set('authorization', `Bearer ${token}`).expect(401)
})
