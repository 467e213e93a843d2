/**
 * The route table `gatehouse serve` prints and `gatehouse routes` gives: route key, integration type and target,
 * authorizer, API key requirement, throttle and cache of every route. One implementation, two formats (aligned
 * text, JSON).
 */
import type { Gateway, MethodSetting, MethodThrottleSettings, StageDefinition } from '@gatehousejs/core'
import { EVERY_METHOD } from '@gatehousejs/core'

const FUNCTION_IN_URI = /:function:([^/:]+)/

/** One route of the compiled table. */
export interface RouteRow {
  /** `GET /pets/{id}`, `ANY /{proxy+}`, `$default`. */
  routeKey: string
  method: string
  path: string
  /** `AWS_PROXY`, `HTTP_PROXY`, `MOCK`, `AWS`, `HTTP`, `APP`, or `none`. */
  integration: string
  /** The function name of a Lambda URI, else the URI (empty for MOCK). */
  target: string
  /** `authorizer <name>` / `AWS_IAM` / empty. */
  authorizer: string
  apiKeyRequired: boolean
  /** `rate r/s burst b` from the stage's method or route settings; empty when the stage sets none. */
  throttle: string
  /** `ttl Ns` when the stage cache serves this route; empty otherwise. */
  cache: string
}

/**
 * The method setting of a route: `/pets/{id}/GET` (or AWS's escaped `~1pets~1{id}/GET`), then `/pets/{id}/*`, then
 * the stage-wide `*\/*` (`/*\/*` in SAM).
 */
function methodSettingFor<T>(settings: Record<string, T> | undefined, path: string, method: string): T | undefined {
  if (!settings) return undefined
  const byKey = new Map<string, T>()
  for (const [key, value] of Object.entries(settings)) {
    const cut = key.lastIndexOf('/')
    const resource = key.slice(0, cut).replace(/~1/g, '/').replace(/~0/g, '~')
    byKey.set(`${resource}/${key.slice(cut + 1).toUpperCase()}`, value)
  }
  return byKey.get(`${path}/${method}`) ?? byKey.get(`${path}/*`) ?? byKey.get(EVERY_METHOD) ?? byKey.get('/*/*')
}

function throttleText(t: MethodThrottleSettings | undefined): string {
  if (!t || (t.throttlingRateLimit === undefined && t.throttlingBurstLimit === undefined)) return ''
  return `rate ${t.throttlingRateLimit ?? '-'}/s burst ${t.throttlingBurstLimit ?? '-'}`
}

/**
 * The routes of a gateway, sorted by path then method.
 *
 * @example
 * ```ts
 * routeRows(gw, { stageName: 'prod' })[0]
 * // { routeKey: 'GET /pets', method: 'GET', path: '/pets', integration: 'AWS_PROXY', target: 'listPets', … }
 * ```
 */
export function routeRows(gateway: Gateway, stage?: StageDefinition): RouteRow[] {
  const rows: RouteRow[] = []
  const http = gateway.apiType === 'HTTP'
  for (const [path, methods] of Object.entries(gateway.definition.resources)) {
    for (const [rawMethod, m] of Object.entries(methods)) {
      const method = rawMethod.toUpperCase()
      const integration = m.integration
      const target = integration?.uri ? (FUNCTION_IN_URI.exec(integration.uri)?.[1] ?? integration.uri) : ''
      const authorizer = m.authorizer
        ? `authorizer ${m.authorizer}`
        : m.authorizationType && m.authorizationType !== 'NONE'
          ? m.authorizationType
          : ''
      const routeKey = path === '$default' ? '$default' : `${method} ${path}`
      let throttle = ''
      let cache = ''
      if (http) {
        throttle = throttleText(stage?.routeSettings?.[routeKey] ?? stage?.defaultRouteSettings)
      } else {
        const setting = methodSettingFor<MethodThrottleSettings & MethodSetting>(stage?.methodSettings, path, method)
        throttle = throttleText(setting)
        if (stage?.cacheClusterEnabled) {
          const enabled = setting?.cachingEnabled ?? method === 'GET'
          const ttl = setting?.cacheTtlInSeconds ?? 300
          if (enabled && ttl > 0) cache = `ttl ${ttl}s`
        }
      }
      rows.push({
        routeKey,
        method,
        path,
        integration: integration?.type ?? 'none',
        target,
        authorizer,
        apiKeyRequired: m.apiKeyRequired === true && !http,
        throttle,
        cache,
      })
    }
  }
  rows.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method))
  return rows
}

/**
 * One aligned line per route of a gateway: method, path, integration and target, authorizer, `key required`,
 * throttle, cache (empty columns at the end are dropped).
 *
 * @example
 * ```ts
 * routeTable(gw) // ['GET     /pets/{id}  AWS_PROXY getPet', 'POST    /pets       AWS_PROXY createPet  key required']
 * ```
 */
export function routeTable(gateway: Gateway, stage?: StageDefinition): string[] {
  const rows = routeRows(gateway, stage).map((r) => [
    r.method,
    r.path,
    `${r.integration} ${r.target}`.trim(),
    r.authorizer,
    r.apiKeyRequired ? 'key required' : '',
    r.throttle ? `throttle ${r.throttle}` : '',
    r.cache ? `cache ${r.cache}` : '',
  ])
  const columns = rows[0]?.length ?? 0
  const widths = Array.from({ length: columns }, (_, i) => Math.max(0, ...rows.map((r) => (r[i] as string).length)))
  // A column empty on every row (no route has an authorizer, say) is left out.
  const shown = widths.flatMap((w, i) => (w > 0 ? [i] : []))
  const last = shown.at(-1)
  return rows.map((r) =>
    shown
      .map((i) => (i === last ? (r[i] as string) : (r[i] as string).padEnd(widths[i] as number)))
      .join('  ')
      .trimEnd(),
  )
}
