/**
 * A WebSocket API's routes and authorizers checked and compiled once, when the API is built: route keys,
 * authorization only on `$connect`, integration types, timeouts, and each function resolved.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-develop-routes.html
 */
import { GatewayConfigError, type HttpBackendHandler, type LambdaHandler } from '@gatehousejs/core'
import { compileHttpBackends, type HttpBackends } from '@gatehousejs/core/http-exchange'
import type { WebSocketApiDefinition, WebSocketRoute } from './definition'
import { WebSocketApiError } from './errors'
import { compileIntegration, type IntegrationSettings, type RouteRunner } from './integrations/index'
import { type ResolvedFunction, resolveFunction } from './lambda'

export interface CompiledRoute {
  key: string
  /** The integration; `undefined` for a route without one (it answers nothing). */
  run: RouteRunner | undefined
  twoWay: boolean
  timeoutMs: number
}

export interface CompiledAuthorizer {
  fn: ResolvedFunction
  identitySource: { from: 'header' | 'querystring'; name: string }[]
}

export const RESERVED = new Set(['$connect', '$disconnect', '$default'])
export const DEFAULT_TIMEOUT_MS = 29_000

/**
 * The API's authorizers and routes, compiled; throws {@link WebSocketApiError} for what cannot run.
 *
 * @example
 * ```ts
 * const { routes } = compileRoutes(definition, { echo }, 'us-east-1', '123456789012')
 * routes.get('$default')?.twoWay
 * ```
 */
export function compileRoutes(
  api: WebSocketApiDefinition,
  functions: Record<string, LambdaHandler>,
  region: string,
  accountId: string,
  stageVariables: Record<string, string> = {},
  httpBackends?: HttpBackends,
): { authorizers: Map<string, CompiledAuthorizer>; routes: Map<string, CompiledRoute> } {
  const authorizers = new Map<string, CompiledAuthorizer>()
  for (const [id, a] of Object.entries(api.authorizers ?? {})) {
    if (a.authorizerType !== 'REQUEST')
      throw new WebSocketApiError('INVALID_DEFINITION', `authorizer ${id}: WebSocket APIs have REQUEST authorizers only`)
    const identitySource = (a.identitySource ?? []).map((s) => {
      const m = /^route\.request\.(header|querystring)\.(.+)$/.exec(s)
      if (!m)
        throw new WebSocketApiError(
          'INVALID_DEFINITION',
          `authorizer ${id}: identity source ${JSON.stringify(s)} is not route.request.header.X or route.request.querystring.X`,
        )
      return { from: m[1] as 'header' | 'querystring', name: m[2]! }
    })
    authorizers.set(id, { fn: resolveFunction(a.authorizerUri, functions, region, accountId, `authorizer ${id}`), identitySource })
  }

  const routes = new Map<string, CompiledRoute>()
  const settings: IntegrationSettings = { functions, region, accountId, stageVariables, httpBackends }
  for (const [key, route] of Object.entries(api.routes) as [string, WebSocketRoute][]) {
    if (key.startsWith('$') && !RESERVED.has(key))
      throw new WebSocketApiError('INVALID_DEFINITION', `route ${key}: the $ prefix is reserved`)
    const auth = route.authorizationType ?? 'NONE'
    if (auth !== 'NONE' && key !== '$connect')
      throw new WebSocketApiError('INVALID_DEFINITION', `route ${key}: authorization is set on $connect only`)
    if (auth === 'CUSTOM' && (route.authorizerId === undefined || !authorizers.has(route.authorizerId))) {
      throw new WebSocketApiError(
        'UNKNOWN_AUTHORIZER',
        `route ${key}: authorizerId ${JSON.stringify(route.authorizerId)} is not in api.authorizers`,
      )
    }
    if (route.apiKeyRequired && key !== '$connect')
      throw new WebSocketApiError('INVALID_DEFINITION', `route ${key}: apiKeyRequired is set on $connect only`)
    const integration = route.integration
    const timeoutMs = integration?.timeoutInMillis ?? DEFAULT_TIMEOUT_MS
    if (!Number.isInteger(timeoutMs) || timeoutMs < 50 || timeoutMs > DEFAULT_TIMEOUT_MS) {
      throw new WebSocketApiError('INVALID_DEFINITION', `route ${key}: timeoutInMillis must be an integer from 50 to 29000`)
    }
    if (route.routeResponseSelectionExpression !== undefined && route.routeResponseSelectionExpression !== '$default') {
      throw new WebSocketApiError('INVALID_DEFINITION', `route ${key}: routeResponseSelectionExpression can only be $default`)
    }
    const twoWay = route.routeResponseSelectionExpression === '$default'
    routes.set(key, { key, run: compileIntegration(key, integration, twoWay, settings, timeoutMs), twoWay, timeoutMs })
  }
  return { authorizers, routes }
}

/**
 * The `httpBackends` option checked as core checks it; a bad origin is a {@link WebSocketApiError}.
 *
 * @example
 * ```ts
 * httpBackendsOf({ 'https://pets.example.com': () => ({ statusCode: 200 }) })?.has('https://pets.example.com') // true
 * ```
 */
export function httpBackendsOf(option: Record<string, HttpBackendHandler> | undefined): HttpBackends | undefined {
  try {
    return compileHttpBackends(option)
  } catch (e) {
    if (e instanceof GatewayConfigError) throw new WebSocketApiError('INVALID_DEFINITION', e.message)
    throw e
  }
}
