// The EMF exporter writes its lines by hand when it can; they must be byte for byte what `JSON.stringify` makes of
// the document (the `_aws` metadata, then the dimensions, then the metrics in the order first seen), whatever the
// dimension names (an array-index-like name JSON moves first, `_aws` or a metric's name that a member would
// overwrite), their values, the units and the metric names a caller's datapoints carry.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createEmfExporter, type MetricDatapoint } from '@gatehousejs/core'

const NAMES = ['Count', '4XXError', '4xx', 'Latency', 'IntegrationLatency', 'DataProcessed', 'Custom', '__proto__', '7']
const UNITS = ['Count', 'Milliseconds', 'Bytes', 'Seconds', 'Odd "unit"']
const KEYS = ['ApiName', 'Stage', 'Method', 'Resource', 'Route', '_aws', 'Count', '1', '01', 'ünï "q"', 'toString', '__proto__']

/** The document as the exporter always described it, written by `JSON.stringify`. */
function expected(dimensions: Record<string, string>, points: readonly MetricDatapoint[], timestamp: number): string | undefined {
  const names = Object.keys(dimensions)
  const sets = names.length <= 1 ? [names] : names.length > 2 ? [names.slice(0, 1), names.slice(0, 2), names] : [names.slice(0, 1), names]
  const metrics = new Map<string, { unit: string; sum: number; values: number[] | undefined }>()
  for (const p of points) {
    if (!Number.isFinite(p.value)) continue
    let m = metrics.get(p.name)
    if (m === undefined) metrics.set(p.name, (m = { unit: p.unit, sum: 0, values: p.unit === 'Milliseconds' ? [] : undefined }))
    if (m.values) m.values.push(p.value)
    else m.sum += p.value
  }
  const definitions: { Name: string; Unit: string }[] = []
  const doc: Record<string, unknown> = {
    _aws: { Timestamp: timestamp, CloudWatchMetrics: [{ Namespace: 'Gatehouse/ApiGateway', Dimensions: sets, Metrics: definitions }] },
    ...dimensions,
  }
  for (const [name, m] of metrics) {
    if (m.values !== undefined && m.values.length === 0) continue
    definitions.push({ Name: name, Unit: m.unit })
    doc[name] = m.values ?? m.sum
  }
  return definitions.length === 0 ? undefined : JSON.stringify(doc)
}

const dimensionsArb = fc
  .uniqueArray(fc.tuple(fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 6 })), fc.string({ maxLength: 8 })), {
    selector: ([k]) => k,
    minLength: 1,
    maxLength: 4,
  })
  .map((entries) => {
    const dims: Record<string, string> = {}
    for (const [k, v] of entries) Object.defineProperty(dims, k, { value: v, enumerable: true, writable: true, configurable: true })
    return dims
  })
const pointArb = fc.record({
  name: fc.constantFrom(...NAMES),
  unit: fc.constantFrom(...UNITS),
  value: fc.oneof(fc.integer({ min: -5, max: 5000 }), fc.double({ noNaN: false }), fc.constant(-0)),
})

describe('EMF lines: written by hand, byte for byte JSON.stringify', () => {
  it('any dimensions, names, units and values (fewer than 100 values: one line per flush)', () => {
    fc.assert(
      fc.property(dimensionsArb, fc.array(pointArb, { maxLength: 40 }), fc.integer({ min: 0, max: 2 ** 45 }), (dims, raw, t) => {
        const lines: string[] = []
        const emf = createEmfExporter({ write: (l) => lines.push(l), intervalMs: 0, now: () => t })
        const points = raw.map((p) => ({ ...p, dimensions: dims, timestamp: 0 }) as MetricDatapoint)
        for (const p of points) emf.sink([p])
        emf.flush()
        const line = expected(dims, points, t)
        expect(lines).toEqual(line === undefined ? [] : [line])
      }),
      { numRuns: 300 },
    )
  })

  it("API Gateway's dimensions and metrics, with a full value array's line first", () => {
    const lines: string[] = []
    const emf = createEmfExporter({ write: (l) => lines.push(l), intervalMs: 0, now: () => 1_700_000_000_000 })
    const dims = { ApiName: 'orders "v2"', Stage: 'prod', Method: 'GET', Resource: '/orders/{id}' }
    const points: MetricDatapoint[] = []
    for (let i = 0; i < 100; i++) {
      for (const [name, unit, value] of [
        ['Count', 'Count', 1],
        ['4XXError', 'Count', i % 2],
        ['Latency', 'Milliseconds', i + 0.25],
      ] as const)
        points.push({ name, unit, value, dimensions: dims, timestamp: 0 })
    }
    for (const p of points) emf.sink([p])
    expect(lines).toEqual([expected(dims, points, 1_700_000_000_000)])
  })
})
