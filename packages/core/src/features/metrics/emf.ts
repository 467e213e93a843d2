/**
 * CloudWatch Embedded Metric Format: the metrics aggregated per flush interval and written as log lines CloudWatch
 * Logs turns into metrics (one JSON object per dimension set and interval, not one per request). Counts and bytes
 * are summed; latencies kept as EMF value arrays (at most 100 per line: a full array is written at once).
 * Bounded: at most `maxSeries` dimension sets per interval, the datapoints of further ones dropped and counted.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 *
 * The namespace cannot be API Gateway's own `AWS/ApiGateway`: CloudWatch reserves the `AWS/` prefix for AWS services
 * (PutMetricData: "You can't specify a namespace that begins with 'AWS/'"), so the default is `Gatehouse/ApiGateway`
 * with API Gateway's metric and dimension names inside it.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html
 */
import { memoByDimensions } from './memo'
import type { MetricDatapoint, MetricName, MetricsSink, MetricUnit } from './options'
import { eachValue, withRequestValues } from './values'

/** Most values of one metric in one EMF document (the specification's limit on a value array). */
const MAX_VALUES = 100

export interface EmfExporterOptions {
  /** Where each line goes (default: stdout, one line each). */
  write?: (line: string) => void
  /** Default `Gatehouse/ApiGateway`; 1 to 255 characters, not starting with `AWS/`. */
  namespace?: string
  /** How often the aggregates are written, ms (default 60 000; 0: only on `flush()`). */
  intervalMs?: number
  /** Most dimension sets aggregated per interval (default 100). */
  maxSeries?: number
  /**
   * Also publish the roll-ups API Gateway publishes (`[ApiName]`, `[ApiName, Stage]` beside the detailed set);
   * default true.
   */
  rollups?: boolean
  /** Told when `write` throws (default: `console.error`). */
  onError?: (error: unknown) => void
  /** Clock for `_aws.Timestamp`, epoch ms (default `Date.now`). */
  now?: () => number
}

export interface EmfExporter {
  /** The sink to give the gateway: `metrics: { sink: emf.sink }`. */
  readonly sink: MetricsSink
  /** Write what was aggregated since the last flush. */
  flush(): void
  /** Flush and stop the timer. */
  close(): void
  /** Datapoints dropped because the interval had `maxSeries` dimension sets already. */
  readonly dropped: number
}

/** One metric of an aggregate: counts and bytes summed, latencies kept as values. */
interface Metric {
  unit: MetricUnit
  sum: number
  values: number[] | undefined
}

interface Aggregate {
  /** Its key in the interval's map. */
  key: string
  dimensions: Readonly<Record<string, string>>
  /** By name, in the order first seen (the order of the line's `Metrics`). */
  metrics: Map<string, Metric>
}

function seriesKey(dimensions: Readonly<Record<string, string>>): string {
  return JSON.stringify(Object.entries(dimensions))
}

/**
 * An exporter of API Gateway's metrics as CloudWatch Embedded Metric Format lines.
 *
 * @example
 * ```ts
 * import { createEmfExporter, createGateway } from '@gatehousejs/core'
 * const emf = createEmfExporter({ write: (line) => process.stdout.write(`${line}\n`), intervalMs: 60_000 })
 * const gw = createGateway({ api, metrics: { sink: emf.sink } })
 * // every minute: {"_aws":{"Timestamp":…,"CloudWatchMetrics":[{"Namespace":"Gatehouse/ApiGateway",…}]},"Count":42,…}
 * ```
 */
export function createEmfExporter(options: EmfExporterOptions = {}): EmfExporter {
  const namespace = options.namespace ?? 'Gatehouse/ApiGateway'
  if (typeof namespace !== 'string' || namespace.length < 1 || namespace.length > 255 || /^aws\//i.test(namespace))
    throw new TypeError('namespace must be 1 to 255 characters and not start with AWS/ (reserved for AWS services)')
  const maxSeries = options.maxSeries ?? 100
  if (!Number.isInteger(maxSeries) || maxSeries < 1) throw new TypeError('maxSeries must be a positive integer')
  const intervalMs = options.intervalMs ?? 60_000
  if (!Number.isFinite(intervalMs) || intervalMs < 0) throw new TypeError('intervalMs must be a number >= 0')
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`))
  const onError = options.onError ?? ((error: unknown) => console.error('gatehouse: EMF metrics line not written', error))
  const now = options.now ?? Date.now
  const rollups = options.rollups ?? true
  let series = new Map<string, Aggregate>()
  const keyOf = memoByDimensions(seriesKey)
  let dropped = 0

  const dimensionSets = (names: string[]): string[][] => {
    if (!rollups || names.length <= 1) return [names]
    const sets: string[][] = [names.slice(0, 1)]
    if (names.length > 2) sets.push(names.slice(0, 2))
    sets.push(names)
    return sets
  }

  const emit = (aggregate: Aggregate) => {
    const names = Object.keys(aggregate.dimensions)
    const metrics: { Name: string; Unit: MetricUnit }[] = []
    const doc: Record<string, unknown> = {
      _aws: { Timestamp: now(), CloudWatchMetrics: [{ Namespace: namespace, Dimensions: dimensionSets(names), Metrics: metrics }] },
      ...aggregate.dimensions,
    }
    for (const [name, metric] of aggregate.metrics) {
      if (metric.values !== undefined && metric.values.length === 0) continue
      metrics.push({ Name: name, Unit: metric.unit })
      doc[name] = metric.values ?? metric.sum
    }
    if (metrics.length === 0) return
    try {
      write(JSON.stringify(doc))
    } catch (error) {
      onError(error)
    }
  }

  /** The interval's aggregate of a dimension set; undefined past `maxSeries`. */
  const aggregateOf = (dimensions: Readonly<Record<string, string>>): Aggregate | undefined => {
    const key = keyOf(dimensions)
    let aggregate = series.get(key)
    if (aggregate === undefined) {
      if (series.size >= maxSeries) return undefined
      aggregate = { key, dimensions, metrics: new Map() }
      series.set(key, aggregate)
    }
    return aggregate
  }
  /** The aggregate of the request whose values are being added (see `sink` below). */
  let current: Aggregate | undefined
  const add = (aggregate: Aggregate, name: MetricName, unit: MetricUnit, value: number) => {
    if (!Number.isFinite(value)) return
    let metric = aggregate.metrics.get(name)
    if (metric === undefined) {
      metric = { unit, sum: 0, values: unit === 'Milliseconds' ? [] : undefined }
      aggregate.metrics.set(name, metric)
    }
    const values = metric.values
    if (values === undefined) {
      metric.sum += value
      return
    }
    values.push(value)
    if (values.length >= MAX_VALUES) {
      // A full value array: this dimension set's line is written now, and its aggregation starts again (the rest of
      // a request's values too).
      emit(aggregate)
      series.delete(aggregate.key)
      if (current === aggregate) current = aggregateOf(aggregate.dimensions)
    }
  }
  const record = (point: MetricDatapoint) => {
    if (!Number.isFinite(point.value)) return
    const aggregate = aggregateOf(point.dimensions)
    if (aggregate === undefined) dropped++
    else add(aggregate, point.name, point.unit, point.value)
  }
  // A request's values (from the gateway's metrics observer): its aggregate found once, no datapoint objects.
  const addValue = (name: MetricName, unit: MetricUnit, value: number) => {
    if (current === undefined) dropped++
    else add(current, name, unit, value)
  }

  const flush = () => {
    const done = series
    series = new Map()
    for (const aggregate of done.values()) emit(aggregate)
  }
  const timer = intervalMs > 0 ? setInterval(flush, intervalMs) : undefined
  timer?.unref?.()

  return {
    sink: withRequestValues(
      (points) => {
        for (const point of points) record(point)
      },
      (values) => {
        current = aggregateOf(values.dimensions)
        eachValue(values, addValue)
        current = undefined
      },
    ),
    flush,
    close() {
      if (timer !== undefined) clearInterval(timer)
      flush()
    },
    get dropped() {
      return dropped
    },
  }
}
