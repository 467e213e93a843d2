// The gateway's own request ids: UUIDs (version 4, RFC 9562 variant) as AWS's `x-amzn-RequestId` and Lambda's
// `awsRequestId` are, unique within a process; extended ids in the shape of `x-amz-apigw-id`.
// https://www.rfc-editor.org/rfc/rfc9562#name-uuid-version-4
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { extendedId, nextExtendedId, nextRequestId } from '../src/ids'

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
})
