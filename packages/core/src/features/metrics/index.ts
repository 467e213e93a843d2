/**
 * Metrics (the `metrics` option): API Gateway's CloudWatch metrics for every answered request, with AWS's names,
 * units and dimensions, handed to sinks — the Prometheus registry (`createPrometheusRegistry`), CloudWatch Embedded
 * Metric Format lines (`createEmfExporter`), `@gatehousejs/otel`, or a function of your own.
 * REST: `Count`, `4XXError`, `5XXError`, `Latency`, `IntegrationLatency`, `CacheHitCount`, `CacheMissCount` by
 * `ApiName` and `Stage`, and by `Method` and `Resource` for methods with `methodSettings` `metricsEnabled`.
 * HTTP APIs: `Count`, `4xx`, `5xx`, `Latency`, `IntegrationLatency`, `DataProcessed` by `ApiId` and `Stage`, and by
 * `Route` for routes with `detailedMetricsEnabled`. Off by default: without a sink no observer is made.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-metrics.html
 */
import { GatewayConfigError } from '../../errors'
import { bodyLength } from '../../http'
import { answeredAt, type RequestObserver } from '../../observe'
import type { RequestState } from '../../state'
import type { GatewayResponse } from '../../types'
import { type Feature, type GatewayContext, stateKey } from '../types'
import { detailedRoutes } from './detailed'
import type { MetricsSink } from './options'
import { BY_REQUEST, datapointsOf, type RequestValues, type RequestValuesSink } from './values'

export type {
  HttpMetricName,
  MetricDatapoint,
  MetricName,
  MetricsMethodSettings,
  MetricsOptions,
  MetricsRouteSettings,
  MetricsSink,
  MetricUnit,
  RestMetricName,
} from './options'

export { createEmfExporter, type EmfExporter, type EmfExporterOptions } from './emf'
export {
  createPrometheusRegistry,
  DEFAULT_LATENCY_BUCKETS,
  metricsHandler,
  prometheus,
  type PrometheusRegistry,
  type PrometheusRegistryOptions,
} from './prometheus'

const METRICS = stateKey<RequestObserver | null>('metrics')

function sinksOf(input: GatewayContext['input']): MetricsSink[] | null {
  const options = input.metrics
  if (options === undefined) return null
  if (options === null || typeof options !== 'object') throw new GatewayConfigError('INVALID_OPTION', '`metrics` must be an object')
  const raw = options.sink
  const sinks = raw === undefined ? [] : typeof raw === 'function' ? [raw] : Array.isArray(raw) ? [...raw] : null
  if (sinks === null || sinks.some((s) => typeof s !== 'function'))
    throw new GatewayConfigError('INVALID_OPTION', '`metrics.sink` must be a function or a list of functions')
  if (sinks.length === 0) throw new GatewayConfigError('INVALID_OPTION', '`metrics` needs a `sink` (a function, or a list of them)')
  return sinks
}

function createMetrics(gateway: GatewayContext): RequestObserver | null {
  const sinks = sinksOf(gateway.input)
  if (sinks === null) return null
  const { api, definition } = gateway
  const rest = api.apiType !== 'HTTP'
  const base: Readonly<Record<string, string>> = rest
    ? { ApiName: definition.name ?? api.apiId, Stage: api.stage }
    : { ApiId: api.apiId, Stage: api.stage }
  const isDetailed = detailedRoutes(gateway)
  // One dimensions object per route key, made on the route's first request (bounded by the API's routes).
  const byRoute = new Map<string, Readonly<Record<string, string>>>()
  let lastKey = ''
  let lastDimensions = base
  const dimensionsOf = (state: RequestState): Readonly<Record<string, string>> => {
    const { routeKey, resourcePath } = state.route
    if (routeKey === lastKey) return lastDimensions
    if (routeKey === '') return base
    let dims = byRoute.get(routeKey)
    if (dims === undefined) {
      const space = routeKey.indexOf(' ')
      const method = space < 0 ? 'ANY' : routeKey.slice(0, space)
      if (!isDetailed(resourcePath, method, routeKey)) dims = base
      else dims = rest ? { ...base, Method: method, Resource: resourcePath } : { ...base, Route: routeKey }
      byRoute.set(routeKey, dims)
    }
    lastKey = routeKey
    lastDimensions = dims
    return dims
  }
  // The built-in sinks take the values as they are; datapoints are made (once a request) only for other sinks.
  const direct = sinks.map((sink) => (sink as RequestValuesSink)[BY_REQUEST])
  const allDirect = direct.every((d) => d !== undefined)
  const values: RequestValues = {
    rest,
    dimensions: base,
    timestamp: 0,
    client: 0,
    server: 0,
    latency: 0,
    integrationLatency: undefined,
    cacheHit: undefined,
    bytes: undefined,
  }
  return {
    done(state: RequestState, response: GatewayResponse) {
      const timestamp = answeredAt(state)
      const status = response.statusCode
      values.dimensions = dimensionsOf(state)
      values.timestamp = timestamp
      values.client = status >= 400 && status < 500 ? 1 : 0
      values.server = status >= 500 && status < 600 ? 1 : 0
      values.latency = Math.max(0, timestamp - state.epoch)
      values.integrationLatency = state.integrationLatency
      values.cacheHit = rest && state.cacheOutcome !== undefined ? (state.cacheOutcome === 'hit' ? 1 : 0) : undefined
      values.bytes = rest ? undefined : bodyLength(state.request.body) + bodyLength(response.body)
      const points = allDirect ? undefined : datapointsOf(values)
      for (let i = 0; i < sinks.length; i++) {
        try {
          const byRequest = direct[i]
          if (byRequest !== undefined) byRequest(values)
          else sinks[i]!(points!)
        } catch (error) {
          state.reportFailure(error, 'internal', null)
        }
      }
    },
  }
}

/**
 * Emits API Gateway's metrics for every answered request to the `metrics.sink` functions.
 *
 * @example
 * ```ts
 * import { createGateway, createPrometheusRegistry } from '@gatehousejs/core'
 * const registry = createPrometheusRegistry()
 * const gw = createGateway({ api, metrics: { sink: registry.sink } })
 * await gw.handle({ method: 'GET', path: '/pets', headers: {} })
 * registry.text() // '# TYPE apigateway_requests_total counter\n…'
 * ```
 */
export const metricsFeature: Feature = {
  name: 'metrics',
  validate(gateway) {
    gateway.state.get(METRICS, () => createMetrics(gateway))
  },
  observe: (gateway) => gateway.state.peek(METRICS) ?? null,
}
