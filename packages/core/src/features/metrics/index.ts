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
import type { RequestObserver } from '../../observe'
import type { RequestState } from '../../state'
import type { GatewayResponse } from '../../types'
import { type Feature, type GatewayContext, stateKey } from '../types'
import { detailedRoutes } from './detailed'
import type { MetricDatapoint, MetricsSink } from './options'

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
  const dimensionsOf = (state: RequestState): Readonly<Record<string, string>> => {
    const { routeKey, resourcePath } = state.route
    if (routeKey === '') return base
    let dims = byRoute.get(routeKey)
    if (dims === undefined) {
      const space = routeKey.indexOf(' ')
      const method = space < 0 ? 'ANY' : routeKey.slice(0, space)
      if (!isDetailed(resourcePath, method, routeKey)) dims = base
      else dims = rest ? { ...base, Method: method, Resource: resourcePath } : { ...base, Route: routeKey }
      byRoute.set(routeKey, dims)
    }
    return dims
  }
  const send = (state: RequestState, points: MetricDatapoint[]) => {
    for (const sink of sinks) {
      try {
        sink(points)
      } catch (error) {
        state.reportFailure(error, 'internal', null)
      }
    }
  }
  return {
    done(state: RequestState, response: GatewayResponse) {
      const timestamp = api.now()
      const dimensions = dimensionsOf(state)
      const status = response.statusCode
      const client = status >= 400 && status < 500 ? 1 : 0
      const server = status >= 500 && status < 600 ? 1 : 0
      const points: MetricDatapoint[] = [
        { name: 'Count', unit: 'Count', value: 1, dimensions, timestamp },
        { name: rest ? '4XXError' : '4xx', unit: 'Count', value: client, dimensions, timestamp },
        { name: rest ? '5XXError' : '5xx', unit: 'Count', value: server, dimensions, timestamp },
        { name: 'Latency', unit: 'Milliseconds', value: Math.max(0, timestamp - state.epoch), dimensions, timestamp },
      ]
      if (state.integrationLatency !== undefined)
        points.push({ name: 'IntegrationLatency', unit: 'Milliseconds', value: state.integrationLatency, dimensions, timestamp })
      if (rest) {
        if (state.cacheOutcome !== undefined) {
          const hit = state.cacheOutcome === 'hit' ? 1 : 0
          points.push({ name: 'CacheHitCount', unit: 'Count', value: hit, dimensions, timestamp })
          points.push({ name: 'CacheMissCount', unit: 'Count', value: 1 - hit, dimensions, timestamp })
        }
      } else {
        const bytes = bodyLength(state.request.body) + bodyLength(response.body)
        points.push({ name: 'DataProcessed', unit: 'Bytes', value: bytes, dimensions, timestamp })
      }
      send(state, points)
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
