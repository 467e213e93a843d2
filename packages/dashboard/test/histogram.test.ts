// The latency histogram behind the dashboard's p50 / p99: bounded memory, and percentiles within the stated
// relative error of an exact nearest-rank computation. API Gateway's `Latency` metric (which p50/p99 summarise):
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html
// Nearest-rank percentile: https://en.wikipedia.org/wiki/Percentile#The_nearest-rank_method
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  bucketOf,
  HISTOGRAM_BUCKETS,
  HISTOGRAM_MAX_MS,
  HISTOGRAM_MIN_MS,
  HISTOGRAM_RELATIVE_ERROR,
  LatencyHistogram,
} from '../src/histogram'

function exactQuantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1]!
}

const inRange = fc.double({ min: HISTOGRAM_MIN_MS, max: HISTOGRAM_MAX_MS, maxExcluded: true, noNaN: true })
const quantile = fc.oneof(fc.constant(0.5), fc.constant(0.99), fc.double({ min: 0.001, max: 1, noNaN: true }))

describe('LatencyHistogram', () => {
  it('has a relative error bound under 10%', () => {
    expect(HISTOGRAM_RELATIVE_ERROR).toBeGreaterThan(0)
    expect(HISTOGRAM_RELATIVE_ERROR).toBeLessThan(0.1)
  })

  it('estimates a percentile within the relative error bound of the exact one', () => {
    fc.assert(
      fc.property(fc.array(inRange, { minLength: 1, maxLength: 400 }), quantile, (values, q) => {
        const h = new LatencyHistogram()
        for (const v of values) h.record(v)
        const exact = exactQuantile(values, q)
        const estimate = h.quantile(q)!
        expect(Math.abs(estimate - exact)).toBeLessThanOrEqual(exact * HISTOGRAM_RELATIVE_ERROR * (1 + 1e-9) + 1e-9)
      }),
      { numRuns: 500 },
    )
  })

  it('is within the minimum of the exact percentile for latencies under the minimum (0 ms included)', () => {
    const tiny = fc.oneof(fc.constant(0), fc.double({ min: 0, max: HISTOGRAM_MIN_MS, maxExcluded: true, noNaN: true }))
    fc.assert(
      fc.property(fc.array(tiny, { minLength: 1, maxLength: 100 }), quantile, (values, q) => {
        const h = new LatencyHistogram()
        for (const v of values) h.record(v)
        expect(Math.abs(h.quantile(q)! - exactQuantile(values, q))).toBeLessThanOrEqual(HISTOGRAM_MIN_MS)
      }),
    )
  })

  it('reports latencies past the maximum as the largest one seen, and never outside [min, max]', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 10 * HISTOGRAM_MAX_MS, noNaN: true }), { minLength: 1, maxLength: 200 }),
        quantile,
        (values, q) => {
          const h = new LatencyHistogram()
          for (const v of values) h.record(v)
          const estimate = h.quantile(q)!
          expect(estimate).toBeGreaterThanOrEqual(Math.min(...values))
          expect(estimate).toBeLessThanOrEqual(Math.max(...values))
          if (exactQuantile(values, q) >= HISTOGRAM_MAX_MS) expect(estimate).toBe(Math.max(...values))
        },
      ),
    )
  })

  it('keeps the same memory whatever it counts, and merging equals counting together', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -5, max: 1e9, noNaN: true })),
        fc.array(fc.double({ min: 0, max: 1e6, noNaN: true })),
        (a, b) => {
          const ha = new LatencyHistogram()
          const hb = new LatencyHistogram()
          const both = new LatencyHistogram()
          for (const v of a) ha.record(v), both.record(v)
          for (const v of b) hb.record(v), both.record(v)
          ha.merge(hb)
          expect(ha.counts.length).toBe(HISTOGRAM_BUCKETS)
          expect([...ha.counts]).toEqual([...both.counts])
          expect(ha.count).toBe(a.length + b.length)
          expect(ha.quantile(0.5)).toBe(both.quantile(0.5))
        },
      ),
    )
  })

  it('puts larger latencies in the same or a later bucket', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 2 * HISTOGRAM_MAX_MS, noNaN: true }),
        fc.double({ min: 0, max: 2 * HISTOGRAM_MAX_MS, noNaN: true }),
        (x, y) => {
          const [lo, hi] = x <= y ? [x, y] : [y, x]
          expect(bucketOf(lo)).toBeLessThanOrEqual(bucketOf(hi))
          expect(bucketOf(hi)).toBeLessThan(HISTOGRAM_BUCKETS)
        },
      ),
    )
  })

  it('has no percentile before anything is counted, and none after clear()', () => {
    const h = new LatencyHistogram()
    expect(h.quantile(0.5)).toBeNull()
    h.record(12)
    expect(h.quantile(0.5)).toBe(12)
    h.clear()
    expect(h.quantile(0.99)).toBeNull()
  })
})
