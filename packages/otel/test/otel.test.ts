// The OpenTelemetry bridge, captured with the OTel SDK's in-memory exporters: a SERVER span per request with HTTP
// semantic-convention attributes (https://opentelemetry.io/docs/specs/semconv/http/http-spans/), child spans for the
// authorizer, validation, stage cache and integration with the times the gateway recorded, the parent read from a W3C
// `traceparent` (https://www.w3.org/TR/trace-context/), and API Gateway's metrics
// (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html) as OTel
// counters and histograms (https://opentelemetry.io/docs/specs/otel/metrics/sdk/).
import { SpanKind, SpanStatusCode } from '@opentelemetry/api'
import { W3CTraceContextPropagator } from '@opentelemetry/core'
import {
  AggregationTemporality,
  DataPointType,
  InMemoryMetricExporter,
  MeterProvider,
  MetricReader,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics'
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base'
import { describe, expect, it } from 'vitest'
import { createGateway, type GatewayInput } from '@gatehousejs/core'
import { otel } from '@gatehousejs/otel'

/** A reader collected by hand (the SDK's readers are periodic): what the test reads is what it asked for. */
class ManualReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

const T0 = Date.UTC(2024, 0, 1)

function setup(input: Partial<GatewayInput> = {}) {
  const spans = new InMemorySpanExporter()
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] })
  const reader = new ManualReader()
  const meterProvider = new MeterProvider({ readers: [reader] })
  let t = T0
  const gw = createGateway({
    api: {
      name: 'PetStore',
      authorizers: { tok: { type: 'TOKEN', authorizerUri: 'auth', identitySource: 'method.request.header.X-Token' } },
      requestValidators: { params: { validateRequestParameters: true } },
      resources: {
        '/pets/{id}': {
          GET: {
            authorizationType: 'CUSTOM',
            authorizer: 'tok',
            requestValidator: 'params',
            requestParameters: { 'method.request.querystring.full': true },
            integration: { type: 'AWS_PROXY', uri: 'getPet' },
          },
        },
        '/broken': { GET: { integration: { type: 'AWS_PROXY', uri: 'broken' } } },
      },
    } as unknown as GatewayInput['api'],
    apiId: 'a1b2c3',
    stage: { stageName: 'prod', cacheClusterEnabled: true },
    now: () => t,
    onError: () => {},
    functions: {
      auth: async (event: { authorizationToken: string; methodArn: string }) => {
        t += 3
        const effect = event.authorizationToken === 'ok' ? 'Allow' : 'Deny'
        return {
          principalId: 'user-1',
          policyDocument: {
            Version: '2012-10-17',
            Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: event.methodArn }],
          },
        }
      },
      getPet: async () => {
        t += 40
        return { statusCode: 200, body: '{"id":"7"}' }
      },
      broken: async () => {
        t += 5
        throw new Error('down')
      },
    },
    ...otel({
      tracer: tracerProvider.getTracer('gatehouse-test'),
      meter: meterProvider.getMeter('gatehouse-test'),
      propagator: new W3CTraceContextPropagator(),
    }),
    ...input,
  })
  const collect = async (): Promise<ResourceMetrics> => {
    const { resourceMetrics } = await reader.collect()
    const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE)
    await new Promise<void>((resolve) => exporter.export(resourceMetrics, () => resolve()))
    return exporter.getMetrics()[0]!
  }
  return { gw, spans, collect }
}

const ms = (hr: [number, number]) => hr[0] * 1000 + hr[1] / 1e6
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId

describe('otel(): spans', () => {
  it('records a SERVER span with HTTP attributes and child spans per stage with the recorded times', async () => {
    const { gw, spans } = setup()
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'
    const res = await gw.handle({
      method: 'GET',
      path: '/pets/7',
      query: 'full=1',
      headers: { host: 'api.example.com', 'x-token': 'ok', traceparent, 'user-agent': 'curl/8' },
      sourceIp: '203.0.113.9',
    })
    expect(res.statusCode).toBe(200)
    const finished = spans.getFinishedSpans()
    const server = finished.find((s) => s.kind === SpanKind.SERVER)!
    expect(server.name).toBe('GET /pets/{id}')
    // The client's trace continues: same trace id, the client's span as parent.
    expect(server.spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c')
    expect(parentOf(server)).toBe('b7ad6b7169203331')
    expect(server.attributes).toMatchObject({
      'http.request.method': 'GET',
      'url.path': '/pets/7',
      'url.query': 'full=1',
      'http.route': '/pets/{id}',
      'http.response.status_code': 200,
      'server.address': 'api.example.com',
      'client.address': '203.0.113.9',
      'user_agent.original': 'curl/8',
      'aws.api_gateway.api_id': 'a1b2c3',
      'aws.api_gateway.stage': 'prod',
      'aws.api_gateway.route_key': 'GET /pets/{id}',
      'aws.api_gateway.cache': 'miss',
    })
    expect([ms(server.startTime), ms(server.endTime)]).toEqual([T0, T0 + 43])
    const children = finished.filter((s) => s !== server)
    for (const child of children) {
      expect(parentOf(child)).toBe(server.spanContext().spanId)
      expect(child.spanContext().traceId).toBe(server.spanContext().traceId)
    }
    const byName = Object.fromEntries(children.map((s) => [s.name, s]))
    expect(Object.keys(byName)).toEqual(expect.arrayContaining(['authorizers', 'validation', 'cache', 'integration']))
    expect([ms(byName.authorizers!.startTime), ms(byName.authorizers!.endTime)]).toEqual([T0, T0 + 3])
    expect([ms(byName.integration!.startTime), ms(byName.integration!.endTime)]).toEqual([T0 + 3, T0 + 43])
    expect(byName.integration!.kind).toBe(SpanKind.CLIENT)
    expect(byName.integration!.attributes['http.response.status_code']).toBe(200)
    expect(byName.validation!.kind).toBe(SpanKind.INTERNAL)
  })

  it('marks a 5xx server span as an error and leaves a 4xx refusal unmarked, without child spans it never ran', async () => {
    const { gw, spans } = setup()
    expect((await gw.handle({ method: 'GET', path: '/broken', headers: {} })).statusCode).toBe(502)
    expect((await gw.handle({ method: 'GET', path: '/pets/7', headers: { 'x-token': 'no' } })).statusCode).toBe(403)
    const servers = spans.getFinishedSpans().filter((s) => s.kind === SpanKind.SERVER)
    const [broken, denied] = servers as [ReadableSpan, ReadableSpan]
    expect(broken.status.code).toBe(SpanStatusCode.ERROR)
    expect(broken.attributes['error.type']).toBe('502')
    expect(denied.status.code).toBe(SpanStatusCode.UNSET)
    expect(denied.attributes['aws.api_gateway.error_type']).toBe('ACCESS_DENIED')
    // A new trace for a request without traceparent.
    expect(parentOf(broken)).toBeUndefined()
    const deniedChildren = spans.getFinishedSpans().filter((s) => parentOf(s) === denied.spanContext().spanId)
    expect(deniedChildren.map((s) => s.name)).toEqual(['authorizers'])
  })

  it('ignores a malformed traceparent: a new root span', async () => {
    const { gw, spans } = setup()
    await gw.handle({ method: 'GET', path: '/broken', headers: { traceparent: '00-zz-not-a-trace-01' } })
    const server = spans.getFinishedSpans().find((s) => s.kind === SpanKind.SERVER)!
    expect(parentOf(server)).toBeUndefined()
    expect(server.spanContext().traceId).toMatch(/^[0-9a-f]{32}$/)
  })
})

describe('otel(): metrics', () => {
  it('records API Gateway metrics as OTel counters and histograms with semantic attributes', async () => {
    const { gw, collect } = setup()
    await gw.handle({ method: 'GET', path: '/pets/7', query: 'full=1', headers: { 'x-token': 'ok' } })
    await gw.handle({ method: 'GET', path: '/pets/7', query: 'full=1', headers: { 'x-token': 'ok' } })
    await gw.handle({ method: 'GET', path: '/broken', headers: {} })
    const metrics = (await collect()).scopeMetrics.flatMap((s) => s.metrics)
    const byName = Object.fromEntries(metrics.map((m) => [m.descriptor.name, m]))
    const attrs = { 'aws.api_gateway.api_name': 'PetStore', 'aws.api_gateway.stage': 'prod' }
    const requests = byName['apigateway.requests']!
    expect(requests.dataPointType).toBe(DataPointType.SUM)
    expect(requests.dataPoints.map((p) => [p.attributes, p.value])).toEqual([[attrs, 3]])
    expect(byName['apigateway.server_errors']!.dataPoints[0]!.value).toBe(1)
    expect(byName['apigateway.client_errors']!.dataPoints[0]!.value).toBe(0)
    expect(byName['apigateway.cache.hits']!.dataPoints[0]!.value).toBe(1)
    // /broken is a GET too: cached by default, a miss.
    expect(byName['apigateway.cache.misses']!.dataPoints[0]!.value).toBe(2)
    const latency = byName['apigateway.latency']!
    expect(latency.dataPointType).toBe(DataPointType.HISTOGRAM)
    expect(latency.descriptor.unit).toBe('ms')
    const histogram = latency.dataPoints[0]!.value as { count: number; sum: number; min: number; max: number }
    // 43 ms (authorizer + integration); the repeat is 0 ms (the authorizer's result and the response both cached);
    // the broken function 5 ms.
    expect([histogram.count, histogram.sum, histogram.min, histogram.max]).toEqual([3, 48, 0, 43])
  })

  it('gives only what it is asked for', () => {
    expect(otel({})).toEqual({ observers: [] })
    const traced = otel({ tracer: new BasicTracerProvider().getTracer('t') })
    expect(traced.observers).toHaveLength(1)
    expect(traced.observers[0]!.timings).toBe(true)
    expect(traced.metrics).toBeUndefined()
  })
})
