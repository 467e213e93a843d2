/**
 * What the dashboard keeps: a window per route (at most `maxRoutes`, the rest under `(other)`) and one for all
 * routes, the access-log tail and the recent errors. Every part has a fixed bound.
 */
import type { GatewayErrorInfo, GatewayResponse, RequestState } from '@gatehousejs/core'
import { Ring } from './ring'
import { type Sample, SecondWindow, type WindowSummary } from './window'

/** Routes beyond `maxRoutes` are counted under this name. */
export const OTHER_ROUTES = '(other)'
/** Requests that matched no route (a REST API's 403, an HTTP API's 404). */
export const NO_ROUTE = '(no route)'
/** A path, a request id or a route key longer than this is cut (the client chooses the path). */
export const MAX_FIELD_CHARS = 512
/** A stack longer than this is cut. */
export const MAX_STACK_CHARS = 16_384

/** One line of the access-log tail. */
export interface AccessLogEntry {
  /** Epoch ms (the dashboard's clock) when the response was made. */
  time: number
  method: string
  path: string
  status: number
  /** Milliseconds from arrival to response, on the gateway's clock. */
  latency: number
  requestId: string
  route: string
}

/** One error `onError` was told of. */
export interface ErrorEntry {
  time: number
  requestId: string | null
  routeKey: string | null
  stage: string
  responseType: string | null
  name: string
  message: string
  /** The error's stack (the operator's: shown only on the dashboard), or the thrown value as text. */
  stack: string
}

/** One route's line of the snapshot. */
export interface RouteSummary extends WindowSummary {
  route: string
}

/** Everything the page shows, as `snapshot()` and the page's JSON endpoint return it. */
export interface DashboardSnapshot {
  /** Epoch ms of the snapshot (the dashboard's clock). */
  time: number
  windowSeconds: number
  /** All routes together. */
  total: WindowSummary
  /** Routes with requests in the window, busiest first. */
  routes: RouteSummary[]
  /** Newest first. */
  accessLog: AccessLogEntry[]
  /** Newest first. */
  errors: ErrorEntry[]
}

/** Bounds of what is kept. */
export interface CollectorLimits {
  windowSeconds: number
  maxRoutes: number
  maxErrors: number
  maxLogLines: number
  now: () => number
  /** The name a request is counted under (default: its route key, `(no route)` when none matched). */
  routeName?: (state: RequestState) => string
}

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text
}

function describe(error: unknown): { name: string; message: string; stack: string } {
  if (error instanceof Error) {
    const name = String(error.name)
    const message = String(error.message)
    return { name, message, stack: typeof error.stack === 'string' ? error.stack : `${name}: ${message}` }
  }
  let text: string
  try {
    text = typeof error === 'string' ? error : (JSON.stringify(error) ?? String(error))
  } catch {
    text = String(error)
  }
  return { name: typeof error, message: text, stack: text }
}

/**
 * Keeps a gateway's recent traffic and errors within fixed bounds.
 *
 * @example
 * ```ts
 * const collector = createCollector({ windowSeconds: 300, maxRoutes: 200, maxErrors: 50, maxLogLines: 200, now: Date.now })
 * const gw = createGateway({ api, functions, observers: [collector.observer], onError: collector.onError })
 * await gw.handle({ method: 'GET', path: '/pets', headers: {} })
 * collector.snapshot().total.requests // 1
 * ```
 */
export function createCollector(limits: CollectorLimits) {
  const { windowSeconds, maxRoutes, now } = limits
  const nameOf = limits.routeName ?? ((state: RequestState) => state.route.routeKey)
  const all = new SecondWindow(windowSeconds)
  const routes = new Map<string, SecondWindow>()
  const accessLog = new Ring<AccessLogEntry>(limits.maxLogLines)
  const errors = new Ring<ErrorEntry>(limits.maxErrors)

  const windowOf = (route: string): SecondWindow => {
    let window = routes.get(route)
    if (window !== undefined) return window
    // `(other)` is kept beside the `maxRoutes` named ones.
    const name = routes.size >= maxRoutes ? OTHER_ROUTES : route
    window = routes.get(name)
    if (window === undefined) {
      window = new SecondWindow(windowSeconds)
      routes.set(name, window)
    }
    return window
  }

  function record(state: RequestState, response: GatewayResponse): void {
    const time = now()
    const second = Math.floor(time / 1000)
    const route = cut(String(nameOf(state) || NO_ROUTE), MAX_FIELD_CHARS)
    const latency = Math.max(0, state.api.now() - state.epoch)
    const sample: Sample = { status: response.statusCode, latency, cache: state.cacheOutcome, failure: state.failure?.type }
    all.record(second, sample)
    windowOf(route).record(second, sample)
    accessLog.push({
      time,
      method: cut(String(state.request.method), MAX_FIELD_CHARS),
      path: cut(String(state.request.path), MAX_FIELD_CHARS),
      status: response.statusCode,
      latency,
      requestId: cut(state.requestId, MAX_FIELD_CHARS),
      route,
    })
  }

  return {
    observer: {
      done(state: RequestState, response: GatewayResponse): void {
        try {
          record(state, response)
        } catch (error) {
          // An observer must not throw: its own failure goes to the operator like any other.
          state.reportFailure(error, 'internal', null)
        }
      },
    },
    onError(error: unknown, info: GatewayErrorInfo): void {
      const { name, message, stack } = describe(error)
      errors.push({
        time: now(),
        requestId: info.requestId === null ? null : cut(String(info.requestId), MAX_FIELD_CHARS),
        routeKey: info.routeKey === null ? null : cut(String(info.routeKey), MAX_FIELD_CHARS),
        stage: String(info.stage),
        responseType: info.responseType ?? null,
        name: cut(name, MAX_FIELD_CHARS),
        message: cut(message, MAX_STACK_CHARS),
        stack: cut(stack, MAX_STACK_CHARS),
      })
    },
    snapshot(): DashboardSnapshot {
      const time = now()
      const second = Math.floor(time / 1000)
      const list: RouteSummary[] = []
      for (const [route, window] of routes) {
        const summary = window.summary(second)
        if (summary.requests > 0) list.push({ route, ...summary })
      }
      list.sort((a, b) => b.requests - a.requests || (a.route < b.route ? -1 : 1))
      return {
        time,
        windowSeconds,
        total: all.summary(second),
        routes: list,
        accessLog: accessLog.newestFirst(),
        errors: errors.newestFirst(),
      }
    },
    /** How much is held: routes tracked, buckets allocated, log lines and errors kept. */
    usage(): { routes: number; buckets: number; logLines: number; errors: number } {
      let buckets = all.allocatedBuckets()
      for (const window of routes.values()) buckets += window.allocatedBuckets()
      return { routes: routes.size, buckets, logLines: accessLog.length, errors: errors.length }
    },
  }
}

/** What `createCollector` returns. */
export type Collector = ReturnType<typeof createCollector>
