/**
 * API Gateway's metrics as OpenTelemetry instruments: a counter per count metric (`Count`, `4XXError` / `4xx`,
 * `5XXError` / `5xx`, `CacheHitCount`, `CacheMissCount`, `DataProcessed`) and a histogram per latency
 * (`Latency`, `IntegrationLatency`), with the metrics' dimensions as attributes in semantic-convention names.
 * https://opentelemetry.io/docs/specs/semconv/general/metrics/
 */
import type { Attributes, Counter, Histogram, Meter } from '@opentelemetry/api'
import type { MetricDatapoint, MetricName, MetricsSink } from '@gatehousejs/core'

/** Dimension → attribute: `Method` and `Resource` are the HTTP method and route; the rest AWS's own. */
const ATTRIBUTES: Readonly<Record<string, string>> = {
  ApiName: 'aws.api_gateway.api_name',
  ApiId: 'aws.api_gateway.api_id',
  Stage: 'aws.api_gateway.stage',
  Method: 'http.request.method',
  Resource: 'http.route',
  Route: 'aws.api_gateway.route_key',
}

const INSTRUMENTS: Readonly<Record<MetricName, { name: string; kind: 'counter' | 'histogram'; unit: string; description: string }>> = {
  Count: { name: 'apigateway.requests', kind: 'counter', unit: '{request}', description: 'Requests (API Gateway Count)' },
  '4XXError': { name: 'apigateway.client_errors', kind: 'counter', unit: '{request}', description: 'Requests answered 4XX' },
  '4xx': { name: 'apigateway.client_errors', kind: 'counter', unit: '{request}', description: 'Requests answered 4XX' },
  '5XXError': { name: 'apigateway.server_errors', kind: 'counter', unit: '{request}', description: 'Requests answered 5XX' },
  '5xx': { name: 'apigateway.server_errors', kind: 'counter', unit: '{request}', description: 'Requests answered 5XX' },
  CacheHitCount: { name: 'apigateway.cache.hits', kind: 'counter', unit: '{request}', description: 'Stage cache hits' },
  CacheMissCount: { name: 'apigateway.cache.misses', kind: 'counter', unit: '{request}', description: 'Stage cache misses' },
  DataProcessed: { name: 'apigateway.data_processed', kind: 'counter', unit: 'By', description: 'Request and response bytes' },
  Latency: { name: 'apigateway.latency', kind: 'histogram', unit: 'ms', description: 'Request received to response sent' },
  IntegrationLatency: { name: 'apigateway.integration.latency', kind: 'histogram', unit: 'ms', description: 'Integration call' },
}

function attributesOf(dimensions: Readonly<Record<string, string>>): Attributes {
  const out: Attributes = {}
  for (const [key, value] of Object.entries(dimensions)) out[ATTRIBUTES[key] ?? `aws.api_gateway.${key}`] = value
  return out
}

/**
 * A metrics sink that records API Gateway's metrics on OpenTelemetry instruments made from `meter`.
 *
 * @example
 * ```ts
 * import { metrics } from '@opentelemetry/api'
 * const gw = createGateway({ api, metrics: { sink: instrumentSink(metrics.getMeter('gateway')) } })
 * ```
 */
export function instrumentSink(meter: Meter): MetricsSink {
  const instruments = new Map<string, Counter | Histogram>()
  const instrument = (name: MetricName): Counter | Histogram | undefined => {
    const spec = INSTRUMENTS[name]
    if (spec === undefined) return undefined
    let made = instruments.get(spec.name)
    if (made === undefined) {
      const options = { unit: spec.unit, description: spec.description }
      made = spec.kind === 'counter' ? meter.createCounter(spec.name, options) : meter.createHistogram(spec.name, options)
      instruments.set(spec.name, made)
    }
    return made
  }
  // The gateway makes one dimensions object per route: its attributes are made once too.
  const attributes = new WeakMap<object, Attributes>()
  return (points: readonly MetricDatapoint[]) => {
    for (const point of points) {
      const target = instrument(point.name)
      if (target === undefined) continue
      let attrs = attributes.get(point.dimensions)
      if (attrs === undefined) attributes.set(point.dimensions, (attrs = attributesOf(point.dimensions)))
      if ('add' in target) target.add(point.value, attrs)
      else target.record(point.value, attrs)
    }
  }
}
