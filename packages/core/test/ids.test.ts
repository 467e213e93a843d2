// The gateway's own request ids: UUIDs (version 4, RFC 9562 variant) as AWS's `x-amzn-RequestId` and Lambda's
// `awsRequestId` are, unique within a process; extended ids in the shape of `x-amz-apigw-id`.
// https://www.rfc-editor.org/rfc/rfc9562#name-uuid-version-4
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { extendedId, hexCounter, next48, nextExtendedId, nextRequestId, upperHex } from '../src/ids'

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

describe('request ids', () => {
  it('are version 4 UUIDs, each one new', () => {
    const seen = new Set<string>()
    for (let i = 0; i < 10_000; i++) {
      const id = nextRequestId()
      expect(id).toMatch(UUID_V4)
      seen.add(id)
    }
    expect(seen.size).toBe(10_000)
  })

  it('extended ids: 16 letters and digits, new each time; from a given id, the same each time (property)', () => {
    const seen = new Set<string>()
    for (let i = 0; i < 10_000; i++) seen.add(nextExtendedId())
    expect(seen.size).toBe(10_000)
    for (const id of seen) expect(id).toMatch(/^[A-Za-z0-9]{16}$/)
    fc.assert(
      fc.property(fc.string(), (id) => {
        expect(extendedId(id)).toMatch(/^[A-Za-z0-9]{16}$/)
        expect(extendedId(id)).toBe(extendedId(id))
      }),
    )
  })

  it('counters: each value is the count, across the parts made once per 256 (hex) or 62 (extended) values', () => {
    const next = hexCounter('p-')
    for (let i = 1; i <= 70_000; i++) {
      const id = next()
      if (id !== `p-${i.toString(16).padStart(12, '0')}`) expect(id).toBe(`p-${i.toString(16).padStart(12, '0')}`)
    }
    const digits = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
    const count = (id: string) => [...id.slice(8)].reduce((n, c) => n * 62 + digits.indexOf(c), 0)
    const first = count(nextExtendedId())
    const prefix = nextExtendedId().slice(0, 8)
    for (let i = 2; i <= 10_000; i++) {
      const id = nextExtendedId()
      if (count(id) !== first + i || id.slice(0, 8) !== prefix) expect([id, count(id)]).toEqual([id, first + i])
    }
  })

  it('48-bit counters wrap to 0 after 12 hex digits of f', () => {
    expect(next48(0)).toBe(1)
    expect(next48(0xfffffffffffe)).toBe(0xffffffffffff)
    expect(next48(0xffffffffffff)).toBe(0)
    expect(upperHex(0xffffffffffff)).toBe('ffffffffff')
    expect(upperHex(0x1234567890ab)).toBe('1234567890')
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xfffffffffffe }), (n) => {
        expect(next48(n)).toBe(n + 1)
      }),
    )
  })
})
