/**
 * Gateway-wide options for authorizers (`GatewayInput.authorization`).
 */
import type { Jwk, JwkSet, JwksCacheStore } from '@gatehousejs/jwt'

/**
 * How authorizers run in process.
 *
 * @example
 * ```ts
 * import { createGateway, type AuthorizationOptions } from '@gatehousejs/core'
 * const issuer = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdE'
 * const authorization: AuthorizationOptions = {
 *   lambdaTimeoutMs: 5000,
 *   // The user pool's keys from a local JWKS server instead of Cognito's URL (tests, offline use).
 *   issuerKeys: { [issuer]: { jwksUri: 'http://127.0.0.1:9000/jwks.json' } },
 * }
 * const gw = createGateway({
 *   apiType: 'HTTP',
 *   api: {
 *     authorizers: { cognito: { type: 'JWT', identitySource: '$request.header.Authorization', jwtConfiguration: { issuer, audience: ['my-client-id'] } } },
 *     resources: { '/pets': { GET: { authorizationType: 'JWT', authorizer: 'cognito', integration: { type: 'AWS_PROXY', uri: 'listPets' } } } },
 *   },
 *   functions: { listPets: async () => ({ statusCode: 200, body: '[]' }) },
 *   authorization,
 * })
 * // Without a token the JWT authorizer refuses before any key is fetched.
 * const res = await gw.handle({ method: 'GET', path: '/pets', headers: {} })
 * res.statusCode // 401
 * ```
 */
export interface AuthorizationOptions {
  /** How long a Lambda authorizer may take before the request fails with 500. Default 10000 ms (API Gateway's quota). */
  lambdaTimeoutMs?: number
  /** Most cached authorizer results kept per authorizer (oldest evicted first). Default 10000. */
  resultCacheMaxEntries?: number
  /**
   * Where the keys of a JWT/Cognito issuer are, by issuer URL, instead of Cognito's public JWKS URL or OIDC
   * discovery (`{issuer}/.well-known/openid-configuration`): a JWKS URL or fixed keys. For tests and offline use.
   */
  issuerKeys?: Record<string, { jwksUri?: string; jwks?: JwkSet | Jwk[] }>
  /** Fetch used for JWKS and discovery documents. Default: the global `fetch`. */
  fetch?: typeof fetch
  /**
   * A store shared by several gateways (processes) for Lambda authorizer results, beside each gateway's own
   * in-memory cache: a result one gateway got is reused by the others for the rest of its
   * `authorizerResultTtlInSeconds`. A store failure is reported to `onError` and the authorizer is called.
   */
  cacheStore?: AuthorizerCacheStore
  /**
   * A store shared by several gateways (processes) for the JWKS and OIDC discovery documents of JWT and Cognito
   * authorizers (e.g. `@gatehousejs/redis`'s `createRedisJwksStore`): a key set one gateway fetched serves the
   * others for the rest of its 2 hours, and concurrent misses make one fetch where the store can lock.
   */
  jwksStore?: JwksCacheStore
}

/**
 * Where Lambda authorizer results are shared between gateways (e.g. `@gatehousejs/redis`'s
 * `createRedisAuthorizerCache`). Keys name the API, stage, authorizer and identity-source values (they hold
 * tokens: a store should hash them); values are JSON text the gateway wrote and checks again when it reads them.
 * `get` answers `undefined` for a missing or expired key; `set` keeps the value at least `ttlMs` milliseconds
 * and at most a little longer (the gateway also checks the expiry it wrote into the value).
 *
 * @example
 * ```ts
 * import { createGateway, type AuthorizationOptions } from '@gatehousejs/core'
 * const shared = new Map<string, { value: string; until: number }>()
 * const cacheStore: NonNullable<AuthorizationOptions['cacheStore']> = {
 *   get: (key) => {
 *     const e = shared.get(key)
 *     return e !== undefined && e.until > Date.now() ? e.value : undefined
 *   },
 *   set: (key, value, ttlMs) => {
 *     shared.set(key, { value, until: Date.now() + ttlMs })
 *   },
 * }
 * const one = createGateway({ api, functions, authorization: { cacheStore } })
 * const two = createGateway({ api, functions, authorization: { cacheStore } }) // reuses one's authorizer results
 * ```
 */
export interface AuthorizerCacheStore {
  get(key: string): string | undefined | Promise<string | undefined>
  set(key: string, value: string, ttlMs: number): void | Promise<void>
  /**
   * Optional: claim the call for `key` for `ttlMs`. `true` for the one gateway that should call the function; the
   * others (`false`) wait a bounded time for its answer in the store, then call the function themselves.
   */
  lock?(key: string, ttlMs: number): boolean | Promise<boolean>
}
