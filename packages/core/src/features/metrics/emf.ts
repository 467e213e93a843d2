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
import { type RequestValues, withRequestValues } from './values'

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
  name: string
  unit: MetricUnit
  sum: number
  values: number[] | undefined
}

interface Aggregate {
  /** Its key in the interval's map. */
  key: string
  dimensions: Readonly<Record<string, string>>
  /** In the order first seen (the order of the line's `Metrics`). */
  metrics: Metric[]
  /** API Gateway's metrics by {@link SLOTS} index: found without a lookup by name. */
  slots: (Metric | undefined)[]
  /** Metrics of other names (only from datapoints another caller made). */
  other: Map<string, Metric> | undefined
  /** False once written and dropped from the interval (a full value array, a flush). */
  live: boolean
  text: DimensionsText
}

/** API Gateway's metric names, REST and HTTP APIs, each an aggregate's slot. */
const SLOTS: ReadonlyMap<string, number> = new Map(
  ['Count', '4XXError', '4xx', '5XXError', '5xx', 'Latency', 'IntegrationLatency', 'CacheHitCount', 'CacheMissCount', 'DataProcessed'].map(
    (name, i) => [name, i],
  ),
)

/** A dimension set's parts of a line, made once: `null` members when the line must be made by `JSON.stringify`. */
interface DimensionsText {
  key: string
  /** `"Dimensions":[…]`. */
  sets: string
  /** `,"ApiName":"…","Stage":"…"`, or null when a name would not keep its place in a JSON object. */
  members: string | null
}

/** The number as JSON writes it. */
const json = (n: number): string => (Number.isFinite(n) ? String(n) : 'null')

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
  let dropped = 0

  const dimensionSets = (names: string[]): string[][] => {
    if (!rollups || names.length <= 1) return [names]
    const sets: string[][] = [names.slice(0, 1)]
    if (names.length > 2) sets.push(names.slice(0, 2))
    sets.push(names)
    return sets
  }
  const textOf = memoByDimensions((dimensions): DimensionsText => {
    const entries = Object.entries(dimensions)
    // A name JSON would move (an array index goes first) or that a metric or `_aws` would overwrite: no members.
    const plain = entries.every(([k, v]) => typeof v === 'string' && k !== '_aws' && !SLOTS.has(k) && !/^\d+$/.test(k))
    return {
      key: JSON.stringify(entries),
      sets: `"Dimensions":${JSON.stringify(dimensionSets(Object.keys(dimensions)))}`,
      members: plain ? entries.map(([k, v]) => `,${JSON.stringify(k)}:${JSON.stringify(v)}`).join('') : null,
    }
  })
  const head = `,"CloudWatchMetrics":[{"Namespace":${JSON.stringify(namespace)},`

  /** The line as `JSON.stringify` writes the document, made by hand when its parts allow (undefined: nothing to write). */
  const lineOf = (aggregate: Aggregate, timestamp: number): string | undefined => {
    const { text } = aggregate
    if (text.members === null || aggregate.other !== undefined || typeof timestamp !== 'number') return documentOf(aggregate, timestamp)
    let definitions = ''
    let members = ''
    for (const metric of aggregate.metrics) {
      const values = metric.values
      if (values !== undefined && values.length === 0) continue
      definitions += `${definitions === '' ? '' : ','}{"Name":"${metric.name}","Unit":"${metric.unit}"}`
      members += `,"${metric.name}":${values === undefined ? json(metric.sum) : JSON.stringify(values)}`
    }
    if (definitions === '') return undefined
    return `{"_aws":{"Timestamp":${json(timestamp)}${head}${text.sets},"Metrics":[${definitions}]}]}${text.members}${members}}`
  }
  const documentOf = (aggregate: Aggregate, timestamp: number): string | undefined => {
    const names = Object.keys(aggregate.dimensions)
    const metrics: { Name: string; Unit: MetricUnit }[] = []
    const doc: Record<string, unknown> = {
      _aws: { Timestamp: timestamp, CloudWatchMetrics: [{ Namespace: namespace, Dimensions: dimensionSets(names), Metrics: metrics }] },
      ...aggregate.dimensions,
    }
    for (const metric of aggregate.metrics) {
      if (metric.values !== undefined && metric.values.length === 0) continue
      metrics.push({ Name: metric.name, Unit: metric.unit })
      doc[metric.name] = metric.values ?? metric.sum
    }
    return metrics.length === 0 ? undefined : JSON.stringify(doc)
  }
  const emit = (aggregate: Aggregate) => {
    const line = lineOf(aggregate, now())
    if (line === undefined) return
    try {
      write(line)
    } catch (error) {
      onError(error)
    }
  }

  let lastDimensions: object | undefined
  let lastAggregate: Aggregate | undefined
  /** The interval's aggregate of a dimension set; undefined past `maxSeries`. */
  const aggregateOf = (dimensions: Readonly<Record<string, string>>): Aggregate | undefined => {
    if (dimensions === lastDimensions && lastAggregate!.live) return lastAggregate
    const text = textOf(dimensions)
    let aggregate = series.get(text.key)
    if (aggregate === undefined) {
      if (series.size >= maxSeries) return undefined
      aggregate = {
        key: text.key,
        dimensions,
        metrics: [],
        slots: new Array(SLOTS.size).fill(undefined),
        other: undefined,
        live: true,
        text,
      }
      series.set(text.key, aggregate)
    }
    lastDimensions = dimensions
    lastAggregate = aggregate
    return aggregate
  }
  /** An aggregate's metric of a name, made on its first value (in a slot when its name and unit are API Gateway's). */
  const metricOf = (aggregate: Aggregate, slot: number | undefined, name: string, unit: MetricUnit): Metric => {
    let metric = slot === undefined ? undefined : aggregate.slots[slot]
    if (metric !== undefined) return metric
    metric = aggregate.other?.get(name)
    if (metric !== undefined) return metric
    metric = { name, unit, sum: 0, values: unit === 'Milliseconds' ? [] : undefined }
    aggregate.metrics.push(metric)
    if (slot !== undefined && (unit === 'Count' || unit === 'Milliseconds' || unit === 'Bytes')) aggregate.slots[slot] = metric
    else (aggregate.other ??= new Map()).set(name, metric)
    return metric
  }
  const add = (aggregate: Aggregate, slot: number | undefined, name: MetricName, unit: MetricUnit, value: number) => {
    if (!Number.isFinite(value)) return
    const metric = (slot !== undefined && aggregate.slots[slot]) || metricOf(aggregate, slot, name, unit)
    if (metric.values === undefined) metric.sum += value
    else push(aggregate, metric, value)
  }
  /**
   * A latency into its value array. A full array's dimension set has its line written now and its aggregation
   * started again (the rest of the request's values too): the aggregate to add them to is returned.
   */
  const push = (aggregate: Aggregate, metric: Metric, value: number): Aggregate => {
    const values = metric.values!
    values.push(value)
    if (values.length < MAX_VALUES) return aggregate
    emit(aggregate)
    aggregate.live = false
    series.delete(aggregate.key)
    return aggregateOf(aggregate.dimensions) ?? aggregate
  }
  const record = (point: MetricDatapoint) => {
    if (!Number.isFinite(point.value)) return
    const aggregate = aggregateOf(point.dimensions)
    if (aggregate === undefined) dropped++
    else add(aggregate, SLOTS.get(point.name), point.name, point.unit, point.value)
  }
  // A request's values (from the gateway's metrics observer, always numbers; latencies checked, a custom clock may
  // give anything): its aggregate found once, no datapoint objects, each metric in its slot (the order of
  // `eachValue`, the line's order).
  const count = (a: Aggregate, slot: number, name: MetricName, unit: MetricUnit, value: number) => {
    ;(a.slots[slot] ?? metricOf(a, slot, name, unit)).sum += value
  }
  const latency = (a: Aggregate, slot: number, name: MetricName, value: number): Aggregate =>
    Number.isFinite(value) ? push(a, a.slots[slot] ?? metricOf(a, slot, name, 'Milliseconds'), value) : a
  const byRequest = (v: Readonly<RequestValues>) => {
    let a = aggregateOf(v.dimensions)
    if (a === undefined) {
      dropped += 4 + (v.integrationLatency === undefined ? 0 : 1) + (v.cacheHit === undefined ? 0 : 2) + (v.bytes === undefined ? 0 : 1)
      return
    }
    count(a, 0, 'Count', 'Count', 1)
    if (v.rest) {
      count(a, 1, '4XXError', 'Count', v.client)
      count(a, 3, '5XXError', 'Count', v.server)
    } else {
      count(a, 2, '4xx', 'Count', v.client)
      count(a, 4, '5xx', 'Count', v.server)
    }
    a = latency(a, 5, 'Latency', v.latency)
    if (v.integrationLatency !== undefined) a = latency(a, 6, 'IntegrationLatency', v.integrationLatency)
    if (v.cacheHit !== undefined) {
      count(a, 7, 'CacheHitCount', 'Count', v.cacheHit)
      count(a, 8, 'CacheMissCount', 'Count', 1 - v.cacheHit)
    }
    if (v.bytes !== undefined) count(a, 9, 'DataProcessed', 'Bytes', v.bytes)
  }

  const flush = () => {
    const done = series
    series = new Map()
    for (const aggregate of done.values()) {
      aggregate.live = false
      emit(aggregate)
    }
  }
  const timer = intervalMs > 0 ? setInterval(flush, intervalMs) : undefined
  timer?.unref?.()

  return {
    sink: withRequestValues((points) => {
      for (const point of points) record(point)
    }, byRequest),
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
