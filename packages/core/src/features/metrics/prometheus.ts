/**
 * A Prometheus registry for API Gateway's metrics: counters (`Count`, 4xx, 5xx, cache hits and misses, bytes) and
 * latency histograms, by the metrics' dimensions as labels, served in the text exposition format (0.0.4) from a
 * node:http handler the user mounts on any route. Bounded: at most `maxSeries` label sets per metric.
 * https://prometheus.io/docs/instrumenting/exposition_formats/
 * https://prometheus.io/docs/practices/naming/
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { memoByDimensions } from './memo'
import type { MetricDatapoint, MetricName, MetricsSink } from './options'
import { withRequestValues } from './values'

/** Histogram buckets (ms): from a cache hit to API Gateway's 29 s integration timeout. */
export const DEFAULT_LATENCY_BUCKETS: readonly number[] = [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 29000]

export interface PrometheusRegistryOptions {
  /** Upper bounds of the latency histograms' buckets, ms, increasing (default {@link DEFAULT_LATENCY_BUCKETS}). */
  buckets?: readonly number[]
  /** Most label sets kept per metric (default 1000); datapoints of further ones are dropped and counted. */
  maxSeries?: number
  /** Prefix of every metric name (default `apigateway`). */
  prefix?: string
}

export interface PrometheusRegistry {
  /** The sink to give the gateway: `createGateway({ ..., metrics: { sink: registry.sink } })`. */
  readonly sink: MetricsSink
  /** The registry in the Prometheus text format. */
  text(): string
  /** Datapoints dropped because their metric had `maxSeries` label sets already. */
  readonly dropped: number
}

type Kind = 'counter' | 'histogram'
const NAMES: Readonly<Record<MetricName, { suffix: string; kind: Kind; help: string }>> = {
  Count: { suffix: 'requests_total', kind: 'counter', help: 'Requests (API Gateway Count).' },
  '4XXError': { suffix: 'client_errors_total', kind: 'counter', help: 'Requests answered 4XX (API Gateway 4XXError / 4xx).' },
  '4xx': { suffix: 'client_errors_total', kind: 'counter', help: 'Requests answered 4XX (API Gateway 4XXError / 4xx).' },
  '5XXError': { suffix: 'server_errors_total', kind: 'counter', help: 'Requests answered 5XX (API Gateway 5XXError / 5xx).' },
  '5xx': { suffix: 'server_errors_total', kind: 'counter', help: 'Requests answered 5XX (API Gateway 5XXError / 5xx).' },
  CacheHitCount: { suffix: 'cache_hits_total', kind: 'counter', help: 'Requests the stage cache answered (CacheHitCount).' },
  CacheMissCount: { suffix: 'cache_misses_total', kind: 'counter', help: 'Cacheable requests the stage cache missed (CacheMissCount).' },
  DataProcessed: { suffix: 'data_processed_bytes_total', kind: 'counter', help: 'Request and response bytes (DataProcessed).' },
  Latency: { suffix: 'latency_milliseconds', kind: 'histogram', help: 'Request received to response sent, ms (Latency).' },
  IntegrationLatency: {
    suffix: 'integration_latency_milliseconds',
    kind: 'histogram',
    help: 'Request relayed to the integration to its answer, ms (IntegrationLatency).',
  },
}

interface Series {
  labels: string
  value: number
  /** Histograms: cumulative later; here the count per bucket (not cumulative), and the +Inf overflow last. */
  buckets: number[] | undefined
  /** Histograms: the observations. */
  count: number
}

/** A dimensions object's series, by slot (one per family a request's values go to), made on their first value. */
interface Bundle {
  labels: string
  slots: (Series | undefined)[]
}

interface Family {
  name: string
  kind: Kind
  help: string
  series: Map<string, Series>
  /** The series a request's datapoint went to last: the next datapoint (of the next request) is mostly the same. */
  lastLabels: string | undefined
  lastSeries: Series | undefined
}

/** `ApiName` → `api_name`: dimension names as Prometheus label names. */
function labelName(dimension: string): string {
  const snake = dimension.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()
  const safe = snake.replace(/[^a-z0-9_]/g, '_')
  return /^[a-z_]/.test(safe) ? safe : `_${safe}`
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
}

function renderLabels(dimensions: Readonly<Record<string, string>>): string {
  const parts: string[] = []
  for (const key of Object.keys(dimensions).sort()) parts.push(`${labelName(key)}="${escapeLabel(dimensions[key]!)}"`)
  return parts.join(',')
}

function number(n: number): string {
  if (n === Number.POSITIVE_INFINITY) return '+Inf'
  if (n === Number.NEGATIVE_INFINITY) return '-Inf'
  return Number.isNaN(n) ? 'NaN' : String(n)
}

/**
 * A registry of API Gateway's metrics in Prometheus' terms.
 *
 * @example
 * ```ts
 * import { createGateway, createPrometheusRegistry, prometheus } from '@gatehousejs/core'
 * const registry = createPrometheusRegistry()
 * const gw = createGateway({ api, metrics: { sink: registry.sink } })
 * http.createServer((req, res) => (req.url === '/metrics' ? prometheus(registry)(req, res) : serve(req, res)))
 * ```
 */
export function createPrometheusRegistry(options: PrometheusRegistryOptions = {}): PrometheusRegistry {
  const buckets = [...(options.buckets ?? DEFAULT_LATENCY_BUCKETS)]
  if (buckets.length === 0 || buckets.some((b, i) => !Number.isFinite(b) || (i > 0 && b <= buckets[i - 1]!)))
    throw new TypeError('buckets must be finite numbers in increasing order')
  const maxSeries = options.maxSeries ?? 1000
  if (!Number.isInteger(maxSeries) || maxSeries < 1) throw new TypeError('maxSeries must be a positive integer')
  const prefix = options.prefix ?? 'apigateway'
  if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(prefix)) throw new TypeError('prefix must be a Prometheus metric name')
  const families = new Map<string, Family>()
  const labelsOf = memoByDimensions(renderLabels)
  let dropped = 0

  // Each metric name's family, found without building its name per datapoint.
  const byMetric = new Map<string, Family>()
  const family = (name: MetricName): Family | undefined => {
    const known = byMetric.get(name)
    if (known !== undefined) return known
    if (!Object.hasOwn(NAMES, name)) return undefined
    const spec = NAMES[name]
    const full = `${prefix}_${spec.suffix}`
    let f = families.get(full)
    if (f === undefined) {
      f = { name: full, kind: spec.kind, help: spec.help, series: new Map(), lastLabels: undefined, lastSeries: undefined }
      families.set(full, f)
    }
    byMetric.set(name, f)
    return f
  }
  const record = (point: MetricDatapoint) => add(point.name, point.value, labelsOf(point.dimensions))
  /** The series the value went to (undefined when dropped or not a finite number). */
  const add = (name: MetricName, value: number, labels: string): Series | undefined => {
    const f = family(name)
    if (f === undefined || !Number.isFinite(value)) return undefined
    let s = f.lastLabels === labels ? f.lastSeries : f.series.get(labels)
    if (s === undefined) {
      if (f.series.size >= maxSeries) {
        dropped++
        return undefined
      }
      // One shape for both kinds: the code that adds a value sees one kind of object.
      s = { labels, value: 0, buckets: f.kind === 'histogram' ? new Array(buckets.length + 1).fill(0) : undefined, count: 0 }
      f.series.set(labels, s)
    }
    f.lastLabels = labels
    f.lastSeries = s
    observe(s, value)
    return s
  }
  const observe = (s: Series, value: number) => {
    s.value += value
    if (s.buckets !== undefined) {
      let i = 0
      while (i < buckets.length && value > buckets[i]!) i++
      s.buckets[i]!++
      s.count++
    }
  }

  // A request's values (from the gateway's metrics observer) go in without datapoint objects: the series of a
  // dimensions object are found once (its bundle), then each value goes to its slot (the order of `eachValue`).
  const bundleOf = memoByDimensions((dimensions): Bundle => ({ labels: labelsOf(dimensions), slots: [] }))
  const put = (bundle: Bundle, slot: number, name: MetricName, value: number) => {
    const s = bundle.slots[slot]
    if (s === undefined) bundle.slots[slot] = add(name, value, bundle.labels)
    else if (Number.isFinite(value)) observe(s, value)
  }
  const sink = withRequestValues(
    (points) => {
      for (const point of points) record(point)
    },
    (v) => {
      const bundle = bundleOf(v.dimensions)
      put(bundle, 0, 'Count', 1)
      put(bundle, 1, v.rest ? '4XXError' : '4xx', v.client)
      put(bundle, 2, v.rest ? '5XXError' : '5xx', v.server)
      put(bundle, 3, 'Latency', v.latency)
      if (v.integrationLatency !== undefined) put(bundle, 4, 'IntegrationLatency', v.integrationLatency)
      if (v.cacheHit !== undefined) {
        put(bundle, 5, 'CacheHitCount', v.cacheHit)
        put(bundle, 6, 'CacheMissCount', 1 - v.cacheHit)
      }
      if (v.bytes !== undefined) put(bundle, 7, 'DataProcessed', v.bytes)
    },
  )
  return {
    sink,
    get dropped() {
      return dropped
    },
    text() {
      let out = ''
      for (const f of families.values()) {
        out += `# HELP ${f.name} ${f.help}\n# TYPE ${f.name} ${f.kind}\n`
        for (const s of f.series.values()) {
          const sep = s.labels === '' ? '' : ','
          if (s.buckets === undefined) {
            out += `${f.name}${s.labels === '' ? '' : `{${s.labels}}`} ${number(s.value)}\n`
            continue
          }
          let cumulative = 0
          for (let i = 0; i <= buckets.length; i++) {
            cumulative += s.buckets[i]!
            const le = i < buckets.length ? number(buckets[i]!) : '+Inf'
            out += `${f.name}_bucket{${s.labels}${sep}le="${le}"} ${cumulative}\n`
          }
          const braces = s.labels === '' ? '' : `{${s.labels}}`
          out += `${f.name}_sum${braces} ${number(s.value)}\n${f.name}_count${braces} ${s.count}\n`
        }
      }
      return out
    },
  }
}

/**
 * A node:http handler serving the registry in the Prometheus text format (GET and HEAD; 405 otherwise).
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http'
 * const registry = createPrometheusRegistry()
 * const scrape = prometheus(registry)
 * createServer((req, res) => (req.url === '/metrics' ? scrape(req, res) : app(req, res))).listen(9464)
 * ```
 */
export function prometheus(registry: PrometheusRegistry): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' })
      res.end('Method Not Allowed\n')
      return
    }
    const body = registry.text()
    res.writeHead(200, {
      'content-type': 'text/plain; version=0.0.4; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      'cache-control': 'no-store',
    })
    res.end(req.method === 'HEAD' ? undefined : body)
  }
}

/**
 * {@link prometheus} under another name.
 *
 * @example
 * ```ts
 * const scrape = metricsHandler(createPrometheusRegistry())
 * ```
 */
export const metricsHandler = prometheus
