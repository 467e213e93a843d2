/**
 * `gatehouse serve`'s `<file>:<mapping>` arguments. Mapping keys are segments of `[a-zA-Z0-9$-_.+!*'()]` joined by
 * `/`, `(none)` for the root (https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mappings.html,
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-mappings.html).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseMapping, serveTargets } from '../src/domain'

const segment = fc.stringMatching(/^[A-Za-z0-9$\-_.+!*'()]{1,12}$/)
const key = fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => s.join('/'))
const file = fc.stringMatching(/^[A-Za-z0-9_./:\\-]{1,30}$/).filter((f) => !f.endsWith(':'))

describe('parseMapping', () => {
  it('splits at the last colon: any file name, any valid key', () => {
    fc.assert(
      fc.property(file, key, (f, k) => {
        expect(parseMapping(`${f}:${k}`)).toEqual({ file: f, mapping: k })
        expect(parseMapping(`${f}:/${k}/`)).toEqual({ file: f, mapping: k })
      }),
    )
  })

  it('(none), / and nothing after the colon are the root', () => {
    for (const root of ['(none)', '/', '']) expect(parseMapping(`shop.yaml:${root}`)).toEqual({ file: 'shop.yaml', mapping: '(none)' })
  })

  it('no colon, a leading colon, or a key with a character API Gateway refuses: not a mapping', () => {
    fc.assert(
      fc.property(file, fc.string({ maxLength: 20 }), (f, k) => {
        const parsed = parseMapping(`${f}:${k}`)
        if (parsed !== null)
          expect(parsed.mapping === '(none)' || /^[A-Za-z0-9$\-_.+!*'()]+(\/[A-Za-z0-9$\-_.+!*'()]+)*$/.test(parsed.mapping)).toBe(true)
      }),
    )
    expect(parseMapping('api.yaml')).toBeNull()
    expect(parseMapping(':v1')).toBeNull()
    expect(parseMapping('C:\\work\\api.yaml')).toBeNull()
    expect(parseMapping('a.yaml:v 1')).toBeNull()
    expect(parseMapping('a.yaml:v1//x')).toBeNull()
  })
})

describe('serveTargets', () => {
  it('one plain file is a plain serve; anything else is a domain', () => {
    expect(serveTargets(['api.yaml'], undefined)).toEqual({ file: 'api.yaml' })
    expect(serveTargets(['api.yaml:v1'], undefined)).toEqual({ mappings: [{ file: 'api.yaml', mapping: 'v1' }], domainName: undefined })
    expect(() => serveTargets(['api.yaml'], 'api.example.com')).toThrow(/needs its mapping/)
    expect(() => serveTargets([], undefined)).toThrow(/give a file/)
  })

  it('refuses two files on the same mapping, however written', () => {
    fc.assert(
      fc.property(key, (k) => {
        expect(() => serveTargets([`a.yaml:${k}`, `b.yaml:/${k}`], undefined)).toThrow(/both mapped/)
      }),
    )
    expect(() => serveTargets(['a.yaml:(none)', 'b.yaml:/'], undefined)).toThrow(/both mapped to \(none\)/)
  })
})
