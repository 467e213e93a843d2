// createTestIssuer against real gateways: an HTTP API JWT authorizer discovers the issuer's keys through its
// `fetch` (no network), accepts the minted RS256 and ES256 tokens, and refuses expired (by the fake clock),
// wrong-audience, wrong-issuer, unknown-kid and tampered tokens; a REST Cognito authorizer reads the same JWKS.
// JWT authorizers: https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html
// Cognito authorizers: https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-integrate-with-cognito.html
// OIDC discovery: https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfig
import { createGateway } from '@gatehousejs/core'
import { verifyJwtSync } from '@gatehousejs/jwt'
import { createFakeClock, createTestIssuer, request, testInvoke } from '@gatehousejs/testing'
import { describe, expect, it } from 'vitest'

function jwtGateway(options: { audience?: string } = {}) {
  const clock = createFakeClock('2025-06-01T08:00:00Z')
  const idp = createTestIssuer({ audience: options.audience ?? 'pets-client', now: clock.now })
  const gw = createGateway({
    apiType: 'HTTP',
    api: {
      authorizers: {
        jwt: {
          type: 'JWT',
          identitySource: '$request.header.Authorization',
          jwtConfiguration: { issuer: idp.issuer, audience: ['pets-client'] },
        },
      },
      resources: {
        '/me': {
          GET: { authorizationType: 'JWT', authorizer: 'jwt', integration: { type: 'AWS_PROXY', uri: 'me', payloadFormatVersion: '2.0' } },
        },
      },
    },
    functions: {
      me: async (event: { requestContext: { authorizer: { jwt: { claims: Record<string, unknown> } } } }) => ({
        statusCode: 200,
        body: JSON.stringify(event.requestContext.authorizer.jwt.claims),
      }),
    },
    authorization: idp.authorization,
    now: clock.now,
  })
  return { gw, idp, clock }
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

describe('createTestIssuer with a JWT authorizer', () => {
  it('accepts minted RS256 and ES256 tokens, with their claims, keys fetched through its fetch', async () => {
    const { gw, idp } = jwtGateway()
    const res = await testInvoke(gw, { method: 'GET', path: '/me', headers: bearer(idp.sign({ sub: 'alice', scope: 'pets/read' })) })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ sub: 'alice', iss: idp.issuer, aud: 'pets-client' })
    // Discovery, then the JWKS: nothing else, and nothing from the network.
    expect(idp.fetchCount).toBe(2)
    await request(gw)
      .get('/me')
      .set(bearer(idp.sign({ sub: 'bob' }, { alg: 'ES256' })))
      .expect(200)
    expect(idp.fetchCount).toBe(2)
  })

  it('refuses a token once it expires by the fake clock', async () => {
    const { gw, idp, clock } = jwtGateway()
    const token = idp.sign({ sub: 'alice' }, { expiresIn: 60 })
    await request(gw).get('/me').set(bearer(token)).expect(200)
    clock.advance(61_000)
    const res = await request(gw).get('/me').set(bearer(token))
    expect(res.statusCode).toBe(401)
    expect(res.header('www-authenticate')).toMatch(/invalid_token/)
    await request(gw)
      .get('/me')
      .set(bearer(idp.sign({ sub: 'alice' }, { expiresIn: -1 })))
      .expect(401)
  })

  it('refuses a token not yet valid until its nbf', async () => {
    const { gw, idp, clock } = jwtGateway()
    const token = idp.sign({ sub: 'alice' }, { notBefore: 120 })
    await request(gw).get('/me').set(bearer(token)).expect(401)
    clock.advance(121_000)
    await request(gw).get('/me').set(bearer(token)).expect(200)
  })

  it('refuses wrong-audience, wrong-issuer, unknown-kid and tampered tokens', async () => {
    const { gw, idp } = jwtGateway()
    const other = createTestIssuer({ issuer: idp.issuer, audience: 'pets-client' })
    const good = idp.sign({ sub: 'alice' })
    const [h, p, s] = good.split('.') as [string, string, string]
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), sub: 'mallory' })).toString('base64url')}.${s}`
    const refused = [
      idp.sign({ sub: 'alice', aud: 'another-client' }),
      idp.sign({ sub: 'alice', iss: 'https://elsewhere.gatehouse.test' }),
      idp.sign({ sub: 'alice' }, { kid: 'not-in-the-jwks' }),
      other.sign({ sub: 'alice' }), // same issuer URL and kid, another key
      forged,
    ]
    for (const token of refused) await request(gw).get('/me').set(bearer(token)).expect(401)
    await request(gw).get('/me').set(bearer(good)).expect(200)
  })

  it('its default audience is refused by an authorizer that expects another', async () => {
    const { gw, idp } = jwtGateway({ audience: 'someone-else' })
    expect(idp.audience).toBe('someone-else')
    await request(gw)
      .get('/me')
      .set(bearer(idp.sign({ sub: 'alice' })))
      .expect(401)
  })
})

describe('createTestIssuer, its parts', () => {
  it('tokens verify against its JWKS; fetch serves discovery and the JWKS, 404 for anything else', async () => {
    const idp = createTestIssuer({ issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Test', now: () => Date.UTC(2025, 0, 1) })
    for (const alg of ['RS256', 'ES256'] as const) {
      const token = idp.sign({ sub: 'u1' }, { alg })
      const jwk = idp.jwks.keys.find((k) => k.alg === alg)!
      const r = verifyJwtSync(token, { key: jwk, now: () => Date.UTC(2025, 0, 1) })
      expect(r.ok).toBe(true)
    }
    const discovery = await (await idp.fetch(`${idp.issuer}/.well-known/openid-configuration`)).json()
    expect(discovery).toEqual({ issuer: idp.issuer, jwks_uri: idp.jwksUri })
    expect(await (await idp.fetch(new URL(idp.jwksUri))).json()).toEqual(idp.jwks)
    expect((await idp.fetch('https://example.com/jwks.json')).status).toBe(404)
    expect(idp.jwks.keys.every((k) => k.d === undefined)).toBe(true)
  })

  it('works with a REST COGNITO_USER_POOLS authorizer (the pool issuer served on its JWKS path)', async () => {
    const clock = createFakeClock()
    const idp = createTestIssuer({ issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Test', now: clock.now })
    const gw = createGateway({
      api: {
        authorizers: {
          pool: { type: 'COGNITO_USER_POOLS', providerARNs: ['arn:aws:cognito-idp:us-east-1:111122223333:userpool/us-east-1_Test'] },
        },
        resources: {
          '/me': { GET: { authorizationType: 'COGNITO_USER_POOLS', authorizer: 'pool', integration: { type: 'AWS_PROXY', uri: 'me' } } },
        },
      },
      functions: { me: async () => ({ statusCode: 200, body: 'ok' }) },
      authorization: idp.authorization,
      now: clock.now,
    })
    const id = idp.sign({ sub: 'alice', token_use: 'id' })
    await request(gw).get('/me').set('authorization', id).expect(200, 'ok')
    clock.advance(3601_000)
    await request(gw).get('/me').set('authorization', id).expect(401)
  })

  it('refuses an issuer that is not a URL and an unknown alg', () => {
    expect(() => createTestIssuer({ issuer: 'not a url' })).toThrow(TypeError)
    expect(() => createTestIssuer().sign({}, { alg: 'HS256' as 'RS256' })).toThrow(/unsupported alg/)
  })
})
