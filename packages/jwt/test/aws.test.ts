import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  bearerToken,
  cognitoIssuer,
  cognitoJwksUri,
  createCognitoAuthorizer,
  createHttpApiJwtAuthorizer,
  hasAnyScope,
  httpApiClaims,
  JwtConfigError,
  restApiClaims,
  tokenScopes,
} from '@gatehousejs/jwt'
import { AUDIENCE, ISSUER, makeKey, NOW, NOW_MS, sign, startJwksServer, type JwksServer, type TestKey } from './helpers'

let rsa: TestKey
let other: TestKey
let server: JwksServer | undefined
const now = () => NOW_MS

beforeAll(async () => {
  rsa = await makeKey('RS256', 'pool-key')
  other = await makeKey('RS256', 'other-key', { rsaIndex: 1 })
})
afterEach(async () => {
  await server?.close()
  server = undefined
})

describe('scopes', () => {
  it('reads scope (space-separated) or scp (string or array)', () => {
    expect(tokenScopes({ scope: 'a  b c' })).toEqual(['a', 'b', 'c'])
    expect(tokenScopes({ scp: ['x', 'y'] })).toEqual(['x', 'y'])
    expect(tokenScopes({ scp: 'x y' })).toEqual(['x', 'y'])
    expect(tokenScopes({})).toEqual([])
    expect(hasAnyScope({ scope: 'a b' }, ['c', 'b'])).toBe(true)
    expect(hasAnyScope({ scope: 'a b' }, ['c'])).toBe(false)
    expect(hasAnyScope({}, [])).toBe(true)
    expect(hasAnyScope({}, undefined)).toBe(true)
  })
})

describe('AWS helpers', () => {
  it('maps a user pool ARN to its issuer and JWKS URL', () => {
    const issuer = cognitoIssuer('arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbC123')
    expect(issuer).toBe('https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123')
    expect(cognitoJwksUri(issuer)).toBe(`${issuer}/.well-known/jwks.json`)
    expect(() => cognitoIssuer('arn:aws:iam::123456789012:role/x')).toThrow(JwtConfigError)
  })

  it('takes the token from an identity source with or without Bearer', () => {
    expect(bearerToken('Bearer abc')).toBe('abc')
    expect(bearerToken('bearer   abc ')).toBe('abc')
    expect(bearerToken('abc')).toBe('abc')
    expect(bearerToken('Bearer ')).toBeUndefined()
    expect(bearerToken('')).toBeUndefined()
    expect(bearerToken(undefined)).toBeUndefined()
  })

  it('keeps a "__proto__" claim as a plain claim', () => {
    const payload = JSON.parse('{"__proto__":{"polluted":"yes"},"sub":"u"}') as Record<string, unknown>
    const claims = httpApiClaims(payload)
    expect(Object.getPrototypeOf(claims)).toBe(Object.prototype)
    expect(Object.keys(claims)).toEqual(['__proto__', 'sub'])
    expect((claims as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.keys(restApiClaims(payload))).toEqual(['__proto__', 'sub'])
  })

  it('renders claims as each API type exposes them', () => {
    const payload = { sub: 'u', exp: 1469818373, iat: 1469814773, email_verified: true, groups: ['a', 'b'], n: 3, o: { k: 1 } }
    expect(httpApiClaims(payload)).toEqual({
      sub: 'u',
      exp: '1469818373',
      iat: '1469814773',
      email_verified: 'true',
      groups: '[a b]',
      n: '3',
      o: '{"k":1}',
    })
    expect(restApiClaims(payload)).toEqual({
      sub: 'u',
      exp: 'Fri Jul 29 18:52:53 UTC 2016',
      iat: 'Fri Jul 29 17:52:53 UTC 2016',
      email_verified: 'true',
      groups: 'a,b',
      n: '3',
      o: '{"k":1}',
    })
  })
})

describe('HTTP API JWT authorizer', () => {
  async function authorizer() {
    server = await startJwksServer([rsa.jwk])
    return createHttpApiJwtAuthorizer({ issuer: ISSUER, audience: [AUDIENCE, 'second'], jwksUri: `${server.url}/jwks.json`, now })
  }

  it('authorizes a valid token and gives claims and scopes for the 2.0 event', async () => {
    const a = await authorizer()
    const token = await sign(rsa, { scope: 'pets/read pets/write', 'cognito:groups': ['admin'] })
    const outcome = await a.authorize(`Bearer ${token}`, ['pets/read'])
    expect(outcome).toMatchObject({
      ok: true,
      claims: { sub: 'user-1', iss: ISSUER, aud: AUDIENCE, exp: String(NOW + 3600), 'cognito:groups': '[admin]' },
      scopes: ['pets/read', 'pets/write'],
    })
    const idToken = await sign(rsa)
    expect(await a.authorize(idToken)).toMatchObject({ ok: true, scopes: null })
  })

  it('401 with www-authenticate for a missing, expired, wrong-audience or tampered token', async () => {
    const a = await authorizer()
    const missing = await a.authorize(undefined)
    expect(missing).toMatchObject({ ok: false, statusCode: 401, body: '{"message":"Unauthorized"}', code: 'MISSING' })
    const wrongAud = await a.authorize(await sign(rsa, { aud: 'elsewhere' }))
    expect(wrongAud).toMatchObject({
      ok: false,
      statusCode: 401,
      headers: { 'www-authenticate': 'Bearer scope="" error="invalid_token" error_description="the token does not have a valid audience"' },
    })
    expect(await a.authorize(await sign(rsa, { exp: NOW - 1 }))).toMatchObject({ statusCode: 401, code: 'JWT_EXPIRED' })
    const good = await sign(rsa)
    expect(await a.authorize(`${good.slice(0, -4)}AAAA`)).toMatchObject({ statusCode: 401, code: 'JWT_SIGNATURE_INVALID' })
    expect(await a.authorize('not-a-jwt')).toMatchObject({ statusCode: 401, code: 'JWT_MALFORMED' })
    expect(await a.authorize(await sign(other))).toMatchObject({ statusCode: 401, code: 'JWKS_NO_MATCHING_KEY' })
  })

  it('accepts client_id in place of a missing aud (Cognito access tokens)', async () => {
    const a = await authorizer()
    expect(await a.authorize(await sign(rsa, { aud: undefined, client_id: 'second', scope: 's' }), ['s'])).toMatchObject({ ok: true })
    expect(await a.authorize(await sign(rsa, { aud: undefined, client_id: 'third' }))).toMatchObject({ statusCode: 401 })
  })

  it('403 Forbidden when the token has none of the route scopes', async () => {
    const a = await authorizer()
    const outcome = await a.authorize(await sign(rsa, { scope: 'pets/read' }), ['pets/write', 'admin'])
    expect(outcome).toMatchObject({ ok: false, statusCode: 403, body: '{"message":"Forbidden"}', code: 'JWT_INSUFFICIENT_SCOPE' })
    if (!outcome.ok) expect(outcome.headers['www-authenticate']).toContain('error="insufficient_scope"')
  })

  it('500 when the issuer keys cannot be fetched', async () => {
    const a = await authorizer()
    server!.status = 500
    expect(await a.authorize(await sign(rsa))).toMatchObject({ ok: false, statusCode: 500, code: 'JWKS_FETCH_FAILED' })
  })
})

describe('REST COGNITO_USER_POOLS authorizer', () => {
  const poolA = 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_PoolA'
  const poolB = 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_PoolB'
  const issuerA = cognitoIssuer(poolA)
  const issuerB = cognitoIssuer(poolB)

  async function cognito() {
    server = await startJwksServer([rsa.jwk])
    return createCognitoAuthorizer({
      providerArns: [poolA, poolB],
      keys: { [issuerA]: { jwksUri: `${server.url}/jwks.json` }, [issuerB]: { jwks: [other.jwk] } },
      now,
    })
  }

  it('accepts tokens of any listed pool and exposes REST-style claims', async () => {
    const c = await cognito()
    const idToken = await sign(rsa, { iss: issuerA, token_use: 'id', email_verified: true, exp: 1_800_003_600 })
    const outcome = await c.authorize(idToken)
    expect(outcome).toMatchObject({
      ok: true,
      claims: { iss: issuerA, token_use: 'id', email_verified: 'true', exp: 'Fri Jan 15 09:00:00 UTC 2027' },
    })
    expect(await c.authorize(await sign(other, { iss: issuerB }))).toMatchObject({ ok: true })
    // Pool B's key does not verify a token claiming pool A.
    expect(await c.authorize(await sign(other, { iss: issuerA }))).toMatchObject({ ok: false, statusCode: 401 })
  })

  it('401 UNAUTHORIZED for a missing token, another issuer, an expired token or missing scopes', async () => {
    const c = await cognito()
    expect(await c.authorize(undefined)).toMatchObject({ ok: false, responseType: 'UNAUTHORIZED', statusCode: 401 })
    expect(await c.authorize(await sign(rsa, { iss: ISSUER }))).toMatchObject({ responseType: 'UNAUTHORIZED', code: 'JWT_ISSUER_INVALID' })
    expect(await c.authorize(await sign(rsa, { iss: issuerA, exp: NOW - 60 }))).toMatchObject({
      responseType: 'UNAUTHORIZED',
      code: 'JWT_EXPIRED',
    })
    const access = await sign(rsa, { iss: issuerA, token_use: 'access', scope: 'pets/read', aud: undefined, client_id: 'c' })
    expect(await c.authorize(access, ['pets/read'])).toMatchObject({ ok: true })
    expect(await c.authorize(access, ['pets/write'])).toMatchObject({ responseType: 'UNAUTHORIZED', code: 'JWT_INSUFFICIENT_SCOPE' })
    expect(await c.authorize('garbage')).toMatchObject({ responseType: 'UNAUTHORIZED', code: 'JWT_MALFORMED' })
  })

  it('AUTHORIZER_CONFIGURATION_ERROR (500) when the pool keys cannot be fetched', async () => {
    const c = await cognito()
    server!.status = 502
    expect(await c.authorize(await sign(rsa, { iss: issuerA }))).toMatchObject({
      ok: false,
      responseType: 'AUTHORIZER_CONFIGURATION_ERROR',
      statusCode: 500,
    })
  })

  it('throws JwtConfigError for bad configuration', () => {
    expect(() => createCognitoAuthorizer({ providerArns: [] })).toThrow(JwtConfigError)
    expect(() => createCognitoAuthorizer({ providerArns: ['nope'] })).toThrow(JwtConfigError)
    expect(() => createCognitoAuthorizer({ providerArns: [poolA], keys: { 'https://x': { jwks: [] } } })).toThrow(JwtConfigError)
    expect(() => createHttpApiJwtAuthorizer({ issuer: '' })).toThrow(JwtConfigError)
  })
})
