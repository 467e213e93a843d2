// Header names as core's header maps key them: `headerKey(name)` is `name.toLowerCase()`, whatever the spelling,
// for the common names its fixed table holds and for any other (property).
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { headerKey } from '../src/http'

describe('headerKey', () => {
  it('lower-cases common names in their usual spellings and any other name (property)', () => {
    for (const name of ['User-Agent', 'user-agent', 'USER-AGENT', 'X-Amzn-Trace-Id', 'DNT', 'Te', 'x-api-key', 'X-Api-Key', 'uSeR-aGeNt']) {
      expect(headerKey(name)).toBe(name.toLowerCase())
    }
    for (const name of ['constructor', '__proto__', 'toString', 'X-Custom', '']) expect(headerKey(name)).toBe(name.toLowerCase())
    fc.assert(
      fc.property(fc.string(), (name) => {
        expect(headerKey(name)).toBe(name.toLowerCase())
      }),
    )
    fc.assert(
      fc.property(
        fc.constantFrom('accept', 'content-type', 'host', 'sec-fetch-mode', 'x-forwarded-for'),
        fc.array(fc.boolean(), { maxLength: 40 }),
        (lower, upper) => {
          const name = [...lower].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join('')
          expect(headerKey(name)).toBe(lower)
        },
      ),
    )
  })
})
