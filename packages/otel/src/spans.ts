/**
 * Spans of answered requests: one SERVER span per request, from the request's start (`state.epoch`) to its answer,
 * with HTTP semantic-convention attributes, and a child span per timed part of the request (each feature stage —
 * authorizers, validation, stage cache — the integration, each after-stage) with the times the gateway recorded.
 * The parent is what the request's headers carry (`traceparent` with the W3C propagator), through the propagator
 * given or the global one.
 * https://opentelemetry.io/docs/specs/semconv/http/http-spans/
 */
import {
  type Context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TextMapGetter,
  type TextMapPropagator,
  type Tracer,
  trace,
} from '@opentelemetry/api'
import type { GatewayResponse, HeaderMap, RequestObserver, RequestState } from '@gatehousejs/core'

export interface SpanObserverOptions {
  tracer: Tracer
  /** How the parent is read from the request's headers (default: the global propagator, `propagation`). */
  propagator?: TextMapPropagator
}

const headerGetter: TextMapGetter<HeaderMap> = {
  keys: (carrier) => Object.keys(carrier),
  get(carrier, key) {
    const wanted = key.toLowerCase()
    for (const name of Object.keys(carrier)) {
      if (name.toLowerCase() !== wanted) continue
      const value = carrier[name]
      return Array.isArray(value) ? value[value.length - 1] : value
    }
    return undefined
  },
}

function lastHeader(headers: HeaderMap, name: string): string | undefined {
  return headerGetter.get(headers, name) as string | undefined
}

/** Child spans of the server span: `integration` is the call to the backend (CLIENT); the stages are INTERNAL. */
function stageSpans(tracer: Tracer, parent: Context, state: RequestState): void {
  for (const timing of state.timings ?? []) {
    const kind = timing.phase === 'integration' ? SpanKind.CLIENT : SpanKind.INTERNAL
    const span = tracer.startSpan(
      timing.name,
      { kind, startTime: timing.start, attributes: { 'aws.api_gateway.phase': timing.phase } },
      parent,
    )
    if (timing.phase === 'integration' && state.integrationStatus !== undefined)
      span.setAttribute('http.response.status_code', state.integrationStatus)
    span.end(timing.end)
  }
}

function serverAttributes(span: Span, state: RequestState, response: GatewayResponse): void {
  const { request, route, api } = state
  span.setAttributes({
    'http.request.method': request.method,
    'url.path': request.path,
    'url.scheme': 'https',
    'server.address': state.domainName,
    'client.address': state.identity.sourceIp,
    'http.response.status_code': response.statusCode,
    'aws.api_gateway.api_id': api.apiId,
    'aws.api_gateway.stage': api.stage,
    'aws.api_gateway.request_id': state.requestId,
    'aws.api_gateway.extended_request_id': state.extendedRequestId,
  })
  if (request.query) span.setAttribute('url.query', request.query)
  const agent = lastHeader(request.headers, 'user-agent')
  if (agent !== undefined) span.setAttribute('user_agent.original', agent)
  if (route.routeKey !== '') {
    span.setAttribute('aws.api_gateway.route_key', route.routeKey)
    if (route.resourcePath !== '$default') span.setAttribute('http.route', route.resourcePath)
  }
  if (state.failure !== undefined) span.setAttribute('aws.api_gateway.error_type', state.failure.type)
  if (state.cacheOutcome !== undefined) span.setAttribute('aws.api_gateway.cache', state.cacheOutcome)
  if (state.integrationLatency !== undefined) span.setAttribute('aws.api_gateway.integration_latency', state.integrationLatency)
  // Server spans: a 5xx is an error, a 4xx is the client's (HTTP semantic conventions, span status).
  if (response.statusCode >= 500) {
    span.setAttribute('error.type', String(response.statusCode))
    span.setStatus({ code: SpanStatusCode.ERROR })
  }
}

/**
 * An observer that records a SERVER span per answered request and a child span per timed stage.
 *
 * @example
 * ```ts
 * import { trace } from '@opentelemetry/api'
 * const gw = createGateway({ api, observers: [spanObserver({ tracer: trace.getTracer('gateway') })] })
 * ```
 */
export function spanObserver(options: SpanObserverOptions): RequestObserver {
  const { tracer } = options
  const propagator = options.propagator ?? propagation
  return {
    timings: true,
    done(state, response) {
      try {
        const parent = propagator.extract(ROOT_CONTEXT, state.request.headers, headerGetter)
        const route = state.route.routeKey !== '' && state.route.resourcePath !== '$default' ? ` ${state.route.resourcePath}` : ''
        const span = tracer.startSpan(`${state.request.method}${route}`, { kind: SpanKind.SERVER, startTime: state.epoch }, parent)
        serverAttributes(span, state, response)
        stageSpans(tracer, trace.setSpan(parent, span), state)
        span.end(state.api.now())
      } catch (error) {
        // An observer must not throw: the failure is the operator's, through the gateway's onError.
        state.reportFailure(error, 'internal', null)
      }
    },
  }
}
