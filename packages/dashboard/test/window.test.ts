// The dashboard's 1-second ring buffers and its bounded tails: counts equal an exact model of the last
// `windowSeconds` seconds, and memory stays bounded whatever the traffic (routes, seconds, log lines, errors).
// The counters mirror API Gateway's metrics (Count, 4XXError, 5XXError, CacheHitCount, CacheMissCount):
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html
// Throttled (429) and quota (429 QUOTA_EXCEEDED) refusals are gateway responses:
// https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
import type { GatewayResponse, RequestState } from '@gatehousejs/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { HISTOGRAM_RELATIVE_ERROR } from '../src/histogram'
import { createCollector, OTHER_ROUTES } from '../src/stats'
import { type Sample, SecondWindow } from '../src/window'

const sample: fc.Arbitrary<Sample> = fc.record({
  status: fc.constantFrom(200, 201, 304, 400, 403, 429, 500, 502, 504),
  latency: fc.double({ min: 0.1, max: 5000, noNaN: true }),
  cache: fc.constantFrom<Sample['cache']>(undefined, 'hit', 'miss'),
  failure: fc.constantFrom<Sample['failure']>(undefined, 'THROTTLED', 'QUOTA_EXCEEDED', 'INTEGRATION_FAILURE'),
})

function nearestRank(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1]!
}

describe('SecondWindow', () => {
  it('sums exactly the samples of the last windowSeconds seconds', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), sample), { maxLength: 300 }),
        fc.integer({ min: 0, max: 40 }),
        (w, steps, after) => {
          const window = new SecondWindow(w)
          let second = 1_700_000_000
          const seen: [number, Sample][] = []
          for (const [advance, s] of steps) {
            second += advance
            window.record(second, s)
            seen.push([second, s])
          }
          const now = second + after
          const inside = seen.filter(([t]) => t > now - w && t <= now).map(([, s]) => s)
          const got = window.summary(now)
          expect(got.requests).toBe(inside.length)
          expect(got.rate).toBeCloseTo(inside.length / w, 10)
          expect(got.clientErrors).toBe(inside.filter((s) => s.status >= 400 && s.status < 500).length)
          expect(got.serverErrors).toBe(inside.filter((s) => s.status >= 500).length)
          expect(got.cacheHits).toBe(inside.filter((s) => s.cache === 'hit').length)
          expect(got.cacheMisses).toBe(inside.filter((s) => s.cache === 'miss').length)
          expect(got.throttled).toBe(inside.filter((s) => s.failure === 'THROTTLED').length)
          expect(got.quotaExceeded).toBe(inside.filter((s) => s.failure === 'QUOTA_EXCEEDED').length)
          expect(got.series.length).toBe(w)
          expect(got.series.reduce((a, b) => a + b, 0)).toBe(inside.length)
          expect(got.series[w - 1]).toBe(seen.filter(([t]) => t === now).length)
          if (inside.length === 0) expect(got.p50).toBeNull()
          else {
            for (const [q, value] of [
              [0.5, got.p50],
              [0.99, got.p99],
            ] as const) {
              const exact = nearestRank(
                inside.map((s) => s.latency),
                q,
              )
              expect(Math.abs(value! - exact)).toBeLessThanOrEqual(exact * HISTOGRAM_RELATIVE_ERROR * (1 + 1e-9) + 1e-9)
            }
          }
        },
      ),
      { numRuns: 300 },
    )
  })

  it('never holds more than windowSeconds buckets, whatever the seconds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.array(fc.integer({ min: 0, max: 10_000_000 }), { maxLength: 500 }), (w, seconds) => {
        const window = new SecondWindow(w)
        for (const s of seconds) window.record(s, { status: 200, latency: 1, cache: undefined, failure: undefined })
        expect(window.allocatedBuckets()).toBeLessThanOrEqual(Math.min(w, seconds.length))
      }),
    )
  })
})

/** A request's state as the pipeline hands it to observers: only the fields the dashboard reads. */
function stateOf(route: string, path: string, gatewayNow: number, epoch: number): RequestState {
  return {
    route: { routeKey: route },
    api: { now: () => gatewayNow },
    epoch,
    request: { method: 'GET', path, headers: {} },
    requestId: `id-${path}`,
    cacheOutcome: undefined,
    failure: undefined,
  } as unknown as RequestState
}

describe('createCollector', () => {
  it('tracks at most maxRoutes routes plus (other), and at most maxLogLines lines and maxErrors errors', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 20 }),
        fc.array(fc.tuple(fc.string({ maxLength: 30 }), fc.integer({ min: 0, max: 3000 })), { maxLength: 200 }),
        (maxRoutes, maxLogLines, maxErrors, requests) => {
          let clock = 1_700_000_000_000
          const c = createCollector({ windowSeconds: 10, maxRoutes, maxLogLines, maxErrors, now: () => clock })
          const response: GatewayResponse = { statusCode: 200, headers: {}, body: '' }
          for (const [route, advance] of requests) {
            clock += advance
            c.observer.done(stateOf(route, `/${route}`, 5, 2), response)
            c.onError(new Error(route), { requestId: 'r', routeKey: route, stage: 'integration', responseType: null })
          }
          const usage = c.usage()
          expect(usage.routes).toBeLessThanOrEqual(maxRoutes + 1)
          expect(usage.buckets).toBeLessThanOrEqual((usage.routes + 1) * 10)
          expect(usage.logLines).toBe(Math.min(maxLogLines, requests.length))
          expect(usage.errors).toBe(Math.min(maxErrors, requests.length))
          const snap = c.snapshot()
          expect(snap.routes.length).toBeLessThanOrEqual(maxRoutes + 1)
          // Every request of the window is counted once, under its route or under (other).
          expect(snap.routes.reduce((n, r) => n + r.requests, 0)).toBe(snap.total.requests)
          const distinct = new Set(requests.map(([r]) => r || '(no route)'))
          if (distinct.size > maxRoutes && snap.total.requests === requests.length) {
            expect(snap.routes.some((r) => r.route === OTHER_ROUTES)).toBe(true)
          }
          for (const line of snap.accessLog) expect(line.latency).toBe(3)
        },
      ),
    )
  })

  it('keeps the newest lines, newest first, and cuts a long path', () => {
    const c = createCollector({ windowSeconds: 5, maxRoutes: 5, maxLogLines: 2, maxErrors: 1, now: () => 1_000 })
    const response: GatewayResponse = { statusCode: 404, headers: {}, body: '' }
    for (const p of ['a', 'b', 'x'.repeat(10_000)]) c.observer.done(stateOf('', `/${p}`, 1, 1), response)
    const log = c.snapshot().accessLog
    expect(log.map((l) => l.path.slice(0, 3))).toEqual(['/xx', '/b'])
    expect(log[0]!.path.length).toBeLessThan(600)
    expect(log[0]!.route).toBe('(no route)')
  })

  it('reports its own failure to onError instead of throwing', () => {
    const reported: unknown[] = []
    const c = createCollector({ windowSeconds: 5, maxRoutes: 5, maxLogLines: 2, maxErrors: 1, now: () => 1_000 })
    const broken = {
      route: { routeKey: 'GET /x' },
      api: {
        now: () => {
          throw new Error('clock broke')
        },
      },
      reportFailure: (error: unknown) => reported.push(error),
    } as unknown as RequestState
    expect(() => c.observer.done(broken, { statusCode: 200, headers: {}, body: '' })).not.toThrow()
    expect(String(reported[0])).toContain('clock broke')
  })
})
