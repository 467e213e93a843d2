/**
 * One request's metric values, as the metrics observer hands them to the built-in sinks (the Prometheus registry and
 * the EMF exporter) without making datapoint objects: one object per gateway, filled in place for each request and
 * read synchronously. Other sinks get the datapoints made from it ({@link datapointsOf}).
 */
import type { MetricDatapoint, MetricsSink } from './options'

export interface RequestValues {
  /** REST (`4XXError`, `CacheHitCount`, …) or HTTP API (`4xx`, `DataProcessed`) names. */
  rest: boolean
  dimensions: Readonly<Record<string, string>>
  timestamp: number
  /** 1 for a 4XX answer, else 0. */
  client: number
  /** 1 for a 5XX answer, else 0. */
  server: number
  latency: number
  /** Undefined when no integration answered. */
  integrationLatency: number | undefined
  /** REST: 1 for a stage-cache hit, 0 for a miss, undefined when the cache was not asked. */
  cacheHit: number | undefined
  /** HTTP APIs: request and response bytes. */
  bytes: number | undefined
}

/** The key of a built-in sink's per-request entry point. */
export const BY_REQUEST: unique symbol = Symbol('gatehouse.metrics.byRequest')

/** A sink that also takes a request's values directly. */
export type RequestValuesSink = MetricsSink & { [BY_REQUEST]?: (values: Readonly<RequestValues>) => void }

/**
 * A sink function with a per-request entry point beside it.
 *
 * @example
 * ```ts
 * const sink = withRequestValues((points) => points.forEach(record), (values) => recordValues(values))
 * ```
 */
export function withRequestValues(sink: MetricsSink, byRequest: (values: Readonly<RequestValues>) => void): MetricsSink {
  return Object.assign(sink, { [BY_REQUEST]: byRequest })
}

/**
 * A request's values as the datapoints API Gateway publishes (they share one `dimensions` object).
 *
 * @example
 * ```ts
 * datapointsOf(values).map((p) => p.name) // ['Count', '4XXError', '5XXError', 'Latency', 'IntegrationLatency']
 * ```
 */
export function datapointsOf(v: Readonly<RequestValues>): MetricDatapoint[] {
  const { dimensions, timestamp } = v
  const points: MetricDatapoint[] = []
  eachValue(v, (name, unit, value) => points.push({ name, unit, value, dimensions, timestamp }))
  return points
}

/**
 * Each of a request's values with its metric name and unit, in the datapoints' order, without making them.
 *
 * @example
 * ```ts
 * eachValue(values, (name, unit, value) => add(name, unit, value))
 * ```
 */
export function eachValue(
  v: Readonly<RequestValues>,
  add: (name: MetricDatapoint['name'], unit: MetricDatapoint['unit'], value: number) => void,
): void {
  add('Count', 'Count', 1)
  add(v.rest ? '4XXError' : '4xx', 'Count', v.client)
  add(v.rest ? '5XXError' : '5xx', 'Count', v.server)
  add('Latency', 'Milliseconds', v.latency)
  if (v.integrationLatency !== undefined) add('IntegrationLatency', 'Milliseconds', v.integrationLatency)
  if (v.cacheHit !== undefined) {
    add('CacheHitCount', 'Count', v.cacheHit)
    add('CacheMissCount', 'Count', 1 - v.cacheHit)
  }
  if (v.bytes !== undefined) add('DataProcessed', 'Bytes', v.bytes)
}
