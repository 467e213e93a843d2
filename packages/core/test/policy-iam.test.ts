/**
 * AWS_IAM authorization end to end at the module level: requests signed by the AWS SDK's signer
 * (@smithy/signature-v4), verified against configured principals, then identity and resource policies.
 * (Wiring into the gateway pipeline is the integrator's; this exercises everything up to the response.)
 */
import { Hash } from '@smithy/hash-node'
import { HttpRequest } from '@smithy/protocol-http'
import { SignatureV4 } from '@smithy/signature-v4'
import { describe, expect, it } from 'vitest'
import { createIamAuthorizer, executeApiArn, type IamPrincipalConfig, PolicyError, type PolicyDocument } from '@gatehousejs/core/policy'

const ACCOUNT = '111122223333'
const OTHER = '444455556666'
const HOST = 'abc123.execute-api.us-east-1.amazonaws.com'
const T = Date.UTC(2024, 4, 22, 12, 0, 0)
const arn = (method: string, path: string) =>
  executeApiArn({ region: 'us-east-1', accountId: ACCOUNT, apiId: 'abc123', stage: 'prod', method, path })

// From "Control access for invoking an API": view pets, not add them.
const viewPets: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: ['execute-api:Invoke'], Resource: ['arn:aws:execute-api:us-east-1:*:abc123/*/GET/pets'] },
    { Effect: 'Deny', Action: ['execute-api:Invoke'], Resource: ['arn:aws:execute-api:us-east-1:*:abc123/*/POST/pets'] },
  ],
}
const alice: IamPrincipalConfig = {
  accessKeyId: 'AKIAALICE',
  secretAccessKey: 'alice-secret',
  arn: `arn:aws:iam::${ACCOUNT}:user/Alice`,
  userId: 'AIDAALICE',
  policies: [viewPets],
}
const bob: IamPrincipalConfig = {
  accessKeyId: 'ASIABOB',
  secretAccessKey: 'bob-secret',
  sessionToken: 'bob-session-token',
  expiration: T + 3600_000,
  arn: `arn:aws:sts::${OTHER}:assumed-role/Caller/bob`,
  policies: [{ Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' }] }],
}

async function signed(
  who: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
  method: string,
  path: string,
  at = T,
  region = 'us-east-1',
) {
  const signer = new SignatureV4({ credentials: who, region, service: 'execute-api', sha256: Hash.bind(null, 'sha256') })
  const r = await signer.sign(
    new HttpRequest({ method, protocol: 'https:', hostname: HOST, path: `/prod${path}`, headers: { host: HOST } }),
    { signingDate: new Date(at) },
  )
  return { method, path: `/prod${path}`, query: '', headers: r.headers, sourceIp: '203.0.113.9' }
}

describe('AWS_IAM authorizer', () => {
  const iam = createIamAuthorizer({ principals: [alice, bob], region: 'us-east-1', now: () => T })

  it('allows what the identity policy allows and fills $context.identity', async () => {
    const r = await iam.authorize({ request: await signed(alice, 'GET', '/pets'), resourceArn: arn('GET', '/pets') })
    expect(r).toEqual({
      ok: true,
      identity: {
        accessKey: 'AKIAALICE',
        accountId: ACCOUNT,
        caller: 'AIDAALICE',
        user: 'AIDAALICE',
        userArn: `arn:aws:iam::${ACCOUNT}:user/Alice`,
        sourceIp: '203.0.113.9',
      },
      principal: { arn: `arn:aws:iam::${ACCOUNT}:user/Alice`, accountId: ACCOUNT },
    })
  })

  it("explicit deny: 403 ACCESS_DENIED with IAM's message", async () => {
    const r = await iam.authorize({ request: await signed(alice, 'POST', '/pets'), resourceArn: arn('POST', '/pets') })
    expect(r).toMatchObject({
      ok: false,
      responseType: 'ACCESS_DENIED',
      statusCode: 403,
      body: JSON.stringify({
        Message:
          'User: arn:aws:iam::********3333:user/Alice is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:********3333:abc123/prod/POST/pets with an explicit deny',
      }),
    })
  })

  it('implicit deny: the same message without "with an explicit deny"', async () => {
    const r = await iam.authorize({ request: await signed(alice, 'GET', '/owners'), resourceArn: arn('GET', '/owners') })
    expect(r.ok === false && r.message).toBe(
      'User: arn:aws:iam::********3333:user/Alice is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:********3333:abc123/prod/GET/owners',
    )
  })

  it('missing token, bad signature, expired signature, wrong region, unknown key', async () => {
    const unsigned = { method: 'GET', path: '/prod/pets', query: '', headers: { host: HOST } }
    expect(await iam.authorize({ request: unsigned, resourceArn: arn('GET', '/pets') })).toMatchObject({
      ok: false,
      responseType: 'MISSING_AUTHENTICATION_TOKEN',
      statusCode: 403,
      body: '{"message":"Missing Authentication Token"}',
    })
    const tampered = await signed(alice, 'GET', '/pets')
    const bad = await iam.authorize({ request: { ...tampered, path: '/prod/pets/1' }, resourceArn: arn('GET', '/pets/1') })
    expect(bad).toMatchObject({ ok: false, responseType: 'INVALID_SIGNATURE', signatureCode: 'SIGNATURE_DOES_NOT_MATCH' })
    expect(bad.ok === false && JSON.parse(bad.body).message).toMatch(
      /^The request signature we calculated does not match the signature you provided\./,
    )
    const old = await iam.authorize({ request: await signed(alice, 'GET', '/pets', T - 6 * 60_000), resourceArn: arn('GET', '/pets') })
    expect(old).toMatchObject({
      ok: false,
      responseType: 'INVALID_SIGNATURE',
      body: JSON.stringify({
        message: 'Signature expired: 20240522T115400Z is now earlier than 20240522T115500Z (20240522T120000Z - 5 min.)',
      }),
    })
    const region = await iam.authorize({ request: await signed(alice, 'GET', '/pets', T, 'eu-west-1'), resourceArn: arn('GET', '/pets') })
    expect(region).toMatchObject({
      ok: false,
      body: JSON.stringify({ message: "Credential should be scoped to a valid region, not 'eu-west-1'. " }),
    })
    const unknown = await iam.authorize({
      request: await signed({ accessKeyId: 'AKIANOBODY', secretAccessKey: 'x' }, 'GET', '/pets'),
      resourceArn: arn('GET', '/pets'),
    })
    expect(unknown).toMatchObject({
      ok: false,
      responseType: 'INVALID_SIGNATURE',
      body: JSON.stringify({ message: 'The security token included in the request is invalid.' }),
    })
  })

  it('temporary credentials: token required; after expiration EXPIRED_TOKEN', async () => {
    expect(await iam.authorize({ request: await signed(bob, 'GET', '/pets'), resourceArn: arn('GET', '/pets') })).toMatchObject({
      ok: true,
      identity: { accessKey: 'ASIABOB', accountId: OTHER, userArn: `arn:aws:sts::${OTHER}:assumed-role/Caller/bob` },
    })
    const noToken = await iam.authorize({
      request: await signed({ accessKeyId: bob.accessKeyId, secretAccessKey: bob.secretAccessKey }, 'GET', '/pets'),
      resourceArn: arn('GET', '/pets'),
    })
    expect(noToken).toMatchObject({
      ok: false,
      responseType: 'INVALID_SIGNATURE',
      message: 'The security token included in the request is invalid.',
    })
    const later = createIamAuthorizer({ principals: [bob], region: 'us-east-1', now: () => T + 3600_000 })
    const expired = await later.authorize({ request: await signed(bob, 'GET', '/pets', T + 3600_000), resourceArn: arn('GET', '/pets') })
    expect(expired).toMatchObject({
      ok: false,
      responseType: 'EXPIRED_TOKEN',
      body: JSON.stringify({ message: 'The security token included in the request is expired' }),
    })
  })

  it('with a resource policy: cross-account needs both allows (Table B); an IP deny wins (resource policy examples)', async () => {
    const resourcePolicy: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: ACCOUNT },
          Action: 'execute-api:Invoke',
          Resource: `arn:aws:execute-api:us-east-1:${ACCOUNT}:abc123/*`,
        },
        {
          Effect: 'Deny',
          Principal: '*',
          Action: 'execute-api:Invoke',
          Resource: `arn:aws:execute-api:us-east-1:${ACCOUNT}:abc123/*`,
          Condition: { IpAddress: { 'aws:SourceIp': ['192.0.2.0/24'] } },
        },
      ],
    }
    const gated = createIamAuthorizer({ principals: [alice, bob], region: 'us-east-1', resourcePolicy, now: () => T })
    // Bob (account B) is allowed by his identity policy but not named by the resource policy → implicit deny.
    const cross = await gated.authorize({ request: await signed(bob, 'GET', '/pets'), resourceArn: arn('GET', '/pets') })
    expect(cross).toMatchObject({ ok: false, responseType: 'ACCESS_DENIED' })
    expect(cross.ok === false && cross.message).not.toMatch(/explicit deny/)
    // Alice (same account): resource policy allow suffices even for /owners, which her identity policy does not cover (Table A).
    expect(await gated.authorize({ request: await signed(alice, 'GET', '/owners'), resourceArn: arn('GET', '/owners') })).toMatchObject({
      ok: true,
    })
    // But her explicit identity deny still wins.
    expect(await gated.authorize({ request: await signed(alice, 'POST', '/pets'), resourceArn: arn('POST', '/pets') })).toMatchObject({
      ok: false,
      responseType: 'ACCESS_DENIED',
    })
    const fromBlocked = { ...(await signed(alice, 'GET', '/pets')), sourceIp: '192.0.2.44' }
    const blocked = await gated.authorize({ request: fromBlocked, resourceArn: arn('GET', '/pets') })
    expect(blocked.ok === false && blocked.message).toMatch(/with an explicit deny$/)
  })

  it('configuration errors throw PolicyError when the authorizer is built', () => {
    const cases: [string, () => unknown][] = [
      ['INVALID_IAM_CONFIG', () => createIamAuthorizer({ principals: [alice, alice], region: 'us-east-1' })],
      ['INVALID_IAM_CONFIG', () => createIamAuthorizer({ principals: [{ ...alice, arn: 'alice' }], region: 'us-east-1' })],
      ['INVALID_IAM_CONFIG', () => createIamAuthorizer({ principals: [alice], region: '' })],
      [
        'INVALID_POLICY',
        () =>
          createIamAuthorizer({
            principals: [{ ...alice, policies: [{ Statement: [{ Effect: 'Allow', Action: '*' }] } as never] }],
            region: 'us-east-1',
          }),
      ],
      [
        'INVALID_POLICY',
        () =>
          createIamAuthorizer({
            principals: [alice],
            region: 'us-east-1',
            resourcePolicy: { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
          }),
      ],
    ]
    for (const [code, build] of cases) {
      try {
        build()
        expect.unreachable()
      } catch (err) {
        expect(err).toBeInstanceOf(PolicyError)
        expect((err as PolicyError).code).toBe(code)
      }
    }
  })
})
