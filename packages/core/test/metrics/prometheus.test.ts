// The Prometheus registry of API Gateway's metrics, served from a node:http handler and read back with a real
// Prometheus text-format parser (parse-prometheus-text-format).
// Exposition format: https://prometheus.io/docs/instrumenting/exposition_formats/ (text format 0.0.4: HELP, TYPE,
// label escaping, histogram _bucket{le} cumulative with +Inf, _sum, _count).
// Metric meanings: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import parsePrometheusTextFormat from 'parse-prometheus-text-format'
import { afterEach, describe, expect, it } from 'vitest'
import { createPrometheusRegistry, EVERY_METHOD, type MetricDatapoint, prometheus } from '@gatehousejs/core'
import { req } from '../helpers'
import { build } from './fixtures'

let server: Server | undefined
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())))

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(handler)
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

const family = (text: string, name: string) => parsePrometheusTextFormat(text).find((f) => f.name === name)

/**
 * One series of a histogram, parsed. parse-prometheus-text-format (a port of client_python 0.0.19's parser) merges
 * the series of a labelled histogram into one and loses their `_sum` and `_count`: the series' lines are picked by
 * their labels and handed to it without them, as an unlabelled histogram.
 */
function histogram(text: string, name: string, labels: string) {
  const lines = text
    .split('\n')
    .filter((l) => l.startsWith(`# HELP ${name} `) || l.startsWith(`# TYPE ${name} `) || l.includes(`{${labels}`))
  const own = lines
    .filter((l) => l.startsWith('#') || l.startsWith(`${name}_`))
    .map((l) => l.replace(`{${labels},`, '{').replace(`{${labels}}`, ''))
  return family(`${own.join('\n')}\n`, name)!.metrics[0]!
}

describe('Prometheus registry', () => {
  it('serves counters and latency histograms a Prometheus parser reads back with the gateway values', async () => {
    const registry = createPrometheusRegistry({ buckets: [10, 25, 50] })
    const { gw, clock } = build({
      latency: 20,
      metrics: { sink: registry.sink },
      stage: { stageName: 'prod', cacheClusterEnabled: true, methodSettings: { [EVERY_METHOD]: { metricsEnabled: true } } },
    })
    await gw.handle(req('GET', '/pets')) // miss, 20 ms
    await gw.handle(req('GET', '/pets')) // hit, 0 ms
    await gw.handle(req('GET', '/pets/1')) // 404 (a miss too: GET is cached by default)
    await gw.handle(req('POST', '/pets')) // 502
    clock.advance(5)
    const url = await serve((request, response) => {
      if (request.url === '/metrics') return prometheus(registry)(request, response)
      response.writeHead(404).end()
    })
    const res = await fetch(`${url}/metrics`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8')
    const text = await res.text()

    const labels = (method: string, resource: string) => ({ api_name: 'PetStore', method, resource, stage: 'prod' })
    const requests = family(text, 'apigateway_requests_total')!
    expect(requests.type).toBe('COUNTER')
    expect(requests.metrics).toEqual(
      expect.arrayContaining([
        { labels: labels('GET', '/pets'), value: '2' },
        { labels: labels('GET', '/pets/{id}'), value: '1' },
        { labels: labels('POST', '/pets'), value: '1' },
      ]),
    )
    expect(requests.metrics).toHaveLength(3)
    const errors4 = family(text, 'apigateway_client_errors_total')!.metrics
    expect(errors4.find((m) => m.labels!.resource === '/pets/{id}')!.value).toBe('1')
    expect(errors4.find((m) => m.labels!.method === 'POST')!.value).toBe('0')
    expect(family(text, 'apigateway_server_errors_total')!.metrics.find((m) => m.labels!.method === 'POST')!.value).toBe('1')
    const hits = family(text, 'apigateway_cache_hits_total')!.metrics
    const misses = family(text, 'apigateway_cache_misses_total')!.metrics
    expect(hits.find((m) => m.labels!.resource === '/pets')!.value).toBe('1')
    expect(misses.find((m) => m.labels!.resource === '/pets')!.value).toBe('1')

    const latency = family(text, 'apigateway_latency_milliseconds')!
    expect(latency.type).toBe('HISTOGRAM')
    expect(latency.metrics.length).toBeGreaterThan(0)
    const pets = histogram(text, 'apigateway_latency_milliseconds', 'api_name="PetStore",method="GET",resource="/pets",stage="prod"')
    // One request at 20 ms, one at 0 ms: cumulative buckets.
    expect(pets).toEqual({ buckets: { '10': '1', '25': '2', '50': '2', '+Inf': '2' }, count: '2', sum: '20' })
    const integration = histogram(
      text,
      'apigateway_integration_latency_milliseconds',
      'api_name="PetStore",method="GET",resource="/pets",stage="prod"',
    )
    expect(integration).toEqual({ buckets: { '10': '0', '25': '1', '50': '1', '+Inf': '1' }, count: '1', sum: '20' })
  })

  it('escapes label values and answers 405 to other methods', async () => {
    const registry = createPrometheusRegistry()
    const dimensions = { ApiName: 'a "quoted"\\name\nnext', Stage: 'prod' }
    registry.sink([{ name: 'Count', unit: 'Count', value: 1, dimensions, timestamp: 0 }])
    const parsed = family(registry.text(), 'apigateway_requests_total')!
    expect(parsed.metrics[0]!.labels).toEqual({ api_name: 'a "quoted"\\name\nnext', stage: 'prod' })
    const url = await serve(prometheus(registry))
    expect((await fetch(url, { method: 'POST' })).status).toBe(405)
    const head = await fetch(url, { method: 'HEAD' })
    expect([head.status, await head.text()]).toEqual([200, ''])
  })

  it('keeps at most maxSeries label sets per metric and counts what it drops', () => {
    const registry = createPrometheusRegistry({ maxSeries: 2 })
    const point = (resource: string): MetricDatapoint => ({
      name: 'Count',
      unit: 'Count',
      value: 1,
      dimensions: { ApiName: 'a', Stage: 's', Method: 'GET', Resource: resource },
      timestamp: 0,
    })
    for (let i = 0; i < 50; i++) registry.sink([point(`/r${i % 5}`)])
    const parsed = family(registry.text(), 'apigateway_requests_total')!
    expect(parsed.metrics.map((m) => [m.labels!.resource, m.value])).toEqual([
      ['/r0', '10'],
      ['/r1', '10'],
    ])
    expect(registry.dropped).toBe(30)
  })

  it('refuses buckets out of order and a bad prefix', () => {
    expect(() => createPrometheusRegistry({ buckets: [5, 5] })).toThrow(TypeError)
    expect(() => createPrometheusRegistry({ prefix: 'bad name' })).toThrow(TypeError)
  })
})
