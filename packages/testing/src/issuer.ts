/**
 * A local token issuer for JWT (HTTP API) and Cognito user pool (REST) authorizers: node:crypto key pairs, a
 * JWKS, an OIDC discovery document, and a `fetch` that serves both, so a gateway verifies minted tokens with no
 * network.
 * JWT authorizers: https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html
 * JWS / JWT: https://www.rfc-editor.org/rfc/rfc7515 , https://www.rfc-editor.org/rfc/rfc7519 ; ES256 signatures
 * are R || S (https://www.rfc-editor.org/rfc/rfc7518#section-3.4).
 */
import { generateKeyPairSync, type KeyObject, sign as cryptoSign } from 'node:crypto'

/** The algorithms a test issuer signs with. */
export type TestIssuerAlgorithm = 'RS256' | 'ES256'

/** Options of {@link createTestIssuer}. */
export interface TestIssuerOptions {
  /** The `iss` of minted tokens and the JWT authorizer's `jwtConfiguration.issuer`. Default `https://issuer.gatehouse.test`. */
  issuer?: string
  /** The `aud` minted tokens carry unless their claims set one. Default `gatehouse-test-client`. */
  audience?: string
  /** Time for `iat`, `exp` and `nbf` (epoch ms): pass a fake clock's `now`. Default `Date.now`. */
  now?: () => number
}

/** Options of one minted token. */
export interface SignTokenOptions {
  /** Seconds from `now` until `exp` (negative: already expired). Default 3600. */
  expiresIn?: number
  /** Seconds from `now` until `nbf` (not set by default). */
  notBefore?: number
  /** Default `RS256`. */
  alg?: TestIssuerAlgorithm
  /** The header's `kid`. Default the algorithm's key id in the JWKS (`rs256-1`, `es256-1`); another one names a key the JWKS lacks. */
  kid?: string
}

/** A public key as the test issuer's JWKS serves it. */
export interface TestJwk {
  kty: string
  kid: string
  alg: TestIssuerAlgorithm
  use: 'sig'
  [member: string]: string
}

/** A local issuer: its key set, a `fetch` serving it, and `sign` for tokens. */
export interface TestIssuer {
  readonly issuer: string
  readonly audience: string
  /** The public keys, as the JWKS endpoint serves them. */
  readonly jwks: { keys: TestJwk[] }
  /** `{issuer}/.well-known/jwks.json` (Cognito's path, and what discovery names). */
  readonly jwksUri: string
  /** Serves `{issuer}/.well-known/openid-configuration` and the JWKS; anything else answers 404. */
  readonly fetch: typeof fetch
  /** How many requests `fetch` answered (each URL counted). */
  readonly fetchCount: number
  /** The gateway's `authorization` option for this issuer: `{ fetch }`. */
  readonly authorization: { fetch: typeof fetch }
  /** Mint a JWT with these claims (`iss`, `aud`, `iat`, `exp` added unless given). */
  sign(claims?: Record<string, unknown>, options?: SignTokenOptions): string
}

const b64url = (data: string | Buffer) => Buffer.from(data).toString('base64url')

interface Pair {
  kid: string
  privateKey: KeyObject
}

function keyPair(alg: TestIssuerAlgorithm): { privateKey: KeyObject; publicKey: KeyObject } {
  return alg === 'RS256' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
}

function requestUrl(input: string | URL | Request): string {
  return typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
}

/**
 * Create a local issuer with an RS256 and an ES256 key. Give the gateway its `authorization` (or its `fetch`)
 * and name its `issuer` in the JWT authorizer: the authorizer discovers and fetches the keys through it.
 *
 * @example
 * ```ts
 * const clock = createFakeClock()
 * const idp = createTestIssuer({ audience: 'my-client', now: clock.now })
 * const gw = createGateway({
 *   apiType: 'HTTP',
 *   api: {
 *     authorizers: { jwt: { type: 'JWT', identitySource: '$request.header.Authorization', jwtConfiguration: { issuer: idp.issuer, audience: ['my-client'] } } },
 *     resources: { '/me': { GET: { authorizationType: 'JWT', authorizer: 'jwt', integration: { type: 'AWS_PROXY', uri: 'me' } } } },
 *   },
 *   functions: { me: async (event) => ({ statusCode: 200, body: event.requestContext.authorizer.jwt.claims.sub }) },
 *   authorization: idp.authorization,
 *   now: clock.now,
 * })
 * await request(gw).get('/me').set('authorization', `Bearer ${idp.sign({ sub: 'alice' })}`).expect(200, 'alice')
 * await request(gw).get('/me').set('authorization', `Bearer ${idp.sign({ sub: 'alice' }, { expiresIn: -1 })}`).expect(401)
 * ```
 */
export function createTestIssuer(options: TestIssuerOptions = {}): TestIssuer {
  const issuer = options.issuer ?? 'https://issuer.gatehouse.test'
  if (!/^https?:\/\/[^/?#]+/.test(issuer)) throw new TypeError(`createTestIssuer: issuer must be an http(s) URL, got ${issuer}`)
  const audience = options.audience ?? 'gatehouse-test-client'
  const now = options.now ?? Date.now
  const base = issuer.replace(/\/+$/, '')
  const jwksUri = `${base}/.well-known/jwks.json`
  const discoveryUri = `${base}/.well-known/openid-configuration`
  const pairs = new Map<TestIssuerAlgorithm, Pair>()
  const keys: TestJwk[] = []
  for (const alg of ['RS256', 'ES256'] as const) {
    const { privateKey, publicKey } = keyPair(alg)
    const kid = `${alg.toLowerCase()}-1`
    pairs.set(alg, { kid, privateKey })
    keys.push({ ...(publicKey.export({ format: 'jwk' }) as { kty: string }), kid, alg, use: 'sig' })
  }
  const jwks = { keys }
  let fetchCount = 0

  const serve: typeof fetch = async (input) => {
    fetchCount++
    const url = requestUrl(input)
    const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } })
    if (url === discoveryUri) return json({ issuer, jwks_uri: jwksUri })
    if (url === jwksUri) return json(jwks)
    return new Response('not found', { status: 404 })
  }

  return {
    issuer,
    audience,
    jwks,
    jwksUri,
    fetch: serve,
    get fetchCount() {
      return fetchCount
    },
    authorization: { fetch: serve },
    sign(claims = {}, opts = {}) {
      const alg = opts.alg ?? 'RS256'
      const pair = pairs.get(alg)
      if (!pair) throw new TypeError(`createTestIssuer: unsupported alg ${String(alg)} (RS256 or ES256)`)
      const t = Math.floor(now() / 1000)
      const payload: Record<string, unknown> = { iss: issuer, aud: audience, iat: t, exp: t + (opts.expiresIn ?? 3600) }
      if (opts.notBefore !== undefined) payload.nbf = t + opts.notBefore
      Object.assign(payload, claims)
      const input = `${b64url(JSON.stringify({ alg, typ: 'JWT', kid: opts.kid ?? pair.kid }))}.${b64url(JSON.stringify(payload))}`
      const signature =
        alg === 'RS256'
          ? cryptoSign('sha256', Buffer.from(input), pair.privateKey)
          : cryptoSign('sha256', Buffer.from(input), { key: pair.privateKey, dsaEncoding: 'ieee-p1363' })
      return `${input}.${b64url(signature)}`
    },
  }
}
