/**
 * Which coding a compression-enabled REST API answers with, from `Accept-Encoding`: the header forms API Gateway
 * lists (RFC 7231 §5.3.4) and its rule that the highest-priority coding must be one it supports.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-enable-compression.html#api-gateway-supported-content-encodings
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-receive-response-with-compressed-payload.html
 * https://www.rfc-editor.org/rfc/rfc7231#section-5.3.4
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { chooseCoding } from '../../src/features/compression'

describe('Accept-Encoding → response coding', () => {
  // [header values, coding]: the five forms the developer guide lists first, then q-value and priority cases.
  const table: [string[], 'gzip' | 'deflate' | null][] = [
    [['deflate,gzip'], 'deflate'],
    [[''], null], // `Accept-Encoding:` — identity only
    [['*'], null], // no explicit coding: API Gateway does not compress
    [['deflate;q=0.5,gzip;q=1.0'], 'gzip'],
    [['gzip;q=1.0,identity;q=0.5,*;q=0'], 'gzip'],
    [[], null], // no header is `*`
    [['gzip'], 'gzip'],
    [['deflate'], 'deflate'],
    [['GZIP'], 'gzip'], // codings are case-insensitive
    [['gzip, deflate, br'], 'gzip'], // what browsers send: triggers compression, as the guide says
    [['br, deflate'], 'deflate'], // a tie: a supported coding is among the highest
    [['br;q=1, gzip;q=0.8'], null], // the highest-priority coding is not supported
    [['identity;q=1, gzip;q=0.5'], null],
    [['*;q=1, gzip;q=0.5'], null],
    [['gzip;q=0'], null], // q=0: not acceptable
    [['gzip;q=0.000'], null],
    [['gzip;q=0.001'], 'gzip'],
    [['deflate;q=0.9, gzip;q=0.8'], 'deflate'],
    [['gzip;q=1.5, deflate;q=0.5'], 'deflate'], // an invalid q-value: that element is not honoured
    [['gzip;q=abc'], null],
    [['gzip;level=9'], 'gzip'], // other parameters do not change the weight
    [['gzip;q'], null], // a parameter without a value is malformed
    [['gzip ; q=0.5 , deflate ; q=0.6'], 'deflate'],
    [['compress, br'], null],
    [['x-gzip'], null], // API Gateway lists gzip, deflate, identity only
    [['br', 'gzip'], 'gzip'], // repeated header lines are one list
    [['br;q=0.9', 'deflate;q=0.95'], 'deflate'],
  ]
  for (const [values, coding] of table) {
    it(`${JSON.stringify(values)} → ${coding}`, () => {
      expect(chooseCoding(values)).toBe(coding)
    })
  }

  it('an oversized header is not read (bounded work): no compression', () => {
    expect(chooseCoding([`${'x, '.repeat(2000)}gzip`])).toBeNull()
  })

  it('property: never throws; the choice is a supported coding listed with the highest weight', () => {
    const coding = fc.constantFrom('gzip', 'deflate', 'identity', 'br', '*', 'compress', 'GZip', '', ' ')
    const q = fc.oneof(
      fc.constant(''),
      fc.constantFrom(';q=0', ';q=1', ';q=0.5', ';q=1.0', ';q=0.25', ';q=2', ';q=', ';Q=0.7'),
      fc.string(),
    )
    const element = fc.tuple(coding, q).map(([c, p]) => `${c}${p}`)
    const header = fc.oneof(
      fc.array(element, { maxLength: 6 }).map((es) => es.join(', ')),
      fc.string({ maxLength: 60 }),
    )
    fc.assert(
      fc.property(fc.array(header, { maxLength: 3 }), (values) => {
        const chosen = chooseCoding(values)
        // Re-derive the weights independently: the chosen coding appears with a valid q > 0 that no other
        // coding's valid weight exceeds.
        const weights: { coding: string; q: number }[] = []
        for (const value of values)
          for (const el of value.split(',')) {
            const [name, ...params] = el.split(';')
            let w = 1
            let ok = true
            for (const p of params) {
              const [k, v] = p.split('=')
              if (v === undefined) ok = false
              else if (k!.trim().toLowerCase() === 'q') {
                if (!/^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/.test(v.trim())) ok = false
                else w = Number(v.trim())
              }
            }
            if (ok && name!.trim() !== '') weights.push({ coding: name!.trim().toLowerCase(), q: w })
          }
        const top = Math.max(0, ...weights.map((x) => x.q))
        const supportedTop = weights.some((x) => (x.coding === 'gzip' || x.coding === 'deflate') && x.q === top && top > 0)
        // The rules: compress exactly when a supported coding has the highest weight (above 0).
        expect(chosen !== null).toBe(supportedTop)
        if (chosen === null) return
        const mine = Math.max(...weights.filter((x) => x.coding === chosen).map((x) => x.q))
        expect(mine).toBeGreaterThan(0)
        for (const x of weights) expect(x.q).toBeLessThanOrEqual(mine)
      }),
      { numRuns: 2000 },
    )
  })
})
