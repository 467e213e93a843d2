// CloudWatch Embedded Metric Format lines of API Gateway's metrics, aggregated per flush, each checked against the
// rules of the EMF specification:
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
//   - the log event is one JSON object with no data before or after it;
//   - root member `_aws` (the metadata object) MUST hold `Timestamp` (a number, ms since the epoch) and
//     `CloudWatchMetrics`, an array of MetricDirective objects;
//   - a MetricDirective MUST hold `Namespace` (a string, 1 to 255 characters), `Dimensions` (an array of
//     DimensionSets) and `Metrics` (an array of at most 100 MetricDefinitions);
//   - a DimensionSet is an array of strings, at most 30, each naming a root member whose value is a string;
//   - a MetricDefinition MUST hold `Name` naming a root member whose value is a number or an array of at most 100
//     numbers; `Unit`, when present, is a CloudWatch StandardUnit;
//   - a document is at most 1 MB (the CloudWatch Logs event limit).
// Namespace: `AWS/` is reserved for AWS services (PutMetricData,
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html).
// Metrics and dimensions: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html
import { describe, expect, it } from 'vitest'
import { createEmfExporter, EVERY_METHOD, type MetricDatapoint } from '@gatehousejs/core'
import { req } from '../helpers'
import { build } from './fixtures'

const STANDARD_UNITS = new Set([
  'Seconds',
  'Microseconds',
  'Milliseconds',
  'Bytes',
  'Kilobytes',
  'Megabytes',
  'Gigabytes',
  'Terabytes',
  'Bits',
  'Kilobits',
  'Megabits',
  'Gigabits',
  'Terabits',
  'Percent',
  'Count',
  'Bytes/Second',
  'Kilobytes/Second',
  'Megabytes/Second',
  'Gigabytes/Second',
  'Terabytes/Second',
  'Bits/Second',
  'Kilobits/Second',
  'Megabits/Second',
  'Gigabits/Second',
  'Terabits/Second',
  'Count/Second',
  'None',
])

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** The specification's rules broken by one log line (empty when it is a valid EMF document). */
function emfViolations(line: string): string[] {
  const out: string[] = []
  if (Buffer.byteLength(line) > 1024 * 1024) out.push('larger than 1 MB')
  if (line.trim() !== line || !line.startsWith('{')) out.push('data around the JSON object')
  let doc: unknown
  try {
    doc = JSON.parse(line)
  } catch {
    return ['not JSON']
  }
  if (!isObject(doc)) return ['root is not an object']
  const meta = doc._aws
  if (!isObject(meta)) return ['_aws missing or not an object']
  if (typeof meta.Timestamp !== 'number' || !Number.isInteger(meta.Timestamp) || meta.Timestamp < 0)
    out.push('_aws.Timestamp is not epoch ms')
  if (!Array.isArray(meta.CloudWatchMetrics)) return [...out, '_aws.CloudWatchMetrics is not an array']
  for (const directive of meta.CloudWatchMetrics) {
    if (!isObject(directive)) {
      out.push('a MetricDirective is not an object')
      continue
    }
    const ns = directive.Namespace
    if (typeof ns !== 'string' || ns.length < 1 || ns.length > 255) out.push('Namespace is not 1 to 255 characters')
    if (!Array.isArray(directive.Dimensions)) out.push('Dimensions is not an array')
    else
      for (const set of directive.Dimensions) {
        if (!Array.isArray(set) || set.length > 30) out.push('a DimensionSet is not an array of at most 30')
        else
          for (const d of set)
            if (typeof d !== 'string' || typeof doc[d] !== 'string') out.push(`dimension ${String(d)} has no string member`)
      }
    if (!Array.isArray(directive.Metrics) || directive.Metrics.length > 100) out.push('Metrics is not an array of at most 100')
    else
      for (const m of directive.Metrics) {
        if (!isObject(m) || typeof m.Name !== 'string' || m.Name.length < 1 || m.Name.length > 1024) {
          out.push('a MetricDefinition has no Name')
          continue
        }
        const v = doc[m.Name]
        const ok = typeof v === 'number' || (Array.isArray(v) && v.length <= 100 && v.every((x) => typeof x === 'number'))
        if (!ok) out.push(`metric ${m.Name} has no numeric member`)
        if (m.Unit !== undefined && !STANDARD_UNITS.has(m.Unit as string)) out.push(`unit ${String(m.Unit)} is not a StandardUnit`)
        for (const key of Object.keys(m)) if (!['Name', 'Unit', 'StorageResolution'].includes(key)) out.push(`MetricDefinition has ${key}`)
      }
    for (const key of Object.keys(directive))
      if (!['Namespace', 'Dimensions', 'Metrics'].includes(key)) out.push(`MetricDirective has ${key}`)
  }
  return out
}

describe('CloudWatch Embedded Metric Format', () => {
  it('the validator catches what the specification forbids', () => {
    expect(emfViolations('{"Count":1}')).toEqual(['_aws missing or not an object'])
    const bad = {
      _aws: {
        Timestamp: 1,
        CloudWatchMetrics: [{ Namespace: '', Dimensions: [['Stage']], Metrics: [{ Name: 'Count', Unit: 'Requests' }] }],
      },
      Stage: 1,
      Count: 'x',
    }
    expect(emfViolations(JSON.stringify(bad))).toEqual([
      'Namespace is not 1 to 255 characters',
      'dimension Stage has no string member',
      'metric Count has no numeric member',
      'unit Requests is not a StandardUnit',
    ])
  })

  it('writes one valid document per dimension set and flush, counts summed and latencies as value arrays', async () => {
    const lines: string[] = []
    const emf = createEmfExporter({ write: (l) => lines.push(l), intervalMs: 0, now: () => 1_700_000_000_000 })
    const { gw } = build({
      latency: 25,
      metrics: { sink: emf.sink },
      stage: { stageName: 'prod', methodSettings: { [EVERY_METHOD]: { metricsEnabled: true } } },
    })
    for (let i = 0; i < 3; i++) await gw.handle(req('GET', '/pets'))
    await gw.handle(req('GET', '/pets/4'))
    await gw.handle(req('POST', '/pets'))
    expect(lines).toEqual([])
    emf.flush()
    expect(lines).toHaveLength(3)
    for (const line of lines) expect(emfViolations(line)).toEqual([])
    const docs = lines.map((l) => JSON.parse(l))
    const pets = docs.find((d) => d.Resource === '/pets' && d.Method === 'GET')
    expect(pets._aws).toEqual({
      Timestamp: 1_700_000_000_000,
      CloudWatchMetrics: [
        {
          Namespace: 'Gatehouse/ApiGateway',
          // API Gateway's roll-ups: by ApiName, by ApiName and Stage, and the detailed set.
          Dimensions: [['ApiName'], ['ApiName', 'Stage'], ['ApiName', 'Stage', 'Method', 'Resource']],
          Metrics: [
            { Name: 'Count', Unit: 'Count' },
            { Name: '4XXError', Unit: 'Count' },
            { Name: '5XXError', Unit: 'Count' },
            { Name: 'Latency', Unit: 'Milliseconds' },
            { Name: 'IntegrationLatency', Unit: 'Milliseconds' },
          ],
        },
      ],
    })
    expect(pets).toMatchObject({ ApiName: 'PetStore', Stage: 'prod', Count: 3, '4XXError': 0, '5XXError': 0, Latency: [25, 25, 25] })
    expect(docs.find((d) => d.Resource === '/pets/{id}')['4XXError']).toBe(1)
    expect(docs.find((d) => d.Method === 'POST')['5XXError']).toBe(1)
    emf.flush()
    expect(lines).toHaveLength(3)
  })

  it('bounds memory: at most 100 values per array, at most maxSeries dimension sets per interval', () => {
    const lines: string[] = []
    const emf = createEmfExporter({ write: (l) => lines.push(l), intervalMs: 0, maxSeries: 2 })
    const point = (resource: string, ms: number): MetricDatapoint[] => {
      const dimensions = { ApiName: 'a', Stage: 's', Method: 'GET', Resource: resource }
      return [
        { name: 'Count', unit: 'Count', value: 1, dimensions, timestamp: 0 },
        { name: 'Latency', unit: 'Milliseconds', value: ms, dimensions, timestamp: 0 },
      ]
    }
    for (let i = 0; i < 250; i++) emf.sink(point('/a', i))
    for (let i = 0; i < 3; i++) emf.sink(point('/b', 1))
    for (let i = 0; i < 4; i++) emf.sink(point('/c', 1))
    emf.flush()
    for (const line of lines) expect(emfViolations(line)).toEqual([])
    const docs = lines.map((l) => JSON.parse(l))
    const a = docs.filter((d) => d.Resource === '/a')
    expect(a.map((d) => [d.Count, d.Latency.length])).toEqual([
      [100, 100],
      [100, 100],
      [50, 50],
    ])
    expect(a.flatMap((d) => d.Latency)).toEqual(Array.from({ length: 250 }, (_, i) => i))
    expect(docs.filter((d) => d.Resource === '/b').map((d) => d.Count)).toEqual([3])
    // /a and /b hold the interval's two dimension sets when /c arrives: its 8 datapoints are dropped.
    expect(docs.some((d) => d.Resource === '/c')).toBe(false)
    expect(emf.dropped).toBe(8)
  })

  it('refuses the AWS/ namespace, reports a failing writer and flushes on an interval', async () => {
    expect(() => createEmfExporter({ namespace: 'AWS/ApiGateway' })).toThrow(/reserved/)
    const errors: unknown[] = []
    const failing = createEmfExporter({
      intervalMs: 0,
      write: () => {
        throw new Error('disk full')
      },
      onError: (e) => errors.push(e),
    })
    failing.sink([{ name: 'Count', unit: 'Count', value: 1, dimensions: { ApiId: 'x' }, timestamp: 0 }])
    failing.flush()
    expect(errors.map((e) => (e as Error).message)).toEqual(['disk full'])
    const lines: string[] = []
    const timed = createEmfExporter({ write: (l) => lines.push(l), intervalMs: 5 })
    timed.sink([{ name: 'Count', unit: 'Count', value: 2, dimensions: { ApiId: 'x', Stage: 's' }, timestamp: 0 }])
    await new Promise((resolve) => setTimeout(resolve, 50))
    timed.close()
    expect(lines.map((l) => JSON.parse(l).Count)).toEqual([2])
  })
})
