import type { IncomingMessage } from 'node:http'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { announcesBody, headersFromRaw, sourceIpOf, splitTarget } from '@gatehousejs/core/node'

describe('splitTarget', () => {
  it('splits at the first ? and decodes nothing', () => {
    expect(splitTarget('/a%2Fb/c?x=1&y=%20?z')).toEqual({ path: '/a%2Fb/c', query: 'x=1&y=%20?z' })
    expect(splitTarget('/p?')).toEqual({ path: '/p', query: '' })
    expect(splitTarget('/p')).toEqual({ path: '/p', query: undefined })
    expect(splitTarget('')).toEqual({ path: '/', query: undefined })
    expect(splitTarget(undefined)).toEqual({ path: '/', query: undefined })
  })

  it('drops the authority of absolute-form targets', () => {
    expect(splitTarget('http://example.com/pets/1?a=1')).toEqual({ path: '/pets/1', query: 'a=1' })
    expect(splitTarget('http://example.com')).toEqual({ path: '/', query: undefined })
    expect(splitTarget('http://example.com?a=1')).toEqual({ path: '/', query: 'a=1' })
  })

  it('property: path + query rebuild an origin-form target exactly', () => {
    fc.assert(
      fc.property(fc.string(), fc.option(fc.string(), { nil: undefined }), (p, q) => {
        const path = `/${p.replace(/\?/g, '')}`
        const target = q === undefined ? path : `${path}?${q}`
        const out = splitTarget(target)
        expect(out.path).toBe(path)
        expect(out.query).toBe(q)
      }),
      { numRuns: 300 },
    )
  })

  it('property: never throws; origin-form and absolute-form targets give a path starting with /', () => {
    fc.assert(
      fc.property(fc.string(), fc.constantFrom('', '/', 'http://h', 'https://h:8/'), (s, prefix) => {
        const out = splitTarget(prefix + s)
        if (prefix !== '') expect(out.path.startsWith('/')).toBe(true)
        expect(out.path.length).toBeGreaterThan(0)
      }),
      { numRuns: 300 },
    )
  })
})

describe('headersFromRaw', () => {
  it('lower-cases names and keeps repeated headers as arrays, in order', () => {
    expect(headersFromRaw(['Host', 'h', 'Set-Cookie', 'a=1', 'X-A', '1', 'set-cookie', 'b=2', 'x-a', '2', 'x-a', '3'])).toEqual({
      host: 'h',
      'set-cookie': ['a=1', 'b=2'],
      'x-a': ['1', '2', '3'],
    })
  })

  it('maps the HTTP/2 :authority pseudo-header to host and drops the others', () => {
    expect(headersFromRaw([':method', 'GET', ':authority', 'h2.example', ':path', '/x', 'accept', '*/*'])).toEqual({
      host: 'h2.example',
      accept: '*/*',
    })
  })

  it('keeps headers named __proto__ or constructor as plain keys (issue #12, finding 3)', () => {
    const h = headersFromRaw(['__proto__', 'x', 'a', 'b', 'Constructor', 'c1', '__PROTO__', 'y', 'constructor', 'c2'])
    expect(Object.getPrototypeOf(h)).toBe(Object.prototype)
    expect(Object.keys(h)).toEqual(['__proto__', 'a', 'constructor'])
    expect(Object.getOwnPropertyDescriptor(h, '__proto__')?.value).toEqual(['x', 'y'])
    expect(h.a).toBe('b')
    expect(h.constructor).toEqual(['c1', 'c2'])
  })

  it('property: every value survives, grouped by lower-case name, in order', () => {
    const name = fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,8}$/)
    fc.assert(
      fc.property(fc.array(fc.tuple(name, fc.string()), { maxLength: 20 }), (pairs) => {
        const out = headersFromRaw(pairs.flat())
        const expected = new Map<string, string[]>()
        for (const [k, v] of pairs) {
          const key = k.toLowerCase()
          if (key === '__proto__') continue
          expected.set(key, [...(expected.get(key) ?? []), v])
        }
        expect(Object.keys(out).sort()).toEqual([...expected.keys()].sort())
        for (const [k, vs] of expected) expect(out[k]).toEqual(vs.length === 1 ? vs[0] : vs)
      }),
      { numRuns: 300 },
    )
  })
})

describe('announcesBody', () => {
  it('follows HTTP/1.1 framing', () => {
    expect(announcesBody({})).toBe(false)
    expect(announcesBody({ 'content-length': '0' })).toBe(false)
    expect(announcesBody({ 'content-length': '3' })).toBe(true)
    expect(announcesBody({ 'transfer-encoding': 'chunked' })).toBe(true)
  })
})

describe('sourceIpOf', () => {
  const req = (remoteAddress: string) => ({ socket: { remoteAddress } }) as unknown as IncomingMessage
  it('uses the socket and ignores X-Forwarded-For by default', () => {
    expect(sourceIpOf(req('10.0.0.1'), { 'x-forwarded-for': '1.2.3.4' }, undefined)).toBe('10.0.0.1')
    expect(sourceIpOf(req('10.0.0.1'), { 'x-forwarded-for': '1.2.3.4' }, false)).toBe('10.0.0.1')
  })
  it('reports IPv4-mapped IPv6 addresses as IPv4', () => {
    expect(sourceIpOf(req('::ffff:127.0.0.1'), {}, false)).toBe('127.0.0.1')
    expect(sourceIpOf(req('::1'), {}, false)).toBe('::1')
  })
  it('trustProxy: true takes the left-most address, a number n the address n hops from the right', () => {
    const headers = { 'x-forwarded-for': ['1.1.1.1, 2.2.2.2', '3.3.3.3'] }
    expect(sourceIpOf(req('10.0.0.1'), headers, true)).toBe('1.1.1.1')
    expect(sourceIpOf(req('10.0.0.1'), headers, 1)).toBe('3.3.3.3')
    expect(sourceIpOf(req('10.0.0.1'), headers, 2)).toBe('2.2.2.2')
    expect(sourceIpOf(req('10.0.0.1'), headers, 9)).toBe('1.1.1.1')
    expect(sourceIpOf(req('10.0.0.1'), {}, true)).toBe('10.0.0.1')
  })
})
