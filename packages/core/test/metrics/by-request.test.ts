// The built-in sinks take each request's values directly from the metrics observer (no datapoint objects); any other
// sink gets datapoints. Both ways must aggregate the same: the same gateways, requests and clock, one fed directly and
// one through a plain wrapper function, give the same Prometheus text, the same EMF lines and the same drop counts.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-metrics.html
import { describe, expect, it } from 'vitest'
import { createEmfExporter, createPrometheusRegistry, type GatewayInput, type MetricsSink } from '@gatehousejs/core'
import { build, httpApi } from './fixtures'

function sinks(maxSeries: number) {
  const lines: string[] = []
  const registry = createPrometheusRegistry({ maxSeries })
  const emf = createEmfExporter({ write: (l) => lines.push(l), intervalMs: 0, maxSeries, now: () => 0 })
  return { registry, emf, lines }
}

async function drive(input: Partial<GatewayInput>, wrap: boolean, maxSeries: number) {
  const s = sinks(maxSeries)
  const plain = (sink: MetricsSink): MetricsSink => (wrap ? (points) => sink(points) : sink)
  const { gw } = build({ ...input, metrics: { sink: [plain(s.registry.sink), plain(s.emf.sink)], detailed: true } })
  // 250 requests over four routes (200, 404, 502, a cached GET): value arrays fill and roll over more than once.
  const paths = [
    ['GET', '/pets'],
    ['GET', '/pets/7'],
    ['POST', '/pets'],
    ['GET', '/pets/8'],
  ] as const
  for (let i = 0; i < 250; i++) {
    const [method, path] = paths[i % 4 === 3 ? 0 : i % 3]!
    await gw.handle({ method, path, headers: {} })
  }
  s.emf.flush()
  return { text: s.registry.text(), lines: s.lines, dropped: [s.registry.dropped, s.emf.dropped] }
}

describe('metrics: values handed directly aggregate as datapoints do', () => {
  it.each([
    ['REST, detailed, stage cache on', { stage: { stageName: 'prod', cacheClusterEnabled: true } }, 1000],
    ['REST, two series at most (drops counted)', {}, 2],
    ['HTTP API (DataProcessed)', { api: httpApi as unknown as GatewayInput['api'], apiType: 'HTTP' as const }, 1000],
  ])('%s', async (_name, input, maxSeries) => {
    const direct = await drive(input, false, maxSeries)
    const viaPoints = await drive(input, true, maxSeries)
    expect(direct.text).toContain('_requests_total')
    expect(direct.lines.length).toBeGreaterThan(2)
    expect(direct).toEqual(viaPoints)
  })
})
