// signRequest and withApiKey against real gateways: an AWS_IAM route accepts what signRequest signs (header and
// presigned) and refuses a tampered copy; an API-key route accepts the key withApiKey sends.
// SigV4 signed requests: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
// Presigned (query string) auth: https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
// IAM for API Gateway: https://docs.aws.amazon.com/apigateway/latest/developerguide/permissions.html
// API keys (x-api-key): https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-key-source.html
// Gateway responses: https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
import { createGateway, type PolicyDocument } from '@gatehousejs/core'
import {
  assertGatewayResponse,
  createFakeClock,
  DEFAULT_SIGNED_HOST,
  request,
  signRequest,
  type TestInvokeRequest,
  testInvoke,
  withApiKey,
} from '@gatehousejs/testing'
import { describe, expect, it } from 'vitest'

/** API Gateway's INVALID_SIGNATURE answer: 403, the canonical request and string to sign quoted after AWS's message. */
function assertSignatureMismatch(res: Awaited<ReturnType<typeof testInvoke>>): void {
  expect(res.statusCode).toBe(403)
  expect(res.header('x-amzn-ErrorType')).toBe('InvalidSignatureException')
  expect(res.json<{ message: string }>().message).toMatch(
    /^The request signature we calculated does not match the signature you provided\./,
  )
}

const allowAll: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' }] }
const alice = { accessKeyId: 'AKIAALICE', secretAccessKey: 'alice-secret-0123456789' }

function iamGateway() {
  const clock = createFakeClock('2025-03-01T10:00:00Z')
  const gw = createGateway({
    api: {
      resources: {
        '/pets': {
          GET: { authorizationType: 'AWS_IAM', integration: { type: 'AWS_PROXY', uri: 'echo' } },
          POST: { authorizationType: 'AWS_IAM', integration: { type: 'AWS_PROXY', uri: 'echo' } },
        },
      },
    },
    functions: {
      echo: async (event: { body: string | null; queryStringParameters: unknown; requestContext: { identity: { userArn: string } } }) => ({
        statusCode: 200,
        body: JSON.stringify({ user: event.requestContext.identity.userArn, body: event.body, query: event.queryStringParameters }),
      }),
    },
    accountId: '111122223333',
    now: clock.now,
    principals: {
      [alice.accessKeyId]: { secretAccessKey: alice.secretAccessKey, arn: 'arn:aws:iam::111122223333:user/alice', policies: [allowAll] },
    },
  })
  return { gw, clock }
}

describe('signRequest', () => {
  it('an AWS_IAM route accepts a signed GET and refuses it unsigned', async () => {
    const { gw, clock } = iamGateway()
    const signed = signRequest({ method: 'GET', path: '/pets', query: { tag: 'a b' } }, { credentials: alice, date: clock.now() })
    expect(signed.headers).toMatchObject({ host: DEFAULT_SIGNED_HOST, 'x-amz-date': '20250301T100000Z' })
    expect(String((signed.headers as Record<string, string>).authorization)).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIAALICE\/20250301\/us-east-1\/execute-api\/aws4_request, /,
    )
    const res = await testInvoke(gw, signed)
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ user: 'arn:aws:iam::111122223333:user/alice', query: { tag: 'a b' } })
    assertGatewayResponse(await testInvoke(gw, { method: 'GET', path: '/pets' }), 'MISSING_AUTHENTICATION_TOKEN', { status: 403 })
  })

  it('signs a JSON body as sent, and a changed body no longer matches', async () => {
    const { gw, clock } = iamGateway()
    const signed = signRequest({ method: 'POST', path: '/pets', body: { name: 'Rex' } }, { credentials: alice, date: clock.now() })
    expect(signed.body).toBe('{"name":"Rex"}')
    expect((signed.headers as Record<string, string>)['content-type']).toBe('application/json')
    const ok = await testInvoke(gw, signed)
    expect(ok.statusCode).toBe(200)
    expect(ok.json()).toMatchObject({ body: '{"name":"Rex"}' })
    const tampered: TestInvokeRequest = { ...signed, body: '{"name":"Max"}' }
    assertSignatureMismatch(await testInvoke(gw, tampered))
  })

  it('refuses a tampered path, query, header or secret', async () => {
    const { gw, clock } = iamGateway()
    const signed = signRequest({ method: 'GET', path: '/pets', query: 'limit=1' }, { credentials: alice, date: clock.now() })
    const headers = signed.headers as Record<string, string>
    expect((await testInvoke(gw, signed)).statusCode).toBe(200)
    const cases: TestInvokeRequest[] = [
      { ...signed, query: 'limit=2' },
      { ...signed, method: 'POST' },
      { ...signed, headers: { ...headers, host: 'evil.example.com' } },
      signRequest(
        { method: 'GET', path: '/pets', query: 'limit=1' },
        { credentials: { ...alice, secretAccessKey: 'wrong' }, date: clock.now() },
      ),
    ]
    for (const c of cases) assertSignatureMismatch(await testInvoke(gw, c))
  })

  it('a signature from another time is refused once the skew passes 5 minutes, by the fake clock', async () => {
    const { gw, clock } = iamGateway()
    const signed = signRequest({ method: 'GET', path: '/pets' }, { credentials: alice, date: clock.now() })
    clock.advance(4 * 60_000)
    expect((await testInvoke(gw, signed)).statusCode).toBe(200)
    clock.advance(2 * 60_000)
    const late = await testInvoke(gw, signed)
    expect(late.statusCode).toBe(403)
    expect(late.json<{ message: string }>().message).toMatch(/Signature expired/)
  })

  it('presigns into the query string, valid until expiresIn passes', async () => {
    const { gw, clock } = iamGateway()
    const url = signRequest({ method: 'GET', path: '/pets?tag=x' }, { credentials: alice, date: clock.now(), presign: { expiresIn: 60 } })
    expect((url.headers as Record<string, string>).authorization).toBeUndefined()
    expect(url.path).toBe('/pets')
    expect(String(url.query)).toMatch(/^tag=x&X-Amz-Algorithm=AWS4-HMAC-SHA256&.*X-Amz-Expires=60&.*X-Amz-Signature=[0-9a-f]{64}$/)
    const res = await request(gw)
      .get(url.path)
      .set(url.headers as Record<string, string>)
      .query(url.query!)
      .expect(200)
    expect(res.json()).toMatchObject({ query: { tag: 'x' } })
    assertSignatureMismatch(await testInvoke(gw, { ...url, query: String(url.query).replace('tag=x', 'tag=y') }))
    clock.advance(61_000)
    const expired = await testInvoke(gw, url)
    expect(expired.statusCode).toBe(403)
    expect(expired.json<{ message: string }>().message).toMatch(/expired/i)
  })

  it('refuses bad options as the signer does', () => {
    expect(() => signRequest({ method: 'GET', path: '/pets' }, { credentials: { accessKeyId: '', secretAccessKey: 'x' } })).toThrow(
      /accessKeyId/,
    )
    expect(() => signRequest({ method: 'GET', path: '/pets' }, { credentials: alice, presign: { expiresIn: 604_801 } })).toThrow(
      /expiresIn/,
    )
  })
})

describe('withApiKey', () => {
  const KEY = 'alice-key-0123456789abcdef'
  const gw = createGateway({
    api: { resources: { '/pets': { GET: { apiKeyRequired: true, integration: { type: 'AWS_PROXY', uri: 'list' } } } } },
    functions: { list: async () => ({ statusCode: 200, body: '[]' }) },
    apiKeys: [{ id: 'alice', value: KEY }],
    usagePlans: [{ id: 'gold', apiStages: [{ stage: 'prod' }], keys: ['alice'] }],
    stage: { stageName: 'prod' },
  })

  it('sends the key in x-api-key: a known key passes, another is refused', async () => {
    expect(withApiKey(KEY)).toEqual({ 'x-api-key': KEY })
    expect(withApiKey({ id: 'alice', value: KEY })).toEqual({ 'x-api-key': KEY })
    expect((await testInvoke(gw, { method: 'GET', path: '/pets', headers: withApiKey(KEY) })).statusCode).toBe(200)
    await request(gw)
      .get('/pets')
      .set(withApiKey({ value: KEY }))
      .expect(200)
    assertGatewayResponse(await request(gw).get('/pets').set(withApiKey('not-a-key-0123456789abc')), 'INVALID_API_KEY')
    assertGatewayResponse(await request(gw).get('/pets'), 'INVALID_API_KEY')
  })

  it('refuses a key without a value', () => {
    expect(() => withApiKey({ id: 'x' })).toThrow(TypeError)
  })
})
