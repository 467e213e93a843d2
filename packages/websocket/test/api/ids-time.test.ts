/**
 * The per-message pieces of an event that are cached or pooled for speed: `requestTime` (formatted again only when
 * the second changes) and the ids (base64 of 11 bytes from a pool of random bytes). `requestTime` is CLF
 * `dd/MMM/yyyy:HH:mm:ss +0000` ($context.requestTime in
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-mapping-template-reference.html).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { awsStyleId, clfTime } from '../../src/api/events'

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** CLF written independently: from toISOString's fields. */
function reference(ms: number): string {
  const iso = new Date(ms).toISOString() // yyyy-mm-ddTHH:MM:SS.sssZ
  return `${iso.slice(8, 10)}/${MONTHS[Number(iso.slice(5, 7)) - 1]}/${iso.slice(0, 4)}:${iso.slice(11, 19)} +0000`
}

describe('requestTime', () => {
  it('is the CLF time of each instant, in any order of calls (same second, next second, back in time)', () => {
    const instant = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2099, 11, 31) })
    const step = fc.oneof(fc.integer({ min: -999, max: 999 }), fc.integer({ min: -5_000_000, max: 5_000_000 }))
    fc.assert(
      fc.property(instant, fc.array(step, { maxLength: 30 }), (start, steps) => {
        let t = start
        expect(clfTime(t)).toBe(reference(t))
        for (const s of steps) {
          t += s
          expect(clfTime(t)).toBe(reference(t))
        }
      }),
    )
  })
})

describe('ids', () => {
  it('are 16 base64 characters ending in "=" (11 bytes), all different, across refills of the pool', () => {
    const ids = Array.from({ length: 5_000 }, () => awsStyleId())
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9+/]{15}=$/)
    expect(new Set(ids).size).toBe(ids.length)
  })
})
