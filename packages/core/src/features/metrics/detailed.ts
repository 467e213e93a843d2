/**
 * Which methods (REST `methodSettings` `metricsEnabled`) and routes (HTTP APIs `detailedMetricsEnabled` in
 * `routeSettings` / `defaultRouteSettings`) get the detailed dimensions. Precedence as API Gateway's method
 * settings: `/{resource}/{METHOD}`, then `/{resource}/*`, then the stage-wide entry.
 * https://docs.aws.amazon.com/apigateway/latest/api/API_MethodSetting.html
 */
import { canonicalMethodKey, EVERY_METHOD } from '../../method-settings'
import type { GatewayContext } from '../types'

type IsDetailed = (resourcePath: string, method: string, routeKey: string) => boolean

/**
 * A predicate telling whether a route's metrics carry its detailed dimensions.
 *
 * @example
 * ```ts
 * const isDetailed = detailedRoutes(gateway)
 * isDetailed('/pets', 'GET', 'GET /pets') // true with methodSettings { '/pets/GET': { metricsEnabled: true } }
 * ```
 */
export function detailedRoutes({ api, input }: GatewayContext): IsDetailed {
  if (input.metrics?.detailed === true) return () => true
  const stage = typeof input.stage === 'object' && input.stage !== null ? input.stage : undefined
  if (stage === undefined) return () => false
  if (api.apiType === 'HTTP') {
    const wide = stage.defaultRouteSettings?.detailedMetricsEnabled === true
    const routes = stage.routeSettings ?? {}
    return (_resource, _method, routeKey) => {
      const own = Object.hasOwn(routes, routeKey) ? routes[routeKey]?.detailedMetricsEnabled : undefined
      return own ?? wide
    }
  }
  const enabled = new Map<string, boolean>()
  for (const [raw, settings] of Object.entries(stage.methodSettings ?? {})) {
    const key = canonicalMethodKey(raw)
    const value = settings?.metricsEnabled
    if (key !== null && typeof value === 'boolean') enabled.set(key, value)
  }
  if (enabled.size === 0) return () => false
  return (resourcePath, method) =>
    enabled.get(`${resourcePath}/${method}`) ?? enabled.get(`${resourcePath}/*`) ?? enabled.get(EVERY_METHOD) ?? false
}
