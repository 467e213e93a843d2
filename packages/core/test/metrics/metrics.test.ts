// API Gateway's CloudWatch metrics per request (the `metrics` option's sinks): names, units and dimensions as AWS
// documents them.
// REST: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html
//   Count, 4XXError, 5XXError, Latency, IntegrationLatency, CacheHitCount, CacheMissCount; dimensions ApiName,
//   Stage, and ApiName + Method + Resource + Stage for methods with detailed metrics (methodSettings metricsEnabled,
//   https://docs.aws.amazon.com/apigateway/latest/api/API_MethodSetting.html).
// HTTP APIs: https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-metrics.html
//   Count, 4xx, 5xx, Latency, IntegrationLatency, DataProcessed; dimensions ApiId, Stage, Route (detailedMetricsEnabled).
import { describe, expect, it } from 'vitest'
import { createGateway, EVERY_METHOD, type GatewayInput, type MetricDatapoint } from '@gatehousejs/core'
import { configError, req } from '../helpers'
import { build, clock, httpApi, value } from './fixtures'

describe('REST API metrics', () => {
  it('emits Count, 4XXError, 5XXError, Latency and IntegrationLatency with ApiName and Stage', async () => {
    const { gw, points } = build({ latency: 30 })
    expect((await gw.handle(req('GET', '/pets'))).statusCode).toBe(200)
    expect((await gw.handle(req('GET', '/pets/9'))).statusCode).toBe(404)
    expect((await gw.handle(req('POST', '/pets'))).statusCode).toBe(502)
    expect((await gw.handle(req('GET', '/nothing'))).statusCode).toBe(403)
    expect(points).toHaveLength(4)
    const [ok, notFound, failed, unrouted] = points as [MetricDatapoint[], MetricDatapoint[], MetricDatapoint[], MetricDatapoint[]]
    for (const request of points) {
      expect(value(request, 'Count')).toBe(1)
      for (const p of request) expect(p.dimensions).toEqual({ ApiName: 'PetStore', Stage: 'prod' })
    }
    expect(ok.map((p) => [p.name, p.unit, p.value])).toEqual([
      ['Count', 'Count', 1],
      ['4XXError', 'Count', 0],
      ['5XXError', 'Count', 0],
      ['Latency', 'Milliseconds', 30],
      ['IntegrationLatency', 'Milliseconds', 30],
    ])
    expect([value(notFound, '4XXError'), value(notFound, '5XXError')]).toEqual([1, 0])
    expect([value(failed, '4XXError'), value(failed, '5XXError')]).toEqual([0, 1])
    expect(value(failed, 'IntegrationLatency')).toBe(30)
    // No route: API Gateway's 403 Missing Authentication Token, counted, no integration ran.
    expect(value(unrouted, '4XXError')).toBe(1)
    expect(value(unrouted, 'Latency')).toBe(0)
    expect(value(unrouted, 'IntegrationLatency')).toBeUndefined()
    // HTTP API names are not REST's.
    expect(ok.some((p) => p.name === '4xx' || p.name === 'DataProcessed')).toBe(false)
  })

  it('adds Method and Resource for methods with metricsEnabled, by the methodSettings precedence', async () => {
    const { gw, points } = build({
      stage: {
        stageName: 'live',
        methodSettings: { [EVERY_METHOD]: { metricsEnabled: true }, '~1pets/POST': { metricsEnabled: false } },
      },
    })
    await gw.handle(req('GET', '/pets/3'))
    await gw.handle(req('POST', '/pets'))
    await gw.handle(req('GET', '/pets'))
    expect(points[0]![0]!.dimensions).toEqual({ ApiName: 'PetStore', Stage: 'live', Method: 'GET', Resource: '/pets/{id}' })
    expect(points[1]![0]!.dimensions).toEqual({ ApiName: 'PetStore', Stage: 'live' })
    expect(points[2]![0]!.dimensions).toEqual({ ApiName: 'PetStore', Stage: 'live', Method: 'GET', Resource: '/pets' })
  })

  it('metrics.detailed gives every method its Method and Resource, and unrouted requests none', async () => {
    const points: MetricDatapoint[][] = []
    const { gw } = build({ metrics: { sink: (p) => points.push([...p]), detailed: true } })
    await gw.handle(req('POST', '/pets'))
    await gw.handle(req('GET', '/elsewhere'))
    expect(points[0]![0]!.dimensions).toEqual({ ApiName: 'PetStore', Stage: 'prod', Method: 'POST', Resource: '/pets' })
    expect(points[1]![0]!.dimensions).toEqual({ ApiName: 'PetStore', Stage: 'prod' })
  })

  it('counts stage-cache hits and misses for cached methods only', async () => {
    const { gw, points } = build({ stage: { stageName: 'prod', cacheClusterEnabled: true } })
    await gw.handle(req('GET', '/pets'))
    await gw.handle(req('GET', '/pets'))
    await gw.handle(req('POST', '/pets'))
    const [miss, hit, uncached] = points as [MetricDatapoint[], MetricDatapoint[], MetricDatapoint[]]
    expect([value(miss, 'CacheHitCount'), value(miss, 'CacheMissCount')]).toEqual([0, 1])
    expect([value(hit, 'CacheHitCount'), value(hit, 'CacheMissCount')]).toEqual([1, 0])
    expect(value(hit, 'IntegrationLatency')).toBeUndefined()
    expect(value(uncached, 'CacheHitCount')).toBeUndefined()
  })

  it('reports a sink that throws to onError and still answers and feeds the other sinks', async () => {
    const errors: unknown[] = []
    const seen: number[] = []
    const { gw } = build({
      onError: (e) => errors.push(e),
      metrics: {
        sink: [
          () => {
            throw new Error('sink down')
          },
          (p) => seen.push(p.length),
        ],
      },
    })
    expect((await gw.handle(req('GET', '/pets'))).statusCode).toBe(200)
    expect(errors.map((e) => (e as Error).message)).toEqual(['sink down'])
    expect(seen).toEqual([5])
  })

  it('refuses a metrics option without a usable sink', () => {
    expect(configError(() => build({ metrics: {} })).message).toMatch(/sink/)
    expect(configError(() => build({ metrics: { sink: 'stdout' as never } })).message).toMatch(/sink/)
  })

  it('is off by default: without a sink no latency is measured', async () => {
    const clockReads = async (input: Partial<GatewayInput>) => {
      let reads = 0
      const gw = createGateway({
        // An HTTP API: REST APIs' execution logs (another feature) have their own observer.
        api: httpApi as unknown as GatewayInput['api'],
        apiType: 'HTTP',
        functions: { listPets: async () => ({ statusCode: 200, body: '[]' }) },
        now: () => {
          reads++
          return 0
        },
        ...input,
      })
      reads = 0
      await gw.handle(req('GET', '/pets'))
      return reads
    }
    const off = await clockReads({})
    const on = await clockReads({ metrics: { sink: () => {} } })
    // With metrics the integration's end is read (its start is the request's epoch when no stage before it waited,
    // and the answer's time is that end: nothing runs after the integration on this route); without, nothing.
    expect(on - off).toBe(1)
  })
})

describe('HTTP API metrics', () => {
  function buildHttp(input: Partial<GatewayInput> = {}) {
    const points: MetricDatapoint[][] = []
    const c = clock()
    const gw = createGateway({
      api: httpApi as unknown as GatewayInput['api'],
      apiType: 'HTTP',
      apiId: 'h77p0a1b2c',
      now: c.now,
      functions: {
        listPets: async () => {
          c.advance(12)
          return { statusCode: 200, body: 'twelve bytes' }
        },
      },
      metrics: { sink: (p) => points.push([...p]) },
      ...input,
    })
    return { gw, points }
  }

  it('emits Count, 4xx, 5xx, Latency, IntegrationLatency and DataProcessed with ApiId and Stage', async () => {
    const { gw, points } = buildHttp()
    await gw.handle(req('POST', '/pets', { body: 'abcd' }))
    await gw.handle(req('GET', '/pets', { body: 'xy' }))
    const [missing, ok] = points as [MetricDatapoint[], MetricDatapoint[]]
    expect(ok.map((p) => [p.name, p.unit, p.value])).toEqual([
      ['Count', 'Count', 1],
      ['4xx', 'Count', 0],
      ['5xx', 'Count', 0],
      ['Latency', 'Milliseconds', 12],
      ['IntegrationLatency', 'Milliseconds', 12],
      ['DataProcessed', 'Bytes', 2 + 12],
    ])
    expect(ok[0]!.dimensions).toEqual({ ApiId: 'h77p0a1b2c', Stage: '$default' })
    expect(value(missing, '4xx')).toBe(1)
    expect(missing.some((p) => p.name === '4XXError')).toBe(false)
  })

  it('adds Route for routes with detailedMetricsEnabled (routeSettings over defaultRouteSettings)', async () => {
    const on = buildHttp({ stage: { stageName: 'v1', defaultRouteSettings: { detailedMetricsEnabled: true } } })
    await on.gw.handle(req('GET', '/pets'))
    expect(on.points[0]![0]!.dimensions).toEqual({ ApiId: 'h77p0a1b2c', Stage: 'v1', Route: 'GET /pets' })
    const off = buildHttp({
      stage: {
        stageName: 'v1',
        defaultRouteSettings: { detailedMetricsEnabled: true },
        routeSettings: { 'GET /pets': { detailedMetricsEnabled: false } },
      },
    })
    await off.gw.handle(req('GET', '/pets'))
    expect(off.points[0]![0]!.dimensions).toEqual({ ApiId: 'h77p0a1b2c', Stage: 'v1' })
  })
})
