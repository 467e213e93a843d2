/**
 * `@gatehousejs/otel`: OpenTelemetry for a gatehouse gateway. `otel({ tracer, meter })` gives the gateway input its
 * `observers` (a SERVER span per request, child spans per stage) and `metrics.sink` (API Gateway's metrics as OTel
 * counters and histograms); `spanObserver` and `instrumentSink` are the two halves, to combine with other sinks.
 */
import type { Meter, TextMapPropagator, Tracer } from '@opentelemetry/api'
import type { MetricsSink, RequestObserver } from '@gatehousejs/core'
import { instrumentSink } from './instruments'
import { spanObserver } from './spans'

export { instrumentSink } from './instruments'
export { spanObserver, type SpanObserverOptions } from './spans'

export interface OtelOptions {
  /** Where request spans go (none without one). */
  tracer?: Tracer
  /** Where the metrics' instruments are made (none without one). */
  meter?: Meter
  /** How a request's parent span is read from its headers (default: the global propagator). */
  propagator?: TextMapPropagator
}

/** The slice of the gateway input `otel()` fills: spread it into `createGateway`'s input. */
export interface OtelGatewayInput {
  observers: RequestObserver[]
  metrics?: { sink: MetricsSink }
}

/**
 * The gateway input for OpenTelemetry tracing and metrics.
 *
 * @example
 * ```ts
 * import { metrics, trace } from '@opentelemetry/api'
 * import { createGateway } from '@gatehousejs/core'
 * import { otel } from '@gatehousejs/otel'
 * const gw = createGateway({ api, ...otel({ tracer: trace.getTracer('gw'), meter: metrics.getMeter('gw') }) })
 * ```
 */
export function otel(options: OtelOptions): OtelGatewayInput {
  const observers: RequestObserver[] = []
  if (options.tracer !== undefined)
    observers.push(spanObserver({ tracer: options.tracer, ...(options.propagator ? { propagator: options.propagator } : {}) }))
  if (options.meter === undefined) return { observers }
  return { observers, metrics: { sink: instrumentSink(options.meter) } }
}
