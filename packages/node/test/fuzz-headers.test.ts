/**
 * Fuzz (issue #12): the node:http → core conversion every node-based adapter shares (`@gatehousejs/core/node`):
 * raw header lists (any names HTTP admits, Object.prototype's among them, pseudo-headers, repeats), request
 * targets, announced lengths and X-Forwarded-For chains. Invariants: no throw; every value kept once, under its
 * lower-case name, in order; no value invented; `Object.prototype` untouched; outputs no larger than inputs.
 * Real sockets through each adapter: the hostile-name case of `adapter-suite.ts`.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { announcedLength, clientAddress, headersFromRaw, splitTarget } from '@gatehousejs/core/node'
import { fuzzParams } from '@gatehousejs/test-kit'

const PROTO_NAMES = [...Object.getOwnPropertyNames(Object.prototype), '__proto__']
const TCHAR = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
const name = fc.oneof(
  fc.constantFrom(
    ...PROTO_NAMES,
    ...PROTO_NAMES.map((n) => n.toUpperCase()),
    'Host',
    'content-length',
    ':authority',
    ':path',
    'Cookie',
    'User-Agent',
    'X-API-KEY',
    'DNT',
    'Te',
  ),
  fc.string({ unit: fc.constantFrom(...TCHAR), minLength: 1, maxLength: 10 }),
)
const value = fc.string({ unit: fc.constantFrom(...'abc XYZ 09\t-_=;,:./éÿ'), maxLength: 12 })

describe('headersFromRaw', () => {
  it('keeps every value once, by lower-case name, in order; the prototype is untouched', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(name, value), { maxLength: 30 }), (pairs) => {
        const out = headersFromRaw(pairs.flat())
        expect(Object.getPrototypeOf(out)).toBe(Object.prototype)
        const expected = new Map<string, string[]>()
        for (const [k, v] of pairs) {
          let n = k.toLowerCase()
          if (n.startsWith(':')) {
            if (n !== ':authority' || expected.has('host')) continue
            n = 'host'
          }
          expected.set(n, [...(expected.get(n) ?? []), v])
        }
        const got = new Map<string, string[]>()
        for (const k of Object.keys(out)) {
          const v = Object.getOwnPropertyDescriptor(out, k)!.value as string | string[]
          got.set(k, typeof v === 'string' ? [v] : v)
        }
        expect(got).toEqual(expected)
      }),
      fuzzParams(1000),
    )
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(
      PROTO_NAMES.filter((n) => n !== '__proto__')
        .concat('__proto__')
        .sort(),
    )
  })
})

describe('splitTarget', () => {
  const target = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc
      .tuple(
        fc.constantFrom('http://', 'https://', 'x://', ''),
        fc.string({ maxLength: 10 }),
        fc.constantFrom('/', '?', '', '/a?b', '??', '/?'),
        fc.string({ maxLength: 10 }),
      )
      .map((p) => p.join('')),
  )
  it('path starts with / or is the raw origin-form; nothing grows; the query is what follows the first ?', () => {
    fc.assert(
      fc.property(target, (t) => {
        const { path, query } = splitTarget(t)
        expect(path.length + (query?.length ?? 0)).toBeLessThanOrEqual(Math.max(t.length, 1) + 1)
        if (t.startsWith('/')) {
          const q = t.indexOf('?')
          expect(path).toBe(q === -1 ? t : q === 0 ? '/' : t.slice(0, q))
          expect(query).toBe(q === -1 ? undefined : t.slice(q + 1))
        }
      }),
      fuzzParams(1000),
    )
  })
})

describe('announcedLength', () => {
  it('a number only for a Content-Length without Transfer-Encoding; never a throw', () => {
    const cl = fc.oneof(
      fc.nat().map(String),
      fc.string({ maxLength: 12 }),
      fc.constantFrom('1e9', ' 5 ', '-1', 'Infinity', 'NaN', '0x10', ''),
    )
    fc.assert(
      fc.property(fc.option(fc.oneof(cl, fc.array(cl, { maxLength: 3 })), { nil: undefined }), fc.boolean(), (length, chunked) => {
        const headers: Record<string, string | string[]> = {}
        if (length !== undefined) headers['content-length'] = length
        if (chunked) headers['transfer-encoding'] = 'chunked'
        const n = announcedLength(headers)
        if (chunked || length === undefined) expect(n).toBeUndefined()
        else if (n !== undefined) expect(Number.isFinite(n)).toBe(true)
      }),
      fuzzParams(500),
    )
  })
})

describe('clientAddress', () => {
  it('the peer unless trusted; else one of the X-Forwarded-For hops; never a throw', () => {
    const hop = fc.oneof(fc.ipV4(), fc.ipV6(), fc.string({ maxLength: 8 }), fc.constant(''))
    fc.assert(
      fc.property(
        fc.option(fc.ipV4(), { nil: undefined }),
        fc.option(
          fc.oneof(
            fc.array(hop, { maxLength: 6 }).map((h) => h.join(',')),
            fc.array(
              fc.array(hop, { maxLength: 3 }).map((h) => h.join(',')),
              { maxLength: 3 },
            ),
          ),
          { nil: undefined },
        ),
        fc.oneof(fc.boolean(), fc.integer({ min: -3, max: 10 })),
        (peer, xff, trust) => {
          const headers: Record<string, string | string[]> = {}
          if (xff !== undefined) headers['x-forwarded-for'] = xff
          const ip = clientAddress(peer, headers, trust)
          if (!trust || xff === undefined) expect(ip).toBe(peer)
          else if (ip !== peer) {
            const hops = (typeof xff === 'string' ? xff : xff.join(',')).split(',').map((s) => s.trim())
            expect(hops.includes(ip!) || hops.includes(`::ffff:${ip}`)).toBe(true)
          }
        },
      ),
      fuzzParams(500),
    )
  })
})
