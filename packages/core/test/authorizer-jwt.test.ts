// JWT authorizers (HTTP APIs) and Cognito user pool authorizers (REST), with tokens signed by jose and keys served
// from a local JWKS endpoint (and OIDC discovery document) over a real socket.
// JWT: https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html
// Cognito: https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-integrate-with-cognito.html
// Claims as $context.authorizer.claims.*: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose'
import { createGateway } from '@gatehousejs/core'
import { echo, header, json, req } from './helpers'

const POOL_ARN = 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdE'
const POOL_ISSUER = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdE'

let server: Server
let base = ''
type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey']
let signingKey: PrivateKey
let strangerKey: PrivateKey
let jwksHits = 0

beforeAll(async () => {
  const pair = await generateKeyPair('RS256', { extractable: true })
  signingKey = pair.privateKey
  strangerKey = (await generateKeyPair('RS256')).privateKey
  const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }
  server = createServer((request, response) => {
    if (request.url === '/.well-known/openid-configuration') {
      response.setHeader('content-type', 'application/json')
      response.end(JSON.stringify({ issuer: base, jwks_uri: `${base}/jwks.json` }))
    } else if (request.url === '/jwks.json') {
      jwksHits++
      response.setHeader('content-type', 'application/json')
      response.end(JSON.stringify({ keys: [jwk] }))
    } else {
      response.statusCode = 404
      response.end()
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

async function token(claims: Record<string, unknown>, options: { issuer?: string; expSeconds?: number; key?: PrivateKey } = {}) {
  const iat = Math.floor(Date.now() / 1000)
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setIssuer(options.issuer ?? base)
    .setIssuedAt(iat - 60)
    .setExpirationTime(iat + (options.expSeconds ?? 3600))
  return jwt.sign(options.key ?? signingKey)
}

describe('HTTP API JWT authorizer', () => {
  function jwtApi() {
    const integration = { type: 'aws_proxy', httpMethod: 'POST', uri: 'echo', payloadFormatVersion: '2.0' }
    return createGateway({
      apiType: 'HTTP',
      api: {
        openapi: '3.0.1',
        info: { title: 'jwt', version: '1' },
        components: {
          securitySchemes: {
            jwt: {
              type: 'oauth2',
              flows: {},
              'x-amazon-apigateway-authorizer': {
                type: 'jwt',
                identitySource: '$request.header.Authorization',
                jwtConfiguration: { issuer: base, audience: ['api'] },
              },
            },
          },
        },
        paths: {
          '/pets': { get: { security: [{ jwt: ['pets/read'] }], 'x-amazon-apigateway-integration': integration } },
          '/me': { get: { security: [{ jwt: [] }], 'x-amazon-apigateway-integration': integration } },
        },
      },
      functions: { echo },
    })
  }
  let gw: ReturnType<typeof jwtApi>
  beforeAll(() => {
    gw = jwtApi()
  })
  const get = (path: string, authorization?: string) =>
    gw.handle(req('GET', path, authorization === undefined ? {} : { headers: { authorization } }))

  it('imports the authorizer and the route scopes', () => {
    expect(gw.definition.resources['/pets']!.GET).toMatchObject({
      authorizer: 'jwt',
      authorizationType: 'JWT',
      authorizationScopes: ['pets/read'],
    })
  })

  it('lets a valid token through, with claims and scopes in requestContext.authorizer.jwt', async () => {
    const t = await token({ sub: 'u1', aud: 'api', scope: 'pets/read pets/write', groups: ['a', 'b'] })
    const res = await get('/pets', `Bearer ${t}`)
    expect(res.statusCode).toBe(200)
    const authorizer = json(res).requestContext.authorizer
    expect(authorizer.jwt.scopes).toEqual(['pets/read', 'pets/write'])
    expect(authorizer.jwt.claims).toMatchObject({ sub: 'u1', aud: 'api', iss: base, groups: '[a b]' })
  })

  it('accepts client_id for a token without aud (Cognito access tokens)', async () => {
    const t = await token({ sub: 'u1', client_id: 'api' })
    expect((await get('/me', t)).statusCode).toBe(200)
  })

  // [case, token maker, path, status, body]
  const table: [string, () => Promise<string | undefined>, string, number, unknown][] = [
    ['no token', async () => undefined, '/me', 401, { message: 'Unauthorized' }],
    ['not a JWT', async () => 'Bearer nope', '/me', 401, { message: 'Unauthorized' }],
    ['wrong audience', () => token({ sub: 'u1', aud: 'other' }), '/me', 401, { message: 'Unauthorized' }],
    ['expired', () => token({ sub: 'u1', aud: 'api' }, { expSeconds: -10 }), '/me', 401, { message: 'Unauthorized' }],
    [
      'wrong issuer',
      () => token({ sub: 'u1', aud: 'api' }, { issuer: 'https://evil.example.com' }),
      '/me',
      401,
      { message: 'Unauthorized' },
    ],
    ['signed by another key', () => token({ sub: 'u1', aud: 'api' }, { key: strangerKey }), '/me', 401, { message: 'Unauthorized' }],
    ['none of the route scopes', () => token({ sub: 'u1', aud: 'api', scope: 'pets/write' }), '/pets', 403, { message: 'Forbidden' }],
  ]
  for (const [name, make, path, status, body] of table) {
    it(`${name} → ${status}`, async () => {
      const res = await get(path, await make())
      expect(res.statusCode).toBe(status)
      expect(json(res)).toEqual(body)
      expect(String(header(res, 'www-authenticate'))).toMatch(/^Bearer /)
    })
  }

  it('fetches the keys once (OIDC discovery, then the JWKS) and reuses them', async () => {
    const before = jwksHits
    const t = await token({ sub: 'u2', aud: 'api' })
    for (let i = 0; i < 3; i++) expect((await get('/me', t)).statusCode).toBe(200)
    expect(jwksHits - before).toBeLessThanOrEqual(1)
  })
})

describe('REST Cognito user pool authorizer', () => {
  function cognitoApi(jwksUri = `${base}/jwks.json`) {
    const scheme = {
      type: 'apiKey',
      name: 'Authorization',
      in: 'header',
      'x-amazon-apigateway-authtype': 'cognito_user_pools',
      'x-amazon-apigateway-authorizer': { type: 'cognito_user_pools', providerARNs: [POOL_ARN] },
    }
    return createGateway({
      api: {
        openapi: '3.0.1',
        info: { title: 'cognito', version: '1' },
        components: { securitySchemes: { pool: scheme } },
        paths: {
          '/profile': {
            get: { security: [{ pool: [] }], 'x-amazon-apigateway-integration': { type: 'aws_proxy', httpMethod: 'POST', uri: 'echo' } },
          },
          '/admin': {
            get: {
              security: [{ pool: ['admin/all'] }],
              'x-amazon-apigateway-integration': { type: 'aws_proxy', httpMethod: 'POST', uri: 'echo' },
            },
          },
          '/mapped': {
            get: {
              security: [{ pool: [] }],
              'x-amazon-apigateway-integration': {
                type: 'mock',
                requestTemplates: { 'application/json': '{"statusCode": 200}' },
                responses: {
                  default: { statusCode: '200', responseTemplates: { 'application/json': '{"email":"$context.authorizer.claims.email"}' } },
                },
              },
            },
          },
        },
      },
      functions: { echo },
      authorization: { issuerKeys: { [POOL_ISSUER]: { jwksUri } } },
    })
  }
  const idToken = (extra: Record<string, unknown> = {}, options: { expSeconds?: number } = {}) =>
    token({ sub: 'u1', email: 'ann@example.com', token_use: 'id', aud: 'client', ...extra }, { issuer: POOL_ISSUER, ...options })

  it('lets a valid token through and exposes its claims', async () => {
    const gw = cognitoApi()
    const t = await idToken()
    const res = await gw.handle(req('GET', '/profile', { headers: { authorization: t } }))
    expect(res.statusCode).toBe(200)
    expect(json(res).requestContext.authorizer.claims).toMatchObject({ sub: 'u1', email: 'ann@example.com', token_use: 'id' })
    const mapped = await gw.handle(req('GET', '/mapped', { headers: { authorization: t } }))
    expect(json(mapped)).toEqual({ email: 'ann@example.com' })
  })

  it('checks the method scopes against the access token', async () => {
    const gw = cognitoApi()
    const access = await token({ sub: 'u1', token_use: 'access', scope: 'admin/all', client_id: 'client' }, { issuer: POOL_ISSUER })
    expect((await gw.handle(req('GET', '/admin', { headers: { authorization: access } }))).statusCode).toBe(200)
    const res = await gw.handle(req('GET', '/admin', { headers: { authorization: await idToken() } }))
    expect([res.statusCode, json(res)]).toEqual([401, { message: 'Unauthorized' }])
  })

  // [case, headers maker, status, body, x-amzn-ErrorType]
  const table: [string, () => Promise<Record<string, string>>, number, unknown, string][] = [
    ['no token', async () => ({}), 401, { message: 'Unauthorized' }, 'UnauthorizedException'],
    [
      'expired',
      async () => ({ authorization: await idToken({}, { expSeconds: -10 }) }),
      401,
      { message: 'Unauthorized' },
      'UnauthorizedException',
    ],
    [
      'another issuer',
      async () => ({ authorization: await token({ sub: 'u1' }) }),
      401,
      { message: 'Unauthorized' },
      'UnauthorizedException',
    ],
    ['garbage', async () => ({ authorization: 'a.b.c' }), 401, { message: 'Unauthorized' }, 'UnauthorizedException'],
  ]
  for (const [name, headers, status, body, errorType] of table) {
    it(`${name} → ${status}`, async () => {
      const res = await cognitoApi().handle(req('GET', '/profile', { headers: await headers() }))
      expect(res.statusCode).toBe(status)
      expect(json(res)).toEqual(body)
      expect(header(res, 'x-amzn-ErrorType')).toBe(errorType)
    })
  }

  it('answers 500 AUTHORIZER_CONFIGURATION_ERROR when the pool keys cannot be fetched', async () => {
    const gw = cognitoApi(`${base}/missing.json`)
    const res = await gw.handle(req('GET', '/profile', { headers: { authorization: await idToken() } }))
    expect(res.statusCode).toBe(500)
    expect(json(res)).toEqual({ message: null })
    expect(header(res, 'x-amzn-ErrorType')).toBe('AuthorizerConfigurationException')
  })

  it('refuses a Cognito authorizer without providerARNs, or on an HTTP API', () => {
    const api = (type: string, extra: Record<string, unknown>) => ({
      authorizers: { a: { type: type as 'COGNITO_USER_POOLS', ...extra } },
      resources: { '/x': { GET: { authorizer: 'a', integration: { type: 'MOCK' as const } } } },
    })
    expect(() => createGateway({ api: api('COGNITO_USER_POOLS', {}) })).toThrow(/providerARNs/)
    expect(() => createGateway({ api: api('COGNITO_USER_POOLS', { providerARNs: [POOL_ARN] }), apiType: 'HTTP' })).toThrow(/REST APIs/)
    expect(() => createGateway({ api: api('COGNITO_USER_POOLS', { providerARNs: ['not-an-arn'] }) })).toThrow(/user pool ARN/)
    expect(() => createGateway({ api: api('JWT', {}), apiType: 'HTTP' })).toThrow(/issuer/)
  })
})
