import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createQuota, periodBounds, periodIndex, type QuotaPeriod } from '@gatehousejs/throttle'

const DAY = 86_400_000

/** Start of the UTC period containing t, computed independently of the library (calendar fields, not arithmetic). */
function referenceStart(period: QuotaPeriod, t: number, weekStartsOn: number): number {
  const d = new Date(t)
  if (period === 'MONTH') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)
  const midnight = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate())
  if (period === 'DAY') return midnight
  const back = (d.getUTCDay() - weekStartsOn + 7) % 7
  return midnight - back * DAY
}

const periodArb = fc.constantFrom<QuotaPeriod>('DAY', 'WEEK', 'MONTH')
const timeArb = fc.integer({ min: Date.UTC(1969, 0, 1), max: Date.UTC(2100, 0, 1) })

describe('quota periods', () => {
  it('property: bounds contain the instant, start where the calendar says, and tile time', () => {
    fc.assert(
      fc.property(periodArb, timeArb, fc.integer({ min: 0, max: 6 }), (period, t, ws) => {
        const i = periodIndex(period, t, ws)
        const [start, end] = periodBounds(period, i, ws)
        expect(start).toBeLessThanOrEqual(t)
        expect(t).toBeLessThan(end)
        expect(start).toBe(referenceStart(period, t, ws))
        expect(periodBounds(period, i + 1, ws)[0]).toBe(end)
        expect(periodIndex(period, end, ws)).toBe(i + 1)
        expect(periodIndex(period, end - 1, ws)).toBe(i)
      }),
      { numRuns: 500 },
    )
  })

  it('weeks start on Sunday 00:00 UTC by default, months on the 1st', () => {
    const wed = Date.UTC(2024, 6, 17, 12) // Wednesday 17 July 2024
    expect(periodBounds('WEEK', periodIndex('WEEK', wed), 0)).toEqual([Date.UTC(2024, 6, 14), Date.UTC(2024, 6, 21)])
    expect(periodBounds('WEEK', periodIndex('WEEK', wed, 1), 1)).toEqual([Date.UTC(2024, 6, 15), Date.UTC(2024, 6, 22)])
    expect(periodBounds('MONTH', periodIndex('MONTH', Date.UTC(2024, 1, 29, 23)))).toEqual([Date.UTC(2024, 1, 1), Date.UTC(2024, 2, 1)])
  })
})

describe('createQuota', () => {
  it('admits exactly limit per day, and refused requests count nothing', () => {
    let t = Date.UTC(2024, 0, 1, 23, 59, 59)
    const q = createQuota({ limit: 2, period: 'DAY', now: () => t, startedAt: 0 })
    expect(q.consume('k')).toEqual({ allowed: true, used: 1, remaining: 1, limit: 2, resetAt: Date.UTC(2024, 0, 2) })
    expect(q.consume('k').allowed).toBe(true)
    expect(q.consume('k')).toMatchObject({ allowed: false, used: 2, remaining: 0 })
    expect(q.consume('other').allowed).toBe(true)
    t = Date.UTC(2024, 0, 2)
    expect(q.consume('k')).toMatchObject({ allowed: true, used: 1, resetAt: Date.UTC(2024, 0, 3) })
  })

  it('subtracts offset in the initial period only', () => {
    let t = Date.UTC(2025, 0, 15)
    const q = createQuota({ limit: 3, offset: 2, period: 'MONTH', now: () => t })
    expect(q.consume('k')).toMatchObject({ allowed: true, limit: 1, remaining: 0 })
    expect(q.consume('k').allowed).toBe(false)
    t = Date.UTC(2025, 1, 1)
    expect(q.consume('k', 3)).toMatchObject({ allowed: true, limit: 3, remaining: 0 })
  })

  it('validates options', () => {
    const bad = [
      { limit: -1, period: 'DAY' },
      { limit: 1.5, period: 'DAY' },
      { limit: 10, period: 'YEAR' },
      { limit: 10, period: 'DAY', offset: 10 },
      { limit: 10, period: 'DAY', offset: -1 },
      { limit: 10, period: 'WEEK', weekStartsOn: 7 },
    ]
    for (const o of bad) {
      expect(() => createQuota(o as never)).toThrow(expect.objectContaining({ code: 'INVALID_QUOTA' }))
    }
    expect(() => createQuota({ limit: 1, period: 'DAY' }).consume('k', -1)).toThrow(expect.objectContaining({ code: 'INVALID_COST' }))
  })

  it('property: admits exactly limit (limit - offset in the initial period) per period, across boundaries', () => {
    fc.assert(
      fc.property(
        periodArb,
        fc.integer({ min: 1, max: 8 }),
        fc.nat(7),
        fc.integer({ min: 0, max: 6 }),
        timeArb,
        fc.array(
          fc.record({
            dt: fc.oneof(fc.integer({ min: 0, max: 3 * DAY }), fc.integer({ min: 0, max: 40 * DAY })),
            key: fc.constantFrom('a', 'b'),
            n: fc.integer({ min: 0, max: 3 }),
          }),
          {
            maxLength: 150,
          },
        ),
        (period, limit, offsetRaw, ws, start, steps) => {
          const offset = offsetRaw % limit
          let t = start
          const q = createQuota({ limit, offset, period, weekStartsOn: ws, startedAt: start, now: () => t })
          const initial = referenceStart(period, start, ws)
          const used = new Map<string, number>()
          for (const s of steps) {
            t += s.dt
            const p = referenceStart(period, t, ws)
            const effective = p === initial ? limit - offset : limit
            const k = `${s.key}:${p}`
            const before = used.get(k) ?? 0
            const expected = before + s.n <= effective
            const r = q.consume(s.key, s.n)
            expect(r.allowed).toBe(expected)
            if (expected) used.set(k, before + s.n)
            expect(r.used).toBe(used.get(k) ?? 0)
            expect(r.limit).toBe(effective)
            expect(r.remaining).toBe(effective - r.used)
            expect(r.resetAt).toBeGreaterThan(t)
          }
        },
      ),
      { numRuns: 300 },
    )
  })
})
