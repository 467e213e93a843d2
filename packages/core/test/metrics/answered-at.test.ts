// Metrics and access logs read a request's answer time once between them: `Latency` (received to answered, ms) and
// `$context.responseLatency` are the same span, so they agree, and a gateway with both reads the clock no more than
// one with metrics alone.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-variables-for-access-logging.html
import { describe, expect, it } from 'vitest'
import { createGateway, type GatewayInput, type MetricDatapoint } from '@gatehousejs/core'
import { req } from '../helpers'
import { restApi } from './fixtures'

function gateway(withLog: boolean) {
  let t = Date.UTC(2024, 0, 1)
  let reads = 0
  const points: MetricDatapoint[] = []
  const lines: string[] = []
  const gw = createGateway({
    api: restApi as unknown as GatewayInput['api'],
    now: () => {
      reads++
      return t
    },
    functions: {
      listPets: async () => {
        t += 37
        return { statusCode: 200, body: '[]' }
      },
      getPet: async () => ({ statusCode: 404, body: '{}' }),
      broken: async () => ({ statusCode: 500, body: '{}' }),
    },
    metrics: { sink: (p) => points.push(...p) },
    ...(withLog
      ? {
          stage: { stageName: 'prod', accessLogSettings: { format: '$context.requestId $context.responseLatency' } },
          accessLog: { destination: (line: string) => lines.push(line) },
        }
      : {}),
  })
  return { gw, points, lines, reads: () => reads }
}

describe('observers: one answer time per request', () => {
  it('Latency and $context.responseLatency agree; the access log adds no clock read', async () => {
    const both = gateway(true)
    const metricsOnly = gateway(false)
    for (const g of [both, metricsOnly]) {
      await g.gw.handle(req('GET', '/pets'))
      await g.gw.handle(req('GET', '/pets'))
    }
    await new Promise((resolve) => setImmediate(resolve))
    const latencies = both.points.filter((p) => p.name === 'Latency').map((p) => p.value)
    expect(latencies).toEqual([37, 37])
    expect(both.lines.map((l) => l.split(' ')[1])).toEqual(['37', '37'])
    expect(both.reads()).toBe(metricsOnly.reads())
  })
})
