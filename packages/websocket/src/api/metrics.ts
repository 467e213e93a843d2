/**
 * API Gateway's CloudWatch metrics for WebSocket APIs, handed to the same sinks as core's `metrics` option
 * (`createPrometheusRegistry().sink`, `createEmfExporter().sink`, your own): `ConnectCount`, `MessageCount`,
 * `IntegrationError`, `ClientError`, `ExecutionError`, `IntegrationLatency`, by `ApiId` and `Stage`, and by
 * `Route` for routes with `detailedMetricsEnabled`.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-logging.html
 */
import type { MetricDatapoint } from '@gatehousejs/core'

/** The WebSocket API metrics (core's `MetricName` has the REST and HTTP API ones). */
export type WebSocketMetricName =
  | 'ConnectCount'
  | 'MessageCount'
  | 'IntegrationError'
  | 'ClientError'
  | 'ExecutionError'
  | 'IntegrationLatency'

/**
 * A datapoint of a WebSocket API: core's `MetricDatapoint` with a WebSocket metric name.
 *
 * @example
 * ```ts
 * const point: WebSocketMetricDatapoint = { name: 'MessageCount', unit: 'Count', value: 1, dimensions: { ApiId: 'abc', Stage: 'prod' }, timestamp: Date.now() }
 * ```
 */
export type WebSocketMetricDatapoint = Omit<MetricDatapoint, 'name'> & { name: WebSocketMetricName }

/**
 * Told each event's datapoints, synchronously: keep it cheap. Declared as a method so core's `MetricsSink`s (whose
 * datapoints name only REST and HTTP API metrics) are accepted as they are; what they receive are WebSocket names.
 */
export type WebSocketMetricsSink = {
  sink(datapoints: readonly (WebSocketMetricDatapoint | MetricDatapoint)[]): void
}['sink']

/**
 * The `metrics` option of `createWebSocketApi`: off unless a sink is given. Core's sinks are accepted as they are.
 *
 * @example
 * ```ts
 * import { createEmfExporter } from '@gatehousejs/core'
 * const emf = createEmfExporter()
 * createWebSocketApi({ api, functions, metrics: { sink: emf.sink, detailed: true } })
 * ```
 */
export interface WebSocketMetricsOptions {
  sink: WebSocketMetricsSink | readonly WebSocketMetricsSink[]
  /** The `Route` dimension for every route, as if `detailedMetricsEnabled` were set on all. */
  detailed?: boolean
}

/** What one event (a `$connect`, a message, a `$disconnect`, a message sent to a client) adds up to. */
export interface MetricEvent {
  connect?: boolean
  /** Messages in and out (`MessageCount`: "sent to the WebSocket API, either from or to the client"). */
  messages?: number
  /** Only messages sent to a client outside a route (`@connections` POST): no error counts. */
  outbound?: boolean
  clientError?: boolean
  integrationError?: boolean
  executionError?: boolean
  /** Set when an integration other than `MOCK` was called. */
  latencyMs?: number
}

export type EmitMetrics = (routeKey: string, event: MetricEvent) => void

/**
 * The emitter of one API, or `undefined` without a sink (then nothing is measured).
 *
 * @example
 * ```ts
 * const emit = createMetrics({ options: { sink }, apiId: 'abc', stage: 'prod', now: Date.now, report })
 * emit?.('$default', { messages: 1, latencyMs: 3 })
 * ```
 */
export function createMetrics(input: {
  options: WebSocketMetricsOptions | undefined
  apiId: string
  stage: string
  now: () => number
  defaultRouteSettings?: { detailedMetricsEnabled?: boolean } | undefined
  routeSettings?: Record<string, { detailedMetricsEnabled?: boolean } | undefined> | undefined
  report: (error: unknown, routeKey: string) => void
}): EmitMetrics | undefined {
  const { options } = input
  if (options === undefined) return undefined
  const raw = options?.sink
  const sinks: WebSocketMetricsSink[] = typeof raw === 'function' ? [raw] : Array.isArray(raw) ? [...raw] : []
  if (sinks.length === 0 || sinks.some((s) => typeof s !== 'function'))
    throw new TypeError('metrics.sink must be a function or a list of functions')
  const base = Object.freeze({ ApiId: input.apiId, Stage: input.stage })
  const wide = options.detailed === true || input.defaultRouteSettings?.detailedMetricsEnabled === true
  const byRoute = new Map<string, Readonly<Record<string, string>>>()
  const dimensionsOf = (routeKey: string) => {
    if (routeKey === '') return base
    let dims = byRoute.get(routeKey)
    if (dims === undefined) {
      const settings = input.routeSettings && Object.hasOwn(input.routeSettings, routeKey) ? input.routeSettings[routeKey] : undefined
      const detailed = options.detailed === true || (settings?.detailedMetricsEnabled ?? wide)
      dims = detailed ? Object.freeze({ ...base, Route: routeKey }) : base
      // Route keys are the API's (bounded); a message's route is looked up, never invented.
      byRoute.set(routeKey, dims)
    }
    return dims
  }
  return (routeKey, event) => {
    const timestamp = input.now()
    const dimensions = dimensionsOf(routeKey)
    const count = (name: WebSocketMetricName, value: number): WebSocketMetricDatapoint => ({
      name,
      unit: 'Count',
      value,
      dimensions,
      timestamp,
    })
    const points: WebSocketMetricDatapoint[] = []
    if (event.connect) points.push(count('ConnectCount', 1))
    if (event.messages !== undefined) points.push(count('MessageCount', event.messages))
    if (!event.outbound) {
      points.push(count('ClientError', event.clientError ? 1 : 0))
      points.push(count('IntegrationError', event.integrationError ? 1 : 0))
      points.push(count('ExecutionError', event.executionError ? 1 : 0))
    }
    if (event.latencyMs !== undefined)
      points.push({ name: 'IntegrationLatency', unit: 'Milliseconds', value: Math.max(0, event.latencyMs), dimensions, timestamp })
    for (const sink of sinks) {
      try {
        sink(points)
      } catch (error) {
        input.report(error, routeKey)
      }
    }
  }
}
