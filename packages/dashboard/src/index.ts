/**
 * `@gatehousejs/dashboard`: a live page of a gateway's traffic — per-route request rate, p50/p99 latency, 4xx/5xx,
 * stage-cache hit ratio, throttled and quota refusals over the last minutes, the access-log tail and recent errors
 * with their stacks. Feed it with the gateway's `observers` and `onError`; mount its `handler` on node:http or
 * Express. The page shows stack traces: keep it on loopback (the default) or behind your own authentication.
 */
import type { ErrorReporter, GatewayErrorInfo, RequestObserver, RequestState } from '@gatehousejs/core'
import { createHandler, type DashboardHandler } from './handler'
import { createCollector, type DashboardSnapshot } from './stats'

export { isLoopback, type DashboardHandler, type NextFunction } from './handler'
export {
  HISTOGRAM_BUCKETS,
  HISTOGRAM_GROWTH,
  HISTOGRAM_MAX_MS,
  HISTOGRAM_MIN_MS,
  HISTOGRAM_RELATIVE_ERROR,
  LatencyHistogram,
} from './histogram'
export { NO_ROUTE, OTHER_ROUTES } from './stats'
export type { AccessLogEntry, DashboardSnapshot, ErrorEntry, RouteSummary } from './stats'
export type { WindowSummary } from './window'

/** What `createDashboard` takes; every field is optional. */
export interface DashboardOptions {
  /** The window the numbers cover, in seconds (1-second buckets). Default 300. */
  windowSeconds?: number
  /** Clock, epoch ms (pass the gateway's fake clock in tests). Default `Date.now`. */
  now?: () => number
  /** Recent errors kept. Default 50. */
  maxErrors?: number
  /** Access-log lines kept. Default 200. */
  maxLogLines?: number
  /** Routes tracked one by one; the rest are counted under `(other)`. Default 200. */
  maxRoutes?: number
  /**
   * The name a request is counted under. Default: its route key (`GET /pets/{id}`), `(no route)` when none matched.
   * Give one dashboard to several gateways with the API's name in it: `(state) => 'pets ' + state.route.routeKey`.
   */
  routeName?: (state: RequestState) => string
  /** Where `handler` serves the dashboard. Default `/_dashboard` (the page is `/_dashboard/`). */
  path?: string
  /**
   * Serve clients on other machines. Default false: only loopback clients get the page (it shows stack traces).
   * Behind a reverse proxy on the same machine every client looks local: put your own authentication in front.
   */
  allowRemote?: boolean
  /** How often the live page updates, ms. Default 1000. */
  refreshMs?: number
  /** Pages open live at once (each holds a server-sent events stream); more poll instead. Default 8. */
  maxStreams?: number
}

/** A dashboard: feed it with `observer` and `onError`, serve it with `handler`. */
export interface Dashboard {
  /** Pass in the gateway's `observers`. */
  observer: RequestObserver
  /** Pass as (or call from) the gateway's `onError`: the errors and their stacks show on the page. */
  onError: ErrorReporter
  /** node:http / Express handler; requests outside the mount path go to `next`, or get 404 without it. */
  handler: DashboardHandler
  /** The numbers the page shows, now. */
  snapshot(): DashboardSnapshot
}

function integer(name: string, value: number | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback
  if (!Number.isInteger(value) || value < min || value > max)
    throw new TypeError(`dashboard: \`${name}\` must be an integer from ${min} to ${max}`)
  return value
}

/**
 * Makes a dashboard for one gateway (or several: give each the same observer).
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http'
 * import { createGateway } from '@gatehousejs/core'
 * import { createHandler } from '@gatehousejs/node'
 * import { createDashboard } from '@gatehousejs/dashboard'
 *
 * const dashboard = createDashboard({ windowSeconds: 300 })
 * const gateway = createHandler({
 *   api: { resources: { '/pets': { GET: { integration: { type: 'AWS_PROXY', uri: 'listPets' } } } } },
 *   functions: { listPets: async () => ({ statusCode: 200, body: '[]' }) },
 *   observers: [dashboard.observer],
 *   onError: (error, info) => {
 *     dashboard.onError(error, info)
 *     console.error(info.requestId, error)
 *   },
 * })
 * createServer((req, res) => dashboard.handler(req, res, () => gateway(req, res))).listen(3000)
 * // open http://127.0.0.1:3000/_dashboard/
 * ```
 */
export function createDashboard(options: DashboardOptions = {}): Dashboard {
  const path = options.path ?? '/_dashboard'
  if (typeof path !== 'string' || !path.startsWith('/') || path.endsWith('/') || /[?#]/.test(path))
    throw new TypeError('dashboard: `path` must start with / and end without one (e.g. `/_dashboard`)')
  const now = options.now ?? Date.now
  if (typeof now !== 'function') throw new TypeError('dashboard: `now` must be a function')
  if (options.routeName !== undefined && typeof options.routeName !== 'function')
    throw new TypeError('dashboard: `routeName` must be a function')
  const collector = createCollector({
    windowSeconds: integer('windowSeconds', options.windowSeconds, 300, 1, 3600),
    maxRoutes: integer('maxRoutes', options.maxRoutes, 200, 1, 10_000),
    maxErrors: integer('maxErrors', options.maxErrors, 50, 0, 10_000),
    maxLogLines: integer('maxLogLines', options.maxLogLines, 200, 0, 100_000),
    now,
    ...(options.routeName === undefined ? {} : { routeName: options.routeName }),
  })
  const handler = createHandler(collector.snapshot, {
    path,
    allowRemote: options.allowRemote === true,
    refreshMs: integer('refreshMs', options.refreshMs, 1000, 50, 3_600_000),
    maxStreams: integer('maxStreams', options.maxStreams, 8, 0, 1000),
  })
  return {
    observer: collector.observer,
    onError: (error: unknown, info: GatewayErrorInfo) => collector.onError(error, info),
    handler,
    snapshot: collector.snapshot,
  }
}
