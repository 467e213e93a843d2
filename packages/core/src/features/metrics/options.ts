/**
 * The metrics option's types: API Gateway's CloudWatch metrics as datapoints handed to sinks. Types only.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-metrics.html
 */

/** REST API metrics (namespace `AWS/ApiGateway`, dimensions `ApiName`, `Stage`, detailed: `Method`, `Resource`). */
export type RestMetricName = 'Count' | '4XXError' | '5XXError' | 'Latency' | 'IntegrationLatency' | 'CacheHitCount' | 'CacheMissCount'

/** HTTP API metrics (dimensions `ApiId`, `Stage`, detailed: `Route`). */
export type HttpMetricName = 'Count' | '4xx' | '5xx' | 'Latency' | 'IntegrationLatency' | 'DataProcessed'

export type MetricName = RestMetricName | HttpMetricName

/** CloudWatch units the metrics use. */
export type MetricUnit = 'Count' | 'Milliseconds' | 'Bytes'

/**
 * One value of one metric for one request, as API Gateway publishes it: `Count` 1, `4XXError` 0 or 1, `Latency`
 * in ms. The datapoints of one request share their `dimensions` object.
 */
export interface MetricDatapoint {
  name: MetricName
  unit: MetricUnit
  value: number
  /** `ApiName` + `Stage` (+ `Method`, `Resource` with detailed metrics) for REST; `ApiId` + `Stage` (+ `Route`) for HTTP. */
  dimensions: Readonly<Record<string, string>>
  /** When the request was answered, epoch ms on the gateway's clock. */
  timestamp: number
}

/** Told each answered request's datapoints, synchronously: keep it cheap (aggregate, do not do I/O per call). */
export type MetricsSink = (datapoints: readonly MetricDatapoint[]) => void

/** The `metrics` option: off unless a sink is given. */
export interface MetricsOptions {
  /**
   * Where each request's datapoints go: a function, or several (`createPrometheusRegistry().sink`,
   * `createEmfExporter().sink`, `@gatehousejs/otel`'s sink, your own).
   */
  sink?: MetricsSink | readonly MetricsSink[]
  /**
   * Emit the detailed dimensions for every method/route, as if `methodSettings` `metricsEnabled` (REST) or
   * `detailedMetricsEnabled` (HTTP APIs) were set on the stage for all. Default: only where the stage sets them.
   */
  detailed?: boolean
}

/** The stage's per-method (REST `methodSettings`) setting this feature reads. */
export interface MetricsMethodSettings {
  /** Emit CloudWatch metrics with the `Method` and `Resource` dimensions for this method (detailed metrics). */
  metricsEnabled?: boolean
}

/** The stage's per-route (HTTP APIs `defaultRouteSettings`, `routeSettings`) setting this feature reads. */
export interface MetricsRouteSettings {
  /** Emit metrics with the `Route` dimension for this route (detailed metrics). */
  detailedMetricsEnabled?: boolean
}
